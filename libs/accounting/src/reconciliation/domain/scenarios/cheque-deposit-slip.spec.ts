// A cheque deposit slip: one bank credit for the slip total, found by the slip number the bank
// prints, even when another slip of the same total is waiting in the same days.
import { matchAll, type BankLineFacts, type Candidate } from '../matching';

const TOTAL = 13_500;
const credit = (id: string, bookingDate: string, label: string): BankLineFacts => ({
  id,
  bookingDate,
  valueDate: null,
  amountCents: TOTAL,
  label,
  structuredReference: null,
  endToEndId: null,
  counterpartyName: null,
});
const slip = (id: string, date: string, number: string): Candidate => ({
  id,
  kind: 'cheque_deposit',
  date,
  amountCents: TOTAL,
  references: [number],
  name: null,
});

describe('scenario: cheque deposit slips', () => {
  const slips = [slip('S123', '2026-03-10', '000123'), slip('S124', '2026-03-11', '000124')];

  it('applies each slip by its number, the other slip of the same total being lowered', () => {
    const results = matchAll(
      [
        credit('L1', '2026-03-12', 'REMISE CHEQUES 000123'),
        credit('L2', '2026-03-13', 'REM CHQ N°000124'),
      ],
      slips,
    );
    expect(results.map((r) => r.auto?.candidateIds)).toEqual([['S123'], ['S124']]);
    expect(
      results.map((r) => r.proposals.map((p) => [p.candidateIds[0], p.score, p.reasons])),
    ).toEqual([
      [
        ['S123', 95, ['amount equal', '2 day(s) apart', 'reference 000123']],
        ['S124', 20, ['amount equal', '1 day(s) apart', 'reference of S123']],
      ],
      [
        ['S124', 95, ['amount equal', '2 day(s) apart', 'reference 000124']],
        ['S123', 15, ['amount equal', '3 day(s) apart', 'reference of S124']],
      ],
    ]);
  });

  it('only suggests when the number is glued to other letters or missing', () => {
    const results = matchAll(
      [credit('L1', '2026-03-12', 'REMCHQ000123'), credit('L2', '2026-03-13', 'REMISE DE CHEQUES')],
      slips,
    );
    expect(results.map((r) => r.auto)).toEqual([null, null]);
    expect(results.map((r) => r.proposals.map((p) => [p.candidateIds[0], p.score]))).toEqual([
      [
        ['S124', 60],
        ['S123', 60],
      ],
      [
        ['S124', 60],
        ['S123', 55],
      ],
    ]);
  });
});
