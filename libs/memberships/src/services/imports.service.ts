import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, LocalDate, newId, sanitizeFileName, systemContext, type OrgContext } from '@ruche/core';
import {
  IMPORT_MAX_BYTES,
  createContactInputSchema,
  type CustomFieldValue,
  type ImportCounts,
  type ImportMappingInput,
  type ImportMode,
  type ImportReadingInput,
  type ImportOutcome,
  type ImportRowView,
  type ImportRowsQuery,
  type ImportView,
  type Page,
} from '@ruche/contracts';
import {
  AuditService,
  Clock,
  LiveEventsPort,
  QueuePort,
  UnrecoverableJobError,
  jobId,
} from '@ruche/platform';
import {
  ContactEntity,
  ContactsService,
  CustomFieldDefinitionEntity,
  TagEntity,
  checkCustomFields,
  dedupeKeys,
  duplicateReasons,
  normalizeText,
  type ContactFields,
  type DedupeKeys,
} from '@ruche/contacts';
import { ContactImportEntity, ContactImportRowEntity } from '../entities/contact-import.entity';
import { MembershipPlanEntity } from '../entities/membership-plan.entity';
import { mapRow, suggestColumns, type RowMessage } from '../domain/import-row';
import { periodFor } from '../domain/period';
import {
  decode,
  detectDelimiter,
  detectEncoding,
  detectFormat,
  readRows,
  type CsvOptions,
} from '../imports/file-reader';
import { MembershipsService, type OrgCalendar } from './memberships.service';
import '../jobs/jobs';

const BATCH = 500;
const SAMPLE_ROWS = 5;

interface RowResult {
  rowNumber: number;
  outcome: ImportOutcome;
  contactId: string | null;
  label: string;
  messages: RowMessage[];
  membershipCreated: boolean;
}

/** What a run knows once: rules, plans, tags, the calendar, and (dry run) what it would have created. */
interface RunContext {
  ctx: OrgContext;
  mode: ImportMode;
  mapping: ImportMappingInput;
  rules: CustomFieldDefinitionEntity[];
  plans: MembershipPlanEntity[];
  tags: Map<string, string>;
  /** Tags created by the line being processed. */
  newTags: string[];
  calendar: OrgCalendar;
  /** Dry run only: contacts the earlier batches would have created (their work is rolled back). */
  wouldCreate: { byEmail: Set<string>; byName: Map<string, DedupeKeys[]> };
}

/** A line that passed the checks that need no database. */
interface Prepared {
  rowNumber: number;
  label: string;
  input: ContactFields;
  customFields: Record<string, CustomFieldValue>;
  tagNames: string[];
  membership: {
    plan: MembershipPlanEntity;
    tierCode: string | null;
    amountCents: number | null;
    startDate: string;
    paidOn: string | null;
  } | null;
  keys: DedupeKeys;
}

class RollbackBatch extends Error {}

function emptyCounts(): ImportCounts {
  return { created: 0, updated: 0, duplicate: 0, rejected: 0, membershipsCreated: 0 };
}

