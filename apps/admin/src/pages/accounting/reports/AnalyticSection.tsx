import { useTranslation } from 'react-i18next';
import { accountingApi, accountingDownloads, type ReportPeriod } from '../../../api/accounting';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { EmptyState } from '../../../components/EmptyState';
import { ResourceState } from '../../../components/ResourceState';
import { formatMoney } from '../money';

/** Résultats analytiques: income, expenses and result per analytic section over the period. */
export function AnalyticSection({ period }: { period: ReportPeriod }) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const key = `accounting:analytic:${organization.id}:${JSON.stringify(period)}`;
  const results = useResource(key, (signal) =>
    accountingApi.analyticResults(organization.id, period, signal),
  );
  const data = results.data;
  const money = (cents: number) => formatMoney(cents, data?.currency ?? 'EUR');
  const totals = (data?.rows ?? []).reduce(
    (sum, row) => ({
      income: sum.income + row.incomeCents,
      expense: sum.expense + row.expenseCents,
      result: sum.result + row.resultCents,
    }),
    { income: 0, expense: 0, result: 0 },
  );

  return (
    <section className="panel" aria-labelledby="analytic-title">
      <div className="panel__header">
        <h2 id="analytic-title">{t('accounting.reports.analytic.title')}</h2>
        <a
          className="button"
          href={accountingDownloads.analyticCsv(organization.id, period)}
          download
          data-testid="analytic-csv"
        >
          {t('accounting.reports.downloadCsv')}
        </a>
      </div>
      <ResourceState resource={results} />
      {data?.rows.length === 0 && <EmptyState>{t('accounting.reports.analytic.empty')}</EmptyState>}
      {data && data.rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="analytic-results">
            <thead>
              <tr>
                <th scope="col">{t('accounting.reports.analytic.columns.analytic')}</th>
                <th scope="col" className="numeric">
                  {t('accounting.reports.analytic.columns.income')}
                </th>
                <th scope="col" className="numeric">
                  {t('accounting.reports.analytic.columns.expense')}
                </th>
                <th scope="col" className="numeric">
                  {t('accounting.reports.analytic.columns.result')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row) => (
                <tr
                  key={row.analytic ?? ''}
                  data-testid="analytic-row"
                  data-analytic={row.analytic ?? ''}
                >
                  <td>
                    {row.analytic ?? (
                      <span className="muted">{t('accounting.reports.analytic.none')}</span>
                    )}
                  </td>
                  <td className="numeric nowrap">{money(row.incomeCents)}</td>
                  <td className="numeric nowrap">{money(row.expenseCents)}</td>
                  <td className="numeric nowrap">{money(row.resultCents)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="table__total">
                <th scope="row">{t('accounting.reports.analytic.totals')}</th>
                <td className="numeric nowrap">{money(totals.income)}</td>
                <td className="numeric nowrap">{money(totals.expense)}</td>
                <td className="numeric nowrap">{money(totals.result)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}
