import { useTranslation } from 'react-i18next';
import { accountingApi, accountingDownloads, type ReportPeriod } from '../../../api/accounting';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { ResourceState } from '../../../components/ResourceState';
import {
  StatementTable,
  StatementUnclassified,
  StatementWarnings,
  useStatementMoney,
} from './StatementParts';
import { useDayFormatter } from '../money';

/** Compte de résultat of the fiscal year (with the previous year's figures), then its result. */
export function IncomeStatementSection({ period }: { period: ReportPeriod }) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const key = `accounting:income-statement:${organization.id}:${JSON.stringify(period)}`;
  const statement = useResource(key, (signal) =>
    accountingApi.incomeStatement(organization.id, period, signal),
  );
  const data = statement.data;
  const money = useStatementMoney(data);
  /** The result as an amount, its sign told by the label (Excédent / Déficit). */
  const result = (cents: number | null) =>
    cents === null
      ? ''
      : `${money(Math.abs(cents))} (${t(
          cents < 0
            ? 'accounting.reports.incomeStatement.deficit'
            : 'accounting.reports.incomeStatement.surplus',
        )})`;

  return (
    <section className="panel" aria-labelledby="income-statement-title">
      <div className="panel__header">
        <h2 id="income-statement-title">{t('accounting.reports.incomeStatement.title')}</h2>
        <a
          className="button"
          href={accountingDownloads.incomeStatementCsv(organization.id, period)}
          download
          data-testid="income-statement-csv"
        >
          {t('accounting.reports.downloadCsv')}
        </a>
        <a
          className="button"
          href={accountingDownloads.incomeStatementCsv(organization.id, period, 'pdf')}
          download
          data-testid="income-statement-pdf"
        >
          {t('accounting.reports.downloadPdf')}
        </a>
      </div>
      {data && (
        <p className="muted" data-testid="income-statement-period">
          {t('accounting.reports.statementPeriod', { from: day(data.from), to: day(data.to) })}
        </p>
      )}
      <ResourceState resource={statement} />
      {data && (
        <div data-testid="income-statement">
          <StatementWarnings statement={data} />
          <StatementTable
            statement={data}
            sections={data.sections}
            foot={
              <tr
                className="table__total"
                data-testid="income-statement-result"
                data-result={data.resultCents}
              >
                <th scope="row">
                  {t(
                    data.resultCents < 0
                      ? 'accounting.reports.incomeStatement.deficit'
                      : 'accounting.reports.incomeStatement.surplus',
                  )}
                </th>
                <td className="numeric nowrap">{money(Math.abs(data.resultCents))}</td>
                {data.previous && (
                  <td className="numeric nowrap">{result(data.previousResultCents)}</td>
                )}
              </tr>
            }
          />
          {data.footSections.length > 0 && (
            <div data-testid="income-statement-in-kind">
              <h3>{t('accounting.reports.incomeStatement.footTitle')}</h3>
              <StatementTable statement={data} sections={data.footSections} />
            </div>
          )}
          <StatementUnclassified statement={data} />
        </div>
      )}
    </section>
  );
}
