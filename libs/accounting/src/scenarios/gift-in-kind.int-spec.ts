import { createLedgerHarness, type LedgerHarness } from '@ruche/testing';
import { postEvent } from './scenario.test-support';

/**
 * A gift in kind (a laptop given to the association) and expenses a volunteer renounces
 * (abandon de frais): no money moves, the goods or the expense against the gift's revenue.
 */
describe('scenario: gift in kind and volunteer expense waiver', () => {
  let h: LedgerHarness;
  beforeAll(async () => {
    h = await createLedgerHarness();
  });
  afterAll(() => h.close());

  it('books the goods given against the gifts revenue in the miscellaneous journal', async () => {
    const ctx = await h.newOrganization();
    const gift = await postEvent(h, ctx, {
      kind: 'gift_in_kind',
      amountCents: 45000,
      debitAccount: '2183',
      revenue: 'donation_revenue',
    });
    expect(gift.entry.journalCode).toBe('OD');
    expect(gift.lines).toEqual([
      ['2183', 45000, 0],
      ['75411', 0, 45000],
    ]);
    // Nothing reaches the bank or the cash.
    const balances = await h.balances(ctx);
    expect(balances.get('5121') ?? 0).toBe(0);
    expect(balances.get('530') ?? 0).toBe(0);
  });

  it('books a volunteer’s renounced travel expenses against the expense waiver account', async () => {
    const ctx = await h.newOrganization();
    const waiver = await postEvent(h, ctx, {
      kind: 'gift_in_kind',
      amountCents: 12340,
      debitAccount: '6251',
      revenue: 'donation_revenue',
      revenueAccount: '75412',
    });
    expect(waiver.lines).toEqual([
      ['6251', 12340, 0],
      ['75412', 0, 12340],
    ]);
    const balances = await h.balances(ctx);
    expect(balances.get('6251')).toBe(12340);
    expect(balances.get('75412')).toBe(-12340);
  });
});
