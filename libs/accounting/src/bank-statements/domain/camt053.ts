import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decimalToMinor } from './amounts';
import { accountIdKind } from './account-identity';
import {
  StatementFormatError,
  balanceProblem,
  lineLocator,
  realDay,
  type ParsedLine,
  type ParsedStatement,
} from './statement';

type Node = Record<string, unknown>;

const ARRAYS = new Set(['Stmt', 'Bal', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'AdrLine']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  // Amounts stay text: never through a float.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ARRAYS.has(name),
  processEntities: true,
});

const asNode = (v: unknown): Node | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : undefined;
const list = (v: unknown): Node[] =>
  Array.isArray(v) ? v.filter((x): x is Node => !!asNode(x)) : asNode(v) ? [v as Node] : [];
const text = (v: unknown): string | null => {
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number') return String(v);
  const node = asNode(v);
  if (node && typeof node['#text'] === 'string') return node['#text'].trim() || null;
  return null;
};
const path = (node: Node | undefined, ...keys: string[]): unknown => {
  let current: unknown = node;
  for (const key of keys) {
    const n = Array.isArray(current) ? asNode(current[0]) : asNode(current);
    if (!n) return undefined;
    current = n[key];
  }
  return current;
};

/** Where each element of a name starts in the text, in document order (any namespace prefix). */
function tagOffsets(xml: string, name: string): number[] {
  return [...xml.matchAll(new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${name}(?=[\\s/>])`, 'g'))].map(
    (m) => m.index ?? 0,
  );
}

/** An amount and its currency, null when the element is absent; unreadable: the file is refused. */
function amountOf(
  node: unknown,
  where: string,
): { cents: number; currency: string; rounded: string | null } | null {
  const amt = asNode(node) ?? (typeof node === 'string' ? { '#text': node } : undefined);
  const value = text(amt);
  if (!value) return null;
  const currency = ((amt?.['@_Ccy'] as string | undefined) ?? 'EUR').trim();
  if (!/^[A-Z]{3}$/.test(currency))
    throw new StatementFormatError(`${where}: the currency "${currency}" is not an ISO code`);
  const parsed = decimalToMinor(value, currency);
  if (!parsed || value.includes(',') || /\s/.test(value))
    throw new StatementFormatError(`${where}: "${value}" is not an amount`);
  return {
    cents: parsed.minor,
    currency,
    rounded: parsed.rounded
      ? `${where}: ${value} ${currency} rounded to the currency's minor unit`
      : null,
  };
}

/** CRDT or DBIT as the file says; anything else (or nothing) leaves the sign unknown: refused. */
function indicator(value: unknown, where: string): 1 | -1 {
  const v = text(value);
  if (v === 'CRDT') return 1;
  if (v === 'DBIT') return -1;
  throw new StatementFormatError(
    v
      ? `${where}: the credit/debit indicator "${v}" is neither CRDT nor DBIT`
      : `${where}: no credit/debit indicator (CdtDbtInd)`,
  );
}

/** The day of a `Dt` or `DtTm` element; a date that is not a real day: refused. */
function dayOf(v: unknown, where: string, what: string): string | null {
  const t = text(path(asNode(v), 'Dt')) ?? text(path(asNode(v), 'DtTm'));
  if (!t) return null;
  const value = realDay(t.slice(0, 10));
  if (!value) throw new StatementFormatError(`${where}: the ${what} "${t}" is not a real day`);
  return value;
}

/**
 * A well-formed XML document, or the line where it is not: a truncated file names its last line
 * and the elements left open.
 */
function checkWellFormed(xml: string): void {
  const result = XMLValidator.validate(xml);
  if (result === true) return;
  const { msg, line } = result.err;
  const last = xml.replace(/\s+$/, '').split(/\r\n|\n|\r/).length;
  const open =
    /^Invalid '\[(.*)\]' found\.?$/s.exec(msg)?.[1] ?? /^Unclosed tag '([^']+)'\.?$/.exec(msg)?.[1];
  if (open) {
    const names = open.includes('"')
      ? [...open.matchAll(/"([^"]+)"/g)].map((m) => `<${m[1]}>`)
      : [`<${open}>`];
    throw new StatementFormatError(
      `Line ${last}: the file ends before ${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} closed: it is cut short`,
    );
  }
  if (line >= last && /doesn't have proper closing|attribute/i.test(msg))
    throw new StatementFormatError(
      `Line ${last}: the file ends before its elements are closed (${msg}): it is cut short`,
    );
  throw new StatementFormatError(`Line ${line}: not well-formed XML (${msg})`);
}

