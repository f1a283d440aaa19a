import { FEC_COLUMNS } from './fec';

/**
 * Reading FEC files written by other software. Real files come with a byte order mark, pipes
 * instead of tabs, a trailing separator, the 22-column BIC/BNC variant, a signed amount with a
 * sense column instead of Debit/Credit, zero-padded or dotted amounts, and ISO-8859-15 or
 * UTF-8: all accepted; every line that cannot be read is reported with its number and reason.
 * A FEC has no quoting: fields are split on the separator.
 */
export interface ImportedFecLine {
  /** 1-based line number in the file (the header is line 1). */
  lineNo: number;
  journalCode: string;
  journalLabel: string;
  entryNumber: string;
  entryDate: string;
  accountNumber: string;
  accountLabel: string;
  auxNumber: string | null;
  auxLabel: string | null;
  pieceRef: string;
  pieceDate: string | null;
  label: string;
  debitCents: number;
  creditCents: number;
  validDate: string | null;
}

export interface FecImportProblem {
  line: number;
  code: string;
  message: string;
  entry?: string;
}

export interface ParsedFec {
  separator: '\t' | '|';
  encoding: 'utf-8' | 'iso-8859-15';
  lines: ImportedFecLine[];
  problems: FecImportProblem[];
}

const REQUIRED = ['JournalCode', 'JournalLib', 'EcritureNum', 'EcritureDate', 'CompteNum', 'CompteLib', 'PieceRef', 'EcritureLib'] as const;

/** "AAAAMMJJ" (or "AAAA-MM-JJ", "JJ/MM/AAAA" seen in the wild) to "YYYY-MM-DD", or null. */
export function fecDateToIso(value: string): string | null {
  const v = value.trim();
  let y: number;
  let m: number;
  let d: number;
  let match = /^(\d{4})(\d{2})(\d{2})$/.exec(v) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else {
    match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v);
    if (!match) return null;
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** "1234,56", "1234.56", "0001234,5", "-12,00", "1 234,56" to cents (signed), or null. */
export function fecAmountToCents(value: string): number | null {
  const v = value.replace(/[\s\u00a0\u202f]/g, '');
  if (v === '') return 0;
  const match = /^([+-])?(\d+)(?:[.,](\d{1,2}))?$/.exec(v);
  if (!match) return null;
  const cents = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) return null;
  return match[1] === '-' ? -cents : cents;
}

/** UTF-8 when it decodes cleanly (or has a BOM), ISO-8859-15 otherwise. */
export function decodeFec(bytes: Uint8Array, latin9: (bytes: Uint8Array) => string): { text: string; encoding: ParsedFec['encoding'] } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: latin9(bytes), encoding: 'iso-8859-15' };
  }
}

