import { createLedgerHarness, type LedgerHarness } from '@ruche/testing';
import { postEvent } from './scenario.test-support';

/** Money received at the desk given back: by transfer or cheque from the bank, or in cash. */
describe('scenario: refund of a payment received at the desk', () => {
  let h: LedgerHarness;
  beforeAll(async () => {
    h = await createLedgerHarness();
  });
  afterAll(() => h.close());

  it('reverses the revenue against the bank for a refund by transfer or cheque', async () => {
    const ctx = await h.newOrganization();
    await postEvent(h, ctx, {
      kind: 'transfer_received',
      amountCents: 9000,
      revenue: 'services_revenue',
    });
    const refund = await postEvent(
      h,
      ctx,
      { kind: 'offline_refund', amountCents: 3000, via: 'bank', revenue: 'services_revenue' },
      '2026-03-20',
    );
    expect(refund.entry.journalCode).toBe('BQ');
    expect(refund.lines).toEqual([
      ['706', 3000, 0],
      ['5121', 0, 3000],
    ]);
    const balances = await h.balances(ctx);
    expect(balances.get('706')).toBe(-6000);
    expect(balances.get('5121')).toBe(6000);
  });

  it('reverses the revenue against the cash in the cash journal for a refund in cash', async () => {
    const ctx = await h.newOrganization();
    await postEvent(h, ctx, {
      kind: 'cash_received',
      amountCents: 2000,
      revenue: 'membership_revenue',
    });
    const refund = await postEvent(
      h,
      ctx,
      { kind: 'offline_refund', amountCents: 2000, via: 'cash', revenue: 'membership_revenue' },
      '2026-03-05',
    );
    expect(refund.entry.journalCode).toBe('CA');
    expect(refund.lines).toEqual([
      ['7561', 2000, 0],
      ['530', 0, 2000],
    ]);
    const balances = await h.balances(ctx);
    expect(balances.get('7561')).toBe(0);
    expect(balances.get('530')).toBe(0);
  });

  it('reverses a plan’s or a campaign’s own revenue account', async () => {
    const ctx = await h.newOrganization();
    const refund = await postEvent(h, ctx, {
      kind: 'offline_refund',
      amountCents: 1500,
      via: 'bank',
      revenue: 'donation_revenue',
      revenueAccount: '75412',
    });
    expect(refund.lines).toEqual([
      ['75412', 1500, 0],
      ['5121', 0, 1500],
    ]);
  });
});
