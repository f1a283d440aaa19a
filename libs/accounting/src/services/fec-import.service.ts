import { Injectable } from '@nestjs/common';
import iconv from 'iconv-lite';
import { DataSource } from 'typeorm';
import { DomainError, LocalDate, newId, type OrgContext } from '@ruche/core';
import type { FecImportQuery, FecImportReport, JournalKind } from '@ruche/contracts';
import { AuditService, pgErrorCode } from '@ruche/platform';
import { decodeFec, groupFecEntries, parseFecText, type FecImportProblem } from '../domain/fec-import';
import { fiscalYearLengthProblem } from '../domain/fiscal-years';
import { AccountingSetupService } from './accounting-setup.service';
import { FiscalYearsService } from './fiscal-years.service';
import { LedgerService } from './ledger.service';

const MAX_REPORTED = 1000;

function journalKind(code: string): JournalKind {
  if (/^(AN|RAN|ANO)/.test(code)) return 'opening';
  if (/^(BQ|BN|BK|BANK)/.test(code)) return 'bank';
  if (/^CA/.test(code)) return 'cash';
  if (/^(VT|VE|CO)/.test(code)) return 'sales';
  if (/^(HA|AC)/.test(code)) return 'purchases';
  return 'miscellaneous';
}

/**
 * Imports a FEC written by other software into an organization's books: history and opening
 * balances. Missing accounts and journals are created; each balanced entry is posted (numbered
 * anew in file order) under a source made of its fiscal year, journal and number, so that
 * importing the same file again changes nothing; every rejected line is reported. The first entry
 * written into a year that holds none yet takes number 1 even when the year keeps it for the
 * à-nouveaux of the previous year's close: the year keeps the numbering of its file.
 */
