import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, LocalDate, type OrgContext } from '@ruche/core';
import type { DeferralsView, PostingRole } from '@ruche/contracts';
import { AuditService } from '@ruche/platform';
import { deferralLines, planDeferrals, type DeferralItem } from '../domain/deferrals';
import { FiscalYearsService } from './fiscal-years.service';
import { LedgerService, type PostResult } from './ledger.service';
import { PostingAccountsService } from './posting-accounts.service';

/**
 * Where deferrable income comes from: the domain that sold something over a period (memberships)
 * lists, for a fiscal year, what it received in it and the period each sum pays for.
 */
export interface DeferralSource {
  name: string;
  collect(
    ctx: OrgContext,
    fiscalYear: { startDate: string; endDate: string },
    accounts: Record<PostingRole, string>,
    m: EntityManager,
  ): Promise<DeferralItem[]>;
}

const SOURCE = 'deferral';
const REVERSAL_SOURCE = 'deferral-reversal';

/**
 * Year-end deferral of income (produits constatés d'avance): the assistant lists what income of
 * the year pays for days of the next one, posts one entry on the last day (D income / C 487)
 * and its reversal on the next year's first day. Optional: many small associations keep their
 * books on a cash basis. Cancelling reverses both entries; nothing is edited or deleted.
 */
@Injectable()
export class DeferralsService {
  private readonly sources: DeferralSource[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly fiscalYears: FiscalYearsService,
    private readonly ledger: LedgerService,
    private readonly postingAccounts: PostingAccountsService,
    private readonly audit: AuditService,
  ) {}

  registerSource(source: DeferralSource): void {
    if (!this.sources.some((s) => s.name === source.name)) this.sources.push(source);
  }

  async preview(ctx: OrgContext, fiscalYearId: string, tx?: EntityManager): Promise<DeferralsView> {
    const m = tx ?? this.dataSource.manager;
    const fy = await this.fiscalYears.get(ctx, fiscalYearId, m);
    const accounts = await this.postingAccounts.accounts(ctx, m);
    const items: DeferralItem[] = [];
    for (const source of this.sources) items.push(...(await source.collect(ctx, fy, accounts, m)));
    const plan = planDeferrals(items, fy.endDate);
    return {
      fiscalYearId: fy.id,
      fiscalYearEnd: fy.endDate,
      deferredAccount: accounts.deferred_revenue,
      items: plan.items,
      byAccount: plan.byAccount,
      totalCents: plan.totalCents,
      posted: await this.inForce(ctx, m, fy.id),
      closed: fy.status === 'closed',
    };
  }

