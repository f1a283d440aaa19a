import { useTranslation } from 'react-i18next';
import { accountingApi, accountingDownloads, type ReportPeriod } from '../../../api/accounting';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { EmptyState } from '../../../components/EmptyState';
import { ResourceState } from '../../../components/ResourceState';
import { formatMoney } from '../money';

/** Balance générale: one row per account with movements or an opening balance, and the totals. */
export function TrialBalanceSection({ period }: { period: ReportPeriod }) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const key = `accounting:trial-balance:${organization.id}:${JSON.stringify(period)}`;
  const balance = useResource(key, (signal) =>
    accountingApi.trialBalance(organization.id, period, signal),
  );
  const data = balance.data;
  const money = (cents: number) => formatMoney(cents, data?.currency ?? 'EUR');

  return (
    <section className="panel" aria-labelledby="trial-balance-title">
      <div className="panel__header">
        <h2 id="trial-balance-title">{t('accounting.reports.trialBalance.title')}</h2>
        <a
          className="button"
          href={accountingDownloads.trialBalanceCsv(organization.id, period)}
          download
          data-testid="trial-balance-csv"
        >
          {t('accounting.reports.downloadCsv')}
        </a>
        <a
          className="button"
          href={accountingDownloads.trialBalanceCsv(organization.id, period, 'pdf')}
          download
          data-testid="trial-balance-pdf"
        >
          {t('accounting.reports.downloadPdf')}
        </a>
      </div>
      <ResourceState resource={balance} />
      {data?.rows.length === 0 && (
        <EmptyState>{t('accounting.reports.trialBalance.empty')}</EmptyState>
      )}
      {data && data.rows.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('accounting.reports.columns.account')}</th>
                <th scope="col">{t('accounting.reports.columns.label')}</th>
                <th scope="col" className="numeric">
                  {t('accounting.reports.columns.opening')}
                </th>
                <th scope="col" className="numeric">
                  {t('accounting.reports.columns.debit')}
                </th>
                <th scope="col" className="numeric">
                  {t('accounting.reports.columns.credit')}
                </th>
                <th scope="col" className="numeric">
                  {t('accounting.reports.columns.closing')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row) => (
                <tr key={row.accountNumber} data-testid="trial-balance-row">
                  <td className="nowrap">{row.accountNumber}</td>
                  <td>{row.accountLabel}</td>
                  <td className="numeric nowrap">{money(row.openingCents)}</td>
                  <td className="numeric nowrap">{money(row.debitCents)}</td>
                  <td className="numeric nowrap">{money(row.creditCents)}</td>
                  <td className="numeric nowrap">{money(row.closingCents)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="table__total" data-testid="trial-balance-total">
                <th scope="row" colSpan={2}>
                  {t('accounting.reports.trialBalance.totals')}
                </th>
                <td className="numeric nowrap">{money(data.totals.openingCents)}</td>
                <td className="numeric nowrap">{money(data.totals.debitCents)}</td>
                <td className="numeric nowrap">{money(data.totals.creditCents)}</td>
                <td className="numeric nowrap">{money(data.totals.closingCents)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}
