import iconv from 'iconv-lite';
import { decimalToMinor } from './amounts';
import { StatementFormatError, type ParsedLine, type ParsedStatement } from './statement';

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

function blocks(text: string, tag: string): string[] {
  return [...text.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'gi'))].map((m) => m[1]);
}

/**
 * OFX bank statements, 1.x (SGML, unclosed leaf tags) and 2.x (XML): each `STMTRS` with its
 * account, currency, transactions (`STMTTRN`, keyed by the bank's `FITID`) and ledger balance.
 */
export function parseOfx(bytes: Buffer): ParsedStatement[] {
  const text = decodeOfx(bytes);
  if (!/<OFX>/i.test(text)) throw new StatementFormatError('Not an OFX file (no <OFX> element)');
  const statements = [...blocks(text, 'STMTRS'), ...blocks(text, 'CCSTMTRS')];
  if (statements.length === 0) throw new StatementFormatError('The OFX file holds no statement');
  return statements.map((stmt) => {
    const problems: string[] = [];
    const currency = field(stmt, 'CURDEF') ?? 'EUR';
    const lines: ParsedLine[] = [];
    for (const [n, trn] of blocks(stmt, 'STMTTRN').entries()) {
      const amountText = field(trn, 'TRNAMT');
      const amount = amountText ? decimalToMinor(amountText, currency) : null;
      const bookingDate = ofxDay(field(trn, 'DTPOSTED'));
      if (!amount || !bookingDate) {
        problems.push(`Transaction ${n + 1}: no amount or no date, left out`);
        continue;
      }
      if (amount.rounded)
        problems.push(`Transaction ${n + 1}: ${amountText} rounded to the currency's minor unit`);
      const name = field(trn, 'NAME');
      const memo = field(trn, 'MEMO');
      const cheque = field(trn, 'CHECKNUM');
      lines.push({
        bookingDate,
        valueDate: ofxDay(field(trn, 'DTAVAIL')) ?? ofxDay(field(trn, 'DTUSER')),
        amountCents: amount.minor,
        currency: field(trn, 'CURRENCY') ?? currency,
        label: (
          [name, memo && memo !== name ? memo : null, cheque ? `chèque ${cheque}` : null]
            .filter(Boolean)
            .join(' / ') ||
          field(trn, 'TRNTYPE') ||
          'Opération'
        ).slice(0, 500),
        bankReference: field(trn, 'FITID'),
        endToEndId: null,
        structuredReference: null,
        counterpartyName: name,
        counterpartyIban: null,
        bankTransactionCode: field(trn, 'TRNTYPE'),
      });
    }
    const ledger = blocks(stmt, 'LEDGERBAL')[0] ?? null;
    const closingText = ledger ? field(ledger, 'BALAMT') : null;
    const closing = closingText ? decimalToMinor(closingText, currency) : null;
    const account = blocks(stmt, 'BANKACCTFROM')[0] ?? blocks(stmt, 'CCACCTFROM')[0] ?? '';
    const acctId = field(account, 'ACCTID');
    return {
      format: 'ofx',
      version: /VERSION:\s*(\d+)/.exec(text)?.[1] ?? /VERSION="(\d+)"/.exec(text)?.[1] ?? null,
      statementId: null,
      iban:
        acctId && /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(acctId.replace(/\s/g, ''))
          ? acctId.replace(/\s/g, '')
          : null,
      currency,
      // OFX gives no opening balance: the check waits for the next statement.
      openingBalanceCents: null,
      openingDate: ofxDay(field(stmt, 'DTSTART')),
      closingBalanceCents: closing?.minor ?? null,
      closingDate: ledger ? ofxDay(field(ledger, 'DTASOF')) : ofxDay(field(stmt, 'DTEND')),
      lines,
      problems,
    };
  });
}
