import { useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { receiptDownloads, receiptsApi } from '../../api/receipts';
import { useResource } from '../../api/useResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { Alert } from '../../components/Alert';
import { FeedbackAlert } from '../../components/FeedbackAlert';
import { ResourceState } from '../../components/ResourceState';
import { useAction } from '../../components/useAction';
import { useFormatters } from '../../i18n/format';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { CancelReceiptForm } from './CancelReceiptForm';
import { ReceiptEmailBadge, ReceiptStatusBadge } from './ReceiptBadges';
import { giftMethodLabel, lineSourcePath } from './receiptLabels';

/**
 * `receipts/:receiptId`: a receipt: donor, amount, period, the gifts it certifies, its email and
 * its PDF; cancel it (with a corrected receipt or not), send it again.
 */
export function ReceiptDetailPage() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const [params] = useSearchParams();
  const { receiptId = '' } = useParams();
  const receipt = useResource(`receipt:${organization.id}:${receiptId}`, (signal) =>
    receiptsApi.get(organization.id, receiptId, signal),
  );
  const { pending, feedback, run } = useAction();
  const [cancelled, setCancelled] = useState<{
    receiptId: string;
    replacement: string | null;
  } | null>(null);
  const back = `..${params.size > 0 ? `?${params.toString()}` : ''}`;
  const data = receipt.data;
  const base = `/orgs/${organization.id}`;

  const row = (label: string, value: ReactNode, testId?: string) => (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </>
  );

  const resend = async () => {
    if (!data) return;
    await run(
      'resend',
      () => receiptsApi.resend(organization.id, data.id),
      t('receipts.detail.resent'),
    );
    receipt.reload();
  };

  return (
    <section className="panel" aria-labelledby="receipt-title" data-testid="receipt-detail">
      <p>
        <Link to={back} relative="path" data-testid="receipt-back">
          ← {t('receipts.detail.backToList')}
        </Link>
      </p>
      <ResourceState resource={receipt} />
      {data && (
        <>
          <div className="panel__header">
            <h2 id="receipt-title">
              {t('receipts.detail.title', { reference: data.reference })}{' '}
              <ReceiptStatusBadge status={data.status} testId="receipt-detail-status" />
            </h2>
            <div className="button-row">
              <a
                className="button"
                href={receiptDownloads.pdf(organization.id, data.id)}
                target="_blank"
                rel="noreferrer"
                data-testid="receipt-detail-pdf"
              >
                {t('receipts.detail.pdf')}{' '}
                <span className="visually-hidden">({t('common.newTab')})</span>
              </a>
              {data.status === 'issued' && organization.can('receipts.issue') && (
                <button
                  type="button"
                  className="button"
                  disabled={pending !== null}
                  aria-busy={pending === 'resend'}
                  data-testid="receipt-resend"
                  onClick={() => void resend()}
                >
                  {t('receipts.detail.resend')}
                </button>
              )}
            </div>
          </div>
          <FeedbackAlert feedback={feedback} />
          {cancelled?.receiptId === receiptId && (
            <Alert kind="success">
              <span data-testid="receipt-cancel-done">
                {cancelled.replacement
                  ? t('receipts.cancel.doneReplaced', { reference: cancelled.replacement })
                  : t('receipts.cancel.done')}
              </span>
            </Alert>
          )}
          {data.status === 'cancelled' && (
            <Alert kind="warning">
              <span data-testid="receipt-cancelled-notice">
                {data.replacedById ? (
                  <>
                    {t('receipts.detail.cancelledReplacedBy')}{' '}
                    <Link
                      to={`${base}/receipts/${data.replacedById}`}
                      data-testid="receipt-replaced-by-link"
                    >
                      {data.replacedByReference ?? data.replacedById}
                    </Link>
                  </>
                ) : (
                  t('receipts.detail.cancelledNotice')
                )}
              </span>
              {data.cancelReason && (
                <span data-testid="receipt-cancel-reason-shown">
                  {t('receipts.detail.cancelReason', { reason: data.cancelReason })}
                </span>
              )}
            </Alert>
          )}
          <div className="detail-columns">
            <dl className="details">
              {row(t('receipts.detail.reference'), data.reference, 'receipt-detail-reference')}
              {row(
                t('receipts.detail.donor'),
                <Link
                  to={`${base}/contacts/${data.contactId}`}
                  data-testid="receipt-detail-donor-link"
                >
                  {data.donorName}
                </Link>,
                'receipt-detail-donor',
              )}
              {row(
                t('receipts.detail.amount'),
                formatMoney(data.amountCents, data.currency),
                'receipt-detail-amount',
              )}
              {row(
                t('receipts.detail.kind'),
                t(`receipts.kinds.${data.kind}`),
                'receipt-detail-kind',
              )}
              {row(
                t('receipts.detail.model'),
                t('receipts.detail.modelValue', { model: data.model }),
              )}
              {row(
                t('receipts.detail.period'),
                data.periodStart === data.periodEnd
                  ? day(data.periodStart)
                  : t('receipts.detail.periodValue', {
                      start: day(data.periodStart),
                      end: day(data.periodEnd),
                    }),
                'receipt-detail-period',
              )}
            </dl>
            <dl className="details">
              {row(t('receipts.detail.issuedOn'), day(data.issuedOn), 'receipt-detail-issued-on')}
              {row(t('receipts.detail.issuedAt'), format.dateTime(data.issuedAt))}
              {row(
                t('receipts.detail.email'),
                <>
                  <ReceiptEmailBadge email={data.email} testId="receipt-detail-email" />
                  {data.email?.sentAt && (
                    <span className="cell-note">
                      {t('receipts.detail.sentAt', { date: format.dateTime(data.email.sentAt) })}
                    </span>
                  )}
                </>,
              )}
              {data.replacesId &&
                row(
                  t('receipts.detail.replaces'),
                  <Link
                    to={`${base}/receipts/${data.replacesId}`}
                    data-testid="receipt-replaces-link"
                  >
                    {t('receipts.detail.replacesValue', {
                      reference: data.replacesReference ?? data.replacesId,
                    })}
                  </Link>,
                  'receipt-detail-replaces',
                )}
              {data.cancelledAt &&
                row(
                  t('receipts.detail.cancelledAt'),
                  format.dateTime(data.cancelledAt),
                  'receipt-detail-cancelled-at',
                )}
              {row(
                t('receipts.detail.fingerprint'),
                <code className="nowrap">{data.pdfSha256.slice(0, 16)}…</code>,
              )}
            </dl>
          </div>

          <h3 id="receipt-lines-title">{t('receipts.detail.lines')}</h3>
          <div className="table-wrap">
            <table
              className="table"
              aria-labelledby="receipt-lines-title"
              data-testid="receipt-lines"
            >
              <thead>
                <tr>
                  <th scope="col">{t('receipts.lines.receivedOn')}</th>
                  <th scope="col">{t('receipts.lines.source')}</th>
                  <th scope="col">{t('receipts.lines.nature')}</th>
                  <th scope="col">{t('receipts.lines.method')}</th>
                  <th scope="col" className="numeric">
                    {t('receipts.lines.amount')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.lines.map((line) => (
                  <tr key={line.giftId} data-testid="receipt-line">
                    <td className="nowrap">{day(line.receivedOn)}</td>
                    <td>
                      <Link to={lineSourcePath(organization.id, line, data.contactId)}>
                        {t(`receipts.sourceKinds.${line.sourceKind}`)}
                      </Link>
                    </td>
                    <td>{t(`receipts.natures.${line.nature}`)}</td>
                    <td>{giftMethodLabel(t, line.method)}</td>
                    <td className="numeric nowrap">
                      {formatMoney(line.amountCents, data.currency)}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr className="table__total">
                  <th scope="row" colSpan={4}>
                    {t('receipts.lines.total')}
                  </th>
                  <td className="numeric nowrap">{formatMoney(data.amountCents, data.currency)}</td>
                </tr>
              </tfoot>
            </table>
          </div>

          {data.status === 'issued' && organization.can('receipts.cancel') && (
            <CancelReceiptForm
              key={data.id}
              receipt={data}
              onCancelled={(updated) => {
                setCancelled({ receiptId: data.id, replacement: updated.replacedByReference });
                receipt.reload();
              }}
            />
          )}
        </>
      )}
    </section>
  );
}
