import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, LocalDate, escapeLike, newId, type DomainErrorDetail, type OrgContext } from '@ruche/core';
import type { EntryInput, EntryView, JournalKind, ListEntriesQuery, Page, ReverseEntryInput } from '@ruche/contracts';
import { AuditService, Clock, LiveEventsPort, PG_UNIQUE_VIOLATION, WebhooksService, pgErrorCode } from '@ruche/platform';
import { checkCentsLines, checkLines, reverseLines, type CheckedLine } from '../domain/entry-rules';
import { linesFor, type PostingEvent } from '../domain/posting-rules';
import { AccountingSetupService } from './accounting-setup.service';
import { FiscalYearsService } from './fiscal-years.service';
import { PostingAccountsService } from './posting-accounts.service';

/** A line in cents, as the other domains hand it to `post`. */
export interface PostingLine extends CheckedLine {
  label?: string | null;
  analytic?: string | null;
  counterpartyRef?: string | null;
  counterpartyLabel?: string | null;
}

export interface PostEntryInput {
  journal: string;
  date: string;
  label: string;
  pieceRef?: string | null;
  pieceDate?: string | null;
  /** Unique per organization (`stripe:ch_...`, `receipt:...`): posting it twice returns the first entry. */
  source: string;
  lines: readonly PostingLine[];
}

export interface PostEventInput {
  event: PostingEvent;
  date: string;
  label: string;
  source: string;
  pieceRef?: string | null;
  counterpartyRef?: string | null;
  counterpartyLabel?: string | null;
  analytic?: string | null;
  /** Defaults to the first active journal of the rule's kind (BQ, ST, CA, OD...). */
  journal?: string;
}

/**
 * Taking the number its fiscal year keeps for the opening entry (1, see the opening-entry-number
 * migration), when that number is still free: `opening` for the à-nouveaux of a year close,
 * `if-first` for the first entry written into a year that holds no posted entry yet (a FEC
 * import keeps the numbering of its file). Otherwise the entry takes the next number.
 */
export type ReservedNumberUse = 'opening' | 'if-first';

export interface PostResult {
  entryId: string;
  number: number;
  /** false when the source was already posted (a replayed event): nothing new was written. */
  created: boolean;
}