export function parseFecText(text: string, encoding: ParsedFec['encoding']): ParsedFec {
  const rows = text.replace(/^\ufeff/, '').split(/\r?\n/);
  const header = rows[0] ?? '';
  const separator: ParsedFec['separator'] = header.includes('\t') ? '\t' : '|';
  const names = header.split(separator).map((n) => n.trim()).filter((n, i, all) => n !== '' || i < all.length - 1);
  const problems: FecImportProblem[] = [];
  const lines: ImportedFecLine[] = [];
  const index = new Map(names.map((n, i) => [n.toLowerCase(), i]));
  const missing = REQUIRED.filter((name) => !index.has(name.toLowerCase()));
  const twoColumns = index.has('debit') && index.has('credit');
  const signed = index.has('montant') && index.has('sens');
  if (missing.length > 0 || (!twoColumns && !signed)) {
    problems.push({
      line: 1,
      code: 'fec.header',
      message: `Not a FEC header: expected the columns ${FEC_COLUMNS.join(', ')}${missing.length ? ` (missing ${missing.join(', ')})` : ''}`,
    });
    return { separator, encoding, lines, problems };
  }
  const get = (fields: string[], name: string): string => {
    const i = index.get(name.toLowerCase());
    return i === undefined ? '' : (fields[i] ?? '').trim();
  };
  rows.slice(1).forEach((row, i) => {
    const lineNo = i + 2;
    if (row.trim() === '') return;
    let fields = row.split(separator);
    if (fields.length === names.length + 1 && fields[fields.length - 1]?.trim() === '') fields = fields.slice(0, -1);
    if (fields.length !== names.length) {
      problems.push({ line: lineNo, code: 'fec.field_count', message: `${fields.length} fields where the header has ${names.length}` });
      return;
    }
    const entryDate = fecDateToIso(get(fields, 'EcritureDate'));
    const entryNumber = get(fields, 'EcritureNum');
    const report = (code: string, message: string) => problems.push({ line: lineNo, code, message, entry: entryNumber });
    if (!entryDate) return report('fec.date', `EcritureDate "${get(fields, 'EcritureDate')}" is not a date`);
    let debitCents: number | null;
    let creditCents: number | null;
    if (twoColumns) {
      debitCents = fecAmountToCents(get(fields, 'Debit'));
      creditCents = fecAmountToCents(get(fields, 'Credit'));
    } else {
      const amount = fecAmountToCents(get(fields, 'Montant'));
      const sense = get(fields, 'Sens').toUpperCase();
      if (amount === null) debitCents = creditCents = null;
      else if (sense === 'D' || sense === '+1' || sense === '1') [debitCents, creditCents] = [amount, 0];
      else if (sense === 'C' || sense === '-1') [debitCents, creditCents] = [0, amount];
      else return report('fec.sense', `Sens "${sense}" is neither D nor C`);
    }
    if (debitCents === null || creditCents === null) return report('fec.amount', 'Debit or Credit is not an amount with at most 2 decimals');
    if (debitCents < 0 || creditCents < 0) return report('fec.negative_amount', 'Negative amount');
    if (debitCents > 0 && creditCents > 0) return report('fec.both_sides', 'A line has both a debit and a credit');
    const accountNumber = get(fields, 'CompteNum');
    if (!/^\d{3,12}$/.test(accountNumber) || /^[09]/.test(accountNumber)) return report('fec.account', `CompteNum "${accountNumber}" is not an account of classes 1 to 8 with 3 to 12 digits`);
    const journalCode = get(fields, 'JournalCode').toUpperCase();
    if (!/^[A-Z0-9]{1,8}$/.test(journalCode)) return report('fec.journal', `JournalCode "${journalCode}" must be 1 to 8 letters or digits`);
    if (!entryNumber) return report('fec.entry_number', 'EcritureNum is empty');
    lines.push({
      lineNo,
      journalCode,
      journalLabel: get(fields, 'JournalLib') || journalCode,
      entryNumber,
      entryDate,
      accountNumber,
      accountLabel: get(fields, 'CompteLib') || accountNumber,
      auxNumber: get(fields, 'CompAuxNum') || null,
      auxLabel: get(fields, 'CompAuxLib') || null,
      pieceRef: get(fields, 'PieceRef'),
      pieceDate: fecDateToIso(get(fields, 'PieceDate')),
      label: get(fields, 'EcritureLib') || get(fields, 'JournalLib') || 'Écriture importée',
      debitCents,
      creditCents,
      validDate: fecDateToIso(get(fields, 'ValidDate')),
    });
  });
  return { separator, encoding, lines, problems };
}

export interface ImportedEntry {
  key: string;
  journalCode: string;
  journalLabel: string;
  entryNumber: string;
  date: string;
  lines: ImportedFecLine[];
}

/**
 * Groups lines into entries (same journal and EcritureNum, in file order) and sets aside the
 * entries that do not balance, with every line number, so that the rest can be imported.
 */
export function groupFecEntries(lines: readonly ImportedFecLine[]): { entries: ImportedEntry[]; problems: FecImportProblem[] } {
  const byKey = new Map<string, ImportedEntry>();
  for (const line of lines) {
    const key = `${line.journalCode}:${line.entryNumber}`;
    let entry = byKey.get(key);
    if (!entry) {
      entry = { key, journalCode: line.journalCode, journalLabel: line.journalLabel, entryNumber: line.entryNumber, date: line.entryDate, lines: [] };
      byKey.set(key, entry);
    }
    entry.lines.push(line);
  }
  const entries: ImportedEntry[] = [];
  const problems: FecImportProblem[] = [];
  for (const entry of byKey.values()) {
    const debit = entry.lines.reduce((s, l) => s + l.debitCents, 0);
    const credit = entry.lines.reduce((s, l) => s + l.creditCents, 0);
    const dates = new Set(entry.lines.map((l) => l.entryDate));
    const reject = (code: string, message: string) => entry.lines.forEach((l) => problems.push({ line: l.lineNo, code, message, entry: entry.entryNumber }));
    if (entry.lines.length < 2) reject('fec.single_line', `Entry ${entry.key} has a single line`);
    else if (debit !== credit) reject('fec.unbalanced', `Entry ${entry.key} is unbalanced (debit ${(debit / 100).toFixed(2)}, credit ${(credit / 100).toFixed(2)})`);
    else if (dates.size > 1) reject('fec.entry_dates', `Entry ${entry.key} has lines on different dates`);
    else if (entry.lines.every((l) => l.debitCents === 0 && l.creditCents === 0)) reject('fec.zero_entry', `Entry ${entry.key} has no amount`);
    else entries.push({ ...entry, lines: entry.lines.filter((l) => l.debitCents > 0 || l.creditCents > 0) });
  }
  return { entries, problems };
}
