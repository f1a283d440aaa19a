import { useTranslation } from 'react-i18next';
import { webhooksApi } from '../../../api/webhooks';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { WebhookDeliveries } from './WebhookDeliveries';
import { WebhookEndpointForm } from './WebhookEndpointForm';
import { WebhookEndpoints } from './WebhookEndpoints';

/** Settings › Webhooks: the endpoints that receive signed events, and the deliveries sent to them. */
export function WebhooksTab() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const endpoints = useResource(`webhook-endpoints:${organization.id}`, (signal) =>
    webhooksApi.endpoints(organization.id, signal),
  );

  return (
    <>
      <section className="panel" aria-labelledby="webhooks-title">
        <h2 id="webhooks-title">{t('settings.tabs.webhooks')}</h2>
        <p className="muted">{t('webhooks.intro')}</p>
        <WebhookEndpoints endpoints={endpoints} />
      </section>
      <WebhookEndpointForm onCreated={endpoints.reload} />
      <WebhookDeliveries endpoints={endpoints.data} />
    </>
  );
}
