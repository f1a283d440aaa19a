// Shared by the benchmarks that drive the built API over HTTP: a fresh database on the local
// PostgreSQL server, the API in its own process, and a keep-alive HTTP client.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const serverUrl = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');

export async function admin(sql) {
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

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export function call(port, method, pathName, { body, raw, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const payload = raw ?? (body ? JSON.stringify(body) : undefined);
    const req = http.request(
      { host: '127.0.0.1', port, method, path: pathName, agent, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers } },
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

/**
 * A fresh database and the built API serving it; `stop()` removes both. `nodeArgs` go before the
 * script (e.g. `memoryProbe('api').nodeArgs`).
 */
export async function startBenchApi(extraEnv = {}, { nodeArgs = [] } = {}) {
  const database = `ruche_bench_${process.pid}`;
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${database}`);
  const dbUrl = new URL(serverUrl);
  dbUrl.pathname = `/${database}`;
  const port = await freePort();
  // BENCH_PROFILE=<dir> writes a CPU profile of the API (node --cpu-prof) for inspection.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const api = spawn(process.execPath, [...profile, ...nodeArgs, path.join(root, 'dist/server/apps/api/src/main.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: dbUrl.toString(),
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      DATA_DIR: path.join(os.tmpdir(), `ruche-bench-${process.pid}`),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = async () => {
    await stopProcess(api);
    agent.destroy();
    rmSync(path.join(os.tmpdir(), `ruche-bench-${process.pid}`), { recursive: true, force: true });
    // BENCH_KEEP_DB=1 leaves the database for EXPLAIN sessions.
    if (process.env.BENCH_KEEP_DB !== '1') await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  };
  try {
    await new Promise((resolve, reject) => {
      let out = '';
      api.stdout.on('data', (c) => {
        out += c;
        if (out.includes('Ruche is running')) resolve();
      });
      api.once('exit', (code) => reject(new Error(`API exited with ${code}:\n${out}`)));
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, pid: api.pid, databaseUrl: dbUrl.toString(), stop };
}

/** Signs up an organization; answers the session cookie, CSRF token and organization id. */
export async function signup(port, email = 'bench@example.org', password = 'correct horse battery staple') {
  const res = await call(port, 'POST', '/api/v1/auth/signup', {
    body: { organizationName: 'Association de mesure', name: 'Bench', email, password, locale: 'fr' },
  });
  if (res.status !== 201) throw new Error(`signup: ${res.status} ${res.body}`);
  const session = JSON.parse(res.body);
  const cookie = [].concat(res.headers['set-cookie']).map((c) => c.split(';')[0]).join('; ');
  return { cookie, csrf: session.csrfToken, orgId: session.organizations[0].organizationId, email, password };
}

/** A Node script in its own process; resolves when its stdout matches `ready` (answers the child and the match). */
export function startProcess(script, env, ready, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, script)], { cwd: root, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
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

/** SIGTERM, then SIGKILL if the process has not exited after 15 s (e.g. streams left open). */
export async function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function percentile(sorted, p) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Node arguments and environment that preload bench/memory-probe.cjs into a process, and the file
 * it writes to: `memoryOf(pid, probe)` then gives its heap after a full GC.
 */
export function memoryProbe(name) {
  const file = path.join(os.tmpdir(), `ruche-bench-${process.pid}-${name}.memory.jsonl`);
  rmSync(file, { force: true });
  process.on('exit', () => rmSync(file, { force: true }));
  return { nodeArgs: ['--expose-gc', '--require', path.join(root, 'bench/memory-probe.cjs')], env: { BENCH_MEMORY_FILE: file }, file };
}

const MIB = 2 ** 20;

/** VmRSS and VmHWM (peak RSS) of a process, in MiB, from /proc/<pid>/status. */
export function procMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kib('VmRSS') / 1024, hwmMb: kib('VmHWM') / 1024 };
}

let clockTicks;
/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid) {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks; // utime, stime (fields 14 and 15)
}

/** Busy and total jiffies of the whole machine, from /proc/stat (busy share = Δbusy / Δtotal). */
export function machineCpu() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = values.map(Number);
  const idle = n[3] + (n[4] ?? 0);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

function completeLines(file) {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(0, -1) : [];
}

/** The memory of a process started with `memoryProbe`: a full GC, then RSS and heap in MiB. */
export async function memoryOf(pid, probe) {
  const before = completeLines(probe.file).length;
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const lines = completeLines(probe.file);
    if (lines.length > before) {
      const m = JSON.parse(lines.at(-1));
      return { rssMb: m.rss / MIB, heapUsedMb: m.heapUsed / MIB, heapTotalMb: m.heapTotal / MIB, externalMb: m.external / MIB };
    }
    if (Date.now() > deadline) throw new Error(`no memory sample from process ${pid}`);
    await sleep(20);
  }
}

export const mb = (value) => `${value.toFixed(1)} MiB`;

/**
 * Keep-alive HTTP load with autocannon (in this process) on 127.0.0.1:port: `connections`
 * connections for `seconds`, each request's path from `nextPath()`. Answers requests/s (completed
 * responses per second), p50/p99 (ms, 2xx responses), errors (connection errors + timeouts),
 * non-2xx, the CPU time the server process (`pid`) used per request, and how busy the machine's
 * cores were (all processes: server, PostgreSQL, load generator, anything else running).
 */
export async function cannon(label, { port, pid, connections, seconds, nextPath, headers = {}, method = 'GET' }) {
  const { default: autocannon } = await import('autocannon');
  const cpu0 = pid ? cpuSeconds(pid) : 0;
  const machine0 = machineCpu();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    headers,
    requests: [{ method, setupRequest: (req) => ({ ...req, path: nextPath() }) }],
  });
  const cpu = pid ? cpuSeconds(pid) - cpu0 : NaN;
  const machine1 = machineCpu();
  const machineBusy = (machine1.busy - machine0.busy) / (machine1.total - machine0.total);
  const total = result.requests.total;
  const out = {
    label,
    connections,
    requests: total,
    perSecond: total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    cpuMsPerRequest: total > 0 ? (cpu * 1000) / total : NaN,
    machineBusy,
  };
  console.log(
    `${label.padEnd(44)} c=${String(connections).padStart(3)}  ${out.perSecond.toFixed(0).padStart(6)} req/s  p50 ${String(out.p50).padStart(4)} ms  p99 ${String(out.p99).padStart(4)} ms  errors ${out.errors}  non-2xx ${out.non2xx}  (${total} requests in ${result.duration.toFixed(1)} s; server CPU ${out.cpuMsPerRequest.toFixed(2)} ms/request, machine ${(100 * machineBusy).toFixed(0)} % busy)`,
  );
  return out;
}

/** Deletes every Redis key under `prefix:` (the benchmark's own prefix). */
export async function cleanRedis(url, prefix) {
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** The expected standing of seeded contact number n (see seedMembers); null: never a member. */
export function seededStatus(n) {
  return ['active', 'active', 'active', 'expiring_soon', 'grace', 'pending_payment', 'lapsed', 'cancelled', 'upcoming', null][n % 10];
}

/**
 * Bulk-inserts `contacts` people numbered 1..contacts into an organization, with the derived
 * columns the contacts service writes (sort name, search text with the M000123 reference), and
 * for 9 in 10 a membership and its standing whose dates agree with the status today (so that
 * the daily status refresh changes nothing): by n % 10, 0–2 active, 3 expiring soon, 4 grace,
 * 5 pending payment, 6 lapsed, 7 cancelled, 8 upcoming, 9 never a member (seededStatus(n)).
 */
export async function seedMembers(db, { orgId, planId, contacts }) {
  const FIRST = ['jeanne', 'paul', 'ines', 'karim', 'sophie', 'lucas', 'chloe', 'hugo', 'fatou', 'elise', 'antoine', 'nina', 'leo', 'camille', 'yasmine'];
  const CITIES = ['lyon', 'paris', 'marseille', 'lille', 'nantes', 'rennes', 'grenoble', 'dijon', 'tours', 'brest'];
  await db.query('BEGIN');
  await db.query(
    `INSERT INTO contacts (id, organization_id, number, kind, first_name, last_name, email, postal_code, city, country, locale, custom_fields,
                           name_key, sort_name, search_text, last_activity_at, created_at, updated_at)
     SELECT gen_random_uuid(), $1, n, 'person', initcap(f), 'Nom' || n, f || '.' || n || '@example.org', pc, initcap(c), 'FR', 'fr', '{}'::jsonb,
            f || ' nom' || n, 'nom' || n || ' ' || f, f || ' nom' || n || ' ' || f || '.' || n || '@example.org ' || c || ' ' || pc || ' m' || lpad(n::text, 6, '0'),
            now(), now() - (n || ' minutes')::interval, now()
       FROM generate_series(1, $2::int) n,
            LATERAL (SELECT ($3::text[])[1 + n % 15] AS f, ($4::text[])[1 + n % 10] AS c, lpad(((n % 95) + 1)::text, 2, '0') || '000' AS pc) x`,
    [orgId, contacts, FIRST, CITIES],
  );
  await db.query(`INSERT INTO contact_counters (organization_id, last_number) VALUES ($1, $2)
                  ON CONFLICT (organization_id) DO UPDATE SET last_number = excluded.last_number`, [orgId, contacts]);
  // Dates per status, relative to today, with the default settings (30 days expiring soon, 30 days of grace).
  await db.query(
    `INSERT INTO memberships (id, organization_id, contact_id, plan_id, amount_cents, currency, start_date, end_date, status, next_status_change_on,
                              status_changed_at, paid_on, payment_method, cancelled_at, source, created_at, updated_at)
     SELECT gen_random_uuid(), c.organization_id, c.id, $2, 2000, 'EUR', current_date + d.start_in, current_date + d.end_in, d.status,
            CASE WHEN d.next_in IS NULL THEN NULL ELSE current_date + d.next_in END, now(),
            CASE WHEN d.paid THEN current_date + d.start_in END, CASE WHEN d.paid THEN 'cheque' END,
            CASE WHEN d.status = 'cancelled' THEN now() - interval '10 days' END, 'import', now(), now()
       FROM contacts c
       JOIN (VALUES (0, 'active', -100, 200, 171, true), (1, 'active', -100, 200, 171, true), (2, 'active', -100, 200, 171, true),
                    (3, 'expiring_soon', -350, 15, 16, true), (4, 'grace', -380, -15, 16, true), (5, 'pending_payment', -5, 360, 391, false),
                    (6, 'lapsed', -500, -135, NULL, true), (7, 'cancelled', -200, 165, NULL, true), (8, 'upcoming', 20, 385, 20, true))
            AS d(k, status, start_in, end_in, next_in, paid) ON d.k = c.number % 10
      WHERE c.organization_id = $1`,
    [orgId, planId],
  );
  await db.query(
    `INSERT INTO member_summaries (organization_id, contact_id, membership_id, plan_id, status, member_since, valid_until, lapsed_since, updated_at)
     SELECT organization_id, contact_id, id, plan_id, status, CASE WHEN paid_on IS NOT NULL THEN start_date END,
            CASE WHEN paid_on IS NOT NULL THEN end_date END, CASE WHEN status = 'lapsed' THEN end_date + 31 END, now()
       FROM memberships WHERE organization_id = $1`,
    [orgId],
  );
  await db.query('COMMIT');
  await db.query('ANALYZE');
}

/** The tests' fake Stripe (libs/testing is not part of the server build), transpiled with SWC. */
export async function loadFakeStripe() {
  const { default: swc } = await import('@swc/core');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const { createRequire } = await import('node:module');
  const out = path.join(root, 'dist/bench/libs/testing/src/fake-stripe.js');
  const { code } = await swc.transformFile(path.join(root, 'libs/testing/src/fake-stripe.ts'), {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, code);
  return createRequire(import.meta.url)(out).FakeStripe;
}
