// Soak: SOAK_SECONDS (default 300) of mixed load on the built API in its own process, sampling its
// memory every SOAK_SAMPLE_SECONDS (default 10): VmRSS from /proc/<pid>/status and the heap after
// a full GC (bench/memory-probe.cjs, SIGUSR2). Reports the series, the slope of RSS and heap after
// SOAK_WARMUP_SECONDS (default 60, or a fifth of a shorter run) and every error (must be 0).
//
// The load, closed loops from this process (keep-alive, 127.0.0.1), all at once:
//   - 8 check-in desks: GET /members/check?q=<reference> (member status lookup), any member;
//   - 2 coordinators: GET /contacts with the directory's filters (status, lapsed since, city,
//     search, never a member), in turn;
//   - 4 Stripe senders: signed webhook deliveries (half re-deliveries of a known event id, half
//     new ids), stored and enqueued by the API (RUN_WORKER=false: the worker is another process,
//     not started here, so the events wait in Redis);
//   - 1 desk: one membership created then paid per second (SOAK_CHANGES_PER_SECOND), which the
//     dashboards receive as `membership.status_changed`;
//   - SOAK_SSE_CLIENTS (default 50) dashboards: each opens GET /events, keeps it 1–5 s, closes,
//     opens again.
// SOAK_CONTACTS (default 20,000) contacts with memberships in every status, seeded in SQL.
// Fresh database, own Redis prefix (deleted at the end), fake Stripe in this process.
//
// Usage: node bench/soak.bench.mjs (dist/server must be built: npm run build:server).
// Short check: SOAK_SECONDS=20 SOAK_SAMPLE_SECONDS=5 SOAK_CONTACTS=2000 node bench/soak.bench.mjs
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import pg from 'pg';
import {
  call,
  cleanRedis,
  loadFakeStripe,
  memoryOf,
  memoryProbe,
  percentile,
  procMemory,
  seedMembers,
  signup,
  sleep,
  startBenchApi,
} from './support.mjs';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 300);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 10);
const WARMUP_SECONDS = Number(
  process.env.SOAK_WARMUP_SECONDS ?? Math.min(60, Math.round(SECONDS / 5)),
);
const CONTACTS = Number(process.env.SOAK_CONTACTS ?? 20_000);
const SSE_CLIENTS = Number(process.env.SOAK_SSE_CLIENTS ?? 50);
const CHANGES_PER_SECOND = Number(process.env.SOAK_CHANGES_PER_SECOND ?? 1);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `ruche-bench-${process.pid}`;
const JOINS = 20;

const FakeStripe = await loadFakeStripe();
const fake = await new FakeStripe().start();
const probe = memoryProbe('api');
const api = await startBenchApi(
  {
    REDIS_URL,
    REDIS_PREFIX: PREFIX,
    RUN_WORKER: 'false',
    RUCHE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    STRIPE_API_BASE: fake.url,
    LOG_LEVEL: 'error',
    ...probe.env,
  },
  { nodeArgs: probe.nodeArgs },
);
const db = new pg.Client({ connectionString: api.databaseUrl });

/** Per kind of request: counts, errors and latencies of the current sampling window. */
const kinds = new Map();
function stat(kind) {
  if (!kinds.has(kind)) kinds.set(kind, { total: 0, errors: 0, window: [], messages: [] });
  return kinds.get(kind);
}
function record(kind, t0, ok, message) {
  const s = stat(kind);
  s.total++;
  s.window.push(Number(process.hrtime.bigint() - t0) / 1e6);
  if (!ok) {
    s.errors++;
    if (s.messages.length < 5) s.messages.push(message);
  }
}

let stopping = false;
const openStreams = new Set();
let sseEvents = 0;

/** One dashboard: open the stream, keep it 1–5 s, close it, again until the end. */
async function dashboard(port, pathName, cookie) {
  while (!stopping) {
    const t0 = process.hrtime.bigint();
    const holdMs = 1000 + Math.random() * 4000;
    await new Promise((resolve) => {
      const req = http.get(
        {
          host: '127.0.0.1',
          port,
          path: pathName,
          agent: false,
          headers: { cookie, accept: 'text/event-stream' },
        },
        (res) => {
          record('sse connect', t0, res.statusCode === 200, `SSE ${res.statusCode}`);
          res.setEncoding('utf8');
          res.on('data', (chunk) => {
            sseEvents += chunk.split('membership.status_changed').length - 1;
          });
          res.on('error', () => undefined);
          res.on('close', resolve);
        },
      );
      openStreams.add(req);
      const timer = setTimeout(() => req.destroy(), holdMs);
      req.on('error', (error) => {
        if (!req.destroyed) record('sse connect', t0, false, `SSE ${error.message}`);
        resolve();
      });
      req.on('close', () => {
        clearTimeout(timer);
        openStreams.delete(req);
        resolve();
      });
    });
  }
}

