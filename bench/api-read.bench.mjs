// Requests per second of the full API stack for a one-row read: session cookie lookup,
// membership check, then one organization row from PostgreSQL (GET /api/v1/orgs/:id).
// Also: logins per second (argon2id verification dominates).
// Runs the built API (dist/server) as its own process against a fresh database on the real
// PostgreSQL server (DATABASE_URL's server, default the local one); the load generator runs in
// this process with keep-alive connections. Usage: npm run bench (or node bench/api-read.bench.mjs).
import os from 'node:os';
import { call, signup, startBenchApi } from './support.mjs';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);

async function load(label, concurrency, durationMs, request) {
  let done = 0;
  let errors = 0;
  const latencies = [];
  const deadline = Date.now() + durationMs;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const t0 = process.hrtime.bigint();
        const res = await request();
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (res.status !== 200) errors++;
        done++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
  const result = { label, concurrency, requests: done, errors, perSecond: Math.round(done / seconds), p50: pct(50), p99: pct(99) };
  console.log(
    `${label.padEnd(34)} c=${String(concurrency).padStart(3)}  ${String(result.perSecond).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  (${done} requests, ${errors} errors)`,
  );
  return result;
}

const api = await startBenchApi({ LOGIN_RATE_LIMIT_PER_MINUTE: '10000', LOGIN_MAX_FAILURES: '100' });
const port = api.port;
try {
  const { cookie, orgId, email, password } = await signup(port);

  console.log(`Node ${process.version}, ${os.cpus().length} x ${os.cpus()[0].model}, ${DURATION_MS / 1000} s per run`);
  await load('warm-up', 8, 2000, () => call(port, 'GET', `/api/v1/orgs/${orgId}`, { headers: { cookie } }));
  for (const c of [1, 16, 64]) {
    await load('GET /api/v1/orgs/:id (one row)', c, DURATION_MS, () => call(port, 'GET', `/api/v1/orgs/${orgId}`, { headers: { cookie } }));
  }
  await load('GET /api/health (SELECT 1)', 16, DURATION_MS, () => call(port, 'GET', '/api/health'));
  await load('POST /api/v1/auth/login (argon2id)', 4, DURATION_MS, () => call(port, 'POST', '/api/v1/auth/login', { body: { email, password } }));
} finally {
  await api.stop();
}
