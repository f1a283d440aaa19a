import request from 'supertest';
import type {
  AuditLogView,
  BankAccountView,
  ContactView,
  JoinResultView,
  MatchView,
  Page,
  PaymentView,
  PostingAccountView,
  ReceiptGiftView,
  ReceiptView,
  ReconciliationSettingsView,
  WorkspaceLineView,
} from '@ruche/contracts';
import { AuditLogEntity } from '@ruche/platform';
import {
  FakeStripe,
  TEST_PASSWORD,
  addUser,
  login,
  signupOrganization,
  uniqueEmail,
  type TestApp,
  type TestSession,
} from '@ruche/testing';
import { createTestApi } from '../testing';
import { discoverRoutes, type DiscoveredRoute } from '../security/route-discovery';
import { IBAN, camt, upload, type CamtEntry } from '../reconciliation/bank.test-support';
import { SIGNATURE_PNG, makeReceiptsReady } from '../donations/receipts.test-support';
import { deliver, joinAndPay, type StripeOrg } from '../payments/stripe.test-support';
import { sendFile } from './organization.test-support';

/**
 * The audit-trail proof: "audit log entries for every money and security action".
 *
 * One table, ACTIONS, lists 77 actions a person can take through the HTTP API (74 distinct audit
 * actions): authentication, users and rights, personal data, Stripe, desk payments and refunds,
 * memberships, donations, fiscal receipts, the ledger, the fiscal year and its deferrals, bank
 * statements and reconciliation, outgoing webhooks.
 * Each row performs its action for real (in-process API, real PostgreSQL), then finds the entry
 * that very request wrote (the audit entry carries the request's x-request-id) and checks the
 * action, the entity type and id, the acting user and, for money, the amount when the entry
 * carries one. Organization entries are read from GET /orgs/:orgId/audit-log; the security events
 * of a person before or outside any organization (log in, log out, password reset) are stored
 * with no organization, so that endpoint cannot show them: they are read from audit_logs.
 *
 * Then: the API's own route table must not hold a money or security route that no row performs
 * (a new route without its row fails here); another organization's log shows none of these
 * entries; roles without `audit.read` get 403; and an entry can be neither changed nor deleted,
 * neither through the API (no such route) nor in the database (an append-only trigger).
 *
 * Adding an action: add a row. Rows run in order and share one organization; a row makes what it
 * needs itself, except where it says it uses what an earlier row connected or created.
 */

jest.setTimeout(120_000);

type Json = Record<string, unknown>;

/** The request that performed an action: the audit entry it wrote carries its request id. */
interface Acted {
  body: Json;
  requestId: string;
  route: string;
}

/** What one action must have left in the audit log. */
interface Expected {
  acted: Acted;
  /** The user who acted; null when nobody was logged in (a failed login). */
  actor: string | null;
  entityId: string | null;
  /** For money: the amount in cents, asserted where the entry carries it. */
  amountCents?: number;
  /** Whose audit log holds the entry: by default the organization's (read by its owner); 'platform' for the entries without organization. */
  log?: TestSession | 'platform';
}

type Row = [
  description: string,
  perform: () => Promise<Expected>,
  action: string,
  entityType: string,
];

/** Permissions whose mutating routes are money or security actions: each must be performed by a row. */
const MONEY_AND_SECURITY_PERMISSIONS = new Set<string>([
  'organization.update',
  'users.invite',
  'users.change-role',
  'users.remove',
  'contacts.gdpr',
  'webhooks.manage',
  'payments.collect',
  'payments.refund',
  'payments.configure',
  'memberships.collect',
  'donations.record',
  'receipts.issue',
  'receipts.cancel',
  'receipts.configure',
  'accounting.write',
  'accounting.configure',
  'accounting.close',
  'accounting.reopen',
  'reconciliation.import',
  'reconciliation.match',
  'reconciliation.configure',
]);

/** Money and security routes under other permissions (or none): authentication, memberships with a payment. */
const MONEY_AND_SECURITY_ROUTES = new Set<string>([
  'POST /api/v1/auth/signup',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/password-reset/request',
  'POST /api/v1/auth/password-reset/confirm',
  'POST /api/v1/auth/invitations/accept',
  'POST /api/v1/orgs/:orgId/memberships',
  'POST /api/v1/orgs/:orgId/memberships/:membershipId/renew',
  'POST /api/v1/orgs/:orgId/memberships/:membershipId/cancel',
  'GET /api/v1/orgs/:orgId/contacts/export',
  'GET /api/v1/orgs/:orgId/contacts/:contactId/personal-data',
]);

/** Routes of those permissions that change nothing, so leave no entry. */
const READ_ONLY_ROUTES: Record<string, string> = {
  'POST /api/v1/orgs/:orgId/settings/stripe/check':
    'asks Stripe whether the keys work; stores nothing',
  'POST /api/v1/orgs/:orgId/bank-accounts/:bankAccountId/csv-preview':
    'reads a sample file; stores nothing',
};

