import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCamt053 } from './camt053';
import { decimalToMinor } from './amounts';
import { StatementFormatError, lineKeys, type ParsedLine } from './statement';

const TESTDATA = join(__dirname, '../../../../testing/fixtures/bank-statements');
const file = (name: string) => readFileSync(join(TESTDATA, `genkgo-camt_camt053.${name}.xml`));
interface GenkgoDay {
  0: string;
}
interface GenkgoRecord {
  getId: string;
  getAccount: { getIdentification: string };
  getBalances: { getType: string; getAmount: { getAmount: string }; getDate: GenkgoDay }[];
}
interface GenkgoEntry {
  getAccountServicerReference: string | null;
  getAmount: { getAmount: string; getCurrency: { getCode: string } };
  getBookingDate: GenkgoDay | null;
  getValueDate: GenkgoDay | null;
  getTransactionDetails: unknown[];
  getRecord: GenkgoRecord;
}
/**
 * What the genkgo/camt library (PHP) reads in the same files: its entries (signed minor amounts,
 * currency, booking and value days, AcctSvcrRef), each with its statement (id, account id,
 * opening and closing balances).
 */
const expected = (name: string) =>
  (
    JSON.parse(readFileSync(join(TESTDATA, `genkgo-camt_camt053.${name}.json`), 'utf8')) as {
      getEntries: GenkgoEntry[];
    }
  ).getEntries;
const genkgoDay = (d: GenkgoDay | null) => (d ? d[0].slice(0, 10) : null);

