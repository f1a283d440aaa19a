import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCamt053 } from './camt053';
import { decimalToMinor } from './amounts';
import { StatementFormatError, lineKeys, type ParsedLine } from './statement';

const TESTDATA = join(__dirname, '../../../../testing/fixtures/bank-statements');
const file = (name: string) => readFileSync(join(TESTDATA, `genkgo-camt_camt053.${name}.xml`));
/** What the genkgo/camt library (PHP) reads in the same files: its entries' signed minor amounts and booking days. */
const expected = (name: string) =>
  (
    JSON.parse(readFileSync(join(TESTDATA, `genkgo-camt_camt053.${name}.json`), 'utf8')) as {
      getEntries: { getAmount: { getAmount: string }; getBookingDate: { 0: string } }[];
    }
  ).getEntries.map((e) => ({
    amountCents: Number(e.getAmount.getAmount),
    bookingDate: e.getBookingDate[0].slice(0, 10),
  }));

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
    const first = statements.flatMap((s) => s.lines);
    for (const e of expected(name))
      expect(first).toContainEqual(
        expect.objectContaining({ amountCents: e.amountCents, bookingDate: e.bookingDate }),
      );
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
