import { randomUUID } from 'node:crypto';
import { createLedgerHarness, type LedgerHarness } from '@ruche/testing';
import type { OrgContext } from '@ruche/core';

/** The rules hold in the database itself, whatever code writes to it. */
describe('ledger: rules enforced by PostgreSQL', () => {
  let h: LedgerHarness;
  let ctx: OrgContext;
  let entryId: string;

  beforeAll(async () => {
    h = await createLedgerHarness();
  });
  beforeEach(async () => {
    ctx = await h.newOrganization();
    const posted = await h.ledger.post(ctx, {
      journal: 'BQ',
      date: '2026-02-14',
      label: 'Don',
      source: `test:${randomUUID()}`,
      lines: [
        { account: '5112', debitCents: 5000, creditCents: 0 },
        { account: '75411', debitCents: 0, creditCents: 5000 },
      ],
    });
    entryId = posted.entryId;
  });
  afterAll(() => h.close());

  const q = (sql: string, params: unknown[] = []) => h.dataSource.query(sql, params);

  it('refuses UPDATE and DELETE of a posted entry and of its lines', async () => {
    await expect(q(`UPDATE journal_entries SET label = 'x' WHERE id = $1`, [entryId])).rejects.toThrow(/immutable/);
    await expect(q(`DELETE FROM journal_entries WHERE id = $1`, [entryId])).rejects.toThrow(/immutable/);
    await expect(q(`UPDATE journal_entry_lines SET debit_cents = 1 WHERE entry_id = $1 AND line_no = 1`, [entryId])).rejects.toThrow(/immutable/);
    await expect(q(`DELETE FROM journal_entry_lines WHERE entry_id = $1`, [entryId])).rejects.toThrow(/immutable/);
    const [account] = (await q(`SELECT id FROM accounts WHERE organization_id = $1 AND number = '530'`, [ctx.organizationId])) as { id: string }[];
    await expect(
      q(`INSERT INTO journal_entry_lines (entry_id, line_no, organization_id, account_id, debit_cents, credit_cents) VALUES ($1, 3, $2, $3, 1, 0)`, [entryId, ctx.organizationId, account?.id]),
    ).rejects.toThrow(/immutable/);
  });

  it('refuses to commit an unbalanced posted entry, or one with a single line', async () => {
    const [fy] = (await q('SELECT id FROM fiscal_years WHERE organization_id = $1', [ctx.organizationId])) as { id: string }[];
    const [journal] = (await q(`SELECT id FROM journals WHERE organization_id = $1 AND code = 'OD'`, [ctx.organizationId])) as { id: string }[];
    const accounts = new Map(((await q(`SELECT number, id FROM accounts WHERE organization_id = $1`, [ctx.organizationId])) as { number: string; id: string }[]).map((a) => [a.number, a.id]));
    const attempt = (lines: [string, number, number][]) =>
      h.dataSource.transaction(async (tx) => {
        const id = randomUUID();
        const total = lines.reduce((s, l) => s + l[1], 0);
        await tx.query(
          `INSERT INTO journal_entries (id, organization_id, fiscal_year_id, journal_id, number, entry_date, label, status, posted_at, currency, total_cents)
           VALUES ($1, $2, $3, $4, 999, '2026-03-01', 'raw', 'posted', now(), 'EUR', $5)`,
          [id, ctx.organizationId, fy?.id, journal?.id, total],
        );
        let n = 0;
        for (const [number, debit, credit] of lines) {
          n++;
          await tx.query(
            `INSERT INTO journal_entry_lines (entry_id, line_no, organization_id, account_id, debit_cents, credit_cents) VALUES ($1, $2, $3, $4, $5, $6)`,
            [id, n, ctx.organizationId, accounts.get(number), debit, credit],
          );
        }
      });
    await expect(attempt([['530', 1000, 0], ['7561', 0, 999]])).rejects.toThrow(/unbalanced/);
    await expect(attempt([['530', 1000, 0]])).rejects.toThrow(/unbalanced/);
    await expect(attempt([['530', 1000, 1000], ['7561', 0, 1000]])).rejects.toThrow(/ck_journal_entry_lines_one_side/);
    const [{ n }] = (await q(`SELECT count(*)::int AS n FROM journal_entries WHERE organization_id = $1`, [ctx.organizationId])) as { n: number }[];
    expect(n).toBe(1);
  });

  it('refuses postings in a closed fiscal year', async () => {
    await q(`UPDATE fiscal_years SET status = 'closed' WHERE organization_id = $1`, [ctx.organizationId]);
    await expect(
      h.ledger.post(ctx, {
        journal: 'BQ',
        date: '2026-05-01',
        label: 'Trop tard',
        source: `test:${randomUUID()}`,
        lines: [
          { account: '5112', debitCents: 100, creditCents: 0 },
          { account: '75411', debitCents: 0, creditCents: 100 },
        ],
      }),
    ).rejects.toMatchObject({ code: 'accounting.fiscal_year_closed' });
  });

  it('keeps fiscal years from overlapping even when written directly', async () => {
    await expect(
      q(`INSERT INTO fiscal_years (id, organization_id, start_date, end_date) VALUES ($1, $2, '2026-06-01', '2027-05-31')`, [randomUUID(), ctx.organizationId]),
    ).rejects.toThrow(/overlaps/);
  });

  it('keeps monthly balances in step with posted lines, in the posting transaction', async () => {
    const rows = (await q(
      `SELECT a.number, to_char(b.period_month, 'YYYY-MM-DD') AS month, b.debit_cents::int AS debit, b.credit_cents::int AS credit
         FROM account_balances b JOIN accounts a ON a.organization_id = b.organization_id AND a.id = b.account_id
        WHERE b.organization_id = $1 ORDER BY a.number`,
      [ctx.organizationId],
    )) as unknown[];
    expect(rows).toEqual([
      { number: '5112', month: '2026-02-01', debit: 5000, credit: 0 },
      { number: '75411', month: '2026-02-01', debit: 0, credit: 5000 },
    ]);
    await expect(q(`DELETE FROM account_balances WHERE organization_id = $1`, [ctx.organizationId])).rejects.toThrow(/append-only/);
  });

  it('never reads or writes across organizations: another organization cannot see or reverse the entry', async () => {
    const other = await h.newOrganization();
    await expect(h.ledger.get(other, entryId)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(h.ledger.reverse(other, entryId, {})).rejects.toMatchObject({ kind: 'not_found' });
    // A line of one organization cannot point at another organization's entry or account (composite keys).
    const [account] = (await q(`SELECT id FROM accounts WHERE organization_id = $1 AND number = '530'`, [ctx.organizationId])) as { id: string }[];
    const draft = await h.ledger.create(other, {
      journal: 'CA',
      date: '2026-02-01',
      label: 'Caisse',
      lines: [
        { account: '530', debit: 1 },
        { account: '7561', credit: 1 },
      ],
      post: false,
    });
    await expect(
      q(`INSERT INTO journal_entry_lines (entry_id, line_no, organization_id, account_id, debit_cents, credit_cents) VALUES ($1, 9, $2, $3, 1, 0)`, [draft.id, other.organizationId, account?.id]),
    ).rejects.toThrow(/fk_journal_entry_lines_account/);
  });
});
