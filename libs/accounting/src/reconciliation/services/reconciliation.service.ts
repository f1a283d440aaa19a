import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { DomainError, escapeLike, isUuid, newId, systemContext, type OrgContext } from '@ruche/core';
import type {
  BalanceCheckView,
  BankLineView,
  CandidateQuery,
  ExpectedMatchInput,
  LedgerCandidateView,
  LineEntryInput,
  MatchDetailView,
  MatchInput,
  MatchKind,
  MatchListQuery,
  MatchOrigin,
  MatchView,
  Page,
  RejectionInput,
  RejectionView,
  ReconciliationRuleInput,
  ReconciliationRuleView,
  ReconciliationRunView,
  ReconciliationSettingsInput,
  ReconciliationSettingsView,
  SuggestionView,
  WorkspaceLineView,
  WorkspaceQuery,
} from '@ruche/contracts';
import {
  AuditService,
  Clock,
  LOGGER,
  PG_UNIQUE_VIOLATION,
  QueuePort,
  jobId,
  pgErrorCode,
} from '@ruche/platform';
import { LedgerService } from '../../services/ledger.service';
import { BankAccountEntity } from '../../bank-statements/entities/bank.entities';
import {
  DEFAULT_MATCHING,
  matchAll,
  proposalKey,
  type BankLineFacts,
  type Candidate,
  type LineResult,
  type MatchingOptions,
} from '../domain/matching';
import { learnedSuggestion, ruleFor, type LabelRule, type LearnedExample } from '../domain/rules';
import { letterCode } from '../domain/letters';
import {
  ReconciliationMatchEntity,
  ReconciliationMatchItemEntity,
  ReconciliationRejectionEntity,
  ReconciliationRuleEntity,
  ReconciliationRunEntity,
  ReconciliationSettingsEntity,
} from '../entities/reconciliation.entities';

/** What stands behind a ledger line of a given source (a payout's charges, a slip's cheques). */
export type MatchDetailsProvider = (
  ctx: OrgContext,
  source: string,
  m: EntityManager,
) => Promise<MatchDetailView[]>;

/** A payment announced and not received (a join or a gift paid by transfer). */
export interface ExpectedPayment {
  id: string;
  label: string;
  amountCents: number;
  currency: string;
  reference: string | null;
  createdOn: string;
  contactName: string | null;
}

/** Payments knows which payments are expected, and records one as received when its bank line comes. */
export interface ExpectedPaymentsProvider {
  list(ctx: OrgContext, m: EntityManager): Promise<ExpectedPayment[]>;
  confirm(
    ctx: OrgContext,
    paymentId: string,
    arrival: { receivedOn: string; bankAccount: string; amountCents: number; bankLabel: string },
    m: EntityManager,
  ): Promise<{ entryId: string; after: (() => Promise<void>)[] }>;
}

/** Days around its announcement when a transfer may arrive and be proposed. */
const EXPECTED_WINDOW_DAYS = 60;

const LINE_COLUMNS = `l.id, l.bank_account_id, l.booking_date::text AS booking_date, l.value_date::text AS value_date, l.amount_cents, l.currency, l.label,
  l.bank_reference, l.end_to_end_id, l.structured_reference, l.counterparty_name, l.counterparty_iban, l.status`;

type Row = Record<string, unknown>;

function lineView(r: Row): BankLineView {
  return {
    id: r['id'] as string,
    bankAccountId: r['bank_account_id'] as string,
    bookingDate: r['booking_date'] as string,
    valueDate: (r['value_date'] as string | null) ?? null,
    amountCents: Number(r['amount_cents']),
    currency: (r['currency'] as string).trim(),
    label: r['label'] as string,
    bankReference: (r['bank_reference'] as string | null) ?? null,
    endToEndId: (r['end_to_end_id'] as string | null) ?? null,
    structuredReference: (r['structured_reference'] as string | null) ?? null,
    counterpartyName: (r['counterparty_name'] as string | null) ?? null,
    counterpartyIban: (r['counterparty_iban'] as string | null) ?? null,
    status: r['status'] as BankLineView['status'],
  };
}

function kindOfSource(source: string | null): LedgerCandidateView['kind'] {
  if (source?.startsWith('stripe:po_')) return 'payout';
  if (source?.startsWith('cheque-deposit:')) return 'cheque_deposit';
  return 'ledger';
}

function candidateView(r: Row): LedgerCandidateView {
  const source = (r['source'] as string | null) ?? null;
  return {
    entryId: r['entry_id'] as string,
    lineNo: Number(r['line_no']),
    kind: kindOfSource(source),
    date: r['entry_date'] as string,
    amountCents: Number(r['amount_cents']),
    label: r['label'] as string,
    journalCode: r['journal_code'] as string,
    entryNumber: r['number'] === null ? null : Number(r['number']),
    pieceRef: (r['piece_ref'] as string | null) ?? null,
    source,
    counterpartyLabel: (r['counterparty_label'] as string | null) ?? null,
  };
}

/** Ledger lines of one account with their entry, signed as the bank shows them (debit - credit). */
const CANDIDATE_SQL = `SELECT l.entry_id, l.line_no, e.entry_date::text AS entry_date, (l.debit_cents - l.credit_cents) AS amount_cents,
       coalesce(l.label, e.label) AS label, j.code AS journal_code, e.number, e.piece_ref, e.source, l.counterparty_label, l.counterparty_ref
  FROM journal_entry_lines l
  JOIN journal_entries e ON e.organization_id = l.organization_id AND e.id = l.entry_id
  JOIN journals j ON j.organization_id = e.organization_id AND j.id = e.journal_id
  JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id`;

/** Unreconciled: posted, not an opening entry, not reversed nor a reversal, in no active match. */
const UNRECONCILED = `e.status = 'posted' AND j.kind <> 'opening' AND e.reversal_of_id IS NULL
  AND NOT EXISTS (SELECT 1 FROM journal_entries r WHERE r.organization_id = e.organization_id AND r.reversal_of_id = e.id)
  AND NOT EXISTS (SELECT 1 FROM reconciliation_match_items i WHERE i.organization_id = l.organization_id AND i.active AND i.entry_id = l.entry_id AND i.line_no = l.line_no)`;

const BATCH = 200;

/**
 * Bank reconciliation: which ledger lines of the bank's 512x account each statement line is,
 * proposed by the matching engine, applied alone when the engine is sure (precision first),
 * otherwise confirmed by the treasurer; lines with no ledger counterpart get their entry through
 * a rule or a chosen account. Every match letters both sides and can be undone, with audit.
 */
@Injectable()
export class ReconciliationService {
  private readonly detailProviders = new Map<string, MatchDetailsProvider>();
  private expectedProvider: ExpectedPaymentsProvider | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly queue: QueuePort,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Another domain explains ledger lines of its sources (`stripe:po_`, `cheque-deposit:`). */
  registerDetails(sourcePrefix: string, provider: MatchDetailsProvider): void {
    this.detailProviders.set(sourcePrefix, provider);
  }

  /** Payments tells which transfers are announced, and records one when its bank line comes. */
  registerExpected(provider: ExpectedPaymentsProvider): void {
    this.expectedProvider = provider;
  }

  // ---- Settings and rules ----------------------------------------------------------------

  async settings(ctx: OrgContext, m?: EntityManager): Promise<ReconciliationSettingsView> {
    const row = await (m ?? this.dataSource.manager)
      .getRepository(ReconciliationSettingsEntity)
      .findOne({ where: { organizationId: ctx.organizationId } });
    return {
      autoApply: row?.autoApply ?? true,
      autoThreshold: row?.autoThreshold ?? DEFAULT_MATCHING.autoThreshold,
      windowDays: row?.windowDays ?? DEFAULT_MATCHING.windowDays,
    };
  }

  async updateSettings(
    ctx: OrgContext,
    input: ReconciliationSettingsInput,
  ): Promise<ReconciliationSettingsView> {
    await this.dataSource.transaction(async (m) => {
      const before = await this.settings(ctx, m);
      await m.query(
        `INSERT INTO reconciliation_settings (organization_id, auto_apply, auto_threshold, window_days, last_letter, updated_at)
         VALUES ($1, $2, $3, $4, 0, $5)
         ON CONFLICT (organization_id) DO UPDATE SET auto_apply = $2, auto_threshold = $3, window_days = $4, updated_at = $5`,
        [
          ctx.organizationId,
          input.autoApply,
          input.autoThreshold,
          input.windowDays,
          this.clock.now(),
        ],
      );
      await this.audit.record(
        ctx,
        {
          action: 'reconciliation.settings-updated',
          entityType: 'organization',
          entityId: ctx.organizationId,
          before,
          after: input,
        },
        m,
      );
    });
    return this.settings(ctx);
  }

