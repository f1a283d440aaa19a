// Requests per second of the full API stack for a one-row read: session cookie lookup,
// membership check, then one organization row from PostgreSQL (GET /api/v1/orgs/:id).
// Also: logins per second (argon2id verification dominates).
// Runs the built API (dist/server) as its own process against a fresh database on the real
// PostgreSQL server (DATABASE_URL's server, default the local one); the load generator runs in
// this process with keep-alive connections. Usage: npm run bench (or node bench/api-read.bench.mjs).
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const serverUrl = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');

async function admin(sql) {
  const url = new URL(serverUrl);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
function call(port, method, pathName, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body ? JSON.stringify(body) : undefined;
    const req = http.request(
      { host: '127.0.0.1', port, method, path: pathName, agent, headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...headers } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

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

const database = `ruche_bench_${process.pid}`;
await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
await admin(`CREATE DATABASE ${database}`);
const dbUrl = new URL(serverUrl);
dbUrl.pathname = `/${database}`;
const port = await freePort();
const api = spawn(process.execPath, [path.join(root, 'dist/server/apps/api/src/main.js')], {
  cwd: root,
  env: {
    PATH: process.env.PATH,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: dbUrl.toString(),
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
    LOGIN_MAX_FAILURES: '100',
    DATA_DIR: path.join(os.tmpdir(), `ruche-bench-${process.pid}`),
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  await new Promise((resolve, reject) => {
    let out = '';
    api.stdout.on('data', (c) => {
      out += c;
      if (out.includes('Ruche is running')) resolve();
    });
    api.once('exit', (code) => reject(new Error(`API exited with ${code}:\n${out}`)));
  });

  const email = 'bench@example.org';
  const password = 'correct horse battery staple';
  const signup = await call(port, 'POST', '/api/v1/auth/signup', {
    body: { organizationName: 'Association de mesure', name: 'Bench', email, password, locale: 'fr' },
  });
  if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${signup.body}`);
  const cookie = [].concat(signup.headers['set-cookie']).map((c) => c.split(';')[0]).join('; ');
  const orgId = JSON.parse(signup.body).organizations[0].organizationId;

  console.log(`Node ${process.version}, ${os.cpus().length} x ${os.cpus()[0].model}, ${DURATION_MS / 1000} s per run`);
  await load('warm-up', 8, 2000, () => call(port, 'GET', `/api/v1/orgs/${orgId}`, { headers: { cookie } }));
  for (const c of [1, 16, 64]) {
    await load('GET /api/v1/orgs/:id (one row)', c, DURATION_MS, () => call(port, 'GET', `/api/v1/orgs/${orgId}`, { headers: { cookie } }));
  }
  await load('GET /api/health (SELECT 1)', 16, DURATION_MS, () => call(port, 'GET', '/api/health'));
  await load('POST /api/v1/auth/login (argon2id)', 4, DURATION_MS, () => call(port, 'POST', '/api/v1/auth/login', { body: { email, password } }));
} finally {
  api.kill('SIGTERM');
  await new Promise((r) => api.once('exit', r));
  agent.destroy();
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}
