import { createHash } from 'node:crypto';

/** A statement line as every format gives it, before it is stored. */
export interface ParsedLine {
  bookingDate: string;
  valueDate: string | null;
  /** Signed: credits (money in) positive, debits negative. */
  amountCents: number;
  currency: string;
  label: string;
  /** The bank's own id of the line (CAMT `AcctSvcrRef`, OFX `FITID`), when given. */
  bankReference: string | null;
  endToEndId: string | null;
  /** Structured creditor reference (RF..., or a national one), when given. */
  structuredReference: string | null;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  bankTransactionCode: string | null;
}

/**
 * The account a statement names when it gives no IBAN: French bank details (CFONB 120 header,
 * OFX `BANKID`/`BRANCHID`/`ACCTID`/`ACCTKEY`, a CAMT `Acct/Id/Othr/Id`). Each part is null when
 * the file does not give it.
 */
export interface StatementAccountIdentity {
  bankCode: string | null;
  branchCode: string | null;
  accountNumber: string | null;
  /** The RIB key (or OFX `ACCTKEY`). */
  key: string | null;
}

export interface ParsedStatement {
  format: 'camt.053' | 'ofx' | 'qif' | 'csv' | 'cfonb120';
  /** e.g. camt.053.001.02 */
  version: string | null;
  statementId: string | null;
  iban: string | null;
  /** The account's other identity in the file, when it gives no IBAN (or besides it). */
  account?: StatementAccountIdentity | null;
  /** The file line where the statement starts (formats with several statements per file). */
  sourceLine?: number | null;
  currency: string;
  openingBalanceCents: number | null;
  openingDate: string | null;
  closingBalanceCents: number | null;
  closingDate: string | null;
  lines: ParsedLine[];
  /** What the file says that does not add up or was adjusted (reported, never silently fixed). */
  problems: string[];
}

/** A file that is not a statement of the expected format: the import refuses it whole. */
export class StatementFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatementFormatError';
  }
}

/**
 * The 1-based line of character offsets in a text (LF, CRLF or CR line ends): the line starts
 * are found once, each offset by binary search (files with thousands of entries stay fast).
 */
export function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return (offset) => {
    let [low, high] = [0, starts.length - 1];
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

/** A `YYYY-MM-DD` text that is a real calendar day, or null. */
export function realDay(text: string | null): string | null {
  const m = text ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1900 || month < 1 || month > 12 || day < 1) return null;
  return day > new Date(Date.UTC(year, month, 0)).getUTCDate() ? null : text;
}

/** Lowercase, no accents, single spaces: labels compare the same however the bank wrote them. */
export function normalizeLabel(label: string): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A stable identity per line, so that re-importing the same or an overlapping file adds nothing:
 * the bank's own reference when it gives one, otherwise a hash of the account, booking date,
 * amount, normalized label and the line's rank among identical lines of that day.
 */
export function lineKeys(account: string, lines: readonly ParsedLine[]): string[] {
  const ranks = new Map<string, number>();
  return lines.map((line) => {
    if (line.bankReference) return `ref:${line.bankReference}`;
    const base = `${account}|${line.bookingDate}|${line.amountCents}|${normalizeLabel(line.label)}`;
    const rank = (ranks.get(base) ?? 0) + 1;
    ranks.set(base, rank);
    return `hash:${createHash('sha256').update(`${base}|${rank}`).digest('hex').slice(0, 40)}`;
  });
}

/** Opening + lines = closing, when the statement gives both balances: the problem if not. */
export function balanceProblem(
  statement: Pick<ParsedStatement, 'openingBalanceCents' | 'closingBalanceCents' | 'lines'>,
): string | null {
  if (statement.openingBalanceCents === null || statement.closingBalanceCents === null) return null;
  const movements = statement.lines.reduce((sum, l) => sum + l.amountCents, 0);
  const expected = statement.openingBalanceCents + movements;
  return expected === statement.closingBalanceCents
    ? null
    : `Opening balance ${statement.openingBalanceCents} + movements ${movements} = ${expected}, but the closing balance is ${statement.closingBalanceCents}`;
}
