/**
 * Proof: a PostgreSQL restart under load.
 *
 * The API runs in this process with its pool (5 connections) and its BullMQ worker (real Redis),
 * its DATABASE_URL pointing at a TCP proxy in front of PostgreSQL (the shared server itself is
 * never restarted). While signed Stripe webhooks (100 distinct events of 50 Checkout payments of
 * 25.00 €, fee 0.60 €, sent by 3 clients), authenticated reads (2 clients), writes (manual journal
 * entries and gifts recorded at the desk, in turn) and health probes keep coming, the proxy plays
 * a restart: the server stops answering until at least 3 queries are in flight, then every
 * connection is cut the ways a restart cuts them (FATAL 57P01 admin_shutdown, reset, closed) and
 * new ones are refused for 4 seconds, then accepted again. Then, one way at a time, the queries
 * of 7 requests are held and cut mid-flight.
 *
 * What it proves (a run answers about 600 requests, 400 of them during the outage):
 * - nothing fails before the restart, no answer is a 500 and none hangs: 2xx, or 503
 *   `{ code: 'unavailable' }` with Retry-After;
 * - /api/health answers 503 (database down) during the outage and 200 after;
 * - once PostgreSQL is back the API answers 2xx again (reads, writes, webhooks) with no restart
 *   and nothing done by hand;
 * - no accepted webhook is lost: every event answered 200 is stored and processed exactly once
 *   (one succeeded status change and one ledger entry per payment, the Stripe accounts exact),
 *   even those whose jobs used up their retries during the outage; the events answered 503 are
 *   delivered again, as Stripe does, and processed too;
 * - every entry and gift answered 201 is in the books, entry numbers have no gap, the trial
 *   balance is zero;
 * - a request whose query is cut mid-flight (57P01, reset or closed) answers 503, then 200.
 */
import request from 'supertest';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import type { DataSource } from 'typeorm';
import type {
  ContactView,
  DonationView,
  EntryView,
  JoinResultView,
  TrialBalanceView,
} from '@ruche/contracts';
import {
  FakeStripe,
  openTestDataSource,
  signupOrganization,
  workerDatabaseUrl,
  type TestApp,
} from '@ruche/testing';
import { createTestApi } from '../testing';
import { connectStripe, type StripeOrg } from '../payments/stripe.test-support';

jest.setTimeout(180_000);

const PAYMENTS = 50;
const AMOUNT_CENTS = 2500;
const FEE_CENTS = 60;
const OUTAGE_MS = 4_000;
/** Longer than anything may take (a pooled connection is awaited 10 s at most): past it, a hang. */
const REQUEST_TIMEOUT_MS = 20_000;

const euros = (cents: number) => (cents / 100).toFixed(2);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** How a connection dies when PostgreSQL goes down. */
type Ending = 'admin_shutdown' | 'reset' | 'close';
const ENDINGS: Ending[] = ['admin_shutdown', 'reset', 'close'];

