import request from 'supertest';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { LiveEventsPort } from '@ruche/platform';
import {
  addUser,
  redisUrl,
  signupOrganization,
  workerDatabaseUrl,
  type TestApp,
  type TestSession,
} from '@ruche/testing';
import { createTestApi } from '../testing';

/** A long cache life, so that only an invalidation can explain a refusal. */
const CACHE = { SESSION_CACHE_SECONDS: '60' };

/** Revokes a session in the database behind the API's back (no invalidation is sent). */
async function revokeInDatabase(t: TestApp, session: TestSession): Promise<void> {
  await t.dataSource.query(
    'UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL',
    [session.userId],
  );
}

/** The same session (cookie and CSRF token) sent to another app. */
function through(t: TestApp, session: TestSession) {
  const server = () => t.app.getHttpServer();
  return {
    get: (url: string) => request(server()).get(url).set('cookie', session.cookie),
    put: (url: string, body: object) =>
      request(server())
        .put(url)
        .set('cookie', session.cookie)
        .set('x-csrf-token', session.csrf)
        .send(body),
  };
}

async function passwordReset(t: TestApp, email: string): Promise<void> {
  const api = request(t.app.getHttpServer());
  await api.post('/api/v1/auth/password-reset/request').send({ email }).expect(202);
  const mail = await t.smtp.waitFor((m) => m.to.includes(email) && /mot de passe/i.test(m.subject));
  const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)![1];
  await request(t.app.getHttpServer())
    .post('/api/v1/auth/password-reset/confirm')
    .send({ token, password: 'a brand new passphrase' })
    .expect(204);
}

const checkPath = (orgId: string) => `/api/v1/orgs/${orgId}/members/check?q=M000001`;

describe('session cache: revocation takes effect on the very next request', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApi({ env: CACHE });
  });
  afterAll(() => t.close());

  it('answers from memory once a session is known (a revocation behind the API is not seen)', async () => {
    // The premise of the tests below: without the invalidations, a cached session would still pass.
    const owner = await signupOrganization(t);
    await owner.get(`/api/v1/orgs/${owner.orgId}`).expect(200);
    await revokeInDatabase(t, owner);
    await owner.get(`/api/v1/orgs/${owner.orgId}`).expect(200);
  });

  it('logout: the cached session is refused at once, on every route', async () => {
    const owner = await signupOrganization(t);
    await owner.get('/api/v1/auth/me').expect(200);
    await owner.get(`/api/v1/orgs/${owner.orgId}`).expect(200);
    await owner.post('/api/v1/auth/logout').expect(204);
    await owner.get('/api/v1/auth/me').expect(401);
    await owner.get(`/api/v1/orgs/${owner.orgId}`).expect(401);
  });

  it('role change: the new role applies to the next request, downwards and upwards', async () => {
    const owner = await signupOrganization(t);
    const coordinator = await addUser(t, owner, 'coordinator');
    await coordinator.get(checkPath(owner.orgId)).expect(200);
    await owner
      .put(`/api/v1/orgs/${owner.orgId}/users/${coordinator.userId}/role`, { role: 'member' })
      .expect(200);
    const denied = await coordinator.get(checkPath(owner.orgId)).expect(403);
    expect(denied.body.message).toContain('member');
    await owner
      .put(`/api/v1/orgs/${owner.orgId}/users/${coordinator.userId}/role`, { role: 'treasurer' })
      .expect(200);
    await coordinator.get(checkPath(owner.orgId)).expect(200);
    await coordinator.get(`/api/v1/orgs/${owner.orgId}/accounting/accounts`).expect(200);
  });

  it('removal: the organization answers 404 at once; the session itself stays valid', async () => {
    const owner = await signupOrganization(t);
    const coordinator = await addUser(t, owner, 'coordinator');
    await coordinator.get(checkPath(owner.orgId)).expect(200);
    await owner.delete(`/api/v1/orgs/${owner.orgId}/users/${coordinator.userId}`).expect(204);
    await coordinator.get(checkPath(owner.orgId)).expect(404);
    const me = await coordinator.get('/api/v1/auth/me').expect(200);
    expect(me.body.organizations).toEqual([]);
  });

  it('password reset: every open session of the user is refused at once', async () => {
    const owner = await signupOrganization(t);
    await owner.get(`/api/v1/orgs/${owner.orgId}`).expect(200);
    await passwordReset(t, owner.email);
    await owner.get(`/api/v1/orgs/${owner.orgId}`).expect(401);
  });

  it('SESSION_CACHE_SECONDS=0 turns the cache off', async () => {
    const uncached = await createTestApi({ env: { SESSION_CACHE_SECONDS: '0' } });
    try {
      const owner = await signupOrganization(uncached);
      await owner.get(`/api/v1/orgs/${owner.orgId}`).expect(200);
      await revokeInDatabase(uncached, owner);
      await owner.get(`/api/v1/orgs/${owner.orgId}`).expect(401);
    } finally {
      await uncached.close();
    }
  });
});

