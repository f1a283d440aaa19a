import { randomUUID } from 'node:crypto';
import { createLedgerHarness, type LedgerHarness } from '@ruche/testing';
import { ReportsService } from '@ruche/accounting';
import type { OrgContext } from '@ruche/core';
import {
  DAILY_BALANCES_FROM_LINES_SQL,
  DailyBalances1733730000000,
} from './1733730000000-daily-balances';

/** Small deterministic generator, so that a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACCOUNTS = ['5112', '5121', '530', '627', '706', '7561', '75411', '7542'];
const DAY0 = Date.UTC(2026, 0, 1);
const dayOf = (n: number) => new Date(DAY0 + n * 86_400_000).toISOString().slice(0, 10);

describe('daily balances: periods that cut months', () => {
  let h: LedgerHarness;
  let reports: ReportsService;
  let ctx: OrgContext;
  let fiscalYearId: string;
  const random = prng(20261124);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const q = <T>(sql: string, params: unknown[] = []) => h.dataSource.query<T>(sql, params);

  async function postRandom(org: OrgContext, day: string): Promise<string> {
    const [debit, credit] = [pick(ACCOUNTS), pick(ACCOUNTS)];
    const a = 100 + Math.floor(random() * 50_000);
    const b = random() < 0.3 ? 1 + Math.floor(random() * 99) : 0;
    const posted = await h.ledger.post(org, {
      journal: 'OD',
      date: day,
      label: `Écriture ${day}`,
      source: `test:${randomUUID()}`,
      lines: [
        { account: debit, debitCents: a, creditCents: 0 },
        ...(b > 0 ? [{ account: pick(ACCOUNTS), debitCents: b, creditCents: 0 }] : []),
        { account: credit, debitCents: 0, creditCents: a + b },
      ],
    });
    return posted.entryId;
  }

  const dailyRows = (org: OrgContext) =>
    q<{ day: string; account: string; debit: string; credit: string }[]>(
      `SELECT to_char(d.day, 'YYYY-MM-DD') AS day, a.number AS account, d.debit_cents::text AS debit, d.credit_cents::text AS credit
         FROM account_daily_balances d JOIN accounts a ON a.organization_id = d.organization_id AND a.id = d.account_id
        WHERE d.organization_id = $1 AND (d.debit_cents <> 0 OR d.credit_cents <> 0) ORDER BY 1, 2`,
      [org.organizationId],
    );

  beforeAll(async () => {
    h = await createLedgerHarness();
    reports = new ReportsService(h.dataSource, h.fiscalYears);
    ctx = await h.newOrganization();
    const other = await h.newOrganization();
    const entries: string[] = [];
    for (let i = 0; i < 70; i++)
      entries.push(await postRandom(ctx, dayOf(Math.floor(random() * 365))));
    // Several entries on the same days (the trigger adds to the day's row), and another organization's book on those days.
    for (const n of [0, 45, 45, 45, 180, 364, 364]) {
      entries.push(await postRandom(ctx, dayOf(n)));
      await postRandom(other, dayOf(n));
    }
    // Reversals, dated on or after the entry they cancel.
    for (const id of entries.slice(0, 12)) {
      const entry = await h.ledger.get(ctx, id);
      const from = (Date.parse(`${entry.date}T00:00:00Z`) - DAY0) / 86_400_000;
      await h.ledger.reverse(ctx, id, { date: dayOf(from + Math.floor(random() * (365 - from))) });
    }
    // A draft counts nowhere.
    await h.ledger.create(ctx, {
      journal: 'OD',
      date: '2026-03-20',
      label: 'Brouillon',
      lines: [
        { account: '530', debit: 999 },
        { account: '7561', credit: 999 },
      ],
      post: false,
    });
    const [fy] = await q<{ id: string }[]>(
      'SELECT id FROM fiscal_years WHERE organization_id = $1',
      [ctx.organizationId],
    );
    fiscalYearId = fy.id;
    // Fresh tables have no statistics: the reference sums below would otherwise take a poor plan.
    await q('ANALYZE journal_entries, journal_entry_lines, accounts');
  });
  afterAll(() => h.close());

  it('keeps one row per account and day equal to the posted lines of that day, in the posting transaction', async () => {
    const fromLines = await q<{ day: string; account: string; debit: string; credit: string }[]>(
      `SELECT to_char(x.day, 'YYYY-MM-DD') AS day, a.number AS account, x.debit_cents::text AS debit, x.credit_cents::text AS credit
         FROM (${DAILY_BALANCES_FROM_LINES_SQL}) x JOIN accounts a ON a.organization_id = x.organization_id AND a.id = x.account_id
        WHERE x.organization_id = $1 AND (x.debit_cents <> 0 OR x.credit_cents <> 0) ORDER BY 1, 2`,
      [ctx.organizationId],
    );
    expect(fromLines.length).toBeGreaterThan(100);
    expect(await dailyRows(ctx)).toEqual(fromLines);
    // And they add up to the monthly balances.
    const [mismatch] = await q<{ n: number }[]>(
      `WITH m AS (SELECT account_id, period_month, debit_cents, credit_cents FROM account_balances WHERE organization_id = $1),
            d AS (SELECT account_id, date_trunc('month', day)::date AS period_month, sum(debit_cents) AS debit_cents, sum(credit_cents) AS credit_cents
                    FROM account_daily_balances WHERE organization_id = $1 GROUP BY 1, 2)
       SELECT count(*)::int AS n FROM ((TABLE m EXCEPT TABLE d) UNION ALL (TABLE d EXCEPT TABLE m)) diff`,
      [ctx.organizationId],
    );
    expect(mismatch.n).toBe(0);
  });

  it('answers the trial balance of any period with the sums of the lines, reversals included', async () => {
    const periods: [string, string][] = [
      ['2026-01-01', '2026-12-31'],
      ['2026-03-15', '2026-09-10'],
      ['2026-06-02', '2026-06-28'],
      ['2026-02-01', '2026-02-28'],
      ['2026-02-15', '2026-02-15'],
      ['2026-01-01', '2026-01-01'],
      ['2026-12-31', '2026-12-31'],
    ];
    for (let i = 0; i < 10; i++) {
      const [a, b] = [Math.floor(random() * 365), Math.floor(random() * 365)].sort(
        (x, y) => x - y,
      ) as [number, number];
      periods.push([dayOf(a), dayOf(b)]);
    }
    for (const [from, to] of periods) {
      const expected = await q<
        { number: string; opening: string; debit: string; credit: string }[]
      >(
        `SELECT a.number,
                sum(CASE WHEN e.entry_date < $3 THEN l.debit_cents - l.credit_cents ELSE 0 END) AS opening,
                sum(CASE WHEN e.entry_date >= $3 THEN l.debit_cents ELSE 0 END) AS debit,
                sum(CASE WHEN e.entry_date >= $3 THEN l.credit_cents ELSE 0 END) AS credit
           FROM journal_entries e
           JOIN journal_entry_lines l ON l.organization_id = e.organization_id AND l.entry_id = e.id
           JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
          WHERE e.organization_id = $1 AND e.fiscal_year_id = $2 AND e.status = 'posted' AND e.entry_date <= $4
          GROUP BY a.number ORDER BY a.number`,
        [ctx.organizationId, fiscalYearId, from, to],
      );
      const rows = expected
        .map((r) => ({
          accountNumber: r.number,
          openingCents: Number(r.opening),
          debitCents: Number(r.debit),
          creditCents: Number(r.credit),
        }))
        .filter((r) => r.openingCents !== 0 || r.debitCents !== 0 || r.creditCents !== 0);
      const tb = await reports.trialBalance(ctx, { fiscalYearId, from, to, format: 'json' });
      expect({
        from,
        to,
        rows: tb.rows.map(({ accountNumber, openingCents, debitCents, creditCents }) => ({
          accountNumber,
          openingCents,
          debitCents,
          creditCents,
        })),
      }).toEqual({ from, to, rows });
      expect(tb.totals.debitCents).toBe(tb.totals.creditCents);
    }
  });

  it('refuses DELETE and TRUNCATE of the daily balances', async () => {
    await expect(
      q(`DELETE FROM account_daily_balances WHERE organization_id = $1`, [ctx.organizationId]),
    ).rejects.toThrow(/append-only/);
    const runner = h.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await expect(runner.query('TRUNCATE "account_daily_balances"')).rejects.toMatchObject({
        code: '23001',
      });
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('backfills from the posted lines the same daily totals as the posting trigger built', async () => {
    const built = await dailyRows(ctx);
    const runner = h.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      const migration = new DailyBalances1733730000000();
      await migration.down(runner);
      await migration.up(runner);
      const backfilled = await runner.query(
        `SELECT to_char(d.day, 'YYYY-MM-DD') AS day, a.number AS account, d.debit_cents::text AS debit, d.credit_cents::text AS credit
           FROM account_daily_balances d JOIN accounts a ON a.organization_id = d.organization_id AND a.id = d.account_id
          WHERE d.organization_id = $1 AND (d.debit_cents <> 0 OR d.credit_cents <> 0) ORDER BY 1, 2`,
        [ctx.organizationId],
      );
      expect(backfilled).toEqual(built);
      // The whole database, every organization: the backfill is the lines' daily sums.
      const [{ n }] = await runner.query(
        `SELECT count(*)::int AS n FROM (
           (SELECT organization_id, fiscal_year_id, day, account_id, debit_cents, credit_cents FROM account_daily_balances
             EXCEPT SELECT * FROM (${DAILY_BALANCES_FROM_LINES_SQL}) x)
           UNION ALL
           (SELECT * FROM (${DAILY_BALANCES_FROM_LINES_SQL}) x
             EXCEPT SELECT organization_id, fiscal_year_id, day, account_id, debit_cents, credit_cents FROM account_daily_balances)) diff`,
      );
      expect(n).toBe(0);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
