import iconv from 'iconv-lite';
import { currencyExponent } from './amounts';
import {
  StatementFormatError,
  balanceProblem,
  type ParsedLine,
  type ParsedStatement,
} from './statement';

const RECORD = 120;
/** The last character of an amount: its last digit and its sign. */
const SIGNS = '{ABCDEFGHI}JKLMNOPQR';

/**
 * A CFONB 120 statement at a glance: the first record is an `01` (old balance) whose amount
 * (positions 91-104) is 13 digits and a sign character, whether the records are on lines or
 * run together; when a second record is visible it starts with 01, 04, 05 or 07.
 */
export function looksLikeCfonb120(head: string): boolean {
  const text = head.replace(/^\uFEFF/, '').replace(/^(\s*\r?\n)+/, '');
  const first = /^[^\r\n]*/.exec(text)?.[0] ?? '';
  const record = first.length > RECORD ? first.slice(0, RECORD) : first;
  if (!/^01\d{5}/.test(record) || record.length < 104) return false;
  if (!/^\d{13}[{}A-R]$/.test(record.slice(90, 104))) return false;
  if (first.length > RECORD) return /^0[1457]\d{5}/.test(first.slice(RECORD, RECORD + 7));
  return true;
}

function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return iconv.decode(bytes, 'win1252');
  }
}

