import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, escapeLike, isUuid, newId, sanitizeFileName, type OrgContext } from '@ruche/core';
import type {
  BankAccountInput,
  BankAccountView,
  BankLineListQuery,
  BankLineView,
  BankStatementView,
  CsvMappingInput,
  CsvPreviewView,
  Page,
  StatementImportView,
} from '@ruche/contracts';
import { AuditService, Clock } from '@ruche/platform';
import { ChartService } from '../../services/chart.service';
import { ReconciliationService } from '../../reconciliation/services/reconciliation.service';
import { BankAccountEntity, BankStatementEntity } from '../entities/bank.entities';
import { parseCamt053 } from '../domain/camt053';
import { parseOfx } from '../domain/ofx';
import { looksLikeQif, parseQif } from '../domain/qif';
import { looksLikeCfonb120, parseCfonb120 } from '../domain/cfonb120';
import { guessCsvMapping, parseCsvStatement, type CsvMapping } from '../domain/csv-statement';
import { StatementFormatError, lineKeys, type ParsedStatement } from '../domain/statement';
import { otherAccount } from '../domain/account-identity';

/** A CSV file came in and the account has no saved column mapping yet. */
export class CsvMappingNeededError extends Error {
  constructor() {
    super('This looks like a CSV export: save how its columns read for this account first');
    this.name = 'CsvMappingNeededError';
  }
}

/** Text with a separator on its first lines: what a bank's CSV export looks like. */
function looksLikeCsv(head: string): boolean {
  if (head.includes('\u0000')) return false;
  const lines = head.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '');
  return lines.length >= 2 && lines.slice(0, 10).filter((l) => /[;,\t]/.test(l)).length >= 2;
}

/**
 * Which reader a file needs, from its content (never from its name or declared type): OFX,
 * CAMT.053, CFONB 120, QIF, then CSV with the account's saved column mapping.
 */
export function readStatementFile(
  bytes: Buffer,
  options: { csvMapping?: CsvMapping | null; currency?: string } = {},
): ParsedStatement[] {
  // Every statement format is text, and no text has a NUL byte (nor can the database store one).
  if (bytes.includes(0))
    throw new StatementFormatError(
      'The file holds NUL bytes: not a statement (UTF-16 is not read: export as UTF-8 or Windows-1252)',
    );
  const head = bytes.subarray(0, 4096).toString('latin1');
  if (/OFXHEADER|<OFX>/i.test(head)) return parseOfx(bytes);
  if (/camt\.053|BkToCstmrStmt/.test(head) || /^\s*(<\?xml|<Document)/.test(head))
    return parseCamt053(bytes);
  if (looksLikeCfonb120(head)) return parseCfonb120(bytes);
  if (looksLikeQif(head)) return parseQif(bytes, { currency: options.currency });
  if (looksLikeCsv(head)) {
    if (!options.csvMapping) throw new CsvMappingNeededError();
    return parseCsvStatement(bytes, options.csvMapping);
  }
  throw new StatementFormatError(
    'Unknown statement format: send a CAMT.053, OFX, QIF, CFONB 120 or CSV file',
  );
}

const LINE_COLUMNS = `id, bank_account_id, booking_date::text AS booking_date, value_date::text AS value_date, amount_cents, currency, label,
  bank_reference, end_to_end_id, structured_reference, counterparty_name, counterparty_iban, status`;

/**
 * Bank accounts and their statements: imported idempotently (a line is stored once per account
 * and identity, whatever file brings it again), balances checked, lines queued for matching.
 */
