import { createLedgerHarness, type LedgerHarness } from '@ruche/testing';
import { postEvent } from './scenario.test-support';

/** Chargeback on an 80.00 card gift with a 15.00 dispute fee (reference.md §2.4 E). */
describe('scenario: dispute on a card gift', () => {
  let h: LedgerHarness;
  beforeAll(async () => {
    h = await createLedgerHarness();
  });
  afterAll(() => h.close());

  it('moves the amount to the disputes account and the fee to bank fees when funds are withdrawn', async () => {
    const ctx = await h.newOrganization();
    const withdrawn = await postEvent(h, ctx, { kind: 'dispute_funds_withdrawn', amountCents: 8000, feeCents: 1500 });
    expect(withdrawn.lines).toEqual([
      ['46711', 8000, 0],
      ['627', 1500, 0],
      ['51151', 0, 9500],
    ]);
  });

  it('charges the loss account (6581 by default) when the dispute is lost, leaving the disputes account at zero', async () => {
    const ctx = await h.newOrganization();
    await postEvent(h, ctx, { kind: 'card_payment', grossCents: 8000, feeCents: 145, revenue: 'donation_revenue' });
    await postEvent(h, ctx, { kind: 'dispute_funds_withdrawn', amountCents: 8000, feeCents: 1500 });
    const lost = await postEvent(h, ctx, { kind: 'dispute_lost', amountCents: 8000, revenue: 'donation_revenue' }, '2026-04-20');
    expect(lost.entry.journalCode).toBe('OD');
    expect(lost.lines).toEqual([
      ['6581', 8000, 0],
      ['46711', 0, 8000],
    ]);
    const balances = await h.balances(ctx);
    expect(balances.get('46711')).toBe(0);
    // The gift stays in the revenue; the loss is a charge of its own.
    expect(balances.get('75411')).toBe(-8000);
    expect(balances.get('6581')).toBe(8000);
    expect(balances.get('627')).toBe(1645);
  });

  it('follows the treasurer’s setting: another loss account, or the revenue itself', async () => {
    const ctx = await h.newOrganization();
    await h.postingAccounts.update(ctx, { accounts: { dispute_losses: '678' } });
    const exceptional = await postEvent(h, ctx, { kind: 'dispute_lost', amountCents: 2500, revenue: 'membership_revenue' });
    expect(exceptional.lines).toEqual([
      ['678', 2500, 0],
      ['46711', 0, 2500],
    ]);
    await h.postingAccounts.update(ctx, { accounts: { dispute_losses: '75411' } });
    const reduced = await postEvent(h, ctx, { kind: 'dispute_lost', amountCents: 1200, revenue: 'donation_revenue' });
    expect(reduced.lines).toEqual([
      ['75411', 1200, 0],
      ['46711', 0, 1200],
    ]);
  });

  it('gives the amount (and a returned fee) back to the clearing account when the dispute is won', async () => {
    const ctx = await h.newOrganization();
    await postEvent(h, ctx, { kind: 'dispute_funds_withdrawn', amountCents: 8000, feeCents: 1500 });
    const won = await postEvent(h, ctx, { kind: 'dispute_funds_reinstated', amountCents: 8000, feeReturnedCents: 1500 }, '2026-05-02');
    expect(won.lines).toEqual([
      ['51151', 9500, 0],
      ['46711', 0, 8000],
      ['627', 0, 1500],
    ]);
    const balances = await h.balances(ctx);
    expect(balances.get('46711')).toBe(0);
    expect(balances.get('51151')).toBe(0);
    expect(balances.get('627')).toBe(0);
  });
});
