import iconv from 'iconv-lite';
import { decimalToMinor } from './amounts';
import { StatementFormatError, type ParsedLine, type ParsedStatement } from './statement';

export interface QifOptions {
  /**
   * How to read `NN/NN/YY(YY)` dates. Left out: detected from the file (see `parseQif`),
   * day/month/year when nothing tells.
   */
  dateOrder?: 'dmy' | 'mdy';
  /** The account's currency (QIF never says): EUR when left out. */
  currency?: string;
}

/** The section headers whose records are bank movements. */
const MOVEMENT_TYPES = /^!Type:(Bank|CCard|Cash|Oth A|Oth L)\s*$/i;
/** Headers of lists that are not movements (categories, classes, memorized, investments…). */
const OTHER_HEADER = /^!(Type:|Account|Option:|Clear:)/i;

/**
 * A QIF file at a glance: its first non-blank line is a `!Type:` (or `!Account` / `!Option:`)
 * header. Enough to tell it from CFONB 120 (starts with `01` + digits) and CSV (a delimiter row).
 */
export function looksLikeQif(head: string): boolean {
  const first = head
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .find((l) => l.trim() !== '');
  return !!first && /^\s*!(Type:|Account\s*$|Option:|Clear:)/i.test(first);
}

/** UTF-8 when the bytes are valid UTF-8 (BOM dropped), else Windows-1252 (French banks, old Quicken). */
function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return iconv.decode(bytes, 'win1252');
  }
}

function calendarDay(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || year < 1900 || year > 2199) return null;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > last) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

interface DateParts {
  first: number;
  second: number;
  year: number;
  iso: boolean;
}

/**
 * `31/12/2025`, `31/12/25`, `12/31'25`, ` 1/ 5'04`, `1-5-2004`, `31.12.2025`, `2025-12-31`.
 * Two-digit years: after an apostrophe (Quicken's mark for 2000 and later) 20YY; otherwise 20YY
 * below 70 and 19YY from 70 (old Quicken files write `12/25/98`).
 */
