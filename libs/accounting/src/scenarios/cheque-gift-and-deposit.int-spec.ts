import { createLedgerHarness, type LedgerHarness } from '@ruche/testing';
import { postEvent } from './scenario.test-support';

/** Gifts by cheque (100.00 and 30.00), then one deposit slip of 130.00 (reference.md §2.4 C). */
describe('scenario: gifts by cheque and their deposit', () => {
  let h: LedgerHarness;
  beforeAll(async () => {
    h = await createLedgerHarness();
  });
  afterAll(() => h.close());

  it('books each cheque to 5112 on receipt and clears 5112 into the bank on deposit', async () => {
    const ctx = await h.newOrganization();
    const first = await postEvent(h, ctx, { kind: 'cheque_received', amountCents: 10000, revenue: 'donation_revenue' }, '2026-03-10');
    expect(first.lines).toEqual([
      ['5112', 10000, 0],
      ['75411', 0, 10000],
    ]);
    await postEvent(h, ctx, { kind: 'cheque_received', amountCents: 3000, revenue: 'donation_revenue' }, '2026-03-11');
    const deposit = await postEvent(h, ctx, { kind: 'cheque_deposit', chequesCents: [10000, 3000] }, '2026-03-12');
    expect(deposit.entry.journalCode).toBe('BQ');
    expect(deposit.lines).toEqual([
      ['5121', 13000, 0],
      ['5112', 0, 10000],
      ['5112', 0, 3000],
    ]);
    const balances = await h.balances(ctx);
    expect(balances.get('5112')).toBe(0);
    expect(balances.get('5121')).toBe(13000);
    expect(balances.get('75411')).toBe(-13000);
  });
});
