import { createLedgerHarness, type LedgerHarness } from '@ruche/testing';
import { postEvent } from './scenario.test-support';

/** A 50.00 membership refunded: the revenue is reversed, Stripe keeps its fee (accounting.md). */
describe('scenario: card payment refunded', () => {
  let h: LedgerHarness;
  beforeAll(async () => {
    h = await createLedgerHarness();
  });
  afterAll(() => h.close());

  it('debits the revenue and credits the clearing account; the fee stays a charge', async () => {
    const ctx = await h.newOrganization();
    await postEvent(h, ctx, { kind: 'card_payment', grossCents: 5000, feeCents: 90, revenue: 'membership_revenue' });
    const refund = await postEvent(h, ctx, { kind: 'card_refund', amountCents: 5000, revenue: 'membership_revenue' }, '2026-03-05');
    expect(refund.entry.journalCode).toBe('ST');
    expect(refund.lines).toEqual([
      ['7561', 5000, 0],
      ['51151', 0, 5000],
    ]);
    const balances = await h.balances(ctx);
    expect(balances.get('7561')).toBe(0);
    expect(balances.get('627')).toBe(90);
    expect(balances.get('51151')).toBe(-90);
  });
});
