import request from 'supertest';
import type { ContactConsentsView, ContactView, Page, ContactListItem } from '@ruche/contracts';
import { AuditLogEntity } from '@ruche/platform';
import {
  FixedClock,
  addUser,
  login,
  pdfText,
  signupOrganization,
  type TestApp,
  type TestSession,
} from '@ruche/testing';
import { MembershipsService } from '@ruche/memberships';
import { createTestApi } from '../testing';

describe('GDPR: consents, personal data export, erasure, retention', () => {
  let t: TestApp;
  let owner: TestSession;
  const clock = new FixedClock(new Date('2026-03-10T10:00:00Z'));
  const base = () => `/api/v1/orgs/${owner.orgId}`;

  beforeAll(async () => {
    t = await createTestApi({ clock });
  });
  beforeEach(async () => {
    clock.set(new Date('2026-03-10T10:00:00Z'));
    owner = await signupOrganization(t, 'Ciné-club du Lavoir');
  });
  afterAll(() => t.close());

  async function member(): Promise<{ contact: ContactView; entryId: string }> {
    const contact = (
      await owner
        .post(`${base()}/contacts`, {
          civility: 'mme',
          firstName: 'Zoé',
          lastName: 'Lefèvre',
          email: 'zoe.lefevre@example.org',
          phone: '06 12 34 56 78',
          postalCode: '69004',
          city: 'Lyon',
          notes: 'Allergique aux arachides',
        })
        .expect(201)
    ).body as ContactView;
    const plan = (
      await owner
        .post(`${base()}/membership-plans`, {
          name: 'Adhésion',
          pricingKind: 'fixed',
          tiers: [{ code: 'std', label: 'Standard', amount: '25' }],
          validityKind: 'calendar_year',
        })
        .expect(201)
    ).body;
    const membership = (
      await owner
        .post(`${base()}/memberships`, {
          contactId: contact.id,
          planId: plan.id,
          payment: { method: 'cheque', paidOn: '2026-03-10' },
        })
        .expect(201)
    ).body;
    return { contact, entryId: membership.entryId };
  }

  it('records consents with date and source, never edits them, and shows the latest', async () => {
    const { contact } = await member();
    await owner
      .post(`${base()}/contacts/${contact.id}/consents`, {
        kind: 'newsletter',
        granted: true,
        source: 'paper',
      })
      .expect(201);
    clock.advance(60_000);
    const after = (
      await owner
        .post(`${base()}/contacts/${contact.id}/consents`, { kind: 'newsletter', granted: false })
        .expect(201)
    ).body as ContactConsentsView;
    expect(after.current.newsletter).toMatchObject({
      granted: false,
      source: 'admin',
      recordedBy: owner.me.user.name,
    });
    expect(after.current.image_rights).toBeNull();
    expect(after.history.map((h) => [h.kind, h.granted, h.source])).toEqual([
      ['newsletter', false, 'admin'],
      ['newsletter', true, 'paper'],
    ]);
    await expect(
      t.dataSource.query('UPDATE contact_consents SET granted = true WHERE contact_id = $1', [
        contact.id,
      ]),
    ).rejects.toThrow(/never changed/);
    const bad = await owner
      .post(`${base()}/contacts/${contact.id}/consents`, { kind: 'sms', granted: true })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('kind');
  });

  it('exports everything held about a contact as JSON and as a PDF, and audits the export', async () => {
    const { contact } = await member();
    await owner
      .post(`${base()}/contacts/${contact.id}/consents`, { kind: 'image_rights', granted: true })
      .expect(201);
    const json = await owner
      .get(`${base()}/contacts/${contact.id}/personal-data?format=json`)
      .expect(200);
    expect(json.headers['content-disposition']).toBe(
      'attachment; filename="donnees-personnelles-M000001.json"',
    );
    const data = JSON.parse(json.text);
    expect(data.contact).toMatchObject({
      reference: 'M000001',
      Nom: 'Lefèvre',
      'E-mail': 'zoe.lefevre@example.org',
      Notes: 'Allergique aux arachides',
    });
    expect(data.consents).toEqual([
      expect.objectContaining({ kind: 'image_rights', granted: true }),
    ]);
    expect(data.sections).toEqual([
      {
        title: 'Paiements',
        rows: [{ label: '2026-03-10 Cotisation Adhésion', value: '25,00 EUR, succeeded (cheque)' }],
      },
      {
        // The plan has counterparts: its payment was invoiced.
        title: 'Factures et avoirs',
        rows: [{ label: 'FA-2026-000001 (2026-03-10)', value: '25,00 EUR, émise' }],
      },
      {
        title: 'Adhésions',
        rows: [
          {
            label: 'Adhésion 2026-03-10 → 2026-12-31',
            value: 'active, 25,00 EUR, payée le 2026-03-10 (cheque)',
          },
        ],
      },
    ]);
    const pdf = await request(t.app.getHttpServer())
      .get(`${base()}/contacts/${contact.id}/personal-data?format=pdf`)
      .set('cookie', owner.cookie)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const text = (await pdfText(pdf.body as Buffer)).text;
    expect(text).toContain('Lefèvre');
    expect(text).toContain('zoe.lefevre@example.org');
    expect(text).toContain('Adhésions');
    const audits = await t.dataSource
      .getRepository(AuditLogEntity)
      .findBy({ organizationId: owner.orgId, action: 'contact.personal-data-exported' });
    expect(audits.map((a) => (a.after as { format: string }).format).sort()).toEqual([
      'json',
      'pdf',
    ]);
    const coordinator = await addUser(t, owner, 'coordinator');
    await coordinator.get(`${base()}/contacts/${contact.id}/personal-data`).expect(403);
  });

  it('erases personal fields but keeps the membership and the journal entry, audited without the erased data', async () => {
    const { contact, entryId } = await member();
    const treasurer = await addUser(t, owner, 'treasurer');
    await treasurer
      .post(`${base()}/contacts/${contact.id}/erase`, { reason: 'Demande écrite', confirm: true })
      .expect(403);
    const unconfirmed = await owner
      .post(`${base()}/contacts/${contact.id}/erase`, { reason: 'Demande écrite' })
      .expect(400);
    expect(unconfirmed.body.errors[0].field).toBe('confirm');
    const erased = (
      await owner
        .post(`${base()}/contacts/${contact.id}/erase`, {
          reason: 'Demande écrite du 9 mars',
          confirm: true,
        })
        .expect(200)
    ).body as ContactView;
    expect(erased).toMatchObject({
      displayName: 'ANONYME',
      firstName: null,
      email: null,
      phone: null,
      city: null,
      notes: null,
      birthDate: null,
      customFields: {},
      reference: 'M000001',
    });
    expect(erased.erasedAt).not.toBeNull();
    expect(erased.membership).toMatchObject({ status: 'active' });
    expect(
      (await owner.get(`${base()}/accounting/entries/${entryId}`).expect(200)).body.status,
    ).toBe('posted');
    expect(
      ((await owner.get(`${base()}/contacts?q=lefevre`).expect(200)).body as Page<ContactListItem>)
        .total,
    ).toBe(0);
    const audit = await t.dataSource
      .getRepository(AuditLogEntity)
      .findOneByOrFail({
        organizationId: owner.orgId,
        action: 'contact.erased',
        entityId: contact.id,
      });
    expect(audit.after).toEqual({ reference: 'M000001', reason: 'Demande écrite du 9 mars' });
    expect(JSON.stringify(audit.after)).not.toContain('lefevre');
    await owner
      .post(`${base()}/contacts/${contact.id}/erase`, { reason: 'encore', confirm: true })
      .expect(409);
    await owner
      .put(`${base()}/contacts/${contact.id}`, { firstName: 'Zoé', lastName: 'Lefèvre' })
      .expect(409);
    const other = await signupOrganization(t, 'Autre');
    await other
      .post(`/api/v1/orgs/${other.orgId}/contacts/${contact.id}/erase`, {
        reason: 'x',
        confirm: true,
      })
      .expect(404);
  });

  it('flags contacts with no activity for the retention period, never members in good standing', async () => {
    const { contact: lapsing } = await member();
    const idle = (
      await owner.post(`${base()}/contacts`, { firstName: 'Paul', lastName: 'Oublié' }).expect(201)
    ).body as ContactView;
    const honorary = (
      await owner
        .post(`${base()}/contacts`, { firstName: 'Marie', lastName: 'Fondatrice' })
        .expect(201)
    ).body as ContactView;
    const lifetime = (
      await owner
        .post(`${base()}/membership-plans`, {
          name: 'Membre d’honneur',
          pricingKind: 'fixed',
          tiers: [{ code: 'free', label: 'Gratuit', amount: '0' }],
          validityKind: 'lifetime',
        })
        .expect(201)
    ).body;
    await owner
      .post(`${base()}/memberships`, { contactId: honorary.id, planId: lifetime.id })
      .expect(201);
    const due = async () =>
      (
        (await owner.get(`${base()}/contacts?retentionDue=true`).expect(200))
          .body as Page<ContactListItem>
      ).items
        .map((c) => c.id)
        .sort();
    expect(await due()).toEqual([]);
    clock.set(new Date('2029-06-01T10:00:00Z')); // more than 3 years later (the default retention)
    await t.app.get(MembershipsService).refreshDue();
    owner = { ...(await login(t, owner.email, owner.password)), orgId: owner.orgId };
    // The honorary member has done nothing since 2026 either, but is in good standing.
    expect(await due()).toEqual([lapsing.id, idle.id].sort());
    await owner
      .put(`${base()}/membership-settings`, {
        expiringSoonDays: 30,
        graceDays: 30,
        reminderOffsets: [],
        remindersEnabled: false,
        retentionYears: 5,
      })
      .expect(200);
    expect(await due()).toEqual([]);
  });
});
