import { Fragment, useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { PaymentView } from '@ruche/contracts';
import { paymentsApi } from '../../api/payments';
import { useResource } from '../../api/useResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { Alert } from '../../components/Alert';
import { Badge } from '../../components/Badge';
import { EmptyState } from '../../components/EmptyState';
import { ResourceState } from '../../components/ResourceState';
import { useFormatters } from '../../i18n/format';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { PaymentInvoices } from '../invoices/PaymentInvoices';
import { PaymentDisputes, PaymentRefunds } from './PaymentSettlements';
import { PaymentStatusBadge } from './PaymentStatusBadge';
import { RefundForm } from './RefundForm';
import { methodLabel, moneyOrNone } from './paymentLabels';

/** Stripe's own page of a payment, in the dashboard of the right mode. */
function stripeDashboardUrl(stripe: NonNullable<PaymentView['stripe']>): string | null {
  if (!stripe.paymentIntentId) return null;
  const mode = stripe.livemode === false ? 'test/' : '';
  return `https://dashboard.stripe.com/${mode}payments/${encodeURIComponent(stripe.paymentIntentId)}`;
}

/** `payments/:paymentId`: every field of a payment, its Stripe ids, its entry and its history. */
export function PaymentDetailPage() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const [params] = useSearchParams();
  const { paymentId = '' } = useParams();
  const payment = useResource(`payment:${organization.id}:${paymentId}`, (signal) =>
    paymentsApi.get(organization.id, paymentId, signal),
  );
  const [refunded, setRefunded] = useState<string | null>(null);
  const back = `..${params.size > 0 ? `?${params.toString()}` : ''}`;
  const data = payment.data;
  const base = `/orgs/${organization.id}`;
  /** Online: Stripe gives the money back. At the desk: the refund is recorded and posted at once. */
  const refundable =
    data !== undefined &&
    data.refundableCents > 0 &&
    organization.can('payments.refund');

  const row = (label: string, value: ReactNode, testId?: string) => (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </>
  );
  const code = (value: string | null) => (value ? <code>{value}</code> : t('common.none'));

  return (
    <section className="panel" aria-labelledby="payment-title" data-testid="payment-detail">
      <p>
        <Link to={back} relative="path" data-testid="payment-back">
          ← {t('payments.detail.backToList')}
        </Link>
      </p>
      <ResourceState resource={payment} />
      {data && (
        <>
          <div className="panel__header">
            <h2 id="payment-title">
              {data.label}{' '}
              <PaymentStatusBadge status={data.status} testId="payment-detail-status" />
            </h2>
            <button type="button" className="button button--small" onClick={payment.reload}>
              {t('payments.detail.refresh')}
            </button>
          </div>
          <div className="detail-columns">
            <dl className="details">
              {row(
                t('payments.detail.amount'),
                formatMoney(data.amountCents, data.currency),
                'payment-detail-gross',
              )}
              {row(
                t('payments.detail.fee'),
                moneyOrNone(data.feeCents, data.currency),
                'payment-detail-fee',
              )}
              {row(
                t('payments.detail.net'),
                moneyOrNone(data.netCents, data.currency),
                'payment-detail-net',
              )}
              {(data.refundedCents > 0 || data.refunds.length > 0) &&
                row(
                  t('payments.detail.refunded'),
                  formatMoney(data.refundedCents, data.currency),
                  'payment-detail-refunded',
                )}
              {row(t('payments.detail.currency'), data.currency)}
              {row(t('payments.detail.paidOn'), day(data.paidOn), 'payment-detail-paid-on')}
              {row(t('payments.detail.availableOn'), day(data.availableOn))}
              {row(t('payments.detail.createdAt'), format.dateTime(data.createdAt))}
            </dl>
            <dl className="details">
              {row(
                t('payments.detail.contact'),
                data.contactId ? (
                  <Link
                    to={`${base}/contacts/${data.contactId}`}
                    data-testid="payment-detail-contact-link"
                  >
                    {data.contactName ?? t('payments.detail.contactOpen')}
                  </Link>
                ) : (
                  (data.contactName ?? t('common.none'))
                ),
                'payment-detail-contact',
              )}
              {row(
                t('payments.detail.purpose'),
                <>
                  {t(`payments.purposes.${data.purpose}`)}
                  {data.purposeId && <span className="cell-note">{data.purposeId}</span>}
                </>,
                'payment-detail-purpose',
              )}
              {row(
                t('payments.detail.provider'),
                t(`payments.providers.${data.provider}`),
                'payment-detail-provider',
              )}
              {row(
                t('payments.detail.method'),
                methodLabel(t, data.method),
                'payment-detail-method',
              )}
              {data.reference !== null &&
                row(t('payments.detail.reference'), data.reference, 'payment-detail-reference')}
              {data.subscriptionId !== null &&
                row(
                  t('payments.detail.subscription'),
                  <>
                    {t('payments.detail.bySubscription')}
                    <span className="cell-note">
                      <code>{data.subscriptionId}</code>
                    </span>
                  </>,
                  'payment-detail-subscription',
                )}
              {row(
                t('payments.detail.entry'),
                data.entryId ? (
                  <Link
                    to={`${base}/accounting/entries/${data.entryId}`}
                    data-testid="payment-detail-entry-link"
                  >
                    {t('payments.detail.openEntry')}
                  </Link>
                ) : (
                  t('payments.detail.noEntry')
                ),
                'payment-detail-entry',
              )}
              {row(t('payments.detail.id'), code(data.id))}
            </dl>
          </div>
          {data.cheque && <ChequeDetails cheque={data.cheque} />}
          {refunded && (
            <Alert kind="success">
              <span data-testid="payment-refund-done">{refunded}</span>
            </Alert>
          )}
          {refundable && (
            <RefundForm
              key={`${data.id}-${data.refundableCents}`}
              payment={data}
              onRefunded={(amountCents, updated) => {
                setRefunded(
                  t('payments.refund.done', {
                    amount: formatMoney(amountCents, updated.currency),
                  }),
                );
                payment.reload();
              }}
            />
          )}
          <PaymentRefunds refunds={data.refunds} />
          <PaymentDisputes disputes={data.disputes} />
          {data.purpose === 'membership' && <PaymentInvoices paymentId={data.id} />}
          {data.stripe && <StripeIds stripe={data.stripe} />}
          <h3 id="payment-history-title">{t('payments.detail.history')}</h3>
          {data.history.length === 0 ? (
            <EmptyState>{t('payments.detail.noHistory')}</EmptyState>
          ) : (
            <div className="table-wrap">
              <table
                className="table"
                aria-labelledby="payment-history-title"
                data-testid="payment-history"
              >
                <thead>
                  <tr>
                    <th scope="col">{t('payments.history.at')}</th>
                    <th scope="col">{t('payments.history.status')}</th>
                    <th scope="col">{t('payments.history.cause')}</th>
                    <th scope="col">{t('payments.history.note')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.history.map((change, index) => (
                    <tr key={`${change.at}-${index}`} data-testid="payment-history-row">
                      <td className="nowrap">{format.dateTime(change.at)}</td>
                      <td>
                        <PaymentStatusBadge status={change.status} />
                      </td>
                      <td>
                        {t(`payments.causes.${change.cause}`, { defaultValue: '' }) || (
                          <code>{change.cause}</code>
                        )}
                      </td>
                      <td>{change.note ?? t('common.none')}</td>
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

/** A cheque's number, bank and drawer, and the deposit slip that took it to the bank (or not yet). */
function ChequeDetails({ cheque }: { cheque: NonNullable<PaymentView['cheque']> }) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const none = t('common.none');
  return (
    <>
      <h3 id="payment-cheque-title">{t('payments.detail.cheque.title')}</h3>
      <dl
        className="details"
        aria-labelledby="payment-cheque-title"
        data-testid="payment-detail-cheque"
      >
        <dt>{t('payments.detail.cheque.number')}</dt>
        <dd data-testid="payment-cheque-number">{cheque.number ?? none}</dd>
        <dt>{t('payments.detail.cheque.bank')}</dt>
        <dd data-testid="payment-cheque-bank">{cheque.bank ?? none}</dd>
        <dt>{t('payments.detail.cheque.drawer')}</dt>
        <dd data-testid="payment-cheque-drawer">{cheque.drawer ?? none}</dd>
        <dt>{t('payments.detail.cheque.deposit')}</dt>
        <dd data-testid="payment-cheque-deposit" data-deposited={cheque.depositId !== null}>
          {cheque.depositId ? (
            <Link
              to={`/orgs/${organization.id}/payments/deposits/${cheque.depositId}`}
              data-testid="payment-cheque-deposit-link"
            >
              {t('payments.detail.cheque.deposited', {
                reference: cheque.depositReference ?? cheque.depositId,
              })}
            </Link>
          ) : (
            t('payments.detail.cheque.notDeposited')
          )}
        </dd>
      </dl>
    </>
  );
}

function StripeIds({ stripe }: { stripe: NonNullable<PaymentView['stripe']> }) {
  const { t } = useTranslation();
  const dashboard = stripeDashboardUrl(stripe);
  const ids: [string, string | null][] = [
    ['checkoutSessionId', stripe.checkoutSessionId],
    ['paymentIntentId', stripe.paymentIntentId],
    ['chargeId', stripe.chargeId],
    ['balanceTransactionId', stripe.balanceTransactionId],
  ];
  return (
    <>
      <h3>
        {t('payments.detail.stripe')}{' '}
        {stripe.livemode !== null && (
          <Badge tone={stripe.livemode ? 'success' : 'accent'}>
            {stripe.livemode ? t('stripe.mode.live') : t('stripe.mode.test')}
          </Badge>
        )}
      </h3>
      <dl className="details" data-testid="payment-detail-stripe">
        {ids.map(([name, value]) => (
          <Fragment key={name}>
            <dt>{t(`payments.detail.stripeIds.${name}`)}</dt>
            <dd data-testid={`payment-stripe-${name}`}>
              {value ? <code>{value}</code> : t('common.none')}
            </dd>
          </Fragment>
        ))}
      </dl>
      {dashboard && (
        <p>
          <a href={dashboard} target="_blank" rel="noreferrer">
            {t('payments.detail.openInStripe')}{' '}
            <span className="visually-hidden">({t('common.newTab')})</span>
          </a>
        </p>
      )}
    </>
  );
}
