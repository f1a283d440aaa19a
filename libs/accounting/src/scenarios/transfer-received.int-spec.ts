import { createLedgerHarness, type LedgerHarness } from '@ruche/testing';
import { postEvent } from './scenario.test-support';

/** A company's sponsorship paid by bank transfer: no clearing account, straight to the bank. */
describe('scenario: bank transfer received', () => {
  let h: LedgerHarness;
  beforeAll(async () => {
    h = await createLedgerHarness();
  });
  afterAll(() => h.close());

  it('posts the transfer to the default bank account in the bank journal', async () => {
    const ctx = await h.newOrganization();
    const transfer = await postEvent(h, ctx, {
      kind: 'transfer_received',
      amountCents: 15000,
      revenue: 'sponsorship_revenue',
    });
    expect(transfer.entry.journalCode).toBe('BQ');
    expect(transfer.lines).toEqual([
      ['5121', 15000, 0],
      ['7542', 0, 15000],
    ]);
    const balances = await h.balances(ctx);
    expect(balances.get('5121')).toBe(15000);
    expect(balances.get('7542')).toBe(-15000);
  });

  it('posts to the bank account the transfer reached, and to a campaign’s own revenue account', async () => {
    const ctx = await h.newOrganization();
    await h.postingAccounts.list(ctx); // seeds the chart
    await h.dataSource.query(
      `INSERT INTO accounts (id, organization_id, number, label) VALUES (gen_random_uuid(), $1, '5122', 'Livret associatif')`,
      [ctx.organizationId],
    );
    const transfer = await postEvent(h, ctx, {
      kind: 'transfer_received',
      amountCents: 4200,
      revenue: 'donation_revenue',
      revenueAccount: '75412',
      bankAccount: '5122',
    });
    expect(transfer.lines).toEqual([
      ['5122', 4200, 0],
      ['75412', 0, 4200],
    ]);
  });
});
