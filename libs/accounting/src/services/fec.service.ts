import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { StringDecoder } from 'node:string_decoder';
import { DataSource } from 'typeorm';
import type { OrgContext } from '@ruche/core';
import type { FecCheckView, FecQuery } from '@ruche/contracts';
import { FEC_COLUMNS, FecValidator, fecFileName, toLatin9, type FecLine } from '../domain/fec';
import { FiscalYearsService } from './fiscal-years.service';

const BATCH_ENTRIES = 5000;

/** SQL twins of `fecText` (domain/fec.ts) and `formatCentsComma` (domain/amounts.ts). */
const fecText = (expr: string) => {
  // Separators and line breaks become spaces (translate: no regular expression per field),
  // runs of spaces collapse only where there are some.
  const t = `translate(coalesce(${expr}, ''), E'\\t|\\r\\n\\x01\\x02', '      ')`;
  return `btrim(CASE WHEN ${t} LIKE '%  %' THEN regexp_replace(${t}, ' {2,}', ' ', 'g') ELSE ${t} END)`;
};
const fecAmount = (expr: string) => `(${expr} / 100)::text || ',' || lpad((${expr} % 100)::text, 2, '0')`;

interface FecRow {
  journal_code: string;
  journal_label: string;
  number: number;
  line_no: number;
  entry_date: string;
  account_number: string;
  account_label: string;
  aux_number: string | null;
  aux_label: string | null;
  piece_ref: string;
  piece_date: string;
  label: string;
  debit: string;
  credit: string;
  valid_date: string;
  letter: string | null;
  letter_date: string | null;
}

export interface FecFile {
  fileName: string;
  contentType: string;
  stream: Readable;
  /** Set when the file is not complete yet (the à-nouveaux wait for the previous year's close). */
  notice?: string;
}

export interface FecWarning {
  code: 'fec.opening_pending' | 'fec.opening_number_unused';
  message: string;
}

/**
 * Ledger lines lettered by a reconciliation match still in force (an undone match letters
 * nothing): EcritureLet is its code, DateLet the day it was made. `$1`: the organization.
 */
const LETTERED_LINES = `SELECT i.entry_id, i.line_no, mt.letter, mt.created_at
  FROM reconciliation_match_items i
  JOIN reconciliation_matches mt ON mt.organization_id = i.organization_id AND mt.id = i.match_id
 WHERE i.organization_id = $1 AND i.active AND i.entry_id IS NOT NULL AND mt.status = 'active'`;

/**
 * The FEC of a fiscal year, streamed in constant memory (keyset pages of lines in EcritureNum
 * order), and its self-check.
 */
@Injectable()
export class FecService {
  /** EcritureNum per COPY of the export (about 15 MB of text); tests make it small. */
  static exportRange = 50_000;

  constructor(
    private readonly dataSource: DataSource,
    private readonly fiscalYears: FiscalYearsService,
  ) {}

  private async header(ctx: OrgContext, fiscalYearId: string) {
    const fy = await this.fiscalYears.get(ctx, fiscalYearId);
    const [org] = await this.dataSource.query<{ siren: string | null; rna: string | null; time_zone: string; id: string }[]>(
      'SELECT id, siren, rna, time_zone FROM organizations WHERE id = $1',
      [ctx.organizationId],
    );
    const identifier = org?.siren?.trim() || org?.rna?.trim() || `RUCHE${ctx.organizationId.replaceAll('-', '').slice(0, 9).toUpperCase()}`;
    return { fy, timeZone: org?.time_zone ?? 'Europe/Paris', fileName: fecFileName(identifier, fy.endDate) };
  }

