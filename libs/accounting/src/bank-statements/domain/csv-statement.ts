import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { decimalToMinor } from './amounts';
import {
  StatementFormatError,
  normalizeLabel,
  type ParsedLine,
  type ParsedStatement,
} from './statement';

/** How a bank's CSV export reads: saved per bank account, guessed by `guessCsvMapping`. */
export interface CsvMapping {
  delimiter: ';' | ',' | '\t';
  encoding: 'utf-8' | 'iso-8859-15' | 'windows-1252';
  decimalSeparator: ',' | '.';
  dateFormat: 'DD/MM/YYYY' | 'YYYY-MM-DD' | 'DD/MM/YY' | 'MM/DD/YYYY' | 'DD.MM.YYYY';
  /** Lines before the header row (bank banners), or before the first row without a header. */
  skipLines: number;
  hasHeader: boolean;
  /** A column: its header name, or its 1-based index as a string ("1") when there is no header. */
  bookingDate: string;
  valueDate?: string | null;
  label: string;
  /** A second label column, joined to the first. */
  extraLabel?: string | null;
  /** One signed column… */
  amount?: string | null;
  /** …or debit and credit columns (a debit is money out whether written positive or negative). */
  debit?: string | null;
  credit?: string | null;
  /** The bank's own id of the line: must be unique in the file. */
  reference?: string | null;
  counterparty?: string | null;
  /** The account's currency (CSV rarely carries it). */
  currency: string;
}

type Role =
  | 'bookingDate'
  | 'valueDate'
  | 'label'
  | 'extraLabel'
  | 'amount'
  | 'debit'
  | 'credit'
  | 'reference'
  | 'counterparty';

interface Column {
  role: Role;
  name: string;
  index: number;
}

interface Row {
  /** The file's line number where the row starts (skipped lines and header counted). */
  line: number;
  cells: string[];
}

const ENCODINGS: Record<CsvMapping['encoding'], string> = {
  'utf-8': 'utf-8',
  'iso-8859-15': 'iso-8859-15',
  'windows-1252': 'win1252',
};

function firstInvalidUtf8Line(bytes: Buffer): number | null {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return null;
  } catch {
    const lossy = bytes.toString('utf8');
    const at = lossy.indexOf('\uFFFD');
    return lossy.slice(0, Math.max(at, 0)).split(/\r\n|\n|\r/).length;
  }
}

function decode(bytes: Buffer, encoding: CsvMapping['encoding']): string {
  if (encoding === 'utf-8') {
    const bad = firstInvalidUtf8Line(bytes);
    if (bad !== null)
      throw new StatementFormatError(
        `Line ${bad}: the file is not UTF-8 as the mapping says (try Windows-1252 or ISO-8859-15)`,
      );
  }
  return iconv.decode(bytes, ENCODINGS[encoding]).replace(/^\uFEFF/, '');
}

/** No bank line is this long: a bigger record is refused at once (the parser is slow on huge fields). */
const MAX_RECORD_CHARS = 100_000;

