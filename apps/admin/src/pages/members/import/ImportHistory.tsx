import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { IMPORT_OUTCOMES } from '@ruche/contracts';
import { importsApi } from '../../../api/imports';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { EmptyState } from '../../../components/EmptyState';
import { ResourceState } from '../../../components/ResourceState';
import { useFormatters } from '../../../i18n/format';
import { ImportStatusBadge } from './ImportParts';

/** The organization's imports, latest first, each opening its page. */
export function ImportHistory() {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const imports = useResource(`imports:list:${organization.id}`, (signal) =>
    importsApi.list(organization.id, signal),
  );

  return (
    <section className="panel" aria-labelledby="import-history-title">
      <div className="panel__header">
        <h2 id="import-history-title">{t('contacts.import.history.title')}</h2>
        <button type="button" className="button button--small" onClick={imports.reload}>
          {t('contacts.import.history.refresh')}
        </button>
      </div>
      <ResourceState resource={imports} />
      {imports.data?.length === 0 && <EmptyState>{t('contacts.import.history.empty')}</EmptyState>}
      {imports.data && imports.data.length > 0 && (
        <div className="table-wrap" aria-busy={imports.loading}>
          <table className="table" data-testid="import-history">
            <thead>
              <tr>
                <th scope="col">{t('contacts.import.history.columns.date')}</th>
                <th scope="col">{t('contacts.import.history.columns.file')}</th>
                <th scope="col">{t('contacts.import.history.columns.status')}</th>
                <th scope="col" className="numeric">
                  {t('contacts.import.history.columns.rows')}
                </th>
                {IMPORT_OUTCOMES.map((outcome) => (
                  <th key={outcome} scope="col" className="numeric">
                    {t(`contacts.import.history.columns.${outcome}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {imports.data.map((item) => (
                <tr key={item.id} data-testid="import-history-row" data-status={item.status}>
                  <td className="nowrap">{format.dateTime(item.createdAt)}</td>
                  <td>
                    <Link to={`/orgs/${organization.id}/contacts/import/${item.id}`}>
                      {item.fileName}
                    </Link>
                    <span className="cell-note">{t(`contacts.import.formats.${item.format}`)}</span>
                  </td>
                  <td>
                    <ImportStatusBadge status={item.status} mode={item.mode} />
                  </td>
                  <td className="numeric">{format.number(item.rowCount)}</td>
                  {IMPORT_OUTCOMES.map((outcome) => (
                    <td key={outcome} className="numeric">
                      {item.counts ? format.number(item.counts[outcome]) : t('common.none')}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
