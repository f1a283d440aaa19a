import type { ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { payoutsApi } from '../../../api/payments';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { EmptyState } from '../../../components/EmptyState';
import { ResourceState } from '../../../components/ResourceState';
import { formatMoney, useDayFormatter } from '../../accounting/money';
import { stripeLabel } from '../paymentLabels';
import { PayoutMismatchBadge, PayoutStatusBadge } from './PayoutStatusBadge';

/**
 * `payments/payouts/:payoutId`: a payout Stripe made to the bank, its entry, and every balance
 * transaction it settled (payments, refunds, disputes, fees), each payment linked to its page.
 */
export function PayoutDetailPage() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const [params] = useSearchParams();
  const { payoutId = '' } = useParams();
  const payout = useResource(`payout:${organization.id}:${payoutId}`, (signal) =>
    payoutsApi.get(organization.id, payoutId, signal),
  );
  const back = `..${params.size > 0 ? `?${params.toString()}` : ''}`;
  const data = payout.data;
  const base = `/orgs/${organization.id}`;

  const row = (label: string, value: ReactNode, testId?: string) => (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </>
  );
  const entryLink = (entryId: string | null, testId: string) =>
    entryId ? (
      <Link to={`${base}/accounting/entries/${entryId}`} data-testid={testId}>
        {t('payments.detail.openEntry')}
      </Link>
    ) : (
      t('payments.detail.noEntry')
    );

  return (
    <section className="panel" aria-labelledby="payout-title" data-testid="payout-detail">
      <p>
        <Link to={back} relative="path" data-testid="payout-back">
          ← {t('payments.payouts.backToList')}
        </Link>
      </p>
      <ResourceState resource={payout} />
      {data && (
        <>
          <div className="panel__header">
            <h2 id="payout-title">
              {t('payments.payouts.detailTitle', {
                amount: formatMoney(data.amountCents, data.currency),
                day: day(data.arrivalDate),
              })}{' '}
              <PayoutStatusBadge status={data.status} testId="payout-detail-status" />
            </h2>
            <button type="button" className="button button--small" onClick={payout.reload}>
              {t('payments.detail.refresh')}
            </button>
          </div>
          {data.mismatch && (
            <Alert kind="warning">
              <PayoutMismatchBadge />{' '}
              <span data-testid="payout-mismatch-detail">
                {t('payments.payouts.mismatchDetail', {
                  items: formatMoney(data.itemsNetCents, data.currency),
                  amount: formatMoney(data.amountCents, data.currency),
                })}
              </span>
            </Alert>
          )}
          {data.failureMessage && (
            <Alert kind="error">
              <span data-testid="payout-failure">
                {t('payments.payouts.failure', { message: data.failureMessage })}
              </span>
            </Alert>
          )}
          <div className="detail-columns">
            <dl className="details">
              {row(
                t('payments.payouts.columns.amount'),
                formatMoney(data.amountCents, data.currency),
                'payout-detail-amount',
              )}
              {row(
                t('payments.payouts.itemsNet'),
                formatMoney(data.itemsNetCents, data.currency),
                'payout-detail-items-net',
              )}
              {row(t('payments.payouts.columns.items'), data.itemCount, 'payout-detail-count')}
              {row(
                t('payments.payouts.columns.arrivalDate'),
                day(data.arrivalDate),
                'payout-detail-arrival',
              )}
              {row(
                t('payments.payouts.statementDescriptor'),
                data.statementDescriptor ?? t('common.none'),
              )}
            </dl>
            <dl className="details">
              {row(
                t('payments.payouts.columns.stripeId'),
                <code>{data.stripePayoutId}</code>,
                'payout-detail-stripe-id',
              )}
              {row(
                t('payments.payouts.columns.entry'),
                entryLink(data.entryId, 'payout-detail-entry-link'),
                'payout-detail-entry',
              )}
              {data.reversalEntryId &&
                row(
                  t('payments.payouts.reversalEntry'),
                  entryLink(data.reversalEntryId, 'payout-detail-reversal-link'),
                  'payout-detail-reversal',
                )}
              {row(t('payments.detail.id'), <code>{data.id}</code>)}
            </dl>
          </div>
          <h3 id="payout-items-title">{t('payments.payouts.items.title')}</h3>
          {data.items.length === 0 ? (
            <EmptyState>{t('payments.payouts.items.empty')}</EmptyState>
          ) : (
            <div className="table-wrap">
              <table
                className="table"
                aria-labelledby="payout-items-title"
                data-testid="payout-items"
              >
                <thead>
                  <tr>
                    <th scope="col">{t('payments.payouts.items.balanceTransaction')}</th>
                    <th scope="col">{t('payments.payouts.items.type')}</th>
                    <th scope="col">{t('payments.payouts.items.source')}</th>
                    <th scope="col">{t('payments.payouts.items.payment')}</th>
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
                  {data.items.map((item) => (
                    <tr
                      key={item.balanceTransactionId}
                      data-testid="payout-item-row"
                      data-category={item.reportingCategory}
                    >
                      <td>
                        <code>{item.balanceTransactionId}</code>
                      </td>
                      <td>
                        {stripeLabel(t, 'payments.payouts.categories', item.reportingCategory)}
                        <span className="cell-note">
                          {stripeLabel(t, 'payments.payouts.types', item.type)}
                        </span>
                      </td>
                      <td>{item.source ? <code>{item.source}</code> : t('common.none')}</td>
                      <td>
                        {item.paymentId ? (
                          <Link
                            to={`${base}/payments/${item.paymentId}`}
                            data-testid="payout-item-payment-link"
                          >
                            {item.paymentLabel ?? t('payments.payouts.items.openPayment')}
                          </Link>
                        ) : (
                          t('common.none')
                        )}
                      </td>
                      <td className="numeric nowrap">
                        {formatMoney(item.amountCents, data.currency)}
                      </td>
                      <td className="numeric nowrap">
                        {formatMoney(item.feeCents, data.currency)}
                      </td>
                      <td className="numeric nowrap" data-testid="payout-item-net">
                        {formatMoney(item.netCents, data.currency)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
