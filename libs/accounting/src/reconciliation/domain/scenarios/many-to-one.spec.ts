// One bank credit summing several ledger lines: three cash receipts deposited together. The
// sum is found among the ledger lines near the date and offered as a suggestion, never applied;
// payouts and deposit slips, already totals, are never part of a sum.
import { matchAll, type BankLineFacts, type Candidate } from '../matching';

const deposit: BankLineFacts = {
  id: 'L1',
  bookingDate: '2026-03-12',
  valueDate: null,
  amountCents: 10_000,
  label: 'VERSEMENT ESPECES AGENCE LYON',
  structuredReference: null,
  endToEndId: null,
  counterpartyName: null,
};
const item = (
  id: string,
  kind: Candidate['kind'],
  date: string,
  amountCents: number,
): Candidate => ({
  id,
  kind,
  date,
  amountCents,
  references: [],
  name: null,
});

describe('scenario: several cash receipts summed by one deposit', () => {
  it('suggests the three receipts, not the sums with a payout or a slip, and applies nothing', () => {
    const [result] = matchAll(
      [deposit],
      [
        item('cash-1', 'ledger_line', '2026-03-09', 4_000),
        item('cash-2', 'ledger_line', '2026-03-10', 2_500),
        item('cash-3', 'ledger_line', '2026-03-11', 3_500),
        item('sale', 'ledger_line', '2026-03-11', 7_000),
        item('payout', 'payout', '2026-03-12', 3_000),
        item('slip', 'cheque_deposit', '2026-03-12', 6_000),
        // Outside the window: never part of a sum.
        item('old', 'ledger_line', '2026-03-01', 3_000),
        // A debit never offsets credits.
        item('refund', 'ledger_line', '2026-03-12', -500),
      ],
    );
    expect(result).toEqual({
      lineId: 'L1',
      proposals: [
        {
          candidateIds: ['cash-2', 'cash-3', 'cash-1'],
          kind: 'ledger_line',
          score: 35,
          reasons: ['amount equal', '3 day(s) apart', '3 items summed'],
        },
      ],
      auto: null,
    });
  });
});
