import request from 'supertest';
import { createHash, randomBytes } from 'node:crypto';
import type {
  ContactMembershipView,
  ContactView,
  InvoiceSettingsView,
  InvoiceView,
  JoinResultView,
  Page,
  PaymentView,
} from '@ruche/contracts';
import { InvoicesService } from '@ruche/payments';
import {
  FakeStripe,
  FixedClock,
  addUser,
  pdfText,
  signupOrganization,
  type TestApp,
  type TestSession,
} from '@ruche/testing';
import { createTestApi } from '../testing';
import { connectStripe, deliver, type StripeOrg } from './stripe.test-support';

const VAT = 'TVA non applicable, article 261-7-1° b du CGI';

/**
 * Invoices (factures) of memberships with counterparts, and credit notes (avoirs) of their
 * refunds: issued in the paying transaction with gapless numbers, mailed with the payment
 * confirmation as the stored PDF, never edited, read only by the treasurer's roles of their own
 * organization and by the member in the member space.
 */
describe('invoices: memberships with counterparts are invoiced, refunds credited', () => {
  let t: TestApp;
  let fake: FakeStripe;
  let org: StripeOrg;
  const clock = new FixedClock(new Date('2026-03-10T10:00:00Z'));
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
    clock.set(new Date('2026-03-10T10:00:00Z'));
    const owner = await signupOrganization(t, 'Club de Tennis du Parc');
    const identity = (await owner.get(`/api/v1/orgs/${owner.orgId}`).expect(200)).body as Record<
      string,
      unknown
    >;
    await owner
      .put(`/api/v1/orgs/${owner.orgId}`, {
        name: identity['name'],
        legalName: 'Association Club de Tennis du Parc',
        addressLine1: '3 allée des Courts',
        postalCode: '69006',
        city: 'Lyon',
        country: 'FR',
        siren: '552081317',
        timeZone: 'Europe/Paris',
        currency: 'EUR',
        fiscalYearStartMonth: 1,
        locale: 'fr',
      })
      .expect(200);
    // A sports club: the fee buys lessons and court time (not receipt-eligible, the default).
    org = await connectStripe(owner, '30');
  });

  const staff = () => org.staff;
  const owner = () => org.owner;

  async function invoices(
    query: Record<string, string> = {},
    session: TestSession = owner(),
  ): Promise<Page<InvoiceView>> {
    return (await session.get(`${staff()}/invoices`).query(query).expect(200))
      .body as Page<InvoiceView>;
  }

  async function pdfOf(invoice: { id: string }, session: TestSession = owner()) {
    const res = await session
      .get(`${staff()}/invoices/${invoice.id}/pdf`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    return { bytes: res.body as Buffer, headers: res.headers };
  }

  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

  async function contact(lastName: string, firstName = 'Hugo'): Promise<ContactView> {
    return (
      await owner()
        .post(`${staff()}/contacts`, {
          firstName,
          lastName,
          email: `${lastName.toLowerCase()}.${randomBytes(3).toString('hex')}@example.org`,
          addressLine1: '8 rue Garibaldi',
          postalCode: '69006',
          city: 'Lyon',
          confirmNotDuplicate: true,
        })
        .expect(201)
    ).body as ContactView;
  }

  /** A membership paid at the desk (cheque, cash, transfer), recorded by the treasurer's roles. */
  async function paidAtDesk(
    contactId: string,
    method: 'cheque' | 'cash' | 'transfer' = 'cheque',
    planId = org.planId,
  ): Promise<ContactMembershipView> {
    return (
      await owner()
        .post(`${staff()}/memberships`, {
          contactId,
          planId,
          payment: { method, paidOn: '2026-03-09', reference: 'CHQ 0012345' },
        })
        .expect(201)
    ).body as ContactMembershipView;
  }

  async function paymentOf(membershipId: string): Promise<PaymentView> {
    const page = (
      await owner().get(`${staff()}/payments`).query({ purpose: 'membership' }).expect(200)
    ).body as Page<PaymentView>;
    const found = page.items.find((p) => p.purposeId === membershipId);
    expect(found).toBeDefined();
    return found!;
  }

  /** Joins online and pays at Checkout; returns the payment and the success event (not sent). */
  async function joinOnline(
    planId = org.planId,
  ): Promise<{ paymentId: string; email: string; event: Record<string, unknown> }> {
    const email = `lea.${randomBytes(4).toString('hex')}@example.org`;
    const res = await http()
      .post(`/api/v1/public/orgs/${owner().orgId}/join`)
      .send({
        planId,
        firstName: 'Léa',
        lastName: 'Moreau',
        email,
        addressLine1: '14 quai Claude Bernard',
        postalCode: '69007',
        city: 'Lyon',
        acceptTerms: true,
      })
      .expect(201);
    const joined = res.body as JoinResultView;
    const session = fake.sessionFor(joined.paymentId)!;
    fake.pay(session.id, { method: 'card', feeCents: 70, created: unix() });
    return {
      paymentId: joined.paymentId,
      email,
      event: fake.event('checkout.session.completed', fake.sessions.get(session.id)!),
    };
  }

  it('invoices a plan with counterparts paid online once, however often Stripe tells, and mails the stored PDF with the attestation', async () => {
    const { paymentId, email, event } = await joinOnline();
    expect((await deliver(t, org, event).expect(200)).body).toEqual({
      received: true,
      duplicate: false,
    });
    await t.queue.drain();
    // The same delivery again, and the same news in a new event: one invoice all the same.
    expect((await deliver(t, org, event).expect(200)).body).toMatchObject({ duplicate: true });
    const session = fake.sessionFor(paymentId)!;
    await deliver(t, org, fake.event('checkout.session.completed', session)).expect(200);
    await t.queue.drain();

    const page = await invoices();
    expect(page.total).toBe(1);
    const [invoice] = page.items;
    const payment = (await owner().get(`${staff()}/payments/${paymentId}`).expect(200))
      .body as PaymentView;
    expect(invoice).toMatchObject({
      kind: 'invoice',
      reference: 'FA-2026-000001',
      year: 2026,
      number: 1,
      issuedOn: '2026-03-10',
      buyerName: 'MOREAU Léa',
      memberReference: expect.stringMatching(/^M\d{6}$/),
      sourceKind: 'membership',
      sourceId: payment.purposeId,
      paymentId,
      totalCents: 3000,
      currency: 'EUR',
      vatMention: VAT,
      paidOn: '2026-03-10',
      paymentMethod: 'card',
      status: 'issued',
      creditedCents: 0,
      creditNotes: [],
      lines: [
        {
          description: 'Cotisation Adhésion – Standard du 10/03/2026 au 31/12/2026',
          amountCents: 3000,
        },
      ],
    });
    expect((await owner().get(`${staff()}/invoices/${invoice.id}`).expect(200)).body).toEqual(
      invoice,
    );

    // The confirmation carries the attestation and the invoice, as stored (same bytes).
    const mail = await t.smtp.waitFor(
      (m) => m.to.includes(email) && m.subject.includes('est confirmée'),
    );
    expect(mail.text).toContain('votre facture n° FA-2026-000001 (acquittée)');
    expect(mail.attachments.map((a) => a.filename)).toEqual([
      expect.stringMatching(/^attestation-adhesion-M\d{6}\.pdf$/),
      'facture-FA-2026-000001.pdf',
    ]);
    const attached = mail.attachments[1].content;
    const stored = await pdfOf(invoice);
    expect(attached.equals(stored.bytes)).toBe(true);
    expect(sha256(attached)).toBe(invoice.pdfSha256);
    expect(stored.headers['content-type']).toBe('application/pdf');
    expect(stored.headers['content-disposition']).toBe(
      'attachment; filename="facture-FA-2026-000001.pdf"',
    );
    const { text } = await pdfText(attached);
    for (const printed of [
      'FACTURE',
      'N° FA-2026-000001',
      'Date : 10/03/2026',
      'Association Club de Tennis du Parc',
      'SIREN 552081317',
      'MOREAU Léa',
      '14 quai Claude Bernard',
      'Cotisation Adhésion – Standard du 10/03/2026 au 31/12/2026',
      'Total 30,00 €',
      VAT,
      'Facture acquittée le 10/03/2026 par carte bancaire.',
    ])
      expect(text).toContain(printed);

    // Asked again for the same payment (a replay reaching the service): the same invoice.
    const service = t.app.get(InvoicesService);
    const again = await t.dataSource.transaction((m) =>
      service.issueForPayment(
        { organizationId: owner().orgId, userId: null, role: 'system' },
        {
          paymentId,
          source: { kind: 'membership', id: payment.purposeId! },
          contactId: payment.contactId!,
          lines: [{ description: 'Cotisation', amountCents: 3000 }],
          currency: 'EUR',
          paidOn: '2026-03-10',
          method: 'card',
        },
        m,
      ),
    );
    expect(again).toEqual({ id: invoice.id, reference: 'FA-2026-000001', created: false });
    // And the database itself refuses a second invoice of the payment.
    await expect(
      t.dataSource.query(
        `INSERT INTO invoices SELECT (jsonb_populate_record(NULL::invoices, to_jsonb(i) || jsonb_build_object('id', gen_random_uuid(), 'number', 99, 'reference', 'FA-2026-000099'))).*
           FROM invoices i WHERE i.id = $1`,
        [invoice.id],
      ),
    ).rejects.toMatchObject({ code: '23505', constraint: 'uq_invoices_payment' });
    expect((await invoices()).total).toBe(1);
  });

  it('issues no invoice for a receipt-eligible plan (its fee is a gift), online or at the desk', async () => {
    const eligible = (
      await owner()
        .post(`${staff()}/membership-plans`, {
          name: 'Membre bienfaiteur',
          pricingKind: 'fixed',
          tiers: [{ code: 'std', label: 'Standard', amount: '50' }],
          validityKind: 'calendar_year',
          receiptEligible: true,
        })
        .expect(201)
    ).body as { id: string };
    const { email, event } = await joinOnline(eligible.id);
    await deliver(t, org, event).expect(200);
    await t.queue.drain();
    const mail = await t.smtp.waitFor(
      (m) => m.to.includes(email) && m.subject.includes('est confirmée'),
    );
    expect(mail.attachments).toHaveLength(1);
    expect(mail.text).not.toContain('facture');
    await paidAtDesk((await contact('Bienfaiteur')).id, 'cash', eligible.id);
    expect((await invoices()).total).toBe(0);
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM invoice_sequences WHERE organization_id = $1',
      [owner().orgId],
    );
    expect(n).toBe(0);
  });

  it('invoices a cheque recorded at the desk, keyed by its payment', async () => {
    const member = await contact('Lambert', 'Łucja');
    const membership = await paidAtDesk(member.id);
    const payment = await paymentOf(membership.id);
    const page = await invoices({ contactId: member.id });
    expect(page.items).toEqual([
      expect.objectContaining({
        reference: 'FA-2026-000001',
        paymentId: payment.id,
        sourceId: membership.id,
        contactId: member.id,
        paidOn: '2026-03-09',
        paymentMethod: 'cheque',
        totalCents: 3000,
      }),
    ]);
    expect((await invoices({ paymentId: payment.id })).total).toBe(1);
    expect((await invoices({ sourceId: membership.id })).total).toBe(1);
    const { text } = await pdfText((await pdfOf(page.items[0])).bytes);
    // The embedded font draws every Latin letter of a name (not only Latin-1's).
    expect(text).toContain('LAMBERT Łucja');
    expect(text).toContain('8 rue Garibaldi');
    expect(text).toContain('Facture acquittée le 09/03/2026 par chèque.');
    // Audited with the amount, in the paying transaction.
    const audit = (await owner().get(`${staff()}/audit-log`).expect(200)).body as {
      items: { action: string; entityId: string; after: { amountCents?: number } }[];
    };
    expect(audit.items).toContainEqual(
      expect.objectContaining({
        action: 'invoices.issued',
        entityId: page.items[0].id,
        after: expect.objectContaining({ amountCents: 3000, reference: 'FA-2026-000001' }),
      }),
    );
  });

  it('credits refunds with credit notes of their own numbering; the invoice keeps its PDF and is cancelled once fully credited', async () => {
    const member = await contact('Rousseau');
    const membership = await paidAtDesk(member.id, 'transfer');
    const payment = await paymentOf(membership.id);
    const [invoice] = (await invoices()).items;
    const before = await pdfOf(invoice);
    expect(sha256(before.bytes)).toBe(invoice.pdfSha256);

    clock.set(new Date('2026-03-20T10:00:00Z'));
    await owner()
      .post(`${staff()}/payments/${payment.id}/refunds`, { amount: '10', reason: 'Blessure' })
      .expect(201);
    let after = (await owner().get(`${staff()}/invoices/${invoice.id}`).expect(200))
      .body as InvoiceView;
    expect(after).toMatchObject({ status: 'issued', creditedCents: 1000, cancelledAt: null });
    expect(after.creditNotes).toEqual([
      expect.objectContaining({ reference: 'AV-2026-000001', totalCents: 1000 }),
    ]);
    const [note] = (await invoices({ kind: 'credit_note' })).items;
    expect(note).toMatchObject({
      kind: 'credit_note',
      reference: 'AV-2026-000001',
      issuedOn: '2026-03-20',
      creditedInvoiceId: invoice.id,
      creditedInvoiceReference: 'FA-2026-000001',
      paymentId: payment.id,
      refundId: expect.any(String),
      totalCents: 1000,
      status: 'issued',
    });
    const { text } = await pdfText((await pdfOf(note)).bytes);
    for (const printed of [
      'AVOIR',
      'N° AV-2026-000001',
      'Avoir sur la facture n° FA-2026-000001 du 10/03/2026',
      'ROUSSEAU Hugo',
      'Total de l’avoir -10,00 €',
      VAT,
      'Montant remboursé le 20/03/2026 par virement.',
    ])
      expect(text).toContain(printed);
    expect((await pdfOf(note)).headers['content-disposition']).toBe(
      'attachment; filename="avoir-AV-2026-000001.pdf"',
    );

    // The rest: a second credit note, the invoice cancelled, its PDF the same bytes.
    await owner()
      .post(`${staff()}/payments/${payment.id}/refunds`, { reason: 'Départ' })
      .expect(201);
    after = (await owner().get(`${staff()}/invoices/${invoice.id}`).expect(200))
      .body as InvoiceView;
    expect(after).toMatchObject({
      status: 'cancelled',
      creditedCents: 3000,
      cancelledAt: expect.any(String),
      pdfSha256: invoice.pdfSha256,
    });
    expect(after.creditNotes.map((n) => [n.reference, n.totalCents])).toEqual([
      ['AV-2026-000001', 1000],
      ['AV-2026-000002', 2000],
    ]);
    const unchanged = await pdfOf(invoice);
    expect(unchanged.bytes.equals(before.bytes)).toBe(true);
    expect(sha256(unchanged.bytes)).toBe(invoice.pdfSha256);
    expect((await invoices({ status: 'cancelled' })).items.map((i) => i.reference)).toEqual([
      'FA-2026-000001',
    ]);

    // Nothing left to credit: asked again, nothing more.
    const service = t.app.get(InvoicesService);
    expect(
      await t.dataSource.transaction((m) =>
        service.creditRefunds(
          { organizationId: owner().orgId, userId: null, role: 'system' },
          payment.id,
          m,
        ),
      ),
    ).toBe(0);
    expect((await invoices({ kind: 'credit_note' })).total).toBe(2);

    // Audit trail of the crediting.
    const audit = (await owner().get(`${staff()}/audit-log`).expect(200)).body as {
      items: { action: string; entityId: string; before: unknown; after: unknown }[];
    };
    expect(audit.items).toContainEqual(
      expect.objectContaining({
        action: 'invoices.cancelled',
        entityId: invoice.id,
        before: { status: 'issued', creditedCents: 1000 },
        after: expect.objectContaining({ status: 'cancelled', creditedCents: 3000 }),
      }),
    );
    expect(
      audit.items.filter((e) => e.action === 'invoices.credit-note-issued').map((e) => e.entityId),
    ).toHaveLength(2);

    // An issued invoice is never edited nor deleted, even in SQL.
    await expect(
      t.dataSource.query('UPDATE invoices SET total_cents = 1 WHERE id = $1', [invoice.id]),
    ).rejects.toThrow(/never edited/);
    await expect(
      t.dataSource.query(
        `UPDATE invoices SET status = 'issued', cancelled_at = NULL WHERE id = $1`,
        [invoice.id],
      ),
    ).rejects.toThrow(/stays cancelled/);
    await expect(
      t.dataSource.query('DELETE FROM invoices WHERE id = $1', [note.id]),
    ).rejects.toThrow(/never deleted/);
    await expect(
      t.dataSource.query(
        `UPDATE invoice_sequences SET last_number = 0 WHERE organization_id = $1`,
        [owner().orgId],
      ),
    ).rejects.toThrow(/only go forward/);
  });

  it('credits a refund made on Stripe once, however often the webhook tells it', async () => {
    const { paymentId, event } = await joinOnline();
    await deliver(t, org, event).expect(200);
    await t.queue.drain();
    const payment = (await owner().get(`${staff()}/payments/${paymentId}`).expect(200))
      .body as PaymentView;
    const chargeId = payment.stripe!.chargeId!;
    fake.refund(chargeId, 500);
    const refunded = fake.event('charge.refunded', fake.charges.get(chargeId)!);
    await deliver(t, org, refunded).expect(200);
    await deliver(t, org, refunded).expect(200);
    await deliver(t, org, fake.event('charge.refunded', fake.charges.get(chargeId)!)).expect(200);
    await t.queue.drain();
    const notes = await invoices({ kind: 'credit_note' });
    expect(notes.items.map((n) => [n.reference, n.totalCents, n.paymentMethod])).toEqual([
      ['AV-2026-000001', 500, 'card'],
    ]);
    const [invoice] = (await invoices({ kind: 'invoice' })).items;
    expect(invoice).toMatchObject({ status: 'issued', creditedCents: 500 });
  });

  it('credits a lost dispute with a credit note of its own, once, and a won one with none', async () => {
    const lost = await joinOnline();
    const won = await joinOnline();
    await deliver(t, org, lost.event).expect(200);
    await deliver(t, org, won.event).expect(200);
    await t.queue.drain();
    const chargeOf = async (paymentId: string) =>
      ((await owner().get(`${staff()}/payments/${paymentId}`).expect(200)).body as PaymentView)
        .stripe!.chargeId!;
    for (const [joined, outcome] of [
      [lost, 'lost'],
      [won, 'won'],
    ] as const) {
      const dispute = fake.dispute(await chargeOf(joined.paymentId));
      await deliver(t, org, fake.event('charge.dispute.created', dispute)).expect(200);
      await t.queue.drain();
      fake.closeDispute(dispute['id'], outcome);
      const closed = fake.event('charge.dispute.closed', fake.disputes.get(dispute['id'])!);
      await deliver(t, org, closed).expect(200);
      await deliver(t, org, closed).expect(200);
      await t.queue.drain();
    }
    const notes = await invoices({ kind: 'credit_note' });
    expect(notes.items).toHaveLength(1);
    const [note] = notes.items;
    expect(note).toMatchObject({
      reference: 'AV-2026-000001',
      paymentId: lost.paymentId,
      refundId: null,
    });
    expect(note.disputeId).toEqual(expect.any(String));
    expect(note.lines[0].description).toMatch(/^Paiement contesté \(litige perdu\)/);
    const all = (await invoices({ kind: 'invoice' })).items;
    expect(all.find((i) => i.paymentId === lost.paymentId)).toMatchObject({
      status: 'cancelled',
      creditedCents: note.totalCents,
    });
    expect(all.find((i) => i.paymentId === won.paymentId)).toMatchObject({
      status: 'issued',
      creditedCents: 0,
    });
    const { text } = await pdfText((await pdfOf(note)).bytes);
    expect(text).toMatch(/litige perdu/);
  });

  it('invoices each monthly instalment on its own, and credits only the instalment refunded', async () => {
    const planId = (
      await owner()
        .post(`${staff()}/membership-plans`, {
          name: 'Tennis loisir',
          pricingKind: 'fixed',
          tiers: [{ code: 'std', label: 'Standard', amount: '120' }],
          validityKind: 'rolling_months',
          validityMonths: 12,
          subscription: 'monthly',
        })
        .expect(201)
    ).body.id as string;
    const joined = (
      await http()
        .post(`/api/v1/public/orgs/${owner().orgId}/join`)
        .send({
          planId,
          firstName: 'Ana',
          lastName: 'Lopez',
          email: `ana.${randomBytes(4).toString('hex')}@example.org`,
          acceptTerms: true,
          autoRenew: true,
        })
        .expect(201)
    ).body as JoinResultView;
    const session = fake.sessionFor(joined.paymentId)!;
    fake.pay(session.id, { feeCents: 40, created: unix() });
    await deliver(
      t,
      org,
      fake.event('checkout.session.completed', fake.sessions.get(session.id)!),
    ).expect(200);
    const subscriptionId = fake.sessions.get(session.id)!['subscription'] as string;
    const later = [1, 2].map(() =>
      fake.renewSubscription(subscriptionId, { created: unix(), feeCents: 40 }),
    );
    for (const instalment of later) {
      const event = fake.event('invoice.paid', instalment.invoice);
      await deliver(t, org, event).expect(200);
      await deliver(t, org, event).expect(200);
    }
    await t.queue.drain();
    const first = (await owner().get(`${staff()}/payments/${joined.paymentId}`).expect(200))
      .body as PaymentView;
    const page = await invoices({ sourceId: first.purposeId! });
    expect(page.total).toBe(3);
    expect(new Set(page.items.map((i) => i.paymentId)).size).toBe(3);
    expect(page.items.map((i) => [i.reference, i.totalCents]).sort()).toEqual([
      ['FA-2026-000001', 1000],
      ['FA-2026-000002', 1000],
      ['FA-2026-000003', 1000],
    ]);
    expect(page.items.find((i) => i.paymentId === first.id)?.lines[0].description).toMatch(
      /^Cotisation Tennis loisir – Standard du 10\/03\/2026 au .* \(mensualité\)$/,
    );

    // The second instalment given back: a credit note of its own invoice only.
    fake.refund(later[0].charge['id']);
    await deliver(
      t,
      org,
      fake.event('charge.refunded', fake.charges.get(later[0].charge['id'])!),
    ).expect(200);
    await t.queue.drain();
    const refundedPayment = (
      (await owner().get(`${staff()}/payments`).query({ contactId: first.contactId! }).expect(200))
        .body as Page<PaymentView>
    ).items.find((p) => p.stripe?.chargeId === later[0].charge['id'])!;
    const after = await invoices({ sourceId: first.purposeId!, kind: 'invoice' });
    expect(
      after.items
        .map((i) => [i.paymentId === refundedPayment.id, i.status, i.creditedCents])
        .sort(),
    ).toEqual(
      [
        [false, 'issued', 0],
        [false, 'issued', 0],
        [true, 'cancelled', 1000],
      ].sort(),
    );
    const notes = await invoices({ kind: 'credit_note' });
    expect(notes.items).toEqual([
      expect.objectContaining({ reference: 'AV-2026-000001', paymentId: refundedPayment.id }),
    ]);
  });

  it('numbers invoices without gaps when many are paid at the same moment', async () => {
    const members = await Promise.all(
      ['Arnaud', 'Bernard', 'Caron', 'Dupont', 'Etienne', 'Fabre', 'Girard', 'Henry'].map((name) =>
        contact(name),
      ),
    );
    await Promise.all(members.map((m) => paidAtDesk(m.id, 'cash')));
    // And two online at once, with the desk ones still arriving.
    const online = await Promise.all([joinOnline(), joinOnline()]);
    const [lastDesk] = await Promise.all([
      contact('Imbert').then((m) => paidAtDesk(m.id, 'cheque')),
      ...online.map((o) => deliver(t, org, o.event).expect(200)),
    ]);
    expect(lastDesk.status).toBe('active');
    await t.queue.drain();
    const page = await invoices({ limit: '200' });
    expect(page.total).toBe(11);
    expect(page.items.map((i) => i.number).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
    expect(new Set(page.items.map((i) => i.paymentId)).size).toBe(11);
    const [{ last }] = await t.dataSource.query<{ last: number }[]>(
      `SELECT last_number AS last FROM invoice_sequences WHERE organization_id = $1 AND kind = 'invoice' AND year = 2026`,
      [owner().orgId],
    );
    expect(last).toBe(11);
  });

  it('prints the VAT mention set in the settings on the next invoices, the issued ones unchanged', async () => {
    const first = await paidAtDesk((await contact('Perrin')).id, 'cash');
    const view = (await owner().get(`${staff()}/invoices/settings`).expect(200))
      .body as InvoiceSettingsView;
    expect(view).toEqual({ vatMention: VAT, legalMention: null, defaultVatMention: VAT });
    const bad = await owner()
      .put(`${staff()}/invoices/settings`, { vatMention: ' ', legalMention: 'x'.repeat(501) })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'legalMention',
      'vatMention',
    ]);
    await owner()
      .put(`${staff()}/invoices/settings`, { vatMention: 'TVA non applicable', extra: 1 })
      .expect(400);
    const treasurer = await addUser(t, owner(), 'treasurer');
    const coordinator = await addUser(t, owner(), 'coordinator');
    await coordinator
      .put(`${staff()}/invoices/settings`, { vatMention: 'TVA non applicable' })
      .expect(403);
    const updated = (
      await treasurer
        .put(`${staff()}/invoices/settings`, {
          vatMention: 'TVA non applicable, art. 293 B du CGI',
          legalMention: 'Association régie par la loi du 1er juillet 1901',
        })
        .expect(200)
    ).body as InvoiceSettingsView;
    expect(updated.vatMention).toBe('TVA non applicable, art. 293 B du CGI');
    await paidAtDesk((await contact('Quentin')).id, 'cash');
    const [second, firstInvoice] = (await invoices()).items;
    expect(firstInvoice.sourceId).toBe(first.id);
    expect(firstInvoice.vatMention).toBe(VAT);
    expect(second.vatMention).toBe('TVA non applicable, art. 293 B du CGI');
    const { text } = await pdfText((await pdfOf(second, treasurer)).bytes);
    expect(text).toContain('TVA non applicable, art. 293 B du CGI');
    expect(text).toContain('Association régie par la loi du 1er juillet 1901');
    expect((await pdfText((await pdfOf(firstInvoice)).bytes)).text).toContain(VAT);
  });

  it('shows invoices to the treasurer roles of their organization only, and refuses bad input field by field', async () => {
    await paidAtDesk((await contact('Vidal')).id);
    const [invoice] = (await invoices()).items;
    const coordinator = await addUser(t, owner(), 'coordinator');
    await coordinator.get(`${staff()}/invoices`).expect(403);
    await coordinator.get(`${staff()}/invoices/${invoice.id}/pdf`).expect(403);
    const stranger = await signupOrganization(t, 'Autre association');
    const theirs = `/api/v1/orgs/${stranger.orgId}`;
    expect(
      ((await stranger.get(`${theirs}/invoices`).expect(200)).body as Page<InvoiceView>).total,
    ).toBe(0);
    await stranger.get(`${theirs}/invoices/${invoice.id}`).expect(404);
    await stranger.get(`${theirs}/invoices/${invoice.id}/pdf`).expect(404);
    await stranger.get(`${staff()}/invoices`).expect(404);
    await stranger.get(`${staff()}/invoices/${invoice.id}/pdf`).expect(404);
    await owner().get(`${staff()}/invoices/not-an-id`).expect(404);
    await owner().get(`${staff()}/invoices/00000000-0000-4000-8000-000000000000/pdf`).expect(404);
    const bad = await owner()
      .get(`${staff()}/invoices`)
      .query({ year: 'deux-mille', kind: 'facture', contactId: 'x', limit: '0' })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'contactId',
      'kind',
      'limit',
      'year',
    ]);
    await owner().get(`${staff()}/invoices`).query({ unknown: '1' }).expect(400);
    expect((await invoices({ year: '2025' })).total).toBe(0);
    expect((await invoices({ year: '2026', q: 'FA-2026' })).total).toBe(1);
    expect((await invoices({ q: 'vidal' })).total).toBe(1);
    expect((await invoices({ status: 'cancelled' })).total).toBe(0);
  });

  it("lists the member's own invoices in the member space, and serves only theirs", async () => {
    const email = `ines.${randomBytes(3).toString('hex')}@example.org`;
    const member = (
      await owner()
        .post(`${staff()}/contacts`, { firstName: 'Inès', lastName: 'Garnier', email })
        .expect(201)
    ).body as ContactView;
    await paidAtDesk(member.id, 'cash');
    await paidAtDesk((await contact('Autre')).id, 'cash');
    const all = (await invoices()).items;
    const mine = all.find((i) => i.contactId === member.id)!;
    const other = all.find((i) => i.contactId !== member.id)!;
    const space = `/api/v1/public/orgs/${owner().orgId}/member-space`;
    await http().post(`${space}/login-link`).send({ email }).expect(202);
    const link = await t.smtp.waitFor((m) => m.to.includes(email) && m.text.includes('token='));
    const token = /token=([A-Za-z0-9_-]+)/.exec(link.text)![1];
    const opened = await http().post(`${space}/session`).send({ token }).expect(200);
    const cookie = ([] as string[])
      .concat(opened.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    const listed = (
      await http().get('/api/v1/public/member-space/invoices').set('cookie', cookie).expect(200)
    ).body as InvoiceView[];
    expect(listed.map((i) => i.id)).toEqual([mine.id]);
    const pdf = await http()
      .get(`/api/v1/public/member-space/invoices/${mine.id}/pdf`)
      .set('cookie', cookie)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(sha256(pdf.body as Buffer)).toBe(mine.pdfSha256);
    await http()
      .get(`/api/v1/public/member-space/invoices/${other.id}/pdf`)
      .set('cookie', cookie)
      .expect(404);
    await http().get('/api/v1/public/member-space/invoices').expect(401);
  });
});
