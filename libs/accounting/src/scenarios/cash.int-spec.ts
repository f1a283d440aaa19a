import { createLedgerHarness, type LedgerHarness } from '@ruche/testing';
import { postEvent } from './scenario.test-support';

/** A membership paid in cash, then the cash deposited at the bank (reference.md §2.4 I). */
describe('scenario: cash membership and cash deposit', () => {
  let h: LedgerHarness;
  beforeAll(async () => {
    h = await createLedgerHarness();
  });
  afterAll(() => h.close());

  it('books the cash in the cash journal and moves it to the bank on deposit', async () => {
    const ctx = await h.newOrganization();
    const received = await postEvent(h, ctx, { kind: 'cash_received', amountCents: 2000, revenue: 'membership_revenue' });
    expect(received.entry.journalCode).toBe('CA');
    expect(received.lines).toEqual([
      ['530', 2000, 0],
      ['7561', 0, 2000],
    ]);
    const deposit = await postEvent(h, ctx, { kind: 'cash_deposit', amountCents: 2000 }, '2026-03-09');
    expect(deposit.lines).toEqual([
      ['5121', 2000, 0],
      ['530', 0, 2000],
    ]);
    const balances = await h.balances(ctx);
    expect(balances.get('530')).toBe(0);
    expect(balances.get('5121')).toBe(2000);
  });
});