  /**
   * Lines of the posted entries of the year, in EcritureNum then line order. Numbers are gapless,
   * so each page is a range of numbers read through the (organization, year, number) index.
   */
  async *lines(ctx: OrgContext, fiscalYearId: string, timeZone: string): AsyncGenerator<FecLine[]> {
    const [fy] = await this.dataSource.query<{ last: number }[]>(
      'SELECT last_entry_number AS last FROM fiscal_years WHERE organization_id = $1 AND id = $2',
      [ctx.organizationId, fiscalYearId],
    );
    const last = fy?.last ?? 0;
    for (let first = 1; first <= last; first += BATCH_ENTRIES) {
      const rows = await this.dataSource.query<FecRow[]>(
        `SELECT j.code AS journal_code, j.label AS journal_label, e.number, l.line_no,
                to_char(e.entry_date, 'YYYY-MM-DD') AS entry_date, a.number AS account_number, a.label AS account_label,
                l.counterparty_ref AS aux_number, l.counterparty_label AS aux_label,
                coalesce(e.piece_ref, e.number::text) AS piece_ref, to_char(coalesce(e.piece_date, e.entry_date), 'YYYY-MM-DD') AS piece_date,
                coalesce(l.label, e.label) AS label, l.debit_cents AS debit, l.credit_cents AS credit,
                to_char(e.posted_at AT TIME ZONE $3, 'YYYY-MM-DD') AS valid_date,
                lt.letter, to_char(lt.created_at AT TIME ZONE $3, 'YYYY-MM-DD') AS letter_date
           FROM (SELECT * FROM journal_entries
                  WHERE organization_id = $1 AND fiscal_year_id = $2 AND number >= $4 AND number < $5 OFFSET 0) e
           JOIN LATERAL (SELECT * FROM journal_entry_lines l WHERE l.organization_id = e.organization_id AND l.entry_id = e.id) l ON true
           JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
           JOIN journals j ON j.organization_id = e.organization_id AND j.id = e.journal_id
           LEFT JOIN (${LETTERED_LINES}) lt ON lt.entry_id = l.entry_id AND lt.line_no = l.line_no
          ORDER BY e.number, l.line_no`,
        [ctx.organizationId, fiscalYearId, timeZone, first, first + BATCH_ENTRIES],
      );
      if (rows.length === 0) continue;
      yield rows.map((r) => ({
        journalCode: r.journal_code,
        journalLabel: r.journal_label,
        entryNumber: r.number,
        entryDate: r.entry_date,
        accountNumber: r.account_number,
        accountLabel: r.account_label,
        auxNumber: r.aux_number,
        auxLabel: r.aux_label,
        pieceRef: r.piece_ref,
        pieceDate: r.piece_date,
        label: r.label,
        debitCents: Number(r.debit),
        creditCents: Number(r.credit),
        validDate: r.valid_date,
        letter: r.letter,
        letterDate: r.letter_date,
      }));
    }
  }

