/**
 * Proof: numbering and balances under concurrency.
 *
 * One organization with fiscal receipts enabled (one receipt per gift) and Stripe connected; the
 * API on PostgreSQL with its BullMQ worker (real Redis). At the same moment, 200 requests:
 * - 100 donations through the product's real paths: 50 recorded at the desk (cheque, cash and
 *   transfer, 45 from people and 5 from a company) and 50 one-off card gifts made on the public
 *   donation page, whose signed `checkout.session.completed` webhooks all arrive together;
 * - 100 manual journal entries (2 or 3 lines, five journals, 70 dated this year and 30 last
 *   year, so the first postings of the previous year also open its fiscal year concurrently),
 *   some on the very accounts the gifts use (5112, 5121, 530, 627, 75411).
 *
 * What it proves: every request answered 2xx at the first attempt (no 409, no 503, no 5xx); entry
 * numbers unique and gapless in each fiscal year (170 this year, 30 last year) and equal to the
 * fiscal year's counter; 100 receipts numbered 1 to 100 without a gap or a duplicate, one per
 * gift; exactly 100 payment records, all succeeded; each account's balance equal to the sum of
 * what the inputs posted (computed here from the amounts, fees and the posting accounts); the
 * trial balance of each fiscal year is zero.
 */
import request from 'supertest';
import type {
  ContactView,
  DonationView,
  EntryView,
  JoinResultView,
  PostingAccountView,
  TrialBalanceView,
} from '@ruche/contracts';
import { FakeStripe, signupOrganization, type TestApp } from '@ruche/testing';
import { createTestApi } from '../testing';
import { connectStripe, deliver, type StripeOrg } from '../payments/stripe.test-support';
import { makeReceiptsReady } from '../donations/receipts.test-support';

jest.setTimeout(180_000);

const DESK_GIFTS = 50;
const ONLINE_GIFTS = 50;
const ENTRIES = 100;
const PEOPLE = 15;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const euros = (cents: number) => (cents / 100).toFixed(2);

async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 90_000,
): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    // Past the deadline the caller's assertions say what is missing.
    if (Date.now() > deadline) return null;
    await sleep(200);
  }
}

/** A day of `year` (UTC), spread by `i` and never after today. */
function dayOf(year: number, i: number): string {
  const start = Date.UTC(year, 0, 1);
  const last = Math.min(Date.UTC(year, 11, 31), Date.now());
  const span = Math.floor((last - start) / 86_400_000) + 1;
  return new Date(start + ((i * 37) % span) * 86_400_000).toISOString().slice(0, 10);
}

interface ManualEntry {
  journal: string;
  date: string;
  label: string;
  pieceRef: string;
  lines: { account: string; debit?: string; credit?: string }[];
  post: true;
}

/** The 100 manual entries: five shapes in turn, amounts all different. */
function manualEntry(
  i: number,
  thisYear: number,
): { body: ManualEntry; cents: [string, number][] } {
  const year = i % 10 < 3 ? thisYear - 1 : thisYear;
  const a = 1_000 + 173 * i;
  const b = 500 + 61 * i;
  const shapes: { journal: string; label: string; lines: [string, number][] }[] = [
    {
      journal: 'BQ',
      label: 'Prestation encaissée',
      lines: [
        ['5121', a],
        ['706', -a],
      ],
    },
    {
      journal: 'CA',
      label: 'Don en espèces (manuel)',
      lines: [
        ['530', a],
        ['75411', -a],
      ],
    },
    {
      journal: 'HA',
      label: 'Frais bancaires',
      lines: [
        ['627', b],
        ['5121', -b],
      ],
    },
    {
      journal: 'OD',
      label: 'Cotisations remises',
      lines: [
        ['5112', a],
        ['5121', b],
        ['7561', -(a + b)],
      ],
    },
    {
      journal: 'BQ',
      label: 'Facture adhérent',
      lines: [
        ['411', a],
        ['706', -a],
      ],
    },
  ];
  const shape = shapes[i % shapes.length];
  return {
    body: {
      journal: shape.journal,
      date: dayOf(year, i),
      label: `${shape.label} n° ${i + 1}`,
      pieceRef: `PROOF-${i + 1}`,
      lines: shape.lines.map(([account, cents]) =>
        cents > 0 ? { account, debit: euros(cents) } : { account, credit: euros(-cents) },
      ),
      post: true,
    },
    cents: shape.lines,
  };
}

