// The member directory at 100,000 contacts (p50/p95 of GET /contacts with the filters
// coordinators use), and the live fan-out: 200 open dashboards (SSE) told of one desk payment.
// Runs the built API (dist/server) as its own process against a fresh database on the real
// PostgreSQL server; the contacts, memberships and standings are bulk-inserted in SQL with the
// same derived columns the services write. In the same run, each query also goes to a bare
// NestJS + Fastify endpoint (bench/bare-nest.mjs GET /directory/:orgId) that sends the same SQL
// statements (count, page, tags) through `pg` with a pool of the same size, without session,
// permission check, validation or TypeORM: the ratio is what the API stack costs on top of SQL.
// Usage: node bench/contacts-directory.bench.mjs (BENCH_CONTACTS, BENCH_RUNS, BENCH_DASHBOARDS).
import http from 'node:http';
import os from 'node:os';
import pg from 'pg';
import { call, signup, startBenchApi, startProcess, stopProcess } from './support.mjs';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const DASHBOARDS = Number(process.env.BENCH_DASHBOARDS ?? 200);
const POOL = process.env.DATABASE_POOL_SIZE ?? '10';

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function sequential(label, port, headers, pathName) {
  const times = [];
  let total = null;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const res = await call(port, 'GET', pathName, { headers });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (res.status !== 200) throw new Error(`${label}: ${res.status} ${res.body.slice(0, 300)}`);
    total = JSON.parse(res.body).total;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), total };
}

/** RUNS sequential requests to the API, then as many to the bare endpoint with the same query. */
async function timed(label, query) {
  const a = await sequential(label, port, { cookie }, `/api/v1/orgs/${orgId}/contacts${query}`);
  const b = await sequential(`${label} (bare)`, barePort, {}, `/directory/${orgId}${query}`);
  if (a.total !== b.total) throw new Error(`${label}: the bare endpoint counts ${b.total}, the API ${a.total}`);
  console.log(
    `${label.padEnd(52)} p50 ${a.p50.toFixed(1).padStart(6)} ms  p95 ${a.p95.toFixed(1).padStart(6)} ms  | bare p50 ${b.p50.toFixed(1).padStart(6)} ms  p95 ${b.p95.toFixed(1).padStart(6)} ms  | API/bare p50 ${(a.p50 / b.p50).toFixed(2)} ×  (${a.total} matches)`,
  );
}

