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
 * `/don/:orgId/merci?session_id=cs_…`: where Stripe Checkout sends the donor back. Shows where
 * the payment stands, polling while Stripe has not confirmed it yet (like the join page's).
 */
export function DonateThanksPage() {
  const { t } = useTranslation();
  const { orgId = '' } = useParams();
  const [params] = useSearchParams();
  const embedded = useEmbedded();
  const sessionId = params.get('session_id') ?? '';
  const campaignId = params.get('campagne');
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
  const formQuery = new URLSearchParams();
  if (campaignId) formQuery.set('campagne', campaignId);
  if (embedded) formQuery.set('embed', '1');
  const form = `/don/${encodeURIComponent(orgId)}${formQuery.size > 0 ? `?${formQuery.toString()}` : ''}`;
  const footer =
    !sessionId || state.kind !== 'ready' ? (
      <Link to={form} data-testid="donate-back">
        {t('donate.thanks.backToForm')}
      </Link>
    ) : undefined;

  if (!sessionId) {
    return (
      <AuthCard title={t('donate.thanks.title')} footer={footer}>
        <Alert kind="error">
          <span data-testid="donate-thanks-missing">{t('join.thanks.missingSession')}</span>
        </Alert>
      </AuthCard>
    );
  }
  if (state.kind === 'loading') return <Loading />;
  if (state.kind === 'error') {
    return (
      <AuthCard title={t('donate.thanks.title')} footer={footer}>
        <ErrorState message={errorMessage(t, state.error)} onRetry={again} />
      </AuthCard>
    );
  }

  const { view, polling } = state;
  const amount = formatMoney(view.amountCents, view.currency);
  const summary = (
    <p data-testid="donate-thanks-amount">
      {t('join.thanks.summary', { label: view.label, amount })}
      {view.method && <span className="cell-note">{methodLabel(t, view.method)}</span>}
    </p>
  );

  let title: string;
  let body: ReactNode;
  switch (view.status) {
    case 'succeeded':
      title = t('donate.thanks.succeeded');
      body = (
        <>
          <Alert kind="success">
            <span data-testid="donate-thanks-succeeded">{t('donate.thanks.succeededText')}</span>
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
            <span data-testid="donate-thanks-processing">{t('donate.thanks.processing')}</span>
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
              data-testid="donate-thanks-pending"
            >
              <span className="spinner" aria-hidden="true" />
              {t('join.thanks.pending')}
            </div>
          ) : (
            <Alert kind="info">
              <span data-testid="donate-thanks-pending-late">{t('join.thanks.pendingLate')}</span>
              <button
                type="button"
                className="button button--small"
                data-testid="donate-thanks-check-again"
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
            <span data-testid="donate-thanks-failed">
              {view.status === 'failed' ? t('join.thanks.failed') : t('join.thanks.cancelled')}
            </span>
          </Alert>
          {summary}
          <p>
            <Link to={form} className="button button--primary" data-testid="donate-retry">
              {t('donate.thanks.retry')}
            </Link>
          </p>
        </>
      );
      break;
    case 'partially_refunded':
    case 'refunded':
    case 'disputed':
      title = t('donate.thanks.title');
      body = (
        <>
          <Alert kind="info">
            <span data-testid="donate-thanks-other">
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
      <div data-testid="donate-thanks" data-status={view.status}>
        {body}
      </div>
    </AuthCard>
  );
}
