import request from 'supertest';
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import type {
  ContactMembershipView,
  JoinResultView,
  Page,
  PaymentView,
  PublicJoinFormView,
  StripeEventView,
  StripeSettingsView,
} from '@ruche/contracts';
import {
  pdfText,
  FakeStripe,
  FixedClock,
  addUser,
  signupOrganization,
  type TestApp,
  type TestSession,
  workerDatabaseUrl,
} from '@ruche/testing';
import { createTestApi } from '../testing';

/** Online join and pay through Stripe Checkout, and the webhook that records the money. */
describe('Stripe: connection, online join, webhooks', () => {
  let t: TestApp;
  let fake: FakeStripe;
  let owner: TestSession;
  let secret: string;
  let planId: string;
  let freePlanId: string;
  const clock = new FixedClock(new Date('2026-03-10T10:00:00Z'));
  const staff = () => `/api/v1/orgs/${owner.orgId}`;
  const http = () => request(t.app.getHttpServer());
  const unix = () => Math.floor(clock.now().getTime() / 1000);

  beforeAll(async () => {
    fake = await new FakeStripe().start();
    t = await createTestApi({ clock, env: { STRIPE_API_BASE: fake.url } });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });
  beforeEach(async () => {
    owner = await signupOrganization(t, 'Les Amis du Jardin');
    secret = `whsec_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'x')}`;
    await owner
      .put(`${staff()}/settings/stripe`, {
        secretKey: `sk_test_${randomBytes(16).toString('hex')}`,
        webhookSecret: secret,
      })
      .expect(200);
    planId = (
      await owner
        .post(`${staff()}/membership-plans`, {
          name: 'Adhésion annuelle',
          pricingKind: 'tiers',
          tiers: [
            { code: 'plein', label: 'Plein tarif', amount: '30' },
            { code: 'reduit', label: 'Tarif réduit', amount: '10' },
          ],
          validityKind: 'calendar_year',
        })
        .expect(201)
    ).body.id;
    freePlanId = (
      await owner
        .post(`${staff()}/membership-plans`, {
          name: 'Soutien',
          pricingKind: 'free_amount',
          minimumAmount: '20',
          validityKind: 'rolling_months',
          validityMonths: 12,
        })
        .expect(201)
    ).body.id;
  });

  function joinBody(overrides: Record<string, unknown> = {}) {
    return {
      planId,
      tierCode: 'plein',
      firstName: 'Léa',
      lastName: 'Moreau',
      email: `lea.${randomBytes(4).toString('hex')}@example.org`,
      postalCode: '69003',
      city: 'Lyon',
      acceptTerms: true,
      newsletter: true,
      ...overrides,
    };
  }

  async function join(
    overrides: Record<string, unknown> = {},
    orgId = owner.orgId,
  ): Promise<JoinResultView & { sessionId: string }> {
    const res = await http()
      .post(`/api/v1/public/orgs/${orgId}/join`)
      .send(joinBody(overrides))
      .expect(201);
    const result = res.body as JoinResultView;
    const session = fake.sessionFor(result.paymentId);
    expect(session).toBeDefined();
    expect(result.checkoutUrl).toBe(session!['url']);
    return { ...result, sessionId: session!.id };
  }

  function deliver(
    event: Record<string, unknown>,
    options: { secret?: string; orgId?: string; timestamp?: number } = {},
  ) {
    const { body, signature } = FakeStripe.sign(event, options.secret ?? secret, options.timestamp);
    return http()
      .post(`/api/v1/webhooks/stripe/${options.orgId ?? owner.orgId}`)
      .set('content-type', 'application/json')
      .set('stripe-signature', signature)
      .send(body);
  }

  async function payment(id: string): Promise<PaymentView> {
    return (await owner.get(`${staff()}/payments/${id}`).expect(200)).body as PaymentView;
  }

  async function membershipOf(p: PaymentView): Promise<ContactMembershipView> {
    return (await owner.get(`${staff()}/memberships/${p.purposeId}`).expect(200))
      .body as ContactMembershipView;
  }

  async function contactEmail(contactId: string): Promise<string> {
    const [row] = await t.dataSource.query<{ email: string }[]>(
      'SELECT email FROM contacts WHERE organization_id = $1 AND id = $2',
      [owner.orgId, contactId],
    );
    return row.email;
  }

  async function linesOf(
    entryId: string,
  ): Promise<{ account: string; debit: number; credit: number }[]> {
    const rows = await t.dataSource.query<{ account: string; debit: string; credit: string }[]>(
      `SELECT a.number AS account, l.debit_cents AS debit, l.credit_cents AS credit FROM journal_entry_lines l
         JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
        WHERE l.organization_id = $1 AND l.entry_id = $2 ORDER BY l.line_no`,
      [owner.orgId, entryId],
    );
    return rows.map((r) => ({
      account: r.account,
      debit: Number(r.debit),
      credit: Number(r.credit),
    }));
  }

  async function entriesFrom(source: string): Promise<number> {
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM journal_entries WHERE organization_id = $1 AND source = $2',
      [owner.orgId, source],
    );
    return n;
  }

  it('keeps the keys sealed, tells test from live, checks the connection and refuses a key Stripe rejects', async () => {
    const view = (await owner.get(`${staff()}/settings/stripe`).expect(200))
      .body as StripeSettingsView;
    expect(view).toMatchObject({
      connected: true,
      mode: 'test',
      webhookSecretSet: true,
      accountId: 'acct_1FakeRucheTest',
      lastCheckOk: true,
    });
    expect(view.secretKeyHint).toMatch(/^sk_test_…[0-9a-f]{4}$/);
    expect(view.webhookUrl).toBe(`http://ruche.test/api/v1/webhooks/stripe/${owner.orgId}`);
    expect(view.embedSnippet).toContain(`/adhesion/${owner.orgId}?embed=1`);
    expect(JSON.stringify(view)).not.toContain(secret);
    const [row] = await t.dataSource.query<
      { secret_key_sealed: string; webhook_secret_sealed: string }[]
    >(
      'SELECT secret_key_sealed, webhook_secret_sealed FROM stripe_accounts WHERE organization_id = $1',
      [owner.orgId],
    );
    expect(row.webhook_secret_sealed).not.toContain(secret.slice(6));
    expect(row.secret_key_sealed).toMatch(/^v1\./);

    // The join page may be framed by the association's own site; the back office may not.
    const framed = await http().get(`/adhesion/${owner.orgId}?embed=1`);
    expect(framed.headers['content-security-policy']).toContain('frame-ancestors *');
    expect(framed.headers['x-frame-options']).toBeUndefined();
    const admin = await http().get('/login');
    expect(admin.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(admin.headers['x-frame-options']).toBe('SAMEORIGIN');

    const check = await owner.post(`${staff()}/settings/stripe/check`, {}).expect(200);
    expect(check.body).toMatchObject({
      ok: true,
      mode: 'test',
      accountName: 'Association de test',
    });

    const bad = await owner
      .put(`${staff()}/settings/stripe`, { secretKey: 'pk_test_123', webhookSecret: 'nope' })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'secretKey',
      'webhookSecret',
    ]);
    const rejectedKey = `sk_test_${randomBytes(16).toString('hex')}`;
    fake.rejectedKeys.add(rejectedKey);
    const rejected = await owner
      .put(`${staff()}/settings/stripe`, { secretKey: rejectedKey, webhookSecret: secret })
      .expect(422);
    expect(rejected.body.errors[0]).toMatchObject({
      field: 'secretKey',
      code: 'payments.stripe_key_rejected',
    });
    expect(
      ((await owner.get(`${staff()}/settings/stripe`).expect(200)).body as StripeSettingsView)
        .secretKeyHint,
    ).toBe(view.secretKeyHint);

    const coordinator = await addUser(t, owner, 'coordinator');
    await coordinator.get(`${staff()}/settings/stripe`).expect(403);
    await coordinator.get(`${staff()}/payments`).expect(403);
    const stranger = await signupOrganization(t, 'Autre association');
    await stranger.get(`${staff()}/settings/stripe`).expect(404);
  });

  it('refuses a bad join form field by field, before any call to Stripe', async () => {
    const form = (await http().get(`/api/v1/public/orgs/${owner.orgId}/join`).expect(200))
      .body as PublicJoinFormView;
    expect(form).toMatchObject({
      onlinePayment: true,
      mode: 'test',
      methods: ['card', 'sepa_debit'],
      organization: { name: 'Les Amis du Jardin' },
    });
    expect(form.plans.map((p) => p.name)).toEqual(['Adhésion annuelle', 'Soutien']);
    const calls = fake.requests.length;
    const missing = await http()
      .post(`/api/v1/public/orgs/${owner.orgId}/join`)
      .send(joinBody({ lastName: '', acceptTerms: false, email: 'pas-un-email' }))
      .expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'acceptTerms',
      'email',
      'lastName',
    ]);
    const low = await http()
      .post(`/api/v1/public/orgs/${owner.orgId}/join`)
      .send(joinBody({ planId: freePlanId, tierCode: undefined, amount: '12' }))
      .expect(422);
    expect(low.body.errors[0]).toMatchObject({
      field: 'amount',
      code: 'memberships.amount_below_minimum',
    });
    const unknownPlan = await http()
      .post(`/api/v1/public/orgs/${owner.orgId}/join`)
      .send(joinBody({ planId: '00000000-0000-4000-8000-000000000000' }))
      .expect(422);
    expect(unknownPlan.body.errors[0]).toMatchObject({ field: 'planId' });
    const noTier = await http()
      .post(`/api/v1/public/orgs/${owner.orgId}/join`)
      .send(joinBody({ tierCode: 'vip' }))
      .expect(422);
    expect(noTier.body.errors[0]).toMatchObject({ field: 'tierCode' });
    await http()
      .post('/api/v1/public/orgs/00000000-0000-4000-8000-000000000000/join')
      .send(joinBody())
      .expect(404);
    await http().post('/api/v1/public/orgs/pas-un-id/join').send(joinBody()).expect(404);
    expect(fake.requests.length).toBe(calls);
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM payments WHERE organization_id = $1',
      [owner.orgId],
    );
    expect(n).toBe(0);
  });

  it('joins by card: Checkout, then the webhook records gross, fee and net, posts the entry and activates the membership', async () => {
    const joined = await join({ tierCode: 'reduit' });
    const create = fake.requests.find(
      (r) =>
        r.method === 'POST' &&
        r.path === '/v1/checkout/sessions' &&
        r.form.get('client_reference_id') === joined.paymentId,
    );
    expect(create?.idempotencyKey).toBe(`checkout:${joined.paymentId}`);
    expect(create?.form.get('line_items[0][price_data][unit_amount]')).toBe('1000');
    expect(create?.form.get('metadata[organizationId]')).toBe(owner.orgId);
    let p = await payment(joined.paymentId);
    expect(p).toMatchObject({
      status: 'pending',
      amountCents: 1000,
      currency: 'EUR',
      purpose: 'membership',
      contactName: 'Léa Moreau',
    });
    expect((await membershipOf(p)).status).toBe('pending_payment');

    fake.pay(joined.sessionId, { method: 'card', feeCents: 40, created: unix() });
    const event = fake.event('checkout.session.completed', fake.sessions.get(joined.sessionId)!);
    expect((await deliver(event).expect(200)).body).toEqual({ received: true, duplicate: false });
    await t.queue.drain();

    p = await payment(joined.paymentId);
    expect(p).toMatchObject({
      status: 'succeeded',
      method: 'card',
      amountCents: 1000,
      feeCents: 40,
      netCents: 960,
      paidOn: '2026-03-10',
      availableOn: '2026-03-12',
    });
    expect(p.stripe?.chargeId).toMatch(/^ch_/);
    expect(p.stripe?.balanceTransactionId).toMatch(/^txn_/);
    expect(p.history.map((h) => h.status)).toEqual(['pending', 'succeeded']);
    expect(await linesOf(p.entryId!)).toEqual([
      { account: '51151', debit: 960, credit: 0 },
      { account: '627', debit: 40, credit: 0 },
      { account: '7561', debit: 0, credit: 1000 },
    ]);
    const membership = await membershipOf(p);
    expect(membership).toMatchObject({
      status: 'active',
      paidOn: '2026-03-10',
      paymentMethod: 'card',
      endDate: '2026-12-31',
      source: 'online',
    });
    const memberEmail = await contactEmail(p.contactId!);
    const mail = await t.smtp.waitFor(
      (m) => m.to.includes(memberEmail) && m.subject.includes('est confirmée'),
    );
    expect(mail.text).toContain('10,00');
    // The plan has counterparts (not receipt-eligible): its invoice comes with the attestation.
    expect(mail.attachments).toHaveLength(2);
    expect(mail.attachments[0]).toMatchObject({
      contentType: 'application/pdf',
      filename: 'attestation-adhesion-M000001.pdf',
    });
    expect(mail.attachments[1]).toMatchObject({
      contentType: 'application/pdf',
      filename: 'facture-FA-2026-000001.pdf',
    });
    const pdf = await pdfText(mail.attachments[0].content);
    expect(pdf.text).toContain("Attestation d'adhésion");
    expect(pdf.text).toContain('MOREAU Léa');
    expect(pdf.text).toContain('du 10/03/2026 au 31/12/2026');
    expect(pdf.text).toContain('10,00 EUR');
    expect(pdf.text).toContain('carte bancaire');
    const status = await http()
      .get(`/api/v1/public/orgs/${owner.orgId}/checkout/${joined.sessionId}`)
      .expect(200);
    expect(status.body).toMatchObject({ status: 'succeeded', amountCents: 1000, method: 'card' });

    // The same delivery again: acknowledged, not processed twice.
    expect((await deliver(event).expect(200)).body).toEqual({ received: true, duplicate: true });
    await t.queue.drain();
    expect(await entriesFrom(`stripe:${p.stripe!.chargeId}`)).toBe(1);
    expect((await payment(joined.paymentId)).history).toHaveLength(2);
    const events = (await owner.get(`${staff()}/stripe-events`).expect(200))
      .body as Page<StripeEventView>;
    expect(events.items).toEqual([
      expect.objectContaining({
        id: event['id'],
        type: 'checkout.session.completed',
        state: 'processed',
      }),
    ]);
  });

  it('knows a redelivered event whether this process stored it or another one did, whatever the key order', async () => {
    const joined = await join();
    fake.pay(joined.sessionId, { method: 'card', feeCents: 40, created: unix() });
    const event = fake.event('checkout.session.completed', fake.sessions.get(joined.sessionId)!);
    const stored = async () =>
      (
        await t.dataSource.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM stripe_events WHERE organization_id = $1 AND id = $2',
          [owner.orgId, event['id']],
        )
      )[0].n;
    // Concurrent deliveries of a new event: one row, the others wait for it and are duplicates.
    const first = await Promise.all([1, 2, 3].map(() => deliver(event).expect(200)));
    expect(first.map((r) => (r.body as { duplicate: boolean }).duplicate).sort()).toEqual([
      false,
      true,
      true,
    ]);
    // The id not written first (the body is parsed, not scanned): still the same event.
    const { type, ...rest } = event;
    expect((await deliver({ type, ...rest }).expect(200)).body).toEqual({
      received: true,
      duplicate: true,
    });
    // A second API process on the same database has not seen it: the database knows.
    const other = await createTestApi({
      clock,
      env: { STRIPE_API_BASE: fake.url },
      databaseUrl: await workerDatabaseUrl(),
      processJobs: false,
    });
    try {
      const res = await request(other.app.getHttpServer())
        .post(`/api/v1/webhooks/stripe/${owner.orgId}`)
        .set('content-type', 'application/json')
        .set('stripe-signature', FakeStripe.sign(event, secret).signature)
        .send(FakeStripe.sign(event, secret).body)
        .expect(200);
      expect(res.body).toEqual({ received: true, duplicate: true });
    } finally {
      await other.close();
    }
    await t.queue.drain();
    expect(await stored()).toBe(1);
    expect(await entriesFrom(`stripe:${(await payment(joined.paymentId)).stripe!.chargeId}`)).toBe(
      1,
    );
    // Signed JSON that is not an object is not an event either.
    for (const notAnObject of [null, [event], 'evt_1']) {
      const signed = FakeStripe.sign(notAnObject as never, secret);
      const refused = await http()
        .post(`/api/v1/webhooks/stripe/${owner.orgId}`)
        .set('content-type', 'application/json')
        .set('stripe-signature', signed.signature)
        .send(signed.body)
        .expect(400);
      expect(refused.body.errors[0]).toMatchObject({
        field: 'body',
        code: 'payments.webhook_payload_invalid',
      });
    }
  });

  it('reads events that begin with their id in PostgreSQL: a bad one sent with good ones is refused with its field, the good ones are stored', async () => {
    const signedText = (body: string) =>
      http()
        .post(`/api/v1/webhooks/stripe/${owner.orgId}`)
        .set('content-type', 'application/json')
        .set(
          'stripe-signature',
          Stripe.webhooks.generateTestHeaderString({ payload: body, secret }),
        )
        .send(body);
    const id = () => `evt_${randomBytes(12).toString('hex')}`;
    const good = () => ({
      id: id(),
      object: 'event',
      type: 'ruche.test_unknown',
      created: unix(),
      api_version: '2025-08-27.basil',
      livemode: false,
      data: { object: { id: 'x_1', object: 'thing' } },
    });
    const goods = Array.from({ length: 6 }, good);
    const first = id();
    const bad: [string, string, string | RegExp][] = [
      [`{"id":"${id()}","type":"x","data":{"object":{}}`, 'body', /not JSON/],
      [
        `{"id":"${id()}","type":"x","data":{"object":{"name":"a\\u0000b"}}}`,
        'body',
        /data\.object\.name/,
      ],
      [
        `{"id":"${id()}","type":"x","data":{"object":{"name":"\\ud800"}}}`,
        'body',
        /data\.object\.name/,
      ],
      [`{"id":"${first}","type":"x","data":{"object":{}},"id":"${id()}"}`, 'id', /valid id/],
      // Passes the API's own checks (JSON.parse reads Infinity), beyond what jsonb holds: found alone.
      [
        `{"id":"${id()}","type":"x","data":{"object":{"big":1e200000}}}`,
        'body',
        /cannot be stored/,
      ],
      [`{"id":"${id()}","data":{"object":{}}}`, 'type', /no type/],
      [`{"id":"${id()}","type":"${'t'.repeat(101)}","data":{"object":{}}}`, 'type', /no type/],
      [`{"id":"${id()}","type":"x","data":{"object":[1]}}`, 'data.object', /data\.object/],
      [`{"id":"${id()}","type":"x","data":"nothing"}`, 'data.object', /data\.object/],
    ];
    // All at once: they share batches with the good ones.
    const answers = await Promise.all([
      ...goods.map((e) => signedText(JSON.stringify(e))),
      ...bad.map(([body]) => signedText(body)),
    ]);
    for (const answer of answers.slice(0, goods.length)) {
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ received: true, duplicate: false });
    }
    answers.slice(goods.length).forEach((answer, i) => {
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0]).toMatchObject({
        field: bad[i][1],
        code: 'payments.webhook_payload_invalid',
      });
      expect(answer.body.errors[0].message).toMatch(bad[i][2]);
    });
    const rows = await t.dataSource.query<
      { id: string; type: string; api_version: string; livemode: boolean; created: Date }[]
    >(
      'SELECT id, type, api_version, livemode, stripe_created_at AS created FROM stripe_events WHERE organization_id = $1 AND id = ANY($2) ORDER BY id',
      [owner.orgId, [...goods.map((e) => e.id), first]],
    );
    expect(rows).toEqual(
      goods
        .map((e) => ({
          id: e.id,
          type: 'ruche.test_unknown',
          api_version: '2025-08-27.basil',
          livemode: false,
          created: new Date(e.created * 1000),
        }))
        .sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    // A date out of range is not a date: the reception time stands in.
    const far = { ...good(), created: 1e300, livemode: true, account: 'acct_1' };
    await signedText(JSON.stringify(far)).expect(200);
    const [row] = await t.dataSource.query<
      { created: Date; received: Date; livemode: boolean; account: string }[]
    >(
      'SELECT stripe_created_at AS created, received_at AS received, livemode, account FROM stripe_events WHERE organization_id = $1 AND id = $2',
      [owner.orgId, far.id],
    );
    expect(row).toEqual({
      created: row.received,
      received: row.received,
      livemode: true,
      account: 'acct_1',
    });
    await t.queue.drain();
  });

  it('SEPA debit: pending while processing, active on success, left unpaid when the debit fails', async () => {
    const good = await join({ method: 'sepa_debit' });
    const { paymentIntent } = fake.pay(good.sessionId, { method: 'sepa_debit', created: unix() });
    await deliver(
      fake.event('checkout.session.completed', fake.sessions.get(good.sessionId)!),
    ).expect(200);
    await deliver(fake.event('payment_intent.processing', paymentIntent)).expect(200);
    await t.queue.drain();
    let p = await payment(good.paymentId);
    expect(p).toMatchObject({
      status: 'processing',
      method: 'sepa_debit',
      feeCents: null,
      entryId: null,
    });
    expect((await membershipOf(p)).status).toBe('pending_payment');
    const checkout = await http()
      .get(`/api/v1/public/orgs/${owner.orgId}/checkout/${good.sessionId}`)
      .expect(200);
    expect(checkout.body.status).toBe('processing');

    const settled = fake.settleDebit(paymentIntent.id, 'succeeded', 35);
    await deliver(fake.event('checkout.session.async_payment_succeeded', settled.session!)).expect(
      200,
    );
    await t.queue.drain();
    p = await payment(good.paymentId);
    expect(p).toMatchObject({ status: 'succeeded', feeCents: 35, netCents: 2965 });
    expect(p.history.map((h) => h.status)).toEqual(['pending', 'processing', 'succeeded']);
    expect((await membershipOf(p)).status).toBe('active');

    const bad = await join({ method: 'sepa_debit' });
    const failing = fake.pay(bad.sessionId, { method: 'sepa_debit', created: unix() });
    await deliver(
      fake.event('checkout.session.completed', fake.sessions.get(bad.sessionId)!),
    ).expect(200);
    const failed = fake.settleDebit(failing.paymentIntent.id, 'failed');
    await deliver(fake.event('checkout.session.async_payment_failed', failed.session!)).expect(200);
    await deliver(fake.event('payment_intent.payment_failed', failed.paymentIntent)).expect(200);
    await t.queue.drain();
    p = await payment(bad.paymentId);
    expect(p.status).toBe('failed');
    expect(p.history.at(-1)).toMatchObject({
      status: 'failed',
      note: 'The account has insufficient funds.',
    });
    expect(p.entryId).toBeNull();
    expect((await membershipOf(p)).status).toBe('pending_payment');
    const email = await contactEmail(p.contactId!);
    const notice = await t.smtp.waitFor(
      (m) => m.to.includes(email) && m.subject.includes('n’a pas abouti'),
    );
    expect(notice.text).toContain('The account has insufficient funds.');
    expect(notice.text).toContain(`/espace-membre/${owner.orgId}`);
    await t.smtp.waitFor(
      (m) => m.to.includes(owner.email) && m.subject.startsWith('Paiement échoué'),
    );
  });

  it('gives the same final state for shuffled, duplicated and old-version deliveries', async () => {
    const joined = await join({ planId: freePlanId, tierCode: undefined, amount: '25,50' });
    const { paymentIntent } = fake.pay(joined.sessionId, {
      method: 'card',
      feeCents: 63,
      created: unix(),
    });
    // An old API version: the PaymentIntent carries none of our metadata.
    delete fake.paymentIntents.get(paymentIntent.id)!['metadata'];
    const session = fake.sessions.get(joined.sessionId)!;
    const events = [
      fake.event(
        'payment_intent.succeeded',
        { ...paymentIntent, metadata: undefined },
        { apiVersion: '2019-02-19' },
      ),
      fake.event(
        'payment_intent.processing',
        { ...paymentIntent, status: 'processing' },
        { apiVersion: '2019-02-19' },
      ),
      fake.event('checkout.session.completed', session),
      fake.event('charge.succeeded', fake.charges.get(paymentIntent['latest_charge'] as string)!),
      fake.event('customer.created', { id: 'cus_test_1', object: 'customer' }),
    ];
    const deliveries = [...events, ...events, events[0], events[2]].sort(() => Math.random() - 0.5);
    for (const e of deliveries) await deliver(e).expect(200);
    await t.queue.drain();
    const p = await payment(joined.paymentId);
    expect(p).toMatchObject({
      status: 'succeeded',
      amountCents: 2550,
      feeCents: 63,
      netCents: 2487,
    });
    expect(p.history.map((h) => h.status)).toEqual(['pending', 'succeeded']);
    expect(await entriesFrom(`stripe:${p.stripe!.chargeId}`)).toBe(1);
    expect((await membershipOf(p)).status).toBe('active');
    const states = await t.dataSource.query<{ type: string; state: string; n: number }[]>(
      `SELECT type, state, count(*)::int AS n FROM stripe_events WHERE organization_id = $1 GROUP BY type, state ORDER BY type`,
      [owner.orgId],
    );
    expect(states).toEqual([
      { type: 'charge.succeeded', state: 'ignored', n: 1 },
      { type: 'checkout.session.completed', state: 'processed', n: 1 },
      { type: 'customer.created', state: 'ignored', n: 1 },
      { type: 'payment_intent.processing', state: 'processed', n: 1 },
      { type: 'payment_intent.succeeded', state: 'processed', n: 1 },
    ]);
    // A person may run an ignored event again: it ends the same way.
    const retried = await owner
      .post(`${staff()}/stripe-events/${events[4]['id'] as string}/retry`, {})
      .expect(200);
    expect(retried.body.state).toBe('received');
    await t.queue.drain();
    const [{ state }] = await t.dataSource.query<{ state: string }[]>(
      'SELECT state FROM stripe_events WHERE organization_id = $1 AND id = $2',
      [owner.orgId, events[4]['id']],
    );
    expect(state).toBe('ignored');
    await owner.post(`${staff()}/stripe-events/${events[2]['id'] as string}/retry`, {}).expect(409);
  });

  it('lets a member pay a renewal online from the member space', async () => {
    const joined = await join();
    fake.pay(joined.sessionId, { created: unix() });
    await deliver(
      fake.event('checkout.session.completed', fake.sessions.get(joined.sessionId)!),
    ).expect(200);
    await t.queue.drain();
    const first = await payment(joined.paymentId);
    const email = await contactEmail(first.contactId!);

    await http()
      .post(`/api/v1/public/orgs/${owner.orgId}/member-space/login-link`)
      .send({ email })
      .expect(202);
    const link = await t.smtp.waitFor(
      (m) => m.to.includes(email) && /connexion\?token=/.test(m.text),
    );
    const token = /connexion\?token=([A-Za-z0-9_-]+)/.exec(link.text)![1];
    const session = await http()
      .post(`/api/v1/public/orgs/${owner.orgId}/member-space/session`)
      .send({ token })
      .expect(200);
    const cookie = ([] as string[])
      .concat(session.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    const csrf = session.body.csrfToken as string;
    expect(session.body.onlinePayment).toEqual({
      enabled: true,
      mode: 'test',
      methods: ['card', 'sepa_debit'],
    });

    const renewed = await http()
      .post('/api/v1/public/member-space/renew')
      .set('cookie', cookie)
      .set('x-csrf-token', csrf)
      .expect(200);
    const pending = (renewed.body.memberships as ContactMembershipView[]).find(
      (m) => m.status === 'pending_payment',
    )!;
    expect(pending).toMatchObject({ startDate: '2027-01-01', endDate: '2027-12-31' });
    await http()
      .post('/api/v1/public/member-space/pay')
      .set('cookie', cookie)
      .send({ membershipId: pending.id })
      .expect(403);
    const paid = await http()
      .post('/api/v1/public/member-space/pay')
      .set('cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({ membershipId: first.purposeId })
      .expect(409);
    expect(paid.body.code).toBe('memberships.not_payable');
    const stranger = await join();
    await http()
      .post('/api/v1/public/member-space/pay')
      .set('cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({ membershipId: (await payment(stranger.paymentId)).purposeId })
      .expect(404);

    const res = await http()
      .post('/api/v1/public/member-space/pay')
      .set('cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({ membershipId: pending.id, method: 'card' })
      .expect(201);
    const checkout = fake.sessionFor(res.body.paymentId as string)!;
    expect(res.body.checkoutUrl).toBe(checkout['url']);
    expect(checkout['amount_total']).toBe(3000);
    fake.pay(checkout.id, { created: unix() });
    await deliver(fake.event('checkout.session.completed', fake.sessions.get(checkout.id)!)).expect(
      200,
    );
    await t.queue.drain();
    const renewal = await payment(res.body.paymentId as string);
    expect(renewal).toMatchObject({ status: 'succeeded', purposeId: pending.id });
    expect((await membershipOf(renewal)).status).toBe('upcoming');
  });

  it("replays from Stripe's event list the events that never arrived", async () => {
    const joined = await join();
    fake.pay(joined.sessionId, { feeCents: 45, created: unix() });
    // Stripe sent it, the endpoint never got it (an outage longer than Stripe's retries).
    fake.event('checkout.session.completed', fake.sessions.get(joined.sessionId)!);
    const coordinator = await addUser(t, owner, 'coordinator');
    await coordinator.post(`${staff()}/stripe-events/catch-up`, {}).expect(403);
    const first = await owner.post(`${staff()}/stripe-events/catch-up`, {}).expect(200);
    expect(first.body.replayed).toBe(1);
    await t.queue.drain();
    expect(await payment(joined.paymentId)).toMatchObject({ status: 'succeeded', feeCents: 45 });
    const again = await owner.post(`${staff()}/stripe-events/catch-up`, {}).expect(200);
    expect(again.body.replayed).toBe(0);
    const events = (await owner.get(`${staff()}/stripe-events`).expect(200))
      .body as Page<StripeEventView>;
    expect(events.items.map((e) => [e.type, e.state])).toEqual([
      ['checkout.session.completed', 'processed'],
    ]);
  });

  it('keeps an event while Stripe cannot be reached and records it once Stripe answers again', async () => {
    const joined = await join();
    fake.pay(joined.sessionId, { feeCents: 70, created: unix() });
    const event = fake.event('checkout.session.completed', fake.sessions.get(joined.sessionId)!);
    fake.failWith = 500;
    try {
      await deliver(event).expect(200);
      const deadline = Date.now() + 15_000;
      let row: { state: string; attempts: number; error: string | null } | undefined;
      while (Date.now() < deadline) {
        [row] = await t.dataSource.query(
          'SELECT state, attempts, error FROM stripe_events WHERE organization_id = $1 AND id = $2',
          [owner.orgId, event['id']],
        );
        if (row && row.attempts >= 1) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(row).toMatchObject({ state: 'received' });
      expect(row!.error).toMatch(/Stripe/);
      expect((await payment(joined.paymentId)).status).toBe('pending');
    } finally {
      fake.failWith = null;
    }
    await t.queue.drain(30_000);
    const p = await payment(joined.paymentId);
    expect(p).toMatchObject({ status: 'succeeded', feeCents: 70 });
    expect(await entriesFrom(`stripe:${p.stripe!.chargeId}`)).toBe(1);
  });

  it('refuses bad signatures, stale timestamps, malformed payloads and unknown organizations, storing nothing', async () => {
    const joined = await join();
    fake.pay(joined.sessionId, { created: unix() });
    const event = fake.event('checkout.session.completed', fake.sessions.get(joined.sessionId)!);
    const count = async () =>
      (
        await t.dataSource.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM stripe_events WHERE organization_id = $1',
          [owner.orgId],
        )
      )[0].n;

    const wrongSecret = await deliver(event, { secret: 'whsec_notthesecretatall' }).expect(400);
    expect(wrongSecret.body.errors[0]).toMatchObject({
      field: 'stripe-signature',
      code: 'payments.webhook_signature_invalid',
    });
    const stale = await deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 600 }).expect(
      400,
    );
    expect(stale.body.errors[0].message).toMatch(/too old/);
    await http()
      .post(`/api/v1/webhooks/stripe/${owner.orgId}`)
      .set('content-type', 'application/json')
      .send(JSON.stringify(event))
      .expect(400);
    const tampered = FakeStripe.sign(event, secret);
    await http()
      .post(`/api/v1/webhooks/stripe/${owner.orgId}`)
      .set('content-type', 'application/json')
      .set('stripe-signature', tampered.signature)
      .send(tampered.body.replace('"livemode":false', '"livemode":true'))
      .expect(400);
    const notJson = '{"id": "evt_1", ';
    const signedGarbage = FakeStripe.sign({}, secret);
    await http()
      .post(`/api/v1/webhooks/stripe/${owner.orgId}`)
      .set('content-type', 'application/json')
      .set('stripe-signature', signedGarbage.signature)
      .send(notJson)
      .expect(400);
    const notAnEvent = await deliver({ hello: 'world' }).expect(400);
    expect(notAnEvent.body.errors[0]).toMatchObject({
      field: 'id',
      code: 'payments.webhook_payload_invalid',
    });
    await deliver(event, { orgId: '00000000-0000-4000-8000-000000000000' }).expect(404);
    await deliver(event, { orgId: 'not-an-org' }).expect(404);
    // Shaped like an id but not one: still a clear 404, never a database error.
    await deliver(event, { orgId: '-'.repeat(36) }).expect(404);
    await http()
      .get(`/api/v1/public/orgs/${'-'.repeat(36)}/join`)
      .expect(404);
    const unconnected = await signupOrganization(t, 'Sans Stripe');
    const res = await deliver(event, { orgId: unconnected.orgId }).expect(404);
    expect(res.body.code).toBe('payments.stripe_not_connected');
    expect(await count()).toBe(0);

    // Another organization's secret does not open this organization's endpoint, and its staff see nothing here.
    const other = await signupOrganization(t, 'Voisins');
    const otherSecret = `whsec_${randomBytes(20).toString('hex')}`;
    await other
      .put(`/api/v1/orgs/${other.orgId}/settings/stripe`, {
        secretKey: `sk_test_${randomBytes(16).toString('hex')}`,
        webhookSecret: otherSecret,
      })
      .expect(200);
    await deliver(event, { secret: otherSecret }).expect(400);
    await deliver(event, { secret: otherSecret, orgId: other.orgId }).expect(200);
    await t.queue.drain();
    expect(await count()).toBe(0);
    const [{ state }] = await t.dataSource.query<{ state: string }[]>(
      'SELECT state FROM stripe_events WHERE organization_id = $1 AND id = $2',
      [other.orgId, event['id']],
    );
    expect(state).toBe('ignored');
    expect((await payment(joined.paymentId)).status).toBe('pending');
    await other.get(`/api/v1/orgs/${other.orgId}/payments/${joined.paymentId}`).expect(404);
    await other.get(`${staff()}/payments`).expect(404);
    const otherList = (await other.get(`/api/v1/orgs/${other.orgId}/payments`).expect(200))
      .body as Page<PaymentView>;
    expect(otherList.total).toBe(0);
  });
});
