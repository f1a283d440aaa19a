import type { ContactMembershipView, Page, PaymentView, PayoutView } from '@ruche/contracts';
import { FakeStripe, addUser, signupOrganization, type TestApp } from '@ruche/testing';
import { createTestApi } from '../testing';
import {
  balanceOf,
  connectStripe,
  deliver,
  entryFrom,
  joinAndPay,
  type StripeOrg,
} from './stripe.test-support';

/** After the money arrived: refunds, disputes and payouts, each posted once from Stripe's facts. */
describe('Stripe settlements: refunds, disputes, payouts', () => {
  let t: TestApp;
  let fake: FakeStripe;
  let org: StripeOrg;

  beforeAll(async () => {
    fake = await new FakeStripe().start();
    t = await createTestApi({ env: { STRIPE_API_BASE: fake.url } });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });
  beforeEach(async () => {
    org = await connectStripe(await signupOrganization(t, 'Club de lecture'));
  });

  const get = async (id: string) =>
    (await org.owner.get(`${org.staff}/payments/${id}`).expect(200)).body as PaymentView;

  it('refunds part then the rest from the admin, posts each reversal once, and ends the membership', async () => {
    const paid = await joinAndPay(t, fake, org);
    expect(paid).toMatchObject({ status: 'succeeded', amountCents: 3000, refundableCents: 3000 });

    const coordinator = await addUser(t, org.owner, 'coordinator');
    await coordinator
      .post(`${org.staff}/payments/${paid.id}/refunds`, { amount: '10', reason: 'Erreur' })
      .expect(403);
    const noReason = await org.owner
      .post(`${org.staff}/payments/${paid.id}/refunds`, { amount: '10' })
      .expect(400);
    expect(noReason.body.errors[0].field).toBe('reason');

    const partial = (
      await org.owner
        .post(`${org.staff}/payments/${paid.id}/refunds`, {
          amount: '10',
          reason: 'Tarif réduit oublié',
        })
        .expect(201)
    ).body as PaymentView;
    expect(partial).toMatchObject({
      status: 'partially_refunded',
      refundedCents: 1000,
      refundableCents: 2000,
    });
    expect(partial.refunds).toEqual([
      expect.objectContaining({
        amountCents: 1000,
        status: 'succeeded',
        reason: 'Tarif réduit oublié',
      }),
    ]);
    const refundId = partial.refunds[0].id;
    const call = fake.requests.find(
      (r) =>
        r.method === 'POST' &&
        r.path === '/v1/refunds' &&
        r.form.get('metadata[refundId]') === refundId,
    );
    expect(call?.idempotencyKey).toBe(`refund:${refundId}`);
    const stripeRefundId = partial.refunds[0].stripeRefundId!;
    expect((await entryFrom(t, org.owner.orgId, `stripe:${stripeRefundId}`))?.lines).toEqual([
      { account: '7561', debit: 1000, credit: 0 },
      { account: '51151', debit: 0, credit: 1000 },
    ]);

    const tooMuch = await org.owner
      .post(`${org.staff}/payments/${paid.id}/refunds`, { amount: '25', reason: 'Trop' })
      .expect(422);
    expect(tooMuch.body.errors[0]).toMatchObject({
      field: 'amount',
      code: 'payments.refund_too_large',
    });

    // Stripe's own notification of the same refund changes nothing.
    await deliver(
      t,
      org,
      fake.event('charge.refunded', fake.charges.get(paid.stripe!.chargeId!)!),
    ).expect(200);
    await t.queue.drain();
    expect((await get(paid.id)).refunds).toHaveLength(1);

    const full = (
      await org.owner
        .post(`${org.staff}/payments/${paid.id}/refunds`, { reason: 'Départ du club' })
        .expect(201)
    ).body as PaymentView;
    expect(full).toMatchObject({ status: 'refunded', refundedCents: 3000, refundableCents: 0 });
    await org.owner
      .post(`${org.staff}/payments/${paid.id}/refunds`, { reason: 'Encore' })
      .expect(409);
    const membership = (
      await org.owner.get(`${org.staff}/memberships/${paid.purposeId}`).expect(200)
    ).body as ContactMembershipView;
    expect(membership.status).toBe('cancelled');
    expect(await balanceOf(t, org.owner.orgId, '7561')).toBe(0);
    expect(await balanceOf(t, org.owner.orgId, '51151')).toBe(3000 - 70 - 3000);
  });

  it('records a refund made in the Stripe dashboard from the webhook', async () => {
    const paid = await joinAndPay(t, fake, org);
    const refund = fake.refund(paid.stripe!.chargeId!, 500);
    const event = fake.event('charge.refunded', fake.charges.get(paid.stripe!.chargeId!)!);
    await deliver(t, org, event).expect(200);
    await deliver(t, org, event).expect(200);
    await t.queue.drain();
    const after = await get(paid.id);
    expect(after).toMatchObject({ status: 'partially_refunded', refundedCents: 500 });
    expect(after.refunds).toEqual([
      expect.objectContaining({ stripeRefundId: refund.id, amountCents: 500, status: 'succeeded' }),
    ]);
    expect((await entryFrom(t, org.owner.orgId, `stripe:${refund.id}`))?.lines).toHaveLength(2);
  });

  it('books a lost dispute (withdrawal, fee, loss) and a won one (reinstated), and alerts the treasurers', async () => {
    const lost = await joinAndPay(t, fake, org);
    const dispute = fake.dispute(lost.stripe!.chargeId!, 1500);
    await deliver(t, org, fake.event('charge.dispute.created', dispute)).expect(200);
    await t.queue.drain();
    expect(await get(lost.id)).toMatchObject({
      status: 'disputed',
      disputes: [
        expect.objectContaining({
          stripeDisputeId: dispute.id,
          amountCents: 3000,
          feeCents: 1500,
          status: 'needs_response',
        }),
      ],
    });
    const withdrawal = (dispute['balance_transactions'] as { id: string }[])[0].id;
    expect((await entryFrom(t, org.owner.orgId, `stripe:${withdrawal}`))?.lines).toEqual([
      { account: '46711', debit: 3000, credit: 0 },
      { account: '627', debit: 1500, credit: 0 },
      { account: '51151', debit: 0, credit: 4500 },
    ]);
    const alert = await t.smtp.waitFor(
      (m) => m.to.includes(org.owner.email) && m.subject.startsWith('Litige bancaire ouvert'),
    );
    expect(alert.text).toContain(dispute.id);

    fake.closeDispute(dispute.id, 'lost');
    const closed = fake.event('charge.dispute.closed', fake.disputes.get(dispute.id)!);
    await deliver(t, org, closed).expect(200);
    await deliver(t, org, closed).expect(200);
    await t.queue.drain();
    expect((await entryFrom(t, org.owner.orgId, `stripe:${dispute.id}:lost`))?.lines).toEqual([
      { account: '6581', debit: 3000, credit: 0 },
      { account: '46711', debit: 0, credit: 3000 },
    ]);
    expect(await balanceOf(t, org.owner.orgId, '46711')).toBe(0);

    const won = await joinAndPay(t, fake, org);
    const second = fake.dispute(won.stripe!.chargeId!, 1500);
    fake.closeDispute(second.id, 'won');
    // Only the closing event arrives: the dispute is read as it is now, both movements are booked.
    await deliver(
      t,
      org,
      fake.event('charge.dispute.closed', fake.disputes.get(second.id)!),
    ).expect(200);
    await t.queue.drain();
    const after = await get(won.id);
    expect(after.status).toBe('succeeded');
    // The payment was never seen disputed (only the closing event came): its status did not move.
    expect(after.history.map((h) => h.status)).toEqual(['pending', 'succeeded']);
    expect(after.disputes).toEqual([
      expect.objectContaining({ stripeDisputeId: second.id, status: 'won' }),
    ]);
    const reinstated = (
      fake.disputes.get(second.id)!['balance_transactions'] as { id: string }[]
    )[1].id;
    expect((await entryFrom(t, org.owner.orgId, `stripe:${reinstated}`))?.lines).toEqual([
      { account: '51151', debit: 3000, credit: 0 },
      { account: '46711', debit: 0, credit: 3000 },
    ]);
    expect(await balanceOf(t, org.owner.orgId, '46711')).toBe(0);
  });

  it('records a payout with what it settles, empties the Stripe clearing account, and reverses a failed payout', async () => {
    const first = await joinAndPay(t, fake, org, { feeCents: 70 });
    const second = await joinAndPay(t, fake, org, { feeCents: 55 });
    await org.owner
      .post(`${org.staff}/payments/${second.id}/refunds`, { amount: '5', reason: 'Geste' })
      .expect(201);
    const payout = fake.payout(fake.accountOf(first.stripe!.checkoutSessionId!), {
      stripeFeeCents: 200,
    });
    expect(payout['amount']).toBe(3000 - 70 + 3000 - 55 - 500 - 200);
    const paid = fake.event('payout.paid', payout);
    await deliver(t, org, paid).expect(200);
    await deliver(t, org, paid).expect(200);
    await t.queue.drain();
    const list = (await org.owner.get(`${org.staff}/payouts`).expect(200)).body as Page<PayoutView>;
    expect(list.total).toBe(1);
    const view = list.items[0];
    expect(view).toMatchObject({
      stripePayoutId: payout.id,
      amountCents: 5175,
      status: 'paid',
      itemCount: 4,
      itemsNetCents: 5175,
      mismatch: false,
    });
    expect(
      view.items
        .filter((i) => i.paymentId)
        .map((i) => i.paymentId)
        .sort(),
    ).toEqual([first.id, second.id, second.id].sort()); // the refund names its payment too
    expect((await entryFrom(t, org.owner.orgId, `stripe:${payout.id}`))?.lines).toEqual([
      { account: '5121', debit: 5175, credit: 0 },
      { account: '51151', debit: 0, credit: 5175 },
    ]);
    // Every euro that reached Stripe left it: the clearing account is back to zero.
    expect(await balanceOf(t, org.owner.orgId, '51151')).toBe(0);
    expect(await balanceOf(t, org.owner.orgId, '627')).toBe(70 + 55 + 200);

    fake.failPayout(payout.id);
    await deliver(t, org, fake.event('payout.failed', fake.payouts.get(payout.id)!)).expect(200);
    await t.queue.drain();
    const failed = (await org.owner.get(`${org.staff}/payouts/${view.id}`).expect(200))
      .body as PayoutView;
    expect(failed).toMatchObject({
      status: 'failed',
      failureMessage: 'The bank account has been closed',
    });
    expect(failed.reversalEntryId).not.toBeNull();
    expect(await balanceOf(t, org.owner.orgId, '5121')).toBe(0);
    expect(await balanceOf(t, org.owner.orgId, '51151')).toBe(5175);
    await t.smtp.waitFor(
      (m) => m.to.includes(org.owner.email) && m.subject.startsWith('Virement Stripe rejeté'),
    );

    const other = await signupOrganization(t, 'Autre club');
    await other.get(`/api/v1/orgs/${other.orgId}/payouts/${view.id}`).expect(404);
    await other.get(`${org.staff}/payouts`).expect(404);
  });
});