/** The part of node-postgres' client used for named (prepared) statements. */
interface PgClient {
  query<R>(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
}

interface Resolved {
  journalId: string;
  fiscalYearId: string;
  currency: string;
  accountIds: Map<string, string>;
}

interface WriteInput {
  status: 'draft' | 'posted';
  journal: string;
  date: string;
  label: string;
  pieceRef: string | null;
  pieceDate: string | null;
  source: string | null;
  reversalOfId: string | null;
  lines: readonly PostingLine[];
  reservedNumber?: ReservedNumberUse;
}

const ENTRY_SELECT = `
  SELECT e.id, e.fiscal_year_id, j.code AS journal_code, e.number, to_char(e.entry_date, 'YYYY-MM-DD') AS entry_date,
         e.label, e.piece_ref, to_char(e.piece_date, 'YYYY-MM-DD') AS piece_date, e.status, e.source, e.posted_at,
         e.reversal_of_id,
         (SELECT r.id FROM journal_entries r WHERE r.organization_id = e.organization_id AND r.reversal_of_id = e.id) AS reversed_by_id,
         e.currency, e.total_cents, e.created_at,
         (SELECT json_agg(json_build_object(
                   'lineNo', l.line_no, 'accountNumber', a.number, 'accountLabel', a.label,
                   'debitCents', l.debit_cents, 'creditCents', l.credit_cents, 'label', l.label, 'analytic', l.analytic,
                   'counterpartyRef', l.counterparty_ref, 'counterpartyLabel', l.counterparty_label) ORDER BY l.line_no)
            FROM journal_entry_lines l JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
           WHERE l.organization_id = e.organization_id AND l.entry_id = e.id) AS lines
    FROM journal_entries e JOIN journals j ON j.organization_id = e.organization_id AND j.id = e.journal_id`;

interface EntryRow {
  id: string;
  fiscal_year_id: string;
  journal_code: string;
  number: number | null;
  entry_date: string;
  label: string;
  piece_ref: string | null;
  piece_date: string | null;
  status: 'draft' | 'posted';
  source: string | null;
  posted_at: Date | null;
  reversal_of_id: string | null;
  reversed_by_id: string | null;
  currency: string;
  total_cents: string;
  created_at: Date;
  lines: EntryView['lines'] | null;
}

function toEntryView(row: EntryRow): EntryView {
  return {
    id: row.id,
    fiscalYearId: row.fiscal_year_id,
    journalCode: row.journal_code,
    number: row.number,
    date: row.entry_date,
    label: row.label,
    pieceRef: row.piece_ref,
    pieceDate: row.piece_date,
    status: row.status,
    source: row.source,
    postedAt: row.posted_at ? new Date(row.posted_at).toISOString() : null,
    reversalOfId: row.reversal_of_id,
    reversedById: row.reversed_by_id,
    currency: row.currency.trim(),
    totalCents: Number(row.total_cents),
    lines: (row.lines ?? []).map((l) => ({ ...l, debitCents: Number(l.debitCents), creditCents: Number(l.creditCents) })),
    createdAt: new Date(row.created_at).toISOString(),
  };
}

function invalid(problems: DomainErrorDetail[]): DomainError {
  const first = problems[0];
  return new DomainError('invalid', first?.code ?? 'accounting.invalid_entry', first?.message ?? 'Invalid entry', { details: problems });
}

/**
 * The ledger: every entry goes through here, manual or automatic. Posted entries are numbered
 * without gaps per fiscal year and never change; corrections are reversals. The checks here give
 * clear answers; the database triggers enforce the same rules for everything else.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly setup: AccountingSetupService,
    private readonly fiscalYears: FiscalYearsService,
    private readonly postingAccounts: PostingAccountsService,
    private readonly audit: AuditService,
    private readonly live: LiveEventsPort,
    private readonly webhooks: WebhooksService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  // ---- For the other domains -------------------------------------------------------------

  /** Posts a balanced entry inside the caller's transaction; the same source twice posts once. */
  async post(ctx: OrgContext, input: PostEntryInput, tx?: EntityManager, options: { reservedNumber?: ReservedNumberUse } = {}): Promise<PostResult> {
    const problems = checkCentsLines(input.lines);
    if (problems.length > 0) throw invalid(problems);
    const run = (m: EntityManager) =>
      this.write(ctx, m, {
        status: 'posted',
        journal: input.journal,
        date: input.date,
        label: input.label,
        pieceRef: input.pieceRef ?? null,
        pieceDate: input.pieceDate ?? null,
        source: input.source,
        reversalOfId: null,
        lines: input.lines,
        reservedNumber: options.reservedNumber,
      });
    if (tx) return run(tx);
    const result = await this.dataSource.transaction(run);
    if (result.created) await this.publishPosted(ctx, result.entryId, result.number);
    return result;
  }

  /** Posts a money event (card payment, payout, cheque...) with the organization's posting accounts. */
  async postEvent(ctx: OrgContext, input: PostEventInput, tx?: EntityManager): Promise<PostResult> {
    const run = async (m: EntityManager): Promise<PostResult> => {
      const accounts = await this.postingAccounts.accounts(ctx, m);
      const rule = linesFor(input.event, accounts);
      const journal = input.journal ?? (await this.journalOfKind(ctx, m, rule.journalKind));
      return this.post(
        ctx,
        {
          journal,
          date: input.date,
          label: input.label,
          pieceRef: input.pieceRef ?? null,
          source: input.source,
          lines: rule.lines.map((l) => ({
            ...l,
            counterpartyRef: input.counterpartyRef ?? null,
            counterpartyLabel: input.counterpartyLabel ?? null,
            analytic: input.analytic ?? null,
          })),
        },
        m,
      );
    };
    if (tx) return run(tx);
    const result = await this.dataSource.transaction(run);
    if (result.created) await this.publishPosted(ctx, result.entryId, result.number);
    return result;
  }

  // ---- Manual entries (admin) -------------------------------------------------------------

