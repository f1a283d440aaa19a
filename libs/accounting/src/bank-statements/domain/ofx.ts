import iconv from 'iconv-lite';
import { decimalToMinor } from './amounts';
import { accountIdKind } from './account-identity';
import {
  StatementFormatError,
  lineLocator,
  realDay,
  type ParsedLine,
  type ParsedStatement,
} from './statement';

/**
 * The bytes of an OFX file as text: the declared charset (OFX 1.x `CHARSET:1252`, OFX 2.x XML
 * `encoding=`), checked: a file declared UTF-8 that is not valid UTF-8 is read as Windows-1252,
 * as French banks often do.
 */
export function decodeOfx(bytes: Buffer): string {
  const head = bytes.subarray(0, 1024).toString('latin1');
  const declared =
    /CHARSET:\s*([\w-]+)/i.exec(head)?.[1] ?? /encoding="([\w-]+)"/i.exec(head)?.[1] ?? null;
  const utf8 = bytes.toString('utf8');
  const validUtf8 = !utf8.includes('\uFFFD');
  if (declared && /^(1252|windows-1252|cp1252)$/i.test(declared))
    return iconv.decode(bytes, 'win1252');
  if (declared && /^(iso-?8859-?(1|15)|latin-?1)$/i.test(declared))
    return iconv.decode(bytes, declared.replace(/^iso-?8859-?/i, 'iso-8859-'));
  return validUtf8 ? utf8 : iconv.decode(bytes, 'win1252');
}

/** `20110331120000.000[-5:EST]` -> `2011-03-31` (the day as the bank wrote it). */
function ofxDay(value: string | null): string | null {
  const m = value ? /^(\d{4})(\d{2})(\d{2})/.exec(value) : null;
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/** The value of a leaf element (closed in OFX 2.x, left open in OFX 1.x SGML). */
function field(block: string, tag: string): string | null {
  const m = new RegExp(`<${tag}>([^<\\r\\n]*)`, 'i').exec(block);
  const v = m?.[1]?.trim();
  return v ? v.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>') : null;
}

interface Block {
  body: string;
  /** Where the block's start tag is in the whole text. */
  offset: number;
  /** Where its body starts in the whole text. */
  bodyOffset: number;
}

/** The aggregates of a tag inside a block (or the whole text), with where each one starts. */
function blocks(within: Block, tag: string): Block[] {
  return [...within.body.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'gi'))].map((m) => {
    const offset = within.bodyOffset + (m.index ?? 0);
    return { body: m[1], offset, bodyOffset: offset + tag.length + 2 };
  });
}

/**
 * Where the first aggregate of a tag left open starts: a start tag without its end tag before
 * the next start tag of the same aggregate (or the end of the block); undefined when all close.
 */
function unclosed(within: Block, tag: string): number | undefined {
  const starts = [...within.body.matchAll(new RegExp(`<${tag}>`, 'gi'))].map((m) => m.index ?? 0);
  const end = new RegExp(`</${tag}>`, 'i');
  const open = starts.find(
    (start, k) => !end.test(within.body.slice(start, starts[k + 1] ?? within.body.length)),
  );
  return open === undefined ? undefined : within.bodyOffset + open;
}

/** `YYYYMMDD…` that is a real day, or null; a date given but not a day refuses the file. */
function ofxRealDay(value: string | null, where: string, what: string): string | null {
  if (!value) return null;
  const day = realDay(ofxDay(value));
  if (!day) throw new StatementFormatError(`${where}: the ${what} "${value}" is not a real day`);
  return day;
}

/**
 * OFX bank statements, 1.x (SGML, unclosed leaf tags) and 2.x (XML): each `STMTRS` with its
 * account, currency, transactions (`STMTTRN`, keyed by the bank's `FITID`) and ledger balance.
 * A malformed transaction (no readable amount or date) or a statement cut short refuses the file
 * whole, naming the line where the element starts: nothing of it is imported.
 */
