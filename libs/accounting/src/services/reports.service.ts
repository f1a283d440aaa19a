import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, LocalDate, type OrgContext } from '@ruche/core';
import type { GeneralLedgerAccount, GeneralLedgerQuery, GeneralLedgerView, JournalListingJournal, JournalListingQuery, JournalListingView, ReportPeriodQuery, TrialBalanceView } from '@ruche/contracts';
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
 * the monthly balances, the days of the last month from the daily balances (both kept by the
 * posting trigger), so no report period reads the lines. Both reports rest on it.
 */
const BEFORE_SQL = `
  SELECT account_id, sum(debit_cents) AS debit, sum(credit_cents) AS credit FROM (
    SELECT b.account_id, b.debit_cents, b.credit_cents FROM account_balances b
     WHERE b.organization_id = $1 AND b.fiscal_year_id = $2 AND b.period_month < date_trunc('month', $3::date)
    UNION ALL
    -- The days of the month before the cut: at most 30 days x accounts, one range of the key.
    SELECT d.account_id, d.debit_cents, d.credit_cents FROM account_daily_balances d
     WHERE d.organization_id = $1 AND d.fiscal_year_id = $2
       AND d.day >= date_trunc('month', $3::date)::date AND d.day < $3::date
  ) t GROUP BY account_id`;

