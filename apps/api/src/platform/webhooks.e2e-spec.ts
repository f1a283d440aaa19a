import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addUser, signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import { verifyWebhookSignature } from '@ruche/platform';
import { createTestApi } from '../testing';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver in the test process; `answers` decides the status of each request in turn. */
async function receiver(
  answers: number[],
): Promise<{
  url: string;
  received: Received[];
  server: Server;
  waitFor(n: number): Promise<void>;
}> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = answers[received.length - 1] ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/ruche`,
    received,
    server,
    async waitFor(n) {
      const deadline = Date.now() + 15_000;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`Received ${received.length} of ${n} webhooks`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

const entry = {
  journal: 'CA',
  date: '2026-03-01',
  label: 'Cotisation en espèces',
  lines: [
    { account: '530', debit: '20' },
    { account: '7561', credit: '20' },
  ],
  post: true,
};

describe('outgoing webhooks (entry.posted)', () => {
  let t: TestApp;
  let owner: TestSession;
  const base = () => `/api/v1/orgs/${owner.orgId}`;

  beforeAll(async () => {
    t = await createTestApi();
  });
  beforeEach(async () => {
    owner = await signupOrganization(t, 'Club connecté');
  });
  afterAll(() => t.close());

  it('sends each posted entry once, signed with the endpoint secret, retrying until the receiver accepts', async () => {
    const hook = await receiver([500, 200]);
    try {
      const created = await owner
        .post(`${base()}/webhooks/endpoints`, {
          url: hook.url,
          events: ['entry.posted'],
          description: 'Tableur du trésorier',
        })
        .expect(201);
      expect(created.body.secret).toMatch(/^whsec_/);
      const posted = await owner.post(`${base()}/accounting/entries`, entry).expect(201);
      await hook.waitFor(2);
      const [first, second] = hook.received;
      expect(second?.body).toBe(first?.body);
      const payload = JSON.parse(second?.body ?? '{}');
      expect(payload).toMatchObject({
        type: 'entry.posted',
        organizationId: owner.orgId,
        data: {
          entryId: posted.body.id,
          number: 1,
          journal: 'CA',
          date: '2026-03-01',
          totalCents: 2000,
          currency: 'EUR',
        },
      });
      expect(payload.data.lines).toEqual([
        expect.objectContaining({ account: '530', debitCents: 2000, creditCents: 0 }),
        expect.objectContaining({ account: '7561', debitCents: 0, creditCents: 2000 }),
      ]);
      expect(second?.headers['ruche-event']).toBe('entry.posted');
      expect(second?.headers['ruche-delivery']).toBe(payload.id);
      const signature = String(second?.headers['ruche-signature']);
      expect(
        verifyWebhookSignature(
          created.body.secret,
          second?.body ?? '',
          signature,
          Math.floor(Date.now() / 1000),
        ),
      ).toBe(true);
      expect(
        verifyWebhookSignature(
          'whsec_wrong',
          second?.body ?? '',
          signature,
          Math.floor(Date.now() / 1000),
        ),
      ).toBe(false);

      const deliveries = await owner.get(`${base()}/webhooks/deliveries`).expect(200);
      expect(deliveries.body.items).toEqual([
        expect.objectContaining({
          eventType: 'entry.posted',
          eventKey: posted.body.id,
          status: 'delivered',
          attempts: 2,
          lastStatus: 200,
        }),
      ]);
      // The sweep finds nothing left to send: no duplicate.
      await new Promise((r) => setTimeout(r, 1200));
      expect(hook.received).toHaveLength(2);
    } finally {
      hook.server.close();
    }
  });

  it('sends nothing to an inactive endpoint and nothing for drafts; a reversal is an event of its own', async () => {
    const hook = await receiver([]);
    try {
      const created = await owner
        .post(`${base()}/webhooks/endpoints`, { url: hook.url, events: ['entry.posted'] })
        .expect(201);
      await owner.post(`${base()}/accounting/entries`, { ...entry, post: false }).expect(201);
      const posted = await owner.post(`${base()}/accounting/entries`, entry).expect(201);
      await owner.post(`${base()}/accounting/entries/${posted.body.id}/reverse`, {}).expect(201);
      await hook.waitFor(2);
      expect(hook.received.map((r) => JSON.parse(r.body).data.number)).toEqual([1, 2]);
      await owner
        .put(`${base()}/webhooks/endpoints/${created.body.id}`, {
          url: hook.url,
          events: ['entry.posted'],
          active: false,
        })
        .expect(200);
      await owner.post(`${base()}/accounting/entries`, entry).expect(201);
      await new Promise((r) => setTimeout(r, 800));
      expect(hook.received).toHaveLength(2);
    } finally {
      hook.server.close();
    }
  });

  it('refuses bad endpoints with the field, keeps treasurers out and another organization gets 404', async () => {
    const bad = await owner
      .post(`${base()}/webhooks/endpoints`, {
        url: 'ftp://example.org/hook',
        events: ['entry.posted'],
      })
      .expect(422);
    expect(bad.body.errors[0]).toMatchObject({ field: 'url', code: 'webhooks.url' });
    await owner
      .post(`${base()}/webhooks/endpoints`, {
        url: 'https://example.org/hook',
        events: ['member.created'],
      })
      .expect(400);
    const treasurer = await addUser(t, owner, 'treasurer');
    await treasurer.get(`${base()}/webhooks/endpoints`).expect(403);
    const other = await signupOrganization(t, 'Autre club');
    await other.get(`${base()}/webhooks/endpoints`).expect(404);
    const created = await owner
      .post(`${base()}/webhooks/endpoints`, {
        url: 'https://example.org/hook',
        events: ['entry.posted'],
      })
      .expect(201);
    await other
      .put(`/api/v1/orgs/${other.orgId}/webhooks/endpoints/${created.body.id}`, {
        url: 'https://evil.example/hook',
        events: ['entry.posted'],
        active: true,
      })
      .expect(404);
    // The refused update leaves no trace claiming it happened.
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_logs WHERE organization_id = $1 AND action = 'webhooks.endpoint-updated'`,
      [other.orgId],
    );
    expect(n).toBe(0);
    const list = await owner.get(`${base()}/webhooks/endpoints`).expect(200);
    expect(list.body).toEqual([
      expect.objectContaining({ url: 'https://example.org/hook', active: true }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
  });
});
