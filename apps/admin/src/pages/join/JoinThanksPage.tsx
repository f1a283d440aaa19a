import { useEffect, useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { PublicCheckoutStatusView } from '@ruche/contracts';
import { joinApi } from '../../api/join';
import { Alert } from '../../components/Alert';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { errorMessage } from '../../i18n/messages';
import { useEmbedded } from '../../layout/PublicLayout';
import { formatMoney } from '../accounting/money';
import { methodLabel } from '../payments/paymentLabels';
import { AuthCard } from '../auth/AuthCard';

/** A pending payment is asked again every 2 s, for 30 s at most. */
const POLL_EVERY_MS = 2_000;
const POLL_FOR_MS = 30_000;

type CheckState =
  | { kind: 'loading' }
  | { kind: 'ready'; view: PublicCheckoutStatusView; polling: boolean }
  | { kind: 'error'; error: unknown };

/**
 * `/adhesion/:orgId/merci?session_id=cs_…`: where Stripe Checkout sends the member back. Shows
 * where the payment stands, polling while Stripe has not confirmed it yet.
 */
export function JoinThanksPage() {
  const { t } = useTranslation();
  const { orgId = '' } = useParams();
  const [params] = useSearchParams();
  const embedded = useEmbedded();
  const sessionId = params.get('session_id') ?? '';
  const [state, setState] = useState<CheckState>({ kind: 'loading' });
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (!sessionId) return;
    const controller = new AbortController();
    const started = Date.now();
    let timer: number | undefined;
    const load = () => {
      joinApi.checkoutStatus(orgId, sessionId, controller.signal).then(
        (view) => {
          if (controller.signal.aborted) return;
          const again = view.status === 'pending' && Date.now() - started < POLL_FOR_MS;
          setState({ kind: 'ready', view, polling: again });
          if (again) timer = window.setTimeout(load, POLL_EVERY_MS);
        },
        (error: unknown) => {
          if (!controller.signal.aborted) setState({ kind: 'error', error });
        },
      );
    };
    load();
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [orgId, sessionId, round]);

  const again = () => {
    setState({ kind: 'loading' });
    setRound((value) => value + 1);
  };
  const form = `/adhesion/${encodeURIComponent(orgId)}${embedded ? '?embed=1' : ''}`;
  /** Back to the form when nothing could be read; a failed payment has its own retry button. */
  const footer = (
    <>
      {(!sessionId || state.kind !== 'ready') && (
        <Link to={form} data-testid="join-back">
          {t('join.thanks.backToForm')}
        </Link>
      )}
      <Link to={`/espace-membre/${encodeURIComponent(orgId)}`} data-testid="join-member-space">
        {t('join.thanks.memberSpace')}
      </Link>
    </>
  );

  if (!sessionId) {
    return (
      <AuthCard title={t('join.thanks.title')} footer={footer}>
        <Alert kind="error">
          <span data-testid="join-thanks-missing">{t('join.thanks.missingSession')}</span>
        </Alert>
      </AuthCard>
    );
  }
  if (state.kind === 'loading') return <Loading />;
  if (state.kind === 'error') {
    return (
      <AuthCard title={t('join.thanks.title')} footer={footer}>
        <ErrorState message={errorMessage(t, state.error)} onRetry={again} />
      </AuthCard>
    );
  }

  const { view, polling } = state;
  const amount = formatMoney(view.amountCents, view.currency);
  const summary = (
    <p data-testid="join-thanks-amount">
      {t('join.thanks.summary', { label: view.label, amount })}
      {view.method && <span className="cell-note">{methodLabel(t, view.method)}</span>}
    </p>
  );
  const membership = view.purpose === 'membership';

  let title: string;
  let body: ReactNode;
  switch (view.status) {
    case 'succeeded':
      title = membership ? t('join.thanks.succeeded') : t('join.thanks.succeededPayment');
      body = (
        <>
          <Alert kind="success">
            <span data-testid="join-thanks-succeeded">{t('join.thanks.succeededText')}</span>
          </Alert>
          {summary}
        </>
      );
      break;
    case 'processing':
      title = t('join.thanks.processingTitle');
      body = (
        <>
          <Alert kind="info">
            <span data-testid="join-thanks-processing">
              {membership ? t('join.thanks.processing') : t('join.thanks.processingPayment')}
            </span>
          </Alert>
          {summary}
        </>
      );
      break;
    case 'pending':
      title = t('join.thanks.pendingTitle');
      body = (
        <>
          {polling ? (
            <div
              className="loading"
              role="status"
              aria-live="polite"
              data-testid="join-thanks-pending"
            >
              <span className="spinner" aria-hidden="true" />
              {t('join.thanks.pending')}
            </div>
          ) : (
            <Alert kind="info">
              <span data-testid="join-thanks-pending-late">{t('join.thanks.pendingLate')}</span>
              <button
                type="button"
                className="button button--small"
                data-testid="join-thanks-check-again"
                onClick={again}
              >
                {t('join.thanks.checkAgain')}
              </button>
            </Alert>
          )}
          {summary}
        </>
      );
      break;
    case 'failed':
    case 'cancelled':
      title = t('join.thanks.failedTitle');
      body = (
        <>
          <Alert kind="error">
            <span data-testid="join-thanks-failed">
              {view.status === 'failed' ? t('join.thanks.failed') : t('join.thanks.cancelled')}
            </span>
          </Alert>
          {summary}
          <p>
            <Link to={form} className="button button--primary" data-testid="join-retry">
              {t('join.thanks.retry')}
            </Link>
          </p>
        </>
      );
      break;
    case 'partially_refunded':
    case 'refunded':
    case 'disputed':
      title = t('join.thanks.title');
      body = (
        <>
          <Alert kind="info">
            <span data-testid="join-thanks-other">
              {t('join.thanks.other', { status: t(`payments.statuses.${view.status}`) })}
            </span>
          </Alert>
          {summary}
        </>
      );
      break;
  }

  return (
    <AuthCard title={title} footer={footer}>
      <div data-testid="join-thanks" data-status={view.status}>
        {body}
      </div>
    </AuthCard>
  );
}
