import iconv from 'iconv-lite';
import { formatCentsComma } from './amounts';
import { FEC_COLUMNS, FecValidator, fecFields, fecFileName, fecText, toLatin9, type FecLine } from './fec';

const line = (entryNumber: number, account: string, debitCents: number, creditCents: number, overrides: Partial<FecLine> = {}): FecLine => ({
  journalCode: 'BQ',
  journalLabel: 'Banque',
  entryNumber,
  entryDate: '2026-03-10',
  accountNumber: account,
  accountLabel: 'Compte',
  auxNumber: null,
  auxLabel: null,
  pieceRef: 'P1',
  pieceDate: '2026-03-10',
  label: 'Don',
  debitCents,
  creditCents,
  validDate: '2026-03-11',
  ...overrides,
});

describe('FEC', () => {
  it('has the 18 columns of article A47 A-1, in order', () => {
    expect(FEC_COLUMNS).toHaveLength(18);
    expect(FEC_COLUMNS.join('\t')).toBe(
      'JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise',
    );
  });

  it('formats dates, amounts, texts and the file name', () => {
    expect(formatCentsComma(123456)).toBe('1234,56');
    expect(formatCentsComma(7)).toBe('0,07');
    expect(fecText('Don\tde\r\nMme | X ')).toBe('Don de Mme X');
    expect(fecFileName('732 829 320', '2026-12-31')).toBe('732829320FEC20261231.txt');
    expect(fecFields(line(3, '5112', 10000, 0))).toEqual(['BQ', 'Banque', '3', '20260310', '5112', 'Compte', '', '', 'P1', '20260310', 'Don', '100,00', '0,00', '', '', '20260311', '', '']);
    // A line lettered by a bank reconciliation: EcritureLet and DateLet.
    expect(fecFields(line(3, '5121', 10000, 0, { letter: 'AB', letterDate: '2026-03-14' })).slice(13, 15)).toEqual(['AB', '20260314']);
  });

  it('transliterates for ISO-8859-15 only what it cannot hold', () => {
    const latin9 = 'Œuvre déjà payée 20 € — « Šárka » ½';
    expect(toLatin9('Cotisation 2026 : Élise Noël, 30 €')).toBe('Cotisation 2026 : Élise Noël, 30 €');
    expect(toLatin9('Don de l’Œuvre “Łódź” – voir… 🎉!')).toBe('Don de l\'Œuvre "Lódz" - voir... !');
    expect(toLatin9(latin9)).toBe('Œuvre déjà payée 20 € -- « Šárka » 1/2');
    // Whatever comes out encodes without a replacement character.
    const bytes = iconv.encode(toLatin9(`${latin9} ’ “ ł Ő ☃`), 'iso-8859-15');
    expect(iconv.decode(bytes, 'iso-8859-15')).not.toContain('?');
  });

  it('accepts a clean year', () => {
    const v = new FecValidator('2026-01-01', '2026-12-31');
    [line(1, '5112', 100, 0), line(1, '75411', 0, 100), line(2, '530', 50, 0), line(2, '7561', 0, 50)].forEach((l) => v.add(l));
    expect(v.finish()).toEqual([]);
    expect([v.entries, v.lines, v.debitCents, v.creditCents]).toEqual([2, 4, 150, 150]);
  });

  it('reports gaps, unbalanced and one-line entries, both sides, bad accounts, dates outside the year', () => {
    const v = new FecValidator('2026-01-01', '2026-12-31');
    [
      line(1, '5112', 100, 0),
      line(1, '75411', 0, 90),
      line(3, '5112', 10, 10),
      line(3, '51', 0, 0, { accountLabel: '' }),
      line(4, '530', 5, 0, { entryDate: '2027-01-01' }),
    ].forEach((l) => v.add(l));
    expect(v.finish().map((p) => [p.code, p.entryNumber])).toEqual([
      ['fec.unbalanced', 1],
      ['fec.numbering_gap', 3],
      ['fec.both_sides', 3],
      ['fec.account', 3],
      ['fec.date_outside_year', 4],
      ['fec.single_line', 4],
      ['fec.unbalanced', 4],
      ['fec.totals', undefined],
    ]);
  });

  it('starts at the number given when number 1 is kept for à-nouveaux not posted yet', () => {
    const kept = new FecValidator('2026-01-01', '2026-12-31', 2);
    [line(2, '5112', 100, 0), line(2, '75411', 0, 100), line(3, '5112', 5, 0), line(3, '75411', 0, 5)].forEach((l) => kept.add(l));
    expect(kept.finish()).toEqual([]);
    const missing = new FecValidator('2026-01-01', '2026-12-31');
    [line(2, '5112', 100, 0), line(2, '75411', 0, 100)].forEach((l) => missing.add(l));
    expect(missing.finish().map((p) => p.code)).toEqual(['fec.numbering_gap']);
  });
});