describe('proof: 100 donations and 100 manual entries at the same time', () => {
  let t: TestApp;
  let fake: FakeStripe;
  let org: StripeOrg;

  beforeAll(async () => {
    fake = await new FakeStripe().start();
    t = await createTestApi({ queue: 'bullmq', env: { STRIPE_API_BASE: fake.url } });
    org = await connectStripe(await signupOrganization(t, 'Les Amis du Refuge'));
    await makeReceiptsReady(org.owner, { sendByEmail: false });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('numbers entries and receipts without gaps and keeps every balance exact', async () => {
    const { owner, staff } = org;
    const server = t.app.getHttpServer();
    const thisYear = new Date().getUTCFullYear();
    const today = new Date().toISOString().slice(0, 10);
    const startedAt = Date.now();

    // The donors known at the desk: people with an address, and one company.
    const people: ContactView[] = [];
    for (let i = 0; i < PEOPLE; i += 5) {
      const batch = await Promise.all(
        Array.from({ length: 5 }, (_, k) =>
          owner
            .post(`${staff}/contacts`, {
              firstName: 'Donateur',
              lastName: `Guichet ${i + k}`,
              email: `guichet.${i + k}.${Date.now()}@example.org`,
              addressLine1: `${i + k + 1} rue des Lilas`,
              postalCode: '69003',
              city: 'Lyon',
            })
            .expect(201),
        ),
      );
      people.push(...batch.map((r) => r.body as ContactView));
    }
    const company = (
      await owner
        .post(`${staff}/contacts`, {
          kind: 'organization',
          organizationName: 'Boulangerie Dupain SARL',
          siren: '732829320',
          email: `compta.${Date.now()}@dupain.example`,
          addressLine1: '3 rue du Four',
          postalCode: '69004',
          city: 'Lyon',
        })
        .expect(201)
    ).body as ContactView;

    // The online donors fill in the donation page and pay at Checkout (before the rush).
    const online: {
      paymentId: string;
      cents: number;
      fee: number;
      event: Record<string, unknown>;
    }[] = [];
    for (let i = 0; i < ONLINE_GIFTS; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: 10 }, async (_, k) => {
          const n = i + k;
          const cents = 2_000 + 150 * n;
          const started = await request(server)
            .post(`/api/v1/public/orgs/${owner.orgId}/donate`)
            .send({
              amount: euros(cents),
              firstName: 'Donatrice',
              lastName: `En ligne ${n}`,
              email: `en-ligne.${n}.${Date.now()}@example.org`,
              addressLine1: '7 rue Mercière',
              postalCode: '69002',
              city: 'Lyon',
              method: 'card',
            })
            .expect(201);
          return {
            paymentId: (started.body as JoinResultView).paymentId,
            cents,
            fee: 30 + 10 * (n % 7),
          };
        }),
      );
      for (const gift of batch) {
        const session = fake.sessionFor(gift.paymentId)!;
        fake.pay(session.id, { method: 'card', feeCents: gift.fee });
        online.push({ ...gift, event: fake.event('checkout.session.completed', session) });
      }
    }

    const desk = Array.from({ length: DESK_GIFTS }, (_, i) => {
      const method = (['cheque', 'cash', 'transfer'] as const)[i % 3];
      const donor = i % 10 === 9 ? company : people[i % PEOPLE];
      return {
        donor,
        method,
        cents: 1_000 + 137 * i,
        body: {
          contactId: donor.id,
          amount: euros(1_000 + 137 * i),
          method,
          receivedOn: today,
          ...(method === 'cheque' ? { chequeNumber: String(1_000_000 + i) } : {}),
          ...(method === 'transfer' ? { reference: `VIR-${i}` } : {}),
        },
      };
    });
    const entries = Array.from({ length: ENTRIES }, (_, i) => manualEntry(i, thisYear));

    // The rush: 200 requests at once, the three kinds interleaved.
    const calls: { kind: 'desk' | 'webhook' | 'entry'; run: () => request.Test }[] = [];
    for (let i = 0; i < ENTRIES; i++) {
      calls.push({
        kind: 'entry',
        run: () => owner.post(`${staff}/accounting/entries`, entries[i].body),
      });
      if (i < DESK_GIFTS)
        calls.push({ kind: 'desk', run: () => owner.post(`${staff}/donations`, desk[i].body) });
      if (i < ONLINE_GIFTS)
        calls.push({ kind: 'webhook', run: () => deliver(t, org, online[i].event) });
    }
    const rushStartedAt = Date.now();
    const answers = await Promise.all(
      calls.map(async ({ kind, run }) => {
        const res = await run();
        return { kind, status: res.status, body: res.body as unknown };
      }),
    );
    const rushMs = Date.now() - rushStartedAt;

    // Every request done at the first attempt.
    const expected = { desk: 201, webhook: 200, entry: 201 };
    expect(answers.filter((a) => a.status !== expected[a.kind])).toEqual([]);
    expect(answers.filter((a) => a.kind === 'desk')).toHaveLength(DESK_GIFTS);
    expect(answers.filter((a) => a.kind === 'webhook')).toHaveLength(ONLINE_GIFTS);
    expect(answers.filter((a) => a.kind === 'entry')).toHaveLength(ENTRIES);

    // The worker records the card gifts and issues the 100 receipts (waited for, then asserted).
    const count = async (sql: string) =>
      (await t.dataSource.query<{ n: number }[]>(sql, [owner.orgId]))[0].n;
    await until(
      'the card gifts recorded and 100 receipts issued',
      async () =>
        (await count(
          "SELECT count(*)::int AS n FROM stripe_events WHERE organization_id = $1 AND state = 'received'",
        )) === 0 &&
        (await count('SELECT count(*)::int AS n FROM receipts WHERE organization_id = $1')) >=
          DESK_GIFTS + ONLINE_GIFTS,
    );
    const settledMs = Date.now() - rushStartedAt;
    expect(
      await t.dataSource.query(
        "SELECT id, type, state, error FROM stripe_events WHERE organization_id = $1 AND state <> 'processed'",
        [owner.orgId],
      ),
    ).toEqual([]);

    // Entry numbers: unique and gapless per fiscal year, the counter at the last one. A year
    // opened after the other one keeps number 1 for its à-nouveaux (posted when the previous
    // year closes): its entries then run from 2 (which year is opened first is the race's).
    const years = await t.dataSource.query<
      {
        id: string;
        start_date: string;
        last_entry_number: number;
        opening_entry_number: number | null;
        numbers: number[];
      }[]
    >(
      `SELECT y.id, to_char(y.start_date, 'YYYY-MM-DD') AS start_date, y.last_entry_number, y.opening_entry_number,
              array_agg(e.number ORDER BY e.number) AS numbers
         FROM fiscal_years y JOIN journal_entries e ON e.organization_id = y.organization_id AND e.fiscal_year_id = y.id AND e.status = 'posted'
        WHERE y.organization_id = $1 GROUP BY y.id ORDER BY y.start_date`,
      [owner.orgId],
    );
    expect(years.map((y) => [y.start_date, y.numbers.length])).toEqual([
      [`${thisYear - 1}-01-01`, 30],
      [`${thisYear}-01-01`, 70 + DESK_GIFTS + ONLINE_GIFTS],
    ]);
    for (const year of years) {
      const kept = year.opening_entry_number ?? 0;
      expect(year.numbers).toEqual(
        Array.from({ length: year.numbers.length }, (_, i) => kept + i + 1),
      );
      expect(year.last_entry_number).toBe(kept + year.numbers.length);
    }
    expect(years[0].opening_entry_number).toBeNull();
    // What the API answered for each manual entry is what the books hold.
    const answered = answers
      .filter((a) => a.kind === 'entry')
      .map((a) => a.body as EntryView)
      .map((e) => `${e.fiscalYearId}#${e.number}`);
    expect(new Set(answered).size).toBe(ENTRIES);

    // Receipts: 1 to 100, once each, one per gift.
    const receipts = await t.dataSource.query<
      { year: number; number: number; reference: string }[]
    >('SELECT year, number, reference FROM receipts WHERE organization_id = $1 ORDER BY number', [
      owner.orgId,
    ]);
    const receiptYear = receipts[0]?.year;
    expect(receipts.map((r) => r.number)).toEqual(
      Array.from({ length: DESK_GIFTS + ONLINE_GIFTS }, (_, i) => i + 1),
    );
    expect(receipts.every((r) => r.year === receiptYear)).toBe(true);
    expect(receipts.map((r) => r.reference)).toEqual(
      receipts.map((r) => `${receiptYear}-${String(r.number).padStart(6, '0')}`),
    );
    expect(
      await t.dataSource.query(
        'SELECT year, last_number FROM receipt_sequences WHERE organization_id = $1',
        [owner.orgId],
      ),
    ).toEqual([{ year: receiptYear, last_number: DESK_GIFTS + ONLINE_GIFTS }]);
    const donations = await t.dataSource.query<
      { status: string; source: string; receipted: number; n: number }[]
    >(
      `SELECT d.status, d.source, count(DISTINCT l.receipt_id)::int AS receipted, count(DISTINCT d.id)::int AS n
         FROM donations d
         LEFT JOIN receipt_gifts g ON g.organization_id = d.organization_id AND g.source_id = d.id
         LEFT JOIN receipt_lines l ON l.organization_id = g.organization_id AND l.gift_id = g.id AND l.active
        WHERE d.organization_id = $1 GROUP BY d.status, d.source ORDER BY d.source`,
      [owner.orgId],
    );
    expect(donations).toEqual([
      { status: 'paid', source: 'desk', receipted: DESK_GIFTS, n: DESK_GIFTS },
      { status: 'paid', source: 'online', receipted: ONLINE_GIFTS, n: ONLINE_GIFTS },
    ]);

    // Payments: exactly one record per gift, all received.
    expect(
      await t.dataSource.query(
        `SELECT provider, status, count(*)::int AS n FROM payments WHERE organization_id = $1
          GROUP BY provider, status ORDER BY provider`,
        [owner.orgId],
      ),
    ).toEqual([
      { provider: 'manual', status: 'succeeded', n: DESK_GIFTS },
      { provider: 'stripe', status: 'succeeded', n: ONLINE_GIFTS },
    ]);

    // Balances: what the inputs posted, through the organization's posting accounts.
    const roles = new Map(
      (
        (await owner.get(`${staff}/accounting/posting-accounts`).expect(200))
          .body as PostingAccountView[]
      ).map((r) => [r.role, r.accountNumber]),
    );
    const account = (role: string) => {
      const number = roles.get(role as PostingAccountView['role']);
      if (!number) throw new Error(`No account for ${role}`);
      return number;
    };
    const expectedBalances = new Map<string, number>();
    const add = (number: string, cents: number) =>
      expectedBalances.set(number, (expectedBalances.get(number) ?? 0) + cents);
    for (const e of entries) for (const [number, cents] of e.cents) add(number, cents);
    for (const gift of desk) {
      add(
        account({ cheque: 'cheques_to_deposit', cash: 'cash', transfer: 'bank' }[gift.method]),
        gift.cents,
      );
      add(
        account(gift.donor.kind === 'organization' ? 'sponsorship_revenue' : 'donation_revenue'),
        -gift.cents,
      );
    }
    for (const gift of online) {
      add(account('card_clearing'), gift.cents - gift.fee);
      add(account('bank_fees'), gift.fee);
      add(account('donation_revenue'), -gift.cents);
    }
    const actual = await t.dataSource.query<{ number: string; balance: string }[]>(
      `SELECT a.number, sum(l.debit_cents - l.credit_cents) AS balance FROM journal_entry_lines l
         JOIN journal_entries e ON e.organization_id = l.organization_id AND e.id = l.entry_id AND e.status = 'posted'
         JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
        WHERE l.organization_id = $1 GROUP BY a.number`,
      [owner.orgId],
    );
    const sorted = (map: Map<string, number>) =>
      Object.fromEntries(
        [...map].filter(([, v]) => v !== 0).sort(([a], [b]) => a.localeCompare(b)),
      );
    expect(sorted(new Map(actual.map((r) => [r.number, Number(r.balance)])))).toEqual(
      sorted(expectedBalances),
    );

    // The trial balance of each fiscal year: balanced, and its movements add up to the same.
    const reported = new Map<string, number>();
    for (const year of years) {
      const report = (
        await owner
          .get(`${staff}/accounting/reports/trial-balance?fiscalYearId=${year.id}`)
          .expect(200)
      ).body as TrialBalanceView;
      expect(report.totals.debitCents).toBe(report.totals.creditCents);
      expect(report.totals.closingCents).toBe(0);
      for (const row of report.rows)
        reported.set(
          row.accountNumber,
          (reported.get(row.accountNumber) ?? 0) + row.debitCents - row.creditCents,
        );
    }
    expect(sorted(reported)).toEqual(sorted(expectedBalances));
    expect([...expectedBalances.values()].reduce((a, b) => a + b, 0)).toBe(0);

    const donationViews = answers
      .filter((a) => a.kind === 'desk')
      .map((a) => a.body as DonationView);
    expect(new Set(donationViews.map((d) => d.id)).size).toBe(DESK_GIFTS);
    console.info(
      `concurrency figures: ${JSON.stringify({
        requestsAtOnce: calls.length,
        rushMs,
        settledMs,
        totalMs: Date.now() - startedAt,
        entriesPerYear: years.map((y) => [y.start_date, y.numbers.length]),
        receipts: receipts.length,
        accounts: Object.keys(sorted(expectedBalances)).length,
      })}`,
    );
  });
});
