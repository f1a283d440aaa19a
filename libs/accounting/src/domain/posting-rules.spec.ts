import fc from 'fast-check';
import { POSTING_ROLES } from '@ruche/contracts';
import { CHART_FR_PCA_2018 } from './chart-fr-pca-2018';
import { accountNumberProblem } from './entry-rules';
import { DEFAULT_JOURNALS, DEFAULT_POSTING_ACCOUNTS, linesFor, type PostingEvent } from './posting-rules';

const cents = fc.integer({ min: 0, max: 10_000_000 });
const positive = fc.integer({ min: 1, max: 10_000_000 });
const events: fc.Arbitrary<PostingEvent> = fc.oneof(
  fc.tuple(positive, cents).filter(([g, f]) => f < g).map(([grossCents, feeCents]) => ({ kind: 'card_payment', grossCents, feeCents, revenue: 'membership_revenue' }) as const),
  positive.map((amountCents) => ({ kind: 'card_refund', amountCents, revenue: 'donation_revenue' }) as const),
  fc.tuple(positive, cents).map(([amountCents, feeCents]) => ({ kind: 'dispute_funds_withdrawn', amountCents, feeCents }) as const),
  fc.tuple(positive, cents).map(([amountCents, feeReturnedCents]) => ({ kind: 'dispute_funds_reinstated', amountCents, feeReturnedCents }) as const),
  fc.array(positive, { minLength: 1, maxLength: 20 }).map((chequesCents) => ({ kind: 'cheque_deposit', chequesCents }) as const),
  positive.map((amountCents) => ({ kind: 'psp_payout', amountCents }) as const),
  fc.tuple(positive, fc.constantFrom('bank' as const, 'cash' as const)).map(([amountCents, via]) => ({ kind: 'offline_refund', amountCents, via, revenue: 'services_revenue' }) as const),
);

describe('posting rules', () => {
  it('always produce a balanced entry of positive one-sided lines', () => {
    fc.assert(
      fc.property(events, (event) => {
        const { lines } = linesFor(event, DEFAULT_POSTING_ACCOUNTS);
        expect(lines.length).toBeGreaterThanOrEqual(2);
        for (const line of lines) expect((line.debitCents > 0) !== (line.creditCents > 0)).toBe(true);
        const debit = lines.reduce((s, l) => s + l.debitCents, 0);
        const credit = lines.reduce((s, l) => s + l.creditCents, 0);
        expect(debit).toBe(credit);
      }),
    );
  });

  it('point every role at a postable account of the seeded chart, and every rule at a seeded journal', () => {
    const chart = new Set(CHART_FR_PCA_2018.map(([n]) => n));
    for (const role of POSTING_ROLES) {
      const number = DEFAULT_POSTING_ACCOUNTS[role];
      expect([role, chart.has(number), accountNumberProblem(number)]).toEqual([role, true, null]);
    }
    const kinds = new Set(DEFAULT_JOURNALS.map((j) => j.kind));
    for (const kind of ['psp', 'bank', 'cash', 'miscellaneous'] as const) expect(kinds.has(kind)).toBe(true);
  });

  it('seed a chart without duplicates, in classes 1 to 8', () => {
    const numbers = CHART_FR_PCA_2018.map(([n]) => n);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const n of numbers) expect(n).toMatch(/^[1-8]\d*$/);
  });
});
