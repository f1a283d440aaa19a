// Live dashboards: BENCH_CLIENTS (default 500) Server-Sent Events streams open on
// GET /api/v1/orgs/:orgId/events (staff session cookie) while BENCH_EVENTS (default 50) membership
// changes are made through the API, after 5 not counted (a desk payment turns a pending membership active, one every
// BENCH_EVENT_GAP_MS, default 100 ms). Measured: for every (stream, change), the time from the
// start of the change's request to the stream's `membership.status_changed` for that membership
// (p50, p99, max), the spread between the first and the last stream told of a change, events lost
// (must be 0) or seen twice, and the API's memory (RSS, and heap after a full GC through
// bench/memory-probe.cjs) before, with the streams open, after the changes and after they close.
//
// In the same run, the same measure on a bare NestJS + Fastify @Sse endpoint (bench/bare-nest.mjs
// GET /events) fanning out the same number of events of the same shape, published by
// POST /events. Both use Redis pub/sub between the request and the streams, as the API does with
// REDIS_URL (BENCH_REDIS=0: both in process). The API runs with RUN_WORKER=false and its own
// REDIS_PREFIX (deleted at the end), its own database, in its own process.
//
// Usage: node bench/sse-fanout.bench.mjs (dist/server must be built: npm run build:server).
// Short check: BENCH_CLIENTS=100 BENCH_EVENTS=10 node bench/sse-fanout.bench.mjs
import http from 'node:http';
import os from 'node:os';
import pg from 'pg';
import {
  call,
  cleanRedis,
  mb,
  memoryOf,
  memoryProbe,
  percentile,
  seedMembers,
  signup,
  sleep,
  startBenchApi,
  startProcess,
  stopProcess,
} from './support.mjs';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 500);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 50);
const GAP_MS = Number(process.env.BENCH_EVENT_GAP_MS ?? 100);
const WARMUP_EVENTS = 5;
const USE_REDIS = process.env.BENCH_REDIS !== '0';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `ruche-bench-${process.pid}`;
const redisEnv = USE_REDIS ? { REDIS_URL, REDIS_PREFIX: PREFIX } : {};

/** One SSE stream on its own connection; calls onEvent(parsed data) for every message. */
function subscribe(port, pathName, headers, onEvent) {
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: pathName,
        agent: false,
        headers: { accept: 'text/event-stream', ...headers },
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return reject(new Error(`SSE ${pathName}: ${res.statusCode}`));
        }
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block
              .split('\n')
              .filter((line) => line.startsWith('data:'))
              .map((line) => line.slice(5).trimStart())
              .join('\n');
            if (data) onEvent(JSON.parse(data));
          }
        });
        res.on('error', () => undefined);
        resolve(req);
      },
    );
    req.on('error', (error) => {
      if (!req.destroyed || error.code !== 'ECONNRESET') reject(error);
    });
  });
}

/**
 * Opens CLIENTS streams, makes EVENTS changes with `trigger(i)` (answers the key the event will
 * carry; `sentAt` is set before the request), waits for every stream to have every event, closes.
 */