  async create(ctx: OrgContext, input: EntryInput): Promise<EntryView> {
    const { lines, problems } = checkLines(input.lines);
    if (problems.length > 0) throw invalid(problems);
    const result = await this.dataSource.transaction(async (tx) => {
      const written = await this.write(ctx, tx, {
        status: input.post ? 'posted' : 'draft',
        journal: input.journal,
        date: input.date,
        label: input.label,
        pieceRef: input.pieceRef ?? null,
        pieceDate: input.pieceDate ?? null,
        source: null,
        reversalOfId: null,
        lines: lines.map((l, i) => ({ ...l, ...this.lineMeta(input.lines[i]) })),
      });
      await this.audit.record(ctx, { action: input.post ? 'accounting.entry-posted' : 'accounting.entry-drafted', entityType: 'journal_entry', entityId: written.entryId, after: input }, tx);
      return written;
    });
    if (input.post) await this.publishPosted(ctx, result.entryId, result.number);
    return this.get(ctx, result.entryId);
  }

  async updateDraft(ctx: OrgContext, id: string, input: EntryInput): Promise<EntryView> {
    const { lines, problems } = checkLines(input.lines);
    if (problems.length > 0) throw invalid(problems);
    const result = await this.dataSource.transaction(async (tx) => {
      const before = await this.loadForChange(ctx, tx, id);
      await tx.query('DELETE FROM journal_entry_lines WHERE organization_id = $1 AND entry_id = $2', [ctx.organizationId, id]);
      await tx.query('DELETE FROM journal_entries WHERE organization_id = $1 AND id = $2', [ctx.organizationId, id]);
      const written = await this.write(
        ctx,
        tx,
        {
          status: input.post ? 'posted' : 'draft',
          journal: input.journal,
          date: input.date,
          label: input.label,
          pieceRef: input.pieceRef ?? null,
          pieceDate: input.pieceDate ?? null,
          source: null,
          reversalOfId: null,
          lines: lines.map((l, i) => ({ ...l, ...this.lineMeta(input.lines[i]) })),
        },
        id,
      );
      await this.audit.record(ctx, { action: input.post ? 'accounting.entry-posted' : 'accounting.entry-updated', entityType: 'journal_entry', entityId: id, before, after: input }, tx);
      return written;
    });
    if (input.post) await this.publishPosted(ctx, result.entryId, result.number);
    return this.get(ctx, id);
  }