export function parseOfx(bytes: Buffer): ParsedStatement[] {
  const text = decodeOfx(bytes);
  if (!/<OFX>/i.test(text)) throw new StatementFormatError('Not an OFX file (no <OFX> element)');
  const lineOf = lineLocator(text);
  const file: Block = { body: text, offset: 0, bodyOffset: 0 };
  const statements = [...blocks(file, 'STMTRS'), ...blocks(file, 'CCSTMTRS')].sort(
    (a, b) => a.offset - b.offset,
  );
  for (const tag of ['STMTRS', 'CCSTMTRS']) {
    const cut = unclosed(file, tag);
    if (cut !== undefined)
      throw new StatementFormatError(
        `Line ${lineOf(cut)}: the statement (<${tag}>) that starts here is not closed: the file is cut short`,
      );
  }
  if (statements.length === 0) throw new StatementFormatError('The OFX file holds no statement');
  return statements.map((stmt) => {
    const problems: string[] = [];
    const currency = field(stmt.body, 'CURDEF') ?? 'EUR';
    const lines: ParsedLine[] = [];
    const transactions = blocks(stmt, 'STMTTRN');
    const cut = unclosed(stmt, 'STMTTRN');
    if (cut !== undefined)
      throw new StatementFormatError(
        `Line ${lineOf(cut)}: the transaction (<STMTTRN>) that starts here is not closed`,
      );
    for (const [n, trn] of transactions.entries()) {
      const where = `Line ${lineOf(trn.offset)}: transaction ${n + 1}`;
      const amountText = field(trn.body, 'TRNAMT');
      if (!amountText) throw new StatementFormatError(`${where}: no amount (TRNAMT)`);
      const amount = decimalToMinor(amountText, currency);
      if (!amount) throw new StatementFormatError(`${where}: "${amountText}" is not an amount`);
      const bookingDate = ofxRealDay(field(trn.body, 'DTPOSTED'), where, 'date posted');
      if (!bookingDate) throw new StatementFormatError(`${where}: no date (DTPOSTED)`);
      if (amount.rounded)
        problems.push(`${where}: ${amountText} rounded to the currency's minor unit`);
      const name = field(trn.body, 'NAME');
      const memo = field(trn.body, 'MEMO');
      const cheque = field(trn.body, 'CHECKNUM');
      lines.push({
        bookingDate,
        valueDate:
          ofxRealDay(field(trn.body, 'DTAVAIL'), where, 'date available') ??
          ofxRealDay(field(trn.body, 'DTUSER'), where, 'user date'),
        amountCents: amount.minor,
        currency: field(trn.body, 'CURRENCY') ?? currency,
        label: (
          [name, memo && memo !== name ? memo : null, cheque ? `chèque ${cheque}` : null]
            .filter(Boolean)
            .join(' / ') ||
          field(trn.body, 'TRNTYPE') ||
          'Opération'
        ).slice(0, 500),
        bankReference: field(trn.body, 'FITID'),
        endToEndId: null,
        structuredReference: null,
        counterpartyName: name,
        counterpartyIban: null,
        bankTransactionCode: field(trn.body, 'TRNTYPE'),
      });
    }
    const ledger = blocks(stmt, 'LEDGERBAL')[0] ?? null;
    const closingText = ledger ? field(ledger.body, 'BALAMT') : null;
    const closing = closingText ? decimalToMinor(closingText, currency) : null;
    if (ledger && closingText && !closing)
      throw new StatementFormatError(
        `Line ${lineOf(ledger.offset)}: the ledger balance "${closingText}" is not an amount`,
      );
    const bankAccount = blocks(stmt, 'BANKACCTFROM')[0]?.body ?? null;
    const acctId = bankAccount ? field(bankAccount, 'ACCTID') : null;
    const kind = accountIdKind(acctId);
    const iban = kind === 'iban' && acctId ? acctId.replace(/\s/g, '').toUpperCase() : null;
    const identity = bankAccount
      ? {
          bankCode: field(bankAccount, 'BANKID'),
          branchCode: field(bankAccount, 'BRANCHID'),
          accountNumber: kind === 'account' ? acctId : null,
          key: field(bankAccount, 'ACCTKEY'),
        }
      : null;
    return {
      format: 'ofx',
      version: /VERSION:\s*(\d+)/.exec(text)?.[1] ?? /VERSION="(\d+)"/.exec(text)?.[1] ?? null,
      statementId: null,
      iban,
      // A credit card statement (CCACCTFROM) names a card, not a bank account: not compared.
      account:
        !iban && identity && (identity.bankCode || identity.branchCode || identity.accountNumber)
          ? identity
          : null,
      sourceLine: lineOf(stmt.offset),
      currency,
      // OFX gives no opening balance: the check waits for the next statement.
      openingBalanceCents: null,
      openingDate: ofxRealDay(
        field(stmt.body, 'DTSTART'),
        `Line ${lineOf(stmt.offset)}: statement`,
        'start date',
      ),
      closingBalanceCents: closing?.minor ?? null,
      closingDate: ledger
        ? ofxRealDay(
            field(ledger.body, 'DTASOF'),
            `Line ${lineOf(ledger.offset)}: ledger balance`,
            'date',
          )
        : ofxRealDay(
            field(stmt.body, 'DTEND'),
            `Line ${lineOf(stmt.offset)}: statement`,
            'end date',
          ),
      lines,
      problems,
    };
  });
}
