import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  INVOICE_KINDS,
  INVOICE_STATUSES,
  type InvoiceKind,
  type InvoiceStatus,
  type InvoiceView,
} from '@ruche/contracts';
import { invoiceDownloads, invoicesApi, type InvoiceFilters } from '../../api/invoices';
import { usePagedResource } from '../../api/usePagedResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { DebouncedInput } from '../../components/DebouncedInput';
import { EmptyState } from '../../components/EmptyState';
import { Pagination } from '../../components/Pagination';
import { ResourceState } from '../../components/ResourceState';
import { YearSelect } from '../../components/YearSelect';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { InvoiceStateBadge } from './InvoiceBadges';

type FilterKey = 'year' | 'kind' | 'status' | 'q' | 'contactId' | 'paymentId' | 'sourceId';

const isKind = (value: string): value is InvoiceKind => INVOICE_KINDS.some((k) => k === value);
const isStatus = (value: string): value is InvoiceStatus =>
  INVOICE_STATUSES.some((s) => s === value);

/** A credit note's amount is printed negative, as on its PDF. */
const signedCents = (invoice: InvoiceView) =>
  invoice.kind === 'credit_note' ? -invoice.totalCents : invoice.totalCents;

/**
 * `invoices`: the invoices (factures) issued for memberships with counterparts and the credit
 * notes (avoirs) of their refunds, filtered from the URL (year, kind, status, search, member,
 * payment, membership), each with its PDF as issued.
 */