describe('session cache across two API processes sharing Redis and the database', () => {
  let a: TestApp;
  let b: TestApp;
  const prefix = `ruche-test-${randomUUID().slice(0, 8)}`;
  const env = { ...CACHE, REDIS_URL: redisUrl(), REDIS_PREFIX: prefix };

  /** Until the app's Redis subscriber has confirmed its channels (the cache serves nothing before). */
  async function busReady(t: TestApp): Promise<void> {
    const live = t.app.get(LiveEventsPort);
    const deadline = Date.now() + 10_000;
    while (!live.invalidationsDelivered()) {
      if (Date.now() > deadline) throw new Error('the Redis subscriber never became ready');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeAll(async () => {
    a = await createTestApi({ env });
    b = await createTestApi({ env, databaseUrl: await workerDatabaseUrl(), processJobs: false });
    await Promise.all([busReady(a), busReady(b)]);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('logout through A: B, which had the session in memory, refuses it on the next request', async () => {
    const owner = await signupOrganization(a);
    const onB = through(b, owner);
    await onB.get('/api/v1/auth/me').expect(200);
    await onB.get(`/api/v1/orgs/${owner.orgId}`).expect(200);
    await owner.get(`/api/v1/orgs/${owner.orgId}`).expect(200);
    await owner.post('/api/v1/auth/logout').expect(204);
    await onB.get('/api/v1/auth/me').expect(401);
    await onB.get(`/api/v1/orgs/${owner.orgId}`).expect(401);
    await owner.get(`/api/v1/orgs/${owner.orgId}`).expect(401);
  });

  it('role change through A applies on B at once', async () => {
    const owner = await signupOrganization(a);
    const coordinator = await addUser(a, owner, 'coordinator');
    const onB = through(b, coordinator);
    await onB.get(checkPath(owner.orgId)).expect(200);
    await owner
      .put(`/api/v1/orgs/${owner.orgId}/users/${coordinator.userId}/role`, { role: 'member' })
      .expect(200);
    await onB.get(checkPath(owner.orgId)).expect(403);
    await owner
      .put(`/api/v1/orgs/${owner.orgId}/users/${coordinator.userId}/role`, { role: 'coordinator' })
      .expect(200);
    await onB.get(checkPath(owner.orgId)).expect(200);
  });

  it('removal through A: B answers 404 for the organization at once', async () => {
    const owner = await signupOrganization(a);
    const coordinator = await addUser(a, owner, 'coordinator');
    const onB = through(b, coordinator);
    await onB.get(checkPath(owner.orgId)).expect(200);
    await owner.delete(`/api/v1/orgs/${owner.orgId}/users/${coordinator.userId}`).expect(204);
    await onB.get(checkPath(owner.orgId)).expect(404);
  });

  it('password reset through A: B refuses the old session at once', async () => {
    const owner = await signupOrganization(a);
    const onB = through(b, owner);
    await onB.get(`/api/v1/orgs/${owner.orgId}`).expect(200);
    await passwordReset(a, owner.email);
    await onB.get(`/api/v1/orgs/${owner.orgId}`).expect(401);
  });

  it('a process that loses its Redis subscriber forgets every cached session (it may have missed invalidations)', async () => {
    const owner = await signupOrganization(a);
    const onB = through(b, owner);
    await onB.get(`/api/v1/orgs/${owner.orgId}`).expect(200);
    await revokeInDatabase(b, owner);
    await onB.get(`/api/v1/orgs/${owner.orgId}`).expect(200); // still in B's memory: nothing was published
    const forgotten = new Promise<void>((resolve) => {
      const stop = b.app.get(LiveEventsPort).onInvalidation((message) => {
        if (message === null) {
          stop();
          resolve();
        }
      });
    });
    const redis = new Redis(redisUrl());
    try {
      const clients = String(await redis.call('CLIENT', 'LIST'))
        .split('\n')
        .filter((line) => line.includes(` name=${prefix}:live-events `));
      expect(clients.length).toBeGreaterThanOrEqual(2); // A's and B's subscribers
      for (const line of clients)
        await redis.call('CLIENT', 'KILL', 'ID', /id=(\d+)/.exec(line)![1]);
    } finally {
      redis.disconnect();
    }
    await forgotten;
    await busReady(b);
    await onB.get(`/api/v1/orgs/${owner.orgId}`).expect(401);
  });
});
