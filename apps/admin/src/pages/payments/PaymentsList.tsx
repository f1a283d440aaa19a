import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  PAYMENT_METHODS,
  PAYMENT_PROVIDERS,
  PAYMENT_PURPOSES,
  PAYMENT_STATUSES,
  type PaymentMethod,
  type PaymentProvider,
  type PaymentPurpose,
  type PaymentStatus,
  type PaymentView,
} from '@ruche/contracts';
import { paymentsApi, type PaymentFilters } from '../../api/payments';
import { usePagedResource } from '../../api/usePagedResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { EmptyState } from '../../components/EmptyState';
import { Pagination } from '../../components/Pagination';
import { ResourceState } from '../../components/ResourceState';
import { useFormatters } from '../../i18n/format';
import { PAYMENTS_COLLECT_PERMISSION } from '../../layout/navigation';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { PaymentStatusBadge } from './PaymentStatusBadge';
import { methodLabel, moneyOrNone } from './paymentLabels';

type FilterKey = 'status' | 'purpose' | 'provider' | 'method' | 'contactId' | 'from' | 'to';

const oneOf =
  <T extends string>(values: readonly T[]) =>
  (value: string): value is T =>
    values.some((candidate) => candidate === value);
const isStatus = oneOf<PaymentStatus>(PAYMENT_STATUSES);
const isPurpose = oneOf<PaymentPurpose>(PAYMENT_PURPOSES);
const isProvider = oneOf<PaymentProvider>(PAYMENT_PROVIDERS);
const isMethod = oneOf<PaymentMethod>(PAYMENT_METHODS);

/**
 * The payments, newest first, filtered from the URL (status, purpose, source, method, dates,
 * contact); "Enregistrer un paiement" for money received at the desk.
 */
