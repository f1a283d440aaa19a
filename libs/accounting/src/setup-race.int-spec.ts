import type { EntityManager } from 'typeorm';
import { createLedgerHarness, type LedgerHarness } from '@ruche/testing';

/** Two money events posted at once on books never used: both land (the first use seeds them). */
describe('first use of an organization’s books under concurrency', () => {
  let h: LedgerHarness;
  beforeAll(async () => {
    h = await createLedgerHarness();
  });
  afterAll(() => h.close());

  it('posts concurrent first entries without losing the chart or the posting accounts', async () => {
    for (let round = 0; round < 15; round++) {
      const ctx = await h.newOrganization();
      const results = await Promise.allSettled(
        Array.from({ length: 4 }, (_, i) =>
          h.dataSource.transaction((m) =>
            h.ledger.postEvent(
              ctx,
              {
                event: {
                  kind: 'card_payment',
                  grossCents: 1000 + i,
                  feeCents: 30,
                  revenue: 'donation_revenue',
                },
                date: '2026-03-01',
                label: `Don ${i}`,
                source: `test:${round}:${i}`,
              },
              m,
            ),
          ),
        ),
      );
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(failed.map((f) => String(f.reason))).toEqual([]);
    }
  });

  it('does not take a seed still uncommitted in another transaction for done', async () => {
    const ctx = await h.newOrganization();
    const post = (m: EntityManager, source: string) =>
      h.ledger.postEvent(
        ctx,
        {
          event: { kind: 'cash_received', amountCents: 500, revenue: 'donation_revenue' },
          date: '2026-03-01',
          label: 'Don',
          source,
        },
        m,
      );
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let seeded!: () => void;
    const seededNow = new Promise<void>((resolve) => (seeded = resolve));
    // A seeds the books, posts twice (its second look finds its own seed), and stays open.
    const a = h.dataSource.transaction(async (m) => {
      await post(m, 'a:1');
      await post(m, 'a:2');
      seeded();
      await held;
    });
    await seededNow;
    // B starts while A is open: it must wait for A's seed, not skip the check.
    const b = h.dataSource.transaction((m) => post(m, 'b:1'));
    await new Promise((r) => setTimeout(r, 100));
    release();
    await a;
    await expect(b).resolves.toMatchObject({ created: true });
    expect((await h.balances(ctx)).get('530')).toBe(1500);
  });
});
