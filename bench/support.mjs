// Shared by the benchmarks that drive the built API over HTTP: a fresh database on the local
// PostgreSQL server, the API in its own process, and a keep-alive HTTP client.
import { spawn } from 'node:child_process';
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

/** A fresh database and the built API serving it; `stop()` removes both. */
export async function startBenchApi(extraEnv = {}) {
  const database = `ruche_bench_${process.pid}`;
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${database}`);
  const dbUrl = new URL(serverUrl);
  dbUrl.pathname = `/${database}`;
  const port = await freePort();
  // BENCH_PROFILE=<dir> writes a CPU profile of the API (node --cpu-prof) for inspection.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const api = spawn(process.execPath, [...profile, path.join(root, 'dist/server/apps/api/src/main.js')], {
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
    if (api.exitCode === null) {
      api.kill('SIGTERM');
      await new Promise((r) => api.once('exit', r));
    }
    agent.destroy();
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
