import type {
  MatchView,
  Page,
  PaymentView,
  PayoutView,
  StatementImportView,
  StripeSyncView,
  WorkspaceLineView,
} from '@ruche/contracts';
import { FakeStripe, signupOrganization, type TestApp } from '@ruche/testing';
import { createTestApi } from '../testing';
import { balanceOf, connectStripe, entryFrom, type StripeOrg } from './stripe.test-support';
import { bankAccount, camt, upload } from '../reconciliation/bank.test-support';

const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** A treasurer who connected Stripe late brings in the history: once, however many times asked. */
describe('Stripe history backfill', () => {
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
    org = await connectStripe(await signupOrganization(t, 'Chorale du Vieux Port'));
  });

  async function sync(from: string, to: string): Promise<StripeSyncView> {
    const started = (await org.owner.post(`${org.staff}/stripe-syncs`, { from, to }).expect(202))
      .body as StripeSyncView;
    expect(started.status).toBe('queued');
    await t.queue.drain();
    return (await org.owner.get(`${org.staff}/stripe-syncs/${started.id}`).expect(200))
      .body as StripeSyncView;
  }

  it('records old charges, refunds and payouts once, and the payout then reconciles with its whole chain', async () => {
    const contact = (
      await org.owner
        .post(`${org.staff}/contacts`, {
          kind: 'person',
          firstName: 'Inès',
          lastName: 'Moreau',
          email: 'ines.moreau@example.org',
        })
        .expect(201)
    ).body as { id: string };
    fake.historicCharge(org.apiKey, {
      amount: 4000,
      feeCents: 85,
      created: unix('2026-10-05T09:00:00Z'),
      email: 'INES.MOREAU@example.org',
      name: 'Inès Moreau',
    });
    const stranger = fake.historicCharge(org.apiKey, {
      amount: 2500,
      feeCents: 63,
      created: unix('2026-10-06T15:30:00Z'),
    });
    fake.refund(stranger.charge.id, 500);
    const payout = fake.payout(org.apiKey, { arrivalDate: unix('2026-11-20T08:00:00Z') });
    expect(payout['amount']).toBe(4000 - 85 + 2500 - 63 - 500);

    const first = await sync('2026-10-01', '2026-11-30');
    expect(first).toMatchObject({
      status: 'done',
      paymentsCreated: 2,
      refundsSynced: 1,
      payouts: 1,
      error: null,
    });
    expect(first.problems).toEqual([
      `Charge ${stranger.charge.id}: no e-mail, recorded without a contact`,
    ]);
    const payments = (await org.owner.get(`${org.staff}/payments`).expect(200))
      .body as Page<PaymentView>;
    expect(payments.total).toBe(2);
    const ines = payments.items.find((p) => p.amountCents === 4000)!;
    expect(ines).toMatchObject({
      status: 'succeeded',
      purpose: 'other',
      contactId: contact.id,
      feeCents: 85,
      paidOn: '2026-10-05',
    });
    const partly = payments.items.find((p) => p.amountCents === 2500)!;
    expect(partly).toMatchObject({
      status: 'partially_refunded',
      refundedCents: 500,
      contactId: null,
    });
    // Nobody said what these were for: the suspense account holds them for the treasurer.
    expect(await balanceOf(t, org.owner.orgId, '471')).toBe(-(4000 + 2500 - 500));
    expect(await balanceOf(t, org.owner.orgId, '51151')).toBe(0);
    expect((await entryFrom(t, org.owner.orgId, `stripe:${payout.id}`))?.lines).toEqual([
      { account: '5121', debit: 5852, credit: 0 },
      { account: '51151', debit: 0, credit: 5852 },
    ]);

    // The same range again, and an overlapping one: nothing recorded twice.
    const entries = async () =>
      Number(
        (
          await t.dataSource.query<{ n: string }[]>(
            'SELECT count(*) AS n FROM journal_entries WHERE organization_id = $1',
            [org.owner.orgId],
          )
        )[0].n,
      );
    const before = await entries();
    expect(await sync('2026-10-01', '2026-11-30')).toMatchObject({
      status: 'done',
      paymentsCreated: 0,
      payouts: 1,
    });
    expect(await sync('2026-10-06', '2026-12-31')).toMatchObject({ paymentsCreated: 0 });
    expect(await entries()).toBe(before);
    expect(
      ((await org.owner.get(`${org.staff}/payments`).expect(200)).body as Page<PaymentView>).total,
    ).toBe(2);
    const payouts = (await org.owner.get(`${org.staff}/payouts`).expect(200))
      .body as Page<PayoutView>;
    expect(payouts.items).toHaveLength(1);
    expect(
      payouts.items[0].items
        .filter((i) => i.paymentId)
        .map((i) => i.paymentId)
        .sort(),
    ).toEqual([ines.id, partly.id, partly.id].sort());

    // The bank line of the payout reconciles it, with the charges and the refund behind it.
    const bank = await bankAccount(org.owner);
    const imported = (
      await upload(
        t,
        org.owner,
        bank.id,
        camt(
          [
            {
              amount: '58.52',
              cdi: 'CRDT',
              ref: 'STR1',
              label: 'VIR STRIPE PAYMENTS EUROPE RUCHE ASSO',
              day: '2026-11-20',
            },
          ],
          '0.00',
          '58.52',
          '2026-11-20',
        ),
      ).expect(201)
    ).body as StatementImportView;
    await t.queue.drain();
    const [line] = (
      (
        await org.owner
          .get(`${org.staff}/bank-accounts/${bank.id}/reconciliation/lines?status=all`)
          .expect(200)
      ).body as Page<WorkspaceLineView>
    ).items;
    expect(imported.run).not.toBeNull();
    expect(line.status).toBe('matched');
    const match = (
      await org.owner.get(`${org.staff}/reconciliation/matches/${line.matchId}`).expect(200)
    ).body as MatchView;
    expect(match).toMatchObject({ kind: 'payout', amountCents: 5852 });
    expect(match.details.map((d) => d.amountCents).sort((a, b) => a - b)).toEqual([
      -500, 2437, 3915,
    ]);
  });

  it('refuses a range backwards or too long, and an organization without Stripe', async () => {
    const backwards = await org.owner
      .post(`${org.staff}/stripe-syncs`, { from: '2026-10-31', to: '2026-10-01' })
      .expect(400);
    expect(backwards.body.errors[0].field).toBe('from');
    const long = await org.owner
      .post(`${org.staff}/stripe-syncs`, { from: '2024-01-01', to: '2026-10-01' })
      .expect(400);
    expect(long.body.errors[0].field).toBe('to');
    const other = await signupOrganization(t, 'Sans Stripe');
    const refused = await other
      .post(`/api/v1/orgs/${other.orgId}/stripe-syncs`, { from: '2026-10-01', to: '2026-10-31' })
      .expect(409);
    expect(refused.body.code).toBe('payments.stripe_not_connected');
    const mine = await sync('2026-10-01', '2026-10-02');
    await other.get(`/api/v1/orgs/${other.orgId}/stripe-syncs/${mine.id}`).expect(404);
    expect((await other.get(`/api/v1/orgs/${other.orgId}/stripe-syncs`).expect(200)).body).toEqual(
      [],
    );
  });
});
