// The typical trap: two members pay the same 30,00 € fee by transfer on the same day. Without a
// name or a reference on the bank side, nothing tells which is which: never applied crosswise.
import { DEFAULT_MATCHING, matchAll, type BankLineFacts, type Candidate } from '../matching';

const NAME_ALONE = { ...DEFAULT_MATCHING, applyOnNameAlone: true };

const transfer = (id: string, label: string, counterpartyName: string | null): BankLineFacts => ({
  id,
  bookingDate: '2026-09-15',
  valueDate: '2026-09-15',
  amountCents: 3_000,
  label,
  structuredReference: null,
  endToEndId: null,
  counterpartyName,
});
const fee = (id: string, name: string): Candidate => ({
  id,
  kind: 'expected_payment',
  date: '2026-09-15',
  amountCents: 3_000,
  references: [],
  name,
});
const fees = [fee('E-jean', 'Jean Dupré'), fee('E-marie', 'Marie Martin')];
const suggestions = (r: { proposals: { candidateIds: string[]; score: number }[] }) =>
  r.proposals.map((p) => [p.candidateIds[0], p.score]);

describe('scenario: two identical transfers on the same day', () => {
  it('applies neither when the bank names nobody: both items are suggested to both lines', () => {
    const results = matchAll(
      [transfer('L1', 'VIR SEPA COTISATION', null), transfer('L2', 'VIR SEPA COTISATION', null)],
      fees,
    );
    expect(results.map((r) => r.auto)).toEqual([null, null]);
    expect(results.map(suggestions)).toEqual([
      [
        ['E-jean', 65],
        ['E-marie', 65],
      ],
      [
        ['E-jean', 65],
        ['E-marie', 65],
      ],
    ]);
  });

  it('ranks each payer first when the bank names them, and applies them (names accepted), never crosswise', () => {
    const lines = [
      transfer('L1', 'VIR SEPA MME MARIE MARTIN COTIS', 'MME MARIE MARTIN'),
      transfer('L2', 'VIR SEPA M JEAN DUPRE COTIS', 'M JEAN DUPRE'),
    ];
    expect(matchAll(lines, fees).map((r) => [r.auto, r.proposals[0].candidateIds])).toEqual([
      [null, ['E-marie']],
      [null, ['E-jean']],
    ]);
    const results = matchAll(lines, fees, NAME_ALONE);
    expect(results.map((r) => r.auto?.candidateIds)).toEqual([['E-marie'], ['E-jean']]);
    expect(results.map(suggestions)).toEqual([
      [
        ['E-marie', 100],
        ['E-jean', 50],
      ],
      [
        ['E-jean', 100],
        ['E-marie', 50],
      ],
    ]);
    expect(results[0].proposals[1].reasons).toContain('other payer name');
  });

  it('applies the named one only: the other line could be anybody', () => {
    const results = matchAll(
      [transfer('L1', 'VIR SEPA M JEAN DUPRE', null), transfer('L2', 'VIREMENT RECU', null)],
      fees,
      NAME_ALONE,
    );
    expect(results.map((r) => r.auto?.candidateIds ?? null)).toEqual([['E-jean'], null]);
    expect(suggestions(results[1])).toEqual([
      ['E-jean', 65],
      ['E-marie', 65],
    ]);
  });
});
