import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root and the built server (`npm run build`, which `npm test` runs first). */
export const REPO_ROOT = resolve(__dirname, '../../../..');
const API_MAIN = join(REPO_ROOT, 'dist/server/apps/api/src/main.js');
const WORKER_MAIN = join(REPO_ROOT, 'dist/server/apps/worker/src/main.js');
const ADMIN_DIST = join(REPO_ROOT, 'dist/admin/index.html');

export function assertBuilt(): void {
  for (const file of [API_MAIN, WORKER_MAIN, ADMIN_DIST]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` (npm test does it first)`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export function tempDataDir(label: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `ruche-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunningProcess {
  readonly output: () => string;
  readonly child: ChildProcess;
  /** Resolves with the exit code when the process ends by itself (or is stopped). */
  readonly exited: Promise<number | null>;
  /** Resolves when a line of output matches, rejects if the process exits first or on timeout. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<number | null>;
}

/**
 * Starts a built app (`api` or `worker`) as its own process, the way `npm start` does, with a
 * clean environment: only what is passed here plus PATH/HOME, so that the developer's or CI's
 * DATABASE_URL/REDIS_URL do not leak into an "embedded" start.
 */
export function startProcess(app: 'api' | 'worker', env: Record<string, string>): RunningProcess {
  const child = spawn(process.execPath, [app === 'api' ? API_MAIN : WORKER_MAIN], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    listeners.forEach((l) => l());
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));

  return {
    child,
    exited,
    output: () => output,
    waitForOutput(pattern, timeoutMs = 60_000) {
      return new Promise((resolveMatch, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) {
            done();
            resolveMatch(match);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`Timed out waiting for ${pattern} in the output of ${app}:\n${output}`));
        }, timeoutMs);
        const onExit = (code: number | null) => {
          done();
          reject(new Error(`${app} exited with code ${code} before printing ${pattern}:\n${output}`));
        };
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', onExit);
        };
        listeners.add(check);
        child.once('exit', onExit);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export interface RunningApi extends RunningProcess {
  url: string;
  startedInSeconds: number;
}

/** Starts the API and waits for its "Ruche is running" banner. */
export async function startApi(env: Record<string, string>): Promise<RunningApi> {
  // A port found free can be taken by another process (an outgoing connection of a parallel
  // test) before the API binds it: then the API exits with EADDRINUSE and we try another one.
  // The output of the attempts that lost their port comes first in `output()`: what they did
  // to the data directory (migrations, the demo seed) was done and is said there.
  let earlier = '';
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc = startProcess('api', { HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: url, ...env });
    try {
      const match = await proc.waitForOutput(/Ruche is running: \S+\s+\(started in ([\d.]+) s\)/, 90_000);
      const before = earlier;
      return { ...proc, output: () => before + proc.output(), url, startedInSeconds: Number(match[1]) };
    } catch (error) {
      await proc.stop();
      if (attempt < 5 && proc.output().includes('EADDRINUSE')) {
        earlier += proc.output();
        continue;
      }
      throw error;
    }
  }
}