  async rules(ctx: OrgContext, m?: EntityManager): Promise<ReconciliationRuleView[]> {
    const rows = await (m ?? this.dataSource.manager).getRepository(ReconciliationRuleEntity).find({
      where: { organizationId: ctx.organizationId },
      order: { priority: 'ASC', createdAt: 'ASC' },
    });
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      labelContains: r.labelContains,
      direction: r.direction,
      minAmountCents: r.minAmountCents === null ? null : Number(r.minAmountCents),
      maxAmountCents: r.maxAmountCents === null ? null : Number(r.maxAmountCents),
      accountNumber: r.accountNumber,
      analytic: r.analytic,
      autoApply: r.autoApply,
      priority: r.priority,
      active: r.active,
      createdAt: r.createdAt.toISOString(),
    }));
  }

  /** The account must exist, be active and postable, and not be a bank account itself. */
  private async checkPostable(
    ctx: OrgContext,
    m: EntityManager,
    number: string,
    field: string,
  ): Promise<void> {
    const [row] = await m.query<{ active: boolean }[]>(
      'SELECT active FROM accounts WHERE organization_id = $1 AND number = $2',
      [ctx.organizationId, number],
    );
    if (!row || !row.active)
      throw DomainError.invalid(
        'reconciliation.account_unknown',
        `Account ${number} is not in the chart (or inactive)`,
        field,
      );
    if (number.length < 3)
      throw DomainError.invalid(
        'reconciliation.account_not_postable',
        `Account ${number} is a class or a group: choose a detailed account`,
        field,
      );
    if (number.startsWith('512'))
      throw DomainError.invalid(
        'reconciliation.account_is_bank',
        'A bank line is posted against another account than a bank account',
        field,
      );
  }

  async createRule(
    ctx: OrgContext,
    input: ReconciliationRuleInput,
    tx?: EntityManager,
  ): Promise<ReconciliationRuleView> {
    const id = newId();
    const run = async (m: EntityManager) => {
      await this.checkPostable(ctx, m, input.accountNumber, 'accountNumber');
      const now = this.clock.now();
      await m.getRepository(ReconciliationRuleEntity).insert({
        id,
        organizationId: ctx.organizationId,
        name: input.name,
        labelContains: input.labelContains,
        direction: input.direction,
        minAmountCents: input.minAmount == null ? null : String(input.minAmount),
        maxAmountCents: input.maxAmount == null ? null : String(input.maxAmount),
        accountNumber: input.accountNumber,
        analytic: input.analytic ?? null,
        autoApply: input.autoApply,
        priority: input.priority,
        active: input.active,
        createdBy: ctx.userId,
        createdAt: now,
        updatedAt: now,
      });
      await this.audit.record(
        ctx,
        {
          action: 'reconciliation.rule-created',
          entityType: 'reconciliation_rule',
          entityId: id,
          after: input,
        },
        m,
      );
    };
    if (tx) await run(tx);
    else await this.dataSource.transaction(run);
    return (await this.rules(ctx, tx)).find((r) => r.id === id) as ReconciliationRuleView;
  }

  async updateRule(
    ctx: OrgContext,
    id: string,
    input: ReconciliationRuleInput,
  ): Promise<ReconciliationRuleView> {
    await this.dataSource.transaction(async (m) => {
      const before = isUuid(id)
        ? await m
            .getRepository(ReconciliationRuleEntity)
            .findOne({ where: { organizationId: ctx.organizationId, id } })
        : null;
      if (!before) throw DomainError.notFound('reconciliation.rule_not_found', 'No such rule');
      await this.checkPostable(ctx, m, input.accountNumber, 'accountNumber');
      await m.getRepository(ReconciliationRuleEntity).update(
        { organizationId: ctx.organizationId, id },
        {
          name: input.name,
          labelContains: input.labelContains,
          direction: input.direction,
          minAmountCents: input.minAmount == null ? null : String(input.minAmount),
          maxAmountCents: input.maxAmount == null ? null : String(input.maxAmount),
          accountNumber: input.accountNumber,
          analytic: input.analytic ?? null,
          autoApply: input.autoApply,
          priority: input.priority,
          active: input.active,
          updatedAt: this.clock.now(),
        },
      );
      await this.audit.record(
        ctx,
        {
          action: 'reconciliation.rule-updated',
          entityType: 'reconciliation_rule',
          entityId: id,
          before,
          after: input,
        },
        m,
      );
    });
    return (await this.rules(ctx)).find((r) => r.id === id) as ReconciliationRuleView;
  }

  /** Rules are settings, not records: deleting one leaves the matches it made as they are. */
  async deleteRule(ctx: OrgContext, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const before = isUuid(id)
        ? await m
            .getRepository(ReconciliationRuleEntity)
            .findOne({ where: { organizationId: ctx.organizationId, id } })
        : null;
      if (!before) throw DomainError.notFound('reconciliation.rule_not_found', 'No such rule');
      await m
        .getRepository(ReconciliationRuleEntity)
        .delete({ organizationId: ctx.organizationId, id });
      await this.audit.record(
        ctx,
        {
          action: 'reconciliation.rule-deleted',
          entityType: 'reconciliation_rule',
          entityId: id,
          before,
        },
        m,
      );
    });
  }

  // ---- Reads -----------------------------------------------------------------------------

  private async account(
    ctx: OrgContext,
    id: string,
    m?: EntityManager,
  ): Promise<BankAccountEntity> {
    const found = isUuid(id)
      ? await (m ?? this.dataSource.manager)
          .getRepository(BankAccountEntity)
          .findOne({ where: { organizationId: ctx.organizationId, id } })
      : null;
    if (!found) throw DomainError.notFound('bank.account_not_found', 'No such bank account');
    return found;
  }

  /** Unreconciled ledger lines of the account's 512x, optionally in a date range. */
  private async ledgerCandidates(
    ctx: OrgContext,
    m: EntityManager,
    accountNumber: string,
    filter: {
      from?: string;
      to?: string;
      q?: string | null;
      amountCents?: number;
      limit?: number;
    } = {},
  ): Promise<LedgerCandidateView[]> {
    const where = ['l.organization_id = $1', 'a.number = $2', UNRECONCILED];
    const params: unknown[] = [ctx.organizationId, accountNumber];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (filter.from) add('e.entry_date >= ?', filter.from);
    if (filter.to) add('e.entry_date <= ?', filter.to);
    if (filter.amountCents !== undefined)
      add('(l.debit_cents - l.credit_cents) = ?', filter.amountCents);
    if (filter.q)
      add(
        "(coalesce(l.label, e.label) ILIKE '%' || ? || '%' OR e.piece_ref ILIKE '%' || ? || '%' OR l.counterparty_label ILIKE '%' || ? || '%')",
        escapeLike(filter.q),
      );
    const rows = await m.query<Row[]>(
      `${CANDIDATE_SQL} WHERE ${where.join(' AND ')} ORDER BY e.entry_date DESC, e.number DESC NULLS LAST, l.line_no${filter.limit ? ` LIMIT ${filter.limit}` : ''}`,
      params,
    );
    return rows.map(candidateView);
  }

  private engineCandidate(c: LedgerCandidateView): Candidate {
    const references = [
      c.pieceRef,
      c.source?.startsWith('stripe:') ? c.source.slice(7) : null,
    ].filter((r): r is string => !!r && r.length >= 4);
    return {
      id: `${c.entryId}:${c.lineNo}`,
      kind: c.kind === 'ledger' ? 'ledger_line' : c.kind,
      date: c.date,
      amountCents: c.amountCents,
      references,
      name: c.counterpartyLabel,
    };
  }

  private facts(l: BankLineView): BankLineFacts {
    return {
      id: l.id,
      bookingDate: l.bookingDate,
      valueDate: l.valueDate,
      amountCents: l.amountCents,
      label: l.label,
      structuredReference: l.structuredReference,
      endToEndId: l.endToEndId,
      counterpartyName: l.counterpartyName,
    };
  }

  private labelRules(rules: ReconciliationRuleView[]): LabelRule[] {
    return rules
      .filter((r) => r.active)
      .map((r) => ({
        id: r.id,
        name: r.name,
        labelContains: r.labelContains,
        direction: r.direction,
        minAmountCents: r.minAmountCents,
        maxAmountCents: r.maxAmountCents,
        accountNumber: r.accountNumber,
        autoApply: r.autoApply,
        priority: r.priority,
      }));
  }

  /** Past bank lines a person sent to an account (manual entry matches): what the engine learns from. */
  private async learnedExamples(
    ctx: OrgContext,
    m: EntityManager,
    bankAccountId: string,
  ): Promise<LearnedExample[]> {
    const rows = await m.query<{ label: string; amount_cents: string; account_number: string }[]>(
      `SELECT bl.label, bl.amount_cents, a.number AS account_number
         FROM reconciliation_matches mt
         JOIN reconciliation_match_items i ON i.organization_id = mt.organization_id AND i.match_id = mt.id AND i.bank_line_id IS NOT NULL
         JOIN bank_statement_lines bl ON bl.organization_id = i.organization_id AND bl.id = i.bank_line_id
         JOIN journal_entry_lines jl ON jl.organization_id = mt.organization_id AND jl.entry_id = mt.created_entry_id
         JOIN accounts a ON a.organization_id = jl.organization_id AND a.id = jl.account_id
        WHERE mt.organization_id = $1 AND mt.bank_account_id = $2 AND mt.kind = 'entry' AND mt.origin = 'manual' AND mt.status = 'active'
          AND a.number NOT LIKE '512%'
        ORDER BY mt.created_at DESC LIMIT 2000`,
      [ctx.organizationId, bankAccountId],
    );
    return rows.map((r) => ({
      label: r.label,
      accountNumber: r.account_number,
      amountCents: Number(r.amount_cents),
    }));
  }

  /**
   * The engine's view of the account: every waiting line with its proposals, rule and learned
   * suggestion. Ledger lines and announced transfers are weighed in one pass (each kind with
   * its date window): a ledger line is never "the only item of this amount" beside an
   * announced transfer of that amount, nor applied when the line carries the transfer's
   * reference. Proposals the treasurer rejected for a line are left out.
   */
  private async analyse(
    ctx: OrgContext,
    m: EntityManager,
    account: BankAccountEntity,
    lines: BankLineView[],
  ): Promise<{
    results: Map<string, LineResult>;
    candidates: Map<string, LedgerCandidateView>;
    rules: LabelRule[];
    rulesById: Map<string, ReconciliationRuleView>;
    learned: LearnedExample[];
    options: MatchingOptions;
    expectedById: Map<string, ExpectedPayment>;
    linesById: Map<string, BankLineView>;
  }> {
    const settings = await this.settings(ctx, m);
    const options: MatchingOptions = {
      ...DEFAULT_MATCHING,
      autoThreshold: settings.autoThreshold,
      windowDays: settings.windowDays,
      // The payer pays days or weeks after announcing a transfer: a wider window.
      windowDaysByKind: { expected_payment: EXPECTED_WINDOW_DAYS },
      rejected: await this.rejectedKeys(
        ctx,
        m,
        lines.map((l) => l.id),
      ),
    };
    const candidates = new Map<string, LedgerCandidateView>();
    if (lines.length > 0) {
      const dates = lines.map((l) => l.bookingDate).sort();
      const shift = (d: string, days: number) =>
        new Date(Date.parse(d) + days * 86_400_000).toISOString().slice(0, 10);
      const found = await this.ledgerCandidates(ctx, m, account.accountNumber, {
        from: shift(dates[0], -(options.windowDays + 31)),
        to: shift(dates[dates.length - 1], options.windowDays + 1),
      });
      for (const c of found) candidates.set(`${c.entryId}:${c.lineNo}`, c);
    }
    // Announced transfers (credits of the account's currency only).
    const expectedById = new Map<string, ExpectedPayment>();
    if (this.expectedProvider && lines.some((l) => l.amountCents > 0)) {
      for (const e of await this.expectedProvider.list(ctx, m))
        if (e.currency === account.currency) expectedById.set(e.id, e);
    }
    const pool: Candidate[] = [...candidates.values()].map((c) => this.engineCandidate(c));
    for (const e of expectedById.values())
      pool.push({
        id: e.id,
        kind: 'expected_payment',
        date: e.createdOn,
        amountCents: e.amountCents,
        references: e.reference ? [e.reference] : [],
        name: e.contactName,
      });
    const results = new Map<string, LineResult>();
    for (const r of matchAll(
      lines.map((l) => this.facts(l)),
      pool,
      options,
    ))
      results.set(r.lineId, r);
    const ruleViews = await this.rules(ctx, m);
    return {
      expectedById,
      results,
      candidates,
      rules: this.labelRules(ruleViews),
      rulesById: new Map(ruleViews.map((r) => [r.id, r])),
      learned: await this.learnedExamples(ctx, m, account.id),
      options,
      linesById: new Map(lines.map((l) => [l.id, l])),
    };
  }

  private suggestionsFor(
    line: BankLineView,
    a: Awaited<ReturnType<ReconciliationService['analyse']>>,
  ): SuggestionView[] {
    const out: SuggestionView[] = [];
    const result = a.results.get(line.id);
    // Best first, whatever the kind (ledger lines and announced transfers are ranked together).
    for (const p of result?.proposals.slice(0, 5) ?? []) {
      if (p.kind === 'expected_payment') {
        const e = p.candidateIds.length === 1 ? a.expectedById.get(p.candidateIds[0]) : undefined;
        if (!e) continue;
        out.push({
          type: 'expected',
          paymentId: e.id,
          label: e.label,
          contactName: e.contactName,
          reference: e.reference,
          amountCents: e.amountCents,
          date: e.createdOn,
          score: p.score,
          reasons: p.reasons,
          auto: result?.auto === p,
        });
        continue;
      }
      const candidates = p.candidateIds
        .map((id) => a.candidates.get(id))
        .filter((c): c is LedgerCandidateView => !!c);
      const kind = candidates.find((c) => c.kind !== 'ledger')?.kind ?? 'ledger';
      out.push({
        type: 'match',
        kind,
        score: p.score,
        reasons: p.reasons,
        auto: result?.auto === p,
        candidates,
        // One-to-many: the other bank lines of the group, to confirm together.
        otherBankLines: (p.bankLineIds ?? [])
          .filter((id) => id !== line.id)
          .map((id) => a.linesById.get(id))
          .filter((l): l is BankLineView => !!l),
      });
    }
    const facts = this.facts(line);
    const rule = ruleFor(facts, a.rules);
    if (rule) {
      const view = a.rulesById.get(rule.id);
      out.push({
        type: 'rule',
        ruleId: rule.id,
        ruleName: rule.name,
        accountNumber: rule.accountNumber,
        analytic: view?.analytic ?? null,
        autoApply: rule.autoApply,
      });
    }
    const learned = learnedSuggestion(facts, a.learned);
    if (learned && learned.accountNumber !== rule?.accountNumber)
      out.push({
        type: 'learned',
        accountNumber: learned.accountNumber,
        count: learned.count,
        signature: learned.signature,
      });
    return out;
  }

  private async bankLines(
    ctx: OrgContext,
    m: EntityManager,
    bankAccountId: string,
    where: string,
    params: unknown[],
  ): Promise<BankLineView[]> {
    const rows = await m.query<Row[]>(
      `SELECT ${LINE_COLUMNS} FROM bank_statement_lines l WHERE l.organization_id = $1 AND l.bank_account_id = $2 AND ${where}
        ORDER BY l.booking_date, l.created_at, l.id`,
      [ctx.organizationId, bankAccountId, ...params],
    );
    return rows.map(lineView);
  }

  /** The workspace: statement lines with their suggestions, the suggested ones first. */
  async workspace(
    ctx: OrgContext,
    bankAccountId: string,
    q: WorkspaceQuery,
  ): Promise<Page<WorkspaceLineView>> {
    const account = await this.account(ctx, bankAccountId);
    const m = this.dataSource.manager;
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length + 2}`));
    };
    if (q.status !== 'all') add('l.status = ?', q.status);
    if (q.from) add('l.booking_date >= ?', q.from);
    if (q.to) add('l.booking_date <= ?', q.to);
    if (q.q)
      add(
        "(l.label ILIKE '%' || ? || '%' OR l.counterparty_name ILIKE '%' || ? || '%' OR l.amount_cents::text = replace(replace(?, ',', ''), '.', ''))",
        q.q,
      );
    if (q.direction === 'in') where.push('l.amount_cents > 0');
    if (q.direction === 'out') where.push('l.amount_cents < 0');
    const lines = await this.bankLines(
      ctx,
      m,
      account.id,
      where.length ? where.join(' AND ') : 'true',
      params,
    );
    const waiting = lines.filter((l) => l.status === 'unmatched');
    const analysis = await this.analyse(ctx, m, account, waiting);
    const rejections = await this.rejectionViews(
      ctx,
      m,
      waiting.map((l) => l.id),
    );
    let items: WorkspaceLineView[] = lines.map((l) => ({
      ...l,
      suggestions: l.status === 'unmatched' ? this.suggestionsFor(l, analysis) : [],
      rejections: l.status === 'unmatched' ? (rejections.get(l.id) ?? []) : [],
      matchId: null,
      letter: null,
    }));
    if (q.suggestions === 'suggested') items = items.filter((i) => i.suggestions.length > 0);
    if (q.suggestions === 'none') items = items.filter((i) => i.suggestions.length === 0);
    const best = (i: WorkspaceLineView) => {
      const s = i.suggestions[0];
      return !s ? -1 : s.type === 'match' || s.type === 'expected' ? s.score : 60;
    };
    // Suggestions first (best score first), then the most recent lines.
    items.sort(
      (a, b) =>
        best(b) - best(a) || b.bookingDate.localeCompare(a.bookingDate) || a.id.localeCompare(b.id),
    );
    const page = items.slice(q.offset, q.offset + q.limit);
    const matched = page.filter((i) => i.status === 'matched').map((i) => i.id);
    if (matched.length > 0) {
      const rows = await m.query<{ bank_line_id: string; match_id: string; letter: string }[]>(
        `SELECT i.bank_line_id, mt.id AS match_id, mt.letter FROM reconciliation_match_items i
           JOIN reconciliation_matches mt ON mt.organization_id = i.organization_id AND mt.id = i.match_id
          WHERE i.organization_id = $1 AND i.active AND i.bank_line_id = ANY($2::uuid[])`,
        [ctx.organizationId, matched],
      );
      const byLine = new Map(rows.map((r) => [r.bank_line_id, r]));
      for (const i of page) {
        const hit = byLine.get(i.id);
        if (hit) {
          i.matchId = hit.match_id;
          i.letter = hit.letter;
        }
      }
    }
    return { items: page, total: items.length, limit: q.limit, offset: q.offset };
  }

  /** Unreconciled ledger lines of the bank account, for a manual match. */
  async candidates(
    ctx: OrgContext,
    bankAccountId: string,
    q: CandidateQuery,
  ): Promise<LedgerCandidateView[]> {
    const account = await this.account(ctx, bankAccountId);
    return this.ledgerCandidates(ctx, this.dataSource.manager, account.accountNumber, {
      from: q.from,
      to: q.to,
      q: q.q,
      amountCents: q.amountCents,
      limit: q.limit,
    });
  }

  // ---- Matching --------------------------------------------------------------------------

  /** The next lettering code of the organization (A, B, ... Z, AA...), taken under the settings row lock. */
  private async nextLetter(ctx: OrgContext, m: EntityManager): Promise<string> {
    const [row] = await m.query<{ last_letter: string }[]>(
      `INSERT INTO reconciliation_settings (organization_id, auto_apply, auto_threshold, window_days, last_letter, updated_at)
       VALUES ($1, true, $2, $3, 1, $4)
       ON CONFLICT (organization_id) DO UPDATE SET last_letter = reconciliation_settings.last_letter + 1
       RETURNING last_letter`,
      [
        ctx.organizationId,
        DEFAULT_MATCHING.autoThreshold,
        DEFAULT_MATCHING.windowDays,
        this.clock.now(),
      ],
    );
    return letterCode(Number(row.last_letter));
  }

  private async lockWaitingLines(
    ctx: OrgContext,
    m: EntityManager,
    bankAccountId: string,
    ids: readonly string[],
  ): Promise<BankLineView[]> {
    const unique = [...new Set(ids)];
    const rows = await m.query<Row[]>(
      `SELECT ${LINE_COLUMNS} FROM bank_statement_lines l WHERE l.organization_id = $1 AND l.bank_account_id = $2 AND l.id = ANY($3::uuid[]) FOR UPDATE`,
      [ctx.organizationId, bankAccountId, unique],
    );
    if (rows.length !== unique.length)
      throw new DomainError(
        'not_found',
        'reconciliation.line_not_found',
        'A bank line is not on this bank account',
        { field: 'bankLineIds' },
      );
    const lines = rows.map(lineView);
    const done = lines.filter((l) => l.status !== 'unmatched');
    if (done.length > 0)
      throw new DomainError(
        'conflict',
        'reconciliation.line_not_waiting',
        `Already ${done[0].status}: ${done[0].label}`,
        { field: 'bankLineIds' },
      );
    return lines;
  }

  private async writeMatch(
    ctx: OrgContext,
    m: EntityManager,
    input: {
      bankAccountId: string;
      kind: MatchKind;
      origin: MatchOrigin;
      score: number | null;
      reasons: string[];
      lines: BankLineView[];
      ledger: readonly { entryId: string; lineNo: number; amountCents: number }[];
      createdEntryId?: string | null;
      ruleId?: string | null;
    },
  ): Promise<string> {
    const id = newId();
    const letter = await this.nextLetter(ctx, m);
    const amount = input.lines.reduce((s, l) => s + l.amountCents, 0);
    await m.getRepository(ReconciliationMatchEntity).insert({
      id,
      organizationId: ctx.organizationId,
      bankAccountId: input.bankAccountId,
      letter,
      kind: input.kind,
      origin: input.origin,
      score: input.score,
      reasons: input.reasons,
      amountCents: String(amount),
      createdEntryId: input.createdEntryId ?? null,
      ruleId: input.ruleId ?? null,
      status: 'active',
      createdBy: ctx.userId,
      createdAt: this.clock.now(),
      undoneBy: null,
      undoneAt: null,
      undoReason: null,
      reversalEntryId: null,
    });
    try {
      await m.getRepository(ReconciliationMatchItemEntity).insert([
        ...input.lines.map((l) => ({
          id: newId(),
          organizationId: ctx.organizationId,
          matchId: id,
          bankLineId: l.id,
          entryId: null,
          lineNo: null,
          amountCents: String(l.amountCents),
          active: true,
        })),
        ...input.ledger.map((l) => ({
          id: newId(),
          organizationId: ctx.organizationId,
          matchId: id,
          bankLineId: null,
          entryId: l.entryId,
          lineNo: l.lineNo,
          amountCents: String(l.amountCents),
          active: true,
        })),
      ]);
    } catch (error) {
      if (pgErrorCode(error) === PG_UNIQUE_VIOLATION)
        throw new DomainError(
          'conflict',
          'reconciliation.already_matched',
          'A line of this match was reconciled meanwhile',
          { field: 'ledgerLines' },
        );
      throw error;
    }
    await m.query(
      `UPDATE bank_statement_lines SET status = 'matched' WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
      [ctx.organizationId, input.lines.map((l) => l.id)],
    );
    await this.audit.record(
      ctx,
      {
        action: 'reconciliation.matched',
        entityType: 'reconciliation_match',
        entityId: id,
        after: {
          letter,
          kind: input.kind,
          origin: input.origin,
          score: input.score,
          reasons: input.reasons,
          bankLines: input.lines.map((l) => l.id),
          ledgerLines: input.ledger.map((l) => `${l.entryId}:${l.lineNo}`),
          createdEntryId: input.createdEntryId ?? null,
        },
      },
      m,
    );
    return id;
  }

  /**
   * Letters bank lines with ledger lines of the account's 512x (a person's choice or an accepted
   * suggestion): both sides must be waiting and sum to the same amount.
   */
  async match(ctx: OrgContext, bankAccountId: string, input: MatchInput): Promise<MatchView> {
    const account = await this.account(ctx, bankAccountId);
    const id = await this.dataSource.transaction((m) =>
      this.matchIn(ctx, m, account, input, 'manual'),
    );
    return this.get(ctx, id);
  }

  private async matchIn(
    ctx: OrgContext,
    m: EntityManager,
    account: BankAccountEntity,
    input: MatchInput,
    origin: MatchOrigin,
    known?: { score: number; reasons: string[] },
  ): Promise<string> {
    const lines = await this.lockWaitingLines(ctx, m, account.id, input.bankLineIds).catch(
      (error: unknown) => {
        // Named in the body: a bank line of another account (or organization) is bad input.
        if (error instanceof DomainError && error.code === 'reconciliation.line_not_found')
          throw DomainError.invalid(
            'reconciliation.line_not_found',
            'A bank line is not a line of this bank account',
            'bankLineIds',
          );
        throw error;
      },
    );
    const pairs = [
      ...new Map(input.ledgerLines.map((p) => [`${p.entryId}:${p.lineNo}`, p])).values(),
    ];
    const rows = await m.query<Row[]>(
      `${CANDIDATE_SQL}
        JOIN unnest($3::uuid[], $4::int[]) AS p(entry_id, line_no) ON p.entry_id = l.entry_id AND p.line_no = l.line_no
       WHERE l.organization_id = $1 AND a.number = $2 AND ${UNRECONCILED}`,
      [
        ctx.organizationId,
        account.accountNumber,
        pairs.map((p) => p.entryId),
        pairs.map((p) => p.lineNo),
      ],
    );
    if (rows.length !== pairs.length)
      throw new DomainError(
        'conflict',
        'reconciliation.ledger_line_not_waiting',
        `A ledger line is not a waiting line of account ${account.accountNumber} (already reconciled, reversed, or on another account)`,
        { field: 'ledgerLines' },
      );
    const ledger = rows.map(candidateView);
    const bankTotal = lines.reduce((s, l) => s + l.amountCents, 0);
    const ledgerTotal = ledger.reduce((s, l) => s + l.amountCents, 0);
    if (bankTotal !== ledgerTotal) {
      // With several bank lines, their sum is as likely to be wrong as the ledger side.
      const fields = lines.length > 1 ? ['bankLineIds', 'ledgerLines'] : ['ledgerLines'];
      throw new DomainError(
        'invalid',
        'reconciliation.amounts_differ',
        `The bank lines total ${bankTotal} cents, the ledger lines ${ledgerTotal} cents`,
        {
          field: fields[0],
          details: fields.map((field) => ({
            field,
            code: 'reconciliation.amounts_differ',
            message: `Bank ${bankTotal} ≠ ledger ${ledgerTotal} (cents)`,
          })),
        },
      );
    }
    const kind: MatchKind = ledger.find((l) => l.kind !== 'ledger')?.kind ?? 'ledger';
    return this.writeMatch(ctx, m, {
      bankAccountId: account.id,
      kind,
      origin,
      score: known?.score ?? null,
      reasons: known?.reasons ?? ['chosen by hand'],
      lines,
      ledger,
    });
  }

  /**
   * A bank line with no counterpart in the books (fees, a subscription, a transfer received):
   * its entry is posted in the bank journal against the chosen account, and lettered at once.
   */
  async createEntry(
    ctx: OrgContext,
    bankAccountId: string,
    input: LineEntryInput,
  ): Promise<MatchView> {
    const account = await this.account(ctx, bankAccountId);
    const { matchId, entry } = await this.dataSource.transaction(async (m) => {
      if (input.rememberAs)
        await this.createRule(
          ctx,
          {
            name: input.rememberAs.name,
            labelContains: input.rememberAs.labelContains,
            direction: 'any',
            accountNumber: input.accountNumber,
            analytic: input.analytic ?? null,
            autoApply: input.rememberAs.autoApply,
            priority: 100,
            active: true,
          },
          m,
        );
      return this.entryIn(ctx, m, account, input.bankLineId, {
        accountNumber: input.accountNumber,
        label: input.label ?? null,
        analytic: input.analytic ?? null,
        origin: 'manual',
        ruleId: null,
        reasons: ['posted by hand'],
      });
    });
    if (entry.created) await this.ledger.publishPosted(ctx, entry.entryId, entry.number);
    return this.get(ctx, matchId);
  }

  private async entryIn(
    ctx: OrgContext,
    m: EntityManager,
    account: BankAccountEntity,
    bankLineId: string,
    how: {
      accountNumber: string;
      label: string | null;
      analytic: string | null;
      origin: MatchOrigin;
      ruleId: string | null;
      reasons: string[];
    },
  ) {
    const [line] = await this.lockWaitingLines(ctx, m, account.id, [bankLineId]);
    await this.checkPostable(ctx, m, how.accountNumber, 'accountNumber');
    const matchSource = newId();
    const amount = Math.abs(line.amountCents);
    const bankSide =
      line.amountCents > 0
        ? { debitCents: amount, creditCents: 0 }
        : { debitCents: 0, creditCents: amount };
    const otherSide = { debitCents: bankSide.creditCents, creditCents: bankSide.debitCents };
    const journal = await this.ledger.journalOfKind(ctx, m, 'bank');
    const entry = await this.ledger.post(
      ctx,
      {
        journal,
        date: line.bookingDate,
        label: (how.label ?? line.label).slice(0, 200),
        pieceRef: line.bankReference?.slice(0, 50) ?? null,
        source: `reconciliation:${matchSource}`,
        lines: [
          {
            account: account.accountNumber,
            ...bankSide,
            label: line.label.slice(0, 200),
            counterpartyLabel: line.counterpartyName?.slice(0, 200) ?? null,
          },
          {
            account: how.accountNumber,
            ...otherSide,
            label: line.label.slice(0, 200),
            analytic: how.analytic,
            counterpartyLabel: line.counterpartyName?.slice(0, 200) ?? null,
          },
        ],
      },
      m,
    );
    const bankLedger = await this.bankLineOf(ctx, m, entry.entryId, account.accountNumber);
    if (!bankLedger)
      throw new Error(`entry ${entry.entryId} has no line on ${account.accountNumber}`);
    const matchId = await this.writeMatch(ctx, m, {
      bankAccountId: account.id,
      kind: 'entry',
      origin: how.origin,
      score: null,
      reasons: how.reasons,
      lines: [line],
      ledger: [
        {
          entryId: entry.entryId,
          lineNo: Number(bankLedger.line_no),
          amountCents: line.amountCents,
        },
      ],
      createdEntryId: entry.entryId,
      ruleId: how.ruleId,
    });
    return { matchId, entry };
  }

  /**
   * A waiting bank line is an announced transfer: payments records it as received that day (the
   * membership becomes active, the gift gets its receipt) and the new bank ledger line is
   * lettered with the statement line at once.
   */
  async matchExpected(
    ctx: OrgContext,
    bankAccountId: string,
    input: ExpectedMatchInput,
  ): Promise<MatchView> {
    const account = await this.account(ctx, bankAccountId);
    const out = await this.dataSource.transaction((m) =>
      this.expectedIn(ctx, m, account, input.bankLineId, input.paymentId, 'manual', null),
    );
    for (const task of out.after)
      await task().catch((err: unknown) =>
        this.logger.error({ err }, 'after an expected payment arrived'),
      );
    return this.get(ctx, out.matchId);
  }

  private async expectedIn(
    ctx: OrgContext,
    m: EntityManager,
    account: BankAccountEntity,
    bankLineId: string,
    paymentId: string,
    origin: MatchOrigin,
    known: { score: number; reasons: string[] } | null,
  ): Promise<{ matchId: string; after: (() => Promise<void>)[] }> {
    if (!this.expectedProvider)
      throw DomainError.conflict('reconciliation.no_expected_payments', 'No payment is expected');
    const [line] = await this.lockWaitingLines(ctx, m, account.id, [bankLineId]);
    if (line.amountCents <= 0)
      throw DomainError.invalid(
        'reconciliation.not_a_credit',
        'Only money coming in pays an expected payment',
        'bankLineId',
      );
    const received = await this.expectedProvider.confirm(
      ctx,
      paymentId,
      {
        receivedOn: line.bookingDate,
        bankAccount: account.accountNumber,
        amountCents: line.amountCents,
        bankLabel: line.label,
      },
      m,
    );
    const bankLedger = await this.bankLineOf(ctx, m, received.entryId, account.accountNumber);
    if (!bankLedger)
      throw DomainError.conflict(
        'reconciliation.posted_elsewhere',
        `The payment was posted without a line on ${account.accountNumber}`,
      );
    // The payment stays received if the match is undone (the money did come): no created entry.
    const matchId = await this.writeMatch(ctx, m, {
      bankAccountId: account.id,
      kind: 'expected_payment',
      origin,
      score: known?.score ?? null,
      reasons: [...(known?.reasons ?? ['chosen by hand']), `payment:${paymentId}`],
      lines: [line],
      ledger: [
        {
          entryId: received.entryId,
          lineNo: Number(bankLedger.line_no),
          amountCents: line.amountCents,
        },
      ],
    });
    return { matchId, after: received.after };
  }

  /** The line an entry has on the bank's 512x account (the side a match letters). */
  private async bankLineOf(
    ctx: OrgContext,
    m: EntityManager,
    entryId: string,
    accountNumber: string,
  ): Promise<{ line_no: number } | undefined> {
    const [row] = await m.query<{ line_no: number }[]>(
      `SELECT l.line_no FROM journal_entry_lines l JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
        WHERE l.organization_id = $1 AND l.entry_id = $2 AND a.number = $3 ORDER BY l.line_no LIMIT 1`,
      [ctx.organizationId, entryId, accountNumber],
    );
    return row;
  }

  /** Undoes a match: both sides wait again; an entry the match created is reversed. Audited. */
  async undo(ctx: OrgContext, matchId: string, reason: string): Promise<MatchView> {
    const published: { entryId: string; number: number }[] = [];
    await this.dataSource.transaction(async (m) => {
      const [row] = isUuid(matchId)
        ? await m.query<
            { id: string; status: string; created_entry_id: string | null; letter: string }[]
          >(
            'SELECT id, status, created_entry_id, letter FROM reconciliation_matches WHERE organization_id = $1 AND id = $2 FOR UPDATE',
            [ctx.organizationId, matchId],
          )
        : [];
      if (!row) throw DomainError.notFound('reconciliation.match_not_found', 'No such match');
      if (row.status !== 'active')
        throw DomainError.conflict('reconciliation.match_undone', 'This match is already undone');
      let reversalEntryId: string | null = null;
      if (row.created_entry_id) {
        const reversed = await this.ledger.reverseIn(ctx, m, row.created_entry_id, {
          label: `Extourne : rapprochement ${row.letter} annulé`,
        });
        reversalEntryId = reversed.entryId;
        if (reversed.created) published.push(reversed);
      }
      const now = this.clock.now();
      await m.query(
        `UPDATE reconciliation_matches SET status = 'undone', undone_by = $3, undone_at = $4, undo_reason = $5, reversal_entry_id = $6 WHERE organization_id = $1 AND id = $2`,
        [ctx.organizationId, matchId, ctx.userId, now, reason, reversalEntryId],
      );
      await m.query(
        `UPDATE bank_statement_lines SET status = 'unmatched' WHERE organization_id = $1
            AND id IN (SELECT bank_line_id FROM reconciliation_match_items WHERE organization_id = $1 AND match_id = $2 AND bank_line_id IS NOT NULL)`,
        [ctx.organizationId, matchId],
      );
      await m.query(
        'UPDATE reconciliation_match_items SET active = false WHERE organization_id = $1 AND match_id = $2',
        [ctx.organizationId, matchId],
      );
      await this.audit.record(
        ctx,
        {
          action: 'reconciliation.match-undone',
          entityType: 'reconciliation_match',
          entityId: matchId,
          before: { letter: row.letter, status: 'active' },
          after: { status: 'undone', reason, reversalEntryId },
        },
        m,
      );
    });
    for (const p of published) await this.ledger.publishPosted(ctx, p.entryId, p.number);
    return this.get(ctx, matchId);
  }

  // ---- Rejected proposals ----------------------------------------------------------------

  private rejectionView(r: ReconciliationRejectionEntity): RejectionView {
    return {
      id: r.id,
      bankLineId: r.bankLineId,
      kind: r.kind,
      candidateIds: r.candidateKey.split(','),
      createdBy: r.createdBy,
      createdAt: r.createdAt.toISOString(),
    };
  }

  /** The rejections of the given bank lines, per line, oldest first. */
  private async rejectionViews(
    ctx: OrgContext,
    m: EntityManager,
    lineIds: readonly string[],
  ): Promise<Map<string, RejectionView[]>> {
    const out = new Map<string, RejectionView[]>();
    if (lineIds.length === 0) return out;
    const rows = await m
      .getRepository(ReconciliationRejectionEntity)
      .createQueryBuilder('r')
      .where('r.organization_id = :org AND r.bank_line_id = ANY(:lines)', {
        org: ctx.organizationId,
        lines: [...lineIds],
      })
      .orderBy('r.created_at')
      .addOrderBy('r.id')
      .getMany();
    for (const r of rows) {
      const list = out.get(r.bankLineId);
      if (list) list.push(this.rejectionView(r));
      else out.set(r.bankLineId, [this.rejectionView(r)]);
    }
    return out;
  }

  /** What the engine must not propose again, per bank line (keys as `proposalKey` makes them). */
  private async rejectedKeys(
    ctx: OrgContext,
    m: EntityManager,
    lineIds: readonly string[],
  ): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    for (const [line, views] of await this.rejectionViews(ctx, m, lineIds))
      out.set(line, new Set(views.map((v) => proposalKey(v.candidateIds))));
    return out;
  }

  /**
   * The treasurer says a waiting bank line is not this proposal (ledger lines of the account,
   * one or a sum, or an announced transfer): it is never proposed again for that line, nor
   * applied by an automatic run. Rejecting the same proposal twice changes nothing. Audited.
   */
  async reject(
    ctx: OrgContext,
    bankAccountId: string,
    lineId: string,
    input: RejectionInput,
  ): Promise<RejectionView> {
    const account = await this.account(ctx, bankAccountId);
    const kind: RejectionView['kind'] = input.paymentId ? 'expected' : 'ledger';
    const ids = input.paymentId
      ? [input.paymentId]
      : (input.ledgerLines ?? []).map((l) => `${l.entryId}:${l.lineNo}`);
    const key = proposalKey([...new Set(ids)]);
    const id = await this.dataSource.transaction(async (m) => {
      const [line] = await this.lockWaitingLines(ctx, m, account.id, [lineId]).catch(
        (error: unknown) => {
          // The line is named by the path here, not by a body field.
          if (error instanceof DomainError)
            throw new DomainError(error.kind, error.code, error.message, { field: 'lineId' });
          throw error;
        },
      );
      if (kind === 'ledger') {
        // Each line once (a line sent twice would be counted twice by the join).
        const pairs = [...new Set(ids)].map((id) => {
          const [entryId, lineNo] = id.split(':');
          return { entryId, lineNo: Number(lineNo) };
        });
        const [{ n }] = await m.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM journal_entry_lines l
             JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
             JOIN unnest($3::uuid[], $4::int[]) AS p(entry_id, line_no) ON p.entry_id = l.entry_id AND p.line_no = l.line_no
            WHERE l.organization_id = $1 AND a.number = $2`,
          [
            ctx.organizationId,
            account.accountNumber,
            pairs.map((p) => p.entryId),
            pairs.map((p) => p.lineNo),
          ],
        );
        if (n !== pairs.length)
          throw DomainError.invalid(
            'reconciliation.ledger_line_unknown',
            `A ledger line is not a line of account ${account.accountNumber}`,
            'ledgerLines',
          );
      } else {
        const announced = this.expectedProvider ? await this.expectedProvider.list(ctx, m) : [];
        if (!announced.some((e) => e.id === input.paymentId))
          throw DomainError.invalid(
            'reconciliation.payment_not_expected',
            'No such payment is expected',
            'paymentId',
          );
      }
      const repo = m.getRepository(ReconciliationRejectionEntity);
      const known = await repo.findOne({
        where: { organizationId: ctx.organizationId, bankLineId: line.id, candidateKey: key },
      });
      if (known) return known.id;
      const rejectionId = newId();
      await repo.insert({
        id: rejectionId,
        organizationId: ctx.organizationId,
        bankLineId: line.id,
        kind,
        candidateKey: key,
        createdBy: ctx.userId,
        createdAt: this.clock.now(),
      });
      await this.audit.record(
        ctx,
        {
          action: 'reconciliation.proposal-rejected',
          entityType: 'bank_statement_line',
          entityId: line.id,
          after: { rejectionId, kind, candidates: key.split(',') },
        },
        m,
      );
      return rejectionId;
    });
    const row = await this.dataSource
      .getRepository(ReconciliationRejectionEntity)
      .findOneOrFail({ where: { organizationId: ctx.organizationId, id } });
    return this.rejectionView(row);
  }

  /** Withdraws a rejection: the proposal may be offered (and applied) again. Audited. */
  async withdrawRejection(
    ctx: OrgContext,
    bankAccountId: string,
    lineId: string,
    rejectionId: string,
  ): Promise<void> {
    const account = await this.account(ctx, bankAccountId);
    await this.dataSource.transaction(async (m) => {
      const [row] = await m.query<{ id: string; kind: string; candidate_key: string }[]>(
        `SELECT r.id, r.kind, r.candidate_key FROM reconciliation_rejections r
           JOIN bank_statement_lines l ON l.organization_id = r.organization_id AND l.id = r.bank_line_id
          WHERE r.organization_id = $1 AND l.bank_account_id = $2 AND r.bank_line_id = $3 AND r.id = $4 FOR UPDATE OF r`,
        [ctx.organizationId, account.id, lineId, rejectionId],
      );
      if (!row)
        throw DomainError.notFound('reconciliation.rejection_not_found', 'No such rejection');
      await m.query(
        'DELETE FROM reconciliation_rejections WHERE organization_id = $1 AND id = $2',
        [ctx.organizationId, rejectionId],
      );
      await this.audit.record(
        ctx,
        {
          action: 'reconciliation.rejection-withdrawn',
          entityType: 'bank_statement_line',
          entityId: lineId,
          before: { rejectionId, kind: row.kind, candidates: row.candidate_key.split(',') },
        },
        m,
      );
    });
  }

  /** A line that needs no reconciliation (a transfer between own accounts already booked elsewhere...). */
  async ignore(
    ctx: OrgContext,
    bankAccountId: string,
    lineId: string,
    reason: string,
  ): Promise<BankLineView> {
    const account = await this.account(ctx, bankAccountId);
    await this.dataSource.transaction(async (m) => {
      const [line] = await this.lockWaitingLines(ctx, m, account.id, [lineId]);
      await m.query(
        `UPDATE bank_statement_lines SET status = 'ignored' WHERE organization_id = $1 AND id = $2`,
        [ctx.organizationId, line.id],
      );
      await this.audit.record(
        ctx,
        {
          action: 'reconciliation.line-ignored',
          entityType: 'bank_statement_line',
          entityId: line.id,
          after: { reason },
        },
        m,
      );
    });
    return this.line(ctx, account.id, lineId);
  }

  async unignore(ctx: OrgContext, bankAccountId: string, lineId: string): Promise<BankLineView> {
    const account = await this.account(ctx, bankAccountId);
    await this.dataSource.transaction(async (m) => {
      const rows = isUuid(lineId)
        ? await m.query<{ status: string }[]>(
            'SELECT status FROM bank_statement_lines WHERE organization_id = $1 AND bank_account_id = $2 AND id = $3 FOR UPDATE',
            [ctx.organizationId, account.id, lineId],
          )
        : [];
      if (!rows[0])
        throw new DomainError('not_found', 'reconciliation.line_not_found', 'No such bank line', {
          field: 'lineId',
        });
      if (rows[0].status !== 'ignored')
        throw DomainError.conflict('reconciliation.line_not_ignored', 'This line is not ignored');
      await m.query(
        `UPDATE bank_statement_lines SET status = 'unmatched' WHERE organization_id = $1 AND id = $2`,
        [ctx.organizationId, lineId],
      );
      await this.audit.record(
        ctx,
        {
          action: 'reconciliation.line-unignored',
          entityType: 'bank_statement_line',
          entityId: lineId,
          after: { status: 'unmatched' },
        },
        m,
      );
    });
    return this.line(ctx, account.id, lineId);
  }

  private async line(
    ctx: OrgContext,
    bankAccountId: string,
    lineId: string,
  ): Promise<BankLineView> {
    const [line] = isUuid(lineId)
      ? await this.bankLines(ctx, this.dataSource.manager, bankAccountId, 'l.id = $3', [lineId])
      : [];
    if (!line)
      throw new DomainError('not_found', 'reconciliation.line_not_found', 'No such bank line', {
        field: 'lineId',
      });
    return line;
  }

  async get(ctx: OrgContext, matchId: string): Promise<MatchView> {
    const found = isUuid(matchId) ? await this.views(ctx, 'mt.id = $2', [matchId]) : [];
    if (!found[0]) throw DomainError.notFound('reconciliation.match_not_found', 'No such match');
    return found[0];
  }

  async list(ctx: OrgContext, bankAccountId: string, q: MatchListQuery): Promise<Page<MatchView>> {
    const account = await this.account(ctx, bankAccountId);
    const where = q.status
      ? 'mt.bank_account_id = $2 AND mt.status = $3'
      : 'mt.bank_account_id = $2';
    const params = q.status ? [account.id, q.status] : [account.id];
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM reconciliation_matches mt WHERE mt.organization_id = $1 AND ${where}`,
      [ctx.organizationId, ...params],
    );
    return {
      items: await this.views(ctx, where, params, q.limit, q.offset),
      total,
      limit: q.limit,
      offset: q.offset,
    };
  }

  private async views(
    ctx: OrgContext,
    where: string,
    params: unknown[],
    limit = 1,
    offset = 0,
  ): Promise<MatchView[]> {
    const m = this.dataSource.manager;
    const rows = await m.query<Row[]>(
      `SELECT mt.* FROM reconciliation_matches mt WHERE mt.organization_id = $1 AND ${where} ORDER BY mt.created_at DESC, mt.letter DESC LIMIT ${limit} OFFSET ${offset}`,
      [ctx.organizationId, ...params],
    );
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r['id'] as string);
    const bank = await m.query<Row[]>(
      `SELECT i.match_id, ${LINE_COLUMNS} FROM reconciliation_match_items i
         JOIN bank_statement_lines l ON l.organization_id = i.organization_id AND l.id = i.bank_line_id
        WHERE i.organization_id = $1 AND i.match_id = ANY($2::uuid[]) ORDER BY l.booking_date, l.id`,
      [ctx.organizationId, ids],
    );
    const ledger = await m.query<Row[]>(
      `SELECT i.match_id, sub.* FROM reconciliation_match_items i
         JOIN LATERAL (${CANDIDATE_SQL} WHERE l.organization_id = i.organization_id AND l.entry_id = i.entry_id AND l.line_no = i.line_no) sub ON true
        WHERE i.organization_id = $1 AND i.match_id = ANY($2::uuid[]) ORDER BY sub.entry_date, sub.line_no`,
      [ctx.organizationId, ids],
    );
    const out: MatchView[] = [];
    for (const r of rows) {
      const id = r['id'] as string;
      const ledgerLines = ledger.filter((l) => l['match_id'] === id).map(candidateView);
      const details: MatchDetailView[] = [];
      for (const l of ledgerLines) {
        if (!l.source) continue;
        for (const [prefix, provider] of this.detailProviders)
          if (l.source.startsWith(prefix)) details.push(...(await provider(ctx, l.source, m)));
      }
      out.push({
        id,
        bankAccountId: r['bank_account_id'] as string,
        letter: r['letter'] as string,
        kind: r['kind'] as MatchKind,
        origin: r['origin'] as MatchOrigin,
        score: r['score'] === null ? null : Number(r['score']),
        reasons: r['reasons'] as string[],
        amountCents: Number(r['amount_cents']),
        status: r['status'] as MatchView['status'],
        createdEntryId: (r['created_entry_id'] as string | null) ?? null,
        ruleId: (r['rule_id'] as string | null) ?? null,
        createdBy: (r['created_by'] as string | null) ?? null,
        createdAt: (r['created_at'] as Date).toISOString(),
        undoneBy: (r['undone_by'] as string | null) ?? null,
        undoneAt: r['undone_at'] ? (r['undone_at'] as Date).toISOString() : null,
        undoReason: (r['undo_reason'] as string | null) ?? null,
        reversalEntryId: (r['reversal_entry_id'] as string | null) ?? null,
        bankLines: bank.filter((b) => b['match_id'] === id).map(lineView),
        ledgerLines,
        details,
      });
    }
    return out;
  }

  // ---- Automatic runs --------------------------------------------------------------------

  /** Queues an automatic pass over the account's waiting lines; the run shows its progress. */
  async startRun(ctx: OrgContext, bankAccountId: string): Promise<ReconciliationRunView> {
    const account = await this.account(ctx, bankAccountId);
    const id = newId();
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(ReconciliationRunEntity).insert({
        id,
        organizationId: ctx.organizationId,
        bankAccountId: account.id,
        status: 'queued',
        total: 0,
        processed: 0,
        autoMatched: 0,
        suggested: 0,
        error: null,
        requestedBy: ctx.userId,
        createdAt: this.clock.now(),
        finishedAt: null,
      });
      // The run letters lines and posts rule entries by itself: who started it is kept.
      await this.audit.record(
        ctx,
        {
          action: 'reconciliation.run-started',
          entityType: 'reconciliation_run',
          entityId: id,
          after: { bankAccountId: account.id },
        },
        m,
      );
    });
    await this.queue.enqueue(
      'reconciliation.auto-match',
      { organizationId: ctx.organizationId, runId: id },
      { jobId: jobId('reconciliation.auto-match', id) },
    );
    return this.run(ctx, id);
  }

  async run(ctx: OrgContext, runId: string): Promise<ReconciliationRunView> {
    const r = isUuid(runId)
      ? await this.dataSource
          .getRepository(ReconciliationRunEntity)
          .findOne({ where: { organizationId: ctx.organizationId, id: runId } })
      : null;
    if (!r) throw DomainError.notFound('reconciliation.run_not_found', 'No such run');
    return {
      id: r.id,
      bankAccountId: r.bankAccountId,
      status: r.status,
      total: r.total,
      processed: r.processed,
      autoMatched: r.autoMatched,
      suggested: r.suggested,
      error: r.error,
      createdAt: r.createdAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
    };
  }

  async latestRun(ctx: OrgContext, bankAccountId: string): Promise<ReconciliationRunView | null> {
    const account = await this.account(ctx, bankAccountId);
    const r = await this.dataSource.getRepository(ReconciliationRunEntity).findOne({
      where: { organizationId: ctx.organizationId, bankAccountId: account.id },
      order: { createdAt: 'DESC' },
    });
    return r ? this.run(ctx, r.id) : null;
  }

  /**
   * The worker's pass: every waiting line gets its proposals; a line with a single sure proposal
   * (or an auto-applying rule) is lettered alone, one small transaction each. Running it twice,
   * or after a crash, gives the same result: matched lines are no longer waiting.
   */
  async processRun(organizationId: string, runId: string): Promise<void> {
    const ctx = systemContext(organizationId);
    const repo = this.dataSource.getRepository(ReconciliationRunEntity);
    const run = await repo.findOne({ where: { organizationId, id: runId } });
    if (!run || run.status === 'done' || run.status === 'failed') return;
    try {
      const account = await this.account(ctx, run.bankAccountId);
      const settings = await this.settings(ctx);
      const lines = await this.bankLines(
        ctx,
        this.dataSource.manager,
        account.id,
        `l.status = 'unmatched'`,
        [],
      );
      const analysis = await this.analyse(ctx, this.dataSource.manager, account, lines);
      // A line whose match a person undid is not matched again by the engine: it waits for them.
      const undoneRows = await this.dataSource.query<{ bank_line_id: string }[]>(
        `SELECT DISTINCT i.bank_line_id FROM reconciliation_match_items i
           JOIN reconciliation_matches mt ON mt.organization_id = i.organization_id AND mt.id = i.match_id
          WHERE i.organization_id = $1 AND mt.bank_account_id = $2 AND mt.status = 'undone' AND i.bank_line_id IS NOT NULL`,
        [organizationId, account.id],
      );
      const undone = new Set(undoneRows.map((r) => r.bank_line_id));
      await repo.update(
        { organizationId, id: runId },
        { status: 'running', total: lines.length, processed: 0 },
      );
      let auto = 0;
      let suggested = 0;
      // Lines lettered with another line of the run (one item credited in several lines).
      const appliedWith = new Set<string>();
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        const result = analysis.results.get(line.id);
        let applied = appliedWith.has(line.id);
        const group = result?.auto?.bankLineIds ?? [line.id];
        const mayApply = !applied && settings.autoApply && group.every((id) => !undone.has(id));
        if (mayApply && result?.auto && result.auto.kind !== 'expected_payment') {
          const p = result.auto;
          const pairs = p.candidateIds.map((cid) => {
            const [entryId, lineNo] = cid.split(':');
            return { entryId, lineNo: Number(lineNo) };
          });
          applied = await this.tryApply(ctx, () =>
            this.dataSource.transaction((m) =>
              this.matchIn(ctx, m, account, { bankLineIds: group, ledgerLines: pairs }, 'auto', {
                score: p.score,
                reasons: p.reasons,
              }),
            ),
          );
          if (applied) for (const id of group) appliedWith.add(id);
        }
        if (!applied && mayApply && result?.auto?.kind === 'expected_payment') {
          const p = result.auto;
          const paymentId = p.candidateIds[0];
          const tasks: (() => Promise<void>)[] = [];
          applied = await this.tryApply(ctx, async () => {
            const out = await this.dataSource.transaction((m) =>
              this.expectedIn(ctx, m, account, line.id, paymentId, 'auto', {
                score: p.score,
                reasons: p.reasons,
              }),
            );
            tasks.push(...out.after);
          });
          for (const task of tasks)
            await task().catch((err: unknown) =>
              this.logger.error({ err }, 'after an expected payment arrived'),
            );
        }
        if (!applied && mayApply && !(result && result.proposals.length > 0)) {
          const rule = ruleFor(this.facts(line), analysis.rules);
          if (rule?.autoApply) {
            const view = analysis.rulesById.get(rule.id);
            const posted: { entryId: string; number: number; created: boolean }[] = [];
            applied = await this.tryApply(ctx, async () => {
              const out = await this.dataSource.transaction((m) =>
                this.entryIn(ctx, m, account, line.id, {
                  accountNumber: rule.accountNumber,
                  label: null,
                  analytic: view?.analytic ?? null,
                  origin: 'rule',
                  ruleId: rule.id,
                  reasons: [`rule ${rule.name}`],
                }),
              );
              posted.push(out.entry);
            });
            for (const p of posted)
              if (p.created) await this.ledger.publishPosted(ctx, p.entryId, p.number);
          }
        }
        if (applied) auto++;
        else if ((result?.proposals.length ?? 0) > 0 || ruleFor(this.facts(line), analysis.rules))
          suggested++;
        if ((i + 1) % BATCH === 0 || i === lines.length - 1)
          await repo.update(
            { organizationId, id: runId },
            { processed: i + 1, autoMatched: auto, suggested },
          );
      }
      await repo.update(
        { organizationId, id: runId },
        {
          status: 'done',
          processed: lines.length,
          autoMatched: auto,
          suggested,
          finishedAt: this.clock.now(),
        },
      );
    } catch (error) {
      this.logger.error({ err: error, organizationId, runId }, 'reconciliation run failed');
      await repo.update(
        { organizationId, id: runId },
        {
          status: 'failed',
          error: String((error as Error).message ?? error).slice(0, 500),
          finishedAt: this.clock.now(),
        },
      );
    }
  }

  /** A match the engine wanted that the books no longer allow (taken meanwhile, closed year): left as a suggestion. */
  private async tryApply(ctx: OrgContext, apply: () => Promise<unknown>): Promise<boolean> {
    try {
      await apply();
      return true;
    } catch (error) {
      if (error instanceof DomainError) {
        this.logger.info(
          { organizationId: ctx.organizationId, code: error.code },
          'automatic match left as a suggestion',
        );
        return false;
      }
      throw error;
    }
  }

  // ---- Balance check ---------------------------------------------------------------------

  async balance(ctx: OrgContext, bankAccountId: string, date?: string): Promise<BalanceCheckView> {
    const account = await this.account(ctx, bankAccountId);
    const m = this.dataSource.manager;
    const day = date ?? (await this.ledger.today(ctx, m));
    const [ledger] = await m.query<{ balance: string }[]>(
      `SELECT coalesce(sum(l.debit_cents - l.credit_cents), 0) AS balance
         FROM journal_entry_lines l
         JOIN journal_entries e ON e.organization_id = l.organization_id AND e.id = l.entry_id
         JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
        WHERE l.organization_id = $1 AND a.number = $2 AND e.status = 'posted' AND e.entry_date <= $3`,
      [ctx.organizationId, account.accountNumber, day],
    );
    const [statement] = await m.query<
      { closing_balance_cents: string; closing_date: string; file_name: string }[]
    >(
      `SELECT closing_balance_cents, closing_date::text AS closing_date, file_name FROM bank_statements
        WHERE organization_id = $1 AND bank_account_id = $2 AND closing_date IS NOT NULL AND closing_date <= $3
        ORDER BY closing_date DESC, imported_at DESC LIMIT 1`,
      [ctx.organizationId, account.id, day],
    );
    let bankBalance: number | null = null;
    let source: string | null = null;
    if (statement) {
      const [after] = await m.query<{ moves: string }[]>(
        `SELECT coalesce(sum(amount_cents), 0) AS moves FROM bank_statement_lines
          WHERE organization_id = $1 AND bank_account_id = $2 AND booking_date > $3 AND booking_date <= $4`,
        [ctx.organizationId, account.id, statement.closing_date, day],
      );
      bankBalance = Number(statement.closing_balance_cents) + Number(after.moves);
      source = `${statement.file_name} (${statement.closing_date})`;
    }
    // A side counts as reconciled at the date when its match's other side is dated on or before it too.
    const [bank] = await m.query<{ total: string; n: number }[]>(
      `SELECT coalesce(sum(bl.amount_cents), 0) AS total, count(*)::int AS n FROM bank_statement_lines bl
        WHERE bl.organization_id = $1 AND bl.bank_account_id = $2 AND bl.booking_date <= $3
          AND NOT EXISTS (
            SELECT 1 FROM reconciliation_match_items i
             WHERE i.organization_id = bl.organization_id AND i.active AND i.bank_line_id = bl.id
               AND NOT EXISTS (SELECT 1 FROM reconciliation_match_items o JOIN journal_entries e ON e.organization_id = o.organization_id AND e.id = o.entry_id
                                WHERE o.organization_id = i.organization_id AND o.match_id = i.match_id AND o.entry_id IS NOT NULL AND e.entry_date > $3))`,
      [ctx.organizationId, account.id, day],
    );
    // Ledger lines before the first imported statement are taken as settled: the check starts there.
    const [start] = await m.query<{ since: string | null }[]>(
      `SELECT least((SELECT min(opening_date) FROM bank_statements WHERE organization_id = $1 AND bank_account_id = $2),
                    (SELECT min(booking_date) FROM bank_statement_lines WHERE organization_id = $1 AND bank_account_id = $2))::text AS since`,
      [ctx.organizationId, account.id],
    );
    const since = start?.since ?? null;
    const [books] = await m.query<{ total: string; n: number }[]>(
      `SELECT coalesce(sum(l.debit_cents - l.credit_cents), 0) AS total, count(*)::int AS n
         FROM journal_entry_lines l
         JOIN journal_entries e ON e.organization_id = l.organization_id AND e.id = l.entry_id
         JOIN journals j ON j.organization_id = e.organization_id AND j.id = e.journal_id
         JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
        WHERE l.organization_id = $1 AND a.number = $2 AND e.status = 'posted' AND e.entry_date <= $3
          AND ($4::date IS NULL OR e.entry_date >= $4::date)
          AND NOT EXISTS (
            SELECT 1 FROM reconciliation_match_items i
             WHERE i.organization_id = l.organization_id AND i.active AND i.entry_id = l.entry_id AND i.line_no = l.line_no
               AND NOT EXISTS (SELECT 1 FROM reconciliation_match_items o JOIN bank_statement_lines b ON b.organization_id = o.organization_id AND b.id = o.bank_line_id
                                WHERE o.organization_id = i.organization_id AND o.match_id = i.match_id AND b.booking_date > $3))`,
      [ctx.organizationId, account.accountNumber, day, since],
    );
    const ledgerBalance = Number(ledger.balance);
    const unmatchedBank = Number(bank.total);
    const unmatchedLedger = Number(books.total);
    return {
      date: day,
      since,
      accountNumber: account.accountNumber,
      ledgerBalanceCents: ledgerBalance,
      bankBalanceCents: bankBalance,
      bankBalanceSource: source,
      unmatchedBankCents: unmatchedBank,
      unmatchedBankCount: bank.n,
      unmatchedLedgerCents: unmatchedLedger,
      unmatchedLedgerCount: books.n,
      unexplainedCents:
        bankBalance === null
          ? null
          : bankBalance - (ledgerBalance + unmatchedBank - unmatchedLedger),
    };
  }
}
