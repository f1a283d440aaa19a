import request from 'supertest';
import { randomBytes } from 'node:crypto';
import type { ContactMembershipView, ContactView, PlanView } from '@ruche/contracts';
import {
  FixedClock,
  addUser,
  pdfText,
  signupOrganization,
  type TestApp,
  type TestSession,
} from '@ruche/testing';
import { createTestApi } from '../testing';

/** Reads a binary answer (a PDF) whole. */
function binary(test: request.Test): request.Test {
  return test.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
}

/**
 * The attestation d'adhésion: downloaded by staff who read memberships and by the member in the
 * member space (their own paid memberships only), and sent by e-mail with the invoice when a
 * payment is taken at the desk (unless staff say not to), once per membership.
 */
describe('membership attestations: downloads, and the confirmation of a desk payment', () => {
  let t: TestApp;
  let owner: TestSession;
  let plan: PlanView;
  const clock = new FixedClock(new Date('2026-03-10T10:00:00Z'));
  const staff = () => `/api/v1/orgs/${owner.orgId}`;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await createTestApi({ clock });
  });
  beforeEach(async () => {
    clock.set(new Date('2026-03-10T10:00:00Z'));
    owner = await signupOrganization(t, 'Club de Tennis du Parc');
    // A sports club: the fee buys lessons (counterparts, not receipt-eligible: invoiced).
    plan = (
      await owner
        .post(`${staff()}/membership-plans`, {
          name: 'Adhésion tennis',
          pricingKind: 'fixed',
          tiers: [{ code: 'std', label: 'Standard', amount: '30' }],
          validityKind: 'calendar_year',
        })
        .expect(201)
    ).body as PlanView;
  });
  afterAll(() => t.close());

  async function contact(
    firstName: string,
    lastName: string,
    email: string | null = `${randomBytes(4).toString('hex')}@example.org`,
  ): Promise<ContactView> {
    return (
      await owner
        .post(`${staff()}/contacts`, {
          firstName,
          lastName,
          ...(email ? { email } : {}),
          addressLine1: '8 rue Garibaldi',
          postalCode: '69006',
          city: 'Lyon',
          confirmNotDuplicate: true,
        })
        .expect(201)
    ).body as ContactView;
  }

  async function membership(
    contactId: string,
    payment?: Record<string, unknown>,
  ): Promise<ContactMembershipView> {
    return (
      await owner
        .post(`${staff()}/memberships`, { contactId, planId: plan.id, payment })
        .expect(201)
    ).body as ContactMembershipView;
  }

  const cheque = (extra: Record<string, unknown> = {}) => ({
    method: 'cheque',
    paidOn: '2026-03-09',
    reference: 'CHQ 0012345',
    ...extra,
  });

  /** Confirmations of memberships queued for this organization (sent or not). */
  async function confirmationsTo(address: string): Promise<number> {
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM outbound_emails
        WHERE organization_id = $1 AND template = 'membership.paid' AND to_address = $2`,
      [owner.orgId, address],
    );
    return n;
  }

  /** Lets queued e-mails go out (the queue, then the SMTP round trip). */
  async function settle(): Promise<void> {
    await t.queue.drain();
    await new Promise((resolve) => setTimeout(resolve, 300));
  }

  it('serves the attestation of a paid membership to the roles that read memberships, in any script', async () => {
    const member = await contact('Łukasz', 'Nguyễn');
    const paid = await membership(member.id, cheque({ notify: false }));
    const url = `${staff()}/memberships/${paid.id}/attestation`;
    const res = await binary(owner.get(url)).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="attestation-adhesion-${paid.contactReference}-2026.pdf"`,
    );
    const { text } = await pdfText(res.body as Buffer);
    for (const printed of [
      "Attestation d'adhésion",
      'NGUYỄN Łukasz',
      `membre ${paid.contactReference}`,
      'du 10/03/2026 au 31/12/2026',
      'Adhésion tennis – Standard',
      'Cotisation réglée : 30,00 EUR, le 09/03/2026 par chèque (référence CHQ 0012345).',
    ])
      expect(text).toContain(printed);

    // memberships.read: the coordinator and the treasurer too; a plain member of staff is refused.
    for (const role of ['coordinator', 'treasurer']) {
      const session = await addUser(t, owner, role);
      const again = await binary(session.get(url)).expect(200);
      expect((again.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    }
    const plain = await addUser(t, owner, 'member');
    expect((await plain.get(url).expect(403)).body.code).toBeDefined();

    // A free membership: nothing was paid, and the attestation says so.
    const free = (
      await owner
        .post(`${staff()}/membership-plans`, {
          name: 'Membre d’honneur',
          pricingKind: 'fixed',
          tiers: [{ code: 'std', label: 'Standard', amount: '0' }],
          validityKind: 'calendar_year',
        })
        .expect(201)
    ).body as PlanView;
    const honorary = (
      await owner
        .post(`${staff()}/memberships`, { contactId: member.id, planId: free.id })
        .expect(201)
    ).body as ContactMembershipView;
    const freeText = await pdfText(
      (await binary(owner.get(`${staff()}/memberships/${honorary.id}/attestation`)).expect(200))
        .body as Buffer,
    );
    expect(freeText.text).toContain('Adhésion gratuite, enregistrée le 10/03/2026.');
  });

  it('refuses unpaid and cancelled memberships with a code, and knows no other organization’s', async () => {
    const member = await contact('Léa', 'Moreau');
    const unpaid = await membership(member.id);
    const notPaid = await owner.get(`${staff()}/memberships/${unpaid.id}/attestation`).expect(409);
    expect(notPaid.body).toMatchObject({
      code: 'memberships.not_paid',
      message: expect.stringContaining('not paid'),
    });

    const paid = await membership((await contact('Paul', 'Girard')).id, cheque({ notify: false }));
    await owner
      .post(`${staff()}/memberships/${paid.id}/cancel`, { reason: 'Départ du club' })
      .expect(201);
    const cancelled = await owner.get(`${staff()}/memberships/${paid.id}/attestation`).expect(409);
    expect(cancelled.body.code).toBe('memberships.cancelled');

    const alive = await membership((await contact('Anne', 'Roux')).id, cheque({ notify: false }));
    const other = await signupOrganization(t, 'Autre club');
    const crossed = await other
      .get(`/api/v1/orgs/${other.orgId}/memberships/${alive.id}/attestation`)
      .expect(404);
    expect(crossed.body.code).toBe('memberships.not_found');
    await other.get(`${staff()}/memberships/${alive.id}/attestation`).expect(404);
    await owner.get(`${staff()}/memberships/not-a-uuid/attestation`).expect(404);
    await http().get(`${staff()}/memberships/${alive.id}/attestation`).expect(401);
  });

  it("lets the member download their own attestation in the member space, never another's", async () => {
    const email = `ines.${randomBytes(3).toString('hex')}@example.org`;
    const member = await contact('Inès', 'Garnier', email);
    const mine = await membership(member.id, cheque({ notify: false }));
    const theirs = await membership(
      (await contact('Autre', 'Membre')).id,
      cheque({ notify: false }),
    );

    const space = `/api/v1/public/orgs/${owner.orgId}/member-space`;
    await http().post(`${space}/login-link`).send({ email }).expect(202);
    const link = await t.smtp.waitFor(
      (m) => m.to.includes(email) && m.text.includes('/connexion?token='),
    );
    const token = /token=([A-Za-z0-9_-]+)/.exec(link.text)![1];
    const opened = await http().post(`${space}/session`).send({ token }).expect(200);
    const cookie = ([] as string[])
      .concat(opened.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    const url = (id: string) => `/api/v1/public/member-space/memberships/${id}/attestation`;

    const own = await binary(http().get(url(mine.id)).set('cookie', cookie)).expect(200);
    expect(own.headers['content-type']).toBe('application/pdf');
    expect(own.headers['content-disposition']).toBe(
      `attachment; filename="attestation-adhesion-${mine.contactReference}-2026.pdf"`,
    );
    const { text } = await pdfText(own.body as Buffer);
    expect(text).toContain('GARNIER Inès');
    expect(text).toContain('30,00 EUR');

    const other = await http().get(url(theirs.id)).set('cookie', cookie).expect(404);
    expect(other.body.code).toBe('memberships.not_found');
    await http().get(url('not-a-uuid')).set('cookie', cookie).expect(404);
    await http().get(url(mine.id)).expect(401);

    // Their own renewal, not paid yet: no attestation until it is.
    const renewal = (await owner.post(`${staff()}/memberships/${mine.id}/renew`, {}).expect(201))
      .body as ContactMembershipView;
    const unpaid = await http().get(url(renewal.id)).set('cookie', cookie).expect(409);
    expect(unpaid.body.code).toBe('memberships.not_paid');
  });

  it('e-mails the attestation and the invoice when a cheque is recorded at the desk, once', async () => {
    const email = `lukasz.${randomBytes(3).toString('hex')}@example.org`;
    const member = await contact('Łukasz', 'Nguyễn', email);
    const pending = await membership(member.id);
    await owner.post(`${staff()}/memberships/${pending.id}/payment`, cheque()).expect(201);

    const mail = await t.smtp.waitFor(
      (m) => m.to.includes(email) && m.subject.includes('est confirmée'),
    );
    expect(mail.subject).toBe('Votre adhésion à Club de Tennis du Parc est confirmée');
    expect(mail.text).toContain('Bonjour NGUYỄN Łukasz');
    expect(mail.text).toContain('votre facture n° FA-2026-000001 (acquittée)');
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      [`attestation-adhesion-${pending.contactReference}.pdf`, 'application/pdf'],
      ['facture-FA-2026-000001.pdf', 'application/pdf'],
    ]);
    const attestation = await pdfText(mail.attachments[0].content);
    expect(attestation.text).toContain("Attestation d'adhésion");
    expect(attestation.text).toContain('NGUYỄN Łukasz');
    expect(attestation.text).toContain('par chèque');
    const invoice = await pdfText(mail.attachments[1].content);
    expect(invoice.text).toContain('N° FA-2026-000001');

    // Recorded twice: refused as before, and nothing more is sent.
    const twice = await owner
      .post(`${staff()}/memberships/${pending.id}/payment`, cheque())
      .expect(409);
    expect(twice.body.code).toBe('memberships.already_paid');
    await settle();
    expect(t.smtp.to(email)).toHaveLength(1);
    expect(await confirmationsTo(email)).toBe(1);

    // A renewal paid at the desk is a new membership: its own confirmation.
    await owner
      .post(`${staff()}/memberships/${pending.id}/renew`, {
        payment: { method: 'cash', paidOn: '2026-03-10' },
      })
      .expect(201);
    await t.smtp.waitFor(
      (m) => m.to.includes(email) && m.text.includes('valable jusqu’au 31/12/2027'),
    );
    expect(await confirmationsTo(email)).toBe(2);
  });

  it('sends nothing when staff untick the confirmation, or when the member has no address', async () => {
    const email = `paul.${randomBytes(3).toString('hex')}@example.org`;
    const quiet = await contact('Paul', 'Girard', email);
    const created = await membership(quiet.id, cheque({ notify: false }));
    expect(created).toMatchObject({ status: 'active', paidOn: '2026-03-09' });
    const pending = await membership((await contact('Zoé', 'Perrin', email)).id);
    await owner
      .post(`${staff()}/memberships/${pending.id}/payment`, {
        method: 'transfer',
        paidOn: '2026-03-10',
        notify: false,
      })
      .expect(201);
    const noAddress = await contact('Hugo', 'Sans', null);
    await membership(noAddress.id, cheque());
    await settle();
    expect(t.smtp.to(email)).toHaveLength(0);
    expect(await confirmationsTo(email)).toBe(0);
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM outbound_emails WHERE organization_id = $1 AND template = 'membership.paid'`,
      [owner.orgId],
    );
    expect(n).toBe(0);
    // The invoices are issued all the same: only the e-mail is left out.
    const invoices = (await owner.get(`${staff()}/invoices`).expect(200)).body as { total: number };
    expect(invoices.total).toBe(3);
    // notify is a boolean or nothing.
    const bad = await owner
      .post(`${staff()}/memberships/${pending.id}/payment`, { ...cheque(), notify: 'yes' })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('notify');
  });
});