export function InvoicesPage() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const [params, setParams] = useSearchParams();
  const value = (key: FilterKey) => params.get(key) ?? '';
  const kind = value('kind');
  const status = value('status');
  const filters: InvoiceFilters = {
    year: value('year'),
    kind: isKind(kind) ? kind : '',
    status: isStatus(status) ? status : '',
    q: value('q'),
    contactId: value('contactId'),
    paymentId: value('paymentId'),
    sourceId: value('sourceId'),
  };
  const key = `invoices:${organization.id}:${JSON.stringify(filters)}`;
  const invoices = usePagedResource(key, (page, signal) =>
    invoicesApi.list(organization.id, filters, page, signal),
  );
  const filtered = Object.values(filters).some(Boolean);
  const narrowed = Boolean(filters.contactId || filters.paymentId || filters.sourceId);

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

  return (
    <>
      <header className="page-header">
        <p className="page-header__eyebrow">{organization.name}</p>
        <h1 data-testid="invoices-title">{t('invoices.title')}</h1>
      </header>
      <p className="button-row button-row--end">
        <Link
          to={`/orgs/${organization.id}/settings/invoices`}
          data-testid="invoices-settings-link"
        >
          {t('invoices.settingsLink')}
        </Link>
      </p>
      <section className="panel" aria-labelledby="invoices-list-title">
        <div className="panel__header">
          <h2 id="invoices-list-title">
            {t('invoices.list.title')}
            {invoices.data && (
              <span className="heading-count" data-testid="invoices-total">
                {t('invoices.list.total', { count: invoices.data.total })}
              </span>
            )}
          </h2>
        </div>
        <p className="muted">{t('invoices.list.intro')}</p>
        <form
          className="filter-bar"
          role="search"
          aria-label={t('invoices.filters.label')}
          onSubmit={(event) => event.preventDefault()}
        >
          <label className="field filter-bar__search">
            <span>{t('invoices.filters.q')}</span>
            <DebouncedInput
              type="search"
              value={filters.q ?? ''}
              placeholder={t('invoices.filters.qPlaceholder')}
              data-testid="invoices-filter-q"
              onChange={(next) => setFilter('q', next.trim())}
            />
          </label>
          <YearSelect
            label={t('invoices.filters.year')}
            value={filters.year ?? ''}
            allLabel={t('invoices.filters.allYears')}
            testId="invoices-filter-year"
            onChange={(next) => setFilter('year', next)}
          />
          <label className="field">
            <span>{t('invoices.filters.kind')}</span>
            <select
              value={filters.kind}
              data-testid="invoices-filter-kind"
              onChange={(event) => setFilter('kind', event.target.value)}
            >
              <option value="">{t('invoices.filters.all')}</option>
              {INVOICE_KINDS.map((option) => (
                <option key={option} value={option}>
                  {t(`invoices.kinds.${option}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('invoices.filters.status')}</span>
            <select
              value={filters.status}
              data-testid="invoices-filter-status"
              onChange={(event) => setFilter('status', event.target.value)}
            >
              <option value="">{t('invoices.filters.all')}</option>
              {INVOICE_STATUSES.map((option) => (
                <option key={option} value={option}>
                  {t(`invoices.statuses.${option}`)}
                </option>
              ))}
            </select>
          </label>
          {filtered && (
            <div className="filter-bar__actions">
              <button
                type="button"
                className="button button--small"
                data-testid="invoices-filter-reset"
                onClick={() => setParams(new URLSearchParams(), { replace: true })}
              >
                {t('invoices.filters.reset')}
              </button>
            </div>
          )}
        </form>
        {narrowed && (
          <p className="muted" data-testid="invoices-narrowed">
            {t('invoices.filters.narrowed')}{' '}
            <button
              type="button"
              className="button button--small"
              onClick={() =>
                setParams(
                  (previous) => {
                    const updated = new URLSearchParams(previous);
                    for (const name of ['contactId', 'paymentId', 'sourceId']) updated.delete(name);
                    return updated;
                  },
                  { replace: true },
                )
              }
            >
              {t('invoices.filters.allInvoices')}
            </button>
          </p>
        )}
        <ResourceState resource={invoices} />
        {invoices.data?.items.length === 0 && (
          <EmptyState>
            {filtered ? t('invoices.list.noMatch') : t('invoices.list.empty')}
          </EmptyState>
        )}
        {invoices.data && invoices.data.items.length > 0 && (
          <div className="table-wrap">
            <table className="table" data-testid="invoices-table">
              <caption className="visually-hidden">{t('invoices.list.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('invoices.columns.reference')}</th>
                  <th scope="col">{t('invoices.columns.issuedOn')}</th>
                  <th scope="col">{t('invoices.columns.member')}</th>
                  <th scope="col">{t('invoices.columns.description')}</th>
                  <th scope="col" className="numeric">
                    {t('invoices.columns.amount')}
                  </th>
                  <th scope="col">{t('invoices.columns.status')}</th>
                  <th scope="col">{t('invoices.columns.pdf')}</th>
                </tr>
              </thead>
              <tbody>
                {invoices.data.items.map((invoice) => (
                  <tr
                    key={invoice.id}
                    data-testid="invoice-row"
                    data-invoice-id={invoice.id}
                    data-kind={invoice.kind}
                    data-status={invoice.status}
                  >
                    <td className="nowrap" data-testid="invoice-reference">
                      {invoice.reference}
                      {invoice.creditedInvoiceReference && (
                        <span className="cell-note" data-testid="invoice-credits">
                          {t('invoices.list.credits', {
                            reference: invoice.creditedInvoiceReference,
                          })}
                        </span>
                      )}
                      {invoice.creditNotes.map((note) => (
                        <span key={note.id} className="cell-note" data-testid="invoice-credit-note">
                          {t('invoices.list.creditedBy', {
                            reference: note.reference,
                            amount: formatMoney(note.totalCents, invoice.currency),
                          })}
                        </span>
                      ))}
                    </td>
                    <td className="nowrap">{day(invoice.issuedOn)}</td>
                    <td>
                      <Link to={`/orgs/${organization.id}/contacts/${invoice.contactId}`}>
                        {invoice.buyerName}
                      </Link>
                      {invoice.memberReference && (
                        <span className="cell-note">{invoice.memberReference}</span>
                      )}
                    </td>
                    <td>
                      {invoice.lines.map((line) => line.description).join(' ; ')}
                      <span className="cell-note">
                        <Link
                          to={`/orgs/${organization.id}/payments/${invoice.paymentId}`}
                          data-testid="invoice-payment-link"
                        >
                          {t('invoices.list.openPayment')}
                        </Link>
                      </span>
                    </td>
                    <td className="numeric nowrap" data-testid="invoice-amount">
                      {formatMoney(signedCents(invoice), invoice.currency)}
                    </td>
                    <td>
                      <InvoiceStateBadge invoice={invoice} testId="invoice-state" />
                    </td>
                    <td>
                      <a
                        className="button button--small"
                        href={invoiceDownloads.pdf(organization.id, invoice.id)}
                        download
                        aria-label={t('invoices.list.downloadOf', {
                          reference: invoice.reference,
                        })}
                        data-testid="invoice-pdf"
                      >
                        {t('invoices.list.download')}
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {invoices.data && <Pagination page={invoices.data} onChange={invoices.setOffset} />}
      </section>
    </>
  );
}
