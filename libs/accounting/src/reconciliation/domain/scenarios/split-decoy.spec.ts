// A decoy for one-to-many: two different pairs of bank credits sum to the slip's total. Both
// are offered, none applied; a slip number on only some lines, or a line carrying another
// item's number, never makes a group automatic either. Precision first.
import { matchAll, type BankLineFacts, type Candidate } from '../matching';

const line = (
  id: string,
  bookingDate: string,
  amountCents: number,
  label: string,
): BankLineFacts => ({
  id,
  bookingDate,
  valueDate: null,
  amountCents,
  label,
  structuredReference: null,
  endToEndId: null,
  counterpartyName: null,
});
const slip = (id: string, date: string, amountCents: number, number: string): Candidate => ({
  id,
  kind: 'cheque_deposit',
  date,
  amountCents,
  references: [number],
  name: null,
});

describe('scenario: several groups of bank lines fit one item', () => {
  it('offers both pairs, each on its own lines, and applies neither', () => {
    const results = matchAll(
      [
        line('A1', '2026-03-12', 30_000, 'REMISE CHQ 000777'),
        line('A2', '2026-03-12', 15_000, 'REMISE CHQ 000777'),
        line('B1', '2026-03-13', 25_000, 'REMISE CHEQUES'),
        line('B2', '2026-03-13', 20_000, 'REMISE CHEQUES'),
      ],
      [slip('slip', '2026-03-11', 45_000, '000777')],
    );
    expect(results.map((r) => [r.lineId, r.proposals.map((p) => p.bankLineIds)])).toEqual([
      ['A1', [['A1', 'A2']]],
      ['A2', [['A1', 'A2']]],
      ['B1', [['B1', 'B2']]],
      ['B2', [['B1', 'B2']]],
    ]);
    expect(results.map((r) => r.auto)).toEqual([null, null, null, null]);
  });

  it('applies nothing when only one line carries the number, or a line names another slip', () => {
    const results = matchAll(
      [
        line('L1', '2026-03-12', 30_000, 'REMISE CHQ 000777'),
        line('L2', '2026-03-12', 15_000, 'REMISE CHEQUES'),
        line('M1', '2026-03-20', 30_000, 'REMISE CHQ 000888'),
        line('M2', '2026-03-20', 15_000, 'REMISE CHQ 000999'),
      ],
      [
        slip('slip', '2026-03-11', 45_000, '000777'),
        slip('other', '2026-03-19', 45_000, '000888'),
        // Another slip, long before: its number on M2 is a conflict for the group.
        slip('old', '2026-01-05', 9_900, '000999'),
      ],
    );
    expect(results.map((r) => r.auto)).toEqual([null, null, null, null]);
    const [l1, , m1] = results;
    expect(l1.proposals).toEqual([
      {
        candidateIds: ['slip'],
        kind: 'cheque_deposit',
        score: 55,
        reasons: [
          'amount equal',
          '1 day(s) apart',
          'reference 000777 on some lines',
          '2 bank lines summed',
        ],
        bankLineIds: ['L1', 'L2'],
      },
    ]);
    expect(m1.proposals).toEqual([
      {
        candidateIds: ['other'],
        kind: 'cheque_deposit',
        score: 15,
        reasons: [
          'amount equal',
          '1 day(s) apart',
          'reference 000888 on some lines',
          'reference of old',
          '2 bank lines summed',
        ],
        bankLineIds: ['M1', 'M2'],
      },
    ]);
  });

  it('leaves out a group rejected for one of its lines, on every line', () => {
    const results = matchAll(
      [
        line('L1', '2026-03-12', 30_000, 'REMISE CHQ 000777'),
        line('L2', '2026-03-12', 15_000, 'REMISE CHQ 000777'),
      ],
      [slip('slip', '2026-03-11', 45_000, '000777')],
      {
        windowDays: 5,
        autoThreshold: 90,
        maxGroupSize: 4,
        maxGroupCandidates: 20,
        rejected: new Map([['L2', new Set(['slip'])]]),
      },
    );
    expect(results).toEqual([
      { lineId: 'L1', proposals: [], auto: null },
      { lineId: 'L2', proposals: [], auto: null },
    ]);
  });

  it('stays bounded on a crowded day: at most the 12 nearest lines and 2,000 combinations', () => {
    const lines = Array.from({ length: 200 }, (_, i) =>
      line(`N${i}`, '2026-03-12', 1_000 + (i % 7), 'VIR COTISATION'),
    );
    const started = Date.now();
    const results = matchAll(lines, [slip('slip', '2026-03-12', 4_012, '000777')]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(results.every((r) => r.auto === null)).toBe(true);
    for (const r of results)
      for (const p of r.proposals) {
        expect(p.bankLineIds!.length).toBeLessThanOrEqual(4);
        const sum = p.bankLineIds!.reduce(
          (s, id) => s + lines.find((l) => l.id === id)!.amountCents,
          0,
        );
        expect(sum).toBe(4_012);
      }
  });
});