/**
 * ISO 20022 bank-to-customer statements (camt.053.001.02 to .08): every statement of the file,
 * its account, opening (OPBD) and closing (CLBD) balances, and its entries. An entry that bundles
 * several transactions with their own amounts (a batch) becomes one line per transaction. A
 * malformed file (not well-formed XML, an entry or balance without a readable amount, sign or
 * date) is refused whole, naming the line where the element starts: nothing of it is imported.
 * Entries not booked (pending, informational) are left out; amounts rounded and balances that do
 * not add up are reported as problems.
 */
export function parseCamt053(input: string | Buffer): ParsedStatement[] {
  const xml = (typeof input === 'string' ? input : input.toString('utf8')).replace(/^\uFEFF/, '');
  checkWellFormed(xml);
  let document: Node;
  try {
    document = asNode(parser.parse(xml)) ?? {};
  } catch (error) {
    throw new StatementFormatError(
      `Not XML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const root = asNode(document['Document']);
  const namespace = /camt\.053\.001\.(\d{2})/.exec(xml.slice(0, 2000));
  const statements = list(path(root, 'BkToCstmrStmt', 'Stmt'));
  if (!root || !asNode(root['BkToCstmrStmt']))
    throw new StatementFormatError('Not a camt.053 statement (no Document/BkToCstmrStmt)');
  if (statements.length === 0) throw new StatementFormatError('The file holds no statement');
  const version = namespace ? `camt.053.001.${namespace[1]}` : null;
  // File lines of each statement, balance and entry, when the tags found match what was read
  // (they do unless a comment or CDATA holds such a tag).
  const lineOf = lineLocator(xml);
  const located = (name: string, count: number) => {
    const offsets = tagOffsets(xml, name);
    return offsets.length === count ? offsets.map(lineOf) : null;
  };
  const stmtLines = located('Stmt', statements.length);
  const balLines = located(
    'Bal',
    statements.reduce((n, st) => n + list(st['Bal']).length, 0),
  );
  const entryLines = located(
    'Ntry',
    statements.reduce((n, st) => n + list(st['Ntry']).length, 0),
  );
  let balancesBefore = 0;
  let entriesBefore = 0;
  return statements.map((stmt, index) => {
    const problems: string[] = [];
    const statementId = text(stmt['Id']) ?? `statement-${index + 1}`;
    const at = (lines: number[] | null, k: number, what: string) =>
      lines
        ? `Line ${lines[k]}: ${what} of statement ${statementId}`
        : `${what[0].toUpperCase()}${what.slice(1)} of statement ${statementId}`;
    if (!version) problems.push('Unknown camt.053 version (namespace missing)');
    else if (Number(namespace?.[1]) < 2 || Number(namespace?.[1]) > 8)
      problems.push(`camt.053 version ${version} is outside .02 to .08: read as best as possible`);
    const other = text(path(stmt, 'Acct', 'Id', 'Othr', 'Id'));
    const otherKind = accountIdKind(other);
    const iban =
      text(path(stmt, 'Acct', 'Id', 'IBAN'))
        ?.replace(/\s/g, '')
        .toUpperCase() ??
      (otherKind === 'iban' ? (other as string).replace(/\s/g, '').toUpperCase() : null);
    const account =
      !iban && otherKind === 'account'
        ? { bankCode: null, branchCode: null, accountNumber: other, key: null }
        : null;
    const accountCurrency = text(path(stmt, 'Acct', 'Ccy'));
    let opening: { cents: number; date: string | null } | null = null;
    let closing: { cents: number; date: string | null } | null = null;
    const balances = list(stmt['Bal']);
    for (const [k, bal] of balances.entries()) {
      const code = text(path(bal, 'Tp', 'CdOrPrtry', 'Cd'));
      if (code !== 'OPBD' && code !== 'CLBD' && code !== 'PRCD') continue;
      const where = at(balLines, balancesBefore + k, `balance ${code}`);
      const amount = amountOf(bal['Amt'], where);
      if (!amount) throw new StatementFormatError(`${where}: no amount`);
      if (amount.rounded) problems.push(amount.rounded);
      const value = {
        cents: indicator(bal['CdtDbtInd'], where) * amount.cents,
        date: dayOf(bal['Dt'], where, 'date'),
      };
      if (code === 'CLBD') closing = value;
      else if (code === 'OPBD' || !opening) opening = value;
    }
    balancesBefore += balances.length;
    const lines: ParsedLine[] = [];
    const entries = list(stmt['Ntry']);
    for (const [n, entry] of entries.entries()) {
      const where = at(entryLines, entriesBefore + n, `entry ${n + 1}`);
      const status = text(path(entry, 'Sts', 'Cd')) ?? text(entry['Sts']);
      if (status && status !== 'BOOK') continue; // pending or informational entries
      const amount = amountOf(entry['Amt'], where);
      if (!amount) throw new StatementFormatError(`${where}: no amount`);
      if (amount.rounded) problems.push(amount.rounded);
      const reversal = text(entry['RvslInd']) === 'true';
      const entrySign = indicator(entry['CdtDbtInd'], where) * (reversal ? -1 : 1);
      const bookingDate =
        dayOf(entry['BookgDt'], where, 'booking date') ??
        dayOf(entry['ValDt'], where, 'value date');
      if (!bookingDate) throw new StatementFormatError(`${where}: no booking date`);
      const valueDate = dayOf(entry['ValDt'], where, 'value date');
      const entryRef = text(entry['AcctSvcrRef']);
      const entryInfo = text(entry['AddtlNtryInf']);
      const code =
        text(path(entry, 'BkTxCd', 'Domn', 'Cd')) ?? text(path(entry, 'BkTxCd', 'Prtry', 'Cd'));
      const details = list(entry['NtryDtls']).flatMap((d) => list(d['TxDtls']));
      const withAmounts = details.filter((d) => path(d, 'AmtDtls', 'TxAmt', 'Amt') ?? d['Amt']);
      const split = details.length > 1 && withAmounts.length === details.length;
      const parts = split ? details : [details[0]];
      const entryCents = entrySign * amount.cents;
      let splitTotal = 0;
      for (const [k, tx] of parts.entries()) {
        let cents = entryCents;
        if (split) {
          const txWhere = `${where}, transaction ${k + 1}`;
          const txAmount = amountOf(path(tx, 'AmtDtls', 'TxAmt', 'Amt') ?? tx?.['Amt'], txWhere);
          if (!txAmount) throw new StatementFormatError(`${txWhere}: no amount`);
          if (txAmount.rounded) problems.push(txAmount.rounded);
          const txSign =
            tx?.['CdtDbtInd'] === undefined
              ? entrySign
              : indicator(tx['CdtDbtInd'], txWhere) * (reversal ? -1 : 1);
          cents = txSign * txAmount.cents;
        }
        splitTotal += cents;
        const incoming = cents >= 0;
        const party = incoming ? 'Dbtr' : 'Cdtr';
        const name =
          text(path(tx, 'RltdPties', party, 'Nm')) ??
          text(path(tx, 'RltdPties', party, 'Pty', 'Nm')) ??
          null;
        const ibanOf = text(path(tx, 'RltdPties', `${party}Acct`, 'Id', 'IBAN')) ?? null;
        const unstructured = list(path(tx, 'RmtInf') as Node)
          .flatMap((r) => (Array.isArray(r['Ustrd']) ? (r['Ustrd'] as unknown[]) : [r['Ustrd']]))
          .map(text)
          .filter((t): t is string => !!t);
        const structured = text(path(tx, 'RmtInf', 'Strd', 'CdtrRefInf', 'Ref'));
        const label =
          [unstructured.join(' '), entryInfo, name].filter((t): t is string => !!t).join(' / ') ||
          code ||
          'Opération';
        lines.push({
          bookingDate,
          valueDate,
          amountCents: cents,
          currency: amount.currency,
          label: label.slice(0, 500),
          bankReference:
            split && entryRef
              ? `${entryRef}/${k + 1}`
              : (entryRef ?? text(path(tx, 'Refs', 'AcctSvcrRef'))),
          endToEndId: text(path(tx, 'Refs', 'EndToEndId')),
          structuredReference: structured,
          counterpartyName: name,
          counterpartyIban: ibanOf,
          bankTransactionCode: code,
        });
      }
      if (split && splitTotal !== entryCents)
        problems.push(
          `${where}: its transactions add up to ${splitTotal}, the entry says ${entryCents}`,
        );
    }
    entriesBefore += entries.length;
    const statement: ParsedStatement = {
      format: 'camt.053',
      version,
      statementId,
      iban,
      account,
      sourceLine: stmtLines?.[index] ?? null,
      currency: accountCurrency ?? lines[0]?.currency ?? 'EUR',
      openingBalanceCents: (opening as { cents: number } | null)?.cents ?? null,
      openingDate: (opening as { date: string | null } | null)?.date ?? null,
      closingBalanceCents: (closing as { cents: number } | null)?.cents ?? null,
      closingDate: (closing as { date: string | null } | null)?.date ?? null,
      lines,
      problems,
    };
    const mismatch = balanceProblem(statement);
    if (mismatch) problems.push(mismatch);
    return statement;
  });
}
