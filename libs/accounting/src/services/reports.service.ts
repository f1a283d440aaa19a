import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, LocalDate, type OrgContext } from '@ruche/core';
import type { GeneralLedgerAccount, GeneralLedgerQuery, GeneralLedgerView, ReportPeriodQuery, TrialBalanceView } from '@ruche/contracts';
import { FiscalYearsService } from './fiscal-years.service';

export interface ReportPeriod {
  fiscalYearId: string;
  fiscalYearStart: string;
  from: string;
  to: string;
  currency: string;
}

/**
 * Posted debits and credits per account before a day, within one fiscal year: full months from
 * the monthly balances, the days of the last month from the lines. Both reports rest on it.
 */
const BEFORE_SQL = `
  SELECT account_id, sum(debit_cents) AS debit, sum(credit_cents) AS credit FROM (
    SELECT b.account_id, b.debit_cents, b.credit_cents FROM account_balances b
     WHERE b.organization_id = $1 AND b.fiscal_year_id = $2 AND b.period_month < date_trunc('month', $3::date)
    UNION ALL
    -- The days of the month before the cut: from the entries of those days to their lines by
    -- primary key (OFFSET 0 keeps the planner from scanning every line of the book instead).
    SELECT l.account_id, l.debit_cents, l.credit_cents
      FROM journal_entries e
      CROSS JOIN LATERAL (SELECT account_id, debit_cents, credit_cents FROM journal_entry_lines l
                           WHERE l.organization_id = e.organization_id AND l.entry_id = e.id OFFSET 0) l
     WHERE e.organization_id = $1 AND e.fiscal_year_id = $2 AND e.status = 'posted'
       AND e.entry_date >= date_trunc('month', $3::date) AND e.entry_date < $3::date
  ) t GROUP BY account_id`;

