import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { RECEIPT_STATUSES, type ReceiptStatus } from '@ruche/contracts';
import { receiptDownloads, receiptsApi, type ReceiptFilters } from '../../api/receipts';
import { usePagedResource } from '../../api/usePagedResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { DebouncedInput } from '../../components/DebouncedInput';
import { EmptyState } from '../../components/EmptyState';
import { Pagination } from '../../components/Pagination';
import { ResourceState } from '../../components/ResourceState';
import { currentYear, YearSelect } from '../../components/YearSelect';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { ReceiptEmailBadge, ReceiptStatusBadge } from './ReceiptBadges';

type FilterKey = 'year' | 'status' | 'q' | 'contactId';

const isStatus = (value: string): value is ReceiptStatus =>
  RECEIPT_STATUSES.some((status) => status === value);

/**
 * `receipts`: the register of the receipts issued (numbered, cancelled ones kept), filtered from
 * the URL (year, status, search, donor), with the year's register as CSV or PDF.
 */
export function ReceiptsRegister() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const value = (key: FilterKey) => params.get(key) ?? '';
  const status = value('status');
  const filters: ReceiptFilters = {
    year: value('year'),
    status: isStatus(status) ? status : '',
    q: value('q'),
    contactId: value('contactId'),
  };
  const key = `receipts:${organization.id}:${JSON.stringify(filters)}`;
  const receipts = usePagedResource(key, (page, signal) =>
    receiptsApi.list(organization.id, filters, page, signal),
  );
  const filtered = Object.values(filters).some(Boolean);
  /** The exports are for one year: the one chosen, else this year. */
  const exportYear = filters.year ? Number(filters.year) : currentYear();

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
  const open = (receiptId: string) => navigate(`${receiptId}${query}`);

  return (
    <section className="panel" aria-labelledby="receipts-register-title">
      <div className="panel__header">
        <h2 id="receipts-register-title">
          {t('receipts.register.title')}
          {receipts.data && (
            <span className="heading-count" data-testid="receipts-total">
              {t('receipts.register.total', { count: receipts.data.total })}
            </span>
          )}
        </h2>
        <div
          className="button-row"
          role="group"
          aria-label={t('receipts.register.exportLabel', { year: exportYear })}
        >
          <a
            className="button"
            href={receiptDownloads.registerCsv(organization.id, exportYear)}
            download
            data-testid="receipts-export-csv"
          >
            {t('receipts.register.exportCsv', { year: exportYear })}
          </a>
          <a
            className="button"
            href={receiptDownloads.registerPdf(organization.id, exportYear)}
            target="_blank"
            rel="noreferrer"
            data-testid="receipts-export-pdf"
          >
            {t('receipts.register.exportPdf', { year: exportYear })}{' '}
            <span className="visually-hidden">({t('common.newTab')})</span>
          </a>
        </div>
      </div>
      <p className="muted">{t('receipts.register.intro')}</p>
      <form
        className="filter-bar"
        role="search"
        aria-label={t('receipts.filters.label')}
        onSubmit={(event) => event.preventDefault()}
      >
        <label className="field filter-bar__search">
          <span>{t('receipts.filters.q')}</span>
          <DebouncedInput
            type="search"
            value={filters.q ?? ''}
            placeholder={t('receipts.filters.qPlaceholder')}
            data-testid="receipts-filter-q"
            onChange={(next) => setFilter('q', next.trim())}
          />
        </label>
        <YearSelect
          label={t('receipts.filters.year')}
          value={filters.year ?? ''}
          allLabel={t('receipts.filters.allYears')}
          testId="receipts-filter-year"
          onChange={(next) => setFilter('year', next)}
        />
        <label className="field">
          <span>{t('receipts.filters.status')}</span>
          <select
            value={filters.status}
            data-testid="receipts-filter-status"
            onChange={(event) => setFilter('status', event.target.value)}
          >
            <option value="">{t('receipts.filters.all')}</option>
            {RECEIPT_STATUSES.map((option) => (
              <option key={option} value={option}>
                {t(`receipts.statuses.${option}`)}
              </option>
            ))}
          </select>
        </label>
        {filtered && (
          <div className="filter-bar__actions">
            <button
              type="button"
              className="button button--small"
              data-testid="receipts-filter-reset"
              onClick={() => setParams(new URLSearchParams(), { replace: true })}
            >
              {t('receipts.filters.reset')}
            </button>
          </div>
        )}
      </form>
      {filters.contactId && (
        <p className="muted" data-testid="receipts-contact-filter">
          {t('receipts.filters.oneContact')}{' '}
          <button
            type="button"
            className="button button--small"
            onClick={() => setFilter('contactId', '')}
          >
            {t('receipts.filters.allContacts')}
          </button>
        </p>
      )}
      <ResourceState resource={receipts} />
      {receipts.data?.items.length === 0 && (
        <EmptyState>
          {filtered ? t('receipts.register.noMatch') : t('receipts.register.empty')}
        </EmptyState>
      )}
      {receipts.data && receipts.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="receipts-table">
            <caption className="visually-hidden">{t('receipts.register.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('receipts.columns.reference')}</th>
                <th scope="col">{t('receipts.columns.issuedOn')}</th>
                <th scope="col">{t('receipts.columns.donor')}</th>
                <th scope="col">{t('receipts.columns.kind')}</th>
                <th scope="col">{t('receipts.columns.status')}</th>
                <th scope="col">{t('receipts.columns.email')}</th>
                <th scope="col" className="numeric">
                  {t('receipts.columns.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {receipts.data.items.map((receipt) => (
                <tr
                  key={receipt.id}
                  className="table__row--link"
                  data-testid="receipt-row"
                  data-receipt-id={receipt.id}
                  data-status={receipt.status}
                  tabIndex={0}
                  onClick={() => void open(receipt.id)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') void open(receipt.id);
                  }}
                >
                  <td className="nowrap">
                    <Link
                      to={`${receipt.id}${query}`}
                      data-testid="receipt-reference"
                      onClick={(event) => event.stopPropagation()}
                    >
                      {receipt.reference}
                    </Link>
                    {receipt.replacesReference && (
                      <span className="cell-note">
                        {t('receipts.register.replaces', { reference: receipt.replacesReference })}
                      </span>
                    )}
                  </td>
                  <td className="nowrap" data-testid="receipt-date">
                    {day(receipt.issuedOn)}
                  </td>
                  <td data-testid="receipt-donor">
                    <Link
                      to={`/orgs/${organization.id}/contacts/${receipt.contactId}`}
                      onClick={(event) => event.stopPropagation()}
                    >
                      {receipt.donorName}
                    </Link>
                  </td>
                  <td data-testid="receipt-kind">
                    {t(`receipts.kinds.${receipt.kind}`)}
                    <span className="cell-note">
                      {t('receipts.register.model', { model: receipt.model })}
                    </span>
                  </td>
                  <td>
                    <ReceiptStatusBadge status={receipt.status} testId="receipt-status" />
                    {receipt.replacedByReference && (
                      <span className="cell-note">
                        {t('receipts.register.replacedBy', {
                          reference: receipt.replacedByReference,
                        })}
                      </span>
                    )}
                  </td>
                  <td>
                    <ReceiptEmailBadge email={receipt.email} testId="receipt-email" />
                  </td>
                  <td className="numeric nowrap" data-testid="receipt-amount">
                    {formatMoney(receipt.amountCents, receipt.currency)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {receipts.data && <Pagination page={receipts.data} onChange={receipts.setOffset} />}
    </section>
  );
}
