import request from 'supertest';
import { randomBytes } from 'node:crypto';
import type { ContactMembershipView, JoinResultView, Page, PaymentView } from '@ruche/contracts';
import { LocalDate } from '@ruche/core';
import { FakeStripe, signupOrganization, type TestApp } from '@ruche/testing';
import { createTestApi } from '../testing';
import { connectStripe, deliver, entryFrom, type StripeOrg } from './stripe.test-support';

/** Memberships renewed automatically by a Stripe subscription, yearly or in monthly instalments. */
describe('Stripe subscriptions: automatic renewal', () => {
  let t: TestApp;
  let fake: FakeStripe;
  let org: StripeOrg;
  const unix = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    fake = await new FakeStripe().start();
    t = await createTestApi({ env: { STRIPE_API_BASE: fake.url } });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });
  beforeEach(async () => {
    org = await connectStripe(await signupOrganization(t, 'Chorale du quartier'));
  });

  async function plan(subscription: 'none' | 'yearly' | 'monthly', amount = '36'): Promise<string> {
    const res = await org.owner
      .post(`${org.staff}/membership-plans`, {
        name: `Formule ${subscription}`,
        pricingKind: 'fixed',
        tiers: [{ code: 'std', label: 'Standard', amount }],
        ...(subscription === 'monthly'
          ? { validityKind: 'rolling_months', validityMonths: 12 }
          : { validityKind: 'calendar_year' }),
        subscription,
      })
      .expect(201);
    expect(res.body.subscription).toBe(subscription);
    return res.body.id as string;
  }

  async function join(planId: string, email = `ana.${randomBytes(4).toString('hex')}@example.org`) {
    const res = await request(t.app.getHttpServer())
      .post(`/api/v1/public/orgs/${org.owner.orgId}/join`)
      .send({
        planId,
        firstName: 'Ana',
        lastName: 'Lopez',
        email,
        acceptTerms: true,
        autoRenew: true,
      })
      .expect(201);
    const joined = res.body as JoinResultView;
    return { ...joined, session: fake.sessionFor(joined.paymentId)!, email };
  }

  const payments = async (contactId: string) =>
    (
      (await org.owner.get(`${org.staff}/payments?contactId=${contactId}`).expect(200))
        .body as Page<PaymentView>
    ).items;
  const memberships = async (contactId: string) =>
    (
      (await org.owner.get(`${org.staff}/memberships?contactId=${contactId}`).expect(200))
        .body as Page<ContactMembershipView>
    ).items.sort((a, b) => a.startDate.localeCompare(b.startDate));

  it('refuses automatic renewal on a plan that does not offer it, and a subscription on a lifetime plan', async () => {
    const planId = await plan('none');
    const res = await request(t.app.getHttpServer())
      .post(`/api/v1/public/orgs/${org.owner.orgId}/join`)
      .send({
        planId,
        firstName: 'Ana',
        lastName: 'Lopez',
        email: 'ana@example.org',
        acceptTerms: true,
        autoRenew: true,
      })
      .expect(422);
    expect(res.body.errors[0]).toMatchObject({
      field: 'autoRenew',
      code: 'memberships.no_auto_renewal',
    });
    const lifetime = await org.owner
      .post(`${org.staff}/membership-plans`, {
        name: 'À vie',
        pricingKind: 'fixed',
        tiers: [{ code: 'std', label: 'Standard', amount: '100' }],
        validityKind: 'lifetime',
        subscription: 'yearly',
      })
      .expect(400);
    expect(lifetime.body.errors[0].field).toBe('subscription');
    // Twelve instalments pay twelve months from the join: not a calendar-year membership.
    const calendarMonthly = await org.owner
      .post(`${org.staff}/membership-plans`, {
        name: 'Année civile en mensualités',
        pricingKind: 'fixed',
        tiers: [{ code: 'std', label: 'Standard', amount: '120' }],
        validityKind: 'calendar_year',
        subscription: 'monthly',
      })
      .expect(400);
    expect(calendarMonthly.body.errors[0]).toMatchObject({
      field: 'subscription',
      message: 'Monthly instalments need a 12-month rolling plan',
    });
  });

  it('renews a yearly membership when Stripe bills again, whatever the order of the events, and tells the member when a renewal fails', async () => {
    const planId = await plan('yearly');
    const joined = await join(planId);
    const create = fake.requests.find(
      (r) =>
        r.path === '/v1/checkout/sessions' &&
        r.form.get('client_reference_id') === joined.paymentId,
    )!;
    expect(create.form.get('mode')).toBe('subscription');
    expect(create.form.get('line_items[0][price_data][recurring][interval]')).toBe('year');
    expect(create.form.get('subscription_data[metadata][purposeRef]')).toBe(planId);

    fake.pay(joined.session.id, { feeCents: 79, created: unix() });
    const session = fake.sessions.get(joined.session.id)!;
    const subscriptionId = session['subscription'] as string;
    const firstInvoice = fake.invoices.get(session['invoice'] as string)!;
    // The invoice arrives before the Checkout; both twice.
    const events = [
      fake.event('invoice.paid', firstInvoice),
      fake.event('customer.subscription.created', fake.subscriptions.get(subscriptionId)!),
      fake.event('checkout.session.completed', session),
    ];
    for (const e of [...events, ...events]) await deliver(t, org, e).expect(200);
    await t.queue.drain();
    const first = (await org.owner.get(`${org.staff}/payments/${joined.paymentId}`).expect(200))
      .body as PaymentView;
    expect(first).toMatchObject({ status: 'succeeded', amountCents: 3600, feeCents: 79 });
    const contactId = first.contactId!;
    expect((await memberships(contactId)).map((m) => m.status)).toEqual(['active']);
    const [sub] = await t.dataSource.query<
      { status: string; interval: string; purpose_ref: string; contact_id: string }[]
    >(
      'SELECT status, interval, purpose_ref, contact_id FROM payment_subscriptions WHERE organization_id = $1',
      [org.owner.orgId],
    );
    expect(sub).toEqual({
      status: 'active',
      interval: 'year',
      purpose_ref: planId,
      contact_id: contactId,
    });

    // A year later Stripe bills again: a payment, and the renewal it pays.
    const renewal = fake.renewSubscription(subscriptionId, { created: unix(), feeCents: 79 });
    await deliver(t, org, fake.event('invoice.paid', renewal.invoice)).expect(200);
    await deliver(t, org, fake.event('invoice.payment_succeeded', renewal.invoice)).expect(200);
    await t.queue.drain();
    const afterRenewal = await payments(contactId);
    expect(afterRenewal.map((p) => p.status)).toEqual(['succeeded', 'succeeded']);
    const renewed = await memberships(contactId);
    expect(renewed).toHaveLength(2);
    expect(renewed[1]).toMatchObject({
      renewedFromId: renewed[0].id,
      source: 'subscription',
      paymentMethod: 'card',
    });
    expect(renewed[1].paidOn).not.toBeNull();
    const renewalPayment = afterRenewal.find((p) => p.id !== joined.paymentId)!;
    expect(renewalPayment.purposeId).toBe(renewed[1].id);
    expect(
      (await entryFrom(t, org.owner.orgId, `stripe:${renewalPayment.stripe!.chargeId}`))?.lines,
    ).toEqual([
      { account: '51151', debit: 3521, credit: 0 },
      { account: '627', debit: 79, credit: 0 },
      { account: '7561', debit: 0, credit: 3600 },
    ]);

    // The next year the card is refused: the renewal waits for payment, the member is told.
    const refused = fake.renewSubscription(subscriptionId, { created: unix(), outcome: 'failed' });
    await deliver(t, org, fake.event('invoice.payment_failed', refused.invoice)).expect(200);
    await deliver(
      t,
      org,
      fake.event('customer.subscription.updated', fake.subscriptions.get(subscriptionId)!),
    ).expect(200);
    await t.queue.drain();
    const third = await memberships(contactId);
    expect(third.map((m) => m.status)).toEqual([
      'active',
      expect.stringMatching(/upcoming|active/),
      'pending_payment',
    ]);
    expect((await payments(contactId)).filter((p) => p.status === 'failed')).toHaveLength(1);
    const notice = await t.smtp.waitFor(
      (m) => m.to.includes(joined.email) && m.subject.includes('n’a pas abouti'),
    );
    expect(notice.text).toContain('Your card was declined.');
    const [{ status }] = await t.dataSource.query<{ status: string }[]>(
      'SELECT status FROM payment_subscriptions WHERE organization_id = $1',
      [org.owner.orgId],
    );
    expect(status).toBe('past_due');
  });

  it('pays a membership in twelve monthly instalments: each invoice is a payment of the same membership', async () => {
    const planId = await plan('monthly', '120');
    const joined = await join(planId);
    expect(
      fake.requests
        .find((r) => r.form.get('client_reference_id') === joined.paymentId)
        ?.form.get('line_items[0][price_data][unit_amount]'),
    ).toBe('1000');
    fake.pay(joined.session.id, { feeCents: 40, created: unix() });
    await deliver(
      t,
      org,
      fake.event('checkout.session.completed', fake.sessions.get(joined.session.id)!),
    ).expect(200);
    await t.queue.drain();
    const first = (await org.owner.get(`${org.staff}/payments/${joined.paymentId}`).expect(200))
      .body as PaymentView;
    expect(first).toMatchObject({ status: 'succeeded', amountCents: 1000 });
    const second = fake.renewSubscription(
      fake.sessions.get(joined.session.id)!['subscription'] as string,
      { created: unix(), feeCents: 40 },
    );
    await deliver(t, org, fake.event('invoice.paid', second.invoice)).expect(200);
    await t.queue.drain();
    const all = await payments(first.contactId!);
    expect(all.map((p) => [p.status, p.amountCents, p.purposeId])).toEqual([
      ['succeeded', 1000, first.purposeId],
      ['succeeded', 1000, first.purposeId],
    ]);
    expect(await memberships(first.contactId!)).toHaveLength(1);
    expect((await memberships(first.contactId!))[0].amountCents).toBe(12_000);
  });

  it('declares each instalment of a receipt-eligible plan as a gift of its own, and a refunded instalment withdraws only its own', async () => {
    const planId = (
      await org.owner
        .post(`${org.staff}/membership-plans`, {
          name: 'Membre bienfaiteur mensuel',
          pricingKind: 'fixed',
          tiers: [{ code: 'std', label: 'Standard', amount: '120' }],
          validityKind: 'rolling_months',
          validityMonths: 12,
          subscription: 'monthly',
          receiptEligible: true,
        })
        .expect(201)
    ).body.id as string;
    const joined = await join(planId);
    fake.pay(joined.session.id, { feeCents: 40, created: unix() });
    await deliver(
      t,
      org,
      fake.event('checkout.session.completed', fake.sessions.get(joined.session.id)!),
    ).expect(200);
    // The first instalment is paid (and processed) a month before the next ones.
    await t.queue.drain();
    const subscriptionId = fake.sessions.get(joined.session.id)!['subscription'] as string;
    const later = [1, 2].map(() =>
      fake.renewSubscription(subscriptionId, { created: unix(), feeCents: 40 }),
    );
    for (const instalment of later) {
      const event = fake.event('invoice.paid', instalment.invoice);
      // Stripe may deliver an event twice: still one gift per instalment.
      await deliver(t, org, event).expect(200);
      await deliver(t, org, event).expect(200);
    }
    await t.queue.drain();
    const first = (await org.owner.get(`${org.staff}/payments/${joined.paymentId}`).expect(200))
      .body as PaymentView;
    const contactId = first.contactId!;
    const gifts = async () =>
      (
        (
          await org.owner
            .get(`${org.staff}/receipts/gifts?state=all&contactId=${contactId}`)
            .expect(200)
        ).body as Page<{ sourceId: string; amountCents: number; withdrawnCents: number }>
      ).items;
    const all = await payments(contactId);
    expect(all).toHaveLength(3);
    const declared = await gifts();
    expect(declared.map((g) => g.amountCents)).toEqual([1000, 1000, 1000]);
    expect(declared.reduce((sum, g) => sum + g.amountCents, 0)).toBe(
      all.reduce((sum, p) => sum + p.amountCents, 0),
    );
    // The first instalment paid the membership; the others are gifts of their own payment.
    const others = all.filter((p) => p.id !== first.id).map((p) => p.id);
    expect(declared.map((g) => g.sourceId).sort()).toEqual([first.purposeId, ...others].sort());

    // The second instalment is given back in full: its gift only, and the membership goes on.
    const second = later[0];
    fake.refund(second.charge['id']);
    await deliver(
      t,
      org,
      fake.event('charge.refunded', fake.charges.get(second.charge['id'])!),
    ).expect(200);
    await t.queue.drain();
    const refundedId = all.find((p) => p.stripe?.chargeId === second.charge['id'])!.id;
    const after = await gifts();
    expect(
      after.map((g) => [g.sourceId === refundedId, g.amountCents, g.withdrawnCents]).sort(),
    ).toEqual(
      [
        [false, 1000, 0],
        [false, 1000, 0],
        [true, 1000, 1000],
      ].sort(),
    );
    const [membership] = await memberships(contactId);
    expect(membership).toMatchObject({ id: first.purposeId, status: 'active' });
  });

  it('bills a 100 € plan in twelve instalments of 8,33 €: the membership is worth the 99,96 € they add up to, and so is the next year', async () => {
    // Twelve months from the join: the twelve instalments of a year pay one membership.
    const planId = (
      await org.owner
        .post(`${org.staff}/membership-plans`, {
          name: 'Formule mensuelle',
          pricingKind: 'fixed',
          tiers: [{ code: 'std', label: 'Standard', amount: '100' }],
          validityKind: 'rolling_months',
          validityMonths: 12,
          subscription: 'monthly',
        })
        .expect(201)
    ).body.id as string;
    const joined = await join(planId);
    // Checkout bills the instalment, rounded down: never more than the plan's price in a year.
    const create = fake.requests.find(
      (r) => r.form.get('client_reference_id') === joined.paymentId,
    )!;
    expect(create.form.get('line_items[0][price_data][unit_amount]')).toBe('833');
    expect(create.form.get('line_items[0][price_data][recurring][interval]')).toBe('month');
    fake.pay(joined.session.id, { feeCents: 30, created: unix() });
    await deliver(
      t,
      org,
      fake.event('checkout.session.completed', fake.sessions.get(joined.session.id)!),
    ).expect(200);
    await t.queue.drain();
    const first = (await org.owner.get(`${org.staff}/payments/${joined.paymentId}`).expect(200))
      .body as PaymentView;
    expect(first).toMatchObject({ status: 'succeeded', amountCents: 833 });
    const contactId = first.contactId!;
    const [membership] = await memberships(contactId);
    expect(membership).toMatchObject({
      id: first.purposeId,
      amountCents: 9996,
      status: 'active',
      source: 'online',
    });

    // Stripe bills on the same day of each following month (noon UTC: the same day in Paris).
    const [year, month, day] = membership.startDate.split('-').map(Number);
    const monthsLater = (n: number) => Math.floor(Date.UTC(year, month - 1 + n, day, 12) / 1000);
    const subscriptionId = fake.sessions.get(joined.session.id)!['subscription'] as string;
    for (let n = 1; n < 12; n++) {
      const instalment = fake.renewSubscription(subscriptionId, {
        created: monthsLater(n),
        feeCents: 30,
      });
      await deliver(t, org, fake.event('invoice.paid', instalment.invoice)).expect(200);
    }
    await t.queue.drain();
    const year1 = await payments(contactId);
    expect(year1).toHaveLength(12);
    expect(year1.every((p) => p.status === 'succeeded' && p.purposeId === membership.id)).toBe(
      true,
    );
    expect(year1.map((p) => p.amountCents)).toEqual(Array(12).fill(833));
    expect(year1.reduce((sum, p) => sum + p.amountCents, 0)).toBe(membership.amountCents);
    expect(await memberships(contactId)).toHaveLength(1);

    // The 13th invoice is the first of the next year: a renewal, worth twelve instalments too.
    const nextStart = LocalDate.parse(membership.endDate!).plusDays(1);
    const thirteenth = fake.renewSubscription(subscriptionId, {
      created: Math.floor(Date.UTC(nextStart.year, nextStart.month - 1, nextStart.day, 12) / 1000),
      feeCents: 30,
    });
    await deliver(t, org, fake.event('invoice.paid', thirteenth.invoice)).expect(200);
    await t.queue.drain();
    const both = await memberships(contactId);
    expect(both).toHaveLength(2);
    expect(both[1]).toMatchObject({
      renewedFromId: membership.id,
      source: 'subscription',
      startDate: nextStart.toString(),
      amountCents: 9996,
    });
    expect(both[1].paidOn).not.toBeNull();
    const year2 = (await payments(contactId)).filter((p) => p.purposeId === both[1].id);
    expect(year2.map((p) => [p.status, p.amountCents])).toEqual([['succeeded', 833]]);
  });
});
