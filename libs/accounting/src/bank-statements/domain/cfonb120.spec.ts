import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { looksLikeCfonb120, parseCfonb120 } from './cfonb120';
import { StatementFormatError } from './statement';

const FIXTURES = join(__dirname, '../../../../testing/fixtures/bank-statements');
const TWO_ACCOUNTS = readFileSync(join(FIXTURES, 'ruche_cfonb120_two-accounts.txt'));
const STREAM = readFileSync(join(FIXTURES, 'ruche_cfonb120_stream.txt'));
/** The fixture's records (line n is records[n - 1]). */
const RECORDS = TWO_ACCOUNTS.toString('latin1').split('\r\n').slice(0, -1);

/** A record with `text` written from 1-based position `pos`. */
const put = (record: string, pos: number, text: string) =>
  record.slice(0, pos - 1) + text + record.slice(pos - 1 + text.length);
const file = (records: string[]) => Buffer.from(records.join('\r\n') + '\r\n', 'latin1');

function failure(read: () => unknown): Error {
  try {
    read();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the file to be refused');
}

describe('CFONB 120 statements', () => {
  it('reads one statement per account block, with 05 complements and signed amounts', () => {
    const [a, b, ...more] = parseCfonb120(TWO_ACCOUNTS);
    expect(more).toEqual([]);
    expect(a).toMatchObject({
      format: 'cfonb120',
      version: null,
      statementId: 'cfonb:300040082300012345678:2026-03-31',
      iban: null,
      currency: 'EUR',
      openingBalanceCents: 150000,
      openingDate: '2026-02-28',
      closingBalanceCents: 30794,
      closingDate: '2026-03-31',
      problems: [],
    });
    expect(a.lines).toEqual([
      {
        bookingDate: '2026-03-02',
        valueDate: '2026-03-02',
        amountCents: 4500,
        currency: 'EUR',
        label: 'VIR SEPA RECU /DE MARTIN ELODIE /MOTIF COTISATION 2026 ADHERENT 0042',
        bankReference: null,
        endToEndId: 'COTIS-2026-0042',
        structuredReference: null,
        counterpartyName: 'MARTIN ELODIE',
        counterpartyIban: null,
        bankTransactionCode: '05',
      },
      {
        bookingDate: '2026-03-05',
        valueDate: '2026-03-04',
        amountCents: -123456,
        currency: 'EUR',
        label: 'PRLV SEPA EDF ECHEANCE MARS 2026',
        bankReference: '2026-03-05-0004567',
        endToEndId: null,
        structuredReference: 'PRLV-2026-03-EDF',
        counterpartyName: 'EDF SA',
        counterpartyIban: null,
        bankTransactionCode: '01',
      },
      {
        bookingDate: '2026-03-31',
        valueDate: '2026-03-31',
        amountCents: -250,
        currency: 'EUR',
        label: 'FRAIS TENUE DE COMPTE',
        bankReference: null,
        endToEndId: null,
        structuredReference: 'FR20260331',
        counterpartyName: null,
        counterpartyIban: null,
        bankTransactionCode: null,
      },
    ]);
    expect(b).toMatchObject({
      statementId: 'cfonb:300040082300098765432:2026-03-31',
      openingBalanceCents: -25000,
      openingDate: '2026-02-28',
      closingBalanceCents: 70000,
      closingDate: '2026-03-31',
      problems: [
        'Opening balance -25000 + movements 90001 = 65001, but the closing balance is 70000',
      ],
    });
    // No NPY or NBE complement: no name.
    expect(b.lines.map((l) => l.counterpartyName)).toEqual([null, null]);
    expect(
      b.lines.map((l) => [l.bookingDate, l.valueDate, l.amountCents, l.label, l.bankReference]),
    ).toEqual([
      [
        '2026-03-10',
        '2026-03-11',
        100000,
        'REMISE CHEQUES 2 CHQ BORDEREAU 0004512',
        '2026-03-10-0000045',
      ],
      // An entry number of zeros identifies nothing.
      ['2026-03-11', '2026-03-09', -9999, 'CARTE 09/03 LIBRAIRIE', null],
    ]);
  });

  it('reads the same records without line separators, and LF or trimmed lines', () => {
    expect(STREAM.includes('\n')).toBe(false);
    expect(parseCfonb120(STREAM)).toEqual(parseCfonb120(TWO_ACCOUNTS));
    const trimmed = Buffer.from(RECORDS.map((r) => r.trimEnd()).join('\n'), 'latin1');
    expect(parseCfonb120(trimmed)).toEqual(parseCfonb120(TWO_ACCOUNTS));
  });

  it('names the other party of a movement even when the bank gives one name only', () => {
    // The credit keeps its NPY only; the EDF debit's creditor is written as NPY (line 8), the
    // account holder's NPY (line 9) left out.
    const records = RECORDS.map((r, i) => (i === 7 ? put(r, 46, 'NPY') : r)).filter(
      (_r, i) => i !== 4 && i !== 8,
    );
    const [a] = parseCfonb120(file(records));
    expect(a.lines.map((l) => l.counterpartyName)).toEqual(['MARTIN ELODIE', 'EDF SA', null]);
  });

  it('applies the number of decimals of each record, exactly', () => {
    const block = (decimals: string, digits: string) => [
      put(RECORDS[0], 20, decimals),
      put(put(RECORDS[11], 20, decimals), 91, digits),
      put(RECORDS[12], 91, '0000000000000{'),
      // the 07 record says 2 decimals: the balance is checked in cents whatever each record uses
    ];
    // 3 decimals, the last one 0: 12.340 EUR = 1234 cents.
    const [three] = parseCfonb120(file(block('3', '0000000001234}')));
    expect(three.lines[0].amountCents).toBe(-1234);
    expect(three.openingBalanceCents).toBe(15000);
    // 0 decimals: 12 EUR = 1200 cents.
    const [none] = parseCfonb120(file(block('0', '0000000000001B')));
    expect(none.lines[0].amountCents).toBe(1200);
    // 3 decimals, the last one not 0: refused rather than rounded.
    const error = failure(() => parseCfonb120(file(block('3', '0000000001234E'))));
    expect(error).toBeInstanceOf(StatementFormatError);
    expect(error.message).toBe(
      'Line 2: the amount has 3 decimals, more than EUR keeps (2): it would lose precision',
    );
  });

  it.each([
    [
      'an amount without its sign character',
      () => file(RECORDS.map((r, i) => (i === 6 ? put(r, 104, 'X') : r))),
      'Line 7: the amount "0000000012345X" (positions 91-104) is not 13 digits and a sign character',
    ],
    [
      'a booking date that is no day',
      () => file(RECORDS.map((r, i) => (i === 1 ? put(r, 35, '310226') : r))),
      'Line 2: the booking date "310226" (positions 35-40) is not a real day',
    ],
    [
      'a value date that is no day',
      () => file(RECORDS.map((r, i) => (i === 14 ? put(r, 43, '001326') : r))),
      'Line 15: the value date "001326" (positions 43-48) is not a real day',
    ],
    [
      'a block left without its 07 record',
      () => file(RECORDS.slice(0, 17)),
      'Line 14: the block opened here has no 07 (new balance) record',
    ],
    [
      'a new block before the 07 record',
      () => file([...RECORDS.slice(0, 12), ...RECORDS.slice(13)]),
      'Line 13: a new 01 record while the block opened on line 1 has no 07',
    ],
    [
      'a 05 record before any 04',
      () => file([RECORDS[0], RECORDS[2], ...RECORDS.slice(12, 13)]),
      'Line 2: a 05 complement record with no 04 movement before it',
    ],
    [
      'a movement outside of a block',
      () => file([RECORDS[1], ...RECORDS.slice(0, 13)]),
      'Line 1: a 04 record outside of a block',
    ],
    [
      'an unknown record code',
      () => file(RECORDS.map((r, i) => (i === 3 ? put(r, 1, '03') : r))),
      'Line 4: unknown record code "03"',
    ],
    [
      'a movement of another account',
      () => file(RECORDS.map((r, i) => (i === 11 ? put(r, 22, '00098765432') : r))),
      'Line 12: account "00098765432" differs from the block\'s account "00012345678" (line 1)',
    ],
    [
      'a line longer than 120 characters',
      () => file(RECORDS.map((r, i) => (i === 4 ? `${r}  X` : r))),
      'Line 5: 123 characters, a CFONB 120 record has 120',
    ],
    [
      'a stream cut in the middle of a record',
      () => STREAM.subarray(0, STREAM.length - 30),
      'Line 18: the file is 2130 characters long, not a whole number of 120-character records',
    ],
    [
      'a balance with a bad date',
      () => file(RECORDS.map((r, i) => (i === 12 ? put(r, 35, '310426') : r))),
      'Line 13: the new balance date "310426" (positions 35-40) is not a real day',
    ],
  ])('refuses the whole file for %s', (_what, bytes, message) => {
    const error = failure(() => parseCfonb120(bytes()));
    expect(error).toBeInstanceOf(StatementFormatError);
    expect(error.message).toContain(message);
  });

  it('gives each statement its account (bank, branch, account number) and its first line', () => {
    const [a, b] = parseCfonb120(TWO_ACCOUNTS);
    expect([a, b].map((s) => [s.iban, s.account, s.sourceLine])).toEqual([
      [
        null,
        { bankCode: '30004', branchCode: '00823', accountNumber: '00012345678', key: null },
        1,
      ],
      [
        null,
        { bankCode: '30004', branchCode: '00823', accountNumber: '00098765432', key: null },
        14,
      ],
    ]);
  });

  it('recognizes CFONB 120 by its first record, with or without line separators', () => {
    expect(looksLikeCfonb120(TWO_ACCOUNTS.toString('latin1'))).toBe(true);
    expect(looksLikeCfonb120(STREAM.subarray(0, 4096).toString('latin1'))).toBe(true);
    expect(looksLikeCfonb120(readFileSync(join(FIXTURES, 'ruche_us-quicken.qif'), 'latin1'))).toBe(
      false,
    );
    expect(looksLikeCfonb120('01/03/2026;VIR;12,50\r\n')).toBe(false);
    expect(looksLikeCfonb120(`${'X'.repeat(120)}`)).toBe(false);
  });
});