  /**
   * The file itself: PostgreSQL formats every line (the same rules as `fecFields`, which the
   * tests hold it to) and streams them with COPY … TO STDOUT; Node only turns LF into CRLF and
   * encodes. Constant memory, no row parsing. The journals' and accounts' columns are formatted
   * once each (not once per line), and the year is read in ranges of EcritureNum, each sorted in
   * memory (one sort of the whole year spills to disk on large books), all in one snapshot.
   */
  async export(ctx: OrgContext, query: FecQuery): Promise<FecFile> {
    const { fy, timeZone, fileName } = await this.header(ctx, query.fiscalYearId);
    const opening = await this.openingWarning(ctx, fy.id);
    const separator = query.separator === 'pipe' ? '|' : '\t';
    // Two connections read ranges in turn (PostgreSQL formats on one core while the next range
    // is formatted on the other and Node encodes), unless the pool is too small to spare them.
    const poolSize = (this.dataSource.options as { poolSize?: number }).poolSize ?? 10;
    const runners = Array.from({ length: poolSize >= 4 ? 2 : 1 }, () => this.dataSource.createQueryRunner('slave'));
    const clients: PoolClient[] = [];
    try {
      for (const runner of runners) clients.push((await runner.connect()) as PoolClient);
    } catch (error) {
      for (const runner of runners) await runner.release();
      throw error;
    }
    const [client] = clients;
    const literal = (value: string) => client.escapeLiteral(value);
    const org = literal(ctx.organizationId);
    const sep = literal(separator);
    const chunkSql = (first: number, last: number) =>
      `COPY (WITH a AS MATERIALIZED (SELECT id, ${fecText('number')} || ${sep} || ${fecText('label')} AS t FROM accounts WHERE organization_id = ${org}),
                  j AS MATERIALIZED (SELECT id, ${fecText('code')} || ${sep} || ${fecText('label')} AS t FROM journals WHERE organization_id = ${org}),
                  lt AS MATERIALIZED (SELECT entry_id, line_no FROM (${LETTERED_LINES.replaceAll('$1', org)}) x)
            SELECT concat_ws(${sep},
                  j.t, e.number::text, to_char(e.entry_date, 'YYYYMMDD'),
                  a.t, ${fecText('l.counterparty_ref')}, ${fecText('l.counterparty_label')},
                  ${fecText('coalesce(e.piece_ref, e.number::text)')}, to_char(coalesce(e.piece_date, e.entry_date), 'YYYYMMDD'),
                  ${fecText('coalesce(l.label, e.label)')}, ${fecAmount('l.debit_cents')}, ${fecAmount('l.credit_cents')},
                  -- EcritureLet and DateLet: a hashed look-up per line (a join would lose the index order
                  -- and sort every range), the match itself read by its index for lettered lines only.
                  CASE WHEN (l.entry_id, l.line_no) IN (SELECT entry_id, line_no FROM lt)
                       THEN coalesce((SELECT ${fecText('mt.letter')} || ${sep} || to_char(mt.created_at AT TIME ZONE ${literal(timeZone)}, 'YYYYMMDD')
                               FROM reconciliation_match_items i
                               JOIN reconciliation_matches mt ON mt.organization_id = i.organization_id AND mt.id = i.match_id AND mt.status = 'active'
                              WHERE i.organization_id = ${org} AND i.active AND i.entry_id = l.entry_id AND i.line_no = l.line_no), ${sep})
                       ELSE ${sep} END,
                  to_char(e.posted_at AT TIME ZONE ${literal(timeZone)}, 'YYYYMMDD'), '', '')
           FROM journal_entries e
           JOIN journal_entry_lines l ON l.organization_id = e.organization_id AND l.entry_id = e.id
           JOIN a ON a.id = l.account_id
           JOIN j ON j.id = e.journal_id
          WHERE e.organization_id = ${org} AND e.fiscal_year_id = ${literal(fy.id)} AND e.number BETWEEN ${first} AND ${last}
          ORDER BY e.number, l.line_no)
         TO STDOUT WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02')`;
    /** One range's lines, read whole (about 15 MB): at most two ranges are held at a time. */
    const read = async (reader: PoolClient, first: number, last: number): Promise<Buffer[]> => {
      const parts: Buffer[] = [];
      for await (const part of reader.query(copyTo(chunkSql(first, last))) as AsyncIterable<Buffer>) parts.push(part);
      return parts;
    };
    const utf8 = query.encoding === 'utf-8';
    const encode = (text: string) => (utf8 ? Buffer.from(text, 'utf8') : iconv.encode(toLatin9(text), 'iso-8859-15'));
    async function* chunks(): AsyncGenerator<Buffer> {
      let finished = false;
      try {
        // One snapshot for every range and both connections: entries posted meanwhile (numbers
        // after `last`) wait for the next file.
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        // Each range is a short query: compiling it (JIT, on by default for costly plans) would
        // cost more than it saves.
        await client.query('SET LOCAL jit = off');
        const [{ last }] = (
          await client.query<{ last: number }>('SELECT last_entry_number AS last FROM fiscal_years WHERE organization_id = $1 AND id = $2', [
            ctx.organizationId,
            fy.id,
          ])
        ).rows;
        const snapshot =
          clients.length > 1 ? (await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0].id : '';
        for (const other of clients.slice(1)) {
          await other.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
          await other.query(`SET TRANSACTION SNAPSHOT ${other.escapeLiteral(snapshot)}`);
          await other.query('SET LOCAL jit = off');
        }
        yield encode(`${FEC_COLUMNS.join(separator)}\r\n`);
        const ranges: [number, number][] = [];
        const size = FecService.exportRange;
        for (let first = 1; first <= last; first += size) ranges.push([first, Math.min(last, first + size - 1)]);
        // Range k is read by connection k % n; the next n ranges are always on their way.
        const pending = new Map<number, Promise<Buffer[]>>();
        const start = (k: number) => {
          const reading = read(clients[k % clients.length], ...ranges[k]);
          reading.catch(() => undefined); // awaited in turn below; an early failure must not go unhandled
          pending.set(k, reading);
        };
        for (let k = 0; k < Math.min(clients.length, ranges.length); k++) start(k);
        // A UTF-8 sequence may be cut between two chunks: decode with a streaming decoder.
        const decoder = new StringDecoder('utf8');
        for (let k = 0; k < ranges.length; k++) {
          const parts = (await pending.get(k)) ?? [];
          pending.delete(k);
          if (k + clients.length < ranges.length) start(k + clients.length);
          for (const part of parts) {
            const text = decoder.write(part).replaceAll('\n', '\r\n');
            if (text) yield encode(text);
          }
        }
        const rest = decoder.end().replaceAll('\n', '\r\n');
        if (rest) yield encode(rest);
        for (const c of clients) await c.query('COMMIT');
        finished = true;
      } finally {
        for (const runner of runners) {
          if (finished) await runner.release();
          // Stopped half-way (the download was cancelled, a query failed): a connection may be in
          // the middle of a COPY or a transaction; it is closed, not given back to the pool.
          else await (runner as unknown as { releasePostgresConnection(error: Error): Promise<void> }).releasePostgresConnection(new Error('FEC export stopped before its end'));
        }
      }
    }
    return {
      fileName,
      contentType: `text/plain; charset=${utf8 ? 'utf-8' : 'iso-8859-15'}`,
      stream: Readable.from(chunks()),
      ...(opening ? { notice: opening.message } : {}),
    };
  }