async function fanout(label, { port, pid, probe, path: pathName, headers = {}, keyOf, trigger }) {
  const memory = { before: await memoryOf(pid, probe) };
  const sentAt = new Map();
  const latencies = [];
  const firstLast = new Map();
  const seen = Array.from({ length: CLIENTS }, () => new Set());
  let duplicates = 0;
  let received = 0;
  const streams = [];
  const connectStarted = Date.now();
  for (let i = 0; i < CLIENTS; i += 100) {
    const batch = Array.from({ length: Math.min(100, CLIENTS - i) }, (_, j) =>
      subscribe(port, pathName, headers, (event) => {
        const key = keyOf(event);
        const t0 = key === undefined ? undefined : sentAt.get(key);
        if (t0 === undefined) return;
        const now = process.hrtime.bigint();
        if (seen[i + j].has(key)) {
          duplicates++;
          return;
        }
        seen[i + j].add(key);
        received++;
        latencies.push(Number(now - t0) / 1e6);
        const span = firstLast.get(key);
        if (span) span[1] = now;
        else firstLast.set(key, [now, now]);
      }),
    );
    streams.push(...(await Promise.all(batch)));
  }
  const connectSeconds = (Date.now() - connectStarted) / 1000;
  await sleep(500);
  memory.connected = await memoryOf(pid, probe);

  // A few changes first, not counted (JIT, connection pools).
  for (let i = 0; i < WARMUP_EVENTS; i++) await trigger(EVENTS + i, () => undefined);
  await sleep(500);
  const answered = [];
  for (let i = 0; i < EVENTS; i++) {
    const t0 = process.hrtime.bigint();
    const key = await trigger(i, (k) => sentAt.set(k, t0));
    answered.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (!sentAt.has(key)) throw new Error(`${label}: trigger ${i} did not register its key`);
    if (GAP_MS > 0) await sleep(GAP_MS);
  }
  const expected = CLIENTS * EVENTS;
  const deadline = Date.now() + 10_000;
  while (received < expected && Date.now() < deadline) await sleep(20);
  memory.afterEvents = await memoryOf(pid, probe);
  for (const req of streams) req.destroy();
  await sleep(1000);
  memory.closed = await memoryOf(pid, probe);

  latencies.sort((a, b) => a - b);
  answered.sort((a, b) => a - b);
  const spreads = [...firstLast.values()]
    .map(([a, b]) => Number(b - a) / 1e6)
    .sort((a, b) => a - b);
  const result = {
    label,
    connectSeconds,
    expected,
    received,
    lost: expected - received,
    duplicates,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1),
    answeredP50: percentile(answered, 50),
    spreadP50: percentile(spreads, 50),
    spreadP99: percentile(spreads, 99),
    memory,
  };
  console.log(
    `${label}: ${CLIENTS} streams opened in ${connectSeconds.toFixed(1)} s; ${EVENTS} events → ${received}/${expected} deliveries (lost ${result.lost}, duplicates ${duplicates}); ` +
      `delivery after the request started p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms; ` +
      `request answered p50 ${result.answeredP50.toFixed(1)} ms; first→last stream p50 ${result.spreadP50.toFixed(1)} ms, p99 ${result.spreadP99.toFixed(1)} ms`,
  );
  console.log(
    `${label} memory (RSS / heap after GC): before ${mb(memory.before.rssMb)} / ${mb(memory.before.heapUsedMb)}, ${CLIENTS} streams ${mb(memory.connected.rssMb)} / ${mb(memory.connected.heapUsedMb)}, ` +
      `after the events ${mb(memory.afterEvents.rssMb)} / ${mb(memory.afterEvents.heapUsedMb)}, streams closed ${mb(memory.closed.rssMb)} / ${mb(memory.closed.heapUsedMb)}`,
  );
  return result;
}

