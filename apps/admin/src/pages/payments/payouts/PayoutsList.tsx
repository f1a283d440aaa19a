import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { payoutsApi, type PayoutFilters } from '../../../api/payments';
import { usePagedResource } from '../../../api/usePagedResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { EmptyState } from '../../../components/EmptyState';
import { Pagination } from '../../../components/Pagination';
import { ResourceState } from '../../../components/ResourceState';
import { formatMoney, useDayFormatter } from '../../accounting/money';
import { PayoutMismatchBadge, PayoutStatusBadge } from './PayoutStatusBadge';

type FilterKey = 'from' | 'to';

/** `payments/payouts`: the payouts Stripe made to the bank, newest first, between two days. */
export function PayoutsList() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters: Required<PayoutFilters> = {
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
  const key = `payouts:${organization.id}:${JSON.stringify(filters)}`;
  const payouts = usePagedResource(key, (page, signal) =>
    payoutsApi.list(organization.id, filters, page, signal),
  );
  const filtered = Boolean(filters.from || filters.to);

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
  const open = (payoutId: string) => navigate(`${payoutId}${query}`);
  const entries = `/orgs/${organization.id}/accounting/entries`;

  return (
    <section className="panel" aria-labelledby="payouts-list-title">
      <div className="panel__header">
        <h2 id="payouts-list-title">
          {t('payments.payouts.title')}
          {payouts.data && (
            <span className="heading-count" data-testid="payouts-total">
              {t('payments.payouts.total', { count: payouts.data.total })}
            </span>
          )}
        </h2>
      </div>
      <p className="muted">{t('payments.payouts.intro')}</p>
      <form
        className="filter-bar"
        role="search"
        aria-label={t('payments.payouts.filters')}
        onSubmit={(event) => event.preventDefault()}
      >
        {(['from', 'to'] as const).map((name) => (
          <label key={name} className="field">
            <span>{t(`payments.filters.${name}`)}</span>
            <input
              type="date"
              value={filters[name]}
              data-testid={`payouts-filter-${name}`}
              onChange={(event) => setFilter(name, event.target.value)}
            />
          </label>
        ))}
        {filtered && (
          <div className="filter-bar__actions">
            <button
              type="button"
              className="button button--small"
              data-testid="payouts-filter-reset"
              onClick={() => setParams(new URLSearchParams(), { replace: true })}
            >
              {t('payments.filters.reset')}
            </button>
          </div>
        )}
      </form>
      <ResourceState resource={payouts} />
      {payouts.data?.items.length === 0 && (
        <EmptyState>
          {filtered ? t('payments.payouts.noMatch') : t('payments.payouts.empty')}
        </EmptyState>
      )}
      {payouts.data && payouts.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="payouts-table">
            <caption className="visually-hidden">{t('payments.payouts.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('payments.payouts.columns.arrivalDate')}</th>
                <th scope="col">{t('payments.payouts.columns.stripeId')}</th>
                <th scope="col">{t('payments.payouts.columns.status')}</th>
                <th scope="col" className="numeric">
                  {t('payments.payouts.columns.amount')}
                </th>
                <th scope="col" className="numeric">
                  {t('payments.payouts.columns.items')}
                </th>
                <th scope="col">{t('payments.payouts.columns.entry')}</th>
              </tr>
            </thead>
            <tbody>
              {payouts.data.items.map((payout) => (
                <tr
                  key={payout.id}
                  className="table__row--link"
                  data-testid="payout-row"
                  data-payout-id={payout.id}
                  data-status={payout.status}
                  data-mismatch={payout.mismatch}
                  tabIndex={0}
                  onClick={() => void open(payout.id)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') void open(payout.id);
                  }}
                >
                  <td className="nowrap" data-testid="payout-arrival">
                    {day(payout.arrivalDate)}
                  </td>
                  <td>
                    <Link
                      to={`${payout.id}${query}`}
                      data-testid="payout-link"
                      onClick={(event) => event.stopPropagation()}
                    >
                      <code>{payout.stripePayoutId}</code>
                    </Link>
                    {payout.mismatch && (
                      <span className="cell-note">
                        <PayoutMismatchBadge />
                      </span>
                    )}
                  </td>
                  <td>
                    <PayoutStatusBadge status={payout.status} testId="payout-status" />
                  </td>
                  <td className="numeric nowrap" data-testid="payout-amount">
                    {formatMoney(payout.amountCents, payout.currency)}
                  </td>
                  <td className="numeric" data-testid="payout-item-count">
                    {payout.itemCount}
                  </td>
                  <td>
                    {payout.entryId ? (
                      <Link
                        to={`${entries}/${payout.entryId}`}
                        data-testid="payout-entry-link"
                        onClick={(event) => event.stopPropagation()}
                      >
                        {t('payments.detail.openEntry')}
                      </Link>
                    ) : (
                      t('payments.detail.noEntry')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {payouts.data && <Pagination page={payouts.data} onChange={payouts.setOffset} />}
    </section>
  );
}