describe('audit trail: every money and security action leaves its entry', () => {
  let t: TestApp;
  let fake: FakeStripe;
  let owner: TestSession;
  let treasurer: TestSession;
  let coordinator: TestSession;
  let member: TestSession;
  /** A coordinator whose sessions and password the authentication rows use. */
  let staffer: { email: string; password: string; userId: string };
  let other: TestSession;
  let planId: string;
  const staff = () => `/api/v1/orgs/${owner.orgId}`;
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const year = Number(today.slice(0, 4));
  const api = () => request(t.app.getHttpServer());
  /** Requests that performed a row's action, as "METHOD /path". */
  const performed: { method: string; path: string }[] = [];
  /** Every entry the rows found, to look for in the other organization's log. */
  const found: AuditLogView[] = [];
  /** What rows made and later rows reuse. */
  const made: { stripe?: StripeOrg; bankId?: string; statements: number; plans: number } = {
    statements: 0,
    plans: 0,
  };

  beforeAll(async () => {
    fake = await new FakeStripe().start();
    t = await createTestApi({ env: { STRIPE_API_BASE: fake.url } });
    owner = await signupOrganization(t, 'Les Amis du Refuge');
    [treasurer, coordinator, member] = [
      await addUser(t, owner, 'treasurer'),
      await addUser(t, owner, 'coordinator'),
      await addUser(t, owner, 'member'),
    ];
    const s = await addUser(t, owner, 'coordinator');
    staffer = { email: s.email, password: s.password, userId: s.userId };
    await makeReceiptsReady(owner);
    planId = (
      await expectStatus(
        owner.post(`${staff()}/membership-plans`, {
          name: 'Adhésion',
          pricingKind: 'fixed',
          tiers: [{ code: 'std', label: 'Standard', amount: '30' }],
          validityKind: 'calendar_year',
        }),
        201,
      )
    ).id as string;
    // Bank lines wait for a person: no row's line is lettered behind its back.
    const settings = (await expectStatus(
      owner.get(`${staff()}/reconciliation/settings`),
      200,
    )) as unknown as ReconciliationSettingsView;
    await expectStatus(
      owner.put(`${staff()}/reconciliation/settings`, { ...settings, autoApply: false }),
      200,
    );
    // Another association with a life of its own.
    other = await signupOrganization(t, 'Club de lecture');
    await expectStatus(
      other.post(`/api/v1/orgs/${other.orgId}/payments/manual`, {
        label: 'Cotisation',
        amount: '20',
        method: 'cash',
        receivedOn: today,
      }),
      201,
    );
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  // ---- helpers ---------------------------------------------------------------------------------

  async function send(test: request.Test, status: number): Promise<request.Response> {
    const res = await test;
    if (res.status !== status)
      throw new Error(
        `${test.method} ${test.url}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`,
      );
    return res;
  }

  const expectStatus = async (test: request.Test, status: number): Promise<Json> =>
    (await send(test, status)).body as Json;

  /** Performs the request of an action: it must answer `status`. */
  async function act(test: request.Test, status: number): Promise<Acted> {
    const res = await send(test, status);
    const path = new URL(test.url).pathname;
    performed.push({ method: test.method, path });
    return {
      body: (res.body ?? {}) as Json,
      requestId: String(res.headers['x-request-id']),
      route: `${test.method} ${path}`,
    };
  }

  const id = (body: Json): string => {
    if (typeof body['id'] !== 'string') throw new Error(`No id in ${JSON.stringify(body)}`);
    return body['id'];
  };

  async function contact(lastName: string, withAddress = true): Promise<ContactView> {
    return (await expectStatus(
      treasurer.post(`${staff()}/contacts`, {
        firstName: 'Élise',
        lastName,
        email: uniqueEmail('contact'),
        ...(withAddress
          ? { addressLine1: '4 place Bellecour', postalCode: '69002', city: 'Lyon' }
          : {}),
        confirmNotDuplicate: true,
      }),
      201,
    )) as unknown as ContactView;
  }

  const deskPayment = async (
    amount: string,
    method: 'cheque' | 'cash' | 'transfer',
    extra: Json = {},
  ) =>
    (await expectStatus(
      treasurer.post(`${staff()}/payments/manual`, {
        contactId: (await contact('Payeur')).id,
        label: 'Calendrier',
        amount,
        method,
        receivedOn: today,
        ...(method === 'cheque' ? { chequeNumber: '7654321' } : {}),
        ...extra,
      }),
      201,
    )) as unknown as PaymentView;

  const membership = async (payment?: Json) =>
    expectStatus(
      treasurer.post(`${staff()}/memberships`, {
        contactId: (await contact('Adhérent')).id,
        planId,
        ...(payment ? { payment } : {}),
      }),
      201,
    );

  const entry = (post: boolean, label = 'Achat de timbres') => ({
    journal: 'OD',
    date: today,
    label,
    lines: [
      { account: '530', debit: '20' },
      { account: '7561', credit: '20' },
    ],
    post,
  });

  const newEntry = async (post: boolean) =>
    id(await expectStatus(treasurer.post(`${staff()}/accounting/entries`, entry(post)), 201));

  const attach = (entryId: string) =>
    sendFile(
      t,
      treasurer,
      `${staff()}/accounting/entries/${entryId}/attachments`,
      Buffer.from('%PDF-1.4\n%%EOF\n'),
      'application/pdf',
      'facture.pdf',
    );

  /** Stripe as an earlier row connected it. */
  const stripe = (): StripeOrg => {
    if (!made.stripe) throw new Error('Stripe is connected by the "connects Stripe" row');
    return made.stripe;
  };

  const stripeKeys = () => ({
    secretKey: `sk_test_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`,
    webhookSecret: `whsec_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`,
  });

  const bankAccountInput = {
    name: 'Compte courant',
    iban: IBAN,
    bic: 'AGRIFRPP',
    accountNumber: '5121',
    acceptTransfers: true,
  };

  /** The bank account an earlier row created. */
  const bank = (): string => {
    if (!made.bankId)
      throw new Error('The bank account is created by the "creates a bank account" row');
    return made.bankId;
  };

  /** Imports a statement of the given lines and returns them, waiting (the run is over). */
  async function bankLines(entries: CamtEntry[]): Promise<Map<string, WorkspaceLineView>> {
    const opening = `${1000 + ++made.statements}.00`;
    const closing = (
      Number(opening) +
      entries.reduce((s, e) => s + (e.cdi === 'CRDT' ? 1 : -1) * Number(e.amount), 0)
    ).toFixed(2);
    const res = await upload(t, treasurer, bank(), camt(entries, opening, closing, today));
    if (res.status !== 201) throw new Error(`statement: ${res.status} ${JSON.stringify(res.body)}`);
    await t.queue.drain();
    const lines = (await expectStatus(
      treasurer.get(`${staff()}/bank-accounts/${bank()}/reconciliation/lines?status=all&limit=200`),
      200,
    )) as unknown as Page<WorkspaceLineView>;
    return new Map(lines.items.map((l) => [l.bankReference ?? '', l]));
  }

  const bankLine = async (
    ref: string,
    amount: string,
    cdi: 'CRDT' | 'DBIT',
    label: string,
    party?: string,
  ) => {
    const line = (await bankLines([{ amount, cdi, ref, label, day: today, party }])).get(ref);
    if (!line || line.status !== 'unmatched')
      throw new Error(`bank line ${ref}: ${JSON.stringify(line)}`);
    return line;
  };

  const lineEntry = async (ref: string, amount: string) => {
    const line = await bankLine(ref, amount, 'DBIT', `FRAIS ${ref}`);
    return (await expectStatus(
      treasurer.post(`${staff()}/bank-accounts/${bank()}/reconciliation/entries`, {
        bankLineId: line.id,
        accountNumber: '627',
        label: 'Frais bancaires',
      }),
      201,
    )) as unknown as MatchView;
  };

  /** A bank line, a ledger line of the bank account, and the treasurer saying they do not match. */
  const rejectedProposal = async (ref: string) => {
    const cents = ref === 'R1' ? 4138 : 4139;
    const transfer = await deskPayment((cents / 100).toFixed(2).replace('.', ','), 'transfer');
    const line = await bankLine(ref, '41.40', 'CRDT', `VIR SEPA ${ref}`);
    const candidates = (await expectStatus(
      treasurer.get(
        `${staff()}/bank-accounts/${bank()}/reconciliation/candidates?amountCents=${cents}`,
      ),
      200,
    )) as unknown as { entryId: string; lineNo: number }[];
    const ledger = candidates.find((c) => c.entryId === transfer.entryId);
    if (!ledger) throw new Error(`no candidate for ${transfer.entryId}`);
    const acted = await act(
      treasurer.post(
        `${staff()}/bank-accounts/${bank()}/reconciliation/lines/${line.id}/rejections`,
        { ledgerLines: [{ entryId: ledger.entryId, lineNo: ledger.lineNo }] },
      ),
      201,
    );
    return { acted, lineId: line.id };
  };

  const rule = async (name: string) =>
    id(
      await expectStatus(
        treasurer.post(`${staff()}/reconciliation/rules`, {
          name,
          labelContains: `abonnement ${name}`,
          direction: 'out',
          accountNumber: '627',
        }),
        201,
      ),
    );

  /** Records a gift and waits until its receipt is issued by the worker. */
  async function issuedReceipt(amount: string): Promise<ReceiptView> {
    const donor = await contact('Donatrice');
    await expectStatus(
      treasurer.post(`${staff()}/donations`, {
        contactId: donor.id,
        amount,
        method: 'cash',
        receivedOn: today,
      }),
      201,
    );
    await t.queue.drain();
    const receipts = (await expectStatus(
      treasurer.get(`${staff()}/receipts?contactId=${donor.id}`),
      200,
    )) as unknown as Page<ReceiptView>;
    if (receipts.items.length !== 1)
      throw new Error(`receipts of ${donor.id}: ${JSON.stringify(receipts)}`);
    return receipts.items[0];
  }

  /** The fiscal year of today. */
  async function currentYear(): Promise<string> {
    const years = (await expectStatus(
      treasurer.get(`${staff()}/accounting/fiscal-years`),
      200,
    )) as unknown as { id: string; startDate: string }[];
    const fy = years.find((y) => y.startDate === `${year}-01-01`);
    if (!fy) throw new Error(`No fiscal year ${year}: ${JSON.stringify(years)}`);
    return fy.id;
  }

  /** A 12-month membership paid today: part of it pays for next year. */
  async function seasonMembership(): Promise<void> {
    const season = id(
      await expectStatus(
        treasurer.post(`${staff()}/membership-plans`, {
          name: `Saison ${++made.plans}`,
          pricingKind: 'fixed',
          tiers: [{ code: 'std', label: 'Standard', amount: '60' }],
          validityKind: 'rolling_months',
          validityMonths: 12,
        }),
        201,
      ),
    );
    await expectStatus(
      treasurer.post(`${staff()}/memberships`, {
        contactId: (await contact('Saisonnière')).id,
        planId: season,
        startDate: today,
        payment: { method: 'cash', paidOn: today },
      }),
      201,
    );
  }

  /** The earliest fiscal year (2018), closed. */
  async function closedYear(): Promise<string> {
    const years = (await expectStatus(
      treasurer.get(`${staff()}/accounting/fiscal-years`),
      200,
    )) as unknown as { id: string; startDate: string; status: string }[];
    let fy = years.find((y) => y.startDate === '2018-01-01');
    if (!fy) {
      const posted = await expectStatus(
        treasurer.post(`${staff()}/accounting/entries`, { ...entry(true), date: '2018-03-01' }),
        201,
      );
      fy = { id: String(posted['fiscalYearId']), startDate: '2018-01-01', status: 'open' };
    }
    if (fy.status === 'open')
      await expectStatus(
        treasurer.post(`${staff()}/accounting/fiscal-years/${fy.id}/close`, {}),
        200,
      );
    return fy.id;
  }

  async function passwordResetToken(email: string): Promise<string> {
    const before = t.smtp.to(email).length;
    await expectStatus(api().post('/api/v1/auth/password-reset/request').send({ email }), 202);
    const mail = await t.smtp.waitFor(
      (m) => m.to.includes(email) && t.smtp.to(email).indexOf(m) >= before,
    );
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    if (!token) throw new Error('No reset link in the e-mail');
    return token;
  }

  async function invitationToken(email: string, role: string): Promise<string> {
    await expectStatus(owner.post(`${staff()}/invitations`, { email, role }), 201);
    const mail = await t.smtp.waitFor((m) => m.to.includes(email));
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    if (!token) throw new Error('No invitation link in the e-mail');
    return token;
  }

  /** The whole audit log of an organization, through the API, newest first. */
  async function auditLog(reader: TestSession): Promise<AuditLogView[]> {
    const items: AuditLogView[] = [];
    for (let offset = 0; ; offset += 200) {
      const page = (await expectStatus(
        reader.get(`/api/v1/orgs/${reader.orgId}/audit-log?limit=200&offset=${offset}`),
        200,
      )) as unknown as Page<AuditLogView>;
      items.push(...page.items);
      if (items.length >= page.total || page.items.length === 0) return items;
    }
  }

  /** Entries without organization (security events of a person), from the table itself. */
  async function platformEntries(requestId: string): Promise<AuditLogView[]> {
    const rows = await t.dataSource.getRepository(AuditLogEntity).findBy({ requestId });
    return rows.map((a) => ({
      id: a.id,
      action: a.action,
      entityType: a.entityType,
      entityId: a.entityId,
      actorUserId: a.actorUserId,
      actorName: null,
      before: a.before,
      after: a.after,
      requestId: a.requestId,
      createdAt: a.createdAt.toISOString(),
      organizationId: a.organizationId,
    }));
  }

  /** The amount a money entry carries, in cents, if any. */
  function amountIn(entry: AuditLogView): number | undefined {
    for (const side of [entry.after, entry.before])
      if (side && typeof side === 'object')
        for (const key of ['amountCents', 'totalCents', 'resultCents', 'amount']) {
          const value = (side as Json)[key];
          if (typeof value === 'number') return value;
        }
    return undefined;
  }

  // ---- the table -------------------------------------------------------------------------------

  const ACTIONS: Row[] = [
    // Authentication: a person's own security events, kept without organization.
    [
      'a user logs in',
      async () => ({
        acted: await act(
          api()
            .post('/api/v1/auth/login')
            .send({ email: staffer.email, password: staffer.password }),
          200,
        ),
        actor: staffer.userId,
        entityId: staffer.userId,
        log: 'platform',
      }),
      'auth.login',
      'user',
    ],
    [
      'a login fails (wrong password)',
      async () => ({
        acted: await act(
          api()
            .post('/api/v1/auth/login')
            .send({ email: staffer.email, password: 'not the password' }),
          401,
        ),
        actor: null,
        entityId: staffer.userId,
        log: 'platform',
      }),
      'auth.login-failed',
      'user',
    ],
    [
      'a user logs out',
      async () => {
        const session = await login(t, staffer.email, staffer.password);
        const [{ id: sessionId }] = await t.dataSource.query<{ id: string }[]>(
          'SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1',
          [staffer.userId],
        );
        return {
          acted: await act(session.post('/api/v1/auth/logout'), 204),
          actor: staffer.userId,
          entityId: sessionId,
          log: 'platform',
        };
      },
      'auth.logout',
      'session',
    ],
    [
      'a user asks for a password reset',
      async () => ({
        acted: await act(
          api().post('/api/v1/auth/password-reset/request').send({ email: staffer.email }),
          202,
        ),
        actor: staffer.userId,
        entityId: staffer.userId,
        log: 'platform',
      }),
      'auth.password-reset-requested',
      'user',
    ],
    [
      'a user sets a new password from the e-mailed link',
      async () => {
        const token = await passwordResetToken(staffer.email);
        staffer.password = 'a brand new passphrase';
        return {
          acted: await act(
            api()
              .post('/api/v1/auth/password-reset/confirm')
              .send({ token, password: staffer.password }),
            204,
          ),
          actor: staffer.userId,
          entityId: staffer.userId,
          log: 'platform',
        };
      },
      'auth.password-reset',
      'user',
    ],
    [
      'an association signs up (organization and owner)',
      async () => {
        const email = uniqueEmail('founder');
        const acted = await act(
          api().post('/api/v1/auth/signup').send({
            organizationName: 'Nouvelle association',
            name: 'Fondatrice',
            email,
            password: TEST_PASSWORD,
            locale: 'fr',
          }),
          201,
        );
        const founder = await login(t, email, TEST_PASSWORD);
        return { acted, actor: founder.userId, entityId: founder.orgId, log: founder };
      },
      'organization.created',
      'organization',
    ],

    // Users and rights.
    [
      'an owner invites a user',
      async () => {
        const acted = await act(
          owner.post(`${staff()}/invitations`, {
            email: uniqueEmail('invitee'),
            role: 'treasurer',
          }),
          201,
        );
        return { acted, actor: owner.userId, entityId: id(acted.body) };
      },
      'users.invited',
      'invitation',
    ],
    [
      'an owner revokes an invitation',
      async () => {
        const invitation = id(
          await expectStatus(
            owner.post(`${staff()}/invitations`, { email: uniqueEmail('revoked'), role: 'admin' }),
            201,
          ),
        );
        return {
          acted: await act(owner.delete(`${staff()}/invitations/${invitation}`), 204),
          actor: owner.userId,
          entityId: invitation,
        };
      },
      'users.invitation-revoked',
      'invitation',
    ],
    [
      'an invited user accepts and joins',
      async () => {
        const token = await invitationToken(uniqueEmail('joiner'), 'coordinator');
        const acted = await act(
          api()
            .post('/api/v1/auth/invitations/accept')
            .send({ token, name: 'Nouvelle bénévole', password: TEST_PASSWORD }),
          200,
        );
        const userId = String((acted.body['user'] as Json)['id']);
        return { acted, actor: userId, entityId: userId };
      },
      'users.joined',
      'user',
    ],
    [
      "an owner changes a user's role",
      async () => {
        const user = await addUser(t, owner, 'member');
        return {
          acted: await act(
            owner.put(`${staff()}/users/${user.userId}/role`, { role: 'treasurer' }),
            200,
          ),
          actor: owner.userId,
          entityId: user.userId,
        };
      },
      'users.role-changed',
      'user',
    ],
    [
      'an owner removes a user',
      async () => {
        const user = await addUser(t, owner, 'coordinator');
        return {
          acted: await act(owner.delete(`${staff()}/users/${user.userId}`), 204),
          actor: owner.userId,
          entityId: user.userId,
        };
      },
      'users.removed',
      'user',
    ],
    [
      'an owner changes the legal identity (printed on fiscal receipts)',
      async () => {
        const org = await expectStatus(owner.get(staff()), 200);
        const input = Object.fromEntries(
          Object.entries(org).filter(([k]) => k !== 'id' && k !== 'createdAt'),
        );
        return {
          acted: await act(owner.put(staff(), { ...input, city: 'Villeurbanne' }), 200),
          actor: owner.userId,
          entityId: owner.orgId,
        };
      },
      'organization.updated',
      'organization',
    ],

    // Personal data.
    [
      "an owner erases a contact's personal data (GDPR)",
      async () => {
        const erased = await contact('Effacée');
        return {
          acted: await act(
            owner.post(`${staff()}/contacts/${erased.id}/erase`, {
              reason: 'Demande de la personne',
              confirm: true,
            }),
            200,
          ),
          actor: owner.userId,
          entityId: erased.id,
        };
      },
      'contact.erased',
      'contact',
    ],
    [
      "an owner exports a contact's personal data (GDPR access)",
      async () => {
        const subject = await contact('Curieuse');
        return {
          acted: await act(
            owner.get(`${staff()}/contacts/${subject.id}/personal-data?format=json`),
            200,
          ),
          actor: owner.userId,
          entityId: subject.id,
        };
      },
      'contact.personal-data-exported',
      'contact',
    ],
    [
      'a coordinator exports the contact directory',
      async () => ({
        acted: await act(coordinator.get(`${staff()}/contacts/export?format=csv`), 200),
        actor: coordinator.userId,
        entityId: null,
      }),
      'contacts.exported',
      'contact',
    ],

    // Stripe: the keys to the association's online money.
    [
      'a treasurer connects Stripe',
      async () => {
        const keys = stripeKeys();
        const acted = await act(treasurer.put(`${staff()}/settings/stripe`, keys), 200);
        made.stripe = {
          owner,
          secret: keys.webhookSecret,
          apiKey: keys.secretKey,
          planId,
          staff: staff(),
        };
        return { acted, actor: treasurer.userId, entityId: owner.orgId };
      },
      'stripe.connected',
      'stripe_account',
    ],
    [
      'a treasurer refunds part of a card payment through Stripe (uses the connection above)',
      async () => {
        const paid = await joinAndPay(t, fake, stripe());
        return {
          acted: await act(
            treasurer.post(`${staff()}/payments/${paid.id}/refunds`, {
              amount: '10',
              reason: 'Tarif réduit oublié',
            }),
            201,
          ),
          actor: treasurer.userId,
          entityId: paid.id,
          amountCents: 1000,
        };
      },
      'payment.refund-requested',
      'payment',
    ],
    [
      'a treasurer asks for the Stripe history of a period',
      async () => {
        const acted = await act(
          treasurer.post(`${staff()}/stripe-syncs`, { from: `${year}-01-01`, to: today }),
          202,
        );
        return { acted, actor: treasurer.userId, entityId: id(acted.body) };
      },
      'stripe.sync-requested',
      'stripe_sync',
    ],
    [
      'a treasurer replays the Stripe events never received (catch-up)',
      async () => ({
        acted: await act(treasurer.post(`${staff()}/stripe-events/catch-up`, {}), 200),
        actor: treasurer.userId,
        entityId: owner.orgId,
      }),
      'stripe.events-caught-up',
      'stripe_account',
    ],
    [
      'a treasurer runs an ignored Stripe event again',
      async () => {
        const event = fake.event('customer.created', {
          id: `cus_${Math.random().toString(36).slice(2)}`,
          object: 'customer',
        });
        await expectStatus(deliver(t, stripe(), event), 200);
        await t.queue.drain();
        const eventId = String(event['id']);
        return {
          acted: await act(treasurer.post(`${staff()}/stripe-events/${eventId}/retry`, {}), 200),
          actor: treasurer.userId,
          entityId: eventId,
        };
      },
      'stripe.event-retried',
      'stripe_event',
    ],
    [
      'a treasurer replaces the Stripe keys',
      async () => {
        const acted = await act(treasurer.put(`${staff()}/settings/stripe`, stripeKeys()), 200);
        made.stripe = undefined;
        return { acted, actor: treasurer.userId, entityId: owner.orgId };
      },
      'stripe.keys-replaced',
      'stripe_account',
    ],
    [
      'a treasurer disconnects Stripe',
      async () => ({
        acted: await act(treasurer.delete(`${staff()}/settings/stripe`), 204),
        actor: treasurer.userId,
        entityId: owner.orgId,
      }),
      'stripe.disconnected',
      'stripe_account',
    ],

    // Money received at the desk.
    [
      'a treasurer records a cheque received at the desk',
      async () => {
        const acted = await act(
          treasurer.post(`${staff()}/payments/manual`, {
            contactId: (await contact('Acheteur')).id,
            label: 'Calendrier',
            amount: '12,50',
            method: 'cheque',
            receivedOn: today,
            chequeNumber: '7654321',
          }),
          201,
        );
        return { acted, actor: treasurer.userId, entityId: id(acted.body), amountCents: 1250 };
      },
      'payment.recorded',
      'payment',
    ],
    [
      'a treasurer takes cheques to the bank on a deposit slip',
      async () => {
        const [a, b] = [await deskPayment('20', 'cheque'), await deskPayment('35', 'cheque')];
        const acted = await act(
          treasurer.post(`${staff()}/cheque-deposits`, {
            paymentIds: [a.id, b.id],
            depositedOn: today,
          }),
          201,
        );
        return { acted, actor: treasurer.userId, entityId: id(acted.body), amountCents: 5500 };
      },
      'cheque-deposit.created',
      'cheque_deposit',
    ],
    [
      'a treasurer refunds part of a cash payment at the desk',
      async () => {
        const paid = await deskPayment('15', 'cash');
        return {
          acted: await act(
            treasurer.post(`${staff()}/payments/${paid.id}/refunds`, {
              amount: '5',
              reason: 'Erreur de caisse',
            }),
            201,
          ),
          actor: treasurer.userId,
          entityId: paid.id,
          amountCents: 500,
        };
      },
      'payment.refunded-offline',
      'payment',
    ],

    // Memberships.
    [
      'a treasurer enrolls a member who pays by cheque',
      async () => {
        const acted = await act(
          treasurer.post(`${staff()}/memberships`, {
            contactId: (await contact('Martin')).id,
            planId,
            payment: { method: 'cheque', paidOn: today, reference: '1234567' },
          }),
          201,
        );
        return { acted, actor: treasurer.userId, entityId: id(acted.body), amountCents: 3000 };
      },
      'membership.created',
      'membership',
    ],
    [
      'a treasurer records the payment of a pending membership',
      async () => {
        const pending = id(await membership());
        return {
          acted: await act(
            treasurer.post(`${staff()}/memberships/${pending}/payment`, {
              method: 'cash',
              paidOn: today,
            }),
            201,
          ),
          actor: treasurer.userId,
          entityId: pending,
          amountCents: 3000,
        };
      },
      'membership.paid',
      'membership',
    ],
    [
      'a treasurer renews a membership, paid in cash',
      async () => {
        const first = id(await membership({ method: 'cash', paidOn: today }));
        const acted = await act(
          treasurer.post(`${staff()}/memberships/${first}/renew`, {
            payment: { method: 'cash', paidOn: today },
          }),
          201,
        );
        return { acted, actor: treasurer.userId, entityId: id(acted.body), amountCents: 3000 };
      },
      'membership.renewed',
      'membership',
    ],
    [
      'a treasurer cancels a membership',
      async () => {
        const cancelled = id(await membership());
        return {
          acted: await act(
            treasurer.post(`${staff()}/memberships/${cancelled}/cancel`, {
              reason: 'Déménagement',
            }),
            201,
          ),
          actor: treasurer.userId,
          entityId: cancelled,
        };
      },
      'membership.cancelled',
      'membership',
    ],

    // Donations and fiscal receipts.
    [
      'a treasurer records a gift',
      async () => {
        const acted = await act(
          treasurer.post(`${staff()}/donations`, {
            contactId: (await contact('Généreuse')).id,
            amount: '120,50',
            method: 'cheque',
            chequeNumber: '0012345',
            receivedOn: today,
          }),
          201,
        );
        return { acted, actor: treasurer.userId, entityId: id(acted.body), amountCents: 12050 };
      },
      'donation.recorded',
      'donation',
    ],
    [
      'a treasurer issues a fiscal receipt that was waiting for the donor address',
      async () => {
        const donor = await contact('Sansadresse', false);
        await expectStatus(
          treasurer.post(`${staff()}/donations`, {
            contactId: donor.id,
            amount: '40',
            method: 'cash',
            receivedOn: today,
          }),
          201,
        );
        await t.queue.drain();
        const gifts = (await expectStatus(
          treasurer.get(`${staff()}/receipts/gifts?contactId=${donor.id}`),
          200,
        )) as unknown as Page<ReceiptGiftView>;
        await expectStatus(
          treasurer.put(`${staff()}/contacts/${donor.id}`, {
            firstName: donor.firstName,
            lastName: donor.lastName,
            email: donor.email,
            addressLine1: '9 quai Saint-Vincent',
            postalCode: '69001',
            city: 'Lyon',
          }),
          200,
        );
        const acted = await act(
          treasurer.post(`${staff()}/receipts/gifts/${gifts.items[0].id}/issue`),
          201,
        );
        return { acted, actor: treasurer.userId, entityId: id(acted.body), amountCents: 4000 };
      },
      'receipts.issued',
      'receipt',
    ],
    [
      'a treasurer cancels a fiscal receipt',
      async () => {
        const receipt = await issuedReceipt('25');
        return {
          acted: await act(
            treasurer.post(`${staff()}/receipts/${receipt.id}/cancel`, {
              reason: 'Adresse erronée',
            }),
            200,
          ),
          actor: treasurer.userId,
          entityId: receipt.id,
        };
      },
      'receipts.cancelled',
      'receipt',
    ],
    [
      'a treasurer sends a fiscal receipt again',
      async () => {
        const receipt = await issuedReceipt('30');
        return {
          acted: await act(treasurer.post(`${staff()}/receipts/${receipt.id}/resend`), 202),
          actor: treasurer.userId,
          entityId: receipt.id,
        };
      },
      'receipts.resent',
      'receipt',
    ],
    [
      'a treasurer starts the annual receipts of the year',
      async () => ({
        acted: await act(treasurer.post(`${staff()}/receipts/annual`, { year }), 202),
        actor: treasurer.userId,
        entityId: null,
      }),
      'receipts.annual-batch-started',
      'receipt',
    ],
    [
      'a treasurer queues again the receipts left waiting',
      async () => ({
        acted: await act(treasurer.post(`${staff()}/receipts/gifts/retry`), 202),
        actor: treasurer.userId,
        entityId: null,
      }),
      'receipts.retry-requested',
      'receipt_gift',
    ],
    [
      'a treasurer changes the receipt settings',
      async () => {
        const settings = await expectStatus(treasurer.get(`${staff()}/receipts/settings`), 200);
        const input = Object.fromEntries(
          [
            'enabled',
            'defaultMode',
            'recurringMode',
            'article200',
            'article978',
            'signerName',
            'signerTitle',
            'place',
            'sendByEmail',
          ].map((k) => [k, settings[k]]),
        );
        return {
          acted: await act(
            treasurer.put(`${staff()}/receipts/settings`, { ...input, place: 'Lyon 3e' }),
            200,
          ),
          actor: treasurer.userId,
          entityId: owner.orgId,
        };
      },
      'receipts.settings-updated',
      'receipt_settings',
    ],
    [
      "a treasurer uploads the signer's signature",
      async () => ({
        acted: await act(
          treasurer.put(`${staff()}/receipts/settings/signature`, {
            mimeType: 'image/png',
            contentBase64: SIGNATURE_PNG,
          }),
          200,
        ),
        actor: treasurer.userId,
        entityId: owner.orgId,
      }),
      'receipts.signature-uploaded',
      'receipt_settings',
    ],
    [
      "a treasurer removes the signer's signature",
      async () => {
        const acted = await act(treasurer.delete(`${staff()}/receipts/settings/signature`), 200);
        await expectStatus(
          treasurer.put(`${staff()}/receipts/settings/signature`, {
            mimeType: 'image/png',
            contentBase64: SIGNATURE_PNG,
          }),
          200,
        );
        return { acted, actor: treasurer.userId, entityId: owner.orgId };
      },
      'receipts.signature-removed',
      'receipt_settings',
    ],
    [
      'a treasurer changes the VAT mention printed on invoices',
      async () => ({
        acted: await act(
          treasurer.put(`${staff()}/invoices/settings`, {
            vatMention: 'TVA non applicable, article 261-7-1° b du CGI',
            legalMention: 'Association régie par la loi du 1er juillet 1901',
          }),
          200,
        ),
        actor: treasurer.userId,
        entityId: owner.orgId,
      }),
      'invoices.settings-updated',
      'invoice_settings',
    ],

    // The ledger.
    [
      'a treasurer saves a draft entry',
      async () => {
        const acted = await act(treasurer.post(`${staff()}/accounting/entries`, entry(false)), 201);
        return { acted, actor: treasurer.userId, entityId: id(acted.body) };
      },
      'accounting.entry-drafted',
      'journal_entry',
    ],
    [
      'a treasurer changes a draft entry',
      async () => {
        const draft = await newEntry(false);
        return {
          acted: await act(
            treasurer.put(
              `${staff()}/accounting/entries/${draft}`,
              entry(false, 'Achat de timbres (corrigé)'),
            ),
            200,
          ),
          actor: treasurer.userId,
          entityId: draft,
        };
      },
      'accounting.entry-updated',
      'journal_entry',
    ],
    [
      'a treasurer deletes a draft entry',
      async () => {
        const draft = await newEntry(false);
        return {
          acted: await act(treasurer.delete(`${staff()}/accounting/entries/${draft}`), 204),
          actor: treasurer.userId,
          entityId: draft,
        };
      },
      'accounting.entry-deleted',
      'journal_entry',
    ],
    [
      'a treasurer posts a draft entry',
      async () => {
        const draft = await newEntry(false);
        return {
          acted: await act(treasurer.post(`${staff()}/accounting/entries/${draft}/post`), 200),
          actor: treasurer.userId,
          entityId: draft,
        };
      },
      'accounting.entry-posted',
      'journal_entry',
    ],
    [
      'a treasurer posts an entry at once',
      async () => {
        const acted = await act(treasurer.post(`${staff()}/accounting/entries`, entry(true)), 201);
        return { acted, actor: treasurer.userId, entityId: id(acted.body) };
      },
      'accounting.entry-posted',
      'journal_entry',
    ],
    [
      'a treasurer reverses a posted entry',
      async () => {
        const posted = await newEntry(true);
        return {
          acted: await act(
            treasurer.post(`${staff()}/accounting/entries/${posted}/reverse`, {}),
            201,
          ),
          actor: treasurer.userId,
          entityId: posted,
        };
      },
      'accounting.entry-reversed',
      'journal_entry',
    ],
    [
      'a treasurer attaches an invoice to an entry',
      async () => {
        const draft = await newEntry(false);
        return { acted: await act(attach(draft), 201), actor: treasurer.userId, entityId: draft };
      },
      'accounting.attachment-added',
      'journal_entry',
    ],
    [
      'a treasurer removes an invoice from an entry',
      async () => {
        const draft = await newEntry(false);
        const attachment = id(await expectStatus(attach(draft), 201));
        return {
          acted: await act(
            treasurer.delete(`${staff()}/accounting/entries/${draft}/attachments/${attachment}`),
            204,
          ),
          actor: treasurer.userId,
          entityId: draft,
        };
      },
      'accounting.attachment-removed',
      'journal_entry',
    ],
    [
      'a treasurer adds an account to the chart',
      async () => {
        const acted = await act(
          treasurer.post(`${staff()}/accounting/accounts`, { number: '46714', label: 'PayPal' }),
          201,
        );
        return { acted, actor: treasurer.userId, entityId: id(acted.body) };
      },
      'accounting.account-created',
      'account',
    ],
    [
      'a treasurer changes an account of the chart',
      async () => {
        const account = id(
          await expectStatus(
            treasurer.post(`${staff()}/accounting/accounts`, {
              number: '46715',
              label: 'HelloAsso',
            }),
            201,
          ),
        );
        return {
          acted: await act(
            treasurer.put(`${staff()}/accounting/accounts/46715`, {
              label: 'HelloAsso (adhésions)',
              active: true,
            }),
            200,
          ),
          actor: treasurer.userId,
          entityId: account,
        };
      },
      'accounting.account-updated',
      'account',
    ],
    [
      'a treasurer adds a journal',
      async () => {
        const acted = await act(
          treasurer.post(`${staff()}/accounting/journals`, {
            code: 'PP',
            label: 'PayPal',
            kind: 'psp',
          }),
          201,
        );
        return { acted, actor: treasurer.userId, entityId: id(acted.body) };
      },
      'accounting.journal-created',
      'journal',
    ],
    [
      'a treasurer changes a journal',
      async () => {
        const journal = id(
          await expectStatus(
            treasurer.post(`${staff()}/accounting/journals`, {
              code: 'HA2',
              label: 'Achats',
              kind: 'purchases',
            }),
            201,
          ),
        );
        return {
          acted: await act(
            treasurer.put(`${staff()}/accounting/journals/HA2`, {
              label: 'Achats divers',
              active: true,
            }),
            200,
          ),
          actor: treasurer.userId,
          entityId: journal,
        };
      },
      'accounting.journal-updated',
      'journal',
    ],
    [
      'a treasurer opens a fiscal year',
      async () => {
        const acted = await act(
          treasurer.post(`${staff()}/accounting/fiscal-years`, {
            startDate: '2040-01-01',
            endDate: '2040-12-31',
          }),
          201,
        );
        return { acted, actor: treasurer.userId, entityId: id(acted.body) };
      },
      'accounting.fiscal-year-created',
      'fiscal_year',
    ],
    [
      'a treasurer changes where payments are posted',
      async () => {
        const current = (await expectStatus(
          treasurer.get(`${staff()}/accounting/posting-accounts`),
          200,
        )) as unknown as PostingAccountView[];
        const bankRole = current.find((p) => p.role === 'bank');
        return {
          acted: await act(
            treasurer.put(`${staff()}/accounting/posting-accounts`, {
              accounts: { bank: bankRole?.accountNumber ?? '5121' },
            }),
            200,
          ),
          actor: treasurer.userId,
          entityId: owner.orgId,
        };
      },
      'accounting.posting-accounts-updated',
      'posting_accounts',
    ],
    [
      'a treasurer imports entries from another software (FEC)',
      async () => {
        const d = `${year}0115`;
        const fec = [
          'JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Montant|Sens|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise|',
          `VE|Ventes|V1|${d}|411000|Clients|C01|Café des Arts|F1|${d}|Facture 1|120,00|D||||||`,
          `VE|Ventes|V1|${d}|706000|Prestations|||F1|${d}|Facture 1|120,00|C||||||`,
          '',
        ].join('\r\n');
        return {
          acted: await act(
            sendFile(
              t,
              treasurer,
              `${staff()}/accounting/imports/fec`,
              Buffer.from(fec, 'utf8'),
              'text/plain',
            ),
            200,
          ),
          actor: treasurer.userId,
          entityId: owner.orgId,
        };
      },
      'accounting.fec-imported',
      'organization',
    ],
    [
      'a treasurer closes the fiscal year 2018',
      async () => {
        const posted = await expectStatus(
          treasurer.post(`${staff()}/accounting/entries`, { ...entry(true), date: '2018-03-01' }),
          201,
        );
        const fy = String(posted['fiscalYearId']);
        return {
          acted: await act(
            treasurer.post(`${staff()}/accounting/fiscal-years/${fy}/close`, {}),
            200,
          ),
          actor: treasurer.userId,
          entityId: fy,
          amountCents: 2000,
        };
      },
      'accounting.fiscal-year-closed',
      'fiscal_year',
    ],
    [
      'a treasurer posts the year-end deferral of membership fees',
      async () => {
        const fy = await currentYear();
        await seasonMembership();
        const preview = await expectStatus(
          treasurer.get(`${staff()}/accounting/fiscal-years/${fy}/deferrals`),
          200,
        );
        return {
          acted: await act(
            treasurer.post(`${staff()}/accounting/fiscal-years/${fy}/deferrals`),
            200,
          ),
          actor: treasurer.userId,
          entityId: fy,
          amountCents: Number(preview['totalCents']),
        };
      },
      'accounting.deferral-posted',
      'fiscal_year',
    ],
    [
      'a treasurer cancels the year-end deferral',
      async () => {
        const fy = await currentYear();
        const preview = await expectStatus(
          treasurer.get(`${staff()}/accounting/fiscal-years/${fy}/deferrals`),
          200,
        );
        if (preview['posted'] === null) {
          await seasonMembership();
          await expectStatus(
            treasurer.post(`${staff()}/accounting/fiscal-years/${fy}/deferrals`),
            200,
          );
        }
        return {
          acted: await act(
            treasurer.post(`${staff()}/accounting/fiscal-years/${fy}/deferrals/cancel`, {
              reason: 'Saison mal paramétrée',
            }),
            200,
          ),
          actor: treasurer.userId,
          entityId: fy,
        };
      },
      'accounting.deferral-cancelled',
      'fiscal_year',
    ],
    [
      'an owner reopens a closed fiscal year',
      async () => {
        const fy = await closedYear();
        return {
          acted: await act(
            owner.post(`${staff()}/accounting/fiscal-years/${fy}/reopen`, {
              reason: 'Facture oubliée de mars',
            }),
            200,
          ),
          actor: owner.userId,
          entityId: fy,
        };
      },
      'accounting.fiscal-year-reopened',
      'fiscal_year',
    ],

    // The bank and its reconciliation with the books.
    [
      'a treasurer changes the reconciliation settings',
      async () => {
        const settings = await expectStatus(
          treasurer.get(`${staff()}/reconciliation/settings`),
          200,
        );
        return {
          acted: await act(
            treasurer.put(`${staff()}/reconciliation/settings`, { ...settings, autoApply: false }),
            200,
          ),
          actor: treasurer.userId,
          entityId: owner.orgId,
        };
      },
      'reconciliation.settings-updated',
      'organization',
    ],
    [
      'a treasurer creates a bank account',
      async () => {
        const acted = await act(treasurer.post(`${staff()}/bank-accounts`, bankAccountInput), 201);
        made.bankId = (acted.body as unknown as BankAccountView).id;
        return { acted, actor: treasurer.userId, entityId: made.bankId };
      },
      'bank.account-created',
      'bank_account',
    ],
    [
      'a treasurer changes a bank account (uses the account above)',
      async () => ({
        acted: await act(
          treasurer.put(`${staff()}/bank-accounts/${bank()}`, {
            ...bankAccountInput,
            name: 'Compte courant Crédit Agricole',
          }),
          200,
        ),
        actor: treasurer.userId,
        entityId: bank(),
      }),
      'bank.account-updated',
      'bank_account',
    ],
    [
      "a treasurer saves how to read the bank's CSV files",
      async () => ({
        acted: await act(
          treasurer.put(`${staff()}/bank-accounts/${bank()}/csv-mapping`, {
            delimiter: ';',
            encoding: 'utf-8',
            decimalSeparator: ',',
            dateFormat: 'DD/MM/YYYY',
            skipLines: 0,
            hasHeader: true,
            bookingDate: 'Date',
            label: 'Libellé',
            amount: 'Montant',
            currency: 'EUR',
          }),
          200,
        ),
        actor: treasurer.userId,
        entityId: bank(),
      }),
      'bank.csv-mapping-saved',
      'bank_account',
    ],
    [
      'a treasurer imports a bank statement',
      async () => ({
        acted: await act(
          upload(
            t,
            treasurer,
            bank(),
            camt(
              [{ amount: '3.20', cdi: 'DBIT', ref: 'S1', label: 'COMMISSION', day: today }],
              '900.00',
              '896.80',
              today,
            ),
          ),
          201,
        ),
        actor: treasurer.userId,
        entityId: bank(),
      }),
      'bank.statement-imported',
      'bank_account',
    ],
    [
      'a treasurer starts an automatic reconciliation run',
      async () => {
        const acted = await act(
          treasurer.post(`${staff()}/bank-accounts/${bank()}/reconciliation/runs`),
          201,
        );
        return { acted, actor: treasurer.userId, entityId: id(acted.body) };
      },
      'reconciliation.run-started',
      'reconciliation_run',
    ],
    [
      'a treasurer letters a bank line with its ledger line',
      async () => {
        const transfer = await deskPayment('41,37', 'transfer');
        const line = await bankLine('M1', '41.37', 'CRDT', 'VIR SEPA CALENDRIER');
        const candidates = (await expectStatus(
          treasurer.get(
            `${staff()}/bank-accounts/${bank()}/reconciliation/candidates?amountCents=4137`,
          ),
          200,
        )) as unknown as { entryId: string; lineNo: number }[];
        const ledger = candidates.find((c) => c.entryId === transfer.entryId);
        if (!ledger)
          throw new Error(`no candidate for ${transfer.entryId}: ${JSON.stringify(candidates)}`);
        const acted = await act(
          treasurer.post(`${staff()}/bank-accounts/${bank()}/reconciliation/matches`, {
            bankLineIds: [line.id],
            ledgerLines: [{ entryId: ledger.entryId, lineNo: ledger.lineNo }],
          }),
          201,
        );
        return { acted, actor: treasurer.userId, entityId: id(acted.body) };
      },
      'reconciliation.matched',
      'reconciliation_match',
    ],
    [
      'a treasurer posts a bank fee straight from its bank line',
      async () => {
        const line = await bankLine('E1', '12.34', 'DBIT', 'FRAIS TENUE DE COMPTE');
        const acted = await act(
          treasurer.post(`${staff()}/bank-accounts/${bank()}/reconciliation/entries`, {
            bankLineId: line.id,
            accountNumber: '627',
            label: 'Frais bancaires',
          }),
          201,
        );
        return { acted, actor: treasurer.userId, entityId: id(acted.body) };
      },
      'reconciliation.matched',
      'reconciliation_match',
    ],
    [
      'a treasurer confirms an announced transfer from its bank line',
      async () => {
        const joined = (await expectStatus(
          api()
            .post(`/api/v1/public/orgs/${owner.orgId}/join`)
            .send({
              planId,
              firstName: 'Jeanne',
              lastName: 'Dupont',
              email: uniqueEmail('jeanne'),
              acceptTerms: true,
              method: 'transfer',
            }),
          201,
        )) as unknown as JoinResultView;
        const line = await bankLine(
          'X1',
          '30.00',
          'CRDT',
          'VIR SEPA ADHESION',
          'MME JEANNE DUPONT',
        );
        const acted = await act(
          treasurer.post(`${staff()}/bank-accounts/${bank()}/reconciliation/expected`, {
            bankLineId: line.id,
            paymentId: joined.paymentId,
          }),
          201,
        );
        return { acted, actor: treasurer.userId, entityId: id(acted.body) };
      },
      'reconciliation.matched',
      'reconciliation_match',
    ],
    [
      'a treasurer undoes a match (its entry is reversed)',
      async () => {
        const match = await lineEntry('U1', '7.77');
        return {
          acted: await act(
            treasurer.post(`${staff()}/reconciliation/matches/${match.id}/undo`, {
              reason: 'Frais remboursés par la banque',
            }),
            200,
          ),
          actor: treasurer.userId,
          entityId: match.id,
        };
      },
      'reconciliation.match-undone',
      'reconciliation_match',
    ],
    [
      'a treasurer sets a bank line aside',
      async () => {
        const line = await bankLine('I1', '50.00', 'CRDT', 'VIR INTERNE');
        return {
          acted: await act(
            treasurer.post(
              `${staff()}/bank-accounts/${bank()}/reconciliation/lines/${line.id}/ignore`,
              { reason: 'Virement entre nos comptes' },
            ),
            200,
          ),
          actor: treasurer.userId,
          entityId: line.id,
        };
      },
      'reconciliation.line-ignored',
      'bank_statement_line',
    ],
    [
      'a treasurer brings a bank line back',
      async () => {
        const line = await bankLine('I2', '60.00', 'CRDT', 'VIR INTERNE');
        await expectStatus(
          treasurer.post(
            `${staff()}/bank-accounts/${bank()}/reconciliation/lines/${line.id}/ignore`,
            { reason: 'Erreur' },
          ),
          200,
        );
        return {
          acted: await act(
            treasurer.post(
              `${staff()}/bank-accounts/${bank()}/reconciliation/lines/${line.id}/unignore`,
            ),
            200,
          ),
          actor: treasurer.userId,
          entityId: line.id,
        };
      },
      'reconciliation.line-unignored',
      'bank_statement_line',
    ],
    [
      'a treasurer rejects a proposal for a bank line',
      async () => {
        const rejection = await rejectedProposal('R1');
        return {
          acted: rejection.acted,
          actor: treasurer.userId,
          entityId: rejection.lineId,
        };
      },
      'reconciliation.proposal-rejected',
      'bank_statement_line',
    ],
    [
      'a treasurer withdraws the rejection of a proposal',
      async () => {
        const rejection = await rejectedProposal('R2');
        return {
          acted: await act(
            treasurer.delete(
              `${staff()}/bank-accounts/${bank()}/reconciliation/lines/${rejection.lineId}/rejections/${id(rejection.acted.body)}`,
            ),
            204,
          ),
          actor: treasurer.userId,
          entityId: rejection.lineId,
        };
      },
      'reconciliation.rejection-withdrawn',
      'bank_statement_line',
    ],
    [
      'a treasurer creates a reconciliation rule',
      async () => {
        const acted = await act(
          treasurer.post(`${staff()}/reconciliation/rules`, {
            name: 'Logiciel',
            labelContains: 'abonnement logiciel',
            direction: 'out',
            accountNumber: '627',
          }),
          201,
        );
        return { acted, actor: treasurer.userId, entityId: id(acted.body) };
      },
      'reconciliation.rule-created',
      'reconciliation_rule',
    ],
    [
      'a treasurer changes a reconciliation rule',
      async () => {
        const ruleId = await rule('Hébergement');
        return {
          acted: await act(
            treasurer.put(`${staff()}/reconciliation/rules/${ruleId}`, {
              name: 'Hébergement web',
              labelContains: 'abonnement hébergement',
              direction: 'out',
              accountNumber: '627',
            }),
            200,
          ),
          actor: treasurer.userId,
          entityId: ruleId,
        };
      },
      'reconciliation.rule-updated',
      'reconciliation_rule',
    ],
    [
      'a treasurer deletes a reconciliation rule',
      async () => {
        const ruleId = await rule('Téléphone');
        return {
          acted: await act(treasurer.delete(`${staff()}/reconciliation/rules/${ruleId}`), 204),
          actor: treasurer.userId,
          entityId: ruleId,
        };
      },
      'reconciliation.rule-deleted',
      'reconciliation_rule',
    ],

    // Outgoing webhooks: the association's data leaves for a third party (created, then disabled at once).
    [
      'an owner adds a webhook endpoint',
      async () => {
        const acted = await act(
          owner.post(`${staff()}/webhooks/endpoints`, {
            url: 'https://example.org/ruche-hook',
            events: ['entry.posted'],
          }),
          201,
        );
        return { acted, actor: owner.userId, entityId: id(acted.body) };
      },
      'webhooks.endpoint-created',
      'webhook_endpoint',
    ],
    [
      'an owner disables a webhook endpoint',
      async () => {
        const endpoints = (await expectStatus(
          owner.get(`${staff()}/webhooks/endpoints`),
          200,
        )) as unknown as { id: string; active: boolean }[];
        const endpoint = endpoints.find((e) => e.active)?.id ?? '';
        return {
          acted: await act(
            owner.put(`${staff()}/webhooks/endpoints/${endpoint}`, {
              url: 'https://example.org/ruche-hook',
              events: ['entry.posted'],
              active: false,
            }),
            200,
          ),
          actor: owner.userId,
          entityId: endpoint,
        };
      },
      'webhooks.endpoint-updated',
      'webhook_endpoint',
    ],
  ];

  // ---- the proof -------------------------------------------------------------------------------

  it.each(
    ACTIONS.map(([description, perform, action, entityType]) => ({
      description,
      perform,
      action,
      entityType,
    })),
  )('$description → $action', async ({ perform, action, entityType }) => {
    const expected = await perform();
    const entries =
      expected.log === 'platform'
        ? await platformEntries(expected.acted.requestId)
        : (await auditLog(expected.log ?? owner)).filter(
            (e) => e.requestId === expected.acted.requestId,
          );
    const entry = entries.find((e) => e.action === action);
    expect({ request: expected.acted.route, actions: entries.map((e) => e.action) }).toEqual({
      request: expected.acted.route,
      actions: expect.arrayContaining([action]),
    });
    expect(entry).toMatchObject({
      entityType,
      entityId: expected.entityId,
      actorUserId: expected.actor,
    });
    if (expected.log === 'platform') expect(entry).toMatchObject({ organizationId: null });
    else if (expected.actor) expect(entry?.actorName).toEqual(expect.any(String));
    if (expected.amountCents !== undefined) expect(amountIn(entry!)).toBe(expected.amountCents);
    if (expected.log !== 'platform' && (expected.log ?? owner) === owner) found.push(entry!);
  });

  it('has a row for every money and security route of the API', () => {
    const routes = discoverRoutes(t.app);
    const pattern = (r: DiscoveredRoute) =>
      new RegExp(`^${r.path.replace(/:[A-Za-z]+/g, '[^/]+')}$`);
    const routeOf = (method: string, path: string) =>
      routes
        .filter((r) => r.method === method && pattern(r).test(path))
        .sort((a, b) => (a.path.match(/:/g)?.length ?? 0) - (b.path.match(/:/g)?.length ?? 0))[0]
        ?.key;
    const covered = new Set(performed.map((p) => routeOf(p.method, p.path)));
    const moneyAndSecurity = routes.filter(
      (r) =>
        MONEY_AND_SECURITY_ROUTES.has(r.key) ||
        (r.method !== 'GET' &&
          r.permission !== null &&
          MONEY_AND_SECURITY_PERMISSIONS.has(r.permission)),
    );
    expect(moneyAndSecurity.length).toBeGreaterThan(60);
    expect(
      moneyAndSecurity.map((r) => r.key).filter((k) => !covered.has(k) && !(k in READ_ONLY_ROUTES)),
    ).toEqual([]);
    // The lists name routes that exist.
    const keys = new Set(routes.map((r) => r.key));
    expect(
      [...MONEY_AND_SECURITY_ROUTES, ...Object.keys(READ_ONLY_ROUTES)].filter((k) => !keys.has(k)),
    ).toEqual([]);
  });

  it("keeps one organization's entries out of another's log", async () => {
    expect(found.length).toBeGreaterThan(50);
    const ours = await auditLog(owner);
    const theirs = await auditLog(other);
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.filter((e) => e.actorUserId !== null && e.actorUserId !== other.userId)).toEqual(
      [],
    );
    const ourIds = new Set(ours.map((e) => e.id));
    const ourEntities = new Set(ours.map((e) => e.entityId).filter((e): e is string => e !== null));
    expect(
      theirs.filter(
        (e) => ourIds.has(e.id) || (e.entityId !== null && ourEntities.has(e.entityId)),
      ),
    ).toEqual([]);
    expect(JSON.stringify(theirs)).not.toContain(owner.orgId);
    // Nor can a user of one read the other's log.
    await expectStatus(other.get(`/api/v1/orgs/${owner.orgId}/audit-log`), 404);
    await expectStatus(treasurer.get(`/api/v1/orgs/${other.orgId}/audit-log`), 404);
  });

  it('shows the log only to the roles with audit.read', async () => {
    expect((await auditLog(treasurer)).length).toBeGreaterThan(0);
    for (const session of [coordinator, member]) {
      const res = await session.get(`${staff()}/audit-log`);
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain('payment.recorded');
    }
  });

  it('keeps every entry as written: no route changes one, and the database refuses UPDATE and DELETE', async () => {
    const routes = discoverRoutes(t.app).filter((r) => r.path.includes('audit'));
    expect(routes.map((r) => r.key)).toEqual(['GET /api/v1/orgs/:orgId/audit-log']);
    const target = found.find((e) => e.action === 'payment.recorded')!;
    expect(target).toBeDefined();
    expect(
      (await owner.put(`${staff()}/audit-log/${target.id}`, { action: 'nothing' })).status,
    ).toBe(404);
    expect((await owner.delete(`${staff()}/audit-log/${target.id}`)).status).toBe(404);
    await expect(
      t.dataSource.query(`UPDATE audit_logs SET action = 'nothing', after = NULL WHERE id = $1`, [
        target.id,
      ]),
    ).rejects.toMatchObject({ code: '23001', message: expect.stringContaining('append-only') });
    await expect(
      t.dataSource.query('DELETE FROM audit_logs WHERE id = $1', [target.id]),
    ).rejects.toMatchObject({
      code: '23001',
      message: expect.stringContaining('append-only'),
    });
    await expect(
      t.dataSource.query('DELETE FROM audit_logs WHERE organization_id = $1', [owner.orgId]),
    ).rejects.toMatchObject({ code: '23001' });
    const after = (await auditLog(owner)).find((e) => e.id === target.id);
    expect(after).toEqual(target);
  });
});
