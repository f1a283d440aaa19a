import request from 'supertest';
import type { JoinResultView } from '@ruche/contracts';
import { FakeStripe, signupOrganization, type TestApp } from '@ruche/testing';
import { createTestApi } from '../testing';
import { balanceOf, connectStripe, type StripeOrg } from './stripe.test-support';

// A thousand deliveries on a 2-core machine that may be busy: generous, the assertions are about the end state.
jest.setTimeout(300_000);

/** A burst of 1,000 deliveries on BullMQ and the real Redis: each event processed once, books exact. */
describe('Stripe webhooks: a burst of 1,000 deliveries', () => {
  let t: TestApp;
  let fake: FakeStripe;
  let org: StripeOrg;
  const PAYMENTS = 250;

  beforeAll(async () => {
    fake = await new FakeStripe().start();
    t = await createTestApi({ queue: 'bullmq', env: { STRIPE_API_BASE: fake.url } });
    org = await connectStripe(await signupOrganization(t, 'Festival des associations'), '20');
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('stores 500 distinct events once out of 1,000 shuffled deliveries and ends with every payment recorded once', async () => {
    const http = () => request(t.app.getHttpServer());
    const paymentIds: string[] = [];
    for (let i = 0; i < PAYMENTS; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: 25 }, (_, k) =>
          http()
            .post(`/api/v1/public/orgs/${org.owner.orgId}/join`)
            .send({
              planId: org.planId,
              firstName: 'Membre',
              lastName: `N${i + k}`,
              email: `n${i + k}@burst.example.org`,
              acceptTerms: true,
            })
            .expect(201),
        ),
      );
      paymentIds.push(...batch.map((r) => (r.body as JoinResultView).paymentId));
    }
    const events = paymentIds.flatMap((id) => {
      const session = fake.sessionFor(id)!;
      const { paymentIntent } = fake.pay(session.id, { feeCents: 50 });
      return [
        fake.event('checkout.session.completed', session),
        fake.event('payment_intent.succeeded', paymentIntent),
      ];
    });
    const deliveries = [...events, ...events]
      .map((e) => FakeStripe.sign(e, org.secret))
      .sort(() => Math.random() - 0.5);
    expect(deliveries).toHaveLength(1000);
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < deliveries.length) {
          const d = deliveries[next++];
          const res = await http()
            .post(`/api/v1/webhooks/stripe/${org.owner.orgId}`)
            .set('content-type', 'application/json')
            .set('stripe-signature', d.signature)
            .send(d.body);
          statuses.push(res.status);
        }
      }),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    const count = async (sql: string) =>
      (await t.dataSource.query<{ n: number }[]>(sql, [org.owner.orgId]))[0].n;
    expect(
      await count('SELECT count(*)::int AS n FROM stripe_events WHERE organization_id = $1'),
    ).toBe(500);
    const deadline = Date.now() + 90_000;
    while (
      (await count(
        "SELECT count(*)::int AS n FROM stripe_events WHERE organization_id = $1 AND state = 'received'",
      )) > 0 &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    // Every event processed: any other state is listed with its error.
    expect(
      await t.dataSource.query(
        "SELECT type, state, error FROM stripe_events WHERE organization_id = $1 AND state <> 'processed'",
        [org.owner.orgId],
      ),
    ).toEqual([]);
    expect(
      await count(
        "SELECT count(*)::int AS n FROM payments WHERE organization_id = $1 AND status = 'succeeded'",
      ),
    ).toBe(PAYMENTS);
    expect(
      await count(
        "SELECT count(*)::int AS n FROM payment_status_changes WHERE organization_id = $1 AND status = 'succeeded'",
      ),
    ).toBe(PAYMENTS);
    expect(
      await count(
        "SELECT count(*)::int AS n FROM journal_entries WHERE organization_id = $1 AND source LIKE 'stripe:%'",
      ),
    ).toBe(PAYMENTS);
    expect(
      await count(
        "SELECT count(*)::int AS n FROM memberships WHERE organization_id = $1 AND status = 'active'",
      ),
    ).toBe(PAYMENTS);
    expect(await balanceOf(t, org.owner.orgId, '51151')).toBe(PAYMENTS * (2000 - 50));
    expect(await balanceOf(t, org.owner.orgId, '7561')).toBe(-PAYMENTS * 2000);
  });
});