/** The text's rows from `skipLines` on, each with the file line it starts on. */
function rowsOf(text: string, delimiter: string, skipLines: number): Row[] {
  const all = text.replace(/\r\n?/g, '\n');
  let offset = 0;
  for (let i = 0; i < skipLines; i++) {
    const next = all.indexOf('\n', offset);
    if (next < 0) return [];
    offset = next + 1;
  }
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(all.slice(offset), {
      delimiter,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_CHARS,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new StatementFormatError(
      `Line ${line ? line + skipLines : '?'}: not readable as CSV (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return parsed.map(({ record, info }) => {
    const breaks = record.reduce((sum, cell) => sum + (cell.split('\n').length - 1), 0);
    return { line: info.lines - breaks + skipLines, cells: record };
  });
}

const fold = (text: string) =>
  normalizeLabel(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

function calendarDay(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || year < 1900 || year > 2199) return null;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const DATE_PATTERNS: Record<CsvMapping['dateFormat'], RegExp> = {
  'DD/MM/YYYY': /^(?<d>\d{1,2})\/(?<m>\d{1,2})\/(?<y>\d{4})$/,
  'DD/MM/YY': /^(?<d>\d{1,2})\/(?<m>\d{1,2})\/(?<y>\d{2})$/,
  'MM/DD/YYYY': /^(?<m>\d{1,2})\/(?<d>\d{1,2})\/(?<y>\d{4})$/,
  'DD.MM.YYYY': /^(?<d>\d{1,2})\.(?<m>\d{1,2})\.(?<y>\d{4})$/,
  'YYYY-MM-DD': /^(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})$/,
};

/** A date cell in the mapping's format (a time after it is ignored), as `YYYY-MM-DD`, or null. */
function csvDay(text: string, format: CsvMapping['dateFormat']): string | null {
  const t = text
    .trim()
    .replace(/(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$/, '');
  const g = DATE_PATTERNS[format].exec(t)?.groups;
  if (!g) return null;
  const year = g['y'].length === 2 ? 2000 + Number(g['y']) : Number(g['y']);
  return calendarDay(year, Number(g['m']), Number(g['d']));
}

/**
 * An amount cell in minor units, with the mapping's decimal separator: `1 234,56`, `1.234,56`,
 * `-12,50`, `12,50-`, `(12,50)`, `+3,00 €`; spaces, NBSP and narrow NBSP and the other separator
 * group thousands (groups of 3 digits when it is `.` or `,`). `undefined` for an empty cell,
 * null when not a number or when it has more decimals than the currency keeps (never rounded).
 */
export function csvAmount(
  text: string,
  decimalSeparator: ',' | '.',
  currency: string,
): number | null | undefined {
  let t = text
    .trim()
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(/\u2212/g, '-');
  t = t.replace(/^(€|EUR|\$)/i, '').replace(/(€|EUR|\$)$/i, '');
  if (t === '') return undefined;
  let negative = false;
  const paren = /^\((.*)\)$/.exec(t);
  if (paren) {
    negative = true;
    t = paren[1];
  }
  if (/^[+-]/.test(t)) {
    negative = negative !== t.startsWith('-');
    t = t.slice(1);
  } else if (/[+-]$/.test(t)) {
    negative = negative !== t.endsWith('-');
    t = t.slice(0, -1);
  }
  const group = decimalSeparator === ',' ? '.' : ',';
  const cut = t.lastIndexOf(decimalSeparator);
  const whole = cut >= 0 ? t.slice(0, cut) : t;
  const fraction = cut >= 0 ? t.slice(cut + 1) : '';
  if (whole.includes(group)) {
    if (!new RegExp(`^\\d{1,3}(\\${group}\\d{3})+$`).test(whole)) return null;
  } else if (!/^\d+$/.test(whole)) return null;
  if (cut >= 0 && !/^\d+$/.test(fraction)) return null;
  const canonical = `${negative ? '-' : ''}${whole.split(group).join('')}${fraction ? `.${fraction}` : ''}`;
  const parsed = decimalToMinor(canonical, currency);
  if (!parsed || parsed.rounded) return null;
  return parsed.minor;
}

const ROLES: Role[] = [
  'bookingDate',
  'valueDate',
  'label',
  'extraLabel',
  'amount',
  'debit',
  'credit',
  'reference',
  'counterparty',
];

/** The mapping's columns, found in the header (exact name first, then ignoring case and accents). */
function columnsOf(mapping: CsvMapping, header: Row | null): Column[] {
  const names = header ? header.cells.map((c) => c.trim()) : [];
  const columns: Column[] = [];
  for (const role of ROLES) {
    const name = mapping[role]?.trim();
    if (!name) continue;
    let index = names.indexOf(name);
    if (index < 0) index = names.findIndex((n) => fold(n) === fold(name) && fold(n) !== '');
    if (index < 0 && /^\d+$/.test(name) && Number(name) >= 1) index = Number(name) - 1;
    if (index < 0 || (header && index >= names.length))
      throw new StatementFormatError(
        `The mapping does not fit this file: column "${name}" not found${header ? ` in the header on line ${header.line}` : ''} (columns: ${
          header ? names.map((n, i) => n || `${i + 1}`).join(', ') : 'none, the file has no header'
        })`,
      );
    columns.push({ role, name, index });
  }
  return columns;
}

/**
 * A bank's CSV export read with its mapping. Rows without a booking date are skipped when they
 * carry no amount (blank rows, running balance or total rows) or when they say they are a
 * balance or total (`Solde`, `Total`, `Balance`): the latter are listed in the problems. Any
 * other row must have a real date and a readable amount, and every mapped column, or the whole
 * file is refused with its line number. Balances are not read (a running balance column is not
 * a statement balance): null; the period is that of the booking dates.
 */
export function parseCsvStatement(bytes: Buffer, mapping: CsvMapping): ParsedStatement[] {
  const currency = mapping.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency))
    throw new StatementFormatError(
      `The mapping's currency "${mapping.currency}" is not an ISO code`,
    );
  if (!mapping.bookingDate?.trim() || !mapping.label?.trim())
    throw new StatementFormatError(
      'The mapping does not fit this file: it names no booking date or no label column',
    );
  if (!mapping.amount && !mapping.debit && !mapping.credit)
    throw new StatementFormatError(
      'The mapping does not fit this file: it names no amount, debit or credit column',
    );
  if (mapping.amount && (mapping.debit || mapping.credit))
    throw new StatementFormatError(
      'The mapping names both an amount column and debit/credit columns: choose one',
    );
  const text = decode(bytes, mapping.encoding);
  const rows = rowsOf(text, mapping.delimiter, mapping.skipLines);
  const header = mapping.hasHeader ? (rows.shift() ?? null) : null;
  if (mapping.hasHeader && !header)
    throw new StatementFormatError(
      `The mapping does not fit this file: no header row after the ${mapping.skipLines} skipped lines`,
    );
  const columns = columnsOf(mapping, header);
  const col = (role: Role) => columns.find((c) => c.role === role) ?? null;
  const amountColumns = columns.filter(
    (c) => c.role === 'amount' || c.role === 'debit' || c.role === 'credit',
  );
  const problems: string[] = [];
  const lines: ParsedLine[] = [];
  const references = new Map<string, number>();

  for (const row of rows) {
    if (row.cells.every((c) => c.trim() === '')) continue;
    const cell = (c: Column | null): string | null => {
      if (!c) return null;
      if (c.index >= row.cells.length)
        throw new StatementFormatError(
          `Line ${row.line}: column "${c.name}" is missing (the row has ${row.cells.length} fields)`,
        );
      return row.cells[c.index].trim();
    };
    const dateColumn = col('bookingDate') as Column;
    const dateText = dateColumn.index < row.cells.length ? row.cells[dateColumn.index].trim() : '';
    // No date: an empty cell, or text ("Solde au 31/03/2026", "Total"); a cell starting with a
    // digit is a date attempt and must parse.
    if (!/^\d/.test(dateText)) {
      const withAmount = amountColumns.some(
        (c) => c.index < row.cells.length && row.cells[c.index].trim() !== '',
      );
      if (!withAmount) continue;
      if (row.cells.some((c) => /\b(solde|total|balance)\b/i.test(normalizeLabel(c)))) {
        problems.push(
          `Line ${row.line}: balance or total row skipped ("${row.cells
            .filter((c) => c.trim())
            .join(' ')
            .slice(0, 80)}")`,
        );
        continue;
      }
      throw new StatementFormatError(
        `Line ${row.line}: an amount but no booking date in column "${dateColumn.name}"${dateText ? ` ("${dateText.slice(0, 40)}")` : ''}`,
      );
    }
    const bookingDate = csvDay(dateText, mapping.dateFormat);
    if (!bookingDate)
      throw new StatementFormatError(
        `Line ${row.line}: the date "${dateText}" in column "${dateColumn.name}" is not a real day in the format ${mapping.dateFormat}`,
      );
    const valueText = cell(col('valueDate'));
    const valueDate = valueText ? csvDay(valueText, mapping.dateFormat) : null;
    if (valueText && !valueDate)
      throw new StatementFormatError(
        `Line ${row.line}: the date "${valueText}" in column "${col('valueDate')?.name}" is not a real day in the format ${mapping.dateFormat}`,
      );
    const amountIn = (c: Column | null): number | null | undefined => {
      const t = cell(c);
      if (t === null) return undefined;
      const v = csvAmount(t, mapping.decimalSeparator, currency);
      if (v === null)
        throw new StatementFormatError(
          `Line ${row.line}: the amount "${t}" in column "${c?.name}" is not a number (decimal separator "${mapping.decimalSeparator}", at most the decimals ${currency} keeps)`,
        );
      return v;
    };
    let cents: number;
    if (col('amount')) {
      const v = amountIn(col('amount'));
      if (v === undefined || v === null)
        throw new StatementFormatError(
          `Line ${row.line}: no amount in column "${col('amount')?.name}"`,
        );
      cents = v;
    } else {
      const debit = amountIn(col('debit'));
      const credit = amountIn(col('credit'));
      const hasDebit = debit !== undefined && debit !== null && debit !== 0;
      const hasCredit = credit !== undefined && credit !== null && credit !== 0;
      if (hasDebit && hasCredit)
        throw new StatementFormatError(
          `Line ${row.line}: both "${col('debit')?.name}" and "${col('credit')?.name}" hold an amount`,
        );
      if ((debit === undefined || debit === null) && (credit === undefined || credit === null))
        throw new StatementFormatError(
          `Line ${row.line}: no amount in ${[col('debit'), col('credit')]
            .filter((c): c is Column => !!c)
            .map((c) => `"${c.name}"`)
            .join(' or ')}`,
        );
      // Debits are written positive or negative by banks: always money out. A credit keeps its
      // sign (a negative credit is a reversal).
      cents = hasDebit ? -Math.abs(debit) : (credit ?? 0);
    }
    const label = cell(col('label'));
    const extra = cell(col('extraLabel'));
    const text = [label, extra && extra !== label ? extra : null]
      .map((t) => t?.replace(/\s+/g, ' ').trim())
      .filter(Boolean)
      .join(' / ');
    const reference = cell(col('reference')) || null;
    if (reference) {
      const seen = references.get(reference);
      if (seen !== undefined)
        throw new StatementFormatError(
          `Line ${row.line}: the reference "${reference}" in column "${col('reference')?.name}" is already on line ${seen}: it cannot identify the line (map no reference column)`,
        );
      references.set(reference, row.line);
    }
    lines.push({
      bookingDate,
      valueDate,
      amountCents: cents,
      currency,
      label: (text || 'Opération').slice(0, 500),
      bankReference: reference,
      endToEndId: null,
      structuredReference: null,
      counterpartyName: cell(col('counterparty'))?.replace(/\s+/g, ' ') || null,
      counterpartyIban: null,
      bankTransactionCode: null,
    });
  }
  if (lines.length === 0) throw new StatementFormatError('The file holds no statement line');
  const dates = lines.map((l) => l.bookingDate).sort();
  return [
    {
      format: 'csv',
      version: null,
      statementId: null,
      iban: null,
      currency,
      openingBalanceCents: null,
      openingDate: dates[0],
      closingBalanceCents: null,
      closingDate: dates[dates.length - 1],
      lines,
      problems,
    },
  ];
}

// --- Guessing a mapping --------------------------------------------------------------------

/** Known header names, compared folded (lowercase, no accents, punctuation as spaces). */
const HEADER_NAMES: Record<Role, RegExp> = {
  bookingDate:
    /^(date|date (d )?operation|date de l operation|date op|date comptable|date de comptabilisation|booking date|transaction date|posting date|date operation bancaire)$/,
  valueDate: /^(date (de )?valeur|value date|valeur)$/,
  label:
    /^(libelle|libelle operation|libelle de l operation|libelle simplifie|libelles|description|label|intitule|nature de l operation|details|transaction)$/,
  extraLabel:
    /^(libelle complementaire|informations complementaires|detail|details de l operation|libelle operation|complement|memo|reference de l operation)$/,
  amount: /^(montant|montant eur|montant en euros|montant operation|amount|somme)$/,
  debit:
    /^(debit|debits|debit eur|debit euros|montant debit|withdrawal|withdrawals|paid out|money out)$/,
  credit:
    /^(credit|credits|credit eur|credit euros|montant credit|deposit|deposits|paid in|money in)$/,
  reference: /^(reference|ref|numero d operation|n operation|transaction id|id transaction|fitid)$/,
  counterparty:
    /^(tiers|nom du tiers|beneficiaire|emetteur|contrepartie|counterparty|payee|payer)$/,
};

const DELIMITERS: CsvMapping['delimiter'][] = [';', ',', '\t'];

/** Which known columns a row names, by index (the first fitting role per column). */
function knownColumns(cells: string[]): Map<Role, number> {
  const found = new Map<Role, number>();
  cells.forEach((cell, index) => {
    const name = fold(cell);
    for (const role of ROLES) {
      if (found.has(role) || !HEADER_NAMES[role].test(name)) continue;
      if (role === 'extraLabel' && !found.has('label')) continue;
      found.set(role, index);
      return;
    }
  });
  return found;
}

function guessEncoding(bytes: Buffer): CsvMapping['encoding'] {
  if (firstInvalidUtf8Line(bytes) === null) return 'utf-8';
  // C1 bytes (0x80-0x9F) are printable only in Windows-1252 (€ is 0x80 there); without them,
  // 0xA4 (€), 0xBC/0xBD (Œ œ) are the ISO-8859-15 letters French files hold.
  if (bytes.some((b) => b >= 0x80 && b <= 0x9f)) return 'windows-1252';
  if (bytes.some((b) => b === 0xa4 || b === 0xbc || b === 0xbd)) return 'iso-8859-15';
  return 'windows-1252';
}

function guessDateFormat(values: string[]): CsvMapping['dateFormat'] | null {
  // Rows whose date cell holds text (a "Solde au …" row) tell nothing of the format.
  const dates = values.map((v) => v.trim()).filter((v) => /^\d/.test(v));
  if (dates.length === 0) return null;
  const formats: CsvMapping['dateFormat'][] = [
    'YYYY-MM-DD',
    'DD.MM.YYYY',
    'DD/MM/YY',
    'DD/MM/YYYY',
  ];
  for (const format of formats) {
    if (!dates.every((d) => DATE_PATTERNS[format].test(d.replace(/[ T]\d{1,2}:\d{2}.*$/, ''))))
      continue;
    if (format !== 'DD/MM/YYYY') return dates.every((d) => csvDay(d, format)) ? format : null;
    // Day first (French), unless only the second part ever goes above 12.
    if (dates.every((d) => csvDay(d, 'DD/MM/YYYY'))) return 'DD/MM/YYYY';
    return dates.every((d) => csvDay(d, 'MM/DD/YYYY')) ? 'MM/DD/YYYY' : null;
  }
  return null;
}

function guessDecimal(values: string[], delimiter: string): ',' | '.' {
  let comma = 0;
  let dot = 0;
  for (const raw of values) {
    const v = raw.replace(/[\s\u00a0\u202f]/g, '');
    if (/\d,\d{1,2}[-)]?$/.test(v)) comma++;
    else if (/\d\.\d{1,2}[-)]?$/.test(v)) dot++;
  }
  if (comma !== dot) return comma > dot ? ',' : '.';
  return delimiter === ';' ? ',' : '.';
}

