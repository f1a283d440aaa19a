import { createLedgerHarness, type LedgerHarness } from '@ruche/testing';
import { postEvent } from './scenario.test-support';

/** Stripe pays out the net of its balance transactions to the bank (reference.md §2.4 B). */
describe('scenario: Stripe payout to the bank', () => {
  let h: LedgerHarness;
  beforeAll(async () => {
    h = await createLedgerHarness();
  });
  afterAll(() => h.close());

  it('moves the net from the clearing account to the bank, leaving the clearing account at zero', async () => {
    const ctx = await h.newOrganization();
    await postEvent(h, ctx, { kind: 'card_payment', grossCents: 5000, feeCents: 100, revenue: 'membership_revenue' });
    await postEvent(h, ctx, { kind: 'card_payment', grossCents: 10000, feeCents: 170, revenue: 'donation_revenue' });
    await postEvent(h, ctx, { kind: 'card_refund', amountCents: 2000, revenue: 'donation_revenue' });
    const payout = await postEvent(h, ctx, { kind: 'psp_payout', amountCents: 4900 + 9830 - 2000 }, '2026-03-06', 'stripe:po_1OaBC');
    expect(payout.entry.journalCode).toBe('BQ');
    expect(payout.lines).toEqual([
      ['5121', 12730, 0],
      ['51151', 0, 12730],
    ]);
    const balances = await h.balances(ctx);
    expect(balances.get('51151')).toBe(0);
    expect(balances.get('5121')).toBe(12730);
  });
});