  /** Posts the year-end entry and its reversal, once: a deferral in force answers 409. */
  async post(ctx: OrgContext, fiscalYearId: string): Promise<DeferralsView> {
    const published: PostResult[] = [];
    await this.dataSource.transaction(async (tx) => {
      await this.lockOpenYear(ctx, tx, fiscalYearId);
      if (await this.inForce(ctx, tx, fiscalYearId))
        throw DomainError.conflict(
          'accounting.deferral_posted',
          'The deferral of this fiscal year is already posted: cancel it first to post it again',
        );
      const view = await this.preview(ctx, fiscalYearId, tx);
      if (view.totalCents === 0)
        throw DomainError.invalid(
          'accounting.nothing_to_defer',
          'No income of this fiscal year pays for days of the next one',
          'fiscalYearId',
        );
      const lines = deferralLines(
        { items: view.items, byAccount: view.byAccount, totalCents: view.totalCents },
        view.deferredAccount,
      );
      const [{ n }] = await tx.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM journal_entries WHERE organization_id = $1 AND source LIKE $2`,
        [ctx.organizationId, `${SOURCE}:${fiscalYearId}:%`],
      );
      const round = n + 1;
      const journal = await this.ledger.journalOfKind(ctx, tx, 'miscellaneous');
      const next = LocalDate.parse(view.fiscalYearEnd).plusDays(1).toString();
      const year = view.fiscalYearEnd.slice(0, 4);
      const entry = await this.ledger.post(
        ctx,
        {
          journal,
          date: view.fiscalYearEnd,
          label: `Produits constatés d’avance au ${view.fiscalYearEnd.split('-').reverse().join('/')}`,
          pieceRef: `PCA-${year}${round > 1 ? `-${round}` : ''}`,
          source: `${SOURCE}:${fiscalYearId}:${round}`,
          lines,
        },
        tx,
      );
      const reversal = await this.ledger.post(
        ctx,
        {
          journal,
          date: next,
          label: `Reprise des produits constatés d’avance au ${view.fiscalYearEnd.split('-').reverse().join('/')}`,
          pieceRef: `PCA-${year}${round > 1 ? `-${round}` : ''}-R`,
          source: `${REVERSAL_SOURCE}:${fiscalYearId}:${round}`,
          lines: lines.map((l) => ({
            account: l.account,
            debitCents: l.creditCents,
            creditCents: l.debitCents,
          })),
        },
        tx,
      );
      published.push(entry, reversal);
      await this.audit.record(
        ctx,
        {
          action: 'accounting.deferral-posted',
          entityType: 'fiscal_year',
          entityId: fiscalYearId,
          after: {
            entryId: entry.entryId,
            reversalEntryId: reversal.entryId,
            totalCents: view.totalCents,
            items: view.items.length,
          },
        },
        tx,
      );
    });
    for (const p of published)
      if (p.created) await this.ledger.publishPosted(ctx, p.entryId, p.number);
    return this.preview(ctx, fiscalYearId);
  }

  /** Reverses the deferral in force and its reversal (the treasurer posts it again if needed). */
  async cancel(ctx: OrgContext, fiscalYearId: string, reason: string): Promise<DeferralsView> {
    const published: PostResult[] = [];
    await this.dataSource.transaction(async (tx) => {
      const fy = await this.lockOpenYear(ctx, tx, fiscalYearId);
      const posted = await this.inForce(ctx, tx, fiscalYearId);
      if (!posted)
        throw DomainError.conflict(
          'accounting.no_deferral',
          'No deferral of this fiscal year is in force',
        );
      const label = `Annulation des produits constatés d’avance : ${reason}`;
      published.push(
        await this.ledger.reverseIn(ctx, tx, posted.entryId, { date: fy.endDate, label }),
      );
      if (posted.reversalEntryId) {
        const next = LocalDate.parse(fy.endDate).plusDays(1).toString();
        published.push(
          await this.ledger.reverseIn(ctx, tx, posted.reversalEntryId, { date: next, label }),
        );
      }
      await this.audit.record(
        ctx,
        {
          action: 'accounting.deferral-cancelled',
          entityType: 'fiscal_year',
          entityId: fiscalYearId,
          before: posted,
          after: { reason },
        },
        tx,
      );
    });
    for (const p of published) await this.ledger.publishPosted(ctx, p.entryId, p.number);
    return this.preview(ctx, fiscalYearId);
  }

  private async lockOpenYear(
    ctx: OrgContext,
    tx: EntityManager,
    fiscalYearId: string,
  ): Promise<{ endDate: string }> {
    const [fy] = await tx.query<{ status: string; end_date: string }[]>(
      `SELECT status, to_char(end_date, 'YYYY-MM-DD') AS end_date FROM fiscal_years WHERE organization_id = $1 AND id = $2 FOR UPDATE`,
      [ctx.organizationId, fiscalYearId],
    );
    if (!fy) throw DomainError.notFound('accounting.fiscal_year_not_found', 'No such fiscal year');
    if (fy.status === 'closed')
      throw DomainError.conflict('accounting.fiscal_year_closed', 'This fiscal year is closed');
    return { endDate: fy.end_date };
  }

  /** The latest deferral entry of the year that is not reversed, with its next-year reversal. */
  private async inForce(
    ctx: OrgContext,
    m: EntityManager,
    fiscalYearId: string,
  ): Promise<DeferralsView['posted']> {
    const [row] = await m.query<{ id: string; source: string; total: string }[]>(
      `SELECT e.id, e.source, (SELECT sum(l.debit_cents) FROM journal_entry_lines l WHERE l.organization_id = e.organization_id AND l.entry_id = e.id) AS total
         FROM journal_entries e
        WHERE e.organization_id = $1 AND e.source LIKE $2 AND e.status = 'posted'
          AND NOT EXISTS (SELECT 1 FROM journal_entries r WHERE r.organization_id = e.organization_id AND r.reversal_of_id = e.id)
        ORDER BY e.created_at DESC LIMIT 1`,
      [ctx.organizationId, `${SOURCE}:${fiscalYearId}:%`],
    );
    if (!row) return null;
    const round = row.source.slice(`${SOURCE}:${fiscalYearId}:`.length);
    const [reversal] = await m.query<{ id: string }[]>(
      `SELECT e.id FROM journal_entries e
        WHERE e.organization_id = $1 AND e.source = $2
          AND NOT EXISTS (SELECT 1 FROM journal_entries r WHERE r.organization_id = e.organization_id AND r.reversal_of_id = e.id)`,
      [ctx.organizationId, `${REVERSAL_SOURCE}:${fiscalYearId}:${round}`],
    );
    return {
      entryId: row.id,
      reversalEntryId: reversal?.id ?? null,
      totalCents: Number(row.total),
    };
  }
}
