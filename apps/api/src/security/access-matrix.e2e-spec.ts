import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { ROLES, roleHasPermission, type Permission, type Role } from '@ruche/core';
import { addUser, signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import { createTestApi } from '../testing';
import { discoverRoutes, type DiscoveredRoute } from './route-discovery';
import { ROUTE_ACCESS, type RouteAccess } from './route-access';
import { IBAN } from '../reconciliation/bank.test-support';

jest.setTimeout(300_000);

/** A value for each path parameter that is not the organization (random ids: the guard runs first). */
const PARAM_SAMPLES: Record<string, string> = {
  number: '5121',
  code: 'BQ',
  journalCode: 'BQ',
  year: '2026',
  format: 'csv',
  eventId: 'evt_matrix',
  sessionId: 'cs_matrix',
  token: 'matrix',
};

function fill(path: string, orgId: string, ids: Record<string, string> = {}): string {
  return path.replace(/:(\w+)/g, (_, name: string) =>
    name === 'orgId' ? orgId : (ids[name] ?? PARAM_SAMPLES[name] ?? randomUUID()),
  );
}

function expectedAccess(route: DiscoveredRoute): RouteAccess {
  if (route.isPublic)
    return route.path.includes('/public/member-space/') && route.permission === null
      ? 'member-space'
      : ((route.permission as Permission | null) ?? 'public');
  return (route.permission as Permission | null) ?? 'session';
}

/**
 * The access matrix, generated from the API's own route table: every route called as nobody,
 * as each role of organization A, and as the owner of organization B on A's routes. Expected
 * answers come from the role table (libs/core/src/roles/roles.ts) through ROUTE_ACCESS.
 */
describe('access matrix: every route, every role, another organization', () => {
  let t: TestApp;
  let owner: TestSession;
  let stranger: TestSession;
  const sessions = new Map<Role, TestSession>();
  let routes: DiscoveredRoute[];
  const served: { key: string; who: string; status: number }[] = [];

  beforeAll(async () => {
    t = await createTestApi();
    routes = discoverRoutes(t.app);
    owner = await signupOrganization(t, 'Association A');
    stranger = await signupOrganization(t, 'Association B');
    sessions.set('owner', owner);
    for (const role of ROLES.filter((r) => r !== 'owner'))
      sessions.set(role, await addUser(t, owner, role));
  });
  afterAll(() => t.close());

  /** A stream (server-sent events) never ends: its status is read from the headers, then it is closed. */
  const STREAMS = new Set(['GET /api/v1/orgs/:orgId/events']);
  const openStream = (url: string, session?: TestSession) =>
    new Promise<{ status: number }>((resolve, reject) => {
      const address = t.app.getHttpServer().address() as { port: number } | null;
      const server = address ? null : t.app.getHttpServer().listen(0);
      const port = (address ?? (server!.address() as { port: number })).port;
      const req = httpGet(
        { host: '127.0.0.1', port, path: url, headers: session ? { cookie: session.cookie } : {} },
        (res) => {
          resolve({ status: res.statusCode ?? 0 });
          res.destroy();
          server?.close();
        },
      );
      req.on('error', reject);
    });

  const call = (route: DiscoveredRoute, url: string, session?: TestSession) => {
    if (STREAMS.has(route.key)) return openStream(url, session);
    const http = request(t.app.getHttpServer());
    const verb = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    let req = http[verb](url);
    if (session) {
      req = req.set('cookie', session.cookie);
      if (route.method !== 'GET') req = req.set('x-csrf-token', session.csrf);
    }
    req = req.timeout(20_000);
    return route.method === 'GET' || route.method === 'DELETE' ? req : req.send({});
  };

  it('has an entry for every route, and each entry is what the route declares', () => {
    const discovered = new Map(routes.map((r) => [r.key, expectedAccess(r)]));
    const missing = [...discovered.keys()].filter((k) => !(k in ROUTE_ACCESS));
    const stale = Object.keys(ROUTE_ACCESS).filter((k) => !discovered.has(k));
    const differ = [...discovered].filter(
      ([k, access]) => k in ROUTE_ACCESS && ROUTE_ACCESS[k] !== access,
    );
    expect({ missing, stale, differ }).toEqual({ missing: [], stale: [], differ: [] });
    expect(routes.length).toBeGreaterThan(150);
  });

  it('answers nobody with 401 on every route that needs a session, and never a 5xx', async () => {
    for (const route of routes) {
      const access = ROUTE_ACCESS[route.key];
      const res = await call(route, fill(route.path, owner.orgId));
      served.push({ key: route.key, who: 'anonymous', status: res.status });
      expect({ route: route.key, status: res.status < 500 }).toEqual({
        route: route.key,
        status: true,
      });
      if (access === 'member-space' && route.method !== 'GET')
        // The member space checks the body before its own session: nothing is read or changed.
        expect({ route: route.key, refused: [400, 401].includes(res.status) }).toEqual({
          route: route.key,
          refused: true,
        });
      else if (access !== 'public')
        expect({ route: route.key, status: res.status }).toEqual({ route: route.key, status: 401 });
    }
  });

  it('lets each role of A exactly what the role table grants, and never a 5xx', async () => {
    const orgRoutes = routes.filter((r) => r.path.includes(':orgId') && !r.isPublic);
    for (const role of ROLES) {
      const session = sessions.get(role)!;
      for (const route of orgRoutes) {
        const permission = ROUTE_ACCESS[route.key] as Permission;
        const res = await call(route, fill(route.path, owner.orgId), session);
        served.push({ key: route.key, who: role, status: res.status });
        const allowed = roleHasPermission(role, permission);
        const outcome =
          res.status >= 500 ? '5xx' : [401, 403].includes(res.status) ? 'refused' : 'let through';
        expect({ route: route.key, role, outcome }).toEqual({
          route: route.key,
          role,
          outcome: allowed ? 'let through' : 'refused',
        });
        if (!allowed) expect(res.status).toBe(403);
      }
    }
  });

  it('never lets the owner of B into A, and never hands B what belongs to A', async () => {
    // A's resources, then B asking for them by id under its own organization.
    const staffA = `/api/v1/orgs/${owner.orgId}`;
    const contact = (
      await owner
        .post(`${staffA}/contacts`, {
          firstName: 'Anne',
          lastName: 'Secrète',
          email: 'anne@example.org',
        })
        .expect(201)
    ).body as { contact?: { id: string }; id?: string };
    const bank = (
      await owner
        .post(`${staffA}/bank-accounts`, { name: 'Compte A', iban: IBAN, accountNumber: '5121' })
        .expect(201)
    ).body as { id: string };
    const payment = (
      await owner
        .post(`${staffA}/payments/manual`, {
          label: 'Vente',
          amount: '12',
          method: 'cash',
          receivedOn: '2026-03-01',
        })
        .expect(201)
    ).body as { id: string; entryId: string };
    const ids: Record<string, string> = {
      contactId: contact.contact?.id ?? contact.id ?? randomUUID(),
      bankAccountId: bank.id,
      paymentId: payment.id,
      entryId: payment.entryId,
    };
    const orgRoutes = routes.filter((r) => r.path.includes(':orgId') && !r.isPublic);
    for (const route of orgRoutes) {
      // B's owner on A's organization: not a member, nothing exists.
      const intoA = await call(route, fill(route.path, owner.orgId, ids), stranger);
      served.push({ key: route.key, who: 'owner of B in A', status: intoA.status });
      expect({ route: route.key, status: intoA.status }).toEqual({ route: route.key, status: 404 });
      // B's owner under B with A's ids: never a success on A's resources.
      const uses = Object.keys(ids).some((name) => route.path.includes(`:${name}`));
      if (!uses) continue;
      const crossed = await call(route, fill(route.path, stranger.orgId, ids), stranger);
      served.push({ key: route.key, who: 'owner of B with A ids', status: crossed.status });
      expect({ route: route.key, status: crossed.status < 300 || crossed.status >= 500 }).toEqual({
        route: route.key,
        status: false,
      });
    }
    // And A's data is as it was.
    const still = (await owner.get(`${staffA}/payments/${payment.id}`).expect(200)).body as {
      status: string;
    };
    expect(still.status).toBe('succeeded');
  });

  it('covered every route with every caller', () => {
    const keys = new Set(served.map((s) => s.key));
    expect(keys.size).toBe(routes.length);
    // Printed for the closing note: routes x callers, and what they answered.
    const byStatus = served.reduce<Record<number, number>>(
      (acc, s) => ({ ...acc, [s.status]: (acc[s.status] ?? 0) + 1 }),
      {},
    );
    process.stdout.write(
      `access matrix: ${routes.length} routes, ${served.length} calls, statuses ${JSON.stringify(byStatus)}\n`,
    );
    expect(served.filter((s) => s.status >= 500)).toEqual([]);
  });
});
