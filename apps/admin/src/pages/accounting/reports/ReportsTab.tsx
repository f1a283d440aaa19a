import { Fragment, useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ReportPeriod } from '../../../api/accounting';
import { EmptyState } from '../../../components/EmptyState';
import { ResourceState } from '../../../components/ResourceState';
import { useDayFormatter } from '../money';
import { useFiscalYears } from '../useAccountingLists';
import { AnalyticSection } from './AnalyticSection';
import { BalanceSheetSection } from './BalanceSheetSection';
import { FecSection } from './FecSection';
import { GeneralLedgerSection } from './GeneralLedgerSection';
import { IncomeStatementSection } from './IncomeStatementSection';
import { JournalListingSection } from './JournalListingSection';
import { TrialBalanceSection } from './TrialBalanceSection';

type ParamKey = 'fiscalYearId' | 'from' | 'to' | 'account' | 'journal';

/**
 * Rapports: the trial balance, the general ledger, the journal listing, the annual statements (income statement and
 * balance sheet), the analytic results and the FEC of one fiscal year (the most recent by
 * default), over a period that defaults to the whole year. The choices are kept in the URL.
 */
export function ReportsTab() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const fiscalYears = useFiscalYears();
  const [params, setParams] = useSearchParams();
  // Bumped after a FEC import: remounts the reports so that they load again.
  const [reportsVersion, setReportsVersion] = useState(0);
  const reloadFiscalYears = fiscalYears.reload;
  const afterImport = useCallback(() => {
    reloadFiscalYears();
    setReportsVersion((version) => version + 1);
  }, [reloadFiscalYears]);
  const years = useMemo(
    () => [...(fiscalYears.data ?? [])].sort((a, b) => b.startDate.localeCompare(a.startDate)),
    [fiscalYears.data],
  );
  const year = years.find((candidate) => candidate.id === params.get('fiscalYearId')) ?? years[0];

  const update = (changes: Partial<Record<ParamKey, string>>) => {
    setParams(
      (previous) => {
        const updated = new URLSearchParams(previous);
        for (const [name, next] of Object.entries(changes)) {
          if (next) updated.set(name, next);
          else updated.delete(name);
        }
        return updated;
      },
      { replace: true },
    );
  };

  if (!fiscalYears.data) return <ResourceState resource={fiscalYears} />;
  // The FEC section has the same key in both layouts: an import that creates the first fiscal
  // year keeps its report on screen.
  if (!year)
    return (
      <>
        <EmptyState>{t('accounting.reports.noFiscalYear')}</EmptyState>
        <FecSection key="fec" fiscalYearId={null} onImported={afterImport} />
      </>
    );

  const startDate = year.startDate.slice(0, 10);
  const endDate = year.endDate.slice(0, 10);
  const period: ReportPeriod = {
    fiscalYearId: year.id,
    from: params.get('from') || startDate,
    to: params.get('to') || endDate,
  };

  return (
    <>
      <form
        className="filter-bar"
        role="search"
        aria-label={t('accounting.reports.filters')}
        onSubmit={(event) => event.preventDefault()}
      >
        <label className="field">
          <span>{t('accounting.reports.fiscalYear')}</span>
          <select
            value={year.id}
            data-testid="reports-fiscal-year"
            onChange={(event) => update({ fiscalYearId: event.target.value, from: '', to: '' })}
          >
            {years.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {t('accounting.fiscalYears.range', {
                  start: day(candidate.startDate),
                  end: day(candidate.endDate),
                })}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('accounting.reports.from')}</span>
          <input
            type="date"
            data-testid="reports-from"
            min={startDate}
            max={endDate}
            value={period.from}
            onChange={(event) =>
              update({ from: event.target.value === startDate ? '' : event.target.value })
            }
          />
        </label>
        <label className="field">
          <span>{t('accounting.reports.to')}</span>
          <input
            type="date"
            data-testid="reports-to"
            min={startDate}
            max={endDate}
            value={period.to}
            onChange={(event) =>
              update({ to: event.target.value === endDate ? '' : event.target.value })
            }
          />
        </label>
      </form>
      <p className="muted">{t('accounting.reports.signHint')}</p>
      <Fragment key={reportsVersion}>
        <TrialBalanceSection period={period} />
        <GeneralLedgerSection
          period={period}
          account={params.get('account') ?? ''}
          onAccountChange={(account) => update({ account })}
        />
        <JournalListingSection
          period={period}
          journal={params.get('journal') ?? ''}
          onJournalChange={(journal) => update({ journal })}
        />
        <IncomeStatementSection period={period} />
        <BalanceSheetSection period={period} />
        <AnalyticSection period={period} />
      </Fragment>
      <FecSection key="fec" fiscalYearId={year.id} onImported={afterImport} />
    </>
  );
}
