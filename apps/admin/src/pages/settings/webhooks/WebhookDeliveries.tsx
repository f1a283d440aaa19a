import { useTranslation } from 'react-i18next';
import { usePagedResource } from '../../../api/usePagedResource';
import {
  webhooksApi,
  type WebhookDeliveryView,
  type WebhookEndpointView,
} from '../../../api/webhooks';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Badge, type BadgeTone } from '../../../components/Badge';
import { EmptyState } from '../../../components/EmptyState';
import { Pagination } from '../../../components/Pagination';
import { ResourceState } from '../../../components/ResourceState';
import { useFormatters } from '../../../i18n/format';

const STATUS_TONES: Record<WebhookDeliveryView['status'], BadgeTone> = {
  pending: 'warning',
  delivered: 'success',
  failed: 'danger',
};

/** The latest deliveries, newest first, with their outcome. */
export function WebhookDeliveries({ endpoints }: { endpoints?: WebhookEndpointView[] }) {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const deliveries = usePagedResource(`webhook-deliveries:${organization.id}`, (page, signal) =>
    webhooksApi.deliveries(organization.id, page, signal),
  );
  const urlOf = (endpointId: string) =>
    endpoints?.find((endpoint) => endpoint.id === endpointId)?.url;

  return (
    <section className="panel" aria-labelledby="webhook-deliveries-title">
      <div className="panel__header">
        <h2 id="webhook-deliveries-title">{t('webhooks.deliveries.title')}</h2>
        <button type="button" className="button button--small" onClick={deliveries.reload}>
          {t('webhooks.deliveries.refresh')}
        </button>
      </div>
      <ResourceState resource={deliveries} />
      {deliveries.data?.items.length === 0 && (
        <EmptyState>{t('webhooks.deliveries.empty')}</EmptyState>
      )}
      {deliveries.data && deliveries.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('webhooks.deliveries.columns.date')}</th>
                <th scope="col">{t('webhooks.deliveries.columns.event')}</th>
                <th scope="col">{t('webhooks.deliveries.columns.entryKey')}</th>
                <th scope="col">{t('webhooks.deliveries.columns.status')}</th>
                <th scope="col">{t('webhooks.deliveries.columns.attempts')}</th>
                <th scope="col">{t('webhooks.deliveries.columns.lastStatus')}</th>
                <th scope="col">{t('webhooks.deliveries.columns.lastError')}</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.items.map((delivery) => {
                const url = urlOf(delivery.endpointId);
                return (
                  <tr key={delivery.id} data-testid="webhook-delivery-row">
                    <td className="nowrap">
                      {format.dateTime(delivery.deliveredAt ?? delivery.createdAt)}
                    </td>
                    <td>
                      {t(`webhooks.events.${delivery.eventType}`, {
                        defaultValue: delivery.eventType,
                      })}
                      {url && <span className="cell-note">{url}</span>}
                    </td>
                    <td>
                      <code>{delivery.eventKey}</code>
                    </td>
                    <td>
                      <Badge tone={STATUS_TONES[delivery.status]}>
                        {t(`webhooks.deliveries.status.${delivery.status}`)}
                      </Badge>
                    </td>
                    <td className="numeric">{delivery.attempts}</td>
                    <td className="numeric">{delivery.lastStatus ?? t('common.none')}</td>
                    <td className="cell-error" title={delivery.lastError ?? undefined}>
                      {delivery.lastError ?? t('common.none')}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {deliveries.data && <Pagination page={deliveries.data} onChange={deliveries.setOffset} />}
    </section>
  );
}
