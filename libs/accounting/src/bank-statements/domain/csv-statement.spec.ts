import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { csvAmount, guessCsvMapping, parseCsvStatement, type CsvMapping } from './csv-statement';
import { StatementFormatError } from './statement';

const FIXTURES = join(__dirname, '../../../../testing/fixtures/bank-statements');
const FRENCH = readFileSync(join(FIXTURES, 'ruche_banque-fr_iso-8859-15.csv'));
const ONLINE = readFileSync(join(FIXTURES, 'ruche_utf8-bom_montant.csv'));

const FRENCH_MAPPING: CsvMapping = {
  delimiter: ';',
  encoding: 'iso-8859-15',
  decimalSeparator: ',',
  dateFormat: 'DD/MM/YYYY',
  skipLines: 2,
  hasHeader: true,
  bookingDate: 'Date opération',
  valueDate: 'Date valeur',
  label: 'Libellé',
  extraLabel: null,
  amount: null,
  debit: 'Débit',
  credit: 'Crédit',
  reference: null,
  counterparty: null,
  currency: 'EUR',
};

/** The French fixture with line `n` (1-based) replaced. */
function frenchWith(n: number, line: string): Buffer {
  const lines = iconv.decode(FRENCH, 'iso-8859-15').split('\r\n');
  lines[n - 1] = line;
  return iconv.encode(lines.join('\r\n'), 'iso-8859-15');
}

