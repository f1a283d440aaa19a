import request from 'supertest';
import type { ChequeDepositView, ContactView, Page, PaymentView } from '@ruche/contracts';
import {
  addUser,
  pdfText,
  signupOrganization,
  type TestApp,
  type TestSession,
} from '@ruche/testing';
import { createTestApi } from '../testing';
import { balanceOf, entryLines } from './stripe.test-support';

/** Money received at the desk, and the deposit slip that takes the cheques to the bank. */
describe('desk payments and cheque deposit slips', () => {
  let t: TestApp;
  let owner: TestSession;
  const staff = () => `/api/v1/orgs/${owner.orgId}`;

  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    owner = await signupOrganization(t, 'Amicale des pêcheurs');
  });

  async function contact(lastName: string): Promise<ContactView> {
    return (
      await owner
        .post(`${staff()}/contacts`, {
          firstName: 'Jean',
          lastName,
          email: `${lastName.toLowerCase()}@example.org`,
        })
        .expect(201)
    ).body as ContactView;
  }

  it('records a cheque for a membership and a sale at the desk, then deposits both on one slip with one entry', async () => {
    const member = await contact('Martin');
    const plan = (
      await owner
        .post(`${staff()}/membership-plans`, {
          name: 'Adhésion',
          pricingKind: 'fixed',
          tiers: [{ code: 'std', label: 'Standard', amount: '25' }],
          validityKind: 'calendar_year',
        })
        .expect(201)
    ).body;
    await owner
      .post(`${staff()}/memberships`, {
        contactId: member.id,
        planId: plan.id,
        payment: { method: 'cheque', paidOn: '2026-03-02', reference: '1234567' },
      })
      .expect(201);

    const buyer = await contact('Bernard');
    const bad = await owner
      .post(`${staff()}/payments/manual`, {
        contactId: buyer.id,
        label: 'Calendrier',
        amount: '-3',
        method: 'cheque',
        receivedOn: '2026-03-03',
      })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('amount');
    const sale = (
      await owner
        .post(`${staff()}/payments/manual`, {
          contactId: buyer.id,
          label: 'Calendrier 2026',
          amount: '12,50',
          method: 'cheque',
          receivedOn: '2026-03-03',
          chequeNumber: '7654321',
          chequeBank: 'Crédit Agricole',
          chequeDrawer: 'Bernard Jean',
        })
        .expect(201)
    ).body as PaymentView;
    expect(sale).toMatchObject({
      provider: 'manual',
      status: 'succeeded',
      method: 'cheque',
      amountCents: 1250,
      paidOn: '2026-03-03',
      cheque: {
        number: '7654321',
        bank: 'Crédit Agricole',
        drawer: 'Bernard Jean',
        depositId: null,
      },
    });
    expect(await entryLines(t, owner.orgId, sale.entryId!)).toEqual([
      { account: '5112', debit: 1250, credit: 0 },
      { account: '706', debit: 0, credit: 1250 },
    ]);
    await owner
      .post(`${staff()}/payments/manual`, {
        label: 'Buvette',
        amount: '40',
        method: 'cash',
        receivedOn: '2026-03-03',
      })
      .expect(201);

    const waiting = (
      await owner.get(`${staff()}/payments?method=cheque&undeposited=true`).expect(200)
    ).body as Page<PaymentView>;
    expect(waiting.items.map((p) => p.amountCents).sort()).toEqual([1250, 2500]);
    const membershipCheque = waiting.items.find((p) => p.purpose === 'membership')!;
    expect(membershipCheque).toMatchObject({ contactId: member.id, cheque: { number: '1234567' } });

    const coordinator = await addUser(t, owner, 'coordinator');
    await coordinator
      .post(`${staff()}/cheque-deposits`, {
        paymentIds: waiting.items.map((p) => p.id),
        depositedOn: '2026-03-05',
      })
      .expect(403);
    const early = await owner
      .post(`${staff()}/cheque-deposits`, {
        paymentIds: waiting.items.map((p) => p.id),
        depositedOn: '2026-03-01',
      })
      .expect(422);
    expect(early.body.errors[0].field).toBe('depositedOn');
    const cash = (
      (await owner.get(`${staff()}/payments?method=cash`).expect(200)).body as Page<PaymentView>
    ).items[0];
    const mixed = await owner
      .post(`${staff()}/cheque-deposits`, { paymentIds: [cash.id], depositedOn: '2026-03-05' })
      .expect(409);
    expect(mixed.body.code).toBe('payments.not_a_cheque');

    const deposit = (
      await owner
        .post(`${staff()}/cheque-deposits`, {
          paymentIds: waiting.items.map((p) => p.id),
          depositedOn: '2026-03-05',
        })
        .expect(201)
    ).body as ChequeDepositView;
    expect(deposit).toMatchObject({
      reference: 'REM-2026-001',
      depositedOn: '2026-03-05',
      totalCents: 3750,
      chequeCount: 2,
    });
    expect(await entryLines(t, owner.orgId, deposit.entryId)).toEqual([
      { account: '5121', debit: 3750, credit: 0 },
      { account: '5112', debit: 0, credit: 2500 },
      { account: '5112', debit: 0, credit: 1250 },
    ]);
    expect(await balanceOf(t, owner.orgId, '5112')).toBe(0);
    const again = await owner
      .post(`${staff()}/cheque-deposits`, { paymentIds: [sale.id], depositedOn: '2026-03-06' })
      .expect(409);
    expect(again.body.code).toBe('payments.cheque_already_deposited');
    expect(
      (
        (await owner.get(`${staff()}/payments?method=cheque&undeposited=true`).expect(200))
          .body as Page<PaymentView>
      ).total,
    ).toBe(0);
    expect(
      ((await owner.get(`${staff()}/payments/${sale.id}`).expect(200)).body as PaymentView).cheque,
    ).toMatchObject({ depositId: deposit.id, depositReference: 'REM-2026-001' });

    const pdf = await owner
      .get(`${staff()}/cheque-deposits/${deposit.id}/pdf`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = (await pdfText(pdf.body as Buffer)).text;
    expect(text).toContain('Bordereau de remise de chèques REM-2026-001');
    expect(text).toContain('7654321');
    expect(text).toContain('Crédit Agricole');
    expect(text).toContain('37,50');

    // The next slip of the year takes the next number; another organization sees none of it.
    await owner
      .post(`${staff()}/payments/manual`, {
        label: 'Don de matériel',
        amount: '5',
        method: 'cheque',
        receivedOn: '2026-03-06',
      })
      .expect(201);
    const next = (
      (await owner.get(`${staff()}/payments?method=cheque&undeposited=true`).expect(200))
        .body as Page<PaymentView>
    ).items;
    const second = (
      await owner
        .post(`${staff()}/cheque-deposits`, {
          paymentIds: next.map((p) => p.id),
          depositedOn: '2026-03-07',
        })
        .expect(201)
    ).body as ChequeDepositView;
    expect(second.reference).toBe('REM-2026-002');
    expect(
      (
        (await owner.get(`${staff()}/cheque-deposits`).expect(200)).body as Page<ChequeDepositView>
      ).items.map((d) => d.reference),
    ).toEqual(['REM-2026-002', 'REM-2026-001']);
    const other = await signupOrganization(t, 'Autre amicale');
    await other.get(`/api/v1/orgs/${other.orgId}/cheque-deposits/${deposit.id}`).expect(404);
    await other
      .post(`/api/v1/orgs/${other.orgId}/cheque-deposits`, {
        paymentIds: [sale.id],
        depositedOn: '2026-03-08',
      })
      .expect(422);
    await request(t.app.getHttpServer()).get(`${staff()}/cheque-deposits`).expect(401);
  });

  it('refunds money received at the desk: the reversal is posted at once, a full refund ends the membership', async () => {
    const cash = (
      await owner
        .post(`${staff()}/payments/manual`, {
          label: 'Buvette',
          amount: '40',
          method: 'cash',
          receivedOn: '2026-03-03',
        })
        .expect(201)
    ).body as PaymentView;
    const partial = (
      await owner
        .post(`${staff()}/payments/${cash.id}/refunds`, { amount: '15', reason: 'Trop perçu' })
        .expect(201)
    ).body as PaymentView;
    expect(partial).toMatchObject({
      status: 'partially_refunded',
      refundedCents: 1500,
      refundableCents: 2500,
    });
    expect(await entryLines(t, owner.orgId, partial.refunds[0].entryId!)).toEqual([
      { account: '706', debit: 1500, credit: 0 },
      { account: '530', debit: 0, credit: 1500 },
    ]);
    const tooMuch = await owner
      .post(`${staff()}/payments/${cash.id}/refunds`, { amount: '30', reason: 'Erreur' })
      .expect(422);
    expect(tooMuch.body.errors[0].field).toBe('amount');

    const member = await contact('Petit');
    const plan = (
      await owner
        .post(`${staff()}/membership-plans`, {
          name: 'Adhésion',
          pricingKind: 'fixed',
          tiers: [{ code: 'std', label: 'Standard', amount: '25' }],
          validityKind: 'calendar_year',
        })
        .expect(201)
    ).body;
    const membership = (
      await owner
        .post(`${staff()}/memberships`, {
          contactId: member.id,
          planId: plan.id,
          payment: { method: 'cheque', paidOn: '2026-03-02', reference: '555' },
        })
        .expect(201)
    ).body;
    const payment = (
      (await owner.get(`${staff()}/payments?contactId=${member.id}`).expect(200))
        .body as Page<PaymentView>
    ).items[0];
    const refunded = (
      await owner
        .post(`${staff()}/payments/${payment.id}/refunds`, { reason: 'Déménagement' })
        .expect(201)
    ).body as PaymentView;
    expect(refunded).toMatchObject({ status: 'refunded', refundedCents: 2500 });
    expect(await entryLines(t, owner.orgId, refunded.refunds[0].entryId!)).toEqual([
      { account: '7561', debit: 2500, credit: 0 },
      { account: '5121', debit: 0, credit: 2500 },
    ]);
    expect(
      (await owner.get(`${staff()}/memberships/${membership.id}`).expect(200)).body.status,
    ).toBe('cancelled');
  });

  it('gives concurrent deposit slips unique numbers without gaps', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push(
        (
          (
            await owner
              .post(`${staff()}/payments/manual`, {
                label: `Vente ${i}`,
                amount: '10',
                method: 'cheque',
                receivedOn: '2026-04-01',
              })
              .expect(201)
          ).body as PaymentView
        ).id,
      );
    }
    const results = await Promise.all(
      ids.map((id) =>
        owner.post(`${staff()}/cheque-deposits`, { paymentIds: [id], depositedOn: '2026-04-02' }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 201));
    expect(results.map((r) => (r.body as ChequeDepositView).reference).sort()).toEqual([
      'REM-2026-001',
      'REM-2026-002',
      'REM-2026-003',
      'REM-2026-004',
      'REM-2026-005',
      'REM-2026-006',
    ]);
  });
});
