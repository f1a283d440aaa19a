import { createLedgerHarness, type LedgerHarness } from '@ruche/testing';
import { postEvent } from './scenario.test-support';

/** A Stripe fee charged on its own (not on a payment: e.g. a monthly or a dispute-related fee). */
describe('scenario: Stripe fee on its own', () => {
  let h: LedgerHarness;
  beforeAll(async () => {
    h = await createLedgerHarness();
  });
  afterAll(() => h.close());

  it('charges bank fees against the Stripe clearing account in the Stripe journal', async () => {
    const ctx = await h.newOrganization();
    await postEvent(h, ctx, {
      kind: 'card_payment',
      grossCents: 5000,
      feeCents: 100,
      revenue: 'membership_revenue',
    });
    const fee = await postEvent(
      h,
      ctx,
      { kind: 'psp_fee', feeCents: 200 },
      '2026-03-31',
      'stripe:txn_fee_march',
    );
    expect(fee.entry.journalCode).toBe('ST');
    expect(fee.lines).toEqual([
      ['627', 200, 0],
      ['51151', 0, 200],
    ]);
    const balances = await h.balances(ctx);
    expect(balances.get('51151')).toBe(4700);
    expect(balances.get('627')).toBe(300);
  });

  it('follows the clearing account chosen by the treasurer', async () => {
    const ctx = await h.newOrganization();
    await h.postingAccounts.update(ctx, { accounts: { card_clearing: '4671' } });
    const fee = await postEvent(h, ctx, { kind: 'psp_fee', feeCents: 75 });
    expect(fee.lines).toEqual([
      ['627', 75, 0],
      ['4671', 0, 75],
    ]);
  });
});
