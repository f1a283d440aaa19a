import request from 'supertest';
import { randomUUID } from 'node:crypto';
import type { MeView } from '@ruche/contracts';
import type { TestApp } from './test-app';

export interface TestSession {
  cookie: string;
  csrf: string;
  me: MeView;
  email: string;
  password: string;
  orgId: string;
  userId: string;
  get(url: string): request.Test;
  post(url: string, body?: object): request.Test;
  put(url: string, body?: object): request.Test;
  delete(url: string): request.Test;
}

export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.org`;
}

export const TEST_PASSWORD = 'correct horse battery staple';

function sessionFrom(t: TestApp, response: request.Response, email: string, password: string): TestSession {
  const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
  if (!cookie) throw new Error(`No session cookie (status ${response.status}: ${JSON.stringify(response.body)})`);
  const me = response.body as MeView;
  const server = t.app.getHttpServer();
  const withAuth = (test: request.Test, unsafe: boolean) => {
    void test.set('cookie', cookie);
    if (unsafe) void test.set('x-csrf-token', me.csrfToken);
    return test;
  };
  return {
    cookie,
    csrf: me.csrfToken,
    me,
    email,
    password,
    orgId: me.organizations[0]?.organizationId ?? '',
    userId: me.user.id,
    get: (url) => withAuth(request(server).get(url), false),
    post: (url, body) => withAuth(request(server).post(url), true).send(body ?? {}),
    put: (url, body) => withAuth(request(server).put(url), true).send(body ?? {}),
    delete: (url) => withAuth(request(server).delete(url), true),
  };
}

/** Signs up a new organization with its owner: every test works in an organization of its own. */
export async function signupOrganization(t: TestApp, name = 'Association de test'): Promise<TestSession> {
  const email = uniqueEmail('owner');
  const response = await request(t.app.getHttpServer())
    .post('/api/v1/auth/signup')
    .send({ organizationName: name, name: 'Owner Test', email, password: TEST_PASSWORD, locale: 'fr' });
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${JSON.stringify(response.body)}`);
  return sessionFrom(t, response, email, TEST_PASSWORD);
}

export async function login(t: TestApp, email: string, password: string): Promise<TestSession> {
  const response = await request(t.app.getHttpServer()).post('/api/v1/auth/login').send({ email, password });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
  return sessionFrom(t, response, email, password);
}

/** Invites `email` with `role` into the owner's organization, accepts it from the e-mail link, logs in. */
export async function addUser(t: TestApp, owner: TestSession, role: string): Promise<TestSession> {
  const email = uniqueEmail(role);
  const invited = await owner.post(`/api/v1/orgs/${owner.orgId}/invitations`, { email, role });
  if (invited.status !== 201) throw new Error(`invite failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  const mail = await t.smtp.waitFor((m) => m.to.includes(email));
  const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  if (!token) throw new Error('No invitation token in the e-mail');
  const accepted = await request(t.app.getHttpServer())
    .post('/api/v1/auth/invitations/accept')
    .send({ token, name: `User ${role}`, password: TEST_PASSWORD });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  const session = await login(t, email, TEST_PASSWORD);
  return { ...session, orgId: owner.orgId };
}