/** Trial balance and general ledger for any period of a fiscal year. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly fiscalYears: FiscalYearsService,
  ) {}

  async period(ctx: OrgContext, query: Pick<ReportPeriodQuery, 'fiscalYearId' | 'from' | 'to'>): Promise<ReportPeriod> {
    const fy = await this.fiscalYears.get(ctx, query.fiscalYearId);
    const from = query.from ?? fy.startDate;
    const to = query.to ?? fy.endDate;
    for (const [field, value] of [['from', from], ['to', to]] as const) {
      let day: LocalDate;
      try {
        day = LocalDate.parse(value);
      } catch {
        throw DomainError.invalid('accounting.bad_date', `"${value}" is not a date`, field);
      }
      if (day.toString() < fy.startDate || day.toString() > fy.endDate) {
        throw DomainError.invalid('accounting.period_outside_fiscal_year', `${value} is outside the fiscal year ${fy.startDate} – ${fy.endDate}`, field);
      }
    }
    if (from > to) throw DomainError.invalid('accounting.period_reversed', 'The period ends before it starts', 'to');
    const [org] = await this.dataSource.query<{ currency: string }[]>('SELECT currency FROM organizations WHERE id = $1', [ctx.organizationId]);
    return { fiscalYearId: fy.id, fiscalYearStart: fy.startDate, from, to, currency: (org?.currency ?? 'EUR').trim() };
  }

  async trialBalance(ctx: OrgContext, query: ReportPeriodQuery): Promise<TrialBalanceView> {
    const p = await this.period(ctx, query);
    const dayAfter = LocalDate.parse(p.to).plusDays(1).toString();
    const rows = await this.dataSource.query<{ number: string; label: string; opening: string; debit: string; credit: string }[]>(
      `WITH before_from AS (${BEFORE_SQL}),
            before_end AS (${BEFORE_SQL.replaceAll('$3', '$4')})
       SELECT a.number, a.label,
              coalesce(bf.debit, 0) - coalesce(bf.credit, 0) AS opening,
              coalesce(be.debit, 0) - coalesce(bf.debit, 0) AS debit,
              coalesce(be.credit, 0) - coalesce(bf.credit, 0) AS credit
         FROM before_end be
         LEFT JOIN before_from bf ON bf.account_id = be.account_id
         JOIN accounts a ON a.organization_id = $1 AND a.id = be.account_id
        ORDER BY a.number`,
      [ctx.organizationId, p.fiscalYearId, p.from, dayAfter],
    );
    const result = rows
      .map((r) => {
        const openingCents = Number(r.opening);
        const debitCents = Number(r.debit);
        const creditCents = Number(r.credit);
        return { accountNumber: r.number, accountLabel: r.label, openingCents, debitCents, creditCents, closingCents: openingCents + debitCents - creditCents };
      })
      .filter((r) => r.openingCents !== 0 || r.debitCents !== 0 || r.creditCents !== 0);
    const totals = result.reduce(
      (t, r) => ({ openingCents: t.openingCents + r.openingCents, debitCents: t.debitCents + r.debitCents, creditCents: t.creditCents + r.creditCents, closingCents: t.closingCents + r.closingCents }),
      { openingCents: 0, debitCents: 0, creditCents: 0, closingCents: 0 },
    );
    return { fiscalYearId: p.fiscalYearId, from: p.from, to: p.to, currency: p.currency, rows: result, totals };
  }

  async generalLedger(ctx: OrgContext, query: GeneralLedgerQuery): Promise<GeneralLedgerView> {
    const p = await this.period(ctx, query);
    const prefix = `${query.account ?? ''}%`;
    const openings = await this.dataSource.query<{ number: string; label: string; opening: string }[]>(
      `WITH before_from AS (${BEFORE_SQL})
       SELECT a.number, a.label, bf.debit - bf.credit AS opening
         FROM before_from bf JOIN accounts a ON a.organization_id = $1 AND a.id = bf.account_id
        WHERE a.number LIKE $4 AND bf.debit <> bf.credit`,
      [ctx.organizationId, p.fiscalYearId, p.from, prefix],
    );
    const lines = await this.dataSource.query<
      { number: string; label: string; entry_id: string; entry_number: number; date: string; journal: string; piece_ref: string | null; line_label: string; debit: string; credit: string }[]
    >(
      `SELECT a.number, a.label, e.id AS entry_id, e.number AS entry_number, to_char(e.entry_date, 'YYYY-MM-DD') AS date, j.code AS journal,
              e.piece_ref, coalesce(l.label, e.label) AS line_label, l.debit_cents AS debit, l.credit_cents AS credit
         FROM journal_entries e
         JOIN journal_entry_lines l ON l.organization_id = e.organization_id AND l.entry_id = e.id
         JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
         JOIN journals j ON j.organization_id = e.organization_id AND j.id = e.journal_id
        WHERE e.organization_id = $1 AND e.fiscal_year_id = $2 AND e.status = 'posted'
          AND e.entry_date >= $3 AND e.entry_date <= $4 AND a.number LIKE $5
        ORDER BY a.number, e.entry_date, e.number, l.line_no`,
      [ctx.organizationId, p.fiscalYearId, p.from, p.to, prefix],
    );
    const accounts = new Map<string, GeneralLedgerAccount>();
    const account = (number: string, label: string) => {
      let found = accounts.get(number);
      if (!found) {
        found = { accountNumber: number, accountLabel: label, openingCents: 0, lines: [], debitCents: 0, creditCents: 0, closingCents: 0 };
        accounts.set(number, found);
      }
      return found;
    };
    for (const o of openings) {
      const a = account(o.number, o.label);
      a.openingCents = Number(o.opening);
      a.closingCents = a.openingCents;
    }
    for (const l of lines) {
      const a = account(l.number, l.label);
      const debitCents = Number(l.debit);
      const creditCents = Number(l.credit);
      a.debitCents += debitCents;
      a.creditCents += creditCents;
      a.closingCents += debitCents - creditCents;
      a.lines.push({ entryId: l.entry_id, entryNumber: l.entry_number, date: l.date, journalCode: l.journal, pieceRef: l.piece_ref, label: l.line_label, debitCents, creditCents, balanceCents: a.closingCents });
    }
    const sorted = [...accounts.values()].sort((x, y) => (x.accountNumber < y.accountNumber ? -1 : 1));
    return { fiscalYearId: p.fiscalYearId, from: p.from, to: p.to, currency: p.currency, accounts: sorted };
  }
}