/** The ErrorResponse a backend sends before closing on a fast shutdown (FATAL 57P01). */
function adminShutdownMessage(): Buffer {
  const fields = [
    ['S', 'FATAL'],
    ['V', 'FATAL'],
    ['C', '57P01'],
    ['M', 'terminating connection due to administrator command'],
  ];
  const body = Buffer.concat([
    ...fields.map(([type, value]) => Buffer.from(`${type}${value}\0`, 'utf8')),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write('E', 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

interface Link {
  client: Socket;
  upstream: Socket;
  /** What the client sent while the proxy was frozen (a query the server never saw). */
  held: Buffer[];
  /**
   * The server saw the client's last query and has not answered yet (a query waiting for a
   * row lock that a transaction held by the freeze will never release, say).
   */
  awaiting: boolean;
}

/**
 * A TCP proxy in front of PostgreSQL that plays a restart: `freeze` stops forwarding what
 * clients send (the server stops answering: their queries stay in flight), `cut` ends every
 * connection and stops listening (new connections refused), `resume` listens again on the same
 * port.
 */
const hasQueryInFlight = (link: Link) => link.held.length > 0 || link.awaiting;

class RestartingProxy {
  private server: Server | null = null;
  private readonly links = new Set<Link>();
  private frozen = false;
  port = 0;
  accepted = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<this> {
    await this.listen();
    return this;
  }

  private listen(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private accept(client: Socket): void {
    this.accepted++;
    const upstream = connect(this.target.port, this.target.host);
    const link: Link = { client, upstream, held: [], awaiting: false };
    this.links.add(link);
    const drop = () => {
      this.links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.setNoDelay(true);
      socket.on('error', drop);
      socket.on('close', drop);
    }
    client.on('data', (chunk: Buffer) => {
      if (this.frozen) link.held.push(chunk);
      else {
        link.awaiting = true;
        upstream.write(chunk);
      }
    });
    upstream.on('data', () => (link.awaiting = false));
    upstream.pipe(client);
  }

  freeze(): void {
    this.frozen = true;
  }

  /**
   * Connections whose client sent a query that was never answered: held by the freeze, or seen
   * by the server before it and still unanswered.
   */
  get inFlight(): number {
    return [...this.links].filter(hasQueryInFlight).length;
  }

  /**
   * PostgreSQL goes down. A connection with a query in flight ends as `ending` says (or, when
   * 'mixed', each of the three ways in turn); an idle one is reset or closed, in turn; new
   * connections are refused until `resume`.
   */
  async cut(
    ending: Ending | 'mixed' = 'mixed',
  ): Promise<{ inFlight: Record<Ending, number>; idle: number }> {
    const server = this.server;
    this.server = null;
    const closed = new Promise<void>((resolve) =>
      server ? server.close(() => resolve()) : resolve(),
    );
    const inFlight: Record<Ending, number> = { admin_shutdown: 0, reset: 0, close: 0 };
    let busy = 0;
    let idle = 0;
    for (const link of [...this.links]) {
      this.links.delete(link);
      link.upstream.removeAllListeners('close');
      link.upstream.unpipe(link.client);
      link.upstream.destroy();
      if (hasQueryInFlight(link)) {
        // The admin_shutdown message can only be inserted where the server's stream is between
        // two messages: after it answered the client's last query (a held connection) or before
        // it answered anything of the one it is working on.
        const how = ending === 'mixed' ? ENDINGS[busy++ % 3] : ending;
        inFlight[how]++;
        if (how === 'admin_shutdown') link.client.end(adminShutdownMessage());
        else if (how === 'reset') link.client.resetAndDestroy();
        else link.client.destroy();
      } else {
        if (ending === 'reset' || (ending === 'mixed' && idle % 2 === 0))
          link.client.resetAndDestroy();
        else link.client.destroy();
        idle++;
      }
    }
    this.frozen = false;
    await closed;
    return { inFlight, idle };
  }

  async resume(): Promise<void> {
    await this.listen();
  }
}

type Phase = 'before' | 'outage' | 'after';

interface Answer {
  kind: 'webhook' | 'read' | 'write' | 'health';
  phase: Phase;
  status: number;
  code: string | undefined;
  retryAfter: string | undefined;
  body: unknown;
}

describe('proof: a database restart under load', () => {
  let proxy: RestartingProxy;
  let t: TestApp;
  let direct: DataSource;
  let fake: FakeStripe;
  let org: StripeOrg;
  let events: Record<string, unknown>[] = [];
  let phase: Phase = 'before';
  const answers: Answer[] = [];
  const hung: string[] = [];
  const figures: Record<string, unknown> = {};

  /** Sends a request and records its answer; a request that fails to answer in time is a hang. */
  async function call(kind: Answer['kind'], test: request.Test): Promise<Answer | null> {
    try {
      const res = await test.timeout(REQUEST_TIMEOUT_MS);
      const body = res.body as { code?: string } | undefined;
      const answer: Answer = {
        kind,
        phase,
        status: res.status,
        code: body?.code,
        retryAfter: res.headers['retry-after'],
        body: res.body,
      };
      answers.push(answer);
      return answer;
    } catch (error) {
      hung.push(`${kind}: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  /** Signed by Stripe for this delivery, as each of Stripe's attempts is. */
  function delivery(event: Record<string, unknown>): request.Test {
    const { body, signature } = FakeStripe.sign(event, org.secret);
    return request(t.app.getHttpServer())
      .post(`/api/v1/webhooks/stripe/${org.owner.orgId}`)
      .set('content-type', 'application/json')
      .set('stripe-signature', signature)
      .send(body);
  }

  function expectNo500(list: Answer[]): void {
    expect(list.filter((a) => a.status !== 503 && (a.status < 200 || a.status > 299))).toEqual([]);
    for (const a of list.filter((x) => x.status === 503)) {
      if (a.kind === 'health')
        expect(a.body).toMatchObject({ status: 'degraded', database: 'down' });
      else {
        expect(a.code).toBe('unavailable');
        expect(Number(a.retryAfter)).toBeGreaterThan(0);
      }
    }
  }

  beforeAll(async () => {
    fake = await new FakeStripe().start();
    const databaseUrl = new URL(await workerDatabaseUrl());
    proxy = await new RestartingProxy({
      host: databaseUrl.hostname,
      port: Number(databaseUrl.port || 5432),
    }).start();
    const proxied = new URL(databaseUrl.toString());
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    t = await createTestApi({
      queue: 'bullmq',
      databaseUrl: proxied.toString(),
      // The owner's session stays in the per-process cache (refreshed before each freeze below):
      // the held queries are then the requests' own, not one session lookup they all share.
      env: { STRIPE_API_BASE: fake.url, SESSION_CACHE_SECONDS: '60' },
    });
    // The test's own view of the database, not through the proxy.
    direct = await openTestDataSource(undefined, 2);
    org = await connectStripe(await signupOrganization(t, 'Club des randonneurs'), '25');
  });
  afterAll(async () => {
    console.info(`database outage figures: ${JSON.stringify(figures)}`);
    await t?.close();
    await direct?.destroy();
    await proxy?.cut();
    await fake?.stop();
  });

  it('answers 503 (never 500) while PostgreSQL restarts, recovers by itself and loses no accepted webhook', async () => {
    const server = t.app.getHttpServer();
    const { owner, staff } = org;

    // 50 members join online and pay at Checkout: 100 distinct events to deliver.
    const paymentIds: string[] = [];
    for (let i = 0; i < PAYMENTS; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: 10 }, (_, k) =>
          request(server)
            .post(`/api/v1/public/orgs/${owner.orgId}/join`)
            .send({
              planId: org.planId,
              firstName: 'Marcheur',
              lastName: `N${i + k}`,
              email: `m${i + k}.${Date.now()}@outage.example.org`,
              acceptTerms: true,
            })
            .expect(201),
        ),
      );
      paymentIds.push(...batch.map((r) => (r.body as JoinResultView).paymentId));
    }
    events = paymentIds.flatMap((id) => {
      const session = fake.sessionFor(id)!;
      const { paymentIntent } = fake.pay(session.id, { feeCents: FEE_CENTS });
      return [
        fake.event('checkout.session.completed', session),
        fake.event('payment_intent.succeeded', paymentIntent),
      ];
    });
    const eventIds = events.map((e) => e['id'] as string);
    expect(new Set(eventIds).size).toBe(2 * PAYMENTS);

    let stopped = false;
    // Each event is delivered until answered 2xx (Stripe retries later: here, at the end).
    const accepted = new Set<string>();
    const refused = new Set<string>();
    const deliver = async (event: Record<string, unknown>) => {
      const answer = await call('webhook', delivery(event));
      const id = event['id'] as string;
      if (answer && answer.status >= 200 && answer.status < 300) {
        accepted.add(id);
        refused.delete(id);
      } else if (!accepted.has(id)) refused.add(id);
    };
    // The first 40 go before the cut, the next 30 during the outage, the last 30 once it is over.
    let allowed = 40;
    let next = 0;
    const senders = Array.from({ length: 3 }, async () => {
      while (!stopped && next < events.length) {
        if (next >= allowed) {
          await sleep(20);
          continue;
        }
        await deliver(events[next++]);
        await sleep(phase === 'outage' ? 100 : 10);
      }
    });
    const writtenIds: string[] = [];
    let written = 0;
    const entry = (label: string, cents: number) => ({
      journal: 'CA',
      date: new Date().toISOString().slice(0, 10),
      label,
      lines: [
        { account: '530', debit: euros(cents) },
        { account: '706', credit: euros(cents) },
      ],
      post: true,
    });
    const readers = Array.from({ length: 2 }, async (_, r) => {
      const urls = [
        `${staff}/payments?limit=20`,
        `${staff}/accounting/entries?limit=10`,
        '/api/v1/auth/me',
        `${staff}/stripe-events?limit=10`,
      ];
      for (let i = r; !stopped; i++) {
        await call('read', owner.get(urls[i % urls.length]));
        await sleep(20);
      }
    });
    // Writes: manual entries and gifts recorded at the desk, in turn.
    const donor = (
      await owner
        .post(`${staff}/contacts`, {
          firstName: 'Jeanne',
          lastName: 'Donatrice',
          email: `jeanne.${Date.now()}@outage.example.org`,
        })
        .expect(201)
    ).body as ContactView;
    const giftIds: string[] = [];
    const writer = (async () => {
      while (!stopped) {
        written++;
        if (written % 2 === 0) {
          const answer = await call(
            'write',
            owner.post(`${staff}/donations`, {
              contactId: donor.id,
              amount: euros(1_000 + written),
              method: 'cash',
              receivedOn: new Date().toISOString().slice(0, 10),
            }),
          );
          if (answer?.status === 201) giftIds.push((answer.body as DonationView).id);
        } else {
          const answer = await call(
            'write',
            owner.post(`${staff}/accounting/entries`, entry(`Buvette ${written}`, 100 + written)),
          );
          if (answer?.status === 201) writtenIds.push((answer.body as EntryView).id);
        }
        await sleep(50);
      }
    })();
    const health = (async () => {
      while (!stopped) {
        await call('health', request(server).get('/api/health'));
        await sleep(100);
      }
    })();

    await until('20 webhooks accepted and 5 entries written', async () => {
      return accepted.size >= 20 && writtenIds.length >= 3 && giftIds.length >= 3;
    });
    // The server stops answering, then goes away with queries in flight.
    phase = 'outage';
    allowed = 70;
    const startedAt = Date.now();
    const at: Record<string, number> = {};
    const mark = (what: string) => (at[what] = Date.now() - startedAt);
    await org.owner.get('/api/v1/auth/me').expect(200);
    proxy.freeze();
    await until('3 queries in flight', async () => proxy.inFlight >= 3);
    mark('cut');
    const cut = await proxy.cut('mixed');
    expect(Object.values(cut.inFlight).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(3);
    const down = await call('health', request(server).get('/api/health'));
    expect(down).toMatchObject({ status: 503, body: { status: 'degraded', database: 'down' } });
    await sleep(OUTAGE_MS);

    // It is back: the API recovers on its own.
    await proxy.resume();
    mark('resumed');
    phase = 'after';
    await until('health 200', async () => {
      const answer = await call('health', request(server).get('/api/health'));
      return answer?.status === 200;
    });
    mark('healthy');
    allowed = events.length;
    await Promise.all(senders);
    stopped = true;
    await Promise.all([...readers, writer, health]);

    // Right after, every kind of request is served again.
    const recovered = await Promise.all([
      call('read', owner.get(`${staff}/payments?limit=5`)),
      call('read', owner.get('/api/v1/auth/me')),
      call('write', owner.post(`${staff}/accounting/entries`, entry('Buvette après', 100))),
      call('webhook', delivery(events[0])),
      call('health', request(server).get('/api/health')),
    ]);
    expect(recovered.map((a) => a?.status)).toEqual([200, 200, 201, 200, 200]);
    writtenIds.push((recovered[2]!.body as EntryView).id);

    // Stripe delivers again what was not acknowledged.
    const redelivered = refused.size;
    for (const id of [...refused]) {
      const event = events[eventIds.indexOf(id)];
      await until(`redelivery of ${id}`, async () => {
        await deliver(event);
        return accepted.has(id);
      });
    }

    // No hang, no 500: 2xx, or 503 with the `unavailable` body and Retry-After.
    expect(hung).toEqual([]);
    expectNo500(answers);
    // Before the restart the database is fine: nothing may be unavailable then.
    const before = answers.filter((a) => a.phase === 'before');
    expect(before.filter((a) => a.status < 200 || a.status > 299)).toEqual([]);
    const unavailable = answers.filter((a) => a.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(accepted.size).toBe(events.length);
    expect(refused.size).toBe(0);

    // Every event stored once and processed (the worker retried through the outage). Waited for
    // with a deadline; what is left unprocessed is then listed by the assertion.
    const count = async (sql: string) =>
      (await direct.query<{ n: number }[]>(sql, [owner.orgId]))[0].n;
    await until(
      'every event processed',
      async () =>
        (await count(
          "SELECT count(*)::int AS n FROM stripe_events WHERE organization_id = $1 AND state = 'received'",
        )) === 0,
      90_000,
    ).catch(() => null);
    mark('processed');
    const stored = await direct.query<
      { id: string; state: string; attempts: number; error: string | null }[]
    >(
      'SELECT id, state, attempts, error FROM stripe_events WHERE organization_id = $1 ORDER BY id',
      [owner.orgId],
    );
    expect(stored.filter((e) => e.state !== 'processed')).toEqual([]);
    expect(stored.map((e) => e.id)).toEqual([...eventIds].sort());
    expect(
      await count(
        "SELECT count(*)::int AS n FROM payments WHERE organization_id = $1 AND provider = 'stripe' AND status = 'succeeded'",
      ),
    ).toBe(PAYMENTS);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM payment_status_changes c
           JOIN payments p ON p.organization_id = c.organization_id AND p.id = c.payment_id
          WHERE c.organization_id = $1 AND c.status = 'succeeded' AND p.provider = 'stripe'`,
      ),
    ).toBe(PAYMENTS);
    expect(
      await count(
        "SELECT count(*)::int AS n FROM journal_entries WHERE organization_id = $1 AND source LIKE 'stripe:%'",
      ),
    ).toBe(PAYMENTS);
    const balances = new Map(
      (
        await direct.query<{ number: string; balance: string }[]>(
          `SELECT a.number, sum(l.debit_cents - l.credit_cents) AS balance FROM journal_entry_lines l
             JOIN journal_entries e ON e.organization_id = l.organization_id AND e.id = l.entry_id
             JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
            WHERE l.organization_id = $1 AND e.status = 'posted' GROUP BY a.number`,
          [owner.orgId],
        )
      ).map((r) => [r.number, Number(r.balance)]),
    );
    expect(balances.get('51151')).toBe(PAYMENTS * (AMOUNT_CENTS - FEE_CENTS));
    expect(balances.get('627')).toBe(PAYMENTS * FEE_CENTS);
    expect(balances.get('7561')).toBe(-PAYMENTS * AMOUNT_CENTS);

    // Every entry answered 201 is in the books; numbers have no gap; the trial balance is zero.
    const kept = await direct.query<{ id: string }[]>(
      'SELECT id FROM journal_entries WHERE organization_id = $1 AND id = ANY($2::uuid[])',
      [owner.orgId, writtenIds],
    );
    expect(kept).toHaveLength(writtenIds.length);
    const gifts = await direct.query<{ id: string }[]>(
      "SELECT id FROM donations WHERE organization_id = $1 AND id = ANY($2::uuid[]) AND status = 'paid'",
      [owner.orgId, giftIds],
    );
    expect(gifts).toHaveLength(giftIds.length);
    const years = await direct.query<{ fiscal_year_id: string; numbers: number[] }[]>(
      `SELECT fiscal_year_id, array_agg(number ORDER BY number) AS numbers FROM journal_entries
        WHERE organization_id = $1 AND status = 'posted' GROUP BY fiscal_year_id`,
      [owner.orgId],
    );
    for (const year of years)
      expect(year.numbers).toEqual(Array.from({ length: year.numbers.length }, (_, i) => i + 1));
    expect([...balances.values()].reduce((a, b) => a + b, 0)).toBe(0);
    for (const year of years) {
      const report = (
        await owner
          .get(`${staff}/accounting/reports/trial-balance?fiscalYearId=${year.fiscal_year_id}`)
          .expect(200)
      ).body as TrialBalanceView;
      expect(report.totals.debitCents).toBe(report.totals.creditCents);
      expect(report.totals.closingCents).toBe(0);
    }

    const outage = answers.filter((a) => a.phase === 'outage');
    Object.assign(figures, {
      connectionsCut: cut,
      msSinceFreeze: at,
      proxiedConnections: proxy.accepted,
      requests: answers.length,
      requestsDuringOutage: outage.length,
      unavailable: unavailable.length,
      unavailableByKind: Object.fromEntries(
        (['webhook', 'read', 'write', 'health'] as const).map((k) => [
          k,
          unavailable.filter((a) => a.kind === k).length,
        ]),
      ),
      webhookDeliveries: answers.filter((a) => a.kind === 'webhook').length,
      eventsAccepted: accepted.size,
      eventsRedelivered: redelivered,
      eventsProcessed: stored.length,
      entriesWritten: writtenIds.length,
      giftsRecorded: giftIds.length,
      entriesPosted: years.reduce((n, y) => n + y.numbers.length, 0),
    });
  });

  it.each(ENDINGS)(
    'answers 503 to the requests whose query is cut mid-flight by %s, then 200 again',
    async (ending) => {
      const { owner, staff } = org;
      const before = answers.length;
      // Every event is processed by now: what is held is the requests' (and a periodic sweep's).
      await owner.get('/api/v1/auth/me').expect(200);
      proxy.freeze();
      const pending = [
        call('read', owner.get(`${staff}/accounting/entries?limit=10`)),
        call('read', owner.get(`${staff}/payments?limit=10`)),
        call('read', owner.get(`${staff}/contacts?limit=10`)),
        call('read', owner.get(`${staff}/stripe-events?limit=10`)),
        call('read', owner.get('/api/v1/auth/me')),
        call('webhook', delivery(events[1])),
        call('webhook', delivery(events[2])),
      ];
      await until('4 queries in flight', async () => proxy.inFlight >= 4);
      const cut = await proxy.cut(ending);
      await proxy.resume();
      const round = (await Promise.all(pending)).filter((a): a is Answer => a !== null);
      expect(hung).toEqual([]);
      expectNo500(round);
      // Held: the requests' queries (up to the pool's 5; maybe a sweep's): the cut reaches them.
      expect(cut.inFlight[ending]).toBeGreaterThanOrEqual(4);
      expect(round.filter((a) => a.status === 503).length).toBeGreaterThan(0);
      await until('health 200', async () => {
        const answer = await call('health', request(t.app.getHttpServer()).get('/api/health'));
        return answer?.status === 200;
      });
      const again = await Promise.all([
        call('read', owner.get(`${staff}/accounting/entries?limit=10`)),
        call('webhook', delivery(events[1])),
      ]);
      expect(again.map((a) => a?.status)).toEqual([200, 200]);
      figures[`cutBy_${ending}`] = {
        inFlight: cut.inFlight[ending],
        answers: round.map((a) => a.status),
        requests: answers.length - before,
      };
    },
  );
});
