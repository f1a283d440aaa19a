// Member status lookup at 100 concurrent connections, against a bare NestJS + Fastify endpoint
// that reads one row by primary key with `pg`, in the same run.
//
// The lookup is the check-in desk's "is this person a member in good standing?":
// GET /api/v1/orgs/:orgId/members/check?q=<reference> (volunteer coordinator's session cookie;
// session + role lookup, the directory's search on the trigram index, the standing, the tags),
// each request for another member among BENCH_CONTACTS (default 10,000) seeded in SQL with
// memberships in every status. The bare endpoint (bench/bare-nest.mjs GET /row/:id) reads one
// contacts row of the same database by primary key through a pg Pool of the same size as the
// API's (DATABASE_POOL_SIZE, default 10).
//
// Both run in their own process on the local PostgreSQL; the load generator is autocannon in this
// process (keep-alive, 127.0.0.1). After a warm-up of each, BENCH_ROUNDS rounds (default 3)
// alternate bare and API runs of BENCH_SECONDS (default 20) each, so that both see the same
// machine. Targets: API requests/s ≥ 70 % of bare, API p99 ≤ 1.5 × bare p99, no errors.
// For reference (where the gap goes; BENCH_REFERENCE=0 to skip), each round also loads the API's
// own authenticated one-row read, GET /api/v1/orgs/:orgId (session, role, organization row).
//
// BARE_PREPARED=1 makes the bare read a named (prepared) statement, like the lookup's.
// Usage: node bench/member-status.bench.mjs (dist/server must be built: npm run build:server).
// Short check: BENCH_SECONDS=3 BENCH_ROUNDS=1 BENCH_CONTACTS=2000 node bench/member-status.bench.mjs
import os from 'node:os';
import pg from 'pg';
import {
  call,
  cannon,
  seedMembers,
  seededStatus,
  signup,
  startBenchApi,
  startProcess,
  stopProcess,
} from './support.mjs';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? Math.min(5, SECONDS));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const POOL = process.env.DATABASE_POOL_SIZE ?? '10';
const REFERENCE = process.env.BENCH_REFERENCE !== '0';