/** Calls fn until the end, recording each answer; waits `paceMs` from one start to the next. */
async function loop(kind, fn, paceMs = 0) {
  while (!stopping) {
    const started = Date.now();
    const t0 = process.hrtime.bigint();
    try {
      const { ok, message } = await fn();
      record(kind, t0, ok, message);
    } catch (error) {
      record(kind, t0, false, error.message);
    }
    if (paceMs > 0) await sleep(Math.max(0, paceMs - (Date.now() - started)));
  }
}

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return sxy / sxx;
}

try {
  await db.connect();
  const { cookie, csrf, orgId } = await signup(api.port);
  const staff = (method, pathName, body) =>
    call(api.port, method, `/api/v1/orgs/${orgId}${pathName}`, {
      body,
      headers: { cookie, 'x-csrf-token': csrf },
    });
  const secret = `whsec_${randomBytes(24).toString('hex')}`;
  const put = await staff('PUT', '/settings/stripe', {
    secretKey: `sk_test_${randomBytes(16).toString('hex')}`,
    webhookSecret: secret,
  });
  if (put.status !== 200) throw new Error(`stripe settings: ${put.status} ${put.body}`);
  const planRes = await staff('POST', '/membership-plans', {
    name: 'Adhésion',
    pricingKind: 'fixed',
    tiers: [{ code: 'std', label: 'Standard', amount: '20' }],
    validityKind: 'calendar_year',
  });
  if (planRes.status !== 201) throw new Error(`plan: ${planRes.status} ${planRes.body}`);
  const plan = JSON.parse(planRes.body);
  await seedMembers(db, { orgId, planId: plan.id, contacts: CONTACTS });
  const newcomers = (
    await db.query(
      'SELECT id FROM contacts WHERE organization_id = $1 AND number % 10 = 9 ORDER BY number',
      [orgId],
    )
  ).rows.map((r) => r.id);

  // A few online joins paid at the fake Checkout: the objects the webhook deliveries are about.
  const baseEvents = [];
  for (let n = 0; n < JOINS; n++) {
    const res = await call(api.port, 'POST', `/api/v1/public/orgs/${orgId}/join`, {
      body: {
        planId: plan.id,
        firstName: 'Enligne',
        lastName: `N${n}`,
        email: `online${n}@bench.example.org`,
        acceptTerms: true,
      },
    });
    if (res.status !== 201) throw new Error(`join: ${res.status} ${res.body}`);
    const session = fake.sessionFor(JSON.parse(res.body).paymentId);
    const { paymentIntent } = fake.pay(session.id, { feeCents: 55 });
    baseEvents.push(
      fake.event('checkout.session.completed', session),
      fake.event('payment_intent.succeeded', paymentIntent),
    );
  }

  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${os.loadavg()[0].toFixed(2)}; ` +
      `${CONTACTS} contacts; ${SECONDS} s of load, a sample every ${SAMPLE_SECONDS} s, warm-up ${WARMUP_SECONDS} s; ${SSE_CLIENTS} dashboards`,
  );

  const base = `/api/v1/orgs/${orgId}`;
  const year = new Date().getFullYear();
  const filters = [
    '?statuses=active,expiring_soon&sort=-validUntil',
    `?lapsedSince=${year - 2}-01-01`,
    '?city=Lyon&statuses=active',
    '?q=camille%20lyon',
    '?member=none&sort=-createdAt',
    '?statuses=grace,pending_payment&offset=500',
  ];
  let nextFilter = 0;
  let nextNewcomer = 0;
  const today = new Date().toISOString().slice(0, 10);
  const samples = [];
  let started = Date.now();
  const sample = async (label) => {
    const t = (Date.now() - started) / 1000;
    const heap = await memoryOf(api.pid, probe);
    const { rssMb, hwmMb } = procMemory(api.pid);
    const windows = [...kinds.entries()].map(([kind, s]) => {
      const sorted = s.window.sort((a, b) => a - b);
      const line = `${kind} ${sorted.length} (p99 ${sorted.length ? percentile(sorted, 99).toFixed(0) : '-'} ms)`;
      s.window = [];
      return line;
    });
    const errors = [...kinds.values()].reduce((n, s) => n + s.errors, 0);
    samples.push({ t, label, rssMb, hwmMb, heapMb: heap.heapUsedMb, errors });
    console.log(
      `${label.padStart(6)} t=${t.toFixed(0).padStart(4)} s  RSS ${rssMb.toFixed(1).padStart(6)} MiB  heap ${heap.heapUsedMb.toFixed(1).padStart(6)} MiB  streams ${String(openStreams.size).padStart(3)}  errors ${errors}  | ${windows.join(', ')}`,
    );
  };
  await sample('before');
  started = Date.now();
  const loops = [
    ...Array.from({ length: 8 }, () =>
      loop('status lookup', async () => {
        const ref = `M${String(1 + Math.floor(Math.random() * CONTACTS)).padStart(6, '0')}`;
        const res = await call(api.port, 'GET', `${base}/members/check?q=${ref}`, {
          headers: { cookie },
        });
        return {
          ok: res.status === 200 && JSON.parse(res.body).length === 1,
          message: `check ${ref}: ${res.status} ${res.body.slice(0, 200)}`,
        };
      }),
    ),
    ...Array.from({ length: 2 }, () =>
      loop('list with filters', async () => {
        const query = filters[nextFilter++ % filters.length];
        const res = await call(api.port, 'GET', `${base}/contacts${query}`, {
          headers: { cookie },
        });
        return {
          ok: res.status === 200,
          message: `contacts${query}: ${res.status} ${res.body.slice(0, 200)}`,
        };
      }),
    ),
    ...Array.from({ length: 4 }, () =>
      loop('webhook delivery', async () => {
        const known = baseEvents[Math.floor(Math.random() * baseEvents.length)];
        const event =
          Math.random() < 0.5
            ? known
            : {
                ...known,
                id: `evt_${randomBytes(12).toString('hex')}`,
                created: Math.floor(Date.now() / 1000),
              };
        const { body, signature } = FakeStripe.sign(event, secret);
        const res = await call(api.port, 'POST', `/api/v1/webhooks/stripe/${orgId}`, {
          raw: body,
          headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        });
        return {
          ok: res.status === 200,
          message: `webhook: ${res.status} ${res.body.slice(0, 200)}`,
        };
      }),
    ),
    loop(
      'membership change',
      async () => {
        // Once every never-member has joined, nothing more to change (about 30 min at 1/s on 20,000 contacts).
        if (nextNewcomer >= newcomers.length) return { ok: true };
        const created = await staff('POST', '/memberships', {
          contactId: newcomers[nextNewcomer++],
          planId: plan.id,
          tierCode: 'std',
        });
        if (created.status !== 201)
          return {
            ok: false,
            message: `membership: ${created.status} ${created.body.slice(0, 200)}`,
          };
        const paid = await staff('POST', `/memberships/${JSON.parse(created.body).id}/payment`, {
          method: 'cheque',
          paidOn: today,
        });
        return {
          ok: paid.status === 201,
          message: `payment: ${paid.status} ${paid.body.slice(0, 200)}`,
        };
      },
      1000 / CHANGES_PER_SECOND,
    ),
    ...Array.from({ length: SSE_CLIENTS }, () => dashboard(api.port, `${base}/events`, cookie)),
  ];

  while ((Date.now() - started) / 1000 < SECONDS) {
    await sleep(Math.min(SAMPLE_SECONDS * 1000, SECONDS * 1000 - (Date.now() - started)));
    await sample('load');
  }
  stopping = true;
  for (const req of openStreams) req.destroy();
  await Promise.all(loops);
  await sleep(2000);
  await sample('idle');

  const after = samples.filter((s) => s.label === 'load' && s.t >= WARMUP_SECONDS);
  const rssSlope = slope(after.map((s) => ({ x: s.t / 60, y: s.rssMb })));
  const heapSlope = slope(after.map((s) => ({ x: s.t / 60, y: s.heapMb })));
  const half = Math.floor(after.length / 2);
  const mean = (list, key) => list.reduce((a, s) => a + s[key], 0) / list.length;
  const growth = (key) =>
    half > 0
      ? (100 * (mean(after.slice(half), key) - mean(after.slice(0, half), key))) /
        mean(after.slice(0, half), key)
      : NaN;
  console.log('\n| kind | requests | errors | first errors |');
  console.log('|---|---:|---:|---|');
  for (const [kind, s] of kinds)
    console.log(`| ${kind} | ${s.total} | ${s.errors} | ${s.messages.join(' / ')} |`);
  console.log(`membership.status_changed received by the dashboards: ${sseEvents}`);
  console.log(
    `\nseries (t s: RSS / heap after GC, MiB): ${samples.map((s) => `${s.label === 'load' ? '' : `${s.label} `}${s.t.toFixed(0)}: ${s.rssMb.toFixed(0)} / ${s.heapMb.toFixed(1)}`).join(', ')}`,
  );
  console.log(
    `\nafter warm-up (${after.length} samples, ${after.length ? after[0].t.toFixed(0) : '-'}–${after.length ? after.at(-1).t.toFixed(0) : '-'} s): ` +
      `RSS slope ${rssSlope.toFixed(2)} MiB/min (second half vs first half ${growth('rssMb').toFixed(1)} %), ` +
      `heap after GC slope ${heapSlope.toFixed(2)} MiB/min (${growth('heapMb').toFixed(1)} %); peak RSS (VmHWM) ${samples.at(-1).hwmMb.toFixed(1)} MiB; ` +
      `idle at the end: RSS ${samples.at(-1).rssMb.toFixed(1)} MiB, heap ${samples.at(-1).heapMb.toFixed(1)} MiB`,
  );
  const errors = [...kinds.values()].reduce((n, s) => n + s.errors, 0);
  console.log(`errors: ${errors} (target 0: ${errors === 0 ? 'met' : 'NOT met'})`);
  if (errors > 0) process.exitCode = 1;
} finally {
  stopping = true;
  for (const req of openStreams) req.destroy();
  await db.end().catch(() => undefined);
  await api.stop();
  await fake.stop();
  await cleanRedis(REDIS_URL, PREFIX);
}
