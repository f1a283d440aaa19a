import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InvoiceView } from '@ruche/contracts';
import { memberSpaceApi } from '../../api/memberSpace';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { errorMessage } from '../../i18n/messages';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { InvoiceStateBadge } from '../invoices/InvoiceBadges';

type InvoicesState =
  | { kind: 'loading' }
  | { kind: 'ready'; invoices: InvoiceView[] }
  | { kind: 'error'; error: unknown };

/** "Mes factures": the member's invoices and credit notes, each to download as a PDF. */
export function MemberInvoices({ onFailure }: { onFailure: (error: unknown) => boolean }) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const [state, setState] = useState<InvoicesState>({ kind: 'loading' });
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: 'loading' });
    memberSpaceApi.invoices(controller.signal).then(
      (invoices) => {
        if (!controller.signal.aborted) setState({ kind: 'ready', invoices });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (!onFailure(error)) setState({ kind: 'error', error });
      },
    );
    return () => controller.abort();
  }, [onFailure, version]);

  // Most members of associations without counterparts never get an invoice: no empty panel then.
  if (state.kind === 'ready' && state.invoices.length === 0) return null;

  return (
    <section
      className="panel"
      aria-labelledby="member-invoices-title"
      data-testid="member-invoices"
    >
      <h2 id="member-invoices-title">{t('memberSpace.account.invoices.title')}</h2>
      <p className="muted">{t('memberSpace.account.invoices.intro')}</p>
      {state.kind === 'loading' && <Loading />}
      {state.kind === 'error' && (
        <ErrorState
          message={errorMessage(t, state.error)}
          onRetry={() => setVersion((value) => value + 1)}
        />
      )}
      {state.kind === 'ready' && state.invoices.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="member-invoices-table">
            <caption className="visually-hidden">{t('memberSpace.account.invoices.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('memberSpace.account.invoices.columns.reference')}</th>
                <th scope="col">{t('memberSpace.account.invoices.columns.issuedOn')}</th>
                <th scope="col">{t('memberSpace.account.invoices.columns.description')}</th>
                <th scope="col" className="numeric">
                  {t('memberSpace.account.invoices.columns.amount')}
                </th>
                <th scope="col">{t('memberSpace.account.invoices.columns.status')}</th>
                <th scope="col">{t('memberSpace.account.invoices.columns.pdf')}</th>
              </tr>
            </thead>
            <tbody>
              {state.invoices.map((invoice) => (
                <tr key={invoice.id} data-testid="member-invoice-row" data-kind={invoice.kind}>
                  <td className="nowrap">
                    {invoice.reference}
                    {invoice.creditedInvoiceReference && (
                      <span className="cell-note">
                        {t('invoices.list.credits', {
                          reference: invoice.creditedInvoiceReference,
                        })}
                      </span>
                    )}
                  </td>
                  <td className="nowrap">{day(invoice.issuedOn)}</td>
                  <td>{invoice.lines.map((line) => line.description).join(' ; ')}</td>
                  <td className="numeric nowrap">
                    {formatMoney(
                      invoice.kind === 'credit_note' ? -invoice.totalCents : invoice.totalCents,
                      invoice.currency,
                    )}
                  </td>
                  <td>
                    <InvoiceStateBadge invoice={invoice} />
                  </td>
                  <td>
                    <a
                      className="button button--small"
                      href={memberSpaceApi.invoicePdfUrl(invoice.id)}
                      download
                      aria-label={t('invoices.list.downloadOf', { reference: invoice.reference })}
                      data-testid="member-invoice-pdf"
                    >
                      {t('memberSpace.account.invoices.download')}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