const apiProbe = memoryProbe('api');
const bareProbe = memoryProbe('bare');
const api = await startBenchApi(
  { ...redisEnv, RUN_WORKER: 'false', ...apiProbe.env },
  { nodeArgs: apiProbe.nodeArgs },
);
const db = new pg.Client({ connectionString: api.databaseUrl });
let bare;
try {
  await db.connect();
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${os.loadavg()[0].toFixed(2)}; ` +
      `${CLIENTS} streams, ${EVENTS} events ${GAP_MS} ms apart, live events through ${USE_REDIS ? 'Redis pub/sub' : 'the process'}`,
  );
  const { cookie, csrf, orgId } = await signup(api.port);
  const staff = async (method, pathName, body, expected = 201) => {
    const res = await call(api.port, method, `/api/v1/orgs/${orgId}${pathName}`, {
      body,
      headers: { cookie, 'x-csrf-token': csrf },
    });
    if (res.status !== expected)
      throw new Error(`${method} ${pathName}: ${res.status} ${res.body}`);
    return JSON.parse(res.body);
  };
  const plan = await staff('POST', '/membership-plans', {
    name: 'Adhésion',
    pricingKind: 'fixed',
    tiers: [{ code: 'std', label: 'Standard', amount: '20' }],
    validityKind: 'calendar_year',
  });
  // Contacts numbered 10k + 9 never held a membership: one pending membership each, paid during the run.
  await seedMembers(db, { orgId, planId: plan.id, contacts: (EVENTS + WARMUP_EVENTS) * 10 });
  const newcomers = (
    await db.query(
      'SELECT id FROM contacts WHERE organization_id = $1 AND number % 10 = 9 ORDER BY number',
      [orgId],
    )
  ).rows;
  const pending = [];
  for (const { id } of newcomers.slice(0, EVENTS + WARMUP_EVENTS))
    pending.push(
      (await staff('POST', '/memberships', { contactId: id, planId: plan.id, tierCode: 'std' })).id,
    );

  const started = await startProcess(
    'bench/bare-nest.mjs',
    { ...redisEnv, ...bareProbe.env },
    /bare ready (\d+)/,
    bareProbe.nodeArgs,
  );
  bare = started.child;
  const barePort = Number(started.match[1]);
  const today = new Date().toISOString().slice(0, 10);

  const bareResult = await fanout('bare NestJS @Sse', {
    port: barePort,
    pid: bare.pid,
    probe: bareProbe,
    path: '/events',
    keyOf: (e) => (e.type === 'membership.status_changed' ? e.data.membershipId : undefined),
    trigger: async (i, register) => {
      const key = `bare-${i}`;
      register(key);
      const event = {
        type: 'membership.status_changed',
        organizationId: orgId,
        at: new Date().toISOString(),
        data: {
          membershipId: key,
          contactId: newcomers[i].id,
          contactName: `Camille Nom${i}`,
          status: 'active',
          previousStatus: 'pending_payment',
          validUntil: `${today.slice(0, 4)}-12-31`,
        },
      };
      const res = await call(barePort, 'POST', '/events', { body: event });
      if (res.status !== 202) throw new Error(`bare publish: ${res.status} ${res.body}`);
      return key;
    },
  });
  const apiResult = await fanout('Ruche /events', {
    port: api.port,
    pid: api.pid,
    probe: apiProbe,
    path: `/api/v1/orgs/${orgId}/events`,
    headers: { cookie },
    keyOf: (e) => (e.type === 'membership.status_changed' ? e.data.membershipId : undefined),
    trigger: async (i, register) => {
      register(pending[i]);
      await staff('POST', `/memberships/${pending[i]}/payment`, {
        method: 'cheque',
        paidOn: today,
      });
      return pending[i];
    },
  });

  console.log(
    '\n| side | deliveries | lost | p50 | p99 | max | first→last stream p99 | RSS before → streams open → closed | heap (after GC) before → open → closed |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---|---|');
  for (const r of [bareResult, apiResult]) {
    const m = r.memory;
    console.log(
      `| ${r.label} | ${r.received}/${r.expected} | ${r.lost} | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${r.max.toFixed(1)} ms | ${r.spreadP99.toFixed(1)} ms | ` +
        `${m.before.rssMb.toFixed(0)} → ${m.connected.rssMb.toFixed(0)} → ${m.closed.rssMb.toFixed(0)} MiB | ${m.before.heapUsedMb.toFixed(1)} → ${m.connected.heapUsedMb.toFixed(1)} → ${m.closed.heapUsedMb.toFixed(1)} MiB |`,
    );
  }
  console.log(
    `\nAPI: the change's request itself is answered in p50 ${apiResult.answeredP50.toFixed(1)} ms (bare publish ${bareResult.answeredP50.toFixed(1)} ms); ` +
      `fan-out (first→last stream) p99 ${apiResult.spreadP99.toFixed(1)} ms vs bare ${bareResult.spreadP99.toFixed(1)} ms; ` +
      `heap per open stream ${((1024 * (apiResult.memory.connected.heapUsedMb - apiResult.memory.before.heapUsedMb)) / CLIENTS).toFixed(1)} KiB (bare ${((1024 * (bareResult.memory.connected.heapUsedMb - bareResult.memory.before.heapUsedMb)) / CLIENTS).toFixed(1)} KiB)`,
  );
  if (apiResult.lost > 0 || apiResult.duplicates > 0 || bareResult.lost > 0) process.exitCode = 1;
} finally {
  if (bare) await stopProcess(bare);
  await db.end().catch(() => undefined);
  await api.stop();
  if (USE_REDIS) await cleanRedis(REDIS_URL, PREFIX);
}