const reference = (n) => `M${String(n).padStart(6, '0')}`;
const randomNumber = () => 1 + Math.floor(Math.random() * CONTACTS);
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const api = await startBenchApi({ DATABASE_POOL_SIZE: POOL });
const db = new pg.Client({ connectionString: api.databaseUrl });
let bare;
try {
  await db.connect();
  const { cookie, csrf, orgId } = await signup(api.port);
  const plan = await call(api.port, 'POST', `/api/v1/orgs/${orgId}/membership-plans`, {
    body: {
      name: 'Adhésion',
      pricingKind: 'fixed',
      tiers: [{ code: 'std', label: 'Standard', amount: '20' }],
      validityKind: 'calendar_year',
    },
    headers: { cookie, 'x-csrf-token': csrf },
  });
  if (plan.status !== 201) throw new Error(`plan: ${plan.status} ${plan.body}`);
  const seedStarted = Date.now();
  await seedMembers(db, { orgId, planId: JSON.parse(plan.body).id, contacts: CONTACTS });
  const ids = (
    await db.query('SELECT id FROM contacts WHERE organization_id = $1', [orgId])
  ).rows.map((r) => r.id);
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${os.loadavg()[0].toFixed(2)}; ` +
      `${CONTACTS} contacts seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s; pool ${POOL} connections each; ` +
      `${CONNECTIONS} connections, ${ROUNDS} × ${SECONDS} s per side after ${WARMUP_SECONDS} s of warm-up`,
  );

  const started = await startProcess(
    'bench/bare-nest.mjs',
    { DATABASE_URL: api.databaseUrl, BARE_POOL_SIZE: POOL, BARE_PREPARED: process.env.BARE_PREPARED ?? '0' },
    /bare ready (\d+)/,
  );
  bare = started.child;
  const barePort = Number(started.match[1]);

  // Correctness first: each status answers as seeded, and the bare row is the contact.
  for (let n = 1; n <= Math.min(10, CONTACTS); n++) {
    const res = await call(
      api.port,
      'GET',
      `/api/v1/orgs/${orgId}/members/check?q=${reference(n)}`,
      { headers: { cookie } },
    );
    const found = res.status === 200 ? JSON.parse(res.body) : [];
    if (
      found.length !== 1 ||
      found[0].reference !== reference(n) ||
      found[0].status !== seededStatus(n)
    ) {
      throw new Error(
        `check ${reference(n)}: ${res.status} ${res.body} (expected status ${seededStatus(n)})`,
      );
    }
  }
  const row = await call(barePort, 'GET', `/row/${ids[0]}`);
  if (row.status !== 200 || JSON.parse(row.body).id !== ids[0])
    throw new Error(`bare row: ${row.status} ${row.body}`);

  const apiRun = (label, seconds) =>
    cannon(label, {
      port: api.port,
      pid: api.pid,
      connections: CONNECTIONS,
      seconds,
      headers: { cookie },
      nextPath: () => `/api/v1/orgs/${orgId}/members/check?q=${reference(randomNumber())}`,
    });
  const orgRun = (label, seconds) =>
    cannon(label, {
      port: api.port,
      pid: api.pid,
      connections: CONNECTIONS,
      seconds,
      headers: { cookie },
      nextPath: () => `/api/v1/orgs/${orgId}`,
    });
  const bareRun = (label, seconds) =>
    cannon(label, {
      port: barePort,
      pid: bare.pid,
      connections: CONNECTIONS,
      seconds,
      nextPath: () => `/row/${ids[Math.floor(Math.random() * ids.length)]}`,
    });

  await bareRun('(warm-up) bare GET /row/:id', WARMUP_SECONDS);
  await apiRun('(warm-up) GET …/members/check?q=M00xxxx', WARMUP_SECONDS);
  const rounds = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const b = await bareRun(`round ${r}: bare NestJS GET /row/:id (pg, PK)`, SECONDS);
    const a = await apiRun(`round ${r}: Ruche GET …/members/check?q=M00xxxx`, SECONDS);
    const o = REFERENCE
      ? await orgRun(`round ${r}: (reference) Ruche GET /api/v1/orgs/:id`, SECONDS)
      : null;
    rounds.push({ bare: b, api: a, org: o, rate: a.perSecond / b.perSecond, p99: a.p99 / b.p99 });
    console.log(
      `round ${r}: API/bare requests/s ${(100 * (a.perSecond / b.perSecond)).toFixed(0)} %, p99 ${(a.p99 / b.p99).toFixed(2)} ×`,
    );
  }

  const rate = median(rounds.map((r) => r.rate));
  const p99 = median(rounds.map((r) => r.p99));
  const failures = rounds.reduce(
    (n, r) =>
      n +
      r.api.errors +
      r.api.non2xx +
      r.bare.errors +
      r.bare.non2xx +
      (r.org ? r.org.errors + r.org.non2xx : 0),
    0,
  );
  console.log('\n| side | requests/s | p50 | p99 | errors | non-2xx | server CPU per request |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const [side, pick] of [
    ['bare NestJS + Fastify, `pg` one row by PK', (r) => r.bare],
    ['Ruche `GET /members/check?q=<reference>`', (r) => r.api],
    ...(REFERENCE
      ? [['(reference) Ruche `GET /orgs/:id` (session, role, one row)', (r) => r.org]]
      : []),
  ]) {
    const runs = rounds.map(pick);
    console.log(
      `| ${side} | ${median(runs.map((x) => x.perSecond)).toFixed(0)} | ${median(runs.map((x) => x.p50))} ms | ${median(runs.map((x) => x.p99))} ms | ${runs.reduce((n, x) => n + x.errors, 0)} | ${runs.reduce((n, x) => n + x.non2xx, 0)} | ${median(runs.map((x) => x.cpuMsPerRequest)).toFixed(2)} ms |`,
    );
  }
  console.log(
    `\nmedian of ${ROUNDS} rounds: API/bare requests/s ${(100 * rate).toFixed(0)} % (target ≥ 70 %: ${rate >= 0.7 ? 'met' : 'NOT met'}), ` +
      `p99 ${p99.toFixed(2)} × bare (target ≤ 1.5: ${p99 <= 1.5 ? 'met' : 'NOT met'}), errors + non-2xx ${failures} (target 0: ${failures === 0 ? 'met' : 'NOT met'})`,
  );
  if (failures > 0) process.exitCode = 1;
} finally {
  if (bare) await stopProcess(bare);
  await db.end().catch(() => undefined);
  await api.stop();
}