const statement = (
  entries: string,
  balances = '',
  ns = 'camt.053.001.08',
) => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:${ns}"><BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId></GrpHdr>
<Stmt><Id>S1</Id><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>${balances}${entries}</Stmt></BkToCstmrStmt></Document>`;
const balance = (code: string, amount: string, cdi = 'CRDT') =>
  `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>${cdi}</CdtDbtInd><Dt><Dt>2026-03-01</Dt></Dt></Bal>`;
const entry = (amount: string, cdi: string, inner = '', extra = '') =>
  `<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>${cdi}</CdtDbtInd>${extra}<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-03-02</Dt></BookgDt><ValDt><Dt>2026-03-03</Dt></ValDt>${inner}</Ntry>`;

describe('CAMT.053 statements', () => {
  it.each(['v2.minimal', 'v2.multi.statement', 'v4'])('reads %s as genkgo/camt does', (name) => {
    const statements = parseCamt053(file(name));
    const entries = expected(name);
    const records = [...new Map(entries.map((e) => [e.getRecord.getId, e.getRecord])).values()];
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) {
      const s = statements.find((x) => x.statementId === record.getId);
      const balance = (type: string) => {
        const b = record.getBalances.find((x) => x.getType === type);
        return b ? { cents: Number(b.getAmount.getAmount), date: genkgoDay(b.getDate) } : null;
      };
      expect({
        account: s?.iban ?? s?.account?.accountNumber ?? null,
        opening: s && { cents: s.openingBalanceCents, date: s.openingDate },
        closing: s && { cents: s.closingBalanceCents, date: s.closingDate },
      }).toEqual({
        account: record.getAccount.getIdentification,
        opening: balance('opening'),
        closing: balance('closing'),
      });
      const mine = entries.filter((e) => e.getRecord.getId === record.getId);
      // None of these files bundles a batch: one line per entry, in the file's order.
      expect(mine.every((e) => e.getTransactionDetails.length <= 1)).toBe(true);
      expect(
        s?.lines.map((l) => ({
          amountCents: l.amountCents,
          currency: l.currency,
          bookingDate: l.bookingDate,
          valueDate: l.valueDate,
          bankReference: l.bankReference,
        })),
      ).toEqual(
        mine.map((e) => ({
          amountCents: Number(e.getAmount.getAmount),
          currency: e.getAmount.getCurrency.getCode,
          bookingDate: genkgoDay(e.getBookingDate),
          valueDate: genkgoDay(e.getValueDate),
          bankReference: e.getAccountServicerReference,
        })),
      );
    }
  });

  it('reads every statement of a file, with its account, balances and version', () => {
    const [a, b] = parseCamt053(file('v2.multi.statement'));
    expect(a).toMatchObject({
      version: 'camt.053.001.02',
      iban: 'NL26VAYB8060476890',
      openingBalanceCents: 1815,
      closingBalanceCents: 2700,
      problems: [],
    });
    expect(b).toMatchObject({
      statementId: '254EURNL26VAYB8060476890',
      openingBalanceCents: 2700,
      closingBalanceCents: 2000,
      problems: [],
    });
    expect(b.lines[0]).toMatchObject({
      amountCents: -700,
      counterpartyName: 'Company Name 2',
      endToEndId: '000000002',
    });
  });

  it('reports balances that do not add up instead of trusting them', () => {
    const [s] = parseCamt053(file('v2.minimal'));
    expect(s.lines[0]).toMatchObject({
      amountCents: 885,
      structuredReference: '4654654654654654',
      counterpartyIban: 'NL56AGDH9619008421',
    });
    expect(s.problems).toEqual([
      'Opening balance 1815 + movements 885 = 2700, but the closing balance is -2700',
    ]);
  });

  it('splits a batch entry into its transactions, keeps reversals and leaves pending entries out', () => {
    const tx = (amount: string, name: string, ref: string) =>
      `<TxDtls><Refs><EndToEndId>${ref}</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="EUR">${amount}</Amt></TxAmt></AmtDtls><RltdPties><Dbtr><Nm>${name}</Nm></Dbtr></RltdPties><RmtInf><Ustrd>COTISATION ${name}</Ustrd></RmtInf></TxDtls>`;
    const xml = statement(
      entry(
        '50.00',
        'CRDT',
        `<NtryDtls>${tx('20.00', 'MARTIN', 'E1')}${tx('30.00', 'DURAND', 'E2')}</NtryDtls>`,
        '<AcctSvcrRef>BATCH-1</AcctSvcrRef>',
      ) +
        entry('12.00', 'DBIT', '', '<RvslInd>true</RvslInd><AcctSvcrRef>REV-1</AcctSvcrRef>') +
        entry('99.00', 'CRDT', '').replace('<Cd>BOOK</Cd>', '<Cd>PDNG</Cd>'),
      balance('OPBD', '100.00') + balance('CLBD', '162.00'),
    );
    const [s] = parseCamt053(xml);
    expect(s.lines.map((l) => [l.amountCents, l.bankReference, l.counterpartyName])).toEqual([
      [2000, 'BATCH-1/1', 'MARTIN'],
      [3000, 'BATCH-1/2', 'DURAND'],
      [1200, 'REV-1', null],
    ]);
    expect(s.lines[0].label).toContain('COTISATION MARTIN');
    expect(s.problems).toEqual([]);
  });

  it('rounds an amount written with more decimals than the currency has, and says so', () => {
    const [s] = parseCamt053(statement(entry('10.005', 'CRDT')));
    expect(s.lines[0].amountCents).toBe(1001);
    expect(s.problems[0]).toContain('rounded');
  });

  it('refuses what is not a camt.053 statement', () => {
    expect(() => parseCamt053('<html><body>no</body></html>')).toThrow(StatementFormatError);
    expect(() => parseCamt053('not xml at all <<<')).toThrow(StatementFormatError);
    expect(() =>
      parseCamt053(
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr/></BkToCstmrStmt></Document>',
      ),
    ).toThrow('no statement');
  });
});

describe('CAMT.053 malformed files and account identity', () => {
  const lined = (...entries: string[]) =>
    statement(entries.map((e) => `\n${e}`).join(''), `\n${balance('OPBD', '0.00')}`);
  const good = entry('1.00', 'CRDT', '', '<AcctSvcrRef>A1</AcctSvcrRef>');

  it.each([
    [
      'an unreadable amount',
      entry('1,O0', 'CRDT'),
      'Line 6: entry 2 of statement S1: "1,O0" is not an amount',
    ],
    [
      'no amount',
      entry('1.00', 'CRDT').replace('<Amt Ccy="EUR">1.00</Amt>', ''),
      'Line 6: entry 2 of statement S1: no amount',
    ],
    [
      'no credit/debit indicator',
      entry('1.00', 'CRDT').replace('<CdtDbtInd>CRDT</CdtDbtInd>', ''),
      'Line 6: entry 2 of statement S1: no credit/debit indicator',
    ],
    [
      'no date',
      entry('1.00', 'DBIT').replace(/<BookgDt>.*<\/ValDt>/, ''),
      'Line 6: entry 2 of statement S1: no booking date',
    ],
    [
      'a day that does not exist',
      entry('1.00', 'DBIT').replace('2026-03-02', '2026-02-30'),
      'Line 6: entry 2 of statement S1: the booking date "2026-02-30" is not a real day',
    ],
  ])('refuses the whole file for an entry with %s, naming its line', (_, bad, message) => {
    const xml = lined(good, bad, good.replace('A1', 'A3'));
    expect(() => parseCamt053(xml)).toThrow(StatementFormatError);
    expect(() => parseCamt053(xml)).toThrow(message);
  });

  it('names the line of an entry in the second statement and of a bad balance', () => {
    const two = statement(`\n${good}`).replace(
      '</Stmt>',
      `</Stmt>\n<Stmt><Id>S2</Id>\n${balance('CLBD', 'dix')}\n${good}</Stmt>`,
    );
    expect(() => parseCamt053(two)).toThrow(
      'Line 6: balance CLBD of statement S2: "dix" is not an amount',
    );
    const badEntry = statement(`\n${good}`).replace(
      '</Stmt>',
      `</Stmt>\n<Stmt><Id>S2</Id>\n${good}\n${entry('x', 'CRDT')}</Stmt>`,
    );
    expect(() => parseCamt053(badEntry)).toThrow(
      'Line 7: entry 2 of statement S2: "x" is not an amount',
    );
  });

  it('keeps pending entries out and rounded amounts as notes, not refusals', () => {
    const [s] = parseCamt053(
      lined(
        good,
        entry('zz', 'CRDT').replace('<Cd>BOOK</Cd>', '<Cd>PDNG</Cd>'),
        entry('2.005', 'CRDT'),
      ),
    );
    expect(s.lines.map((l) => l.amountCents)).toEqual([100, 201]);
    expect(s.problems).toEqual([
      "Line 7: entry 3 of statement S1: 2.005 EUR rounded to the currency's minor unit",
    ]);
  });

  it('refuses a truncated file, naming its last line and what is left open', () => {
    const xml = lined(good, good.replace('A1', 'A2'));
    const at = xml.lastIndexOf('<Ntry>');
    expect(() => parseCamt053(xml.slice(0, at + 30))).toThrow(StatementFormatError);
    expect(() => parseCamt053(xml.slice(0, at + 30))).toThrow(
      /^Line 6: the file ends before its elements are closed .*: it is cut short$/,
    );
    expect(() => parseCamt053(xml.slice(0, at + 25))).toThrow(
      'Line 6: the file ends before <Document>, <BkToCstmrStmt>, <Stmt>, <Ntry>, <Amt> are closed: it is cut short',
    );
    expect(() => parseCamt053(xml.replace('</Stmt>', '</Stmnt>'))).toThrow(
      /^Line 6: not well-formed XML/,
    );
  });

  it('reads the account of Acct/Id/Othr/Id: an IBAN as an IBAN, an account number as such', () => {
    const other = (id: string) =>
      statement(good).replace(
        '<IBAN>FR7630006000011234567890189</IBAN>',
        `<Othr><Id>${id}</Id></Othr>`,
      );
    expect(parseCamt053(other('NL26VAYB8060476890'))[0]).toMatchObject({
      iban: 'NL26VAYB8060476890',
      account: null,
    });
    expect(parseCamt053(other('0001234567 8'))[0]).toMatchObject({
      iban: null,
      account: { bankCode: null, branchCode: null, accountNumber: '0001234567 8', key: null },
    });
    expect(parseCamt053(other('Compte courant'))[0]).toMatchObject({ iban: null, account: null });
    expect(parseCamt053(statement(good))[0]).toMatchObject({ sourceLine: 3 });
  });
});

describe('amounts and line identity', () => {
  it('converts decimal text to minor units without floating point', () => {
    expect(decimalToMinor('0.10', 'EUR')).toEqual({ minor: 10, rounded: false });
    expect(decimalToMinor('1 234,56', 'EUR')).toEqual({ minor: 123456, rounded: false });
    expect(decimalToMinor('-8.855', 'EUR')).toEqual({ minor: -886, rounded: true });
    expect(decimalToMinor('2700', 'JPY')).toEqual({ minor: 2700, rounded: false });
    expect(decimalToMinor('1.234', 'KWD')).toEqual({ minor: 1234, rounded: false });
    expect(decimalToMinor('12,3,4', 'EUR')).toBeNull();
  });

  it('keys a line by the bank reference, or by its content and rank among identical lines', () => {
    const line = (
      amountCents: number,
      label: string,
      bankReference: string | null = null,
    ): ParsedLine => ({
      bookingDate: '2026-03-02',
      valueDate: null,
      amountCents,
      currency: 'EUR',
      label,
      bankReference,
      endToEndId: null,
      structuredReference: null,
      counterpartyName: null,
      counterpartyIban: null,
      bankTransactionCode: null,
    });
    const lines = [
      line(-250, 'Frais  tenue de compte'),
      line(-250, 'FRAIS TENUE DE COMPTE'),
      line(500, 'VIR', 'REF-9'),
    ];
    const first = lineKeys('FR76', lines);
    expect(first[2]).toBe('ref:REF-9');
    expect(first[0]).not.toBe(first[1]); // two identical fees the same day are two lines
    expect(lineKeys('FR76', lines)).toEqual(first); // the same file again: the same keys
    expect(lineKeys('FR76', [lines[1]])[0]).toBe(first[0]); // an overlapping file: the first one matches
    expect(lineKeys('FR77', lines)[0]).not.toBe(first[0]);
  });
});
