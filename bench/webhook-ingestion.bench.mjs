// Stripe webhook ingestion (issue 5): events/s accepted (2xx) and p99 latency at 50 concurrent
// senders, against a bare NestJS endpoint that only answers 200 (the ceiling), in the same run;
// then events/s fully processed by one worker process; then a check that no event was lost or
// processed twice. The API and the worker run the built server (dist/server) on a fresh database
// of the local PostgreSQL and on the local Redis; Stripe is the tests' fake server, in this process.
// Usage: npm run bench webhook (or node bench/webhook-ingestion.bench.mjs). BENCH_PAYMENTS=1000.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import swc from '@swc/core';

const { transformFile } = swc;
import { agent, call, cleanRedis, root, signup, startBenchApi } from './support.mjs';

// The tests' fake Stripe (libs/testing is not part of the server build): transpiled here with SWC.
const fakeOut = path.join(root, 'dist/bench/libs/testing/src/fake-stripe.js');
const { code } = await transformFile(path.join(root, 'libs/testing/src/fake-stripe.ts'), {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
});
mkdirSync(path.dirname(fakeOut), { recursive: true });
writeFileSync(fakeOut, code);
const require = createRequire(import.meta.url);
const { FakeStripe } = require(fakeOut);

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 1000);
// Members whose events warm the API up before the measured run (the bare endpoint gets its warm-up
// too): other events than the measured ones, so that none of these is a duplicate of those.
const WARM = 250;
const CONCURRENCY = 50;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEY = randomBytes(32).toString('base64');
const PREFIX = `ruche-bench-${process.pid}`;

/** CPU time (ms) used so far by the API, the bare endpoint, this process, PostgreSQL and Redis. */
function cpuByProcess(pids) {
  const out = { api: 0, bare: 0, bench: 0, postgres: 0, redis: 0, other: 0 };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
    const pid = Number(entry);
    const who =
      pid === pids.api
        ? 'api'
        : pid === pids.bare
          ? 'bare'
          : pid === process.pid
            ? 'bench'
            : comm.startsWith('postgres')
              ? 'postgres'
              : comm.startsWith('redis')
                ? 'redis'
                : 'other';
    out[who] += ms;
  }
  return out;
}
const TICKS = 100;

async function blast(label, port, deliveries, pathFor) {
  const cpu0 = cpuByProcess(pids);
  // autocannon, as the other HTTP benchmarks: CONCURRENCY keep-alive connections, each delivery
  // sent once, in order.
  const { default: autocannon } = await import('autocannon');
  let next = 0;
  let answered = 0;
  let finished = 0n;
  const started = process.hrtime.bigint();
  const result = await new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: CONCURRENCY,
        amount: deliveries.length,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const d = deliveries[next++ % deliveries.length];
              return {
                ...req,
                path: pathFor(d),
                body: d.body,
                headers: { 'content-type': 'application/json', 'stripe-signature': d.signature },
              };
            },
          },
        ],
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    // autocannon ends on its one-second tick: the time is the last answer's, taken here.
    instance.on('response', () => {
      if (++answered === deliveries.length) finished = process.hrtime.bigint();
    });
  });
  const seconds = Number((finished || process.hrtime.bigint()) - started) / 1e9;
  const errors = result.non2xx + result.errors + result.timeouts;
  const rate = result.requests.total / seconds;
  console.log(
    `${label}: ${result.requests.total} requests in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} req/s; p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; non-200: ${errors}`,
  );
  const cpu1 = cpuByProcess(pids);
  const perRequest = Object.entries(cpu1)
    .map(([who, ms]) => [who, ((ms - cpu0[who]) * 1000) / deliveries.length])
    .filter(([, us]) => us >= 1)
    .map(([who, us]) => `${who} ${us.toFixed(0)}`);
  console.log(
    `  CPU per request (µs, from /proc): ${perRequest.join(', ')}; both cores: ${((2 * seconds * 1e6) / deliveries.length).toFixed(0)}`,
  );
  return { rate, errors };
}

function startProcess(script, env, ready, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, script)], {
    cwd: root,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const match = ready.exec(out);
      if (match) resolve({ child, match });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${out}`)));
  });
}

async function stopProcess(child) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

const fake = await new FakeStripe().start();
const env = {
  DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '10',
  REDIS_URL,
  REDIS_PREFIX: PREFIX,
  RUN_WORKER: 'false',
  RUCHE_ENCRYPTION_KEY: KEY,
  STRIPE_API_BASE: fake.url,
  LOG_LEVEL: 'error',
};
const api = await startBenchApi(env);
// BENCH_PROFILE=<dir>: CPU profiles of the bare endpoint too, to compare the two per request.
const bareProfile = process.env.BENCH_PROFILE
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`, '--cpu-prof-name=bare.cpuprofile']
  : [];