/**
 * Contact (and membership history) imports from CSV or XLSX: upload, column mapping, dry run,
 * apply in the worker with progress. Each line is all or nothing (a savepoint), bad lines are
 * reported with their reasons and never block good ones, and running a file twice creates nothing
 * the second time (existing contacts are completed, never duplicated).
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contacts: ContactsService,
    private readonly memberships: MembershipsService,
    private readonly audit: AuditService,
    private readonly live: LiveEventsPort,
    private readonly queue: QueuePort,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async upload(ctx: OrgContext, fileName: string, bytes: Buffer): Promise<ImportView> {
    if (bytes.length > IMPORT_MAX_BYTES)
      throw DomainError.invalid(
        'imports.too_large',
        `The file is over ${IMPORT_MAX_BYTES / 1024 / 1024} MB`,
        'file',
      );
    const format = detectFormat(bytes);
    const csv: CsvOptions | null =
      format === 'csv' ? { encoding: detectEncoding(bytes), delimiter: ';' } : null;
    if (csv) csv.delimiter = detectDelimiter(decode(bytes.subarray(0, 64 * 1024), csv.encoding));
    const preview = await this.preview(bytes, format, csv);
    const row = this.dataSource.getRepository(ContactImportEntity).create({
      id: newId(),
      organizationId: ctx.organizationId,
      fileName: sanitizeFileName(fileName, 255) || 'import',
      format,
      content: bytes,
      sizeBytes: bytes.length,
      encoding: csv?.encoding ?? null,
      delimiter: csv?.delimiter ?? null,
      ...preview,
      mapping: null,
      status: 'uploaded',
      mode: null,
      runSeq: 0,
      processedRows: 0,
      counts: null,
      error: null,
      createdBy: ctx.userId,
      createdAt: this.clock.now(),
      finishedAt: null,
    });
    await this.dataSource.getRepository(ContactImportEntity).insert(row);
    return this.view(ctx, row);
  }

  async list(ctx: OrgContext): Promise<ImportView[]> {
    const rows = await this.dataSource.getRepository(ContactImportEntity).find({
      where: { organizationId: ctx.organizationId },
      order: { createdAt: 'DESC' },
      take: 20,
      select: this.columnsWithoutContent(),
    });
    const rules = await this.activeRules(ctx);
    return Promise.all(rows.map((r) => this.view(ctx, r, rules)));
  }

  async get(ctx: OrgContext, id: string): Promise<ImportView> {
    return this.view(ctx, await this.load(ctx, id, false));
  }

  async setMapping(ctx: OrgContext, id: string, input: ImportMappingInput): Promise<ImportView> {
    const row = await this.load(ctx, id, true);
    if (row.status === 'queued' || row.status === 'running')
      throw DomainError.conflict('imports.running', 'This import is running; wait until it ends');
    const changes: Partial<ContactImportEntity> = { mapping: input, status: 'mapped' };
    if (row.format === 'csv') {
      const csv = {
        encoding: input.encoding ?? row.encoding ?? 'utf-8',
        delimiter: input.delimiter ?? row.delimiter ?? ';',
      };
      if (csv.encoding !== row.encoding || csv.delimiter !== row.delimiter)
        Object.assign(
          changes,
          { encoding: csv.encoding, delimiter: csv.delimiter },
          await this.preview(row.content, 'csv', csv),
        );
    }
    const headers = changes.headers ?? row.headers;
    const problems: { field: string; code: string; message: string }[] = [];
    const rules = await this.dataSource
      .getRepository(CustomFieldDefinitionEntity)
      .find({ where: { organizationId: ctx.organizationId } });
    for (const [column, target] of Object.entries(input.columns)) {
      if (Number(column) >= headers.length)
        problems.push({
          field: `columns.${column}`,
          code: 'imports.no_such_column',
          message: `The file has ${headers.length} columns`,
        });
      if (
        target.startsWith('custom:') &&
        !rules.some((r) => r.active && r.key === target.slice(7))
      ) {
        problems.push({
          field: `columns.${column}`,
          code: 'imports.unknown_custom_field',
          message: `No custom field "${target.slice(7)}"`,
        });
      }
    }
    if (input.defaultPlanId) {
      const plan = await this.dataSource
        .getRepository(MembershipPlanEntity)
        .findOne({ where: { organizationId: ctx.organizationId, id: input.defaultPlanId } });
      if (!plan)
        problems.push({
          field: 'defaultPlanId',
          code: 'memberships.plan_not_found',
          message: 'No such membership plan',
        });
    }
    if (problems.length > 0)
      throw new DomainError('invalid', problems[0].code, problems[0].message, {
        field: problems[0].field,
        details: problems,
      });
    await this.dataSource
      .getRepository(ContactImportEntity)
      .update({ organizationId: ctx.organizationId, id }, changes);
    return this.get(ctx, id);
  }

  /** Reads a CSV again with another encoding or separator: new headers, sample and row count. */
  async setReading(ctx: OrgContext, id: string, input: ImportReadingInput): Promise<ImportView> {
    const row = await this.load(ctx, id, true);
    if (row.status === 'queued' || row.status === 'running')
      throw DomainError.conflict('imports.running', 'This import is running; wait until it ends');
    if (row.format !== 'csv')
      throw DomainError.invalid(
        'imports.not_csv',
        'Only a CSV file has an encoding and a separator',
        'encoding',
      );
    const preview = await this.preview(row.content, 'csv', input);
    const columnsChanged = input.delimiter !== row.delimiter;
    await this.dataSource.getRepository(ContactImportEntity).update(
      { organizationId: ctx.organizationId, id },
      {
        ...preview,
        encoding: input.encoding,
        delimiter: input.delimiter,
        ...(columnsChanged ? { mapping: null, status: 'uploaded' as const } : {}),
        ...(row.mapping && !columnsChanged ? { mapping: { ...row.mapping, ...input } } : {}),
      },
    );
    return this.get(ctx, id);
  }

  /** Queues a dry run (nothing is written) or the real import; the worker takes it from there. */
  async run(ctx: OrgContext, id: string, mode: ImportMode): Promise<ImportView> {
    const runSeq = await this.dataSource.transaction(async (m) => {
      const row = await m.getRepository(ContactImportEntity).findOne({
        where: { organizationId: ctx.organizationId, id },
        lock: { mode: 'pessimistic_write' },
        select: this.columnsWithoutContent(),
      });
      if (!row) throw DomainError.notFound('imports.not_found', 'No such import');
      if (!row.mapping)
        throw DomainError.invalid(
          'imports.not_mapped',
          'Choose what each column holds first',
          'mapping',
        );
      if (row.status === 'queued' || row.status === 'running')
        throw DomainError.conflict('imports.running', 'This import is running already');
      await m
        .getRepository(ContactImportRowEntity)
        .delete({ organizationId: ctx.organizationId, importId: id, mode });
      await m.getRepository(ContactImportEntity).update(
        { organizationId: ctx.organizationId, id },
        {
          status: 'queued',
          mode,
          runSeq: row.runSeq + 1,
          processedRows: 0,
          counts: null,
          error: null,
          finishedAt: null,
        },
      );
      return row.runSeq + 1;
    });
    await this.queue.enqueue(
      'memberships.run-import',
      { organizationId: ctx.organizationId, importId: id, runSeq },
      { jobId: jobId('memberships.run-import', `${id}-${runSeq}`) },
    );
    await this.publish(ctx.organizationId, id);
    return this.get(ctx, id);
  }

  async rows(ctx: OrgContext, id: string, query: ImportRowsQuery): Promise<Page<ImportRowView>> {
    await this.load(ctx, id, false);
    const where = {
      organizationId: ctx.organizationId,
      importId: id,
      mode: query.mode,
      ...(query.outcome ? { outcome: query.outcome } : {}),
    };
    const [items, total] = await this.dataSource
      .getRepository(ContactImportRowEntity)
      .findAndCount({ where, order: { rowNumber: 'ASC' }, take: query.limit, skip: query.offset });
    return {
      items: items.map((r) => ({
        rowNumber: r.rowNumber,
        outcome: r.outcome,
        contactId: r.contactId,
        label: r.label,
        messages: r.messages,
      })),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  /**
   * The worker's job. A stale job (an earlier run) does nothing; an apply that crashed resumes
   * after the last committed batch; a dry run starts over.
   */
  async process(organizationId: string, importId: string, runSeq: number): Promise<void> {
    const ctx = systemContext(organizationId);
    const row = await this.dataSource
      .getRepository(ContactImportEntity)
      .findOne({ where: { organizationId, id: importId } });
    if (!row) throw new UnrecoverableJobError(`No import ${importId}`);
    if (
      row.runSeq !== runSeq ||
      row.status === 'done' ||
      row.status === 'failed' ||
      !row.mapping ||
      !row.mode
    )
      return;
    const mode = row.mode;
    const resumeAfter = mode === 'apply' ? row.processedRows : 0;
    const counts = mode === 'apply' && row.counts ? row.counts : emptyCounts();
    await this.dataSource
      .getRepository(ContactImportEntity)
      .update({ organizationId, id: importId }, { status: 'running' });
    await this.publish(organizationId, importId);
    try {
      const run = await this.runContext(ctx, mode, row.mapping);
      let rowNumber = 1;
      let batch: { rowNumber: number; cells: string[] }[] = [];
      let processed = resumeAfter;
      const flush = async () => {
        if (batch.length === 0) return;
        await this.processBatch(run, batch, async (results, m) => {
          for (const r of results) {
            counts[r.outcome] += 1;
            if (r.membershipCreated) counts.membershipsCreated += 1;
          }
          processed += batch.length;
          await this.saveResults(organizationId, importId, mode, results, m);
          await m
            .getRepository(ContactImportEntity)
            .update(
              { organizationId, id: importId },
              { processedRows: processed, counts: { ...counts } },
            );
        });
        batch = [];
        await this.publish(organizationId, importId);
      };
      const csv = { encoding: row.encoding ?? 'utf-8', delimiter: row.delimiter ?? ';' };
      let header = true;
      for await (const cells of readRows(row.content, row.format, csv)) {
        if (header) {
          header = false;
          continue;
        }
        rowNumber += 1;
        if (rowNumber - 1 <= resumeAfter) continue;
        batch.push({ rowNumber, cells });
        if (batch.length === BATCH) await flush();
      }
      await flush();
      await this.dataSource.transaction(async (m) => {
        await m
          .getRepository(ContactImportEntity)
          .update(
            { organizationId, id: importId },
            { status: 'done', finishedAt: this.clock.now(), counts: { ...counts } },
          );
        if (mode === 'apply') {
          await this.audit.record(
            ctx,
            {
              action: 'contacts.imported',
              entityType: 'contact_import',
              entityId: importId,
              after: { fileName: row.fileName, ...counts },
            },
            m,
          );
        }
      });
      await this.publish(organizationId, importId);
    } catch (error) {
      if (error instanceof DomainError) {
        await this.dataSource
          .getRepository(ContactImportEntity)
          .update(
            { organizationId, id: importId },
            { status: 'failed', error: error.message, finishedAt: this.clock.now() },
          );
        await this.publish(organizationId, importId);
        return;
      }
      throw error;
    }
  }

  // ---- internals --------------------------------------------------------------------------

  /**
   * One batch in one transaction; `record` saves the report and the progress in that same
   * transaction (an apply that crashes resumes exactly after it). Lines are first checked in
   * memory; lines that match no existing contact are written together (multi-row inserts); the
   * others (matches, and any line of a bulk write that fails) go one by one, each in its own
   * savepoint, so that a bad line never takes good ones with it. A dry run rolls the batch back,
   * then records its report on its own.
   */
  private async processBatch(
    run: RunContext,
    batch: { rowNumber: number; cells: string[] }[],
    record: (results: RowResult[], m: EntityManager) => Promise<void>,
  ): Promise<void> {
    const results: RowResult[] = [];
    try {
      await this.dataSource.transaction(async (m) => {
        const prepared: Prepared[] = [];
        for (const line of batch) {
          const p = this.prepare(run, line.rowNumber, line.cells);
          if ('outcome' in p) results.push(p);
          else prepared.push(p);
        }
        const candidates = await this.contacts.duplicateCandidates(
          run.ctx,
          prepared.map((p) => p.keys),
          m,
        );
        const fresh: Prepared[] = [];
        const slow: Prepared[] = [];
        const batchKeys = new Map<string, DedupeKeys[]>();
        const batchEmails = new Set<string>();
        for (const p of prepared) {
          const matchesDb = candidates.some((c) => duplicateReasons(p.keys, c).length > 0);
          const matchesBatch =
            (p.keys.email !== null && batchEmails.has(p.keys.email)) ||
            (batchKeys.get(p.keys.nameKey) ?? []).some(
              (k) => duplicateReasons(p.keys, k).length > 0,
            );
          if (matchesDb || matchesBatch) {
            slow.push(p);
          } else if (run.mode === 'dry_run' && this.seenInDryRun(run, p.keys)) {
            results.push({
              rowNumber: p.rowNumber,
              outcome: 'duplicate',
              contactId: null,
              label: p.label,
              messages: [{ field: 'row', message: 'Same person as an earlier line' }],
              membershipCreated: false,
            });
          } else {
            fresh.push(p);
            if (p.keys.email) batchEmails.add(p.keys.email);
            if (p.keys.nameKey)
              batchKeys.set(p.keys.nameKey, [...(batchKeys.get(p.keys.nameKey) ?? []), p.keys]);
          }
        }
        results.push(...(await this.insertFresh(run, m, fresh, slow)));
        for (const p of slow) results.push(await this.oneByOne(run, m, p));
        if (run.mode === 'dry_run') throw new RollbackBatch();
        results.sort((x, y) => x.rowNumber - y.rowNumber);
        await record(results, m);
      });
    } catch (error) {
      if (!(error instanceof RollbackBatch)) throw error;
      results.sort((x, y) => x.rowNumber - y.rowNumber);
      await this.dataSource.transaction((m) => record(results, m));
    }
  }

  /** New contacts (and their membership history) in multi-row inserts; if that fails, they go to the one-by-one path. */
  private async insertFresh(
    run: RunContext,
    m: EntityManager,
    fresh: Prepared[],
    slow: Prepared[],
  ): Promise<RowResult[]> {
    if (fresh.length === 0) return [];
    await m.query('SAVEPOINT import_bulk');
    run.newTags = [];
    try {
      for (const p of fresh) p.input.tagIds = await this.tagIds(run, p.tagNames, m);
      const contacts = await this.contacts.insertManyChecked(
        run.ctx,
        fresh.map((p) => ({ input: p.input, customFields: p.customFields })),
        m,
      );
      const history = fresh.flatMap((p, i) =>
        p.membership ? [{ contact: contacts[i], ...p.membership }] : [],
      );
      await this.memberships.importHistoryForNew(run.ctx, m, run.calendar, history);
      await m.query('RELEASE SAVEPOINT import_bulk');
      if (run.mode === 'dry_run') for (const p of fresh) this.rememberDryRun(run, p.keys);
      return fresh.map((p, i) => ({
        rowNumber: p.rowNumber,
        outcome: 'created' as const,
        contactId: run.mode === 'apply' ? contacts[i].id : null,
        label: p.label,
        messages: [],
        membershipCreated: p.membership !== null,
      }));
    } catch {
      await m.query('ROLLBACK TO SAVEPOINT import_bulk');
      for (const key of run.newTags) run.tags.delete(key);
      for (const p of fresh) p.input.tagIds = [];
      slow.unshift(...fresh);
      return [];
    }
  }

  /** One line in its own savepoint: a match of an existing contact (completed, never duplicated), or a retry after a failed bulk write. */
  private async oneByOne(run: RunContext, m: EntityManager, p: Prepared): Promise<RowResult> {
    run.newTags = [];
    await m.query('SAVEPOINT import_row');
    let result: RowResult;
    try {
      result = await this.applyPrepared(run, m, p);
    } catch (error) {
      const message = error instanceof DomainError ? error.message : 'This line could not be saved';
      const field = error instanceof DomainError ? (error.field ?? 'row') : 'row';
      result = {
        rowNumber: p.rowNumber,
        outcome: 'rejected',
        contactId: null,
        label: p.label,
        messages: [{ field, message }],
        membershipCreated: false,
      };
    }
    if (result.outcome === 'rejected') {
      await m.query('ROLLBACK TO SAVEPOINT import_row');
      for (const key of run.newTags) run.tags.delete(key);
    } else {
      await m.query('RELEASE SAVEPOINT import_row');
    }
    return result;
  }

  /** The checks that need no database: the mapping, the contact schema, custom fields, the plan and its period. */
  private prepare(run: RunContext, rowNumber: number, cells: string[]): Prepared | RowResult {
    const { mapping } = run;
    const mapped = mapRow(cells, mapping.columns, mapping.dateOrder);
    const reject = (messages: RowMessage[]): RowResult => ({
      rowNumber,
      outcome: 'rejected',
      contactId: null,
      label: mapped.label,
      messages,
      membershipCreated: false,
    });
    if (mapped.messages.length > 0) return reject(mapped.messages);
    const parsed = createContactInputSchema.safeParse({
      ...mapped.contact,
      customFields: {},
      tagIds: [],
      confirmNotDuplicate: true,
    });
    if (!parsed.success)
      return reject(
        parsed.error.issues.map((i) => ({
          field: i.path.map(String).join('.') || 'row',
          message: i.message,
        })),
      );
    const custom = checkCustomFields(run.rules, mapped.customFields);
    if (custom.errors.length > 0)
      return reject(custom.errors.map((e) => ({ field: e.field, message: e.message })));
    let membership: Prepared['membership'] = null;
    const wanted = mapped.membership;
    if (wanted) {
      const byName = wanted.plan
        ? run.plans.find((p) => normalizeText(p.name) === normalizeText(wanted.plan))
        : null;
      const plan =
        byName ??
        (!wanted.plan && mapping.defaultPlanId
          ? (run.plans.find((p) => p.id === mapping.defaultPlanId) ?? null)
          : null);
      if (!plan)
        return reject([
          {
            field: 'membershipPlan',
            message: wanted.plan
              ? `No plan named "${wanted.plan}"`
              : 'No plan column: choose a default plan',
          },
        ]);
      const startDate = wanted.startDate ?? wanted.paidOn;
      if (!startDate)
        return reject([
          { field: 'membershipStartDate', message: 'A start date (or a payment date) is needed' },
        ]);
      const tier = wanted.tier?.toLowerCase();
      if (
        tier &&
        !plan.tiers.some((t) => t.code.toLowerCase() === tier || t.label.toLowerCase() === tier)
      ) {
        return reject([
          { field: 'membershipTier', message: `No tier "${wanted.tier}" in ${plan.name}` },
        ]);
      }
      if (wanted.amountCents === null && plan.pricingKind !== 'fixed' && !tier)
        return reject([
          { field: 'membershipAmount', message: 'The amount paid is needed for this plan' },
        ]);
      try {
        periodFor(plan, LocalDate.parse(startDate), run.calendar.fiscalYearStartMonth);
      } catch (error) {
        if (error instanceof DomainError)
          return reject([{ field: 'membershipStartDate', message: error.message }]);
        throw error;
      }
      membership = {
        plan,
        tierCode: wanted.tier,
        amountCents: wanted.amountCents,
        startDate,
        paidOn: wanted.paidOn,
      };
    }
    const input: ContactFields = { ...parsed.data, tagIds: [] };
    return {
      rowNumber,
      label: mapped.label,
      input,
      customFields: custom.values,
      tagNames: mapped.tags,
      membership,
      keys: dedupeKeys(input),
    };
  }

  private async applyPrepared(run: RunContext, m: EntityManager, p: Prepared): Promise<RowResult> {
    const { ctx } = run;
    const input: ContactFields = { ...p.input, tagIds: await this.tagIds(run, p.tagNames, m) };
    const duplicates = await this.contacts.findDuplicates(ctx, input, null, m);
    let contact: ContactEntity;
    let outcome: ImportOutcome;
    if (duplicates.length > 0) {
      const best = duplicates.find((d) => d.reasons.includes('same_email')) ?? duplicates[0];
      contact = await m
        .getRepository(ContactEntity)
        .findOneOrFail({ where: { organizationId: ctx.organizationId, id: best.id } });
      outcome = (await this.contacts.fillBlanks(ctx, contact, input, p.customFields, m))
        ? 'updated'
        : 'duplicate';
    } else {
      contact = await this.contacts.insertChecked(ctx, input, p.customFields, m);
      outcome = 'created';
      if (run.mode === 'dry_run') this.rememberDryRun(run, p.keys);
    }
    let membershipCreated = false;
    if (p.membership) {
      membershipCreated =
        (await this.memberships.importHistory(ctx, m, run.calendar, {
          contact,
          ...p.membership,
        })) === 'created';
      if (membershipCreated && outcome === 'duplicate') outcome = 'updated';
    }
    return {
      rowNumber: p.rowNumber,
      outcome,
      contactId: run.mode === 'apply' ? contact.id : null,
      label: p.label,
      messages: [],
      membershipCreated,
    };
  }

  /** Tag names to ids; an apply creates the missing tags, a dry run only checks them. */
  private async tagIds(
    run: RunContext,
    names: readonly string[],
    m: EntityManager,
  ): Promise<string[]> {
    const ids: string[] = [];
    for (const name of names) {
      const key = name.toLowerCase();
      const known = run.tags.get(key);
      if (known) {
        ids.push(known);
        continue;
      }
      if (run.mode === 'dry_run') continue;
      const id = newId();
      await m.getRepository(TagEntity).insert({
        id,
        organizationId: run.ctx.organizationId,
        name: name.slice(0, 60),
        color: '#64748b',
      });
      // Forgotten again if this line is rejected (its savepoint, and the tag, are rolled back).
      run.tags.set(key, id);
      run.newTags.push(key);
      ids.push(id);
    }
    return ids;
  }

  private seenInDryRun(run: RunContext, keys: DedupeKeys): boolean {
    if (keys.email && run.wouldCreate.byEmail.has(keys.email)) return true;
    return (run.wouldCreate.byName.get(keys.nameKey) ?? []).some(
      (other) => duplicateReasons(keys, other).length > 0,
    );
  }

  private rememberDryRun(run: RunContext, keys: DedupeKeys): void {
    if (keys.email) run.wouldCreate.byEmail.add(keys.email);
    if (keys.nameKey)
      run.wouldCreate.byName.set(keys.nameKey, [
        ...(run.wouldCreate.byName.get(keys.nameKey) ?? []),
        keys,
      ]);
  }

  private async saveResults(
    organizationId: string,
    importId: string,
    mode: ImportMode,
    results: RowResult[],
    m: EntityManager,
  ): Promise<void> {
    if (results.length === 0) return;
    await m.getRepository(ContactImportRowEntity).insert(
      results.map((r) => ({
        organizationId,
        importId,
        mode,
        rowNumber: r.rowNumber,
        outcome: r.outcome,
        contactId: r.contactId,
        label: r.label.slice(0, 300),
        messages: r.messages,
      })),
    );
  }

  private async runContext(
    ctx: OrgContext,
    mode: ImportMode,
    mapping: ImportMappingInput,
  ): Promise<RunContext> {
    const m = this.dataSource.manager;
    const rules = await m
      .getRepository(CustomFieldDefinitionEntity)
      .find({ where: { organizationId: ctx.organizationId } });
    const plans = await m
      .getRepository(MembershipPlanEntity)
      .find({ where: { organizationId: ctx.organizationId } });
    const tags = await m
      .getRepository(TagEntity)
      .find({ where: { organizationId: ctx.organizationId } });
    const calendar = await this.memberships.calendar(ctx, m);
    return {
      ctx,
      mode,
      mapping,
      rules,
      plans,
      tags: new Map(tags.map((t) => [t.name.toLowerCase(), t.id])),
      newTags: [],
      calendar,
      wouldCreate: { byEmail: new Set(), byName: new Map() },
    };
  }

  private async preview(
    bytes: Buffer,
    format: 'csv' | 'xlsx',
    csv: CsvOptions | null,
  ): Promise<{ headers: string[]; sample: string[][]; rowCount: number }> {
    let headers: string[] | null = null;
    const sample: string[][] = [];
    let rowCount = 0;
    for await (const cells of readRows(
      bytes,
      format,
      csv ?? { encoding: 'utf-8', delimiter: ';' },
    )) {
      if (!headers) {
        headers = cells;
        continue;
      }
      rowCount += 1;
      if (sample.length < SAMPLE_ROWS) sample.push(cells);
    }
    if (!headers || headers.every((h) => h === ''))
      throw DomainError.invalid('imports.empty_file', 'The file has no header line', 'file');
    if (rowCount === 0)
      throw DomainError.invalid(
        'imports.no_rows',
        'The file has a header line but no rows',
        'file',
      );
    return { headers, sample, rowCount };
  }

  private activeRules(ctx: OrgContext): Promise<CustomFieldDefinitionEntity[]> {
    return this.dataSource
      .getRepository(CustomFieldDefinitionEntity)
      .find({ where: { organizationId: ctx.organizationId, active: true } });
  }

  private async view(
    ctx: OrgContext,
    row: ContactImportEntity,
    rules?: CustomFieldDefinitionEntity[],
  ): Promise<ImportView> {
    return {
      id: row.id,
      fileName: row.fileName,
      format: row.format,
      sizeBytes: row.sizeBytes,
      encoding: row.encoding,
      delimiter: row.delimiter,
      headers: row.headers,
      sample: row.sample,
      rowCount: row.rowCount,
      suggestedColumns: suggestColumns(row.headers, rules ?? (await this.activeRules(ctx))),
      mapping: row.mapping,
      status: row.status,
      mode: row.mode,
      processedRows: row.processedRows,
      counts: row.counts,
      error: row.error,
      createdAt: row.createdAt.toISOString(),
      finishedAt: row.finishedAt ? row.finishedAt.toISOString() : null,
    };
  }

  private async load(
    ctx: OrgContext,
    id: string,
    withContent: boolean,
  ): Promise<ContactImportEntity> {
    const row = await this.dataSource.getRepository(ContactImportEntity).findOne({
      where: { organizationId: ctx.organizationId, id },
      ...(withContent ? {} : { select: this.columnsWithoutContent() }),
    });
    if (!row) throw DomainError.notFound('imports.not_found', 'No such import');
    return row;
  }

  private columnsWithoutContent(): (keyof ContactImportEntity)[] {
    return [
      'id',
      'organizationId',
      'fileName',
      'format',
      'sizeBytes',
      'encoding',
      'delimiter',
      'headers',
      'sample',
      'rowCount',
      'mapping',
      'status',
      'mode',
      'runSeq',
      'processedRows',
      'counts',
      'error',
      'createdBy',
      'createdAt',
      'finishedAt',
    ];
  }

  private async publish(organizationId: string, importId: string): Promise<void> {
    const row = await this.dataSource.getRepository(ContactImportEntity).findOne({
      where: { organizationId, id: importId },
      select: ['status', 'mode', 'processedRows', 'rowCount'],
    });
    if (!row) return;
    await this.live.publish({
      type: 'import.progress',
      organizationId,
      at: this.clock.now().toISOString(),
      data: {
        importId,
        status: row.status,
        mode: row.mode,
        processedRows: row.processedRows,
        rowCount: row.rowCount,
      },
    });
  }
}
