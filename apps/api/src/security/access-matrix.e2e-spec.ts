import fc from 'fast-check';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { ROLES, roleHasPermission, type Permission, type Role } from '@ruche/core';
import {
  FakeStripe,
  addUser,
  signupOrganization,
  type TestApp,
  type TestSession,
} from '@ruche/testing';
import { createTestApi } from '../testing';
import { discoverRoutes, type DiscoveredRoute } from './route-discovery';
import { ROUTE_ACCESS, type RouteAccess } from './route-access';
import { connectStripe } from '../payments/stripe.test-support';
import { IBAN, camt } from '../reconciliation/bank.test-support';
import { seedOrganization } from '../proof/organization.test-support';
import { arbitraryFromSchema, jsonSchemaOf, routeContracts } from '../proof/fuzz.test-support';

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

/**
 * Path parameters that name no resource of one organization: the organization itself, and the
 * account numbers, journal codes and years every organization has under the same names.
 */
const SHARED_PARAMS = new Set(['orgId', 'number', 'code', 'year']);

function fill(path: string, orgId: string, ids: Record<string, string> = {}): string {
  return path.replace(/:(\w+)/g, (_, name: string) =>
    name === 'orgId' ? orgId : encodeURIComponent(ids[name] ?? PARAM_SAMPLES[name] ?? randomUUID()),
  );
}

const TODAY = new Date().toISOString().slice(0, 10);
const bank = (label: string) =>
  camt([{ amount: '1.00', cdi: 'DBIT', ref: 'X1', label, day: TODAY }], '10.00', '9.00', TODAY);

/**
 * Bodies that pass a write route's checks where a generated one does not (files, bodies the
 * service checks before it looks the id up), so that B's request reaches the lookup of A's id.
 */
const CROSS_BODIES: Record<string, object> = {
  'POST /api/v1/orgs/:orgId/accounting/entries/:entryId/attachments': {
    file: Buffer.from('%PDF-1.4\n%%EOF\n'),
    type: 'application/pdf',
  },
  'POST /api/v1/orgs/:orgId/bank-accounts/:bankAccountId/statements': {
    file: bank('FRAIS'),
    type: 'application/octet-stream',
  },
  'POST /api/v1/orgs/:orgId/bank-accounts/:bankAccountId/csv-preview': {
    file: Buffer.from('Date;Libellé;Montant\r\n01/03/2026;FRAIS;-1,00\r\n', 'utf8'),
    type: 'application/octet-stream',
  },
  'PUT /api/v1/orgs/:orgId/accounting/entries/:entryId': {
    journal: 'OD',
    date: TODAY,
    label: 'Brouillon de B',
    lines: [
      { account: '530', debit: '20' },
      { account: '7561', credit: '20' },
    ],
  },
  'PUT /api/v1/orgs/:orgId/bank-accounts/:bankAccountId': {
    name: 'Compte de B',
    iban: IBAN,
    accountNumber: '5121',
  },
  'PUT /api/v1/orgs/:orgId/imports/:importId/mapping': { columns: { '0': 'lastName' } },
  'PUT /api/v1/orgs/:orgId/membership-plans/:planId': {
    name: 'Adhésion de B',
    pricingKind: 'fixed',
    tiers: [{ code: 'std', label: 'Standard', amount: '30' }],
    validityKind: 'calendar_year',
  },
};

const paramsOf = (path: string) => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);

function expectedAccess(route: DiscoveredRoute): RouteAccess {
  if (route.isPublic)
    return route.path.includes('/public/member-space/') && route.permission === null
      ? 'member-space'
      : ((route.permission as Permission | null) ?? 'public');
  return (route.permission as Permission | null) ?? 'session';
}

/**
 * The access matrix, generated from the API's own route table: every route called as nobody,
 * as each role of organization A, and as the owner of organization B on A's routes; then, with
 * A seeded with one of everything its routes name by id, B's owner calls every route of B that
 * takes an id with A's real ids: 404 each time, nothing of A in the answer, A unchanged. Expected
 * answers come from the role table (libs/core/src/roles/roles.ts) through ROUTE_ACCESS.
 */
