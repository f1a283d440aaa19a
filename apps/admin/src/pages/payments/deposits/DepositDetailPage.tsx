import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { chequeDepositDownloads, chequeDepositsApi } from '../../../api/payments';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { EmptyState } from '../../../components/EmptyState';
import { ResourceState } from '../../../components/ResourceState';
import { useFormatters } from '../../../i18n/format';
import { formatMoney, useDayFormatter } from '../../accounting/money';

/**
 * `payments/deposits/:depositId`: a cheque deposit slip, its cheques and total, the entry that
 * moved them to the bank, and the slip as a PDF to hand in with the cheques.
 */
export function DepositDetailPage() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const { depositId = '' } = useParams();
  const deposit = useResource(`cheque-deposit:${organization.id}:${depositId}`, (signal) =>
    chequeDepositsApi.get(organization.id, depositId, signal),
  );
  const data = deposit.data;
  const base = `/orgs/${organization.id}`;

  const row = (label: string, value: ReactNode, testId?: string) => (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </>
  );

  return (
    <section className="panel" aria-labelledby="deposit-title" data-testid="deposit-detail">
      <p>
        <Link to=".." relative="path" data-testid="deposit-back">
          ← {t('payments.deposits.backToList')}
        </Link>
      </p>
      <ResourceState resource={deposit} />
      {data && (
        <>
          <div className="panel__header">
            <h2 id="deposit-title" data-testid="deposit-detail-title">
              {t('payments.deposits.detailTitle', {
                reference: data.reference,
                day: day(data.depositedOn),
              })}
            </h2>
            <a
              className="button"
              href={chequeDepositDownloads.pdf(organization.id, data.id)}
              target="_blank"
              rel="noreferrer"
              data-testid="deposit-detail-pdf"
            >
              {t('payments.deposits.downloadPdf')}{' '}
              <span className="visually-hidden">({t('common.newTab')})</span>
            </a>
          </div>
          <div className="detail-columns">
            <dl className="details">
              {row(
                t('payments.deposits.columns.reference'),
                data.reference,
                'deposit-detail-reference',
              )}
              {row(
                t('payments.deposits.columns.depositedOn'),
                day(data.depositedOn),
                'deposit-detail-date',
              )}
              {row(t('payments.deposits.columns.count'), data.chequeCount, 'deposit-detail-count')}
              {row(
                t('payments.deposits.columns.total'),
                formatMoney(data.totalCents, data.currency),
                'deposit-detail-total',
              )}
            </dl>
            <dl className="details">
              {row(
                t('payments.deposits.columns.entry'),
                <Link
                  to={`${base}/accounting/entries/${data.entryId}`}
                  data-testid="deposit-detail-entry-link"
                >
                  {t('payments.detail.openEntry')}
                </Link>,
                'deposit-detail-entry',
              )}
              {row(t('payments.detail.createdAt'), format.dateTime(data.createdAt))}
              {row(t('payments.detail.id'), <code>{data.id}</code>)}
            </dl>
          </div>
          <h3 id="deposit-cheques-title">{t('payments.deposits.chequesTitle')}</h3>
          {data.cheques.length === 0 ? (
            <EmptyState>{t('payments.deposits.noChequeInDeposit')}</EmptyState>
          ) : (
            <div className="table-wrap">
              <table
                className="table"
                aria-labelledby="deposit-cheques-title"
                data-testid="deposit-cheque-rows"
              >
                <thead>
                  <tr>
                    <th scope="col">{t('payments.deposits.cheque.receivedOn')}</th>
                    <th scope="col">{t('payments.deposits.cheque.drawer')}</th>
                    <th scope="col">{t('payments.deposits.cheque.label')}</th>
                    <th scope="col">{t('payments.deposits.cheque.number')}</th>
                    <th scope="col">{t('payments.deposits.cheque.bank')}</th>
                    <th scope="col" className="numeric">
                      {t('payments.deposits.cheque.amount')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.cheques.map((cheque) => (
                    <tr
                      key={cheque.paymentId}
                      data-testid="deposit-cheque-row"
                      data-payment-id={cheque.paymentId}
                    >
                      <td className="nowrap">{day(cheque.receivedOn)}</td>
                      <td>
                        {cheque.drawer ?? cheque.contactName ?? t('common.none')}
                        {cheque.drawer &&
                          cheque.contactName &&
                          cheque.contactName !== cheque.drawer && (
                            <span className="cell-note">{cheque.contactName}</span>
                          )}
                      </td>
                      <td>
                        <Link
                          to={`${base}/payments/${cheque.paymentId}`}
                          data-testid="deposit-cheque-payment-link"
                        >
                          {cheque.label}
                        </Link>
                      </td>
                      <td data-testid="deposit-cheque-number">
                        {cheque.number ?? t('common.none')}
                      </td>
                      <td>{cheque.bank ?? t('common.none')}</td>
                      <td className="numeric nowrap" data-testid="deposit-cheque-amount">
                        {formatMoney(cheque.amountCents, data.currency)}
                      </td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr className="table__total">
                    <th scope="row" colSpan={5}>
                      {t('payments.deposits.totalRow', { count: data.chequeCount })}
                    </th>
                    <td className="numeric nowrap">
                      {formatMoney(data.totalCents, data.currency)}
                    </td>
                  </tr>
                </tfoot>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