/** Trial balance, general ledger and journal listing for any period of a fiscal year. */
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

  /**
   * General ledger, one page of at most `limit` lines in keyset order (account number, date,
   * entry number, line). Each account of the page carries its opening balance and its totals
   * over the whole period; running balances go on from the page before (`broughtForwardCents`).
   */
  async generalLedger(ctx: OrgContext, query: GeneralLedgerQuery): Promise<GeneralLedgerView> {
    const p = await this.period(ctx, query);
    return this.ledgerPage(ctx, p, query.account ?? '', query.limit ?? 500, query.cursor ?? null);
  }

  private static decodeLedgerCursor(cursor: string): { account: string; date: string; entry: number; line: number } {
    try {
      const [account, date, entry, line] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
      if (typeof account === 'string' && /^\d{1,12}$/.test(account) && typeof date === 'string' && Number.isInteger(entry) && Number.isInteger(line) && (entry as number) >= 1 && (entry as number) <= 2_147_483_647 && (line as number) >= 1 && (line as number) <= 32_767) {
        return { account, date: LocalDate.parse(date).toString(), entry: entry as number, line: line as number };
      }
    } catch {
      // Falls through to the refusal below.
    }
    throw DomainError.invalid('accounting.bad_cursor', 'The cursor is not one given by a previous page', 'cursor');
  }

  /** A page of the general ledger of a checked period (the CSV export reads every page in turn). */
  async ledgerPage(ctx: OrgContext, p: ReportPeriod, accountPrefix: string, limit: number, cursor: string | null): Promise<GeneralLedgerView> {
    const after = cursor === null ? null : ReportsService.decodeLedgerCursor(cursor);
    const dayAfter = LocalDate.parse(p.to).plusDays(1).toString();
    // Accounts with a balance at `from` or movements in the period, from the cursor's account on:
    // opening and period totals from the balances (as the trial balance), never from the lines.
    const candidates = await this.dataSource.query<{ id: string; number: string; label: string; opening: string; debit: string; credit: string }[]>(
      `WITH before_from AS (${BEFORE_SQL}),
            before_end AS (${BEFORE_SQL.replaceAll('$3', '$4')})
       SELECT a.id, a.number, a.label,
              coalesce(bf.debit, 0) - coalesce(bf.credit, 0) AS opening,
              coalesce(be.debit, 0) - coalesce(bf.debit, 0) AS debit,
              coalesce(be.credit, 0) - coalesce(bf.credit, 0) AS credit
         FROM before_end be
         LEFT JOIN before_from bf ON bf.account_id = be.account_id
         JOIN accounts a ON a.organization_id = $1 AND a.id = be.account_id
        WHERE a.number LIKE $5 AND a.number >= $6
        ORDER BY a.number`,
      [ctx.organizationId, p.fiscalYearId, p.from, dayAfter, `${accountPrefix}%`, after?.account ?? ''],
    );
    const accounts: GeneralLedgerAccount[] = [];
    const key = (account: string, line: { date: string; entry_number: number; line_no: number }) =>
      Buffer.from(JSON.stringify([account, line.date, line.entry_number, line.line_no])).toString('base64url');
    let room = limit;
    let lastKey: string | null = null;
    let nextCursor: string | null = null;
    for (const c of candidates) {
      const openingCents = Number(c.opening);
      const debitCents = Number(c.debit);
      const creditCents = Number(c.credit);
      const continued = after !== null && c.number === after.account;
      if (!continued && openingCents === 0 && debitCents === 0 && creditCents === 0) continue;
      const lines = debitCents === 0 && creditCents === 0 ? [] : await this.ledgerLines(ctx, p, c.id, continued ? after : null, room + 1);
      if (continued && lines.length === 0) continue;
      if (room === 0) {
        // The page is full and this account has something to show: the next page starts here.
        nextCursor = lastKey;
        break;
      }
      const more = lines.length > room;
      if (more) lines.length = room;
      const broughtForwardCents = continued && after ? await this.balanceThrough(ctx, p.fiscalYearId, c.id, after) : openingCents;
      let balance = broughtForwardCents;
      accounts.push({
        accountNumber: c.number,
        accountLabel: c.label,
        openingCents,
        debitCents,
        creditCents,
        closingCents: openingCents + debitCents - creditCents,
        continued,
        broughtForwardCents,
        continues: more,
        lines: lines.map((l) => {
          const debit = Number(l.debit);
          const credit = Number(l.credit);
          balance += debit - credit;
          return { entryId: l.entry_id, entryNumber: l.entry_number, date: l.date, journalCode: l.journal, pieceRef: l.piece_ref, label: l.line_label, debitCents: debit, creditCents: credit, balanceCents: balance, letter: l.letter };
        }),
      });
      room -= lines.length;
      const last = lines.at(-1);
      if (last) lastKey = key(c.number, last);
      if (more) {
        nextCursor = lastKey;
        break;
      }
    }
    return { fiscalYearId: p.fiscalYearId, from: p.from, to: p.to, currency: p.currency, accounts, nextCursor };
  }

  /** Posted lines of one account in the period, after a key, in (date, entry number, line) order. */
  private ledgerLines(ctx: OrgContext, p: ReportPeriod, accountId: string, after: { date: string; entry: number; line: number } | null, limit: number) {
    return this.dataSource.query<
      { entry_id: string; entry_number: number; line_no: number; date: string; journal: string; piece_ref: string | null; line_label: string; debit: string; credit: string; letter: string | null }[]
    >(
      // The letter: the code of the reconciliation match in force on the line (as EcritureLet in the FEC).
      `SELECT e.id AS entry_id, e.number AS entry_number, l.line_no, to_char(e.entry_date, 'YYYY-MM-DD') AS date, j.code AS journal,
              e.piece_ref, coalesce(l.label, e.label) AS line_label, l.debit_cents AS debit, l.credit_cents AS credit,
              (SELECT mt.letter FROM reconciliation_match_items i
                 JOIN reconciliation_matches mt ON mt.organization_id = i.organization_id AND mt.id = i.match_id AND mt.status = 'active'
                WHERE i.organization_id = l.organization_id AND i.active AND i.entry_id = l.entry_id AND i.line_no = l.line_no) AS letter
         FROM journal_entry_lines l
         JOIN journal_entries e ON e.organization_id = l.organization_id AND e.id = l.entry_id
         JOIN journals j ON j.organization_id = e.organization_id AND j.id = e.journal_id
        WHERE l.organization_id = $1 AND l.account_id = $2 AND e.fiscal_year_id = $3 AND e.status = 'posted'
          AND e.entry_date >= $4 AND e.entry_date <= $5
          AND ($6::date IS NULL OR (e.entry_date >= $6::date AND (e.entry_date, e.number, l.line_no) > ($6::date, $7::int, $8::int)))
        ORDER BY e.entry_date, e.number, l.line_no
        LIMIT $9`,
      [ctx.organizationId, accountId, p.fiscalYearId, p.from, p.to, after?.date ?? null, after?.entry ?? 0, after?.line ?? 0, limit],
    );
  }

  /**
   * Balance of one account after a line (à-nouveaux included): the monthly balances before its
   * month, then the lines of that month up to the line itself.
   */
  private async balanceThrough(ctx: OrgContext, fiscalYearId: string, accountId: string, at: { date: string; entry: number; line: number }): Promise<number> {
    const [row] = await this.dataSource.query<{ balance: string }[]>(
      `SELECT coalesce(sum(d - c), 0) AS balance FROM (
         SELECT b.debit_cents AS d, b.credit_cents AS c FROM account_balances b
          WHERE b.organization_id = $1 AND b.fiscal_year_id = $2 AND b.account_id = $3 AND b.period_month < date_trunc('month', $4::date)
         UNION ALL
         SELECT d.debit_cents, d.credit_cents FROM account_daily_balances d
          WHERE d.organization_id = $1 AND d.fiscal_year_id = $2 AND d.account_id = $3
            AND d.day >= date_trunc('month', $4::date)::date AND d.day < $4::date
         UNION ALL
         SELECT l.debit_cents, l.credit_cents FROM journal_entry_lines l
           JOIN journal_entries e ON e.organization_id = l.organization_id AND e.id = l.entry_id
          WHERE l.organization_id = $1 AND l.account_id = $3 AND e.fiscal_year_id = $2 AND e.status = 'posted'
            AND e.entry_date = $4::date AND (e.number, l.line_no) <= ($5::int, $6::int)
       ) t`,
      [ctx.organizationId, fiscalYearId, accountId, at.date, at.entry, at.line],
    );
    return Number(row?.balance ?? 0);
  }

  /**
   * Balance of every account over `from`–`to` of a fiscal year (debit positive): posted
   * movements of those days, à-nouveaux included when `from` is the first day of the year.
   * The annual statements rest on it for any period.
   */
  async balancesOver(ctx: OrgContext, fiscalYearId: string, from: string, to: string): Promise<{ accountNumber: string; balanceCents: number }[]> {
    const dayAfter = LocalDate.parse(to).plusDays(1).toString();
    const rows = await this.dataSource.query<{ number: string; balance: string }[]>(
      `WITH before_from AS (${BEFORE_SQL}),
            before_end AS (${BEFORE_SQL.replaceAll('$3', '$4')})
       SELECT a.number, (coalesce(be.debit, 0) - coalesce(bf.debit, 0)) - (coalesce(be.credit, 0) - coalesce(bf.credit, 0)) AS balance
         FROM before_end be
         LEFT JOIN before_from bf ON bf.account_id = be.account_id
         JOIN accounts a ON a.organization_id = $1 AND a.id = be.account_id`,
      [ctx.organizationId, fiscalYearId, from, dayAfter],
    );
    return rows.map((r) => ({ accountNumber: r.number, balanceCents: Number(r.balance) }));
  }

  /**
   * Journal listing (journal général): the posted entries of the period, journal by journal,
   * each in EcritureNum order with its lines; totals per journal and for the whole listing.
   */
  /** The most lines a journal listing holds (tests lower it). */
  static journalListingMaxLines = 20_000;

  async journalListing(ctx: OrgContext, query: JournalListingQuery): Promise<JournalListingView> {
    const p = await this.period(ctx, query);
    const journal = query.journal ?? null;
    if (journal) {
      const known = await this.dataSource.query<unknown[]>('SELECT 1 FROM journals WHERE organization_id = $1 AND code = $2', [ctx.organizationId, journal]);
      if (known.length === 0) throw DomainError.invalid('accounting.journal_unknown', `No journal ${journal}`, 'journal');
    }
    const rows = await this.dataSource.query<
      { journal: string; journal_label: string; entry_id: string; number: number; date: string; piece_ref: string | null; entry_label: string; total: string; account: string; account_label: string; line_label: string | null; debit: string; credit: string }[]
    >(
      `SELECT j.code AS journal, j.label AS journal_label, e.id AS entry_id, e.number, to_char(e.entry_date, 'YYYY-MM-DD') AS date, e.piece_ref,
              e.label AS entry_label, e.total_cents AS total, a.number AS account, a.label AS account_label, l.label AS line_label,
              l.debit_cents AS debit, l.credit_cents AS credit
         FROM journal_entries e
         JOIN journals j ON j.organization_id = e.organization_id AND j.id = e.journal_id
         JOIN journal_entry_lines l ON l.organization_id = e.organization_id AND l.entry_id = e.id
         JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
        WHERE e.organization_id = $1 AND e.fiscal_year_id = $2 AND e.status = 'posted'
          AND e.entry_date >= $3 AND e.entry_date <= $4 AND ($5::varchar IS NULL OR j.code = $5)
        ORDER BY j.code, e.number, l.line_no
        LIMIT $6`,
      [ctx.organizationId, p.fiscalYearId, p.from, p.to, journal, ReportsService.journalListingMaxLines + 1],
    );
    // Built in memory (JSON, CSV, PDF alike): bounded. The whole book is the entries CSV or the FEC (streamed).
    if (rows.length > ReportsService.journalListingMaxLines)
      throw DomainError.invalid(
        'accounting.journal_listing_too_large',
        `The listing has more than ${ReportsService.journalListingMaxLines} lines: choose a journal or a shorter period, or export every entry (entries CSV, FEC)`,
        'to',
      );
    const journals: JournalListingJournal[] = [];
    const totals = { debitCents: 0, creditCents: 0 };
    for (const r of rows) {
      let current = journals.at(-1);
      if (current?.journalCode !== r.journal) {
        current = { journalCode: r.journal, journalLabel: r.journal_label, entries: [], debitCents: 0, creditCents: 0 };
        journals.push(current);
      }
      let entry = current.entries.at(-1);
      if (entry?.entryId !== r.entry_id) {
        entry = { entryId: r.entry_id, number: r.number, date: r.date, pieceRef: r.piece_ref, label: r.entry_label, lines: [], totalCents: Number(r.total) };
        current.entries.push(entry);
      }
      const debitCents = Number(r.debit);
      const creditCents = Number(r.credit);
      entry.lines.push({ accountNumber: r.account, accountLabel: r.account_label, label: r.line_label, debitCents, creditCents });
      current.debitCents += debitCents;
      current.creditCents += creditCents;
      totals.debitCents += debitCents;
      totals.creditCents += creditCents;
    }
    return { fiscalYearId: p.fiscalYearId, from: p.from, to: p.to, currency: p.currency, journal, journals, totals };
  }
}
