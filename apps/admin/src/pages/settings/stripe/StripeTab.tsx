import { useTranslation } from 'react-i18next';
import { stripeApi } from '../../../api/payments';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { ResourceState } from '../../../components/ResourceState';
import { StripeConnectionPanel } from './StripeConnectionPanel';
import { StripeEvents } from './StripeEvents';
import { StripeJoinPagePanel } from './StripeJoinPagePanel';
import { StripeKeysForm } from './StripeKeysForm';
import { StripeSyncPanel } from './StripeSyncPanel';
import { StripeWebhookPanel } from './StripeWebhookPanel';

/**
 * Settings › Paiement en ligne (Stripe): the association's own Stripe account (its keys, the
 * webhook to declare there), the public join page to embed, the import of Stripe history (once
 * connected), and the events Stripe sent.
 */
export function StripeTab() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const settings = useResource(`stripe-settings:${organization.id}`, (signal) =>
    stripeApi.settings(organization.id, signal),
  );

  if (!settings.data) {
    return (
      <section className="panel" aria-labelledby="stripe-title">
        <h2 id="stripe-title">{t('settings.tabs.stripe')}</h2>
        <ResourceState resource={settings} />
      </section>
    );
  }
  return (
    <>
      <StripeConnectionPanel settings={settings.data} onChange={settings.reload} />
      <StripeWebhookPanel settings={settings.data} />
      <StripeKeysForm settings={settings.data} onSaved={settings.reload} />
      <StripeJoinPagePanel settings={settings.data} />
      {settings.data.connected && <StripeSyncPanel />}
      <StripeEvents />
    </>
  );
}
