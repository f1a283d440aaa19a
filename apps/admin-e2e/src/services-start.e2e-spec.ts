import { randomUUID } from 'node:crypto';
import { adminQuery, redisUrl, serverUrl, SmtpSink, TEST_DB_PREFIX } from '@ruche/testing';
import {
  startApi,
  startProcess,
  assertBuilt,
  tempDataDir,
  type RunningApi,
  type RunningProcess,
} from './support/system';

jest.setTimeout(180_000);

/**
 * The production shape: PostgreSQL, Redis and SMTP given by URL; the API enqueues, a separate
 * worker process consumes the BullMQ queues and sends the e-mails.
 */
describe('start with real services (API + separate worker on BullMQ)', () => {
  const database = `${TEST_DB_PREFIX}services_${process.pid}_${Date.now()}`;
  const data = tempDataDir('services');
  const sink = new SmtpSink();
  let env: Record<string, string>;
  let api: RunningApi | null = null;
  let worker: RunningProcess | null = null;

  beforeAll(async () => {
    assertBuilt();
    // An empty database: the API's start must create the whole schema itself.
    await adminQuery(`CREATE DATABASE ${database}`);
    await sink.start();
    env = {
      DATABASE_URL: serverUrl(database),
      REDIS_URL: redisUrl(),
      REDIS_PREFIX: `ruche-e2e-${randomUUID().slice(0, 8)}`,
      SMTP_URL: sink.url,
      DATA_DIR: data.dir,
      RUN_WORKER: 'false',
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    };
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await sink.stop();
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    data.remove();
  });

  async function post(path: string, body: object): Promise<Response> {
    return fetch(`${api?.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  it('migrates an empty database, does not seed the demo, and reports healthy services', async () => {
    api = await startApi(env);
    expect(api.output()).toContain('Database:         DATABASE_URL');
    expect(api.output()).toContain('BullMQ (start the worker: npm run start:worker)');
    expect(api.output()).not.toContain('Demo login');
    const health = await fetch(`${api.url}/api/health`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'up', queue: 'up' });
    expect(
      (await post('/api/v1/auth/login', { email: 'demo@ruche.local', password: 'ruche-demo-2026' }))
        .status,
    ).toBe(401);
  });

  it('queues e-mails in Redis until the worker process runs, then sends them over SMTP', async () => {
    const email = `owner-${randomUUID().slice(0, 8)}@example.org`;
    const signup = await post('/api/v1/auth/signup', {
      organizationName: 'Association des services',
      name: 'Owner Services',
      email,
      password: 'correct horse battery staple',
      locale: 'fr',
    });
    expect(signup.status).toBe(201);
    expect((await post('/api/v1/auth/password-reset/request', { email })).status).toBeLessThan(300);

    // No worker yet: nothing is sent.
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.messages.filter((m) => m.to.includes(email))).toHaveLength(0);

    worker = startProcess('worker', env);
    await worker.waitForOutput(/Ruche worker is running/);
    const mail = await sink.waitFor((m) => m.to.includes(email), 20_000);
    expect(mail.subject).toMatch(/mot de passe/i);
    expect(mail.text).toContain(`${api?.url}/reset-password?token=`);
  });

  it('refuses to start the worker without Redis, naming the variable', async () => {
    const lonely = startProcess('worker', { ...env, REDIS_URL: '' });
    expect(await lonely.exited).toBe(1);
    expect(lonely.output()).toContain('REDIS_URL: the separate worker needs PostgreSQL and Redis');
  });
});
