import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, LocalDate, type OrgContext } from '@ruche/core';
import type { CloseFiscalYearInput, FiscalYearView, ReopenFiscalYearInput, YearCloseCheckView, YearCloseResultView } from '@ruche/contracts';
import { AuditService, Clock, LiveEventsPort } from '@ruche/platform';
import { openingLines, yearResultCents } from '../domain/year-close';
import { FiscalYearsService } from './fiscal-years.service';
import { LedgerService } from './ledger.service';
import { PostingAccountsService } from './posting-accounts.service';

/**
 * Closing a fiscal year: checks, result, lock, and the opening entry (à-nouveaux) of the next
 * year. Reopening is an owner's explicit, audited act that reverses that opening entry.
 *
 * Numbering: a year opened after another keeps number 1 for its opening entry (ordinary
 * postings start at 2), so the first close posts the à-nouveaux as entry 1 even when entries of
 * the next year were posted before. After a reopening, the reversal of that entry and the
 * opening entry of the next close take the next ordinary numbers (number 1 is used once; posted
 * entries are never renumbered). A close with nothing to carry forward gives number 1 back when
 * the next year has no posted entry yet; otherwise the FEC self-check reports it unused.
 */
@Injectable()
export class YearCloseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly fiscalYears: FiscalYearsService,
    private readonly ledger: LedgerService,
    private readonly postingAccounts: PostingAccountsService,
    private readonly audit: AuditService,
    private readonly live: LiveEventsPort,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async check(ctx: OrgContext, fiscalYearId: string, tx?: EntityManager): Promise<YearCloseCheckView> {
    const m = tx ?? this.dataSource.manager;
    const fy = await this.fiscalYears.get(ctx, fiscalYearId, m);
    const problems: { code: string; message: string }[] = [];
    if (fy.status === 'closed') problems.push({ code: 'accounting.already_closed', message: 'This fiscal year is already closed' });
    const [earlier] = await m.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM fiscal_years WHERE organization_id = $1 AND end_date < $2 AND status = 'open'`,
      [ctx.organizationId, fy.startDate],
    );
    if ((earlier?.n ?? 0) > 0) problems.push({ code: 'accounting.earlier_year_open', message: 'Close the earlier fiscal years first' });
    const [drafts] = await m.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM journal_entries WHERE organization_id = $1 AND fiscal_year_id = $2 AND status = 'draft'`,
      [ctx.organizationId, fy.id],
    );
    if ((drafts?.n ?? 0) > 0) problems.push({ code: 'accounting.drafts_left', message: `${drafts?.n} draft entries: validate or delete them` });
    const balances = (
      await m.query<{ number: string; balance: string }[]>(
        `SELECT a.number, sum(b.debit_cents - b.credit_cents) AS balance
           FROM account_balances b JOIN accounts a ON a.organization_id = b.organization_id AND a.id = b.account_id
          WHERE b.organization_id = $1 AND b.fiscal_year_id = $2
          GROUP BY a.number HAVING sum(b.debit_cents - b.credit_cents) <> 0 ORDER BY a.number`,
        [ctx.organizationId, fy.id],
      )
    ).map((r) => ({ accountNumber: r.number, balanceCents: Number(r.balance) }));
    const inKind = balances.filter((b) => b.accountNumber.startsWith('8')).reduce((sum, b) => sum + b.balanceCents, 0);
    if (inKind !== 0) problems.push({ code: 'accounting.contributions_in_kind_unbalanced', message: 'Contributions in kind (class 8): uses (86) and resources (87) differ' });
    const accounts = await this.postingAccounts.accounts(ctx, m);
    const resultCents = yearResultCents(balances);
    const lines = openingLines(balances, resultCents, { surplus: accounts.result_surplus, deficit: accounts.result_deficit });
    const dayAfter = LocalDate.parse(fy.endDate).plusDays(1);
    const [next] = await m.query<{ start_date: string; end_date: string }[]>(
      `SELECT to_char(start_date, 'YYYY-MM-DD') AS start_date, to_char(end_date, 'YYYY-MM-DD') AS end_date
         FROM fiscal_years WHERE organization_id = $1 AND start_date = $2`,
      [ctx.organizationId, dayAfter.toString()],
    );
    return {
      fiscalYearId: fy.id,
      ready: problems.length === 0,
      problems,
      suspense: balances.filter((b) => b.accountNumber.startsWith('471')),
      resultCents,
      openingLines: lines,
      nextFiscalYear: next
        ? { startDate: next.start_date, endDate: next.end_date }
        : { startDate: dayAfter.toString(), endDate: dayAfter.plusMonths(12).plusDays(-1).toString() },
    };
  }

  async close(ctx: OrgContext, fiscalYearId: string, input: CloseFiscalYearInput): Promise<YearCloseResultView> {
    const result = await this.dataSource.transaction(async (tx) => {
      const locked = await tx.query<unknown[]>('SELECT 1 FROM fiscal_years WHERE organization_id = $1 AND id = $2 FOR UPDATE', [ctx.organizationId, fiscalYearId]);
      if (locked.length === 0) throw DomainError.notFound('accounting.fiscal_year_not_found');
      const check = await this.check(ctx, fiscalYearId, tx);
      if (!check.ready) throw new DomainError('invalid', check.problems[0]?.code ?? 'accounting.cannot_close', check.problems[0]?.message ?? 'Cannot close', { details: check.problems.map((p) => ({ field: 'fiscalYearId', ...p })) });
      if (check.suspense.length > 0 && !input.confirmSuspense) {
        throw new DomainError('invalid', 'accounting.suspense_not_empty', 'Suspense accounts still hold a balance: clear them or confirm', {
          details: check.suspense.map((s) => ({ field: 'confirmSuspense', code: 'accounting.suspense_not_empty', message: `${s.accountNumber}: ${(s.balanceCents / 100).toFixed(2)}` })),
        });
      }
      const now = this.clock.now();
      const next = await this.openNextYear(ctx, tx, check.nextFiscalYear.startDate, check.nextFiscalYear.endDate);
      if (next.status !== 'open') throw DomainError.conflict('accounting.next_year_closed', 'The next fiscal year is closed');
      await tx.query(`UPDATE fiscal_years SET status = 'closed', closed_at = $3, closed_by = $4 WHERE organization_id = $1 AND id = $2`, [ctx.organizationId, fiscalYearId, now, ctx.userId]);
      let openingEntryId: string | null = null;
      if (check.openingLines.length > 0) {
        const journal = await tx.query<{ code: string }[]>(`SELECT code FROM journals WHERE organization_id = $1 AND kind = 'opening' AND active ORDER BY code LIMIT 1`, [ctx.organizationId]);
        const posted = await this.ledger.post(
          ctx,
          {
            journal: journal[0]?.code ?? 'AN',
            date: next.startDate,
            label: `À-nouveaux de l’exercice ${check.nextFiscalYear.startDate.slice(0, 4)}`,
            pieceRef: `AN-${next.startDate.slice(0, 4)}`,
            source: `year-close:${fiscalYearId}:${now.toISOString()}`,
            lines: check.openingLines.map((l) => ({ account: l.accountNumber, debitCents: l.debitCents, creditCents: l.creditCents })),
          },
          tx,
          { reservedNumber: 'opening' },
        );
        openingEntryId = posted.entryId;
      } else {
        // Locked by a statement of its own, so that the check below sees an entry 1 a concurrent
        // posting committed while this one waited (READ COMMITTED: a fresh snapshot per statement).
        await tx.query('SELECT 1 FROM fiscal_years WHERE organization_id = $1 AND id = $2 FOR UPDATE', [ctx.organizationId, next.id]);
        await tx.query(
          `UPDATE fiscal_years SET opening_entry_number = NULL, last_entry_number = 0
            WHERE organization_id = $1 AND id = $2 AND opening_entry_number = 1 AND last_entry_number = 1
              AND NOT EXISTS (SELECT 1 FROM journal_entries e WHERE e.organization_id = $1 AND e.fiscal_year_id = $2 AND e.number IS NOT NULL)`,
          [ctx.organizationId, next.id],
        );
      }
      await this.audit.record(ctx, { action: 'accounting.fiscal-year-closed', entityType: 'fiscal_year', entityId: fiscalYearId, after: { resultCents: check.resultCents, openingEntryId, confirmSuspense: input.confirmSuspense } }, tx);
      return { resultCents: check.resultCents, openingEntryId, nextFiscalYearId: next.id };
    });
    await this.live.publish({ type: 'fiscal-year.closed', organizationId: ctx.organizationId, at: this.clock.now().toISOString(), data: { fiscalYearId } });
    return { fiscalYear: await this.fiscalYears.get(ctx, fiscalYearId), ...result };
  }

  async reopen(ctx: OrgContext, fiscalYearId: string, input: ReopenFiscalYearInput): Promise<FiscalYearView> {
    await this.dataSource.transaction(async (tx) => {
      const [fy] = await tx.query<{ status: string; end_date: string }[]>(
        `SELECT status, to_char(end_date, 'YYYY-MM-DD') AS end_date FROM fiscal_years WHERE organization_id = $1 AND id = $2 FOR UPDATE`,
        [ctx.organizationId, fiscalYearId],
      );
      if (!fy) throw DomainError.notFound('accounting.fiscal_year_not_found');
      if (fy.status !== 'closed') throw DomainError.conflict('accounting.not_closed', 'This fiscal year is open');
      const [later] = await tx.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM fiscal_years WHERE organization_id = $1 AND start_date > $2 AND status = 'closed'`,
        [ctx.organizationId, fy.end_date],
      );
      if ((later?.n ?? 0) > 0) throw DomainError.conflict('accounting.later_year_closed', 'Reopen the later fiscal years first');
      const openings = await tx.query<{ id: string }[]>(
        `SELECT e.id FROM journal_entries e
          WHERE e.organization_id = $1 AND e.source LIKE $2 AND e.status = 'posted'
            AND NOT EXISTS (SELECT 1 FROM journal_entries r WHERE r.organization_id = e.organization_id AND r.reversal_of_id = e.id)`,
        [ctx.organizationId, `year-close:${fiscalYearId}:%`],
      );
      const next = LocalDate.parse(fy.end_date).plusDays(1).toString();
      for (const opening of openings) {
        await this.ledger.reverseIn(ctx, tx, opening.id, { date: next, label: 'Annulation des à-nouveaux (réouverture de l’exercice)' });
      }
      await tx.query(`UPDATE fiscal_years SET status = 'open', closed_at = NULL, closed_by = NULL WHERE organization_id = $1 AND id = $2`, [ctx.organizationId, fiscalYearId]);
      await this.audit.record(ctx, { action: 'accounting.fiscal-year-reopened', entityType: 'fiscal_year', entityId: fiscalYearId, after: { reason: input.reason, reversedOpenings: openings.map((o) => o.id) } }, tx);
    });
    return this.fiscalYears.get(ctx, fiscalYearId);
  }

  private async openNextYear(ctx: OrgContext, tx: EntityManager, startDate: string, endDate: string): Promise<FiscalYearView> {
    const existing = await tx.query<{ id: string }[]>(`SELECT id FROM fiscal_years WHERE organization_id = $1 AND start_date = $2`, [ctx.organizationId, startDate]);
    if (existing[0]) return this.fiscalYears.get(ctx, existing[0].id, tx);
    return this.fiscalYears.createIn(ctx, tx, LocalDate.parse(startDate), LocalDate.parse(endDate));
  }
}