/**
 * A first mapping for a CSV file, for the treasurer to check: the encoding (UTF-8 when valid,
 * else ISO-8859-15 or Windows-1252 from the bytes used), the delimiter whose split of the first
 * 30 lines finds a header row naming the most known columns (ties: the most frequent delimiter),
 * the banner lines before that header, the columns by name (French and English bank exports),
 * the decimal separator and date format from the first rows. `mapping` is null when no header
 * row with a date, a label and an amount (or debit/credit) column is found, or when the dates
 * are in no known format; `headers` and `sample` (the first rows after the header, or of the
 * file) are given in any case.
 */
export function guessCsvMapping(bytes: Buffer): {
  mapping: CsvMapping | null;
  headers: string[];
  sample: string[][];
} {
  const encoding = guessEncoding(bytes);
  const text = iconv.decode(bytes, ENCODINGS[encoding]).replace(/^\uFEFF/, '');
  const head = text.replace(/\r\n?/g, '\n').split('\n').slice(0, 30);
  let best: {
    delimiter: CsvMapping['delimiter'];
    line: number;
    found: Map<Role, number>;
    frequency: number;
  } | null = null;
  for (const delimiter of DELIMITERS) {
    const frequency = head.reduce((n, l) => n + l.split(delimiter).length - 1, 0);
    for (const [index, line] of head.entries()) {
      if (!line.includes(delimiter)) continue;
      let cells: string[];
      try {
        const parsed: string[][] = parse(line, {
          delimiter,
          relax_quotes: true,
          relax_column_count: true,
        });
        cells = parsed[0] ?? [];
      } catch {
        continue;
      }
      const found = knownColumns(cells);
      if (!found.has('bookingDate')) continue;
      if (
        !best ||
        found.size > best.found.size ||
        (found.size === best.found.size && frequency > best.frequency)
      )
        best = { delimiter, line: index, found, frequency };
      break;
    }
  }
  if (!best) {
    const delimiter = DELIMITERS.map((d) => ({
      d,
      n: head.reduce((n, l) => n + l.split(d).length - 1, 0),
    })).sort((a, b) => b.n - a.n)[0].d;
    let sample: string[][] = [];
    try {
      sample = rowsOf(head.join('\n'), delimiter, 0)
        .slice(0, 5)
        .map((r) => r.cells);
    } catch {
      sample = [];
    }
    return { mapping: null, headers: [], sample };
  }
  const rows = rowsOf(text, best.delimiter, best.line);
  const headers = (rows[0]?.cells ?? []).map((h) => h.trim());
  const data = rows.slice(1);
  const sample = data.slice(0, 5).map((r) => r.cells);
  const found = best.found;
  const name = (role: Role) => {
    const index = found.get(role);
    return index === undefined ? null : headers[index];
  };
  const valuesOf = (role: Role) => {
    const index = found.get(role);
    return index === undefined ? [] : data.slice(0, 20).map((r) => r.cells[index] ?? '');
  };
  const hasAmount = found.has('amount') || (found.has('debit') && found.has('credit'));
  const dateFormat = guessDateFormat(valuesOf('bookingDate'));
  if (!found.has('label') || !hasAmount || !dateFormat) return { mapping: null, headers, sample };
  const currencyIndex = headers.findIndex((h) => /^(devise|currency|monnaie)$/.test(fold(h)));
  const currencyValue =
    currencyIndex >= 0 ? data[0]?.cells[currencyIndex]?.trim().toUpperCase() : '';
  const useAmount = found.has('amount');
  return {
    mapping: {
      delimiter: best.delimiter,
      encoding,
      decimalSeparator: guessDecimal(
        [...valuesOf('amount'), ...valuesOf('debit'), ...valuesOf('credit')],
        best.delimiter,
      ),
      dateFormat,
      skipLines: best.line,
      hasHeader: true,
      bookingDate: name('bookingDate') as string,
      valueDate: name('valueDate'),
      label: name('label') as string,
      extraLabel: name('extraLabel'),
      amount: useAmount ? name('amount') : null,
      debit: useAmount ? null : name('debit'),
      credit: useAmount ? null : name('credit'),
      reference: name('reference'),
      counterparty: name('counterparty'),
      currency: currencyValue && /^[A-Z]{3}$/.test(currencyValue) ? currencyValue : 'EUR',
    },
    headers,
    sample,
  };
}
