import { useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { joinApi } from '../../api/join';
import { useResource } from '../../api/useResource';
import { Alert } from '../../components/Alert';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { errorMessage } from '../../i18n/messages';
import { useEmbedded } from '../../layout/PublicLayout';
import { JoinForm } from './JoinForm';

/**
 * `/adhesion/:orgId`: the public join page (no session). Plan, person, consents, payment method,
 * then Stripe Checkout, or the bank details and reference of a transfer (open with Stripe, a
 * transfer account, or both). `?annule=1`: back from a cancelled Checkout; `?embed=1`: in an
 * iframe.
 */
export function JoinPage() {
  const { t } = useTranslation();
  const { orgId = '' } = useParams();
  const [params] = useSearchParams();
  const embedded = useEmbedded();
  const cancelled = params.get('annule') === '1';
  const form = useResource(`join:${orgId}`, (signal) => joinApi.form(orgId, signal));
  const view = form.data;

  return (
    <div className={`join${embedded ? ' join--embed' : ''}`} data-testid="join-page">
      {!view && form.loading && <Loading />}
      {!view && !form.loading && (
        <section className="card card--narrow auth-card">
          <h1>{t('join.title')}</h1>
          <ErrorState message={errorMessage(t, form.error)} onRetry={form.reload} />
        </section>
      )}
      {view && (
        <>
          <header className="page-header join__header">
            <p className="page-header__eyebrow">{t('join.eyebrow')}</p>
            <h1 data-testid="join-org-name">{view.organization.name}</h1>
            {view.onlinePayment && (
              <p className="muted">
                {view.methods.length === 0 && view.transfer
                  ? t('join.introTransfer')
                  : t('join.intro')}
              </p>
            )}
          </header>
          {view.mode === 'test' && (
            <Alert kind="warning">
              <strong data-testid="join-test-mode">{t('join.testMode')}</strong>
              <span>{t('join.testModeHint')}</span>
            </Alert>
          )}
          {cancelled && view.onlinePayment && (
            <Alert kind="info">
              <span data-testid="join-cancelled">{t('join.cancelled')}</span>
            </Alert>
          )}
          {!view.onlinePayment ? (
            <section className="panel" data-testid="join-closed">
              <p>
                <strong>{t('join.closed')}</strong>
              </p>
              {view.organization.email && (
                <p>
                  {t('join.contactOrganization')}{' '}
                  <a href={`mailto:${view.organization.email}`} data-testid="join-org-email">
                    {view.organization.email}
                  </a>
                </p>
              )}
            </section>
          ) : view.plans.length === 0 ? (
            <section className="panel" data-testid="join-no-plan">
              <p>{t('join.noPlan')}</p>
              {view.organization.email && (
                <p>
                  {t('join.contactOrganization')}{' '}
                  <a href={`mailto:${view.organization.email}`}>{view.organization.email}</a>
                </p>
              )}
            </section>
          ) : (
            <JoinForm orgId={orgId} view={view} embedded={embedded} />
          )}
        </>
      )}
    </div>
  );
}