@Injectable()
export class FecImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly setup: AccountingSetupService,
    private readonly fiscalYears: FiscalYearsService,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
  ) {}

  async import(ctx: OrgContext, bytes: Buffer, query: FecImportQuery): Promise<FecImportReport> {
    await this.setup.ensure(ctx);
    const { text, encoding } = decodeFec(bytes, (b) => iconv.decode(Buffer.from(b), 'iso-8859-15'));
    const parsed = parseFecText(text, encoding);
    if (parsed.problems.some((p) => p.code === 'fec.header')) {
      throw new DomainError('invalid', 'accounting.fec_header', parsed.problems[0]?.message ?? 'Not a FEC file', { details: [{ field: 'body', code: 'fec.header', message: parsed.problems[0]?.message ?? '' }] });
    }
    if (query.startDate || query.endDate) await this.ensureFiscalYear(ctx, query);
    const grouped = groupFecEntries(parsed.lines);
    const problems: FecImportProblem[] = [...parsed.problems, ...grouped.problems];

    const journalsCreated = await this.createJournals(ctx, grouped.entries);
    const accountsCreated = await this.createAccounts(ctx, grouped.entries);

    let entriesImported = 0;
    let entriesSkipped = 0;
    let linesImported = 0;
    for (const entry of grouped.entries) {
      const first = entry.lines[0];
      try {
        const result = await this.ledger.post(ctx, {
          journal: entry.journalCode,
          date: entry.date,
          label: first.label.slice(0, 200),
          pieceRef: (first.pieceRef || entry.entryNumber).slice(0, 50),
          pieceDate: first.pieceDate,
          source: `fec:${entry.date.slice(0, 4)}:${entry.journalCode}:${entry.entryNumber}`.slice(0, 200),
          lines: entry.lines.map((l) => ({
            account: l.accountNumber,
            debitCents: l.debitCents,
            creditCents: l.creditCents,
            label: l.label === first.label ? null : l.label.slice(0, 200),
            counterpartyRef: l.auxNumber?.slice(0, 50) ?? null,
            counterpartyLabel: l.auxLabel?.slice(0, 200) ?? null,
          })),
        }, undefined, { reservedNumber: 'if-first' });
        if (result.created) {
          entriesImported++;
          linesImported += entry.lines.length;
        } else entriesSkipped++;
      } catch (error) {
        const reason = error instanceof DomainError ? `${error.message}${error.details[0] && error.details[0].message !== error.message ? ` (${error.details[0].message})` : ''}` : `Database refused the entry (${pgErrorCode(error) ?? 'error'})`;
        const code = error instanceof DomainError ? error.code : 'fec.refused';
        if (!(error instanceof DomainError) && !pgErrorCode(error)) throw error;
        for (const line of entry.lines) problems.push({ line: line.lineNo, code, message: reason, entry: entry.entryNumber });
      }
    }
    problems.sort((a, b) => a.line - b.line);
    const report: FecImportReport = {
      encoding,
      separator: parsed.separator === '\t' ? 'tab' : 'pipe',
      linesRead: text.split(/\r?\n/).filter((l, i) => i > 0 && l.trim() !== '').length,
      entriesImported,
      entriesSkipped,
      linesImported,
      rejectedLines: new Set(problems.map((p) => p.line)).size,
      rejected: problems.slice(0, MAX_REPORTED),
      accountsCreated,
      journalsCreated,
    };
    await this.dataSource.transaction((tx) =>
      this.audit.record(ctx, { action: 'accounting.fec-imported', entityType: 'organization', entityId: ctx.organizationId, after: { ...report, rejected: report.rejected.length } }, tx),
    );
    return report;
  }

  private async ensureFiscalYear(ctx: OrgContext, query: FecImportQuery): Promise<void> {
    if (!query.startDate || !query.endDate) throw DomainError.invalid('accounting.fiscal_year_bounds', 'Give both startDate and endDate', query.startDate ? 'endDate' : 'startDate');
    const start = LocalDate.parse(query.startDate);
    const end = LocalDate.parse(query.endDate);
    const problem = fiscalYearLengthProblem(start, end);
    if (problem) throw DomainError.invalid('accounting.fiscal_year_length', problem, 'endDate');
    const existing = await this.dataSource.query<{ id: string }[]>('SELECT id FROM fiscal_years WHERE organization_id = $1 AND start_date = $2 AND end_date = $3', [ctx.organizationId, start.toString(), end.toString()]);
    if (existing.length === 0) await this.fiscalYears.create(ctx, { startDate: start.toString(), endDate: end.toString() });
  }

  private async createJournals(ctx: OrgContext, entries: ReturnType<typeof groupFecEntries>['entries']): Promise<string[]> {
    const wanted = new Map(entries.map((e) => [e.journalCode, e.journalLabel]));
    const created: string[] = [];
    for (const [code, label] of wanted) {
      const rows = await this.dataSource.query<{ id: string }[]>(
        `INSERT INTO journals (id, organization_id, code, label, kind) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (organization_id, code) DO NOTHING RETURNING id`,
        [newId(), ctx.organizationId, code, label.slice(0, 100) || code, journalKind(code)],
      );
      if (rows.length > 0) created.push(code);
    }
    return created;
  }

  private async createAccounts(ctx: OrgContext, entries: ReturnType<typeof groupFecEntries>['entries']): Promise<string[]> {
    const wanted = new Map<string, string>();
    for (const e of entries) for (const l of e.lines) if (!wanted.has(l.accountNumber)) wanted.set(l.accountNumber, l.accountLabel);
    const numbers = [...wanted.keys()];
    if (numbers.length === 0) return [];
    const rows = await this.dataSource.query<{ number: string }[]>(
      `INSERT INTO accounts (id, organization_id, number, label)
       SELECT gen_random_uuid(), $1, t.number, t.label FROM unnest($2::varchar[], $3::varchar[]) AS t(number, label)
       ON CONFLICT (organization_id, number) DO NOTHING RETURNING number`,
      [ctx.organizationId, numbers, numbers.map((n) => (wanted.get(n) ?? n).slice(0, 200))],
    );
    return rows.map((r) => r.number).sort();
  }
}
