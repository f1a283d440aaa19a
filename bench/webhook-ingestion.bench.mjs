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
import { mkdirSync, writeFileSync } from 'node:fs';
import swc from '@swc/core';

const { transformFile } = swc;
import { agent, call, cleanRedis, root, signup, startBenchApi } from './support.mjs';

// The tests' fake Stripe (libs/testing is not part of the server build): transpiled here with SWC.
const fakeOut = path.join(root, 'dist/bench/libs/testing/src/fake-stripe.js');
const { code } = await transformFile(path.join(root, 'libs/testing/src/fake-stripe.ts'), { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } });
mkdirSync(path.dirname(fakeOut), { recursive: true });
writeFileSync(fakeOut, code);
const require = createRequire(import.meta.url);
const { FakeStripe } = require(fakeOut);

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 1000);
const CONCURRENCY = 50;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEY = randomBytes(32).toString('base64');
const PREFIX = `ruche-bench-${process.pid}`;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function blast(label, port, deliveries, pathFor) {
  let next = 0;
  let errors = 0;
  const latencies = [];
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < deliveries.length) {
        const d = deliveries[next++];
        const t0 = process.hrtime.bigint();
        const res = await call(port, 'POST', pathFor(d), { raw: d.body, headers: { 'content-type': 'application/json', 'stripe-signature': d.signature } });
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (res.status !== 200) errors++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const rate = deliveries.length / seconds;
  console.log(`${label}: ${deliveries.length} requests in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} req/s; p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; non-200: ${errors}`);
  return { rate, errors };
}

function startProcess(script, env, ready) {
  const child = spawn(process.execPath, [path.join(root, script)], { cwd: root, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
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
const env = { DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '10', REDIS_URL, REDIS_PREFIX: PREFIX, RUN_WORKER: 'false', RUCHE_ENCRYPTION_KEY: KEY, STRIPE_API_BASE: fake.url, LOG_LEVEL: 'error' };
const api = await startBenchApi(env);
const bare = await startProcess('bench/bare-nest.mjs', {}, /bare ready (\d+)/);
const barePort = Number(bare.match[1]);
let worker;
try {
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  const session = await signup(api.port);
  const staff = (method, p, body) => call(api.port, method, `/api/v1/orgs/${session.orgId}${p}`, { body, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } });
  const secret = `whsec_${randomBytes(24).toString('hex')}`;
  const put = await staff('PUT', '/settings/stripe', { secretKey: `sk_test_${randomBytes(16).toString('hex')}`, webhookSecret: secret });
  if (put.status !== 200) throw new Error(`stripe settings: ${put.status} ${put.body}`);
  const plan = JSON.parse((await staff('POST', '/membership-plans', { name: 'Adhésion', pricingKind: 'fixed', tiers: [{ code: 'std', label: 'Standard', amount: '20' }], validityKind: 'calendar_year' })).body);

  // Setup: PAYMENTS members join online, and pay at (fake) Checkout.
  const t0 = Date.now();
  const paymentIds = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (i < PAYMENTS) {
        const n = i++;
        const res = await call(api.port, 'POST', `/api/v1/public/orgs/${session.orgId}/join`, { body: { planId: plan.id, firstName: 'Membre', lastName: `N${n}`, email: `m${n}@bench.example.org`, acceptTerms: true } });
        if (res.status !== 201) throw new Error(`join: ${res.status} ${res.body}`);
        paymentIds.push(JSON.parse(res.body).paymentId);
      }
    }),
  );
  console.log(`setup: ${PAYMENTS} online joins in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const events = [];
  for (const id of paymentIds) {
    const s = fake.sessionFor(id);
    const { paymentIntent } = fake.pay(s.id, { feeCents: 55 });
    events.push(fake.event('checkout.session.completed', s), fake.event('payment_intent.succeeded', paymentIntent));
  }
  // Every event four times (Stripe retries and duplicates), shuffled, signed as Stripe does.
  const deliveries = [...events, ...events, ...events, ...events].map((e) => ({ ...FakeStripe.sign(e, secret), id: e.id })).sort(() => Math.random() - 0.5);

  await blast('(warm-up of the bare endpoint, not counted)', barePort, deliveries.slice(0, 2000), () => '/hook/x');
  const ceiling = await blast('bare NestJS endpoint', barePort, deliveries, () => '/hook/x');
  const ingest = await blast('Ruche webhook (verify, store, enqueue)', api.port, deliveries, () => `/api/v1/webhooks/stripe/${session.orgId}`);
  console.log(`ingestion / ceiling: ${((ingest.rate / ceiling.rate) * 100).toFixed(0)} % (target ≥ 50 %)`);

  const db = new pg.Client({ connectionString: api.databaseUrl });
  await db.connect();
  const count = async (sql) => Number((await db.query(sql)).rows[0].n);
  const stored = await count('SELECT count(*) AS n FROM stripe_events');
  console.log(`stored events: ${stored} (distinct sent: ${events.length})`);

  // One worker processes the backlog.
  const w0 = process.hrtime.bigint();
  worker = (await startProcess('dist/server/apps/worker/src/main.js', { ...env, DATABASE_URL: api.databaseUrl, DATA_DIR: path.join(os.tmpdir(), `ruche-bench-${process.pid}`) }, /Ruche worker is running/)).child;
  for (;;) {
    const left = await count("SELECT count(*) AS n FROM stripe_events WHERE state = 'received'");
    if (left === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const processSeconds = Number(process.hrtime.bigint() - w0) / 1e9;
  console.log(`one worker: ${stored} events processed in ${processSeconds.toFixed(1)} s = ${(stored / processSeconds).toFixed(0)} events/s (each reads its objects back from Stripe)`);

  const states = (await db.query('SELECT state, count(*)::int AS n FROM stripe_events GROUP BY state ORDER BY state')).rows;
  const succeeded = await count("SELECT count(*) AS n FROM payments WHERE status = 'succeeded'");
  const entries = await count("SELECT count(*) AS n FROM journal_entries WHERE source LIKE 'stripe:%'");
  const twice = await count("SELECT count(*) AS n FROM (SELECT source FROM journal_entries GROUP BY source HAVING count(*) > 1) x");
  const history = await count("SELECT count(*) AS n FROM payment_status_changes WHERE status = 'succeeded'");
  const active = await count("SELECT count(*) AS n FROM memberships WHERE status = 'active'");
  console.log(`event states: ${states.map((s) => `${s.state} ${s.n}`).join(', ')}`);
  console.log(`payments succeeded: ${succeeded}/${PAYMENTS}; Stripe entries: ${entries}; sources posted twice: ${twice}; 'succeeded' history rows: ${history}; active memberships: ${active}`);
  const ok = stored === events.length && succeeded === PAYMENTS && entries === PAYMENTS && twice === 0 && history === PAYMENTS && active === PAYMENTS;
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
