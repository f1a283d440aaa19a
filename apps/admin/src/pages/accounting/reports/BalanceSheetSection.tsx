import { useTranslation } from 'react-i18next';
import type { StatementSectionView, StatementView } from '@ruche/contracts';
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

/** Sum of the previous-year totals of some sections (null when there is no previous year). */
function previousTotal(statement: StatementView, sections: StatementSectionView[]): number | null {
  if (!statement.previous) return null;
  return sections.reduce((sum, section) => sum + (section.previousTotalCents ?? 0), 0);
}

/** Bilan at the end of the fiscal year: Actif and Passif side by side, with their totals. */
export function BalanceSheetSection({ period }: { period: ReportPeriod }) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const key = `accounting:balance-sheet:${organization.id}:${JSON.stringify(period)}`;
  const sheet = useResource(key, (signal) =>
    accountingApi.balanceSheet(organization.id, period, signal),
  );
  const data = sheet.data;
  const money = useStatementMoney(data);

  const side = (
    statement: StatementView,
    nature: 'asset' | 'liability',
    title: string,
    totalLabel: string,
    totalCents: number | null,
    testId: string,
  ) => {
    const sections = statement.sections.filter((section) => section.nature === nature);
    const total = totalCents ?? sections.reduce((sum, section) => sum + section.totalCents, 0);
    return (
      <div data-testid={`balance-sheet-${nature === 'asset' ? 'assets' : 'liabilities'}`}>
        <h3>{title}</h3>
        <StatementTable
          statement={statement}
          sections={sections}
          foot={
            <tr className="table__total" data-testid={testId} data-total={total}>
              <th scope="row">{totalLabel}</th>
              <td className="numeric nowrap">{money(total)}</td>
              {statement.previous && (
                <td className="numeric nowrap">{money(previousTotal(statement, sections))}</td>
              )}
            </tr>
          }
        />
      </div>
    );
  };

  return (
    <section className="panel" aria-labelledby="balance-sheet-title">
      <div className="panel__header">
        <h2 id="balance-sheet-title">{t('accounting.reports.balanceSheet.title')}</h2>
        <a
          className="button"
          href={accountingDownloads.balanceSheetCsv(organization.id, period)}
          download
          data-testid="balance-sheet-csv"
        >
          {t('accounting.reports.downloadCsv')}
        </a>
        <a
          className="button"
          href={accountingDownloads.balanceSheetCsv(organization.id, period, 'pdf')}
          download
          data-testid="balance-sheet-pdf"
        >
          {t('accounting.reports.downloadPdf')}
        </a>
      </div>
      {data && (
        <p className="muted" data-testid="balance-sheet-period">
          {t('accounting.reports.statementAt', { date: day(data.to) })}
        </p>
      )}
      <ResourceState resource={sheet} />
      {data && (
        <div data-testid="balance-sheet">
          <StatementWarnings statement={data} />
          <div className="dashboard-columns">
            {side(
              data,
              'asset',
              t('accounting.reports.balanceSheet.assets'),
              t('accounting.reports.balanceSheet.totalAssets'),
              data.totalAssetsCents,
              'balance-sheet-total-assets',
            )}
            {side(
              data,
              'liability',
              t('accounting.reports.balanceSheet.liabilities'),
              t('accounting.reports.balanceSheet.totalLiabilities'),
              data.totalLiabilitiesCents,
              'balance-sheet-total-liabilities',
            )}
          </div>
          <StatementUnclassified statement={data} />
        </div>
      )}
    </section>
  );
}
