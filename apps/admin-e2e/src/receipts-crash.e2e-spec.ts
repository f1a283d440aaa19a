import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { adminQuery, redisUrl, serverUrl, SmtpSink, TEST_DB_PREFIX } from '@ruche/testing';
import {
  assertBuilt,
  startApi,
  startProcess,
  tempDataDir,
  type RunningApi,
  type RunningProcess,
} from './support/system';

jest.setTimeout(240_000);

const DONORS = 300;
/** The worker is killed once the batch has issued this many receipts, then again, and again. */
const KILL_AFTER = [40, 110, 180];
/** E-mails a worker sends at once (the BullMQ worker's default concurrency). */
const MAIL_CONCURRENCY = 4;

const headerText = (value: unknown): string => (typeof value === 'string' ? value : '');
const SIGNATURE_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/**
 * The year-end batch of annual receipts on the production shape (API, separate worker on BullMQ,
 * PostgreSQL, SMTP), with the worker killed (SIGKILL) three times in the middle and started again: every
 * donor gets one receipt, the numbers have no gap, every receipt's e-mail arrives.
 */
describe('annual receipts batch survives a killed worker', () => {
  const database = `${TEST_DB_PREFIX}crash_${process.pid}_${Date.now()}`;
  const data = tempDataDir('receipts-crash');
  const sink = new SmtpSink();
  let env: Record<string, string>;
  let api: RunningApi | null = null;
  let worker: RunningProcess | null = null;
  let db: pg.Client;
  const year = new Date().getFullYear() - 1;

  beforeAll(async () => {
    assertBuilt();
    await adminQuery(`CREATE DATABASE ${database}`);
    await sink.start();
    env = {
      DATABASE_URL: serverUrl(database),
      REDIS_URL: redisUrl(),
      REDIS_PREFIX: `ruche-e2e-${randomUUID().slice(0, 8)}`,
      SMTP_URL: sink.url,
      DATA_DIR: data.dir,
      RUN_WORKER: 'false',
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
      // A killed worker's job is taken over within seconds, and pending e-mails swept quickly.
      JOB_LOCK_MS: '3000',
      JOB_SWEEP_MS: '2000',
    };
    api = await startApi(env);
    db = new pg.Client({ connectionString: serverUrl(database) });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await worker?.stop();
    await api?.stop();
    await sink.stop();
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    data.remove();
  });

  async function count(): Promise<number> {
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM receipts');
    return rows[0].n;
  }

  async function until(
    check: () => Promise<boolean>,
    what: string,
    timeoutMs = 120_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline)
        throw new Error(`Timed out waiting for ${what}\n${worker?.output() ?? ''}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('issues every receipt once, without a gap, and sends each one, across three SIGKILLs', async () => {
    const signup = await fetch(`${api!.url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationName: 'Refuge des Crêtes',
        name: 'Trésorière',
        email: `owner-${randomUUID().slice(0, 8)}@example.org`,
        password: 'correct horse battery staple',
        locale: 'fr',
      }),
    });
    expect(signup.status).toBe(201);
    const session = (await signup.json()) as {
      csrfToken: string;
      organizations: { organizationId: string }[];
    };
    const cookie = signup.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const orgId = session.organizations[0].organizationId;
    const staff = `${api!.url}/api/v1/orgs/${orgId}`;
    const send = async (method: string, path: string, body?: object) => {
      const res = await fetch(`${staff}${path}`, {
        method,
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': session.csrfToken },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (res.status >= 300)
        throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res;
    };
    await send('PUT', '', {
      name: 'Refuge des Crêtes',
      legalName: 'Association Refuge des Crêtes',
      addressLine1: '1 chemin des Crêtes',
      postalCode: '38000',
      city: 'Grenoble',
      country: 'FR',
      rna: 'W381234567',
      object: 'Accueillir les animaux abandonnés',
      organismType: 'general_interest',
      timeZone: 'Europe/Paris',
      currency: 'EUR',
      fiscalYearStartMonth: 1,
      locale: 'fr',
    });
    await send('PUT', '/receipts/settings/signature', {
      mimeType: 'image/png',
      contentBase64: SIGNATURE_PNG,
    });
    await send('PUT', '/receipts/settings', {
      enabled: true,
      defaultMode: 'annual',
      recurringMode: 'annual',
      article200: true,
      article978: false,
      signerName: 'Anne Roche',
      signerTitle: 'Trésorière',
      place: 'Grenoble',
      sendByEmail: true,
    });
    await db.query(
      `INSERT INTO contacts (id, organization_id, number, kind, first_name, last_name, email, address_line1, postal_code, city, country, locale, custom_fields,
                             name_key, sort_name, search_text, last_activity_at, created_at, updated_at)
       SELECT gen_random_uuid(), $1, n, 'person', 'Élise', 'Donatrice' || n, 'donatrice.' || n || '@example.org', n || ' cours Berriat', '38000', 'Grenoble', 'FR', 'fr', '{}'::jsonb,
              'elise donatrice' || n, 'donatrice' || n || ' elise', 'elise donatrice' || n, now(), now(), now()
         FROM generate_series(1, $2::int) n`,
      [orgId, DONORS],
    );
    await db.query(`INSERT INTO contact_counters (organization_id, last_number) VALUES ($1, $2)`, [
      orgId,
      DONORS,
    ]);
    await db.query(
      `INSERT INTO receipt_gifts (id, organization_id, contact_id, source_kind, source_id, received_on, amount_cents, withdrawn_cents, currency, nature, form, method, mode, created_at, updated_at)
       SELECT gen_random_uuid(), organization_id, id, 'donation', gen_random_uuid(), make_date($2, 1 + number % 12, 1 + number % 28), 1000 + number, 0, 'EUR',
              'money', 'manual_gift', 'transfer_card_debit', 'annual', now(), now()
         FROM contacts WHERE organization_id = $1`,
      [orgId, year],
    );

    await send('POST', '/receipts/annual', { year });
    // Killed three times while receipts are being issued and their e-mails sent, each time
    // started again; the last worker finishes the batch.
    const killedAt: number[] = [];
    for (const threshold of KILL_AFTER) {
      worker = startProcess('worker', env);
      await worker.waitForOutput(/Ruche worker is running/);
      await until(async () => (await count()) >= threshold, `${threshold} receipts`);
      worker.child.kill('SIGKILL');
      await worker.exited;
      killedAt.push(await count());
    }
    expect(killedAt).toHaveLength(KILL_AFTER.length);
    expect(killedAt[killedAt.length - 1]).toBeLessThan(DONORS);

    worker = startProcess('worker', env);
    await worker.waitForOutput(/Ruche worker is running/);
    await until(async () => (await count()) >= DONORS, 'every receipt');
    const keys = () =>
      new Set(sink.messages.map((m) => headerText(m.headers.get('x-ruche-idempotency-key'))));
    await until(async () => keys().size >= DONORS, 'every e-mail');

    const { rows } = await db.query<{
      n: number;
      numbers: number;
      first: number;
      last: number;
      gifts: number;
    }>(
      `SELECT count(*)::int AS n, count(DISTINCT number)::int AS numbers, min(number) AS first, max(number) AS last,
              (SELECT count(DISTINCT gift_id)::int FROM receipt_lines WHERE active) AS gifts
         FROM receipts WHERE organization_id = $1`,
      [orgId],
    );
    expect(rows[0]).toEqual({ n: DONORS, numbers: DONORS, first: 1, last: DONORS, gifts: DONORS });
    const { rows: counters } = await db.query<{ last_number: number }>(
      'SELECT last_number FROM receipt_sequences',
    );
    expect(counters).toEqual([{ last_number: DONORS }]);
    // Each receipt's e-mail arrived...
    expect(keys().size).toBe(DONORS);
    // A kill can fall between the SMTP server's acceptance and the commit for each e-mail the
    // worker is sending at that moment (BullMQ concurrency 4). Such a second send carries the
    // same Message-ID as the first, so receiving systems see one message.
    expect(sink.messages.length - DONORS).toBeLessThanOrEqual(KILL_AFTER.length * MAIL_CONCURRENCY);
    const messageIds = new Map<string, Set<string>>();
    for (const m of sink.messages) {
      const key = headerText(m.headers.get('x-ruche-idempotency-key'));
      messageIds.set(
        key,
        (messageIds.get(key) ?? new Set()).add(headerText(m.headers.get('message-id'))),
      );
    }
    expect([...messageIds.values()].filter((ids) => ids.size !== 1)).toEqual([]);
    expect(new Set(sink.messages.map((m) => headerText(m.headers.get('message-id')))).size).toBe(
      DONORS,
    );
    // The SMTP server accepts a message a moment before the worker commits it as sent.
    const sent = async () =>
      (
        await db.query<{ sent: number }>(
          `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent FROM outbound_emails WHERE template = 'receipts.receipt'`,
        )
      ).rows[0].sent;
    await until(async () => (await sent()) >= DONORS, 'every e-mail marked sent');
    expect(await sent()).toBe(DONORS);
  });
});
