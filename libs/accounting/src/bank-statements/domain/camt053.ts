import { XMLParser } from 'fast-xml-parser';
import { decimalToMinor } from './amounts';
import {
  StatementFormatError,
  balanceProblem,
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
const day = (v: unknown): string | null => {
  const t = text(path(asNode(v), 'Dt')) ?? text(path(asNode(v), 'DtTm'));
  return t ? t.slice(0, 10) : null;
};

function amountOf(
  node: unknown,
  problems: string[],
  where: string,
): { cents: number; currency: string } | null {
  const amt = asNode(node) ?? (typeof node === 'string' ? { '#text': node } : undefined);
  const value = text(amt);
  const currency = (amt?.['@_Ccy'] as string | undefined) ?? 'EUR';
  if (!value) return null;
  const parsed = decimalToMinor(value, currency);
  if (!parsed) {
    problems.push(`${where}: "${value}" is not an amount`);
    return null;
  }
  if (parsed.rounded)
    problems.push(`${where}: ${value} ${currency} rounded to the currency's minor unit`);
  return { cents: parsed.minor, currency };
}

function signed(cents: number, indicator: unknown): number {
  return text(indicator) === 'DBIT' ? -cents : cents;
}

/**
 * ISO 20022 bank-to-customer statements (camt.053.001.02 to .08): every statement of the file,
 * its account, opening (OPBD) and closing (CLBD) balances, and its entries. An entry that bundles
 * several transactions with their own amounts (a batch) becomes one line per transaction.
 */
export function parseCamt053(input: string | Buffer): ParsedStatement[] {
  const xml = typeof input === 'string' ? input : input.toString('utf8');
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
  return statements.map((stmt, index) => {
    const problems: string[] = [];
    if (!version) problems.push('Unknown camt.053 version (namespace missing)');
    else if (Number(namespace?.[1]) < 2 || Number(namespace?.[1]) > 8)
      problems.push(`camt.053 version ${version} is outside .02 to .08: read as best as possible`);
    const iban = text(path(stmt, 'Acct', 'Id', 'IBAN'));
    const accountCurrency = text(path(stmt, 'Acct', 'Ccy'));
    let opening: { cents: number; date: string | null } | null = null;
    let closing: { cents: number; date: string | null } | null = null;
    for (const bal of list(stmt['Bal'])) {
      const code = text(path(bal, 'Tp', 'CdOrPrtry', 'Cd'));
      if (code !== 'OPBD' && code !== 'CLBD' && code !== 'PRCD') continue;
      const amount = amountOf(bal['Amt'], problems, `Balance ${code}`);
      if (!amount) continue;
      const value = { cents: signed(amount.cents, bal['CdtDbtInd']), date: day(bal['Dt']) };
      if (code === 'CLBD') closing = value;
      else if (code === 'OPBD' || !opening) opening = value;
    }
    const lines: ParsedLine[] = [];
    for (const [n, entry] of list(stmt['Ntry']).entries()) {
      const where = `Entry ${n + 1}`;
      const status = text(path(entry, 'Sts', 'Cd')) ?? text(entry['Sts']);
      if (status && status !== 'BOOK') continue; // pending or informational entries
      const amount = amountOf(entry['Amt'], problems, where);
      if (!amount) {
        problems.push(`${where}: no amount, left out`);
        continue;
      }
      const reversal = text(entry['RvslInd']) === 'true';
      const sign = (cents: number, indicator: unknown) => {
        const s = signed(cents, indicator);
        return reversal ? -s : s;
      };
      const bookingDate = day(entry['BookgDt']) ?? day(entry['ValDt']);
      if (!bookingDate) {
        problems.push(`${where}: no booking date, left out`);
        continue;
      }
      const valueDate = day(entry['ValDt']);
      const entryRef = text(entry['AcctSvcrRef']);
      const entryInfo = text(entry['AddtlNtryInf']);
      const code =
        text(path(entry, 'BkTxCd', 'Domn', 'Cd')) ?? text(path(entry, 'BkTxCd', 'Prtry', 'Cd'));
      const details = list(entry['NtryDtls']).flatMap((d) => list(d['TxDtls']));
      const withAmounts = details.filter((d) => path(d, 'AmtDtls', 'TxAmt', 'Amt') ?? d['Amt']);
      const split = details.length > 1 && withAmounts.length === details.length;
      const parts = split ? details : [details[0]];
      let splitTotal = 0;
      for (const [k, tx] of parts.entries()) {
        const txAmount = split
          ? amountOf(
              path(tx, 'AmtDtls', 'TxAmt', 'Amt') ?? tx?.['Amt'],
              problems,
              `${where}.${k + 1}`,
            )
          : null;
        const cents = txAmount
          ? sign(txAmount.cents, tx?.['CdtDbtInd'] ?? entry['CdtDbtInd'])
          : sign(amount.cents, entry['CdtDbtInd']);
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
      if (split && splitTotal !== sign(amount.cents, entry['CdtDbtInd']))
        problems.push(
          `${where}: its transactions add up to ${splitTotal}, the entry says ${sign(amount.cents, entry['CdtDbtInd'])}`,
        );
    }
    const statement: ParsedStatement = {
      format: 'camt.053',
      version,
      statementId: text(stmt['Id']) ?? `statement-${index + 1}`,
      iban,
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
