import request from 'supertest';
import { signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import { ExportsService, GENERAL_LEDGER_CSV_COLUMNS } from '@ruche/accounting';
import type { GeneralLedgerView } from '@ruche/contracts';
import { createTestApi } from '../testing';

function entry(date: string, cents: number, label: string, accounts: [string, string]) {
  const amount = (cents / 100).toFixed(2);
  return {
    journal: 'OD',
    date,
    label,
    pieceRef: `P-${label}`,
    lines: [
      { account: accounts[0], debit: amount },
      { account: accounts[1], credit: amount },
    ],
    post: true,
  };
}

function binary(
  res: request.Response,
  callback: (error: Error | null, body: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

interface Merged {
  openingCents: number;
  closingCents: number;
  lines: {
    entryNumber: number;
    date: string;
    debitCents: number;
    creditCents: number;
    balanceCents: number;
  }[];
}

describe('general ledger in keyset pages, streamed CSV, bounded PDF', () => {
  let t: TestApp;
  let owner: TestSession;
  let fiscalYearId: string;
  const base = () => `/api/v1/orgs/${owner.orgId}/accounting`;
  const from = '2026-02-15';
  const saved = { csv: ExportsService.ledgerCsvPage, pdf: ExportsService.ledgerPdfMaxLines };

  beforeAll(async () => {
    t = await createTestApi();
    owner = await signupOrganization(t, 'Club des grands livres');
    // Cash only in January: a balance at `from` and no line in the period.
    fiscalYearId = (
      (
        await owner
          .post(`${base()}/entries`, entry('2026-01-05', 4200, 'Caisse', ['530', '75411']))
          .expect(201)
      ).body as { fiscalYearId: string }
    ).fiscalYearId;
    for (let i = 1; i <= 24; i++) {
      const date = `2026-0${1 + (i % 4)}-${String(1 + ((i * 7) % 28)).padStart(2, '0')}`;
      const accounts: [string, string] = i % 3 === 0 ? ['6064', '5121'] : ['5121', '7561'];
      await owner
        .post(`${base()}/entries`, entry(date, 1000 + i * 37, `E${i}`, accounts))
        .expect(201);
    }
  });
  afterEach(() => {
    ExportsService.ledgerCsvPage = saved.csv;
    ExportsService.ledgerPdfMaxLines = saved.pdf;
  });
  afterAll(() => t.close());

  /** The ledger computed straight from the lines, without the reports code. */
  async function expected(): Promise<Map<string, Merged>> {
    const rows = await t.dataSource.query<
      {
        number: string;
        entry_number: number;
        date: string;
        debit: string;
        credit: string;
        before: boolean;
      }[]
    >(
      `SELECT a.number, e.number AS entry_number, to_char(e.entry_date, 'YYYY-MM-DD') AS date, l.debit_cents AS debit, l.credit_cents AS credit, e.entry_date < $2 AS before
         FROM journal_entry_lines l JOIN journal_entries e ON e.id = l.entry_id AND e.status = 'posted'
         JOIN accounts a ON a.id = l.account_id
        WHERE l.organization_id = $1 ORDER BY a.number, e.entry_date, e.number, l.line_no`,
      [owner.orgId, from],
    );
    const result = new Map<string, Merged>();
    for (const r of rows) {
      const a = result.get(r.number) ?? { openingCents: 0, closingCents: 0, lines: [] };
      result.set(r.number, a);
      const move = Number(r.debit) - Number(r.credit);
      a.closingCents += move;
      if (r.before) a.openingCents += move;
      else
        a.lines.push({
          entryNumber: r.entry_number,
          date: r.date,
          debitCents: Number(r.debit),
          creditCents: Number(r.credit),
          balanceCents: a.closingCents,
        });
    }
    return result;
  }

  it('pages with a cursor: the pages concatenate to the whole ledger, running balances carried across', async () => {
    const pages: GeneralLedgerView[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `fiscalYearId=${fiscalYearId}&from=${from}&limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await owner.get(`${base()}/reports/general-ledger?${query}`).expect(200))
        .body as GeneralLedgerView;
      expect(page.accounts.reduce((n, a) => n + a.lines.length, 0)).toBeLessThanOrEqual(7);
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor !== null && pages.length < 50);
    expect(pages.length).toBeGreaterThan(3);

    const merged = new Map<string, Merged>();
    for (const page of pages) {
      for (const a of page.accounts) {
        const known = merged.get(a.accountNumber);
        expect([a.accountNumber, a.continued]).toEqual([a.accountNumber, known !== undefined]);
        const m = known ?? {
          openingCents: a.openingCents,
          closingCents: a.closingCents,
          lines: [],
        };
        // The running balance goes on from the last line of the previous page.
        expect(a.broughtForwardCents).toBe(m.lines.at(-1)?.balanceCents ?? m.openingCents);
        m.lines.push(
          ...a.lines.map((l) => ({
            entryNumber: l.entryNumber,
            date: l.date,
            debitCents: l.debitCents,
            creditCents: l.creditCents,
            balanceCents: l.balanceCents,
          })),
        );
        merged.set(a.accountNumber, m);
      }
    }
    const reference = await expected();
    expect(Object.fromEntries(merged)).toEqual(Object.fromEntries(reference));
    expect(merged.get('530')).toEqual({ openingCents: 4200, closingCents: 4200, lines: [] });

    // One page as large as the ledger gives the same thing at once.
    const whole = (
      await owner
        .get(
          `${base()}/reports/general-ledger?fiscalYearId=${fiscalYearId}&from=${from}&limit=2000`,
        )
        .expect(200)
    ).body as GeneralLedgerView;
    expect(whole.nextCursor).toBeNull();
    expect(
      whole.accounts.map((a) => [
        a.accountNumber,
        a.openingCents,
        a.lines.map((l) => l.balanceCents),
      ]),
    ).toEqual(
      [...reference].map(([n, a]) => [n, a.openingCents, a.lines.map((l) => l.balanceCents)]),
    );
  });

  it('streams the CSV in keyset pages: the same rows as the concatenated pages', async () => {
    ExportsService.ledgerCsvPage = 3;
    const res = await owner
      .get(`${base()}/reports/general-ledger?fiscalYearId=${fiscalYearId}&from=${from}&format=csv`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const rows = (res.body as Buffer)
      .toString('utf8')
      .replace(/^\ufeff/, '')
      .split('\r\n')
      .filter((r) => r !== '')
      .map((r) => r.split(';'));
    expect(rows[0]).toEqual([...GENERAL_LEDGER_CSV_COLUMNS]);
    const cents = (s: string | undefined) => Math.round(Number((s ?? '').replace(',', '.')) * 100);
    const want: string[] = [];
    for (const [number, a] of await expected()) {
      want.push(`${number} ${from} opening ${a.openingCents}`);
      for (const l of a.lines) want.push(`${number} ${l.date} ${l.entryNumber} ${l.balanceCents}`);
    }
    const got = rows
      .slice(1)
      .map((r) =>
        r[4] === ''
          ? `${r[0]} ${r[2]} opening ${cents(r[9])}`
          : `${r[0]} ${r[2]} ${r[4]} ${cents(r[9])}`,
      );
    expect(got).toEqual(want);
  });

  it('refuses a PDF beyond its line limit, pointing to the CSV', async () => {
    ExportsService.ledgerPdfMaxLines = 10;
    const res = await owner
      .get(`${base()}/reports/general-ledger?fiscalYearId=${fiscalYearId}&format=pdf`)
      .expect(422);
    expect(res.body.errors[0]).toMatchObject({
      field: 'format',
      code: 'accounting.ledger_too_large_for_pdf',
    });
    expect(res.body.errors[0].message).toContain('CSV');
    await owner
      .get(`${base()}/reports/general-ledger?fiscalYearId=${fiscalYearId}&account=530&format=pdf`)
      .expect(200);
  });

  it('refuses a forged cursor and keeps other organizations out', async () => {
    const bad = await owner
      .get(`${base()}/reports/general-ledger?fiscalYearId=${fiscalYearId}&cursor=nonsense`)
      .expect(422);
    expect(bad.body.errors[0]).toMatchObject({ field: 'cursor' });
    // Shaped like a cursor, with numbers PostgreSQL's int cannot hold: the same refusal.
    const huge = Buffer.from(JSON.stringify(['5112', '2026-01-10', 3_000_000_000, 1])).toString(
      'base64url',
    );
    const outOfRange = await owner
      .get(`${base()}/reports/general-ledger?fiscalYearId=${fiscalYearId}&cursor=${huge}`)
      .expect(422);
    expect(outOfRange.body.errors[0]).toMatchObject({
      field: 'cursor',
      code: 'accounting.bad_cursor',
    });
    await owner
      .get(`${base()}/reports/general-ledger?fiscalYearId=${fiscalYearId}&limit=2001`)
      .expect(400);
    const stranger = await signupOrganization(t, 'Autre association');
    await stranger
      .get(
        `/api/v1/orgs/${stranger.orgId}/accounting/reports/general-ledger?fiscalYearId=${fiscalYearId}&limit=5`,
      )
      .expect(404);
    await stranger
      .get(
        `/api/v1/orgs/${stranger.orgId}/accounting/reports/general-ledger?fiscalYearId=${fiscalYearId}&format=csv`,
      )
      .expect(404);
  });
});