function failure(read: () => unknown): Error {
  try {
    read();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the file to be refused');
}

describe('CSV statements', () => {
  it('guesses the mapping of a French bank export: ISO-8859-15, ";", banners, Débit/Crédit', () => {
    const guess = guessCsvMapping(FRENCH);
    expect(guess.mapping).toEqual(FRENCH_MAPPING);
    expect(guess.headers).toEqual([
      'Date opération',
      'Date valeur',
      'Libellé',
      'Débit',
      'Crédit',
      'Solde',
    ]);
    expect(guess.sample[0]).toEqual([
      '02/03/2026',
      '02/03/2026',
      'VIR SEPA COTISATION ÉLODIE MARTIN',
      '',
      '45,00',
      '1 545,00',
    ]);
  });

  it('reads the French export: decoded accents and €, debits out, totals and balances skipped', () => {
    const [s, ...more] = parseCsvStatement(FRENCH, FRENCH_MAPPING);
    expect(more).toEqual([]);
    expect(s).toMatchObject({
      format: 'csv',
      version: null,
      statementId: null,
      iban: null,
      currency: 'EUR',
      openingBalanceCents: null,
      closingBalanceCents: null,
      openingDate: '2026-03-02',
      closingDate: '2026-03-31',
      problems: [
        'Line 11: balance or total row skipped ("Total des opérations 1 249,36 1 395,00")',
      ],
    });
    expect(s.lines.map((l) => [l.bookingDate, l.valueDate, l.amountCents, l.label])).toEqual([
      ['2026-03-02', '2026-03-02', 4500, 'VIR SEPA COTISATION ÉLODIE MARTIN'],
      ['2026-03-05', '2026-03-04', -123456, 'PRLV SEPA ÉLECTRICITÉ DE FRANCE ÉCHÉANCE MARS'],
      ['2026-03-10', '2026-03-10', 125000, 'REMISE CHÈQUES N° 0004512'],
      ['2026-03-15', '2026-03-15', -250, 'FRAIS TENUE DE COMPTE 2,50 €'],
      ['2026-03-20', '2026-03-21', 10000, "VIR DON ŒUVRE « LES P'TITS CŒURS »"],
      ['2026-03-31', '2026-03-31', -1230, 'CARTE 30/03 BOULANGERIE DU MARCHÉ'],
    ]);
    expect(
      s.lines.every(
        (l) =>
          l.currency === 'EUR' &&
          l.bankReference === null &&
          l.counterpartyName === null &&
          l.endToEndId === null,
      ),
    ).toBe(true);
  });

  it('guesses and reads a UTF-8 export with BOM: ",", ISO dates, one signed Montant column', () => {
    const guess = guessCsvMapping(ONLINE);
    expect(guess.mapping).toEqual({
      delimiter: ',',
      encoding: 'utf-8',
      decimalSeparator: '.',
      dateFormat: 'YYYY-MM-DD',
      skipLines: 0,
      hasHeader: true,
      bookingDate: 'Date',
      valueDate: 'Date de valeur',
      label: 'Libellé',
      extraLabel: null,
      amount: 'Montant',
      debit: null,
      credit: null,
      reference: 'Référence',
      counterparty: null,
      currency: 'EUR',
    });
    const [s] = parseCsvStatement(ONLINE, guess.mapping as CsvMapping);
    expect(
      s.lines.map((l) => [l.bookingDate, l.valueDate, l.amountCents, l.label, l.bankReference]),
    ).toEqual([
      [
        '2026-03-02',
        '2026-03-02',
        2500,
        'Virement reçu de Zoé Lefèvre, cotisation 2026',
        'TXN-0001',
      ],
      ['2026-03-03', '2026-03-04', -31240, 'Prélèvement assurance "MAIF"', 'TXN-0002'],
      [
        '2026-03-09',
        '2026-03-09',
        -750,
        'Paiement carte Café de l’Œil – 3 cafés à 2.50 €',
        'TXN-0003',
      ],
      ['2026-03-12', '2026-03-13', 150000, 'Subvention mairie', 'TXN-0004'],
    ]);
    expect(s).toMatchObject({ openingDate: '2026-03-02', closingDate: '2026-03-12', problems: [] });
  });

  it('reads a file without header by column numbers, with a second label and a counterparty', () => {
    const bytes = Buffer.from(
      '28/02/26\tCB\tLa Poste\t"timbres\r\net enveloppes"\t−8.40\r\n01/03/26\tVIR\tMairie\t\t+300\r\n',
      'utf8',
    );
    const [s] = parseCsvStatement(bytes, {
      delimiter: '\t',
      encoding: 'utf-8',
      decimalSeparator: '.',
      dateFormat: 'DD/MM/YY',
      skipLines: 0,
      hasHeader: false,
      bookingDate: '1',
      label: '2',
      extraLabel: '4',
      amount: '5',
      counterparty: '3',
      currency: 'eur',
    });
    expect(s.lines).toMatchObject([
      {
        bookingDate: '2026-02-28',
        valueDate: null,
        amountCents: -840,
        currency: 'EUR',
        label: 'CB / timbres et enveloppes',
        counterpartyName: 'La Poste',
      },
      { bookingDate: '2026-03-01', amountCents: 30000, label: 'VIR', counterpartyName: 'Mairie' },
    ]);
  });

  it('reads amounts per the decimal separator, without rounding', () => {
    expect(csvAmount('1 234,56', ',', 'EUR')).toBe(123456);
    expect(csvAmount('1\u00a0234,56', ',', 'EUR')).toBe(123456);
    expect(csvAmount('1\u202f234\u202f567,8', ',', 'EUR')).toBe(123456780);
    expect(csvAmount('1.234,56', ',', 'EUR')).toBe(123456);
    expect(csvAmount('-12,50', ',', 'EUR')).toBe(-1250);
    expect(csvAmount('12,50-', ',', 'EUR')).toBe(-1250);
    expect(csvAmount('(12,50)', ',', 'EUR')).toBe(-1250);
    expect(csvAmount('+3,00 €', ',', 'EUR')).toBe(300);
    expect(csvAmount('1,234.56', '.', 'EUR')).toBe(123456);
    expect(csvAmount('0.5', '.', 'EUR')).toBe(50);
    expect(csvAmount('12,500', ',', 'EUR')).toBe(1250);
    expect(csvAmount('  ', ',', 'EUR')).toBeUndefined();
    expect(csvAmount('12,345', ',', 'EUR')).toBeNull();
    expect(csvAmount('12,50', '.', 'EUR')).toBeNull();
    expect(csvAmount('1.23.4', ',', 'EUR')).toBeNull();
    expect(csvAmount('12,3x', ',', 'EUR')).toBeNull();
  });

  it.each([
    [
      'a date that is no day',
      () => parseCsvStatement(frenchWith(6, '31/02/2026;10/03/2026;X;;1,00;'), FRENCH_MAPPING),
      'Line 6: the date "31/02/2026" in column "Date opération" is not a real day in the format DD/MM/YYYY',
    ],
    [
      'a value date in another format',
      () => parseCsvStatement(frenchWith(5, '05/03/2026;2026-03-04;X;1,00;;'), FRENCH_MAPPING),
      'Line 5: the date "2026-03-04" in column "Date valeur" is not a real day',
    ],
    [
      'an amount that is not a number',
      () => parseCsvStatement(frenchWith(7, '15/03/2026;15/03/2026;X;12,3x;;'), FRENCH_MAPPING),
      'Line 7: the amount "12,3x" in column "Débit" is not a number',
    ],
    [
      'a dated row without amount',
      () => parseCsvStatement(frenchWith(8, '20/03/2026;21/03/2026;X;;;'), FRENCH_MAPPING),
      'Line 8: no amount in "Débit" or "Crédit"',
    ],
    [
      'a row with both a debit and a credit',
      () => parseCsvStatement(frenchWith(8, '20/03/2026;21/03/2026;X;1,00;2,00;'), FRENCH_MAPPING),
      'Line 8: both "Débit" and "Crédit" hold an amount',
    ],
    [
      'an amount without a date',
      () => parseCsvStatement(frenchWith(9, ';;CARTE;12,30;;'), FRENCH_MAPPING),
      'Line 9: an amount but no booking date in column "Date opération"',
    ],
    [
      'a row shorter than the mapping',
      () => parseCsvStatement(frenchWith(9, '31/03/2026;31/03/2026;CARTE;12,30'), FRENCH_MAPPING),
      'Line 9: column "Crédit" is missing (the row has 4 fields)',
    ],
    [
      'a column the header does not have',
      () => parseCsvStatement(FRENCH, { ...FRENCH_MAPPING, debit: 'Débit TTC' }),
      'The mapping does not fit this file: column "Débit TTC" not found in the header on line 3 (columns: Date opération, Date valeur, Libellé, Débit, Crédit, Solde)',
    ],
    [
      'banner lines not skipped',
      () => parseCsvStatement(FRENCH, { ...FRENCH_MAPPING, skipLines: 0 }),
      'The mapping does not fit this file: column "Date opération" not found in the header on line 1',
    ],
    [
      'a file that is not in the mapping encoding',
      () => parseCsvStatement(FRENCH, { ...FRENCH_MAPPING, encoding: 'utf-8' }),
      'Line 1: the file is not UTF-8 as the mapping says',
    ],
    [
      'a reference that repeats',
      () =>
        parseCsvStatement(
          Buffer.from('Date;Libellé;Montant;Réf\n01/03/2026;A;1,00;R1\n02/03/2026;B;2,00;R1\n'),
          {
            ...FRENCH_MAPPING,
            skipLines: 0,
            debit: null,
            credit: null,
            valueDate: null,
            amount: 'Montant',
            reference: 'Réf',
            bookingDate: 'Date',
            encoding: 'utf-8',
          },
        ),
      'Line 3: the reference "R1" in column "Réf" is already on line 2',
    ],
    [
      'a column number beyond the row',
      () =>
        parseCsvStatement(Buffer.from('01/03/2026,A,1.00\n'), {
          ...FRENCH_MAPPING,
          delimiter: ',',
          encoding: 'utf-8',
          decimalSeparator: '.',
          skipLines: 0,
          hasHeader: false,
          bookingDate: '1',
          valueDate: null,
          label: '2',
          debit: null,
          credit: null,
          amount: '5',
        }),
      'Line 1: column "5" is missing (the row has 3 fields)',
    ],
    [
      'more banner lines to skip than the file has',
      () => parseCsvStatement(FRENCH, { ...FRENCH_MAPPING, skipLines: 20 }),
      'The mapping does not fit this file: no header row after the 20 skipped lines',
    ],
    [
      'a header and no line',
      () =>
        parseCsvStatement(
          iconv.encode(
            'x\r\ny\r\nDate opération;Date valeur;Libellé;Débit;Crédit\r\n',
            'iso-8859-15',
          ),
          FRENCH_MAPPING,
        ),
      'The file holds no statement line',
    ],
  ])('refuses the whole file for %s', (_what, read, message) => {
    const error = failure(read);
    expect(error).toBeInstanceOf(StatementFormatError);
    expect(error.message).toContain(message);
  });

  it('names the file line of a row after a label written over two lines', () => {
    const bytes = Buffer.from(
      'Relevé\nDate;Libellé;Montant\n01/03/2026;"VIR\nSUITE";1,00\n\n02/03/2026;X;1,0y\n',
    );
    const mapping = { ...FRENCH_MAPPING, skipLines: 1, encoding: 'utf-8' as const };
    const read = () =>
      parseCsvStatement(bytes, {
        ...mapping,
        bookingDate: 'Date',
        valueDate: null,
        label: 'Libellé',
        debit: null,
        credit: null,
        amount: 'Montant',
      });
    expect(failure(read).message).toBe(
      'Line 6: the amount "1,0y" in column "Montant" is not a number (decimal separator ",", at most the decimals EUR keeps)',
    );
  });

  it('gives no mapping when it cannot find one, but the rows it saw', () => {
    const people = guessCsvMapping(Buffer.from('Nom;Prénom;Email\nMartin;Élodie;e@example.org\n'));
    expect(people).toEqual({
      mapping: null,
      headers: [],
      sample: [
        ['Nom', 'Prénom', 'Email'],
        ['Martin', 'Élodie', 'e@example.org'],
      ],
    });
    const noAmount = guessCsvMapping(Buffer.from('Date;Libellé;Solde\n01/03/2026;X;12,00\n'));
    expect(noAmount.mapping).toBeNull();
    expect(noAmount.headers).toEqual(['Date', 'Libellé', 'Solde']);
    const badDates = guessCsvMapping(Buffer.from('Date;Libellé;Montant\n2026/03/01;X;12,00\n'));
    expect(badDates.mapping).toBeNull();
  });

  it('guesses month-first dates, Windows-1252 and English headers', () => {
    const bytes = iconv.encode(
      'Transaction Date,Description,Debit,Credit\r\n03/15/2026,Caf\u00e9 \u20ac,4.50,\r\n03/16/2026,Refund,,4.50\r\n',
      'win1252',
    );
    const { mapping } = guessCsvMapping(bytes);
    expect(mapping).toMatchObject({
      delimiter: ',',
      encoding: 'windows-1252',
      decimalSeparator: '.',
      dateFormat: 'MM/DD/YYYY',
      bookingDate: 'Transaction Date',
      label: 'Description',
      debit: 'Debit',
      credit: 'Credit',
    });
    const [s] = parseCsvStatement(bytes, mapping as CsvMapping);
    expect(s.lines.map((l) => [l.bookingDate, l.amountCents, l.label])).toEqual([
      ['2026-03-15', -450, 'Café €'],
      ['2026-03-16', 450, 'Refund'],
    ]);
  });
});
