import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { invoiceDownloads, invoicesApi } from '../../api/invoices';
import { useResource } from '../../api/useResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { ResourceState } from '../../components/ResourceState';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { InvoiceStateBadge } from './InvoiceBadges';

/**
 * On a payment's page: its invoice and the credit notes of its refunds, each with its PDF as
 * issued. Nothing is shown for a payment that has none (a gift, a receipt-eligible plan).
 */
export function PaymentInvoices({ paymentId }: { paymentId: string }) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const invoices = useResource(`invoices:payment:${organization.id}:${paymentId}`, (signal) =>
    invoicesApi.list(organization.id, { paymentId }, { limit: 50, offset: 0 }, signal),
  );
  if (invoices.data?.items.length === 0) return null;
  return (
    <>
      <h3 id="payment-invoices-title">{t('invoices.payment.title')}</h3>
      <ResourceState resource={invoices} />
      {invoices.data && (
        <ul
          className="stack"
          aria-labelledby="payment-invoices-title"
          data-testid="payment-invoices"
        >
          {invoices.data.items.map((invoice) => (
            <li key={invoice.id} data-testid="payment-invoice" data-kind={invoice.kind}>
              <strong>
                {t(`invoices.kinds.${invoice.kind}`)} {invoice.reference}
              </strong>{' '}
              {t('invoices.payment.issuedOn', { date: day(invoice.issuedOn) })} ·{' '}
              {formatMoney(
                invoice.kind === 'credit_note' ? -invoice.totalCents : invoice.totalCents,
                invoice.currency,
              )}{' '}
              <InvoiceStateBadge invoice={invoice} />{' '}
              <a
                href={invoiceDownloads.pdf(organization.id, invoice.id)}
                download
                data-testid="payment-invoice-pdf"
              >
                {t('invoices.list.downloadOf', { reference: invoice.reference })}
              </a>
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link
          to={`/orgs/${organization.id}/invoices?paymentId=${encodeURIComponent(paymentId)}`}
          data-testid="payment-invoices-link"
        >
          {t('invoices.payment.openList')}
        </Link>
      </p>
    </>
  );
}