const bare = await startProcess('bench/bare-nest.mjs', {}, /bare ready (\d+)/, bareProfile);
const barePort = Number(bare.match[1]);
const pids = { api: api.pid, bare: bare.child.pid };
let worker;
try {
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  const session = await signup(api.port);
  const staff = (method, p, body) =>
    call(api.port, method, `/api/v1/orgs/${session.orgId}${p}`, {
      body,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
    });
  const secret = `whsec_${randomBytes(24).toString('hex')}`;
  const put = await staff('PUT', '/settings/stripe', {
    secretKey: `sk_test_${randomBytes(16).toString('hex')}`,
    webhookSecret: secret,
  });
  if (put.status !== 200) throw new Error(`stripe settings: ${put.status} ${put.body}`);
  const plan = JSON.parse(
    (
      await staff('POST', '/membership-plans', {
        name: 'Adhésion',
        pricingKind: 'fixed',
        tiers: [{ code: 'std', label: 'Standard', amount: '20' }],
        validityKind: 'calendar_year',
      })
    ).body,
  );

  // Setup: PAYMENTS members join online, and pay at (fake) Checkout.
  const t0 = Date.now();
  const paymentIds = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (i < PAYMENTS + WARM) {
        const n = i++;
        const res = await call(api.port, 'POST', `/api/v1/public/orgs/${session.orgId}/join`, {
          body: {
            planId: plan.id,
            firstName: 'Membre',
            lastName: `N${n}`,
            email: `m${n}@bench.example.org`,
            acceptTerms: true,
          },
        });
        if (res.status !== 201) throw new Error(`join: ${res.status} ${res.body}`);
        paymentIds.push(JSON.parse(res.body).paymentId);
      }
    }),
  );
  console.log(
    `setup: ${PAYMENTS + WARM} online joins in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  const eventsOf = (ids) =>
    ids.flatMap((id) => {
      const s = fake.sessionFor(id);
      const { paymentIntent } = fake.pay(s.id, { feeCents: 55 });
      return [
        fake.event('checkout.session.completed', s),
        fake.event('payment_intent.succeeded', paymentIntent),
      ];
    });
  // Every event four times (Stripe retries and duplicates), shuffled, signed as Stripe does.
  const deliver4 = (list) =>
    [...list, ...list, ...list, ...list]
      .map((e) => ({ ...FakeStripe.sign(e, secret), id: e.id }))
      .sort(() => Math.random() - 0.5);
  const warmEvents = eventsOf(paymentIds.slice(PAYMENTS));
  const events = eventsOf(paymentIds.slice(0, PAYMENTS));
  const deliveries = deliver4(events);

  await blast(
    '(warm-up of the bare endpoint, not counted)',
    barePort,
    deliveries.slice(0, 2000),
    () => '/hook/x',
  );
  const ceiling = await blast('bare NestJS endpoint', barePort, deliveries, () => '/hook/x');
  await blast(
    '(warm-up of the Ruche webhook, other events, not counted)',
    api.port,
    deliver4(warmEvents),
    () => `/api/v1/webhooks/stripe/${session.orgId}`,
  );
  const ingest = await blast(
    'Ruche webhook (verify, store, enqueue)',
    api.port,
    deliveries,
    () => `/api/v1/webhooks/stripe/${session.orgId}`,
  );
  console.log(
    `ingestion / ceiling: ${((ingest.rate / ceiling.rate) * 100).toFixed(0)} % (target ≥ 50 %)`,
  );

  const db = new pg.Client({ connectionString: api.databaseUrl });
  await db.connect();
  const count = async (sql) => Number((await db.query(sql)).rows[0].n);
  const stored = await count('SELECT count(*) AS n FROM stripe_events');
  console.log(
    `stored events: ${stored} (distinct sent: ${events.length} measured + ${warmEvents.length} warm-up)`,
  );

  // One worker processes the backlog.
  const w0 = process.hrtime.bigint();
  worker = (
    await startProcess(
      'dist/server/apps/worker/src/main.js',
      {
        ...env,
        DATABASE_URL: api.databaseUrl,
        DATA_DIR: path.join(os.tmpdir(), `ruche-bench-${process.pid}`),
      },
      /Ruche worker is running/,
    )
  ).child;
  for (;;) {
    const left = await count("SELECT count(*) AS n FROM stripe_events WHERE state = 'received'");
    if (left === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const processSeconds = Number(process.hrtime.bigint() - w0) / 1e9;
  console.log(
    `one worker: ${stored} events processed in ${processSeconds.toFixed(1)} s = ${(stored / processSeconds).toFixed(0)} events/s (each reads its objects back from Stripe)`,
  );

  const states = (
    await db.query(
      'SELECT state, count(*)::int AS n FROM stripe_events GROUP BY state ORDER BY state',
    )
  ).rows;
  const succeeded = await count("SELECT count(*) AS n FROM payments WHERE status = 'succeeded'");
  const entries = await count(
    "SELECT count(*) AS n FROM journal_entries WHERE source LIKE 'stripe:%'",
  );
  const twice = await count(
    'SELECT count(*) AS n FROM (SELECT source FROM journal_entries GROUP BY source HAVING count(*) > 1) x',
  );
  const history = await count(
    "SELECT count(*) AS n FROM payment_status_changes WHERE status = 'succeeded'",
  );
  const active = await count("SELECT count(*) AS n FROM memberships WHERE status = 'active'");
  console.log(`event states: ${states.map((s) => `${s.state} ${s.n}`).join(', ')}`);
  console.log(
    `payments succeeded: ${succeeded}/${PAYMENTS + WARM}; Stripe entries: ${entries}; sources posted twice: ${twice}; 'succeeded' history rows: ${history}; active memberships: ${active}`,
  );
  const paid = PAYMENTS + WARM;
  const ok =
    stored === events.length + warmEvents.length &&
    succeeded === paid &&
    entries === paid &&
    twice === 0 &&
    history === paid &&
    active === paid;
  console.log(ok ? 'no event lost, none processed twice' : 'MISMATCH: see the counts above');
  await db.end();
  if (!ok) process.exitCode = 1;
} finally {
  if (worker) await stopProcess(worker);
  await stopProcess(bare.child);
  await api.stop();
  await fake.stop();
  agent.destroy();
  await cleanRedis(REDIS_URL, PREFIX);
}
