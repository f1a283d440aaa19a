import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ENTRY_STATUSES, type EntryStatus } from '@ruche/contracts';
import { accountingApi, type EntryFilters } from '../../../api/accounting';
import { usePagedResource } from '../../../api/usePagedResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { EmptyState } from '../../../components/EmptyState';
import { Pagination } from '../../../components/Pagination';
import { ResourceState } from '../../../components/ResourceState';
import { formatMoney, useDayFormatter } from '../money';
import { useFiscalYears, useJournals } from '../useAccountingLists';
import { EntryStatusBadge } from './EntryStatusBadge';

type FilterKey = 'fiscalYearId' | 'journal' | 'account' | 'status' | 'from' | 'to' | 'search';

const isStatus = (value: string): value is EntryStatus =>
  ENTRY_STATUSES.some((status) => status === value);

export function EntriesTab() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const fiscalYears = useFiscalYears();
  const journals = useJournals();
  const value = (key: FilterKey) => params.get(key) ?? '';
  const status = value('status');
  const filters: EntryFilters = {
    fiscalYearId: value('fiscalYearId'),
    journal: value('journal'),
    account: value('account'),
    status: isStatus(status) ? status : '',
    from: value('from'),
    to: value('to'),
    search: value('search'),
  };
  const key = `accounting:entries:${organization.id}:${JSON.stringify(filters)}`;
  const entries = usePagedResource(key, (page, signal) =>
    accountingApi.entries(organization.id, filters, page, signal),
  );
  const canWrite = organization.can('accounting.write');

  const setFilter = (name: FilterKey, next: string) => {
    setParams(
      (previous) => {
        const updated = new URLSearchParams(previous);
        if (next) updated.set(name, next);
        else updated.delete(name);
        return updated;
      },
      { replace: true },
    );
  };

  const query = params.size > 0 ? `?${params.toString()}` : '';
  const open = (entryId: string) => navigate(`${entryId}${query}`);

  return (
    <section aria-labelledby="entries-title">
      <div className="panel__header">
        <h2 id="entries-title">{t('accounting.tabs.entries')}</h2>
        {canWrite && (
          <Link to="new" className="button button--primary" data-testid="entry-new">
            {t('accounting.entries.new')}
          </Link>
        )}
      </div>
      <form
        className="filter-bar"
        role="search"
        aria-label={t('accounting.entries.filters')}
        onSubmit={(event) => event.preventDefault()}
      >
        <label className="field">
          <span>{t('accounting.entries.fiscalYear')}</span>
          <select
            value={filters.fiscalYearId}
            onChange={(event) => setFilter('fiscalYearId', event.target.value)}
          >
            <option value="">{t('accounting.entries.all')}</option>
            {fiscalYears.data?.map((year) => (
              <option key={year.id} value={year.id}>
                {t('accounting.fiscalYears.range', {
                  start: day(year.startDate),
                  end: day(year.endDate),
                })}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('accounting.entries.journal')}</span>
          <select
            value={filters.journal}
            onChange={(event) => setFilter('journal', event.target.value)}
          >
            <option value="">{t('accounting.entries.all')}</option>
            {journals.data?.map((journal) => (
              <option key={journal.code} value={journal.code}>
                {journal.code} – {journal.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('accounting.entries.statusLabel')}</span>
          <select
            value={filters.status}
            onChange={(event) => setFilter('status', event.target.value)}
          >
            <option value="">{t('accounting.entries.all')}</option>
            {ENTRY_STATUSES.map((entryStatus) => (
              <option key={entryStatus} value={entryStatus}>
                {t(`accounting.entries.status.${entryStatus}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('accounting.entries.from')}</span>
          <input
            type="date"
            value={filters.from}
            onChange={(event) => setFilter('from', event.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('accounting.entries.to')}</span>
          <input
            type="date"
            value={filters.to}
            onChange={(event) => setFilter('to', event.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('accounting.entries.account')}</span>
          <input
            type="text"
            inputMode="numeric"
            value={filters.account}
            onChange={(event) => setFilter('account', event.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('accounting.entries.search')}</span>
          <input
            type="search"
            value={filters.search}
            onChange={(event) => setFilter('search', event.target.value)}
          />
        </label>
      </form>
      <ResourceState resource={entries} />
      {entries.data?.items.length === 0 && <EmptyState>{t('accounting.entries.empty')}</EmptyState>}
      {entries.data && entries.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('accounting.entries.columns.date')}</th>
                <th scope="col">{t('accounting.entries.columns.number')}</th>
                <th scope="col">{t('accounting.entries.columns.journal')}</th>
                <th scope="col">{t('accounting.entries.columns.piece')}</th>
                <th scope="col">{t('accounting.entries.columns.label')}</th>
                <th scope="col" className="numeric">
                  {t('accounting.entries.columns.total')}
                </th>
                <th scope="col">{t('accounting.entries.columns.status')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.data.items.map((entry) => (
                <tr
                  key={entry.id}
                  className="table__row--link"
                  data-testid="entry-row"
                  tabIndex={0}
                  onClick={() => void open(entry.id)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') void open(entry.id);
                  }}
                >
                  <td className="nowrap">{day(entry.date)}</td>
                  <td data-testid="entry-number">{entry.number ?? t('common.none')}</td>
                  <td>{entry.journalCode}</td>
                  <td>{entry.pieceRef ?? t('common.none')}</td>
                  <td>
                    <Link to={`${entry.id}${query}`} onClick={(event) => event.stopPropagation()}>
                      {entry.label}
                    </Link>
                  </td>
                  <td className="numeric nowrap">
                    {formatMoney(entry.totalCents, entry.currency)}
                  </td>
                  <td>
                    <EntryStatusBadge entry={entry} />
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
