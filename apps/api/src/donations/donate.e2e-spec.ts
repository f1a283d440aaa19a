import request from 'supertest';
import type {
  CampaignView,
  DonationView,
  JoinResultView,
  Page,
  PaymentView,
  PublicDonationFormView,
  ReceiptView,
} from '@ruche/contracts';
import { FakeStripe, pdfText, signupOrganization, type TestApp } from '@ruche/testing';
import { createTestApi } from '../testing';
import {
  connectStripe,
  deliver,
  entryLines,
  type StripeOrg,
} from '../payments/stripe.test-support';
import { paymentIntentOfInvoice } from '@ruche/payments';
import { makeReceiptsReady } from './receipts.test-support';

/** The public donation page: a gift through Stripe Checkout, its entry, its receipt by email. */
describe('online donations', () => {
  let t: TestApp;
  let fake: FakeStripe;
  let org: StripeOrg;
  const unix = () => Math.floor(Date.now() / 1000);
  const http = () => request(t.app.getHttpServer());
  const page = () => `/api/v1/public/orgs/${org.owner.orgId}/donate`;
  const donor = {
    firstName: 'Hélène',
    lastName: 'Rivière',
    addressLine1: '7 rue Mercière',
    postalCode: '69002',
    city: 'Lyon',
  };

  beforeAll(async () => {
    fake = await new FakeStripe().start();
    t = await createTestApi({ env: { STRIPE_API_BASE: fake.url } });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });
  beforeEach(async () => {
    org = await connectStripe(await signupOrganization(t, 'Refuge des Monts'));
    await makeReceiptsReady(org.owner);
  });

  async function campaign(body: Record<string, unknown> = {}): Promise<CampaignView> {
    return (
      await org.owner
        .post(`${org.staff}/donation-campaigns`, {
          name: 'Nouveau chenil',
          description: 'Vingt boxes chauffés',
          goal: '5000',
          suggestedAmounts: [3000, 6000],
          analytic: 'CHENIL',
          ...body,
        })
        .expect(201)
    ).body as CampaignView;
  }

  it('shows the page with the campaign, its progress and the tax rates, and refuses bad gifts with field errors', async () => {
    const c = await campaign();
    const form = (await http().get(`${page()}?campaign=${c.id}`).expect(200))
      .body as PublicDonationFormView;
    expect(form).toMatchObject({
      onlinePayment: true,
      receipts: true,
      campaign: { id: c.id, name: 'Nouveau chenil', goalCents: 500000, raisedCents: 0 },
      suggestedAmounts: [3000, 6000],
      rates: { individualRateBp: 6600, companyRateBp: 6000 },
    });
    const noAddress = await http()
      .post(page())
      .send({
        amount: '50',
        firstName: 'A',
        lastName: 'B',
        email: 'ab@example.org',
        wantsReceipt: true,
      })
      .expect(400);
    expect(noAddress.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'addressLine1',
      'city',
      'postalCode',
    ]);
    const tiny = await http()
      .post(page())
      .send({ ...donor, amount: '1', email: 'tiny@example.org' })
      .expect(422);
    expect(tiny.body.errors[0].field).toBe('amount');
    await http().get(`/api/v1/public/orgs/not-an-id/donate`).expect(404);
  });

  it('records a card gift once whatever the event order, posts it with the campaign section, and emails the receipt', async () => {
    const c = await campaign();
    const email = `helene.${Date.now()}@example.org`;
    const started = (
      await http()
        .post(page())
        .send({ ...donor, email, amount: '100', campaignId: c.id, method: 'card' })
        .expect(201)
    ).body as JoinResultView;
    const session = fake.sessionFor(started.paymentId)!;
    fake.pay(session.id, { method: 'card', feeCents: 165, created: unix() });
    const completed = fake.event('checkout.session.completed', fake.sessions.get(session.id)!);
    for (const e of [completed, completed]) await deliver(t, org, e).expect(200);
    await t.queue.drain();

    const payment = (await org.owner.get(`${org.staff}/payments/${started.paymentId}`).expect(200))
      .body as PaymentView;
    expect(payment).toMatchObject({
      status: 'succeeded',
      purpose: 'donation',
      amountCents: 10000,
      feeCents: 165,
    });
    const [donation] = (
      (await org.owner.get(`${org.staff}/donations?campaignId=${c.id}`).expect(200))
        .body as Page<DonationView>
    ).items;
    expect(donation).toMatchObject({
      status: 'paid',
      source: 'online',
      amountCents: 10000,
      method: 'card',
      donorName: 'Hélène Rivière',
    });
    const lines = await entryLines(t, org.owner.orgId, payment.entryId!);
    expect(lines).toEqual(
      expect.arrayContaining([
        { account: '75411', debit: 0, credit: 10000 },
        { account: '627', debit: 165, credit: 0 },
      ]),
    );
    const [{ analytic }] = await t.dataSource.query<{ analytic: string }[]>(
      `SELECT DISTINCT analytic FROM journal_entry_lines WHERE organization_id = $1 AND entry_id = $2 AND credit_cents > 0`,
      [org.owner.orgId, payment.entryId],
    );
    expect(analytic).toBe('CHENIL');

    const receipts = (
      (await org.owner.get(`${org.staff}/receipts?contactId=${donation.contactId}`).expect(200))
        .body as Page<ReceiptView>
    ).items;
    expect(receipts).toHaveLength(1);
    expect(receipts[0].lines[0]).toMatchObject({
      method: 'transfer_card_debit',
      amountCents: 10000,
    });
    const mail = await t.smtp.waitFor(
      (m) => m.to.includes(email) && m.subject.includes(receipts[0].reference),
    );
    const { text } = await pdfText(mail.attachments[0].content);
    expect(text.replace(/\s+/g, ' ')).toContain('☒ Virement, prélèvement, carte bancaire');
    expect(text).toContain('cent euros');
    const progress = (await org.owner.get(`${org.staff}/donation-campaigns/${c.id}`).expect(200))
      .body as CampaignView;
    expect(progress).toMatchObject({ raisedCents: 10000, donationCount: 1 });

    // Refunded at Stripe: the receipt is cancelled.
    await org.owner
      .post(`${org.staff}/payments/${payment.id}/refunds`, { reason: 'Erreur de montant' })
      .expect(201);
    await t.queue.drain();
    const after = (await org.owner.get(`${org.staff}/receipts/${receipts[0].id}`).expect(200))
      .body as ReceiptView;
    expect(after.status).toBe('cancelled');
    expect(
      (await org.owner.get(`${org.staff}/donations/${donation.id}`).expect(200)).body.status,
    ).toBe('refunded');
  });

  it('takes a monthly gift by subscription: one donation per instalment, and one annual receipt for the year', async () => {
    const email = `mensuel.${Date.now()}@example.org`;
    const started = (
      await http()
        .post(page())
        .send({ ...donor, email, amount: '15', frequency: 'monthly', method: 'sepa_debit' })
        .expect(201)
    ).body as JoinResultView;
    const create = fake.requests.find(
      (r) =>
        r.path === '/v1/checkout/sessions' &&
        r.form.get('client_reference_id') === started.paymentId,
    )!;
    expect(create.form.get('mode')).toBe('subscription');
    expect(create.form.get('line_items[0][price_data][recurring][interval]')).toBe('month');
    const session = fake.sessionFor(started.paymentId)!;
    fake.pay(session.id, { feeCents: 35, created: unix() });
    const paid = fake.sessions.get(session.id)!;
    const subscriptionId = paid['subscription'] as string;
    await deliver(
      t,
      org,
      fake.event('invoice.paid', fake.invoices.get(paid['invoice'] as string)!),
    ).expect(200);
    await deliver(t, org, fake.event('checkout.session.completed', paid)).expect(200);
    await t.queue.drain();
    // A SEPA debit takes days: the gift waits, then the money arrives.
    const pending = (
      (await org.owner.get(`${org.staff}/donations`).expect(200)).body as Page<DonationView>
    ).items;
    expect(pending.map((d) => d.status)).toEqual(['pending']);
    const firstPi = paymentIntentOfInvoice(fake.invoices.get(paid['invoice'] as string)!)!;
    const settled = fake.settleDebit(firstPi, 'succeeded', 35);
    await deliver(t, org, fake.event('payment_intent.succeeded', settled.paymentIntent)).expect(
      200,
    );
    const renewal = fake.renewSubscription(subscriptionId, { created: unix(), feeCents: 35 });
    await deliver(t, org, fake.event('invoice.paid', renewal.invoice)).expect(200);
    await t.queue.drain();

    const donations = (
      (await org.owner.get(`${org.staff}/donations?status=paid`).expect(200))
        .body as Page<DonationView>
    ).items;
    expect(donations).toHaveLength(2);
    expect(donations.every((d) => d.frequency === 'monthly' && d.amountCents === 1500)).toBe(true);
    // Monthly donors get the annual summary (the organization's default): nothing issued yet.
    const contactId = donations[0].contactId;
    expect(
      (
        (await org.owner.get(`${org.staff}/receipts?contactId=${contactId}`).expect(200))
          .body as Page<ReceiptView>
      ).total,
    ).toBe(0);
    const year = new Date().getFullYear();
    await org.owner.post(`${org.staff}/receipts/annual`, { year }).expect(202);
    await t.queue.drain();
    const [annual] = (
      (await org.owner.get(`${org.staff}/receipts?contactId=${contactId}`).expect(200))
        .body as Page<ReceiptView>
    ).items;
    expect(annual).toMatchObject({ kind: 'annual', amountCents: 3000 });
    expect(annual.lines).toHaveLength(2);

    // The donor finds it in the member space.
    await http()
      .post(`/api/v1/public/orgs/${org.owner.orgId}/member-space/login-link`)
      .send({ email })
      .expect(202);
    const link = await t.smtp.waitFor(
      (m) => m.to.includes(email) && /connexion\?token=/.test(m.text),
    );
    const token = /connexion\?token=([A-Za-z0-9_-]+)/.exec(link.text)![1];
    const login = await http()
      .post(`/api/v1/public/orgs/${org.owner.orgId}/member-space/session`)
      .send({ token })
      .expect(200);
    const cookie = ([] as string[])
      .concat(login.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    const mine = (
      await http().get('/api/v1/public/member-space/receipts').set('cookie', cookie).expect(200)
    ).body as ReceiptView[];
    expect(mine.map((r) => r.reference)).toEqual([annual.reference]);
    const pdf = await http()
      .get(`/api/v1/public/member-space/receipts/${annual.id}/pdf`)
      .set('cookie', cookie)
      .expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const other = (await org.owner.get(`${org.staff}/receipts`).expect(200))
      .body as Page<ReceiptView>;
    expect(other.total).toBe(1);
  });
});
