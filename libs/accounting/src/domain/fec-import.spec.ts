import { decodeFec, fecAmountToCents, fecDateToIso, groupFecEntries, parseFecText } from './fec-import';

const latin9 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('FEC import parsing', () => {
  it.each([
    ['20260115', '2026-01-15'],
    ['2026-01-15', '2026-01-15'],
    ['15/01/2026', '2026-01-15'],
    ['20260230', null],
    ['2026115', null],
  ])('reads the date %p as %p', (input, expected) => {
    expect(fecDateToIso(input)).toBe(expected);
  });

  it.each([
    ['1234,56', 123456],
    ['1234.56', 123456],
    ['0001234,5', 123450],
    ['1 234,56', 123456],
    ['-12,00', -1200],
    ['', 0],
    ['12,345', null],
    ['douze', null],
  ])('reads the amount %p as %p cents', (input, expected) => {
    expect(fecAmountToCents(input)).toBe(expected);
  });

  it('decodes UTF-8 (with or without BOM) and falls back to ISO-8859-15', () => {
    expect(decodeFec(Buffer.from('\ufeffé', 'utf8'), latin9)).toEqual({ text: 'é', encoding: 'utf-8' });
    expect(decodeFec(Buffer.from('é', 'utf8'), latin9)).toEqual({ text: 'é', encoding: 'utf-8' });
    expect(decodeFec(Buffer.from([0xe9]), latin9)).toEqual({ text: 'é', encoding: 'iso-8859-15' });
  });

  it('accepts the 22-column variant and ignores the extra columns', () => {
    const header = 'JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\tDateRglt\tModeRglt\tNatOp\tIdClient';
    const line = (account: string, debit: string, credit: string) => `BQ\tBanque\t7\t20260301\t${account}\tX\t\t\tP7\t20260301\tVirement\t${debit}\t${credit}\t\t\t20260301\t\t\t20260301\tVIR\t\t`;
    const parsed = parseFecText([header, line('512000', '10,00', '0,00'), line('706000', '0,00', '10,00')].join('\n'), 'utf-8');
    expect(parsed.problems).toEqual([]);
    const { entries, problems } = groupFecEntries(parsed.lines);
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.lines.map((l) => [l.accountNumber, l.debitCents, l.creditCents])).toEqual([
      ['512000', 1000, 0],
      ['706000', 0, 1000],
    ]);
  });

  it('refuses a file without the FEC columns', () => {
    expect(parseFecText('date;montant\n', 'utf-8').problems[0]).toMatchObject({ line: 1, code: 'fec.header' });
  });
});
