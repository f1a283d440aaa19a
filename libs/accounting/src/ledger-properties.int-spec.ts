import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { createLedgerHarness, type LedgerHarness } from '@ruche/testing';
import type { PostingEvent, RevenueRole } from './domain/posting-rules';

const cents = fc.integer({ min: 1, max: 5_000_000 });
const revenue = fc.constantFrom<RevenueRole>('membership_revenue', 'donation_revenue', 'sponsorship_revenue', 'services_revenue');
const event: fc.Arbitrary<PostingEvent> = fc.oneof(
  fc.tuple(cents, cents, revenue).map(([a, b, r]) => ({ kind: 'card_payment', grossCents: Math.max(a, b), feeCents: Math.min(a, b) === Math.max(a, b) ? 0 : Math.min(a, b), revenue: r }) as const),
  fc.tuple(cents, revenue).map(([a, r]) => ({ kind: 'card_refund', amountCents: a, revenue: r }) as const),
  fc.tuple(cents, fc.nat({ max: 2000 })).map(([a, f]) => ({ kind: 'dispute_funds_withdrawn', amountCents: a, feeCents: f }) as const),
  fc.tuple(cents, revenue).map(([a, r]) => ({ kind: 'dispute_lost', amountCents: a, revenue: r }) as const),
  fc.tuple(cents, fc.nat({ max: 2000 })).map(([a, f]) => ({ kind: 'dispute_funds_reinstated', amountCents: a, feeReturnedCents: f }) as const),
  cents.map((a) => ({ kind: 'psp_payout', amountCents: a }) as const),
  cents.map((f) => ({ kind: 'psp_fee', feeCents: f }) as const),
  fc.tuple(cents, revenue).map(([a, r]) => ({ kind: 'cheque_received', amountCents: a, revenue: r }) as const),
  fc.array(cents, { minLength: 1, maxLength: 5 }).map((c) => ({ kind: 'cheque_deposit', chequesCents: c }) as const),
  fc.tuple(cents, revenue).map(([a, r]) => ({ kind: 'cash_received', amountCents: a, revenue: r }) as const),
  cents.map((a) => ({ kind: 'cash_deposit', amountCents: a }) as const),
  fc.tuple(cents, revenue).map(([a, r]) => ({ kind: 'transfer_received', amountCents: a, revenue: r }) as const),
  fc.tuple(cents, fc.constantFrom('2183', '6064', '6251'), revenue).map(([a, d, r]) => ({ kind: 'gift_in_kind', amountCents: a, debitAccount: d, revenue: r }) as const),
  fc.tuple(cents, fc.constantFrom('bank' as const, 'cash' as const), revenue).map(([a, via, r]) => ({ kind: 'offline_refund', amountCents: a, via, revenue: r }) as const),
);
const day = fc.integer({ min: 0, max: 364 }).map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10));

/** Random sequences of postings, on a real database. */
describe('ledger properties', () => {
  let h: LedgerHarness;
  beforeAll(async () => {
    h = await createLedgerHarness();
  });
  afterAll(() => h.close());

  async function trialBalanceFromAggregates(organizationId: string): Promise<Map<string, number>> {
    const rows: { account_id: string; balance: string }[] = await h.dataSource.query(
      'SELECT account_id, sum(debit_cents - credit_cents) AS balance FROM account_balances WHERE organization_id = $1 GROUP BY account_id',
      [organizationId],
    );
    return new Map(rows.map((r) => [r.account_id, Number(r.balance)]));
  }

  it('keeps the trial balance at zero, the aggregates equal to the lines, and numbers gapless', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(event, day), { minLength: 1, maxLength: 25 }), async (postings) => {
        const ctx = await h.newOrganization();
        for (const [e, date] of postings) await h.ledger.postEvent(ctx, { event: e, date, label: e.kind, source: `prop:${randomUUID()}` });
        const balances = await h.balances(ctx);
        expect([...balances.values()].reduce((a, b) => a + b, 0)).toBe(0);
        const aggregates = await trialBalanceFromAggregates(ctx.organizationId);
        expect([...aggregates.values()].reduce((a, b) => a + b, 0)).toBe(0);
        const [{ sum_lines }] = await h.dataSource.query<{ sum_lines: string }[]>(
          `SELECT coalesce(sum(debit_cents), 0)::bigint AS sum_lines FROM journal_entry_lines WHERE organization_id = $1`,
          [ctx.organizationId],
        );
        const [{ sum_aggregates }] = await h.dataSource.query<{ sum_aggregates: string }[]>(
          `SELECT coalesce(sum(debit_cents), 0)::bigint AS sum_aggregates FROM account_balances WHERE organization_id = $1`,
          [ctx.organizationId],
        );
        expect(sum_aggregates).toBe(sum_lines);
        const numbers: { number: number }[] = await h.dataSource.query(`SELECT number FROM journal_entries WHERE organization_id = $1 ORDER BY number`, [ctx.organizationId]);
        expect(numbers.map((n) => n.number)).toEqual(postings.map((_, i) => i + 1));
      }),
      { numRuns: 15 },
    );
  });

  it('cancels exactly when every entry is reversed: every account back to zero', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(event, day), { minLength: 1, maxLength: 12 }), async (postings) => {
        const ctx = await h.newOrganization();
        const ids: string[] = [];
        for (const [e, date] of postings) ids.push((await h.ledger.postEvent(ctx, { event: e, date, label: e.kind, source: `prop:${randomUUID()}` })).entryId);
        for (const id of ids) await h.ledger.reverse(ctx, id, { date: '2026-12-31' });
        const balances = await h.balances(ctx);
        for (const [account, balance] of balances) expect([account, balance]).toEqual([account, 0]);
        const aggregates = await trialBalanceFromAggregates(ctx.organizationId);
        for (const balance of aggregates.values()) expect(balance).toBe(0);
      }),
      { numRuns: 10 },
    );
  });
});