function dateParts(text: string): DateParts | null {
  const t = text.replace(/\s+/g, '');
  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (iso)
    return { first: Number(iso[3]), second: Number(iso[2]), year: Number(iso[1]), iso: true };
  const m = /^(\d{1,2})[-/.](\d{1,2})([-/.'])(\d{2}|\d{4})$/.exec(t);
  if (!m) return null;
  let year = Number(m[4]);
  if (m[4].length === 2) year += m[3] === "'" || year < 70 ? 2000 : 1900;
  return { first: Number(m[1]), second: Number(m[2]), year, iso: false };
}

function dayOf(parts: DateParts, order: 'dmy' | 'mdy'): string | null {
  if (parts.iso) return calendarDay(parts.year, parts.second, parts.first);
  return order === 'dmy'
    ? calendarDay(parts.year, parts.second, parts.first)
    : calendarDay(parts.year, parts.first, parts.second);
}

/**
 * A QIF amount in minor units. Per amount, after dropping spaces and a leading sign:
 * - both `,` and `.`: the last one is the decimal separator, the other groups thousands
 *   (`1,234.56`, `1.234,56`);
 * - only commas: one comma followed by 3 digits, or several commas, group thousands (`1,234`,
 *   `1,234,567`); one comma followed by 1, 2 or 4+ digits is a French decimal comma (`12,50`);
 * - only dots: several dots group thousands (`1.234.567`); one dot is QIF's decimal point.
 * Thousands groups must be of 3 digits. Returns null when not a number or when it has more
 * decimals than the currency keeps (never rounded).
 */
export function qifAmount(text: string, currency: string): number | null {
  const clean = text.replace(/[\s\u00a0\u202f]/g, '').replace(/^\u2212/, '-');
  const m = /^([+-]?)([\d.,]+)$/.exec(clean);
  if (!m) return null;
  const [, sign, body] = m;
  const lastComma = body.lastIndexOf(',');
  const lastDot = body.lastIndexOf('.');
  let decimal: ',' | '.' | null;
  if (lastComma >= 0 && lastDot >= 0) decimal = lastComma > lastDot ? ',' : '.';
  else if (lastComma >= 0) {
    const commas = body.split(',').length - 1;
    decimal = commas === 1 && body.length - lastComma - 1 !== 3 ? ',' : null;
  } else if (lastDot >= 0) decimal = body.split('.').length - 1 === 1 ? '.' : null;
  else decimal = null;
  const cut = decimal ? body.lastIndexOf(decimal) : -1;
  const whole = cut >= 0 ? body.slice(0, cut) : body;
  const fraction = cut >= 0 ? body.slice(cut + 1) : '';
  const group = decimal === ',' ? '.' : ',';
  const separators = decimal ? [group] : [',', '.'];
  const used = separators.find((s) => whole.includes(s));
  if (used && !new RegExp(`^\\d{1,3}(\\${used}\\d{3})+$`).test(whole)) return null;
  if (!used && !/^\d+$/.test(whole)) return null;
  if (cut >= 0 && !/^\d+$/.test(fraction)) return null;
  const canonical = `${sign === '-' ? '-' : ''}${whole.replace(/[.,]/g, '')}${fraction ? `.${fraction}` : ''}`;
  const parsed = decimalToMinor(canonical, currency);
  if (!parsed || parsed.rounded) return null;
  return parsed.minor;
}

interface RawRecord {
  line: number;
  fields: { code: string; value: string; line: number }[];
}

interface Section {
  account: string | null;
  records: RawRecord[];
}

/**
 * Quicken Interchange Format: one statement per movement section (`!Type:Bank`, `CCard`, `Cash`,
 * `Oth A`, `Oth L`); lists that are not movements (`!Type:Cat`, `Class`, `Memorized`, `Invst`…)
 * are skipped and said so in the problems. Fields: `D` date, `T` (or `U`) amount, `P` payee,
 * `M` memo, `N` number (digits: a cheque), `L` category and splits ignored, `^` end of record.
 *
 * Dates: `dateOrder` when given; otherwise month/day/year when some date has its second part
 * above 12 and none its first part, else day/month/year (French banks), noted in the problems
 * when no date of the file tells (no part above 12 while some day differs from its month).
 *
 * QIF has no balances, except Quicken's own convention: a first record with payee
 * `Opening Balance` and a category `[account]` is the opening balance, not a movement.
 * Anything unreadable (a date, an amount, a record without date or amount) refuses the file.
 */
export function parseQif(bytes: Buffer, options: QifOptions = {}): ParsedStatement[] {
  const currency = (options.currency ?? 'EUR').toUpperCase();
  const rows = decode(bytes)
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/);
  const sections: Section[] = [];
  const skipped: string[] = [];
  let section: Section | null = null;
  let skipping: { header: string; line: number } | null = null;
  let inAccount = false;
  let accountName: string | null = null;
  let pendingAccount: string | null = null;
  let record: RawRecord | null = null;
  let seenHeader = false;

  const closeSkipping = () => {
    if (skipping) skipped.push(`Line ${skipping.line}: "${skipping.header}" list skipped`);
    skipping = null;
  };

  for (const [index, raw] of rows.entries()) {
    const n = index + 1;
    const row = raw.trim();
    if (row === '') continue;
    if (row.startsWith('!')) {
      seenHeader = true;
      // A record left without "^" before the next header is kept, as at the end of the file.
      if (record && record.fields.length > 0 && section) section.records.push(record);
      record = null;
      closeSkipping();
      section = null;
      inAccount = false;
      if (/^!Account\s*$/i.test(row)) {
        inAccount = true;
        pendingAccount = null;
      } else if (MOVEMENT_TYPES.test(row)) {
        section = { account: accountName, records: [] };
        sections.push(section);
      } else if (/^!(Option|Clear):/i.test(row)) {
        // AutoSwitch markers around account lists: nothing to read.
      } else if (OTHER_HEADER.test(row)) skipping = { header: row, line: n };
      else throw new StatementFormatError(`Line ${n}: unknown QIF header "${row.slice(0, 40)}"`);
      continue;
    }
    if (!seenHeader)
      throw new StatementFormatError(
        `Line ${n}: not a QIF file (it should start with a "!Type:" header)`,
      );
    if (inAccount) {
      // The account list entry: N name, T type, ^ end; the name labels the next movements.
      if (row.startsWith('N')) pendingAccount = row.slice(1).trim() || null;
      if (row.startsWith('^')) accountName = pendingAccount;
      continue;
    }
    if (skipping) continue;
    if (!section)
      throw new StatementFormatError(`Line ${n}: a QIF record outside of any "!Type:" section`);
    if (row.startsWith('^')) {
      if (record && record.fields.length > 0) section.records.push(record);
      record = null;
      continue;
    }
    record ??= { line: n, fields: [] };
    record.fields.push({ code: row[0], value: row.slice(1).trim(), line: n });
  }
  closeSkipping();
  // A last record left without "^" at the end of the file is kept (hand-made files often do).
  if (record && record.fields.length > 0 && section) section.records.push(record);

  if (sections.length === 0)
    throw new StatementFormatError(
      skipped.length > 0
        ? `The QIF file holds no bank movements (${skipped.join('; ')})`
        : 'Not a QIF file (no "!Type:Bank" section)',
    );

  // Date order: given, or from the whole file.
  let order = options.dateOrder;
  let ambiguous = false;
  if (!order) {
    let firstAbove12 = false;
    let secondAbove12 = false;
    let swappable = false;
    for (const s of sections)
      for (const r of s.records)
        for (const f of r.fields) {
          if (f.code !== 'D') continue;
          const p = dateParts(f.value);
          if (!p || p.iso) continue;
          if (p.first > 12) firstAbove12 = true;
          if (p.second > 12) secondAbove12 = true;
          if (p.first !== p.second) swappable = true;
        }
    order = !firstAbove12 && secondAbove12 ? 'mdy' : 'dmy';
    ambiguous = !firstAbove12 && !secondAbove12 && swappable;
  }
  const orderName = order === 'dmy' ? 'day/month/year' : 'month/day/year';

  const statements = sections.map((s, k) => {
    const problems: string[] = [];
    if (k === 0) problems.push(...skipped);
    if (ambiguous)
      problems.push(
        `Dates read as ${orderName}: no date of the file has a day above 12 to tell the order`,
      );
    const lines: ParsedLine[] = [];
    let opening: { cents: number; date: string } | null = null;
    for (const [r, rec] of s.records.entries()) {
      const one = (code: string) => rec.fields.find((f) => f.code === code) ?? null;
      const dateField = one('D');
      if (!dateField)
        throw new StatementFormatError(
          `Line ${rec.line}: the transaction starting here has no date ("D" line)`,
        );
      const parts = dateParts(dateField.value);
      if (!parts)
        throw new StatementFormatError(
          `Line ${dateField.line}: the date "${dateField.value}" is not a date`,
        );
      const bookingDate = dayOf(parts, order);
      if (!bookingDate)
        throw new StatementFormatError(
          `Line ${dateField.line}: the date "${dateField.value}" is not a real day (read as ${orderName})`,
        );
      const amountField = one('T') ?? one('U');
      if (!amountField)
        throw new StatementFormatError(
          `Line ${rec.line}: the transaction starting here has no amount ("T" line)`,
        );
      const cents = qifAmount(amountField.value, currency);
      if (cents === null)
        throw new StatementFormatError(
          `Line ${amountField.line}: the amount "${amountField.value}" is not a number (or has more decimals than ${currency} keeps)`,
        );
      const payee = one('P')?.value || null;
      const memo = one('M')?.value || null;
      const number = one('N')?.value || null;
      const category = one('L')?.value ?? '';
      if (r === 0 && payee && /^opening balance$/i.test(payee) && category.startsWith('[')) {
        opening = { cents, date: bookingDate };
        continue;
      }
      const cheque = number && /^\d+$/.test(number) ? number : null;
      lines.push({
        bookingDate,
        valueDate: null,
        amountCents: cents,
        currency,
        label: (
          [payee, memo && memo !== payee ? memo : null, cheque ? `chèque ${cheque}` : null]
            .filter(Boolean)
            .join(' / ') || 'Opération'
        ).slice(0, 500),
        bankReference: null,
        endToEndId: null,
        structuredReference: null,
        counterpartyName: payee,
        counterpartyIban: null,
        bankTransactionCode: cheque ? 'CHECK' : number,
      });
    }
    const dates = lines.map((l) => l.bookingDate).sort();
    const statement: ParsedStatement = {
      format: 'qif',
      version: null,
      statementId: s.account ? `qif:${s.account}` : null,
      iban: null,
      currency,
      openingBalanceCents: opening?.cents ?? null,
      openingDate: opening?.date ?? dates[0] ?? null,
      closingBalanceCents: null,
      closingDate: dates[dates.length - 1] ?? opening?.date ?? null,
      lines,
      problems,
    };
    return statement;
  });
  if (statements.every((s) => s.lines.length === 0))
    throw new StatementFormatError('The QIF file holds no transaction');
  return statements;
}