  async deleteDraft(ctx: OrgContext, id: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const before = await this.loadForChange(ctx, tx, id);
      // The supporting documents of a draft go with it (those of a posted entry are part of the record).
      const attachments = await tx.query<{ id: string; file_name: string }[]>(
        'SELECT id, file_name FROM entry_attachments WHERE organization_id = $1 AND entry_id = $2 ORDER BY created_at, id',
        [ctx.organizationId, id],
      );
      await tx.query('DELETE FROM entry_attachments WHERE organization_id = $1 AND entry_id = $2', [ctx.organizationId, id]);
      await tx.query('DELETE FROM journal_entry_lines WHERE organization_id = $1 AND entry_id = $2', [ctx.organizationId, id]);
      await tx.query('DELETE FROM journal_entries WHERE organization_id = $1 AND id = $2', [ctx.organizationId, id]);
      const removed = attachments.map((a) => ({ attachmentId: a.id, fileName: a.file_name }));
      await this.audit.record(ctx, { action: 'accounting.entry-deleted', entityType: 'journal_entry', entityId: id, before: removed.length > 0 ? { ...before, attachments: removed } : before }, tx);
    });
  }

  /** Validates a draft: it gets the next number of its fiscal year and can no longer change. */
  async postDraft(ctx: OrgContext, id: string): Promise<EntryView> {
    const number = await this.dataSource.transaction(async (tx) => {
      const draft = await this.loadForChange(ctx, tx, id);
      const problems = checkCentsLines(draft.lines.map((l) => ({ account: l.accountNumber, debitCents: l.debitCents, creditCents: l.creditCents })));
      const resolved = await this.resolve(ctx, tx, draft.journalCode, draft.date, draft.lines.map((l) => l.accountNumber));
      if (resolved.fiscalYearId !== draft.fiscalYearId) problems.push({ field: 'date', code: 'accounting.fiscal_year_changed', message: 'The entry date no longer falls in its fiscal year' });
      if (problems.length > 0) throw invalid(problems);
      const now = this.clock.now();
      const rows: { number: number }[] = await tx.query(
        `WITH n AS (
           UPDATE fiscal_years SET last_entry_number = last_entry_number + 1
            WHERE organization_id = $1 AND id = $2 AND status = 'open' RETURNING last_entry_number)
         UPDATE journal_entries e SET status = 'posted', number = n.last_entry_number, posted_at = $4, posted_by = $5, updated_at = $4
           FROM n WHERE e.organization_id = $1 AND e.id = $3 AND e.status = 'draft'
         RETURNING e.number`,
        [ctx.organizationId, draft.fiscalYearId, id, now, ctx.userId],
      );
      const posted = rows[0];
      if (!posted) throw DomainError.invalid('accounting.fiscal_year_closed', `The fiscal year of ${draft.date} is closed`, 'date');
      await this.audit.record(ctx, { action: 'accounting.entry-posted', entityType: 'journal_entry', entityId: id, before: draft, after: { number: posted.number } }, tx);
      return posted.number;
    });
    await this.publishPosted(ctx, id, number);
    return this.get(ctx, id);
  }

  /** Cancels a posted entry by its mirror image (contrepassation), dated `date` (default today). */
  async reverse(ctx: OrgContext, id: string, input: ReverseEntryInput): Promise<EntryView> {
    const result = await this.dataSource.transaction((tx) => this.reverseIn(ctx, tx, id, input));
    await this.publishPosted(ctx, result.entryId, result.number);
    return this.get(ctx, result.entryId);
  }

  /** The reversal inside the caller's transaction (year reopening uses it). */
  async reverseIn(ctx: OrgContext, tx: EntityManager, id: string, input: ReverseEntryInput): Promise<PostResult> {
    const original = await this.get(ctx, id, tx);
    if (original.status !== 'posted') throw DomainError.invalid('accounting.not_posted', 'Only a posted entry is reversed; a draft is edited or deleted');
    if (original.reversalOfId) throw DomainError.conflict('accounting.reversal_of_reversal', 'This entry is itself a reversal: post a new entry instead');
    if (original.reversedById) throw DomainError.conflict('accounting.already_reversed', 'This entry is already reversed');
    const date = input.date ?? (await this.today(ctx, tx));
    const lines = reverseLines(
      original.lines.map((l) => ({
        account: l.accountNumber,
        debitCents: l.debitCents,
        creditCents: l.creditCents,
        label: l.label,
        analytic: l.analytic,
        counterpartyRef: l.counterpartyRef,
        counterpartyLabel: l.counterpartyLabel,
      })),
    );
    let written: PostResult;
    try {
      written = await this.write(ctx, tx, {
        status: 'posted',
        journal: original.journalCode,
        date,
        label: input.label ?? `Extourne : ${original.label}`.slice(0, 200),
        pieceRef: original.pieceRef,
        pieceDate: original.pieceDate,
        source: `reversal:${original.id}`,
        reversalOfId: original.id,
        lines,
      });
    } catch (error) {
      if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw DomainError.conflict('accounting.already_reversed', 'This entry is already reversed');
      throw error;
    }
    if (!written.created) throw DomainError.conflict('accounting.already_reversed', 'This entry is already reversed');
    await this.audit.record(ctx, { action: 'accounting.entry-reversed', entityType: 'journal_entry', entityId: original.id, before: { number: original.number }, after: { reversalId: written.entryId, number: written.number } }, tx);
    return written;
  }

  // ---- Reads -----------------------------------------------------------------------------

  async get(ctx: OrgContext, id: string, tx?: EntityManager): Promise<EntryView> {
    const rows: EntryRow[] = await (tx ?? this.dataSource.manager).query(`${ENTRY_SELECT} WHERE e.organization_id = $1 AND e.id = $2`, [ctx.organizationId, id]);
    const row = rows[0];
    if (!row) throw DomainError.notFound('accounting.entry_not_found', 'No such entry');
    return toEntryView(row);
  }

  async list(ctx: OrgContext, query: ListEntriesQuery): Promise<Page<EntryView>> {
    const where = ['e.organization_id = $1'];
    const params: unknown[] = [ctx.organizationId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (query.fiscalYearId) add('e.fiscal_year_id = ?', query.fiscalYearId);
    if (query.journal) add('j.code = ?', query.journal);
    if (query.status) add('e.status = ?', query.status);
    if (query.from) add('e.entry_date >= ?', query.from);
    if (query.to) add('e.entry_date <= ?', query.to);
    if (query.search) add('(e.label ILIKE ? OR e.piece_ref ILIKE ?)', `%${escapeLike(query.search)}%`);
    if (query.account) {
      add(
        `EXISTS (SELECT 1 FROM journal_entry_lines l JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
                  WHERE l.organization_id = e.organization_id AND l.entry_id = e.id AND a.number LIKE ?)`,
        `${query.account}%`,
      );
    }
    const filter = where.join(' AND ');
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM journal_entries e JOIN journals j ON j.organization_id = e.organization_id AND j.id = e.journal_id WHERE ${filter}`,
      params,
    );
    const rows: EntryRow[] = await this.dataSource.query(
      `${ENTRY_SELECT} WHERE ${filter} ORDER BY e.entry_date DESC, e.number DESC NULLS FIRST, e.created_at DESC LIMIT ${query.limit} OFFSET ${query.offset}`,
      params,
    );
    return { items: rows.map(toEntryView), total, limit: query.limit, offset: query.offset };
  }

  // ---- Internals -------------------------------------------------------------------------

  private lineMeta(line: EntryInput['lines'][number] | undefined): Omit<PostingLine, keyof CheckedLine> {
    return {
      label: line?.label || null,
      analytic: line?.analytic || null,
      counterpartyRef: line?.counterpartyRef || null,
      counterpartyLabel: line?.counterpartyLabel || null,
    };
  }

  /** Today in the organization's time zone. */
  async today(ctx: OrgContext, tx: EntityManager): Promise<string> {
    const [org] = await tx.query<{ time_zone: string }[]>('SELECT time_zone FROM organizations WHERE id = $1', [ctx.organizationId]);
    return LocalDate.fromInstant(this.clock.now(), org?.time_zone ?? 'Europe/Paris').toString();
  }

  /** The first active journal of a kind (BQ for bank...). */
  async journalOfKind(ctx: OrgContext, tx: EntityManager, kind: JournalKind): Promise<string> {
    await this.setup.ensure(ctx, tx);
    const rows: { code: string }[] = await tx.query(
      'SELECT code FROM journals WHERE organization_id = $1 AND kind = $2 AND active ORDER BY created_at, code LIMIT 1',
      [ctx.organizationId, kind],
    );
    const row = rows[0];
    if (!row) throw DomainError.invalid('accounting.no_journal_of_kind', `No active journal of kind ${kind}`);
    return row.code;
  }

  /** Journal, fiscal year and accounts of an entry, in one round trip; every problem reported. */
  private async resolve(ctx: OrgContext, tx: EntityManager, journalCode: string, date: string, accountNumbers: readonly string[]): Promise<Resolved> {
    let day: LocalDate;
    try {
      day = LocalDate.parse(date);
    } catch {
      throw DomainError.invalid('accounting.bad_date', `"${date}" is not a date`, 'date');
    }
    const query = () =>
      tx.query<{
          journal: { id: string; active: boolean } | null;
          fiscal_year: { id: string; status: string } | null;
          accounts: { id: string; number: string; active: boolean }[] | null;
          currency: string | null;
          ready: boolean;
        }[]>(
        `SELECT (SELECT json_build_object('id', id, 'active', active) FROM journals WHERE organization_id = $1 AND code = $2) AS journal,
                (SELECT json_build_object('id', id, 'status', status) FROM fiscal_years
                  WHERE organization_id = $1 AND start_date <= $3 AND end_date >= $3) AS fiscal_year,
                (SELECT json_agg(json_build_object('id', id, 'number', number, 'active', active)) FROM accounts
                  WHERE organization_id = $1 AND number = ANY($4::varchar[])) AS accounts,
                (SELECT currency FROM organizations WHERE id = $1) AS currency,
                EXISTS (SELECT 1 FROM accounting_settings WHERE organization_id = $1) AS ready`,
        [ctx.organizationId, journalCode.toUpperCase(), day.toString(), [...new Set(accountNumbers)]],
      );
    let [row] = await query();
    if (row && !row.ready) {
      await this.setup.ensure(ctx, tx);
      [row] = await query();
    }
    if (!row?.currency) throw DomainError.notFound('organizations.not_found');
    const problems: DomainErrorDetail[] = [];
    if (!row.journal) problems.push({ field: 'journal', code: 'accounting.journal_unknown', message: `No journal ${journalCode}` });
    else if (!row.journal.active) problems.push({ field: 'journal', code: 'accounting.journal_inactive', message: `Journal ${journalCode} is deactivated` });
    const accounts = new Map((row.accounts ?? []).map((a) => [a.number, a]));
    accountNumbers.forEach((number, index) => {
      const account = accounts.get(number);
      if (!account) problems.push({ field: `lines.${index}.account`, code: 'accounting.account_unknown', message: `No account ${number} in the chart` });
      else if (!account.active) problems.push({ field: `lines.${index}.account`, code: 'accounting.account_inactive', message: `Account ${number} is deactivated` });
    });
    let fiscalYear = row.fiscal_year;
    if (!fiscalYear && problems.length === 0) {
      const opened = await this.fiscalYears.forDate(ctx, tx, day);
      fiscalYear = { id: opened.id, status: opened.status };
    }
    if (fiscalYear && fiscalYear.status !== 'open') problems.push({ field: 'date', code: 'accounting.fiscal_year_closed', message: `The fiscal year of ${day.toString()} is closed` });
    if (problems.length > 0 || !fiscalYear || !row.journal) throw invalid(problems);
    return {
      journalId: row.journal.id,
      fiscalYearId: fiscalYear.id,
      currency: row.currency.trim(),
      accountIds: new Map([...accounts.values()].map((a) => [a.number, a.id])),
    };
  }

  /** Writes an entry and its lines; a posted one takes the next number of its year in the same statement. */
  private async write(ctx: OrgContext, tx: EntityManager, input: WriteInput, id = newId()): Promise<PostResult> {
    if (input.status === 'posted' && !input.reservedNumber) {
      const fast = await this.writePostedAtOnce(ctx, tx, input, id);
      if (fast) return fast;
    }
    const resolved = await this.resolve(ctx, tx, input.journal, input.date, input.lines.map((l) => l.account));
    const now = this.clock.now();
    const total = input.lines.reduce((sum, l) => sum + l.debitCents, 0);
    const fixedNumber = input.status === 'posted' && input.reservedNumber ? await this.freeReservedNumber(ctx, tx, resolved.fiscalYearId, input.reservedNumber) : null;
    const lineParams = [
      input.lines.map((_, i) => i + 1),
      input.lines.map((l) => resolved.accountIds.get(l.account)),
      input.lines.map((l) => l.debitCents),
      input.lines.map((l) => l.creditCents),
      input.lines.map((l) => l.label ?? null),
      input.lines.map((l) => l.analytic ?? null),
      input.lines.map((l) => l.counterpartyRef ?? null),
      input.lines.map((l) => l.counterpartyLabel ?? null),
    ];
    const linesSql = `INSERT INTO journal_entry_lines (entry_id, line_no, organization_id, account_id, debit_cents, credit_cents, label, analytic, counterparty_ref, counterparty_label)
      SELECT e.id, t.line_no, $1, t.account_id, t.debit, t.credit, t.label, t.analytic, t.cref, t.clabel
        FROM e, unnest($15::smallint[], $16::uuid[], $17::bigint[], $18::bigint[], $19::varchar[], $20::varchar[], $21::varchar[], $22::varchar[])
             AS t(line_no, account_id, debit, credit, label, analytic, cref, clabel)
      RETURNING (SELECT number FROM e) AS number`;
    const params = [
      ctx.organizationId,
      resolved.fiscalYearId,
      id,
      resolved.journalId,
      input.date,
      input.label,
      input.pieceRef,
      input.pieceDate,
      input.source,
      now,
      ctx.userId,
      input.reversalOfId,
      resolved.currency,
      total,
      ...lineParams,
      ...(input.status === 'posted' ? [fixedNumber] : []),
    ];
    const sql =
      input.status === 'posted'
        ? `WITH n AS (
             UPDATE fiscal_years SET last_entry_number = last_entry_number + (CASE WHEN $23::int IS NULL THEN 1 ELSE 0 END)
              WHERE organization_id = $1 AND id = $2 AND status = 'open'
                AND ($9::varchar IS NULL OR NOT EXISTS (SELECT 1 FROM journal_entries WHERE organization_id = $1 AND source = $9))
              RETURNING coalesce($23::int, last_entry_number) AS last_entry_number),
           e AS (
             INSERT INTO journal_entries (id, organization_id, fiscal_year_id, journal_id, number, entry_date, label, piece_ref, piece_date, status,
                                          source, posted_at, posted_by, reversal_of_id, currency, total_cents, created_by, created_at, updated_at)
             SELECT $3, $1, $2, $4, n.last_entry_number, $5, $6, $7, $8, 'posted', $9, $10, $11, $12, $13, $14, $11, $10, $10 FROM n
             RETURNING id, number)
           ${linesSql}`
        : `WITH e AS (
             INSERT INTO journal_entries (id, organization_id, fiscal_year_id, journal_id, number, entry_date, label, piece_ref, piece_date, status,
                                          source, posted_at, posted_by, reversal_of_id, currency, total_cents, created_by, created_at, updated_at)
             VALUES ($3, $1, $2, $4, NULL, $5, $6, $7, $8, 'draft', $9, NULL, NULL, $12, $13, $14, $11, $10, $10)
             RETURNING id, number)
           ${linesSql}`;
    const rows: { number: number | null }[] = await tx.query(sql, params);
    if (rows.length > 0) return { entryId: id, number: rows[0]?.number ?? 0, created: true };
    if (input.source) {
      const existing: { id: string; number: number | null }[] = await tx.query('SELECT id, number FROM journal_entries WHERE organization_id = $1 AND source = $2', [ctx.organizationId, input.source]);
      if (existing[0]) return { entryId: existing[0].id, number: existing[0].number ?? 0, created: false };
    }
    throw DomainError.invalid('accounting.fiscal_year_closed', `The fiscal year of ${input.date} is closed`, 'date');
  }

  /**
   * The hot path of automatic postings: journal, fiscal year and accounts looked up inside the
   * posting statement itself (one round trip). When anything is off (unknown or inactive
   * account or journal, no open fiscal year yet, chart not seeded, source already posted) it
   * writes nothing and returns null, and `write` takes the path that explains why.
   */
  private async writePostedAtOnce(ctx: OrgContext, tx: EntityManager, input: WriteInput, id: string): Promise<PostResult | null> {
    const now = this.clock.now();
    const total = input.lines.reduce((sum, l) => sum + l.debitCents, 0);
    const accounts = [...new Set(input.lines.map((l) => l.account))];
    // A named statement: PostgreSQL plans it once per connection instead of at every posting.
    const client = (await tx.queryRunner?.connect()) as PgClient | undefined;
    if (!client) return null;
    const { rows } = await client.query<{ number: number }>({
      name: 'ruche-ledger-post',
      text: `WITH jr AS (SELECT id FROM journals WHERE organization_id = $1 AND code = $2 AND active),
            fy AS (SELECT id FROM fiscal_years WHERE organization_id = $1 AND start_date <= $3::date AND end_date >= $3::date AND status = 'open'),
            acc AS (SELECT id, number FROM accounts WHERE organization_id = $1 AND number = ANY($4::varchar[]) AND active),
            n AS (
              UPDATE fiscal_years SET last_entry_number = last_entry_number + 1
               WHERE organization_id = $1 AND id = (SELECT id FROM fy)
                 AND EXISTS (SELECT 1 FROM jr) AND (SELECT count(*) FROM acc) = $5::int
                 AND ($8::varchar IS NULL OR NOT EXISTS (SELECT 1 FROM journal_entries WHERE organization_id = $1 AND source = $8))
               RETURNING id, last_entry_number),
            e AS (
              INSERT INTO journal_entries (id, organization_id, fiscal_year_id, journal_id, number, entry_date, label, piece_ref, piece_date, status,
                                           source, posted_at, posted_by, reversal_of_id, currency, total_cents, created_by, created_at, updated_at)
              SELECT $9, $1, n.id, (SELECT id FROM jr), n.last_entry_number, $3, $6, $7, $10, 'posted', $8, $11, $12, $13,
                     (SELECT currency FROM organizations WHERE id = $1), $14, $12, $11, $11
                FROM n
              RETURNING id, number)
       INSERT INTO journal_entry_lines (entry_id, line_no, organization_id, account_id, debit_cents, credit_cents, label, analytic, counterparty_ref, counterparty_label)
       SELECT e.id, t.line_no, $1, acc.id, t.debit, t.credit, t.label, t.analytic, t.cref, t.clabel
         FROM e, unnest($15::smallint[], $16::varchar[], $17::bigint[], $18::bigint[], $19::varchar[], $20::varchar[], $21::varchar[], $22::varchar[])
              AS t(line_no, account, debit, credit, label, analytic, cref, clabel)
         JOIN acc ON acc.number = t.account
       RETURNING (SELECT number FROM e) AS number`,
      values: [
        ctx.organizationId,
        input.journal.toUpperCase(),
        input.date,
        accounts,
        accounts.length,
        input.label,
        input.pieceRef,
        input.source,
        id,
        input.pieceDate,
        now,
        ctx.userId,
        input.reversalOfId,
        total,
        input.lines.map((_, i) => i + 1),
        input.lines.map((l) => l.account),
        input.lines.map((l) => l.debitCents),
        input.lines.map((l) => l.creditCents),
        input.lines.map((l) => l.label ?? null),
        input.lines.map((l) => l.analytic ?? null),
        input.lines.map((l) => l.counterpartyRef ?? null),
        input.lines.map((l) => l.counterpartyLabel ?? null),
      ],
    });
    return rows.length > 0 ? { entryId: id, number: rows[0]?.number ?? 0, created: true } : null;
  }

  /**
   * The number the fiscal year keeps for its opening entry, when it is still free (and, for
   * `if-first`, when no entry was posted into the year yet); the year's row stays locked until
   * the posting commits.
   */
  private async freeReservedNumber(ctx: OrgContext, tx: EntityManager, fiscalYearId: string, use: ReservedNumberUse): Promise<number | null> {
    // The lock first, then the look at the entries in a statement of its own: under READ
    // COMMITTED a statement that waited for the lock would still see the entries with its old
    // snapshot, and two postings could both take the number (one failing on the unique index).
    const [year] = await tx.query<{ n: number | null; last: number; status: string }[]>(
      `SELECT opening_entry_number AS n, last_entry_number AS last, status FROM fiscal_years WHERE organization_id = $1 AND id = $2 FOR UPDATE`,
      [ctx.organizationId, fiscalYearId],
    );
    if (!year || year.status !== 'open' || year.n === null) return null;
    if (use !== 'opening' && year.last !== year.n) return null;
    const taken = await tx.query<unknown[]>(
      'SELECT 1 FROM journal_entries WHERE organization_id = $1 AND fiscal_year_id = $2 AND number = $3',
      [ctx.organizationId, fiscalYearId, year.n],
    );
    return taken.length === 0 ? year.n : null;
  }

  private async loadForChange(ctx: OrgContext, tx: EntityManager, id: string): Promise<EntryView> {
    const locked: unknown[] = await tx.query('SELECT 1 FROM journal_entries WHERE organization_id = $1 AND id = $2 FOR UPDATE', [ctx.organizationId, id]);
    if (locked.length === 0) throw DomainError.notFound('accounting.entry_not_found', 'No such entry');
    const entry = await this.get(ctx, id, tx);
    if (entry.status !== 'draft') throw DomainError.conflict('accounting.entry_posted', 'A posted entry cannot change: reverse it instead');
    return entry;
  }

  /** After the commit of a posting (callers that passed their own transaction call it once committed): live status, and the webhook deliveries the trigger wrote. */
  async publishPosted(ctx: OrgContext, entryId: string, number: number): Promise<void> {
    await this.webhooks.dispatchEvent(ctx.organizationId, 'entry.posted', entryId);
    await this.live.publish({ type: 'entry.posted', organizationId: ctx.organizationId, at: this.clock.now().toISOString(), data: { entryId, number } });
  }
}
