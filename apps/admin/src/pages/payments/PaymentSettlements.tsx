import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { DisputeView, RefundView } from '@ruche/contracts';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { Badge, type BadgeTone } from '../../components/Badge';
import { useFormatters } from '../../i18n/format';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { stripeLabel } from './paymentLabels';

const REFUND_TONES: Record<RefundView['status'], BadgeTone> = {
  pending: 'warning',
  succeeded: 'success',
  failed: 'danger',
  canceled: 'neutral',
};

/** Stripe's dispute statuses: open ones need the treasurer, closed ones are won or lost. */
const DISPUTE_TONES: Record<string, BadgeTone> = {
  needs_response: 'danger',
  warning_needs_response: 'danger',
  under_review: 'warning',
  warning_under_review: 'warning',
  warning_closed: 'neutral',
  won: 'success',
  lost: 'danger',
};

/** The refunds of a payment: amount, state, reason, day, Stripe id and the entry that reversed it. */
export function PaymentRefunds({ refunds }: { refunds: readonly RefundView[] }) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  if (refunds.length === 0) return null;
  return (
    <>
      <h3 id="payment-refunds-title">{t('payments.refunds.title')}</h3>
      <div className="table-wrap">
        <table
          className="table"
          aria-labelledby="payment-refunds-title"
          data-testid="payment-refunds"
        >
          <thead>
            <tr>
              <th scope="col">{t('payments.refunds.refundedOn')}</th>
              <th scope="col" className="numeric">
                {t('payments.refunds.amount')}
              </th>
              <th scope="col">{t('payments.refunds.status')}</th>
              <th scope="col">{t('payments.refunds.reason')}</th>
              <th scope="col">{t('payments.refunds.stripeId')}</th>
              <th scope="col">{t('payments.refunds.entry')}</th>
            </tr>
          </thead>
          <tbody>
            {refunds.map((refund) => (
              <tr key={refund.id} data-testid="payment-refund-row" data-status={refund.status}>
                <td className="nowrap">
                  {refund.refundedOn ? day(refund.refundedOn) : format.dateTime(refund.createdAt)}
                  {!refund.refundedOn && (
                    <span className="cell-note">{t('payments.refunds.requested')}</span>
                  )}
                </td>
                <td className="numeric nowrap" data-testid="payment-refund-amount">
                  {formatMoney(refund.amountCents, refund.currency)}
                </td>
                <td>
                  <Badge tone={REFUND_TONES[refund.status]}>
                    {t(`payments.refunds.statuses.${refund.status}`)}
                  </Badge>
                </td>
                <td className="pre-line">{refund.reason ?? t('common.none')}</td>
                <td>
                  {refund.stripeRefundId ? <code>{refund.stripeRefundId}</code> : t('common.none')}
                </td>
                <td>
                  {refund.entryId ? (
                    <Link
                      to={`/orgs/${organization.id}/accounting/entries/${refund.entryId}`}
                      data-testid="payment-refund-entry-link"
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
    </>
  );
}

/** The disputes (chargebacks) of a payment, as Stripe reports them. */
export function PaymentDisputes({ disputes }: { disputes: readonly DisputeView[] }) {
  const { t } = useTranslation();
  const format = useFormatters();
  if (disputes.length === 0) return null;
  return (
    <>
      <h3 id="payment-disputes-title">{t('payments.disputes.title')}</h3>
      <div className="table-wrap">
        <table
          className="table"
          aria-labelledby="payment-disputes-title"
          data-testid="payment-disputes"
        >
          <thead>
            <tr>
              <th scope="col">{t('payments.disputes.createdAt')}</th>
              <th scope="col">{t('payments.disputes.stripeId')}</th>
              <th scope="col">{t('payments.disputes.status')}</th>
              <th scope="col">{t('payments.disputes.reason')}</th>
              <th scope="col" className="numeric">
                {t('payments.disputes.amount')}
              </th>
              <th scope="col" className="numeric">
                {t('payments.disputes.fee')}
              </th>
            </tr>
          </thead>
          <tbody>
            {disputes.map((dispute) => (
              <tr key={dispute.id} data-testid="payment-dispute-row" data-status={dispute.status}>
                <td className="nowrap">{format.dateTime(dispute.createdAt)}</td>
                <td>
                  <code>{dispute.stripeDisputeId}</code>
                </td>
                <td>
                  <Badge tone={DISPUTE_TONES[dispute.status] ?? 'neutral'}>
                    {stripeLabel(t, 'payments.disputes.statuses', dispute.status)}
                  </Badge>
                </td>
                <td>
                  {dispute.reason
                    ? stripeLabel(t, 'payments.disputes.reasons', dispute.reason)
                    : t('common.none')}
                </td>
                <td className="numeric nowrap">
                  {formatMoney(dispute.amountCents, dispute.currency)}
                </td>
                <td className="numeric nowrap">
                  {formatMoney(dispute.feeCents, dispute.currency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
