import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LocalDate, type OrgContext } from '@ruche/core';
import type { AnalyticResultView, FiscalYearView, ReportPeriodQuery, StatementQuery, StatementSectionView, StatementView } from '@ruche/contracts';
import { BALANCE_SHEET, CONTRIBUTIONS_IN_KIND, INCOME_STATEMENT, buildStatement, type StatementSectionDef } from '../domain/statements';
import { FiscalYearsService } from './fiscal-years.service';
import { ReportsService } from './reports.service';

type Built = ReturnType<typeof buildStatement>;
type StatementPeriodQuery = Pick<StatementQuery, 'fiscalYearId' | 'from' | 'to'>;

function merge(current: Built['sections'], previous: Built['sections'] | null): StatementSectionView[] {
  return current.map((section, i) => {
    const before = previous?.[i];
    return {
      key: section.key,
      label: section.label,
      nature: section.nature,
      lines: section.lines.map((line, j) => ({ ...line, previousCents: before ? (before.lines[j]?.amountCents ?? 0) : null })),
      totalCents: section.totalCents,
      previousTotalCents: before ? before.totalCents : null,
    };
  });
}

const sum = (sections: Built['sections'], nature: StatementSectionDef['nature']) => sections.filter((s) => s.nature === nature).reduce((t, s) => t + s.totalCents, 0);

