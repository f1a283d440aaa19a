import { useTranslation } from 'react-i18next';
import { orgsApi } from '../../../api/orgs';
import { usePagedResource } from '../../../api/usePagedResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { EmptyState } from '../../../components/EmptyState';
import { JsonDetails } from '../../../components/JsonDetails';
import { Pagination } from '../../../components/Pagination';
import { ResourceState } from '../../../components/ResourceState';
import { useFormatters } from '../../../i18n/format';
import { actionLabel } from '../../../i18n/messages';

export function AuditLogTab() {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const entries = usePagedResource(`audit:${organization.id}`, (page, signal) =>
    orgsApi.auditLog(organization.id, page, signal),
  );

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t('settings.tabs.audit')}</h2>
      <ResourceState resource={entries} />
      {entries.data?.items.length === 0 && <EmptyState>{t('audit.empty')}</EmptyState>}
      {entries.data && entries.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('audit.columns.date')}</th>
                <th scope="col">{t('audit.columns.actor')}</th>
                <th scope="col">{t('audit.columns.action')}</th>
                <th scope="col">{t('audit.columns.entity')}</th>
                <th scope="col">{t('audit.columns.changes')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.data.items.map((entry) => (
                <tr key={entry.id}>
                  <td className="nowrap">{format.dateTime(entry.createdAt)}</td>
                  <td>{entry.actorName ?? t('audit.system')}</td>
                  <td>
                    {actionLabel(t, entry.action)}
                    <code className="cell-note">{entry.action}</code>
                  </td>
                  <td>
                    {entry.entityType}
                    {entry.entityId && <code className="cell-note">{entry.entityId}</code>}
                  </td>
                  <td>
                    <JsonDetails label={t('audit.before')} value={entry.before} />
                    <JsonDetails label={t('audit.after')} value={entry.after} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {entries.data && <Pagination page={entries.data} onChange={entries.setOffset} />}
    </section>
  );
}
