import request from 'supertest';
import { randomBytes } from 'node:crypto';
import type { JoinResultView, PaymentView } from '@ruche/contracts';
import { FakeStripe, type TestApp, type TestSession } from '@ruche/testing';

/** An organization with Stripe connected (test keys) and a membership plan to sell online. */
export interface StripeOrg {
  owner: TestSession;
  secret: string;
  /** The organization's Stripe secret key (its account in the fake). */
  apiKey: string;
  planId: string;
  staff: string;
}

export async function connectStripe(owner: TestSession, planAmount = '30'): Promise<StripeOrg> {
  const staff = `/api/v1/orgs/${owner.orgId}`;
  const secret = `whsec_${randomBytes(24).toString('hex')}`;
  const apiKey = `sk_test_${randomBytes(16).toString('hex')}`;
  await owner
    .put(`${staff}/settings/stripe`, {
      secretKey: apiKey,
      webhookSecret: secret,
    })
    .expect(200);
  const plan = await owner
    .post(`${staff}/membership-plans`, {
      name: 'Adhésion',
      pricingKind: 'fixed',
      tiers: [{ code: 'std', label: 'Standard', amount: planAmount }],
      validityKind: 'calendar_year',
    })
    .expect(201);
  return { owner, secret, apiKey, planId: (plan.body as { id: string }).id, staff };
}

/** Joins online and pays by card at Checkout; the success event is delivered and processed. */
export async function joinAndPay(
  t: TestApp,
  fake: FakeStripe,
  org: StripeOrg,
  options: { feeCents?: number; created?: number } = {},
): Promise<PaymentView> {
  const res = await request(t.app.getHttpServer())
    .post(`/api/v1/public/orgs/${org.owner.orgId}/join`)
    .send({
      planId: org.planId,
      firstName: 'Paul',
      lastName: 'Girard',
      email: `paul.${randomBytes(4).toString('hex')}@example.org`,
      acceptTerms: true,
    })
    .expect(201);
  const joined = res.body as JoinResultView;
  const session = fake.sessionFor(joined.paymentId)!;
  fake.pay(session.id, {
    method: 'card',
    feeCents: options.feeCents ?? 70,
    created: options.created,
  });
  await deliver(t, org, fake.event('checkout.session.completed', session)).expect(200);
  await t.queue.drain();
  return (await org.owner.get(`${org.staff}/payments/${joined.paymentId}`).expect(200))
    .body as PaymentView;
}

/** Posts a signed event to the organization's webhook endpoint, as Stripe does. */
export function deliver(t: TestApp, org: StripeOrg, event: Record<string, unknown>): request.Test {
  const { body, signature } = FakeStripe.sign(event, org.secret);
  return request(t.app.getHttpServer())
    .post(`/api/v1/webhooks/stripe/${org.owner.orgId}`)
    .set('content-type', 'application/json')
    .set('stripe-signature', signature)
    .send(body);
}

/** The lines of an entry: account number, debit, credit (cents). */
export async function entryLines(
  t: TestApp,
  organizationId: string,
  entryId: string,
): Promise<{ account: string; debit: number; credit: number }[]> {
  const rows = await t.dataSource.query<{ account: string; debit: string; credit: string }[]>(
    `SELECT a.number AS account, l.debit_cents AS debit, l.credit_cents AS credit FROM journal_entry_lines l
       JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
      WHERE l.organization_id = $1 AND l.entry_id = $2 ORDER BY l.line_no`,
    [organizationId, entryId],
  );
  return rows.map((r) => ({
    account: r.account,
    debit: Number(r.debit),
    credit: Number(r.credit),
  }));
}

/** The entry posted for a Stripe source (`stripe:re_...`), with its lines; null when none. */
export async function entryFrom(
  t: TestApp,
  organizationId: string,
  source: string,
): Promise<{ id: string; lines: { account: string; debit: number; credit: number }[] } | null> {
  const rows = await t.dataSource.query<{ id: string }[]>(
    'SELECT id FROM journal_entries WHERE organization_id = $1 AND source = $2',
    [organizationId, source],
  );
  if (rows.length > 1) throw new Error(`${rows.length} entries for ${source}`);
  return rows[0]
    ? { id: rows[0].id, lines: await entryLines(t, organizationId, rows[0].id) }
    : null;
}

/** Σ debit − Σ credit of an account over the organization's posted entries. */
export async function balanceOf(
  t: TestApp,
  organizationId: string,
  account: string,
): Promise<number> {
  const [{ balance }] = await t.dataSource.query<{ balance: string }[]>(
    `SELECT coalesce(sum(l.debit_cents - l.credit_cents), 0) AS balance FROM journal_entry_lines l
       JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
       JOIN journal_entries e ON e.organization_id = l.organization_id AND e.id = l.entry_id
      WHERE l.organization_id = $1 AND a.number = $2 AND e.status = 'posted'`,
    [organizationId, account],
  );
  return Number(balance);
}
