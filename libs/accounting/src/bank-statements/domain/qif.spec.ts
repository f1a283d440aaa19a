import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { looksLikeQif, parseQif, qifAmount } from './qif';
import { StatementFormatError } from './statement';

const FIXTURES = join(__dirname, '../../../../testing/fixtures/bank-statements');
const qif = (text: string) => Buffer.from(text, 'utf8');

/** The error a reader throws, for its class and message. */
function failure(read: () => unknown): Error {
  try {
    read();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the file to be refused');
}

describe('QIF statements', () => {
  it('reads a French bank QIF in Windows-1252: day-first dates, decimal comma, accents', () => {
    const bytes = readFileSync(join(FIXTURES, 'ruche_banque-fr_win1252.qif'));
    expect(looksLikeQif(bytes.toString('latin1'))).toBe(true);
    const [s, ...more] = parseQif(bytes);
    expect(more).toEqual([]);
    expect(s).toMatchObject({
      format: 'qif',
      version: null,
      statementId: null,
      iban: null,
      currency: 'EUR',
      openingBalanceCents: null,
      closingBalanceCents: null,
      openingDate: '2026-03-02',
      closingDate: '2026-03-20',
      problems: [],
    });
    expect(s.lines.map((l) => [l.bookingDate, l.amountCents, l.label, l.counterpartyName])).toEqual(
      [
        [
          '2026-03-02',
          4500,
          'Cotisation Élodie Martin / cotisation annuelle',
          'Cotisation Élodie Martin',
        ],
        ['2026-03-05', -123456, 'Électricité de France / facture de mars', 'Électricité de France'],
        ['2026-03-15', -8000, 'Librairie du Marché / chèque 0004513', 'Librairie du Marché'],
        ['2026-03-20', 125000, 'Remise chèques', 'Remise chèques'],
      ],
    );
    expect(s.lines[2]).toMatchObject({ bankTransactionCode: 'CHECK', bankReference: null });
    expect(s.lines.every((l) => l.valueDate === null && l.currency === 'EUR')).toBe(true);
  });

  it('reads a US Quicken export: month-first dates detected, the opening balance record', () => {
    const [s] = parseQif(readFileSync(join(FIXTURES, 'ruche_us-quicken.qif')), {
      currency: 'USD',
    });
    expect(s).toMatchObject({
      statementId: 'qif:Checking',
      currency: 'USD',
      openingBalanceCents: 100000,
      openingDate: '2026-01-01',
      closingBalanceCents: null,
      closingDate: '2026-02-03',
      problems: [],
    });
    expect(
      s.lines.map((l) => [l.bookingDate, l.amountCents, l.label, l.bankTransactionCode]),
    ).toEqual([
      ['2026-01-15', -123456, 'Acme Rentals / January rent / chèque 1042', 'CHECK'],
      ['2026-01-31', 250000, 'Payroll', null],
      ['2026-02-03', -4500, 'Cash withdrawal', 'ATM'],
    ]);
  });

  it('reads day-first by default, says so when no date tells, and follows dateOrder', () => {
    const text = '!Type:Bank\nD03/04/2026\nT-10.00\nPA\n^\nD05/04/2026\nT20\nPB\n^\n';
    const [dmy] = parseQif(qif(text));
    expect(dmy.lines.map((l) => l.bookingDate)).toEqual(['2026-04-03', '2026-04-05']);
    expect(dmy.problems).toEqual([
      'Dates read as day/month/year: no date of the file has a day above 12 to tell the order',
    ]);
    const [mdy] = parseQif(qif(text), { dateOrder: 'mdy' });
    expect(mdy.lines.map((l) => l.bookingDate)).toEqual(['2026-03-04', '2026-05-04']);
    expect(mdy.problems).toEqual([]);
    // Two-digit years: 20YY, and 19YY from 70 on without Quicken's apostrophe; ISO dates too.
    const [years] = parseQif(
      qif('!Type:Bank\nD25/12/98\nT1\n^\nD25/12/26\nT1\n^\nD2026-12-24\nT1\n^\n'),
    );
    expect(years.lines.map((l) => l.bookingDate)).toEqual([
      '1998-12-25',
      '2026-12-25',
      '2026-12-24',
    ]);
    expect(years.openingDate).toBe('1998-12-25');
  });

  it('decides each amount by its separators', () => {
    expect(qifAmount('1,234.56', 'EUR')).toBe(123456);
    expect(qifAmount('1.234,56', 'EUR')).toBe(123456);
    expect(qifAmount('1234,56', 'EUR')).toBe(123456);
    expect(qifAmount('-12,50', 'EUR')).toBe(-1250);
    expect(qifAmount('-12,5', 'EUR')).toBe(-1250);
    expect(qifAmount('1,234', 'EUR')).toBe(123400);
    expect(qifAmount('1,234,567.8', 'EUR')).toBe(123456780);
    expect(qifAmount('1.234.567', 'EUR')).toBe(123456700);
    expect(qifAmount('+7', 'EUR')).toBe(700);
    expect(qifAmount('0.10', 'EUR')).toBe(10);
    expect(qifAmount('12.500', 'EUR')).toBe(1250);
    expect(qifAmount('1 234,56', 'EUR')).toBe(123456);
    expect(qifAmount('1500', 'JPY')).toBe(1500);
    // Refused: would lose precision, bad grouping, not a number.
    expect(qifAmount('12.345', 'EUR')).toBeNull();
    expect(qifAmount('12,34,5', 'EUR')).toBeNull();
    expect(qifAmount('12,3x', 'EUR')).toBeNull();
    expect(qifAmount('', 'EUR')).toBeNull();
  });

  it('skips lists that are not movements and reads every movement section', () => {
    const text = [
      '!Type:Cat',
      'NCotisations',
      'I',
      '^',
      '!Type:Bank',
      'D01/02/2026',
      'T10,00',
      'PDon',
      '^',
      '!Type:CCard',
      'D14/02/2026',
      'T-3,20',
      'MTimbres',
      // the last record, left without "^"
    ].join('\r\n');
    const [bank, card] = parseQif(qif(text));
    expect(bank.problems).toEqual(['Line 1: "!Type:Cat" list skipped']);
    expect(bank.lines).toMatchObject([
      { bookingDate: '2026-02-01', amountCents: 1000, label: 'Don' },
    ]);
    expect(card.lines).toMatchObject([
      { bookingDate: '2026-02-14', amountCents: -320, label: 'Timbres', counterpartyName: null },
    ]);
  });

  it.each([
    [
      'an amount that is not a number',
      '!Type:Bank\nD01/02/2026\nT1\n^\nD02/02/2026\nT12,3x\n^\n',
      'Line 6: the amount "12,3x" is not a number',
    ],
    [
      'a date that is no day',
      '!Type:Bank\nD01/02/2026\nT1\n^\nD31/02/2026\nT1\n^\n',
      'Line 5: the date "31/02/2026" is not a real day (read as day/month/year)',
    ],
    [
      'dates that fit no single order',
      '!Type:Bank\nD13/01/2026\nT1\n^\nD01/13/2026\nT1\n^\n',
      'Line 5: the date "01/13/2026" is not a real day',
    ],
    [
      'a date that is not a date',
      '!Type:Bank\nDyesterday\nT1\n^\n',
      'Line 2: the date "yesterday" is not a date',
    ],
    [
      'a transaction without amount',
      '!Type:Bank\nD01/02/2026\nT1\n^\nPNo amount\nD02/02/2026\n^\n',
      'Line 5: the transaction starting here has no amount',
    ],
    [
      'a transaction without date',
      '!Type:Bank\n\nT1\nPX\n^\n',
      'Line 3: the transaction starting here has no date',
    ],
    ['a CSV file', 'Date;Libellé;Montant\n01/02/2026;X;1\n', 'Line 1: not a QIF file'],
    [
      'an unknown header',
      '!Type:Bank\nD01/02/2026\nT1\n^\n!Whatever\n',
      'Line 5: unknown QIF header',
    ],
    [
      'only investment lists',
      '!Type:Invst\nD01/02/2026\nNBuy\nT1\n^\n',
      'The QIF file holds no bank movements (Line 1: "!Type:Invst" list skipped)',
    ],
    ['no transaction at all', '!Type:Bank\n', 'The QIF file holds no transaction'],
  ])('refuses the whole file for %s', (_what, text, message) => {
    const error = failure(() => parseQif(qif(text)));
    expect(error).toBeInstanceOf(StatementFormatError);
    expect(error.message).toContain(message);
  });

  it('recognizes a QIF by its header', () => {
    expect(looksLikeQif('\uFEFF\r\n!Type:Bank\r\nD01/02/2026')).toBe(true);
    expect(looksLikeQif('!Account\nNChecking')).toBe(true);
    expect(looksLikeQif('!Option:AutoSwitch\n')).toBe(true);
    expect(looksLikeQif('Date;Libellé;Montant\n')).toBe(false);
    expect(looksLikeQif('OFXHEADER:100\n')).toBe(false);
  });
});