  /**
   * Number 1 of a year opened after another is kept for the à-nouveaux that closing that year
   * posts: while it is free, the file starts at 2. Not a numbering gap, but the file is not
   * complete yet (or, the previous year closed with nothing to carry, never will hold entry 1).
   */
  async openingWarning(ctx: OrgContext, fiscalYearId: string): Promise<FecWarning | null> {
    const [row] = await this.dataSource.query<{ reserved: number | null; used: boolean; previous_status: string | null }[]>(
      `SELECT f.opening_entry_number AS reserved,
              EXISTS (SELECT 1 FROM journal_entries e WHERE e.organization_id = f.organization_id AND e.fiscal_year_id = f.id AND e.number = f.opening_entry_number) AS used,
              (SELECT p.status FROM fiscal_years p WHERE p.organization_id = f.organization_id AND p.end_date = f.start_date - 1) AS previous_status
         FROM fiscal_years f WHERE f.organization_id = $1 AND f.id = $2`,
      [ctx.organizationId, fiscalYearId],
    );
    if (!row || row.reserved === null || row.used) return null;
    if (row.previous_status === 'closed') {
      return {
        code: 'fec.opening_number_unused',
        message: `EcritureNum ${row.reserved} was kept for the opening entry (à-nouveaux), but the previous fiscal year closed with nothing to carry forward: the file starts at ${row.reserved + 1}`,
      };
    }
    return {
      code: 'fec.opening_pending',
      message: `À-nouveaux en attente de la clôture de l'exercice précédent: EcritureNum ${row.reserved} is kept for them and the file starts at ${row.reserved + 1} until then`,
    };
  }

  async check(ctx: OrgContext, fiscalYearId: string): Promise<FecCheckView> {
    const { fy, timeZone, fileName } = await this.header(ctx, fiscalYearId);
    const opening = await this.openingWarning(ctx, fy.id);
    // A kept and still free number 1 is reported as such (a warning), not as a gap.
    const validator = new FecValidator(fy.startDate, fy.endDate, opening ? 2 : 1);
    for await (const batch of this.lines(ctx, fy.id, timeZone)) for (const line of batch) validator.add(line);
    const problems = validator.finish();
    const [drafts] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM journal_entries WHERE organization_id = $1 AND fiscal_year_id = $2 AND status = 'draft'`,
      [ctx.organizationId, fy.id],
    );
    if ((drafts?.n ?? 0) > 0) problems.push({ code: 'fec.drafts_left', message: `${drafts?.n} draft entries are not in the file: validate or delete them` });
    return {
      fiscalYearId: fy.id,
      fileName,
      entries: validator.entries,
      lines: validator.lines,
      debitCents: validator.debitCents,
      creditCents: validator.creditCents,
      problems,
      warnings: opening ? [opening] : [],
    };
  }
}
