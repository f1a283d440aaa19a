// The treasurer rejects a proposal for a bank line: it is never proposed (nor applied) again
// for that line, while it stays a candidate for the other lines. The rejected item still
// counts as an item of the amount: the one left is not "the only item" and waits.
import { matchAll, proposalKey, type BankLineFacts, type Candidate } from '../matching';

const credit = (id: string, bookingDate: string): BankLineFacts => ({
  id,
  bookingDate,
  valueDate: null,
  amountCents: 12_000,
  label: 'REMISE CHEQUES',
  structuredReference: null,
  endToEndId: null,
  counterpartyName: null,
});
const ledger = (id: string, date: string): Candidate => ({
  id,
  kind: 'ledger_line',
  date,
  amountCents: 12_000,
  references: [],
  name: null,
});
const part = (id: string, amountCents: number): Candidate => ({
  ...ledger(id, '2026-05-04'),
  amountCents,
});

describe('scenario: a rejected proposal', () => {
  it('is not proposed again for that line, and not applied', () => {
    const lines = [credit('L1', '2026-05-04')];
    const candidates = [ledger('A:1', '2026-05-04')];
    expect(matchAll(lines, candidates)[0].auto?.candidateIds).toEqual(['A:1']);
    const rejected = new Map([['L1', new Set([proposalKey(['A:1'])])]]);
    const [result] = matchAll(lines, candidates, {
      windowDays: 5,
      autoThreshold: 90,
      maxGroupSize: 4,
      maxGroupCandidates: 20,
      rejected,
    });
    expect(result).toEqual({ lineId: 'L1', proposals: [], auto: null });
  });

  it('stays a candidate of the other lines', () => {
    const lines = [credit('L1', '2026-05-04'), credit('L2', '2026-05-20')];
    const candidates = [ledger('A:1', '2026-05-04'), ledger('B:1', '2026-05-20')];
    const rejected = new Map([['L2', new Set([proposalKey(['B:1'])])]]);
    const results = matchAll(lines, candidates, {
      windowDays: 5,
      autoThreshold: 90,
      maxGroupSize: 4,
      maxGroupCandidates: 20,
      rejected,
    });
    expect(results.map((r) => r.auto?.candidateIds ?? null)).toEqual([['A:1'], null]);
    expect(results[1].proposals).toEqual([]);
  });

  it('leaves the other item of the amount as a suggestion, not as the only one', () => {
    const lines = [credit('L1', '2026-05-04')];
    const candidates = [ledger('A:1', '2026-05-04'), ledger('B:1', '2026-05-05')];
    const rejected = new Map([['L1', new Set([proposalKey(['A:1'])])]]);
    const [result] = matchAll(lines, candidates, {
      windowDays: 5,
      autoThreshold: 90,
      maxGroupSize: 4,
      maxGroupCandidates: 20,
      rejected,
    });
    expect(result.auto).toBeNull();
    expect(result.proposals.map((p) => p.candidateIds)).toEqual([['B:1']]);
  });

  it('rejects a sum as a whole, in any order of its items', () => {
    const lines = [credit('L1', '2026-05-04')];
    const candidates = [part('A:1', 5_000), part('B:1', 7_000)];
    const options = { windowDays: 5, autoThreshold: 90, maxGroupSize: 4, maxGroupCandidates: 20 };
    expect(matchAll(lines, candidates, options)[0].proposals.map((p) => p.candidateIds)).toEqual([
      ['A:1', 'B:1'],
    ]);
    const rejected = new Map([['L1', new Set([proposalKey(['B:1', 'A:1'])])]]);
    expect(matchAll(lines, candidates, { ...options, rejected })[0].proposals).toEqual([]);
  });
});
