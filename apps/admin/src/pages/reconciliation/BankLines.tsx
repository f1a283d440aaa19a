import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { BANK_LINE_STATUSES, type BankLineStatus, type BankLineView } from '@ruche/contracts';
import { reconciliationApi, type BankLineFilters } from '../../api/reconciliation';
import { usePagedResource } from '../../api/usePagedResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { DebouncedInput } from '../../components/DebouncedInput';
import { EmptyState } from '../../components/EmptyState';
import { Pagination } from '../../components/Pagination';
import { ResourceState } from '../../components/ResourceState';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { BankLineStatusBadge } from './BankLineStatusBadge';
import { formatIban } from './bankFormat';

type FilterKey = 'status' | 'from' | 'to' | 'q';

const isStatus = (value: string): value is BankLineStatus =>
  BANK_LINE_STATUSES.some((candidate) => candidate === value);
const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/**
 * The lines of a bank account, filtered from the URL (status, from, to, search), a page at a time;
 * `reload` after an import.
 */
export function useBankLines(bankAccountId: string) {
  const organization = useCurrentOrganization();
  const [params, setParams] = useSearchParams();
  const value = (key: FilterKey) => params.get(key) ?? '';
  const status = value('status');
  const from = value('from');
  const to = value('to');
  const filters: BankLineFilters = {
    status: isStatus(status) ? status : '',
    from: isDay(from) ? from : '',
    to: isDay(to) ? to : '',
    q: value('q'),
  };
  const key = `bank-lines:${organization.id}:${bankAccountId}:${JSON.stringify(filters)}`;
  const lines = usePagedResource(key, (page, signal) =>
    reconciliationApi.lines(organization.id, bankAccountId, filters, page, signal),
  );

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
  const resetFilters = () => setParams(new URLSearchParams(), { replace: true });

  return { filters, lines, setFilter, resetFilters };
}

/**
 * The reconciliation queue of a bank account: its statement lines (date, label, counterparty,
 * amount, status), credits and debits told apart, with their filters and pagination.
 */
export function BankLines({ queue }: { queue: ReturnType<typeof useBankLines> }) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const { filters, lines, setFilter, resetFilters } = queue;
  const filtered = Object.values(filters).some(Boolean);

  return (
    <section className="panel" aria-labelledby="bank-lines-title">
      <h2 id="bank-lines-title">
        {t('reconciliation.lines.title')}
        {lines.data && (
          <span className="heading-count" data-testid="bank-lines-total">
            {t('reconciliation.lines.total', { count: lines.data.total })}
          </span>
        )}
      </h2>
      <p className="muted">{t('reconciliation.lines.intro')}</p>
      <form
        className="filter-bar"
        role="search"
        aria-label={t('reconciliation.filters.label')}
        onSubmit={(event) => event.preventDefault()}
      >
        <label className="field filter-bar__search">
          <span>{t('reconciliation.filters.q')}</span>
          <DebouncedInput
            type="search"
            value={filters.q ?? ''}
            maxLength={100}
            placeholder={t('reconciliation.filters.qPlaceholder')}
            data-testid="bank-lines-filter-q"
            onChange={(next) => setFilter('q', next.trim())}
          />
        </label>
        <label className="field">
          <span>{t('reconciliation.filters.status')}</span>
          <select
            value={filters.status}
            data-testid="bank-lines-filter-status"
            onChange={(event) => setFilter('status', event.target.value)}
          >
            <option value="">{t('reconciliation.filters.all')}</option>
            {BANK_LINE_STATUSES.map((option) => (
              <option key={option} value={option}>
                {t(`reconciliation.lineStatuses.${option}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('reconciliation.filters.from')}</span>
          <input
            type="date"
            value={filters.from}
            max={filters.to || undefined}
            data-testid="bank-lines-filter-from"
            onChange={(event) => setFilter('from', event.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('reconciliation.filters.to')}</span>
          <input
            type="date"
            value={filters.to}
            min={filters.from || undefined}
            data-testid="bank-lines-filter-to"
            onChange={(event) => setFilter('to', event.target.value)}
          />
        </label>
        {filtered && (
          <div className="filter-bar__actions">
            <button
              type="button"
              className="button button--small"
              data-testid="bank-lines-filter-reset"
              onClick={resetFilters}
            >
              {t('reconciliation.filters.reset')}
            </button>
          </div>
        )}
      </form>
      <ResourceState resource={lines} />
      {lines.data?.items.length === 0 && (
        <EmptyState>
          {filtered ? t('reconciliation.lines.noMatch') : t('reconciliation.lines.empty')}
        </EmptyState>
      )}
      {lines.data && lines.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="bank-lines-table">
            <caption className="visually-hidden">{t('reconciliation.lines.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reconciliation.lines.columns.date')}</th>
                <th scope="col">{t('reconciliation.lines.columns.label')}</th>
                <th scope="col">{t('reconciliation.lines.columns.counterparty')}</th>
                <th scope="col" className="numeric">
                  {t('reconciliation.lines.columns.amount')}
                </th>
                <th scope="col">{t('reconciliation.lines.columns.status')}</th>
              </tr>
            </thead>
            <tbody>
              {lines.data.items.map((line) => (
                <BankLineRow key={line.id} line={line} day={day} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {lines.data && <Pagination page={lines.data} onChange={lines.setOffset} />}
    </section>
  );
}

function BankLineRow({ line, day }: { line: BankLineView; day: (value: string | null) => string }) {
  const { t } = useTranslation();
  const credit = line.amountCents >= 0;
  const reference = line.bankReference ?? line.endToEndId ?? line.structuredReference;
  return (
    <tr
      data-testid="bank-line-row"
      data-line-id={line.id}
      data-status={line.status}
      data-direction={credit ? 'credit' : 'debit'}
    >
      <td className="nowrap" data-testid="bank-line-date">
        {day(line.bookingDate)}
        {line.valueDate && line.valueDate !== line.bookingDate && (
          <span className="cell-note">
            {t('reconciliation.lines.valueDate', { date: day(line.valueDate) })}
          </span>
        )}
      </td>
      <td data-testid="bank-line-label">
        {line.label}
        {reference && (
          <span className="cell-note">{t('reconciliation.lines.reference', { reference })}</span>
        )}
      </td>
      <td data-testid="bank-line-counterparty">
        {line.counterpartyName ?? (line.counterpartyIban ? '' : t('common.none'))}
        {line.counterpartyIban && (
          <span className="cell-note">{formatIban(line.counterpartyIban)}</span>
        )}
      </td>
      <td
        className={`numeric nowrap amount ${credit ? 'amount--credit' : 'amount--debit'}`}
        data-testid="bank-line-amount"
        title={credit ? t('reconciliation.lines.credit') : t('reconciliation.lines.debit')}
      >
        {credit && line.amountCents > 0 ? '+' : ''}
        {formatMoney(line.amountCents, line.currency)}
      </td>
      <td>
        <BankLineStatusBadge status={line.status} testId="bank-line-status" />
      </td>
    </tr>
  );
}