describe('access matrix: every route, every role, another organization', () => {
  let t: TestApp;
  let fake: FakeStripe;
  let owner: TestSession;
  let stranger: TestSession;
  const sessions = new Map<Role, TestSession>();
  let routes: DiscoveredRoute[];
  const served: { key: string; who: string; status: number }[] = [];

  beforeAll(async () => {
    fake = await new FakeStripe().start();
    t = await createTestApi({ env: { STRIPE_API_BASE: fake.url } });
    routes = discoverRoutes(t.app);
    owner = await signupOrganization(t, 'Association A');
    stranger = await signupOrganization(t, 'Association B');
    sessions.set('owner', owner);
    for (const role of ROLES.filter((r) => r !== 'owner'))
      sessions.set(role, await addUser(t, owner, role));
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

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

  const call = (
    route: DiscoveredRoute,
    url: string,
    session?: TestSession,
    body: object | { file: Buffer; type: string } = {},
  ) => {
    if (STREAMS.has(route.key)) return openStream(url, session);
    const http = request(t.app.getHttpServer());
    const verb = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    let req = http[verb](url);
    if (session) {
      req = req.set('cookie', session.cookie);
      if (route.method !== 'GET') req = req.set('x-csrf-token', session.csrf);
    }
    req = req.timeout(20_000);
    if (route.method === 'GET' || route.method === 'DELETE') return req;
    if ('file' in body && Buffer.isBuffer(body.file))
      return req.set('content-type', body.type).set('x-file-name', 'piece.bin').send(body.file);
    return req.send(body);
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
    // A with one of everything its routes name by id; B with Stripe connected, nothing else.
    const { ids: seeded } = await seedOrganization(t, owner, fake);
    await connectStripe(stranger);
    const orgRoutes = routes.filter((r) => r.path.includes(':orgId') && !r.isPublic);
    // Every path parameter of an organization route has a real id of A (a new one fails here).
    const unmapped = [
      ...new Set(
        orgRoutes.flatMap((r) =>
          paramsOf(r.path).filter((p) => !SHARED_PARAMS.has(p) && !seeded[p]?.length),
        ),
      ),
    ];
    expect(unmapped).toEqual([]);
    const ids = Object.fromEntries(Object.entries(seeded).map(([name, [first]]) => [name, first]));
    const crossing = orgRoutes.filter((r) => paramsOf(r.path).some((p) => !SHARED_PARAMS.has(p)));
    expect(crossing.length).toBeGreaterThan(80);

    // What A's resources read like before B tries them, to compare after.
    const readable = crossing.filter(
      (r) => r.method === 'GET' && !STREAMS.has(r.key) && !/\/(pdf|attestation)$/.test(r.path),
    );
    const snapshot = async () => {
      const views: Record<string, unknown> = {};
      for (const route of readable) {
        const res = await call(route, fill(route.path, owner.orgId, ids), owner);
        // The time a personal-data export is generated at is the one thing that moves.
        views[route.key] = JSON.parse(
          JSON.stringify({ status: res.status, body: (res as { body?: unknown }).body }, (k, v) =>
            k === 'generatedAt' ? undefined : (v as unknown),
          ),
        ) as unknown;
      }
      return views;
    };
    const before = await snapshot();
    expect(Object.values(before).filter((v) => (v as { status: number }).status !== 200)).toEqual(
      [],
    );

    // Bodies that pass each write route's contract (A's ids in its id fields), so that B's
    // requests get past validation to the lookup of A's ids.
    const contracts = routeContracts(t.app);
    const allIds = [...new Set(Object.values(seeded).flat())];
    const bodyFor = (route: DiscoveredRoute): object => {
      const written = CROSS_BODIES[route.key];
      if (written) return written;
      const schema = contracts.get(route.key)?.body;
      if (!schema) return {};
      const samples = fc.sample(arbitraryFromSchema(jsonSchemaOf(schema), allIds), {
        numRuns: 30,
        seed: 42,
      });
      return (samples.find((b) => schema.safeParse(b).success) as object | undefined) ?? {};
    };
    const secrets = ['anne.martin@example.org', 'Association A', 'Famille Martin'];
    const crossed: Record<string, number> = {};
    const wrong: { route: string; status: number; leaks: string[]; code: unknown }[] = [];
    const codeOf = (text: string): unknown => {
      try {
        return (JSON.parse(text) as { code?: unknown }).code;
      } catch {
        return null;
      }
    };
    for (const route of orgRoutes) {
      // B's owner on A's organization: not a member, nothing exists.
      const intoA = await call(route, fill(route.path, owner.orgId, ids), stranger);
      served.push({ key: route.key, who: 'owner of B in A', status: intoA.status });
      expect({ route: route.key, status: intoA.status }).toEqual({ route: route.key, status: 404 });
      // B's owner under B with A's ids: A's resources do not exist there.
      if (!crossing.includes(route)) continue;
      const res = await call(
        route,
        fill(route.path, stranger.orgId, ids),
        stranger,
        bodyFor(route),
      );
      served.push({ key: route.key, who: 'owner of B with A ids', status: res.status });
      crossed[res.status] = (crossed[res.status] ?? 0) + 1;
      const text = (res as { text?: string }).text ?? '';
      const leaks = secrets.filter((x) => text.includes(x));
      if (res.status !== 404 || leaks.length > 0)
        wrong.push({ route: route.key, status: res.status, leaks, code: codeOf(text) });
    }
    expect(wrong).toEqual([]);
    process.stdout.write(
      `access matrix: ${crossing.length} routes called by B with A's ids, statuses ${JSON.stringify(crossed)}\n`,
    );
    // And A's data is as it was.
    expect(await snapshot()).toEqual(before);
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
