import type { ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { donationsApi } from '../../api/donations';
import { receiptDownloads } from '../../api/receipts';
import { useResource } from '../../api/useResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { ResourceState } from '../../components/ResourceState';
import { useFormatters } from '../../i18n/format';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { methodLabel } from '../payments/paymentLabels';
import { DonationStatusBadge } from './DonationStatusBadge';

/**
 * `donations/:donationId`: a gift: donor, amount, status, its payment and its entry, and the
 * fiscal receipt that certifies it (or why there is none yet).
 */
export function DonationDetailPage() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const [params] = useSearchParams();
  const { donationId = '' } = useParams();
  const donation = useResource(`donation:${organization.id}:${donationId}`, (signal) =>
    donationsApi.get(organization.id, donationId, signal),
  );
  const back = `..${params.size > 0 ? `?${params.toString()}` : ''}`;
  const data = donation.data;
  const base = `/orgs/${organization.id}`;
  const none = t('common.none');

  const row = (label: string, value: ReactNode, testId?: string) => (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </>
  );

  return (
    <section className="panel" aria-labelledby="donation-title" data-testid="donation-detail">
      <p>
        <Link to={back} relative="path" data-testid="donation-back">
          ← {t('donations.detail.backToList')}
        </Link>
      </p>
      <ResourceState resource={donation} />
      {data && (
        <>
          <div className="panel__header">
            <h2 id="donation-title">
              {t('donations.detail.title', {
                donor: data.donorName,
                amount: formatMoney(data.amountCents, data.currency),
              })}{' '}
              <DonationStatusBadge status={data.status} testId="donation-detail-status" />
            </h2>
            <button type="button" className="button button--small" onClick={donation.reload}>
              {t('donations.detail.refresh')}
            </button>
          </div>
          <div className="detail-columns">
            <dl className="details">
              {row(
                t('donations.detail.donor'),
                <Link
                  to={`${base}/contacts/${data.contactId}`}
                  data-testid="donation-detail-donor-link"
                >
                  {data.donorName}
                </Link>,
                'donation-detail-donor',
              )}
              {row(
                t('donations.detail.donorKind'),
                t(`donations.donorKinds.${data.donorKind}`),
                'donation-detail-donor-kind',
              )}
              {row(
                t('donations.detail.amount'),
                formatMoney(data.amountCents, data.currency),
                'donation-detail-amount',
              )}
              {data.refundedCents > 0 &&
                row(
                  t('donations.detail.refunded'),
                  formatMoney(data.refundedCents, data.currency),
                  'donation-detail-refunded',
                )}
              {row(
                t('donations.detail.kind'),
                t(`donations.kinds.${data.kind}`),
                'donation-detail-kind',
              )}
              {row(
                t('donations.detail.frequency'),
                t(`donations.frequencies.${data.frequency}`),
                'donation-detail-frequency',
              )}
              {data.kind === 'money' &&
                row(
                  t('donations.detail.method'),
                  methodLabel(t, data.method),
                  'donation-detail-method',
                )}
              {data.description !== null &&
                row(
                  t('donations.detail.description'),
                  <span className="pre-line">{data.description}</span>,
                  'donation-detail-description',
                )}
              {row(
                t('donations.detail.receivedOn'),
                day(data.receivedOn),
                'donation-detail-received-on',
              )}
              {row(
                t('donations.detail.campaign'),
                data.campaignId ? (
                  <Link to={`${base}/donations/campaigns/${data.campaignId}`}>
                    {data.campaignName ?? data.campaignId}
                  </Link>
                ) : (
                  none
                ),
                'donation-detail-campaign',
              )}
            </dl>
            <dl className="details">
              {row(
                t('donations.detail.source'),
                t(`donations.sources.${data.source}`),
                'donation-detail-source',
              )}
              {row(
                t('donations.detail.payment'),
                data.paymentId ? (
                  <Link
                    to={`${base}/payments/${data.paymentId}`}
                    data-testid="donation-detail-payment-link"
                  >
                    {t('donations.detail.openPayment')}
                  </Link>
                ) : (
                  t('donations.detail.noPayment')
                ),
                'donation-detail-payment',
              )}
              {row(
                t('donations.detail.entry'),
                data.entryId ? (
                  <Link
                    to={`${base}/accounting/entries/${data.entryId}`}
                    data-testid="donation-detail-entry-link"
                  >
                    {t('donations.detail.openEntry')}
                  </Link>
                ) : (
                  t('donations.detail.noEntry')
                ),
                'donation-detail-entry',
              )}
              {row(
                t('donations.detail.receipt'),
                <DonationReceipt
                  receiptId={data.receiptId}
                  receiptReference={data.receiptReference}
                  wantsReceipt={data.wantsReceipt}
                  contactId={data.contactId}
                />,
                'donation-detail-receipt',
              )}
              {data.note !== null &&
                row(t('donations.detail.note'), <span className="pre-line">{data.note}</span>)}
              {row(t('donations.detail.createdAt'), format.dateTime(data.createdAt))}
              {row(t('donations.detail.id'), <code>{data.id}</code>)}
            </dl>
          </div>
        </>
      )}
    </section>
  );
}

/** The receipt of a gift (its page and its PDF), or where the gift stands without one. */
function DonationReceipt({
  receiptId,
  receiptReference,
  wantsReceipt,
  contactId,
}: {
  receiptId: string | null;
  receiptReference: string | null;
  wantsReceipt: boolean;
  contactId: string;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const base = `/orgs/${organization.id}/receipts`;
  if (receiptId) {
    const canRead = organization.can('receipts.read');
    return (
      <span className="button-row">
        {canRead ? (
          <Link to={`${base}/${receiptId}`} data-testid="donation-detail-receipt-link">
            {t('donations.detail.receiptReference', { reference: receiptReference ?? receiptId })}
          </Link>
        ) : (
          t('donations.detail.receiptReference', { reference: receiptReference ?? receiptId })
        )}
        {canRead && (
          <a
            className="button button--small"
            href={receiptDownloads.pdf(organization.id, receiptId)}
            target="_blank"
            rel="noreferrer"
            data-testid="donation-detail-receipt-pdf"
          >
            {t('donations.detail.receiptPdf')}{' '}
            <span className="visually-hidden">({t('common.newTab')})</span>
          </a>
        )}
      </span>
    );
  }
  if (!wantsReceipt) return <span className="muted">{t('donations.receipt.notWanted')}</span>;
  return (
    <span>
      {t('donations.receipt.waiting')}
      {organization.can('receipts.read') && (
        <>
          {' · '}
          <Link
            to={`${base}/waiting?contactId=${encodeURIComponent(contactId)}`}
            data-testid="donation-detail-receipt-waiting"
          >
            {t('donations.detail.receiptWaitingLink')}
          </Link>
        </>
      )}
    </span>
  );
}
