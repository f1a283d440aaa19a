import { createLedgerHarness, type LedgerHarness } from '@ruche/testing';
import { postEvent } from './scenario.test-support';

/** Membership of 50.00 paid by card through Stripe, fee 0.90 (accounting.md, first example). */
describe('scenario: membership paid by card with a Stripe fee', () => {
  let h: LedgerHarness;
  beforeAll(async () => {
    h = await createLedgerHarness();
  });
  afterAll(() => h.close());

  it('debits the Stripe clearing account with the net, the bank fees with the fee, credits the fees revenue', async () => {
    const ctx = await h.newOrganization();
    const { entry, lines } = await postEvent(h, ctx, { kind: 'card_payment', grossCents: 5000, feeCents: 90, revenue: 'membership_revenue' });
    expect(entry.journalCode).toBe('ST');
    expect(lines).toEqual([
      ['51151', 4910, 0],
      ['627', 90, 0],
      ['7561', 0, 5000],
    ]);
  });

  it('posts once per source: a replayed webhook changes nothing', async () => {
    const ctx = await h.newOrganization();
    const event = { kind: 'card_payment', grossCents: 5000, feeCents: 90, revenue: 'membership_revenue' } as const;
    const first = await postEvent(h, ctx, event, '2026-03-02', 'stripe:ch_3PabcDEF');
    const replay = await h.ledger.postEvent(ctx, { event, date: '2026-03-02', label: 'again', source: 'stripe:ch_3PabcDEF' });
    expect(first.result.created).toBe(true);
    expect(replay).toEqual({ entryId: first.result.entryId, number: first.result.number, created: false });
    const page = await h.ledger.list(ctx, { limit: 50, offset: 0 });
    expect(page.total).toBe(1);
  });

  it('credits the account of the plan when it has its own, and a card payment without fee has two lines', async () => {
    const ctx = await h.newOrganization();
    const { lines } = await postEvent(h, ctx, { kind: 'card_payment', grossCents: 12000, feeCents: 0, revenue: 'membership_revenue', revenueAccount: '7562' });
    expect(lines).toEqual([
      ['51151', 12000, 0],
      ['7562', 0, 12000],
    ]);
  });

  it('follows the treasurer when the Stripe clearing account is moved to 467', async () => {
    const ctx = await h.newOrganization();
    await h.ledger.create(ctx, { journal: 'OD', date: '2026-01-05', label: 'ouverture', lines: [{ account: '5121', debit: 1 }, { account: '102', credit: 1 }], post: true });
    await h.dataSource.query(`INSERT INTO accounts (id, organization_id, number, label) VALUES (gen_random_uuid(), $1, '46713', 'Stripe')`, [ctx.organizationId]);
    await h.postingAccounts.update(ctx, { accounts: { card_clearing: '46713' } });
    const { lines } = await postEvent(h, ctx, { kind: 'card_payment', grossCents: 2500, feeCents: 35, revenue: 'donation_revenue' });
    expect(lines).toEqual([
      ['46713', 2465, 0],
      ['627', 35, 0],
      ['75411', 0, 2500],
    ]);
  });
});
