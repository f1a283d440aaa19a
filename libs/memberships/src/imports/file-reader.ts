import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { DomainError } from '@ruche/core';
import type { ImportEncoding } from '@ruche/contracts';

export type ImportFormat = 'csv' | 'xlsx';

export interface CsvOptions {
  encoding: ImportEncoding;
  delimiter: string;
}

/** No contact fills a line this long: a bigger one is refused at once (the parser is slow on huge fields). */
const MAX_RECORD_CHARS = 100_000;

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** CSV or XLSX, from the bytes (an XLSX file is a zip archive); anything else is refused on `file`. */
export function detectFormat(bytes: Buffer): ImportFormat {
  if (bytes.length === 0) throw DomainError.invalid('imports.empty_file', 'The file is empty', 'file');
  if (bytes.subarray(0, 4).equals(ZIP_MAGIC)) return 'xlsx';
  const head = bytes.subarray(0, 4096);
  // Text files have no NUL bytes, anywhere (UTF-16 is not supported: ask for UTF-8 or Windows-1252).
  if (bytes.includes(0)) throw DomainError.invalid('imports.not_a_table', 'This is not a CSV or XLSX file', 'file');
  if (/^%PDF|^\{\\rtf|^<\?xml|^<!doctype|^<html/i.test(head.toString('latin1').trimStart())) {
    throw DomainError.invalid('imports.not_a_table', 'This is not a CSV or XLSX file', 'file');
  }
  return 'csv';
}

/** UTF-8 when the bytes are valid UTF-8 (with or without BOM), otherwise Windows-1252 (French spreadsheets from Excel). */
export function detectEncoding(bytes: Buffer): ImportEncoding {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, 1_000_000));
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

/** The separator that splits the header line into the most columns (outside quotes). */
export function detectDelimiter(text: string): string {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const counts = [';', ',', '\t', '|'].map((d) => ({ d, n: firstLine.replace(/"[^"]*"/g, '').split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0].n > 0 ? counts[0].d : ';';
}

export function decode(bytes: Buffer, encoding: ImportEncoding): string {
  return iconv.decode(bytes, encoding === 'utf-8' ? 'utf8' : encoding);
}

/** Every row of the first sheet (CSV: every record) as trimmed strings, the header first; streamed. */
export async function* readRows(bytes: Buffer, format: ImportFormat, csv: CsvOptions): AsyncGenerator<string[]> {
  if (format === 'csv') {
    const parser = Readable.from([decode(bytes, csv.encoding)]).pipe(
      parse({ delimiter: csv.delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: true, max_record_size: MAX_RECORD_CHARS }),
    );
    try {
      for await (const record of parser as AsyncIterable<string[]>) yield record;
    } catch (error) {
      // A quote left open, a field too long...: the file is the problem, said on `file`.
      if (error instanceof CsvError)
        throw DomainError.invalid(
          'imports.unreadable',
          error.code === 'CSV_MAX_RECORD_SIZE' ? `A line of the file is over ${MAX_RECORD_CHARS} characters` : `This CSV file cannot be read: ${error.message}`,
          'file',
        );
      throw error;
    }
    return;
  }
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit' });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        if (cells.some((c) => c !== '')) yield cells;
      }
      return; // the first sheet only
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw DomainError.invalid('imports.unreadable', 'This spreadsheet cannot be read (damaged or not an .xlsx file)', 'file');
  }
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // A NUL cannot be stored (PostgreSQL text and jsonb): dropped from what a spreadsheet holds.
  if (typeof value === 'string') return value.split('\u0000').join('').trim();
  if (typeof value === 'object') {
    const v = value as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('').trim();
    if (v.result !== undefined) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
  }
  return '';
}
