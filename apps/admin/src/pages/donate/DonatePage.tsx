import { useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { publicDonationApi } from '../../api/donations';
import { useResource } from '../../api/useResource';
import { Alert } from '../../components/Alert';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { errorMessage } from '../../i18n/messages';
import { useEmbedded } from '../../layout/PublicLayout';
import { GoalProgress } from '../donations/GoalProgress';
import { DonateForm } from './DonateForm';
import { donateMethods } from './donateForm';

/**
 * `/don/:orgId`: the public donation page (no session): amount, once or monthly, donor, fiscal
 * receipt, then Stripe Checkout, or the bank details and reference of a transfer (open with
 * Stripe, a transfer account, or both; monthly needs Stripe). `?campagne=<id>`: a campaign's page
 * (its name and progress); `?annule=1`: back from a cancelled Checkout; `?embed=1`: in an iframe.
 */
export function DonatePage() {
  const { t } = useTranslation();
  const { orgId = '' } = useParams();
  const [params] = useSearchParams();
  const embedded = useEmbedded();
  const campaignId = params.get('campagne') || null;
  const cancelled = params.get('annule') === '1';
  const form = useResource(`donate:${orgId}:${campaignId ?? ''}`, (signal) =>
    publicDonationApi.form(orgId, campaignId, signal),
  );
  const view = form.data;
  /** Without Stripe, the association may still take gifts by transfer. */
  const transferOnly = view !== undefined && view.methods.length === 0 && Boolean(view.transfer);

  return (
    <div className={`join donate${embedded ? ' join--embed' : ''}`} data-testid="donate-page">
      {!view && form.loading && <Loading />}
      {!view && !form.loading && (
        <section className="card card--narrow auth-card">
          <h1>{t('donate.title')}</h1>
          <ErrorState message={errorMessage(t, form.error)} onRetry={form.reload} />
        </section>
      )}
      {view && (
        <>
          <header className="page-header join__header">
            <p className="page-header__eyebrow">{t('donate.eyebrow')}</p>
            <h1 data-testid="donate-org-name">{view.organization.name}</h1>
            {view.campaign ? (
              <div className="donate__campaign" data-testid="donate-campaign">
                <h2 data-testid="donate-campaign-name">{view.campaign.name}</h2>
                {view.campaign.description && (
                  <p className="pre-line">{view.campaign.description}</p>
                )}
                <GoalProgress
                  raisedCents={view.campaign.raisedCents}
                  goalCents={view.campaign.goalCents}
                  currency={view.currency}
                  testId="donate-campaign-progress"
                />
              </div>
            ) : (
              view.onlinePayment && (
                <p className="muted">
                  {transferOnly ? t('donate.introTransfer') : t('donate.intro')}
                </p>
              )
            )}
          </header>
          {view.mode === 'test' && (
            <Alert kind="warning">
              <strong data-testid="donate-test-mode">{t('join.testMode')}</strong>
              <span>{t('join.testModeHint')}</span>
            </Alert>
          )}
          {cancelled && view.onlinePayment && (
            <Alert kind="info">
              <span data-testid="donate-cancelled">{t('donate.cancelled')}</span>
            </Alert>
          )}
          {!view.onlinePayment || donateMethods(view).length === 0 ? (
            <section className="panel" data-testid="donate-closed">
              <p>
                <strong>{t('donate.closed')}</strong>
              </p>
            </section>
          ) : (
            <DonateForm
              key={view.campaign?.id ?? 'general'}
              orgId={orgId}
              view={view}
              embedded={embedded}
            />
          )}
        </>
      )}
    </div>
  );
}
