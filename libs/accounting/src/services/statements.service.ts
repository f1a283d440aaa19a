import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LocalDate, type OrgContext } from '@ruche/core';
import type { AnalyticResultView, FiscalYearView, ReportPeriodQuery, StatementSectionView, StatementView } from '@ruche/contracts';
import { BALANCE_SHEET, CONTRIBUTIONS_IN_KIND, INCOME_STATEMENT, buildStatement, type Balance, type StatementSectionDef } from '../domain/statements';
import { FiscalYearsService } from './fiscal-years.service';
import { ReportsService } from './reports.service';

type Built = ReturnType<typeof buildStatement>;

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

  private async balances(ctx: OrgContext, fiscalYearId: string): Promise<Balance[]> {
    const rows = await this.dataSource.query<{ number: string; balance: string }[]>(
      `SELECT a.number, sum(b.debit_cents - b.credit_cents) AS balance
         FROM account_balances b JOIN accounts a ON a.organization_id = b.organization_id AND a.id = b.account_id
        WHERE b.organization_id = $1 AND b.fiscal_year_id = $2 GROUP BY a.number`,
      [ctx.organizationId, fiscalYearId],
    );
    return rows.map((r) => ({ accountNumber: r.number, balanceCents: Number(r.balance) }));
  }

  private async previousOf(ctx: OrgContext, fy: FiscalYearView): Promise<FiscalYearView | null> {
    const dayBefore = LocalDate.parse(fy.startDate).plusDays(-1).toString();
    const rows = await this.dataSource.query<{ id: string }[]>('SELECT id FROM fiscal_years WHERE organization_id = $1 AND end_date = $2', [ctx.organizationId, dayBefore]);
    return rows[0] ? this.fiscalYears.get(ctx, rows[0].id) : null;
  }

  private async currency(ctx: OrgContext): Promise<string> {
    const [org] = await this.dataSource.query<{ currency: string }[]>('SELECT currency FROM organizations WHERE id = $1', [ctx.organizationId]);
    return (org?.currency ?? 'EUR').trim();
  }

  async incomeStatement(ctx: OrgContext, fiscalYearId: string): Promise<StatementView> {
    const fy = await this.fiscalYears.get(ctx, fiscalYearId);
    const previous = await this.previousOf(ctx, fy);
    const build = async (id: string) => {
      const balances = (await this.balances(ctx, id)).filter((b) => /^[678]/.test(b.accountNumber));
      return {
        main: buildStatement(INCOME_STATEMENT, balances.filter((b) => /^[67]/.test(b.accountNumber))),
        foot: buildStatement(CONTRIBUTIONS_IN_KIND, balances.filter((b) => b.accountNumber.startsWith('8'))),
      };
    };
    const current = await build(fy.id);
    const before = previous ? await build(previous.id) : null;
    const result = (b: Awaited<ReturnType<typeof build>>) => sum(b.main.sections, 'income') - sum(b.main.sections, 'expense');
    return {
      fiscalYearId: fy.id,
      startDate: fy.startDate,
      endDate: fy.endDate,
      previous: previous ? { fiscalYearId: previous.id, startDate: previous.startDate, endDate: previous.endDate } : null,
      currency: await this.currency(ctx),
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

  async balanceSheet(ctx: OrgContext, fiscalYearId: string): Promise<StatementView> {
    const fy = await this.fiscalYears.get(ctx, fiscalYearId);
    const previous = await this.previousOf(ctx, fy);
    const build = async (id: string) => buildStatement(BALANCE_SHEET, (await this.balances(ctx, id)).filter((b) => !b.accountNumber.startsWith('8')));
    const current = await build(fy.id);
    const before = previous ? await build(previous.id) : null;
    const warnings: { code: string; message: string }[] = [];
    if (previous && previous.status === 'open') {
      warnings.push({ code: 'accounting.previous_year_open', message: 'The previous fiscal year is not closed: its balances are not carried into this one yet' });
    }
    const income = (b: Built) => b.sections.find((s) => s.key === 'equity')?.lines.find((l) => l.key === 'result')?.amountCents ?? 0;
    return {
      fiscalYearId: fy.id,
      startDate: fy.startDate,
      endDate: fy.endDate,
      previous: previous ? { fiscalYearId: previous.id, startDate: previous.startDate, endDate: previous.endDate } : null,
      currency: await this.currency(ctx),
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