const api = await startBenchApi({ DATABASE_POOL_SIZE: POOL });
const port = api.port;
const db = new pg.Client({ connectionString: api.databaseUrl });
const sse = [];
let bare;
let barePort;
let cookie;
let orgId;
try {
  await db.connect();
  const session = await signup(port);
  ({ cookie, orgId } = session);
  const { csrf } = session;
  const post = async (pathName, body) => {
    const res = await call(port, 'POST', `/api/v1/orgs/${orgId}${pathName}`, { body, headers: { cookie, 'x-csrf-token': csrf } });
    if (res.status >= 300) throw new Error(`${pathName}: ${res.status} ${res.body}`);
    return JSON.parse(res.body);
  };
  const plan = await post('/membership-plans', { name: 'Adhésion', pricingKind: 'fixed', tiers: [{ code: 'std', label: 'Standard', amount: '20' }], validityKind: 'calendar_year' });
  const tag = await post('/tags', { name: 'Bénévoles' });

  const seedStarted = Date.now();
  const FIRST = ['jeanne', 'paul', 'ines', 'karim', 'sophie', 'lucas', 'chloe', 'hugo', 'fatou', 'elise', 'antoine', 'nina', 'leo', 'camille', 'yasmine'];
  const CITIES = ['lyon', 'paris', 'marseille', 'lille', 'nantes', 'rennes', 'grenoble', 'dijon', 'tours', 'brest'];
  await db.query('BEGIN');
  await db.query(
    `INSERT INTO contacts (id, organization_id, number, kind, first_name, last_name, email, postal_code, city, country, locale, custom_fields,
                           name_key, sort_name, search_text, last_activity_at, created_at, updated_at)
     SELECT gen_random_uuid(), $1, n, 'person', initcap(f), 'Nom' || n, f || '.' || n || '@example.org', lpad(((n % 95) + 1)::text, 2, '0') || '000', initcap(c), 'FR', 'fr', '{}'::jsonb,
            f || ' nom' || n, 'nom' || n || ' ' || f, f || ' nom' || n || ' ' || f || '.' || n || '@example.org ' || c || ' m' || lpad(n::text, 6, '0'),
            now(), now() - (n || ' minutes')::interval, now()
       FROM generate_series(1, $2::int) n, LATERAL (SELECT ($3::text[])[1 + n % 15] AS f, ($4::text[])[1 + n % 10] AS c) x`,
    [orgId, CONTACTS, FIRST, CITIES],
  );
  await db.query(`INSERT INTO contact_counters (organization_id, last_number) VALUES ($1, $2)`, [orgId, CONTACTS]);
  await db.query(`INSERT INTO contact_tags (organization_id, contact_id, tag_id) SELECT organization_id, id, $2 FROM contacts WHERE organization_id = $1 AND number % 7 = 0`, [orgId, tag.id]);
  // 70% hold a membership: this year (active or pending) or last year (lapsed).
  await db.query(
    `INSERT INTO memberships (id, organization_id, contact_id, plan_id, amount_cents, currency, start_date, end_date, status, status_changed_at, paid_on, payment_method, source, created_at, updated_at)
     SELECT gen_random_uuid(), organization_id, id, $2, 2000, 'EUR',
            make_date(extract(year from now())::int - (number % 3 = 0)::int, 1 + number % 12, 1),
            make_date(extract(year from now())::int - (number % 3 = 0)::int, 12, 31),
            CASE WHEN number % 3 = 0 THEN 'lapsed' WHEN number % 10 = 1 THEN 'pending_payment' ELSE 'active' END, now(),
            CASE WHEN number % 10 = 1 AND number % 3 <> 0 THEN NULL ELSE make_date(extract(year from now())::int - (number % 3 = 0)::int, 1 + number % 12, 1) END,
            'cheque', 'import', now(), now()
       FROM contacts WHERE organization_id = $1 AND number % 10 < 7`,
    [orgId, plan.id],
  );
  await db.query(
    `INSERT INTO member_summaries (organization_id, contact_id, membership_id, plan_id, status, member_since, valid_until, lapsed_since, updated_at)
     SELECT organization_id, contact_id, id, plan_id, status, start_date, CASE WHEN paid_on IS NULL THEN NULL ELSE end_date END,
            CASE WHEN status = 'lapsed' THEN end_date + 31 END, now()
       FROM memberships WHERE organization_id = $1`,
    [orgId],
  );
  await db.query('COMMIT');
  await db.query('ANALYZE');
  console.log(`Node ${process.version}, ${os.cpus().length} x ${os.cpus()[0].model}; ${CONTACTS} contacts seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s; ${RUNS} sequential requests per query`);

  const started = await startProcess('bench/bare-nest.mjs', { DATABASE_URL: api.databaseUrl, BARE_POOL_SIZE: POOL }, /bare ready (\d+)/);
  bare = started.child;
  barePort = Number(started.match[1]);

  await timed('warm-up', '?limit=50');
  await timed('list, sort by name, first page', '?limit=50');
  await timed('list, sort by name, page 1000 (offset 50,000)', '?limit=50&offset=50000');
  await timed('search q=nom4242 (trigram)', '?q=nom4242');
  await timed('search q=camille lyon', '?q=camille%20lyon');
  await timed('status active+expiring, sort -validUntil', '?statuses=active,expiring_soon&sort=-validUntil');
  await timed('lapsed since Jan 1st of last year, by name', `?lapsedSince=${new Date().getFullYear() - 1}-01-01`);
  await timed('tag + city + status', `?tagIds=${tag.id}&city=Lyon&statuses=active`);
  await timed('joined this year, sort by reference desc', `?joinedFrom=${new Date().getFullYear()}-01-01&sort=-reference`);
  await timed('never a member, sort -createdAt', '?member=none&sort=-createdAt');

  // Live fan-out: DASHBOARDS open SSE streams, one desk payment, time until each stream has the event.
  const pending = await post('/memberships', { contactId: (await db.query(`SELECT id FROM contacts WHERE organization_id = $1 AND number % 10 = 8 LIMIT 1`, [orgId])).rows[0].id, planId: plan.id, tierCode: 'std' });
  const received = [];
  let sentAt = 0n;
  await Promise.all(
    Array.from({ length: DASHBOARDS }, () =>
      new Promise((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path: `/api/v1/orgs/${orgId}/events`, headers: { cookie, accept: 'text/event-stream' } }, (res) => {
          if (res.statusCode !== 200) return reject(new Error(`SSE ${res.statusCode}`));
          let buffer = '';
          let seen = false;
          res.on('data', (chunk) => {
            buffer += chunk;
            if (!seen && buffer.includes('membership.status_changed')) {
              seen = true;
              received.push(Number(process.hrtime.bigint() - sentAt) / 1e6);
            }
          });
          resolve();
        });
        req.on('error', reject);
        sse.push(req);
      }),
    ),
  );
  await new Promise((r) => setTimeout(r, 500));
  sentAt = process.hrtime.bigint();
  const paid = await call(port, 'POST', `/api/v1/orgs/${orgId}/memberships/${pending.id}/payment`, {
    body: { method: 'cheque', paidOn: new Date().toISOString().slice(0, 10) },
    headers: { cookie, 'x-csrf-token': csrf },
  });
  const answeredMs = Number(process.hrtime.bigint() - sentAt) / 1e6;
  if (paid.status !== 201) throw new Error(`payment: ${paid.status} ${paid.body}`);
  const deadline = Date.now() + 10_000;
  while (received.length < DASHBOARDS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  received.sort((a, b) => a - b);
  console.log(
    `SSE fan-out to ${DASHBOARDS} dashboards: ${received.length} told; payment answered in ${answeredMs.toFixed(1)} ms; event after p50 ${percentile(received, 50).toFixed(1)} ms, p95 ${percentile(received, 95).toFixed(1)} ms, max ${received.at(-1).toFixed(1)} ms (from the request start)`,
  );
} finally {
  for (const req of sse) req.destroy();
  if (bare) await stopProcess(bare);
  await db.end().catch(() => undefined);
  await api.stop();
}