export function PaymentsList() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const value = (key: FilterKey) => params.get(key) ?? '';
  const status = value('status');
  const purpose = value('purpose');
  const provider = value('provider');
  const method = value('method');
  const filters: PaymentFilters = {
    status: isStatus(status) ? status : '',
    purpose: isPurpose(purpose) ? purpose : '',
    provider: isProvider(provider) ? provider : '',
    method: isMethod(method) ? method : '',
    contactId: value('contactId'),
    from: value('from'),
    to: value('to'),
  };
  const key = `payments:${organization.id}:${JSON.stringify(filters)}`;
  const payments = usePagedResource(key, (page, signal) =>
    paymentsApi.list(organization.id, filters, page, signal),
  );
  const filtered = Object.values(filters).some(Boolean);

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
  const open = (paymentId: string) => navigate(`${paymentId}${query}`);
  /** The day the money came in, else the day the payment was asked. */
  const dateOf = (payment: PaymentView) =>
    payment.paidOn ? day(payment.paidOn) : format.date(payment.createdAt);

  const select = (
    name: 'status' | 'purpose' | 'provider' | 'method',
    current: string,
    values: readonly string[],
    labelKey: string,
  ) => (
    <label className="field">
      <span>{t(`payments.filters.${name}`)}</span>
      <select
        value={current}
        data-testid={`payments-filter-${name}`}
        onChange={(event) => setFilter(name, event.target.value)}
      >
        <option value="">{t('payments.filters.all')}</option>
        {values.map((option) => (
          <option key={option} value={option}>
            {t(`${labelKey}.${option}`)}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section className="panel" aria-labelledby="payments-list-title">
      <div className="panel__header">
        <h2 id="payments-list-title">
          {t('payments.list.title')}
          {payments.data && (
            <span className="heading-count" data-testid="payments-total">
              {t('payments.list.total', { count: payments.data.total })}
            </span>
          )}
        </h2>
        {organization.can(PAYMENTS_COLLECT_PERMISSION) && (
          <Link to="new" className="button button--primary" data-testid="payments-new-manual">
            {t('payments.manual.new')}
          </Link>
        )}
      </div>
      <form
        className="filter-bar"
        role="search"
        aria-label={t('payments.filters.label')}
        onSubmit={(event) => event.preventDefault()}
      >
        {select('status', filters.status ?? '', PAYMENT_STATUSES, 'payments.statuses')}
        {select('purpose', filters.purpose ?? '', PAYMENT_PURPOSES, 'payments.purposes')}
        {select('provider', filters.provider ?? '', PAYMENT_PROVIDERS, 'payments.providers')}
        {select('method', filters.method ?? '', PAYMENT_METHODS, 'memberships.payment.methods')}
        <label className="field">
          <span>{t('payments.filters.from')}</span>
          <input
            type="date"
            value={filters.from}
            data-testid="payments-filter-from"
            onChange={(event) => setFilter('from', event.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('payments.filters.to')}</span>
          <input
            type="date"
            value={filters.to}
            data-testid="payments-filter-to"
            onChange={(event) => setFilter('to', event.target.value)}
          />
        </label>
        {filtered && (
          <div className="filter-bar__actions">
            <button
              type="button"
              className="button button--small"
              data-testid="payments-filter-reset"
              onClick={() => setParams(new URLSearchParams(), { replace: true })}
            >
              {t('payments.filters.reset')}
            </button>
          </div>
        )}
      </form>
      {filters.contactId && (
        <p className="muted" data-testid="payments-contact-filter">
          {t('payments.filters.oneContact')}{' '}
          <button
            type="button"
            className="button button--small"
            onClick={() => setFilter('contactId', '')}
          >
            {t('payments.filters.allContacts')}
          </button>
        </p>
      )}
      <ResourceState resource={payments} />
      {payments.data?.items.length === 0 && (
        <EmptyState>{filtered ? t('payments.list.noMatch') : t('payments.list.empty')}</EmptyState>
      )}
      {payments.data && payments.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="payments-table">
            <caption className="visually-hidden">{t('payments.list.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('payments.columns.date')}</th>
                <th scope="col">{t('payments.columns.contact')}</th>
                <th scope="col">{t('payments.columns.label')}</th>
                <th scope="col">{t('payments.columns.method')}</th>
                <th scope="col">{t('payments.columns.status')}</th>
                <th scope="col" className="numeric">
                  {t('payments.columns.gross')}
                </th>
                <th scope="col" className="numeric">
                  {t('payments.columns.fee')}
                </th>
                <th scope="col" className="numeric">
                  {t('payments.columns.net')}
                </th>
              </tr>
            </thead>
            <tbody>
              {payments.data.items.map((payment) => (
                <tr
                  key={payment.id}
                  className="table__row--link"
                  data-testid="payment-row"
                  data-payment-id={payment.id}
                  data-status={payment.status}
                  tabIndex={0}
                  onClick={() => void open(payment.id)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') void open(payment.id);
                  }}
                >
                  <td className="nowrap" data-testid="payment-date">
                    {dateOf(payment)}
                  </td>
                  <td data-testid="payment-contact">
                    {payment.contactId ? (
                      <Link
                        to={`/orgs/${organization.id}/contacts/${payment.contactId}`}
                        onClick={(event) => event.stopPropagation()}
                      >
                        {payment.contactName ?? t('payments.detail.contactOpen')}
                      </Link>
                    ) : (
                      (payment.contactName ?? t('common.none'))
                    )}
                  </td>
                  <td>
                    <Link
                      to={`${payment.id}${query}`}
                      data-testid="payment-label"
                      onClick={(event) => event.stopPropagation()}
                    >
                      {payment.label}
                    </Link>
                    <span className="cell-note">
                      {t(`payments.purposes.${payment.purpose}`)} ·{' '}
                      {t(`payments.providers.${payment.provider}`)}
                    </span>
                  </td>
                  <td data-testid="payment-method">{methodLabel(t, payment.method)}</td>
                  <td>
                    <PaymentStatusBadge status={payment.status} testId="payment-status" />
                  </td>
                  <td className="numeric nowrap" data-testid="payment-gross">
                    {formatMoney(payment.amountCents, payment.currency)}
                  </td>
                  <td className="numeric nowrap" data-testid="payment-fee">
                    {moneyOrNone(payment.feeCents, payment.currency)}
                  </td>
                  <td className="numeric nowrap" data-testid="payment-net">
                    {moneyOrNone(payment.netCents, payment.currency)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {payments.data && <Pagination page={payments.data} onChange={payments.setOffset} />}
    </section>
  );
}
