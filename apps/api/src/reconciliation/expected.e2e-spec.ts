import request from 'supertest';
import type {
  BankAccountView,
  JoinResultView,
  MatchView,
  Page,
  PaymentView,
  PublicJoinFormView,
  ReconciliationRunView,
  StatementImportView,
  WorkspaceLineView,
} from '@ruche/contracts';
import { signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import { createTestApi } from '../testing';
import { IBAN, camt, upload } from './bank.test-support';

/**
 * Joining and paying by transfer: the member gets the account and a structured reference; the
 * bank line carrying it records the payment and activates the membership by itself, and a line
 * with the name only waits as a suggestion.
 */
describe('memberships paid by transfer, found on the bank statement', () => {
  let t: TestApp;
  let owner: TestSession;
  let planId: string;
  const staff = () => `/api/v1/orgs/${owner.orgId}`;
  const publicJoin = () => `/api/v1/public/orgs/${owner.orgId}/join`;

  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    owner = await signupOrganization(t, 'Les Randonneurs du Vercors');
    planId = (
      (
        await owner
          .post(`${staff()}/membership-plans`, {
            name: 'Adhésion',
            pricingKind: 'fixed',
            tiers: [{ code: 'std', label: 'Standard', amount: '30' }],
            validityKind: 'calendar_year',
          })
          .expect(201)
      ).body as { id: string }
    ).id;
  });

  const join = (firstName: string, lastName: string, email: string) =>
    request(t.app.getHttpServer())
      .post(publicJoin())
      .send({ planId, firstName, lastName, email, acceptTerms: true, method: 'transfer' });

  const membershipStatus = async (paymentId: string) => {
    const [row] = await t.dataSource.query<{ status: string }[]>(
      `SELECT m.status FROM memberships m JOIN payments p ON p.organization_id = m.organization_id AND p.purpose_id = m.id
        WHERE p.organization_id = $1 AND p.id = $2`,
      [owner.orgId, paymentId],
    );
    return row?.status;
  };

  it('gives the reference, confirms the transfer that carries it by itself, and suggests the one without', async () => {
    const closed = (await request(t.app.getHttpServer()).get(publicJoin()).expect(200))
      .body as PublicJoinFormView;
    expect(closed).toMatchObject({ transfer: null, onlinePayment: false });
    const refused = await join('Jeanne', 'Dupont', 'jeanne.dupont@example.org').expect(422);
    expect(refused.body.errors[0].field).toBe('method');

    const bank = (
      await owner
        .post(`${staff()}/bank-accounts`, {
          name: 'Compte courant',
          iban: IBAN,
          bic: 'AGRIFRPP',
          accountNumber: '5121',
          acceptTransfers: true,
        })
        .expect(201)
    ).body as BankAccountView;
    expect(bank.acceptTransfers).toBe(true);
    const open = (await request(t.app.getHttpServer()).get(publicJoin()).expect(200))
      .body as PublicJoinFormView;
    expect(open).toMatchObject({
      onlinePayment: true,
      transfer: { iban: IBAN, bic: 'AGRIFRPP', holder: 'Les Randonneurs du Vercors' },
    });
    const noRenewal = await request(t.app.getHttpServer())
      .post(publicJoin())
      .send({
        planId,
        firstName: 'A',
        lastName: 'B',
        email: 'a.b@example.org',
        acceptTerms: true,
        method: 'transfer',
        autoRenew: true,
      })
      .expect(422);
    expect(noRenewal.body.errors[0].field).toBe('autoRenew');

    const jeanne = (await join('Jeanne', 'Dupont', 'jeanne.dupont@example.org').expect(201))
      .body as JoinResultView;
    expect(jeanne).toMatchObject({
      checkoutUrl: null,
      transfer: { iban: IBAN, amountCents: 3000, currency: 'EUR' },
    });
    const reference = jeanne.transfer!.reference;
    expect(reference).toMatch(/^RF\d{2}[0-9A-F]{16}$/);
    const mail = await t.smtp.waitFor((m) => m.to.includes('jeanne.dupont@example.org'));
    expect(mail.text).toContain(reference);
    expect(mail.text).toContain('FR76 3000 6000 0112 3456 7890 189');
    const paul = (await join('Paul', 'Girard', 'paul.girard@example.org').expect(201))
      .body as JoinResultView;
    expect(await membershipStatus(jeanne.paymentId)).toBe('pending_payment');
    const pending = (await owner.get(`${staff()}/payments/${jeanne.paymentId}`).expect(200))
      .body as PaymentView;
    expect(pending).toMatchObject({ status: 'pending', method: 'transfer', amountCents: 3000 });

    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const imported = (
      await upload(
        t,
        owner,
        bank.id,
        camt(
          [
            {
              amount: '30.00',
              cdi: 'CRDT',
              ref: 'E1',
              label: `VIR SEPA ADHESION ${reference}`,
              day: today,
              party: 'MME JEANNE DUPONT',
            },
            {
              amount: '30.00',
              cdi: 'CRDT',
              ref: 'E2',
              label: 'VIR SEPA ADHESION RANDO',
              day: today,
              party: 'M PAUL GIRARD',
            },
          ],
          '0.00',
          '60.00',
          today,
        ),
      ).expect(201)
    ).body as StatementImportView;
    await t.queue.drain();
    const run = (await owner.get(`${staff()}/reconciliation/runs/${imported.run!.id}`).expect(200))
      .body as ReconciliationRunView;
    expect(run).toMatchObject({ status: 'done', autoMatched: 1, suggested: 1 });

    const received = (await owner.get(`${staff()}/payments/${jeanne.paymentId}`).expect(200))
      .body as PaymentView;
    expect(received).toMatchObject({ status: 'succeeded', paidOn: today });
    expect(await membershipStatus(jeanne.paymentId)).toBe('active');
    const lines = (
      (
        await owner
          .get(`${staff()}/bank-accounts/${bank.id}/reconciliation/lines?status=all`)
          .expect(200)
      ).body as Page<WorkspaceLineView>
    ).items;
    const e1 = lines.find((l) => l.bankReference === 'E1')!;
    const e2 = lines.find((l) => l.bankReference === 'E2')!;
    expect(e1.status).toBe('matched');
    const match = (await owner.get(`${staff()}/reconciliation/matches/${e1.matchId}`).expect(200))
      .body as MatchView;
    expect(match).toMatchObject({ kind: 'expected_payment', origin: 'auto', amountCents: 3000 });
    expect(match.reasons).toContain(`payment:${jeanne.paymentId}`);
    expect(match.ledgerLines).toEqual([
      expect.objectContaining({ amountCents: 3000, journalCode: 'BQ' }),
    ]);

    // Two 30 € transfers announced, and only one line names its reference: the run left Paul's
    // line waiting with his payment suggested (now the only one left, the engine would take it).
    expect(e2.status).toBe('unmatched');
    expect(e2.suggestions[0]).toMatchObject({
      type: 'expected',
      paymentId: paul.paymentId,
      contactName: 'Paul Girard',
    });
    expect(await membershipStatus(paul.paymentId)).toBe('pending_payment');
    const expected = (body: object) =>
      owner.post(`${staff()}/bank-accounts/${bank.id}/reconciliation/expected`, body);
    const already = await expected({ bankLineId: e2.id, paymentId: jeanne.paymentId }).expect(409);
    expect(already.body.code).toBe('payments.not_expected');
    const confirmed = (await expected({ bankLineId: e2.id, paymentId: paul.paymentId }).expect(201))
      .body as MatchView;
    expect(confirmed).toMatchObject({ kind: 'expected_payment', origin: 'manual' });
    expect(await membershipStatus(paul.paymentId)).toBe('active');
    await expected({ bankLineId: e2.id, paymentId: paul.paymentId }).expect(409);

    // Another organization can neither see nor confirm any of it.
    const stranger = await signupOrganization(t, 'Autre club');
    await stranger
      .post(`/api/v1/orgs/${stranger.orgId}/bank-accounts/${bank.id}/reconciliation/expected`, {
        bankLineId: e2.id,
        paymentId: paul.paymentId,
      })
      .expect(404);
  });

  it('refuses a line whose amount is not the expected one', async () => {
    const bank = (
      await owner
        .post(`${staff()}/bank-accounts`, {
          name: 'Compte courant',
          iban: IBAN,
          accountNumber: '5121',
          acceptTransfers: true,
        })
        .expect(201)
    ).body as BankAccountView;
    const jeanne = (await join('Jeanne', 'Dupont', 'jeanne.d@example.org').expect(201))
      .body as JoinResultView;
    await upload(
      t,
      owner,
      bank.id,
      camt(
        [{ amount: '25.00', cdi: 'CRDT', ref: 'X1', label: 'VIR PARTIEL', day: '2026-03-02' }],
        '0.00',
        '25.00',
      ),
    ).expect(201);
    await t.queue.drain();
    const [line] = (
      (await owner.get(`${staff()}/bank-accounts/${bank.id}/reconciliation/lines`).expect(200))
        .body as Page<WorkspaceLineView>
    ).items;
    const differ = await owner
      .post(`${staff()}/bank-accounts/${bank.id}/reconciliation/expected`, {
        bankLineId: line.id,
        paymentId: jeanne.paymentId,
      })
      .expect(422);
    expect(differ.body).toMatchObject({ code: 'reconciliation.amounts_differ' });
    expect(
      ((await owner.get(`${staff()}/payments/${jeanne.paymentId}`).expect(200)).body as PaymentView)
        .status,
    ).toBe('pending');
  });

  it('takes a gift pledged by transfer the same way: the line with its reference records it as paid', async () => {
    const donate = (body: object) =>
      request(t.app.getHttpServer())
        .post(`/api/v1/public/orgs/${owner.orgId}/donate`)
        .send({
          amount: '80',
          firstName: 'Odile',
          lastName: 'Marchal',
          email: 'odile.marchal@example.org',
          wantsReceipt: false,
          method: 'transfer',
          ...body,
        });
    const closed = await donate({}).expect(422);
    expect(closed.body.errors[0].field).toBe('method');
    const bank = (
      await owner
        .post(`${staff()}/bank-accounts`, {
          name: 'Compte courant',
          iban: IBAN,
          accountNumber: '5121',
          acceptTransfers: true,
        })
        .expect(201)
    ).body as BankAccountView;
    const form = (
      await request(t.app.getHttpServer())
        .get(`/api/v1/public/orgs/${owner.orgId}/donate`)
        .expect(200)
    ).body as { onlinePayment: boolean; transfer: { iban: string } | null };
    expect(form).toMatchObject({ onlinePayment: true, transfer: { iban: IBAN } });
    const monthly = await donate({ frequency: 'monthly' }).expect(422);
    expect(monthly.body.errors[0].field).toBe('frequency');
    const pledge = (await donate({}).expect(201)).body as JoinResultView;
    // The transfer arrives after the pledge (a line months before it would not be proposed).
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    expect(pledge).toMatchObject({ checkoutUrl: null, transfer: { amountCents: 8000 } });
    const mail = await t.smtp.waitFor((m) => m.to.includes('odile.marchal@example.org'));
    expect(mail.text).toContain(pledge.transfer!.reference);
    await upload(
      t,
      owner,
      bank.id,
      camt(
        [
          {
            amount: '80.00',
            cdi: 'CRDT',
            ref: 'D1',
            label: `VIR DON ${pledge.transfer!.reference}`,
            day: today,
            party: 'MARCHAL ODILE',
          },
        ],
        '0.00',
        '80.00',
        today,
      ),
    ).expect(201);
    await t.queue.drain();
    expect(
      ((await owner.get(`${staff()}/payments/${pledge.paymentId}`).expect(200)).body as PaymentView)
        .status,
    ).toBe('succeeded');
    const [donation] = await t.dataSource.query<{ status: string; received_on: string }[]>(
      `SELECT status, received_on::text FROM donations WHERE organization_id = $1 AND payment_id = $2`,
      [owner.orgId, pledge.paymentId],
    );
    expect(donation).toEqual({ status: 'paid', received_on: today });
  });
});