/** `DDMMYY` -> `20YY-MM-DD`, a real calendar day, or null. */
function cfonbDay(text: string): string | null {
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [day, month, year] = [Number(m[1]), Number(m[2]), 2000 + Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return null;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return `${year}-${m[2]}-${m[1]}`;
}

interface Row {
  line: number;
  text: string;
}

/** The records of the file: on lines (CRLF, LF or CR), or one stream of 120-character records. */
function records(text: string): Row[] {
  // Trailing spaces stay: in a stream they belong to the last record.
  let body = text.replace(/^\uFEFF/, '');
  // Line ends and DOS end-of-file marks (Ctrl-Z) at the end.
  while (body.length > 0 && '\u001a\r\n'.includes(body[body.length - 1])) body = body.slice(0, -1);
  if (/[\r\n]/.test(body)) {
    const rows: Row[] = [];
    for (const [i, raw] of body.split(/\r\n|\n|\r/).entries()) {
      if (raw.trim() === '') continue;
      if (raw.length > RECORD)
        throw new StatementFormatError(
          `Line ${i + 1}: ${raw.length} characters, a CFONB 120 record has 120`,
        );
      // Trailing blanks are often trimmed by the tools the file went through.
      rows.push({ line: i + 1, text: raw.padEnd(RECORD, ' ') });
    }
    return rows;
  }
  if (body.length % RECORD !== 0)
    throw new StatementFormatError(
      `Line ${Math.floor(body.length / RECORD) + 1}: the file is ${body.length} characters long, not a whole number of 120-character records`,
    );
  const rows: Row[] = [];
  for (let i = 0; i < body.length; i += RECORD)
    rows.push({ line: i / RECORD + 1, text: body.slice(i, i + RECORD) });
  return rows;
}

/** Positions as the standard numbers them: 1-based, both ends included. */
const at = (row: Row, from: number, to: number) => row.text.slice(from - 1, to);

interface Header {
  bank: string;
  guichet: string;
  account: string;
  currency: string;
  date: string;
  cents: number;
}

function amountOf(row: Row, currency: string): number {
  const field = at(row, 91, 104);
  const decimalsText = at(row, 20, 20);
  const last = SIGNS.indexOf(field[13]);
  if (!/^\d{13}$/.test(field.slice(0, 13)) || last < 0)
    throw new StatementFormatError(
      `Line ${row.line}: the amount "${field}" (positions 91-104) is not 13 digits and a sign character`,
    );
  if (!/^\d$/.test(decimalsText))
    throw new StatementFormatError(
      `Line ${row.line}: the number of decimals (position 20) "${decimalsText}" is not a digit`,
    );
  const decimals = Number(decimalsText);
  const negative = last >= 10;
  const digits = `${field.slice(0, 13)}${last % 10}`;
  const exponent = currencyExponent(currency);
  let minor: number;
  if (decimals <= exponent) minor = Number(digits) * 10 ** (exponent - decimals);
  else {
    const dropped = digits.slice(digits.length - (decimals - exponent));
    if (/[1-9]/.test(dropped))
      throw new StatementFormatError(
        `Line ${row.line}: the amount has ${decimals} decimals, more than ${currency} keeps (${exponent}): it would lose precision`,
      );
    minor = Number(digits.slice(0, digits.length - (decimals - exponent)));
  }
  if (!Number.isSafeInteger(minor))
    throw new StatementFormatError(`Line ${row.line}: the amount is too large`);
  return negative ? -minor : minor;
}

function headerOf(row: Row, kind: string, problems: string[]): Header {
  const rawCurrency = at(row, 17, 19);
  let currency = rawCurrency;
  if (rawCurrency.trim() === '') {
    currency = 'EUR';
    problems.push(`Line ${row.line}: no currency on the ${kind} record, read as EUR`);
  } else if (!/^[A-Z]{3}$/.test(rawCurrency))
    throw new StatementFormatError(
      `Line ${row.line}: the currency "${rawCurrency}" (positions 17-19) is not an ISO code`,
    );
  const dateText = at(row, 35, 40);
  const date = cfonbDay(dateText);
  if (!date)
    throw new StatementFormatError(
      `Line ${row.line}: the ${kind} date "${dateText}" (positions 35-40) is not a real day`,
    );
  return {
    bank: at(row, 3, 7),
    guichet: at(row, 12, 16),
    account: at(row, 22, 32),
    currency,
    date,
    cents: amountOf(row, currency),
  };
}

const clean = (text: string) => text.replace(/\s+/g, ' ').trim();

interface Building {
  line: ParsedLine;
  /** The 04 record's own reference zone (105-120): the structured reference unless a 05 REF gives one. */
  zoneReference: string | null;
  texts: string[];
  payer: string | null;
  beneficiary: string | null;
}

/**
 * CFONB 120 (« relevé de compte 120 caractères »): one statement per `01` (old balance) …
 * `07` (new balance) block, so per account and period; `04` movements, each followed by its
 * `05` complements (`LIB`/`LCC`/`LC2`/`LCS` label text, `NPY` payer, `NBE` beneficiary, `RCN`
 * client reference, `REF` operation reference). Amounts honour the number of decimals of each
 * record (position 20) and are refused when the currency cannot keep them. The block's
 * account (bank code + guichet + account number; the RIB key is not in the file) names the
 * statement: `cfonb:BBBBBGGGGGAAAAAAAAAAA:closing date`. Any unreadable record, a movement
 * outside a block, a block left open, refuses the file.
 */
export function parseCfonb120(bytes: Buffer): ParsedStatement[] {
  const rows = records(decode(bytes));
  if (rows.length === 0) throw new StatementFormatError('The file is empty');
  const statements: ParsedStatement[] = [];
  let block: {
    header: Header;
    line: number;
    problems: string[];
    movements: Building[];
  } | null = null;

  const finish = (current: Building) => {
    const extra = current.texts.filter(Boolean).join(' ');
    current.line.label =
      clean([current.line.label, extra].filter(Boolean).join(' ')).slice(0, 500) ||
      (current.line.bankTransactionCode
        ? `Opération ${current.line.bankTransactionCode}`
        : 'Opération');
    // The other party: the payer of a credit, the beneficiary of a debit (the account holder
    // is the other name of the pair); when the bank gives only one name, that one.
    const [own, other] =
      current.line.amountCents >= 0
        ? [current.payer, current.beneficiary]
        : [current.beneficiary, current.payer];
    current.line.counterpartyName = own ?? other ?? null;
    current.line.structuredReference ??= current.zoneReference;
  };

  for (const row of rows) {
    const code = at(row, 1, 2);
    if (code === '01') {
      if (block)
        throw new StatementFormatError(
          `Line ${row.line}: a new 01 record while the block opened on line ${block.line} has no 07 (new balance) record`,
        );
      const problems: string[] = [];
      block = {
        header: headerOf(row, 'old balance', problems),
        line: row.line,
        problems,
        movements: [],
      };
      continue;
    }
    if (code !== '04' && code !== '05' && code !== '07')
      throw new StatementFormatError(
        `Line ${row.line}: unknown record code "${code}" (CFONB 120 has 01, 04, 05 and 07)`,
      );
    if (!block)
      throw new StatementFormatError(
        `Line ${row.line}: a ${code} record outside of a block (no 01 old balance record before it)`,
      );
    const account = at(row, 22, 32);
    if (account !== block.header.account)
      throw new StatementFormatError(
        `Line ${row.line}: account "${account.trim()}" differs from the block's account "${block.header.account.trim()}" (line ${block.line})`,
      );
    if (code === '04') {
      const rawCurrency = at(row, 17, 19);
      const currency = rawCurrency.trim() === '' ? block.header.currency : rawCurrency;
      if (!/^[A-Z]{3}$/.test(currency))
        throw new StatementFormatError(
          `Line ${row.line}: the currency "${rawCurrency}" (positions 17-19) is not an ISO code`,
        );
      const dateText = at(row, 35, 40);
      const bookingDate = cfonbDay(dateText);
      if (!bookingDate)
        throw new StatementFormatError(
          `Line ${row.line}: the booking date "${dateText}" (positions 35-40) is not a real day`,
        );
      const valueText = at(row, 43, 48);
      const valueDate = valueText.trim() === '' ? null : cfonbDay(valueText);
      if (valueText.trim() !== '' && !valueDate)
        throw new StatementFormatError(
          `Line ${row.line}: the value date "${valueText}" (positions 43-48) is not a real day`,
        );
      const entry = at(row, 82, 88).trim();
      const reference = at(row, 105, 120).trim();
      const interbank = at(row, 33, 34).trim();
      block.movements.push({
        line: {
          bookingDate,
          valueDate,
          amountCents: amountOf(row, currency),
          currency,
          label: clean(at(row, 49, 79)),
          // The entry number, when the bank fills it, is unique per day only.
          bankReference: entry && !/^0+$/.test(entry) ? `${bookingDate}-${entry}` : null,
          endToEndId: null,
          structuredReference: null,
          counterpartyName: null,
          counterpartyIban: null,
          bankTransactionCode: interbank || null,
        },
        zoneReference: reference || null,
        texts: [],
        payer: null,
        beneficiary: null,
      });
      continue;
    }
    if (code === '05') {
      const current = block.movements[block.movements.length - 1];
      if (!current)
        throw new StatementFormatError(
          `Line ${row.line}: a 05 complement record with no 04 movement before it`,
        );
      const qualifier = at(row, 46, 48);
      const text = clean(at(row, 49, 118));
      const given = text && !/^NOTPROVIDED$/i.test(text) ? text : null;
      if (!given) continue;
      switch (qualifier) {
        case 'LIB':
        case '   ': // older files: free text without a qualifier
        case 'LCC':
        case 'LC2':
        case 'LCS':
          current.texts.push(given);
          break;
        case 'NPY':
          current.payer ??= given;
          break;
        case 'NBE':
          current.beneficiary ??= given;
          break;
        case 'RCN': {
          // 35 characters of client (end-to-end) reference, then the purpose.
          const reference = clean(at(row, 49, 83));
          if (reference && !/^NOTPROVIDED$/i.test(reference)) current.line.endToEndId ??= reference;
          break;
        }
        case 'REF':
          current.line.structuredReference ??= given;
          break;
        default:
          // IPY, IBE, NPO, NBU, MMO, RUM, ICS…: identifiers and amounts not kept on a line.
          break;
      }
      continue;
    }
    // 07: the new balance closes the block.
    const closing = headerOf(row, 'new balance', block.problems);
    block.movements.forEach(finish);
    const lines = block.movements.map((m) => m.line);
    const refs = lines.map((l) => l.bankReference).filter((r): r is string => !!r);
    if (new Set(refs).size !== refs.length) {
      block.problems.push(
        'Entry numbers repeat within the statement: lines identified by their content instead',
      );
      for (const l of lines) l.bankReference = null;
    }
    const { bank, guichet, account: number } = block.header;
    const statement: ParsedStatement = {
      format: 'cfonb120',
      version: null,
      statementId: `cfonb:${bank}${guichet}${number}:${closing.date}`.replace(/\s/g, ''),
      iban: null,
      account: {
        bankCode: bank.trim() || null,
        branchCode: guichet.trim() || null,
        accountNumber: number.trim() || null,
        key: null,
      },
      sourceLine: block.line,
      currency: block.header.currency,
      openingBalanceCents: block.header.cents,
      openingDate: block.header.date,
      closingBalanceCents: closing.cents,
      closingDate: closing.date,
      lines,
      problems: block.problems,
    };
    if (closing.currency !== block.header.currency)
      statement.problems.push(
        `Line ${row.line}: the new balance is in ${closing.currency}, the old one in ${block.header.currency}`,
      );
    const mismatch = balanceProblem(statement);
    if (mismatch) statement.problems.push(mismatch);
    statements.push(statement);
    block = null;
  }
  if (block)
    throw new StatementFormatError(
      `Line ${block.line}: the block opened here has no 07 (new balance) record: the file is cut short`,
    );
  return statements;
}
