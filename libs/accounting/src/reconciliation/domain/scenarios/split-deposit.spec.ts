// One item credited (or debited) by the bank in several lines: a cheque deposit slip of 450 €
// credited as 300 + 150, a supplier invoice paid in two transfers. The lines summing exactly to
// the item are offered together on each of them, as a suggestion; only the slip's own number
// printed on every line makes the group certain enough to be applied.
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
const item = (
  id: string,
  kind: Candidate['kind'],
  date: string,
  amountCents: number,
  references: string[] = [],
): Candidate => ({ id, kind, date, amountCents, references, name: null });

describe('scenario: one item paid in several bank lines', () => {
  it('offers the two credits of a deposit slip together on each line, without applying them', () => {
    const results = matchAll(
      [
        line('L1', '2026-03-12', 30_000, 'REMISE CHEQUES'),
        line('L2', '2026-03-13', 15_000, 'REMISE CHEQUES'),
        // Another credit of the days, not part of the sum.
        line('L3', '2026-03-12', 7_000, 'VIR COTISATION'),
      ],
      [item('slip', 'cheque_deposit', '2026-03-11', 45_000, ['000777'])],
    );
    const group = {
      candidateIds: ['slip'],
      kind: 'cheque_deposit',
      score: 50,
      reasons: ['amount equal', '2 day(s) apart', '2 bank lines summed'],
      bankLineIds: ['L1', 'L2'],
    };
    expect(results).toEqual([
      { lineId: 'L1', proposals: [group], auto: null },
      { lineId: 'L2', proposals: [group], auto: null },
      { lineId: 'L3', proposals: [], auto: null },
    ]);
  });

  it('finds an invoice paid in two transfers among the debits, never mixing in a credit', () => {
    const results = matchAll(
      [
        line('D1', '2026-05-04', -60_000, 'VIR SEPA IMPRIMERIE DU PORT'),
        line('D2', '2026-05-06', -24_000, 'VIR SEPA IMPRIMERIE DU PORT'),
        line('C1', '2026-05-05', 24_000, 'VIR RECU'),
      ],
      [item('invoice', 'ledger_line', '2026-05-04', -84_000)],
    );
    expect(results.map((r) => r.proposals.map((p) => p.bankLineIds))).toEqual([
      [['D1', 'D2']],
      [['D1', 'D2']],
      [],
    ]);
    expect(results.every((r) => r.auto === null)).toBe(true);
  });

  it('applies the group when every line carries the slip number, once for all its lines', () => {
    const results = matchAll(
      [
        line('L1', '2026-03-12', 30_000, 'REMISE CHQ 000777 1/2'),
        line('L2', '2026-03-12', 15_000, 'REMISE CHQ 000777 2/2'),
      ],
      [item('slip', 'cheque_deposit', '2026-03-11', 45_000, ['000777'])],
    );
    const [first, second] = results;
    expect(first.auto).toEqual({
      candidateIds: ['slip'],
      kind: 'cheque_deposit',
      score: 95,
      reasons: [
        'amount equal',
        '1 day(s) apart',
        'reference 000777 on every line',
        '2 bank lines summed',
      ],
      bankLineIds: ['L1', 'L2'],
    });
    // The very same proposal on both lines: applied once.
    expect(second.auto).toBe(first.auto);
  });

  it('proposes no group for an item a single line has the amount of', () => {
    const results = matchAll(
      [
        line('L1', '2026-03-12', 30_000, 'REMISE CHEQUES'),
        line('L2', '2026-03-12', 15_000, 'REMISE CHEQUES'),
        line('L3', '2026-03-13', 45_000, 'REMISE CHEQUES'),
      ],
      [item('slip', 'cheque_deposit', '2026-03-11', 45_000)],
    );
    expect(results.map((r) => r.proposals.map((p) => p.bankLineIds ?? p.candidateIds))).toEqual([
      [],
      [],
      [['slip']],
    ]);
  });
});