/** Income statement and balance sheet in the ANC 2018-06 layout, beside the previous year; analytic results. */
@Injectable()
export class StatementsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly fiscalYears: FiscalYearsService,
    private readonly reports: ReportsService,
  ) {}

  /**
   * The period of a statement (default the whole fiscal year, 422 naming `from` or `to` outside
   * it) and the same period of the previous fiscal year: shifted by the length of that year
   * (in months when both years start on the same day of a month), kept inside it; the whole
   * previous year when the whole year is asked for.
   */
  private async periods(ctx: OrgContext, query: StatementPeriodQuery) {
    const p = await this.reports.period(ctx, query);
    const fy = await this.fiscalYears.get(ctx, query.fiscalYearId);
    const previousYear = await this.previousOf(ctx, fy);
    let previous: { fy: FiscalYearView; from: string; to: string } | null = null;
    if (previousYear) {
      if (p.from === fy.startDate && p.to === fy.endDate) {
        previous = { fy: previousYear, from: previousYear.startDate, to: previousYear.endDate };
      } else {
        const start = LocalDate.parse(previousYear.startDate);
        const current = LocalDate.parse(fy.startDate);
        const months = (Number(fy.startDate.slice(0, 4)) - Number(previousYear.startDate.slice(0, 4))) * 12 + Number(fy.startDate.slice(5, 7)) - Number(previousYear.startDate.slice(5, 7));
        const days = Math.round((Date.parse(current.toString()) - Date.parse(start.toString())) / 86_400_000);
        const sameDay = fy.startDate.slice(8) === previousYear.startDate.slice(8);
        const shift = (day: string) => (sameDay ? LocalDate.parse(day).plusMonths(-months) : LocalDate.parse(day).plusDays(-days)).toString();
        const from = shift(p.from);
        const to = shift(p.to);
        if (to >= previousYear.startDate && from <= previousYear.endDate) {
          previous = { fy: previousYear, from: from < previousYear.startDate ? previousYear.startDate : from, to: to > previousYear.endDate ? previousYear.endDate : to };
        }
      }
    }
    return { fy, from: p.from, to: p.to, currency: p.currency, previous };
  }

  private async previousOf(ctx: OrgContext, fy: FiscalYearView): Promise<FiscalYearView | null> {
    const dayBefore = LocalDate.parse(fy.startDate).plusDays(-1).toString();
    const rows = await this.dataSource.query<{ id: string }[]>('SELECT id FROM fiscal_years WHERE organization_id = $1 AND end_date = $2', [ctx.organizationId, dayBefore]);
    return rows[0] ? this.fiscalYears.get(ctx, rows[0].id) : null;
  }

  /** Income statement over a period of a fiscal year (default the whole year). */
  async incomeStatement(ctx: OrgContext, query: StatementPeriodQuery): Promise<StatementView> {
    const { fy, from, to, currency, previous } = await this.periods(ctx, query);
    const build = async (id: string, start: string, end: string) => {
      const balances = (await this.reports.balancesOver(ctx, id, start, end)).filter((b) => /^[678]/.test(b.accountNumber));
      return {
        main: buildStatement(INCOME_STATEMENT, balances.filter((b) => /^[67]/.test(b.accountNumber))),
        foot: buildStatement(CONTRIBUTIONS_IN_KIND, balances.filter((b) => b.accountNumber.startsWith('8'))),
      };
    };
    const current = await build(fy.id, from, to);
    const before = previous ? await build(previous.fy.id, previous.from, previous.to) : null;
    const result = (b: Awaited<ReturnType<typeof build>>) => sum(b.main.sections, 'income') - sum(b.main.sections, 'expense');
    return {
      fiscalYearId: fy.id,
      startDate: fy.startDate,
      endDate: fy.endDate,
      from,
      to,
      previous: previous ? { fiscalYearId: previous.fy.id, startDate: previous.fy.startDate, endDate: previous.fy.endDate, from: previous.from, to: previous.to } : null,
      currency,
      sections: merge(current.main.sections, before?.main.sections ?? null),
      footSections: merge(current.foot.sections, before?.foot.sections ?? null),
      resultCents: result(current),
      previousResultCents: before ? result(before) : null,
      totalAssetsCents: null,
      totalLiabilitiesCents: null,
      unclassified: [...current.main.unclassified, ...current.foot.unclassified],
      warnings: fy.status === 'open' ? [{ code: 'accounting.year_open', message: 'Provisional: the fiscal year is not closed' }] : [],
    };
  }

  /** Balance sheet at the day `to` of a fiscal year (default its last day); `from` is not used. */
  async balanceSheet(ctx: OrgContext, query: StatementPeriodQuery): Promise<StatementView> {
    const { fy, to, currency, previous } = await this.periods(ctx, { fiscalYearId: query.fiscalYearId, to: query.to });
    const build = async (year: FiscalYearView, at: string) =>
      buildStatement(BALANCE_SHEET, (await this.reports.balancesOver(ctx, year.id, year.startDate, at)).filter((b) => !b.accountNumber.startsWith('8')));
    const current = await build(fy, to);
    const before = previous ? await build(previous.fy, previous.to) : null;
    const warnings: { code: string; message: string }[] = [];
    if (previous && previous.fy.status === 'open') {
      warnings.push({ code: 'accounting.previous_year_open', message: 'The previous fiscal year is not closed: its balances are not carried into this one yet' });
    }
    const income = (b: Built) => b.sections.find((s) => s.key === 'equity')?.lines.find((l) => l.key === 'result')?.amountCents ?? 0;
    return {
      fiscalYearId: fy.id,
      startDate: fy.startDate,
      endDate: fy.endDate,
      from: fy.startDate,
      to,
      previous: previous ? { fiscalYearId: previous.fy.id, startDate: previous.fy.startDate, endDate: previous.fy.endDate, from: previous.fy.startDate, to: previous.to } : null,
      currency,
      sections: merge(current.sections, before?.sections ?? null),
      footSections: [],
      resultCents: income(current),
      previousResultCents: before ? income(before) : null,
      totalAssetsCents: sum(current.sections, 'asset'),
      totalLiabilitiesCents: sum(current.sections, 'liability'),
      unclassified: current.unclassified,
      warnings,
    };
  }

  /** Income, expenses and result per analytic project/section over a period. */
  async analytic(ctx: OrgContext, query: ReportPeriodQuery): Promise<AnalyticResultView> {
    const p = await this.reports.period(ctx, query);
    const rows = await this.dataSource.query<{ analytic: string | null; income: string; expense: string }[]>(
      `SELECT l.analytic,
              sum(CASE WHEN a.number LIKE '7%' THEN l.credit_cents - l.debit_cents ELSE 0 END) AS income,
              sum(CASE WHEN a.number LIKE '6%' THEN l.debit_cents - l.credit_cents ELSE 0 END) AS expense
         FROM journal_entries e
         JOIN journal_entry_lines l ON l.organization_id = e.organization_id AND l.entry_id = e.id
         JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
        WHERE e.organization_id = $1 AND e.fiscal_year_id = $2 AND e.status = 'posted'
          AND e.entry_date >= $3 AND e.entry_date <= $4 AND (a.number LIKE '6%' OR a.number LIKE '7%')
        GROUP BY l.analytic ORDER BY l.analytic NULLS LAST`,
      [ctx.organizationId, p.fiscalYearId, p.from, p.to],
    );
    return {
      fiscalYearId: p.fiscalYearId,
      from: p.from,
      to: p.to,
      currency: p.currency,
      rows: rows.map((r) => ({ analytic: r.analytic, incomeCents: Number(r.income), expenseCents: Number(r.expense), resultCents: Number(r.income) - Number(r.expense) })),
    };
  }
}
