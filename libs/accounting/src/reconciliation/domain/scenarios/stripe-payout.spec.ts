// A Stripe payout: one bank credit for one payout's net, found by the payout id when the bank
// prints it, by being the only payout of that net around when it does not; a second payout of
// the same net ten days later must not be confused with the first.
import { matchAll, type BankLineFacts, type Candidate } from '../matching';

const NET = 48_230;
const credit = (id: string, bookingDate: string, label: string): BankLineFacts => ({
  id,
  bookingDate,
  valueDate: bookingDate,
  amountCents: NET,
  label,
  structuredReference: null,
  endToEndId: null,
  counterpartyName: 'STRIPE PAYMENTS EUROPE LTD',
});
const payout = (id: string, arrivalDate: string, payoutId: string): Candidate => ({
  id,
  kind: 'payout',
  date: arrivalDate,
  amountCents: NET,
  references: [payoutId],
  name: null,
});

describe('scenario: Stripe payouts', () => {
  const lines = [
    credit('L1', '2026-03-10', 'VIR STRIPE PAYMENTS EUROPE LTD STRIPE po_1OaBcDeF'),
    credit('L2', '2026-03-20', 'VIR STRIPE PAYMENTS EUROPE LTD STRIPE'),
  ];
  const payouts = [
    payout('P1', '2026-03-09', 'po_1OaBcDeF'),
    payout('P2', '2026-03-19', 'po_1OzYxWvU'),
  ];

  it('applies each payout to its credit: by payout id, then as the only payout of that net', () => {
    expect(matchAll(lines, payouts)).toEqual([
      {
        lineId: 'L1',
        proposals: [
          {
            candidateIds: ['P1'],
            kind: 'payout',
            score: 100,
            reasons: [
              'amount equal',
              '1 day(s) apart',
              'reference po_1OaBcDeF',
              'only item of this amount nearby',
            ],
          },
        ],
        auto: expect.objectContaining({ candidateIds: ['P1'] }),
      },
      {
        lineId: 'L2',
        proposals: [
          {
            candidateIds: ['P2'],
            kind: 'payout',
            score: 90,
            reasons: ['amount equal', '1 day(s) apart', 'only item of this amount nearby'],
          },
        ],
        auto: expect.objectContaining({ candidateIds: ['P2'] }),
      },
    ]);
  });

  it('only suggests when an unrelated ledger line has the same net and the bank gives no id', () => {
    const unrelated: Candidate = {
      id: 'G',
      kind: 'ledger_line',
      date: '2026-03-22',
      amountCents: NET,
      references: [],
      name: null,
    };
    const [first, second] = matchAll(lines, [...payouts, unrelated]);
    expect(first.auto?.candidateIds).toEqual(['P1']);
    expect(second.auto).toBeNull();
    expect(second.proposals.map((p) => [p.candidateIds, p.score, p.reasons])).toEqual([
      [['P2'], 60, ['amount equal', '1 day(s) apart']],
      [['G'], 60, ['amount equal', '2 day(s) apart']],
    ]);
  });
});