@Injectable()
export class BankStatementsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly chart: ChartService,
    private readonly audit: AuditService,
    private readonly reconciliation: ReconciliationService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async listAccounts(ctx: OrgContext): Promise<BankAccountView[]> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT a.*, s.closing_balance_cents AS last_closing, s.closing_date::text AS last_closing_date,
              (SELECT count(*)::int FROM bank_statement_lines l WHERE l.organization_id = a.organization_id AND l.bank_account_id = a.id AND l.status = 'unmatched') AS unmatched
         FROM bank_accounts a
         LEFT JOIN LATERAL (SELECT closing_balance_cents, closing_date FROM bank_statements st
                             WHERE st.organization_id = a.organization_id AND st.bank_account_id = a.id AND st.closing_date IS NOT NULL
                             ORDER BY st.closing_date DESC, st.imported_at DESC LIMIT 1) s ON true
        WHERE a.organization_id = $1 ORDER BY a.active DESC, a.name`,
      [ctx.organizationId],
    );
    return rows.map((r) => ({
      id: r['id'] as string,
      name: r['name'] as string,
      iban: r['iban'] as string,
      bic: (r['bic'] as string | null) ?? null,
      accountNumber: r['account_number'] as string,
      currency: r['currency'] as string,
      active: r['active'] as boolean,
      acceptTransfers: r['accept_transfers'] as boolean,
      lastClosingBalanceCents: r['last_closing'] === null ? null : Number(r['last_closing']),
      lastClosingDate: (r['last_closing_date'] as string | null) ?? null,
      unmatchedLines: Number(r['unmatched']),
      createdAt: (r['created_at'] as Date).toISOString(),
    }));
  }

  async getAccount(ctx: OrgContext, id: string): Promise<BankAccountView> {
    const found = (await this.listAccounts(ctx)).find((a) => a.id === id);
    if (!found) throw DomainError.notFound('bank.account_not_found', 'No such bank account');
    return found;
  }

  private async checkLedgerAccount(ctx: OrgContext, number: string): Promise<void> {
    const account = (await this.chart.list(ctx)).find((a) => a.number === number);
    if (!account || !account.active)
      throw DomainError.invalid(
        'bank.ledger_account_unknown',
        `Account ${number} is not in the chart (or inactive)`,
        'accountNumber',
      );
    if (!number.startsWith('512'))
      throw DomainError.invalid(
        'bank.not_a_bank_account',
        'A bank account mirrors a 512x account',
        'accountNumber',
      );
  }

  async createAccount(ctx: OrgContext, input: BankAccountInput): Promise<BankAccountView> {
    await this.checkLedgerAccount(ctx, input.accountNumber);
    const id = newId();
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const taken = await m
        .getRepository(BankAccountEntity)
        .exists({ where: { organizationId: ctx.organizationId, iban: input.iban } });
      if (taken)
        throw DomainError.conflict(
          'bank.iban_taken',
          'This IBAN is already a bank account of the organization',
          'iban',
        );
      if (input.acceptTransfers && input.active) await this.releaseTransfers(ctx, m);
      await m.getRepository(BankAccountEntity).insert({
        id,
        organizationId: ctx.organizationId,
        name: input.name,
        iban: input.iban,
        bic: input.bic ?? null,
        accountNumber: input.accountNumber,
        currency: input.currency,
        active: input.active,
        acceptTransfers: input.acceptTransfers && input.active,
        createdAt: now,
        updatedAt: now,
      });
      await this.audit.record(
        ctx,
        { action: 'bank.account-created', entityType: 'bank_account', entityId: id, after: input },
        m,
      );
    });
    return this.getAccount(ctx, id);
  }

  async updateAccount(
    ctx: OrgContext,
    id: string,
    input: BankAccountInput,
  ): Promise<BankAccountView> {
    await this.checkLedgerAccount(ctx, input.accountNumber);
    await this.dataSource.transaction(async (m) => {
      const before = isUuid(id)
        ? await m
            .getRepository(BankAccountEntity)
            .findOne({ where: { organizationId: ctx.organizationId, id } })
        : null;
      if (!before) throw DomainError.notFound('bank.account_not_found', 'No such bank account');
      const clash = await m
        .getRepository(BankAccountEntity)
        .findOne({ where: { organizationId: ctx.organizationId, iban: input.iban } });
      if (clash && clash.id !== id)
        throw DomainError.conflict(
          'bank.iban_taken',
          'This IBAN is already a bank account of the organization',
          'iban',
        );
      if (input.acceptTransfers && input.active) await this.releaseTransfers(ctx, m);
      await m.getRepository(BankAccountEntity).update(
        { organizationId: ctx.organizationId, id },
        {
          name: input.name,
          iban: input.iban,
          bic: input.bic ?? null,
          accountNumber: input.accountNumber,
          currency: input.currency,
          active: input.active,
          acceptTransfers: input.acceptTransfers && input.active,
          updatedAt: this.clock.now(),
        },
      );
      await this.audit.record(
        ctx,
        {
          action: 'bank.account-updated',
          entityType: 'bank_account',
          entityId: id,
          before,
          after: input,
        },
        m,
      );
    });
    return this.getAccount(ctx, id);
  }

  /** Only one account is shown for transfers: choosing another one releases the previous. */
  private async releaseTransfers(ctx: OrgContext, m: EntityManager): Promise<void> {
    await m.query(
      'UPDATE bank_accounts SET accept_transfers = false WHERE organization_id = $1 AND accept_transfers',
      [ctx.organizationId],
    );
  }

  /**
   * The account payers by transfer are shown (holder, IBAN, BIC) and its 512x ledger account,
   * or null when the organization shows none.
   */
  async transferAccount(
    organizationId: string,
    m?: EntityManager,
  ): Promise<{ holder: string; iban: string; bic: string | null; accountNumber: string } | null> {
    const [row] = await (m ?? this.dataSource.manager).query<
      { iban: string; bic: string | null; account_number: string; holder: string }[]
    >(
      `SELECT a.iban, a.bic, a.account_number, coalesce(nullif(o.legal_name, ''), o.name) AS holder
         FROM bank_accounts a JOIN organizations o ON o.id = a.organization_id
        WHERE a.organization_id = $1 AND a.accept_transfers AND a.active`,
      [organizationId],
    );
    return row
      ? { holder: row.holder, iban: row.iban, bic: row.bic, accountNumber: row.account_number }
      : null;
  }

  /**
   * Imports a statement file: every statement it holds, each line stored once (a line already
   * imported, by this file or an overlapping one, is counted as a duplicate and left alone). A
   * statement for another account refuses the whole file. The very same file again (same bytes,
   * same account) adds no statement record: the answer is the earlier import's statements,
   * flagged `alreadyImported`.
   */
  async importFile(
    ctx: OrgContext,
    bankAccountId: string,
    fileName: string,
    bytes: Buffer,
  ): Promise<StatementImportView> {
    const account = isUuid(bankAccountId)
      ? await this.dataSource
          .getRepository(BankAccountEntity)
          .findOne({ where: { organizationId: ctx.organizationId, id: bankAccountId } })
      : null;
    if (!account) throw DomainError.notFound('bank.account_not_found', 'No such bank account');
    if (bytes.length === 0)
      throw DomainError.invalid('bank.empty_file', 'The file is empty', 'file');
    fileName = sanitizeFileName(fileName, 255) || 'releve';
    let statements: ParsedStatement[];
    try {
      statements = readStatementFile(bytes, {
        csvMapping: account.csvMapping as CsvMapping | null,
        currency: account.currency,
      });
    } catch (error) {
      if (error instanceof StatementFormatError)
        throw DomainError.invalid('bank.not_a_statement', error.message, 'file');
      if (error instanceof CsvMappingNeededError)
        throw DomainError.invalid('bank.csv_mapping_needed', error.message, 'file');
      throw error;
    }
    for (const [index, s] of statements.entries()) {
      const other = otherAccount(account.iban, s);
      if (other)
        throw DomainError.invalid(
          'bank.other_account',
          `${s.sourceLine ? `Line ${s.sourceLine}: statement` : 'Statement'} ${index + 1} of the file${s.statementId ? ` (${s.statementId})` : ''} is for ${other}, not for this account (${account.iban}): nothing imported`,
          'file',
        );
      const foreign = s.lines.find((l) => l.currency !== account.currency);
      if (foreign)
        throw DomainError.invalid(
          'bank.currency_mismatch',
          `A line is in ${foreign.currency}, the account in ${account.currency}`,
          'file',
        );
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const now = this.clock.now();
    const views: string[] = [];
    let total = 0;
    let added = 0;
    let earlier: string[] = [];
    await this.dataSource.transaction(async (m) => {
      // One import at a time per account: counts of new lines stay exact.
      await m.query(
        'SELECT id FROM bank_accounts WHERE organization_id = $1 AND id = $2 FOR UPDATE',
        [ctx.organizationId, account.id],
      );
      // The same bytes already imported into this account: its statements, nothing new.
      earlier = (
        await m.query<{ id: string }[]>(
          `SELECT id FROM bank_statements
            WHERE organization_id = $1 AND bank_account_id = $2 AND file_sha256 = $3
              AND imported_at = (SELECT max(imported_at) FROM bank_statements
                                  WHERE organization_id = $1 AND bank_account_id = $2 AND file_sha256 = $3)`,
          [ctx.organizationId, account.id, sha256],
        )
      ).map((r) => r.id);
      if (earlier.length > 0) return;
      for (const s of statements) {
        const statementId = newId();
        const keys = lineKeys(account.iban, s.lines);
        // The statement first: its lines point at it.
        await m.getRepository(BankStatementEntity).insert({
          id: statementId,
          organizationId: ctx.organizationId,
          bankAccountId: account.id,
          format: s.format,
          fileName: fileName.slice(0, 255),
          fileSha256: sha256,
          statementRef: s.statementId?.slice(0, 100) ?? null,
          openingBalanceCents:
            s.openingBalanceCents === null ? null : String(s.openingBalanceCents),
          openingDate: s.openingDate,
          closingBalanceCents:
            s.closingBalanceCents === null ? null : String(s.closingBalanceCents),
          closingDate: s.closingDate,
          lineCount: s.lines.length,
          newLineCount: 0,
          problems: s.problems,
          importedBy: ctx.userId ?? null,
          importedAt: now,
        });
        const inserted =
          s.lines.length === 0
            ? []
            : await m.query<{ id: string }[]>(
                `INSERT INTO bank_statement_lines (id, organization_id, bank_account_id, statement_id, line_key, booking_date, value_date, amount_cents, currency, label,
                   bank_reference, end_to_end_id, structured_reference, counterparty_name, counterparty_iban, bank_transaction_code, status, created_at)
                 SELECT gen_random_uuid(), $1, $2, $3, t.key, t.booking::date, t.value::date, t.amount, t.currency, t.label, t.ref, t.e2e, t.sref, t.cname, t.ciban, t.code, 'unmatched', $4
                   FROM unnest($5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])
                     AS t(key, booking, value, amount, currency, label, ref, e2e, sref, cname, ciban, code)
                 ON CONFLICT (organization_id, bank_account_id, line_key) DO NOTHING
                 RETURNING id`,
                [
                  ctx.organizationId,
                  account.id,
                  statementId,
                  now,
                  keys,
                  s.lines.map((l) => l.bookingDate),
                  s.lines.map((l) => l.valueDate),
                  s.lines.map((l) => String(l.amountCents)),
                  s.lines.map((l) => l.currency),
                  s.lines.map((l) => l.label.slice(0, 500)),
                  s.lines.map((l) => l.bankReference?.slice(0, 120) ?? null),
                  s.lines.map((l) => l.endToEndId?.slice(0, 120) ?? null),
                  s.lines.map((l) => l.structuredReference?.slice(0, 120) ?? null),
                  s.lines.map((l) => l.counterpartyName?.slice(0, 200) ?? null),
                  s.lines.map((l) => l.counterpartyIban?.slice(0, 34) ?? null),
                  s.lines.map((l) => l.bankTransactionCode?.slice(0, 40) ?? null),
                ],
              );
        await m.query(
          'UPDATE bank_statements SET new_line_count = $3 WHERE organization_id = $1 AND id = $2',
          [ctx.organizationId, statementId, inserted.length],
        );
        views.push(statementId);
        total += s.lines.length;
        added += inserted.length;
      }
      await this.audit.record(
        ctx,
        {
          action: 'bank.statement-imported',
          entityType: 'bank_account',
          entityId: account.id,
          after: { fileName, sha256, statements: statements.length, lines: total, newLines: added },
        },
        m,
      );
    });
    const all = await this.statements(ctx, account.id);
    if (earlier.length > 0) {
      const lines = statements.reduce((sum, s) => sum + s.lines.length, 0);
      return {
        statements: all.filter((s) => earlier.includes(s.id)),
        lines,
        newLines: 0,
        duplicates: lines,
        run: null,
        alreadyImported: true,
      };
    }
    // New lines go through the matching engine at once (in the worker: big files show progress).
    const run = added > 0 ? await this.reconciliation.startRun(ctx, account.id) : null;
    return {
      statements: all.filter((s) => views.includes(s.id)),
      lines: total,
      newLines: added,
      duplicates: total - added,
      run,
      alreadyImported: false,
    };
  }

  /** The account exists in this organization (one indexed read, not the whole list). */
  private async requireAccount(ctx: OrgContext, id: string): Promise<void> {
    const found =
      isUuid(id) &&
      (await this.dataSource
        .getRepository(BankAccountEntity)
        .exists({ where: { organizationId: ctx.organizationId, id } }));
    if (!found) throw DomainError.notFound('bank.account_not_found', 'No such bank account');
  }

  async statements(ctx: OrgContext, bankAccountId: string): Promise<BankStatementView[]> {
    await this.requireAccount(ctx, bankAccountId);
    const rows = await this.dataSource.getRepository(BankStatementEntity).find({
      where: { organizationId: ctx.organizationId, bankAccountId },
      order: { importedAt: 'DESC', closingDate: 'DESC' },
      take: 500,
    });
    return rows.map((s) => ({
      id: s.id,
      bankAccountId: s.bankAccountId,
      format: s.format,
      fileName: s.fileName,
      statementRef: s.statementRef,
      openingBalanceCents: s.openingBalanceCents === null ? null : Number(s.openingBalanceCents),
      openingDate: s.openingDate,
      closingBalanceCents: s.closingBalanceCents === null ? null : Number(s.closingBalanceCents),
      closingDate: s.closingDate,
      lineCount: s.lineCount,
      newLineCount: s.newLineCount,
      problems: s.problems,
      importedAt: s.importedAt.toISOString(),
    }));
  }

  async csvMapping(
    ctx: OrgContext,
    bankAccountId: string,
  ): Promise<{ mapping: CsvMappingInput | null }> {
    await this.requireAccount(ctx, bankAccountId);
    const row = await this.dataSource
      .getRepository(BankAccountEntity)
      .findOne({ where: { organizationId: ctx.organizationId, id: bankAccountId } });
    return { mapping: (row?.csvMapping as CsvMappingInput | null) ?? null };
  }

  async saveCsvMapping(
    ctx: OrgContext,
    bankAccountId: string,
    mapping: CsvMappingInput,
  ): Promise<{ mapping: CsvMappingInput | null }> {
    await this.requireAccount(ctx, bankAccountId);
    await this.dataSource.transaction(async (m) => {
      const before = await m
        .getRepository(BankAccountEntity)
        .findOne({ where: { organizationId: ctx.organizationId, id: bankAccountId } });
      await m.query(
        'UPDATE bank_accounts SET csv_mapping = $3::jsonb, updated_at = $4 WHERE organization_id = $1 AND id = $2',
        [ctx.organizationId, bankAccountId, JSON.stringify(mapping), this.clock.now()],
      );
      await this.audit.record(
        ctx,
        {
          action: 'bank.csv-mapping-saved',
          entityType: 'bank_account',
          entityId: bankAccountId,
          before: before?.csvMapping ?? null,
          after: mapping,
        },
        m,
      );
    });
    return this.csvMapping(ctx, bankAccountId);
  }

  /**
   * A CSV file read with the saved mapping (or the guessed one when none is saved): the
   * treasurer sees the file's rows and what the mapping makes of them before saving it.
   */
  async csvPreview(ctx: OrgContext, bankAccountId: string, bytes: Buffer): Promise<CsvPreviewView> {
    // One read of the account: its saved mapping and its currency.
    const account = isUuid(bankAccountId)
      ? await this.dataSource
          .getRepository(BankAccountEntity)
          .findOne({ where: { organizationId: ctx.organizationId, id: bankAccountId } })
      : null;
    if (!account) throw DomainError.notFound('bank.account_not_found', 'No such bank account');
    if (bytes.length === 0)
      throw DomainError.invalid('bank.empty_file', 'The file is empty', 'file');
    const saved = account.csvMapping as CsvMapping | null;
    const guess = guessCsvMapping(bytes);
    const mapping: CsvMapping | null =
      saved ?? (guess.mapping ? { ...guess.mapping, currency: account.currency } : null);
    let lines: CsvPreviewView['lines'] = [];
    let error: string | null = null;
    if (mapping) {
      try {
        lines = parseCsvStatement(bytes, mapping)
          .flatMap((s) => s.lines)
          .slice(0, 20)
          .map((l) => ({
            bookingDate: l.bookingDate,
            valueDate: l.valueDate,
            amountCents: l.amountCents,
            label: l.label,
          }));
      } catch (e) {
        if (!(e instanceof StatementFormatError)) throw e;
        error = e.message;
      }
    } else error = 'No column mapping could be guessed from this file: describe it below';
    return {
      mapping: mapping,
      saved: saved !== null,
      headers: guess.headers,
      sample: guess.sample.slice(0, 10),
      lines,
      error,
    };
  }

  async lines(
    ctx: OrgContext,
    bankAccountId: string,
    q: BankLineListQuery,
  ): Promise<Page<BankLineView>> {
    await this.requireAccount(ctx, bankAccountId);
    const where = ['organization_id = $1', 'bank_account_id = $2'];
    const params: unknown[] = [ctx.organizationId, bankAccountId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (q.status) add('status = ?', q.status);
    if (q.from) add('booking_date >= ?', q.from);
    if (q.to) add('booking_date <= ?', q.to);
    if (q.q) add("(label ILIKE '%' || ? || '%' OR counterparty_name ILIKE '%' || ? || '%')", escapeLike(q.q));
    const sql = where.join(' AND ');
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM bank_statement_lines WHERE ${sql}`,
      params,
    );
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT ${LINE_COLUMNS} FROM bank_statement_lines WHERE ${sql} ORDER BY booking_date DESC, created_at DESC, id LIMIT ${q.limit} OFFSET ${q.offset}`,
      params,
    );
    return {
      items: rows.map((r) => ({
        id: r['id'] as string,
        bankAccountId: r['bank_account_id'] as string,
        bookingDate: r['booking_date'] as string,
        valueDate: (r['value_date'] as string | null) ?? null,
        amountCents: Number(r['amount_cents']),
        currency: r['currency'] as string,
        label: r['label'] as string,
        bankReference: (r['bank_reference'] as string | null) ?? null,
        endToEndId: (r['end_to_end_id'] as string | null) ?? null,
        structuredReference: (r['structured_reference'] as string | null) ?? null,
        counterpartyName: (r['counterparty_name'] as string | null) ?? null,
        counterpartyIban: (r['counterparty_iban'] as string | null) ?? null,
        status: r['status'] as BankLineView['status'],
      })),
      total,
      limit: q.limit,
      offset: q.offset,
    };
  }
}
