import request from 'supertest';
import type { ContactView, MemberSpaceView } from '@ruche/contracts';
import { FixedClock, signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import { createTestApi } from '../testing';

describe('member space: login by e-mail link, own standing, details, consents, renewal', () => {
  let t: TestApp;
  let owner: TestSession;
  const clock = new FixedClock(new Date('2026-03-10T10:00:00Z'));
  const staff = () => `/api/v1/orgs/${owner.orgId}`;
  const space = () => `/api/v1/public/orgs/${owner.orgId}/member-space`;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await createTestApi({ clock });
  });
  beforeEach(async () => {
    clock.set(new Date('2026-03-10T10:00:00Z'));
    owner = await signupOrganization(t, 'Atelier Vélo Solidaire');
  });
  afterAll(() => t.close());

  async function member(email: string): Promise<ContactView> {
    const contact = (
      await owner
        .post(`${staff()}/contacts`, {
          firstName: 'Inès',
          lastName: 'Garnier',
          email,
          locale: 'fr',
        })
        .expect(201)
    ).body as ContactView;
    const plan = (
      await owner
        .post(`${staff()}/membership-plans`, {
          name: 'Adhésion',
          pricingKind: 'fixed',
          tiers: [{ code: 'std', label: 'Standard', amount: '15' }],
          validityKind: 'calendar_year',
        })
        .expect(201)
    ).body;
    await owner
      .post(`${staff()}/memberships`, {
        contactId: contact.id,
        planId: plan.id,
        payment: { method: 'cash', paidOn: '2026-03-10' },
      })
      .expect(201);
    return contact;
  }

  async function linkToken(email: string): Promise<string> {
    const before = t.smtp.to(email).length;
    await http().post(`${space()}/login-link`).send({ email: email.toUpperCase() }).expect(202);
    // The link, not the payment confirmation the desk payment sent the member too.
    const mail = await t.smtp.waitFor(
      (m) =>
        m.to.includes(email) &&
        m.text.includes('/connexion?token=') &&
        t.smtp.to(email).indexOf(m) >= before,
    );
    expect(mail.subject).toBe('Votre espace membre Atelier Vélo Solidaire');
    const match = new RegExp(
      `/espace-membre/${owner.orgId}/connexion\\?token=([A-Za-z0-9_-]+)`,
    ).exec(mail.text);
    expect(match).not.toBeNull();
    return match![1];
  }

  async function login(email: string): Promise<{ cookie: string; view: MemberSpaceView }> {
    const res = await http()
      .post(`${space()}/session`)
      .send({ token: await linkToken(email) })
      .expect(200);
    const cookie = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    expect(cookie).toMatch(/^ruche_member=/);
    return { cookie, view: res.body as MemberSpaceView };
  }

  it('says nothing about unknown addresses and sends a one-time link to members', async () => {
    await member('ines@example.org');
    await http().post(`${space()}/login-link`).send({ email: 'inconnu@example.org' }).expect(202);
    await http()
      .post(`/api/v1/public/orgs/not-a-uuid/member-space/login-link`)
      .send({ email: 'ines@example.org' })
      .expect(202);
    const token = await linkToken('ines@example.org');
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM outbound_emails WHERE to_address = 'inconnu@example.org'`,
    );
    expect(n).toBe(0);
    const other = await signupOrganization(t, 'Autre atelier');
    await http()
      .post(`/api/v1/public/orgs/${other.orgId}/member-space/session`)
      .send({ token })
      .expect(401);
    const first = await http().post(`${space()}/session`).send({ token }).expect(200);
    expect(first.body).toMatchObject({
      organization: { name: 'Atelier Vélo Solidaire' },
      contact: { displayName: 'GARNIER Inès', reference: 'M000001' },
      standing: { status: 'active', validUntil: '2026-12-31' },
    });
    const reused = await http().post(`${space()}/session`).send({ token }).expect(401);
    expect(reused.body.code).toBe('member_space.link_invalid');
    const late = await linkToken('ines@example.org');
    clock.advance(16 * 60_000);
    await http().post(`${space()}/session`).send({ token: late }).expect(401);
  });

  it('lets the member update their details and consents (with the CSRF token), renew, and log out', async () => {
    const contact = await member('ines@example.org');
    const { cookie, view } = await login('ines@example.org');
    const me = await http().get('/api/v1/public/member-space/me').set('cookie', cookie).expect(200);
    expect(me.body.memberships).toHaveLength(1);
    expect(me.body.renewableMembershipId).toBe(me.body.memberships[0].id);
    const details = {
      email: 'ines.garnier@example.org',
      phone: '04 78 00 00 00',
      addressLine1: '3 rue Mercière',
      postalCode: '69002',
      city: 'Lyon',
      country: 'FR',
      locale: 'fr',
    };
    await http()
      .put('/api/v1/public/member-space/me')
      .set('cookie', cookie)
      .send(details)
      .expect(403);
    const bad = await http()
      .put('/api/v1/public/member-space/me')
      .set('cookie', cookie)
      .set('x-csrf-token', view.csrfToken)
      .send({ ...details, postalCode: '6900' })
      .expect(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'postalCode' });
    const updated = await http()
      .put('/api/v1/public/member-space/me')
      .set('cookie', cookie)
      .set('x-csrf-token', view.csrfToken)
      .send(details)
      .expect(200);
    expect(updated.body.contact).toMatchObject({
      email: 'ines.garnier@example.org',
      city: 'Lyon',
      postalCode: '69002',
    });
    const staffView = (await owner.get(`${staff()}/contacts/${contact.id}`).expect(200))
      .body as ContactView;
    expect(staffView).toMatchObject({
      firstName: 'Inès',
      lastName: 'Garnier',
      phone: '04 78 00 00 00',
    });
    const consent = await http()
      .post('/api/v1/public/member-space/consents')
      .set('cookie', cookie)
      .set('x-csrf-token', view.csrfToken)
      .send({ kind: 'newsletter', granted: true })
      .expect(200);
    expect(consent.body.consents.current.newsletter).toMatchObject({
      granted: true,
      source: 'member_space',
      recordedBy: null,
    });
    const renewed = await http()
      .post('/api/v1/public/member-space/renew')
      .set('cookie', cookie)
      .set('x-csrf-token', view.csrfToken)
      .send({})
      .expect(200);
    expect(renewed.body.memberships[0]).toMatchObject({
      status: 'pending_payment',
      startDate: '2027-01-01',
      source: 'member',
    });
    expect(renewed.body.renewableMembershipId).toBeNull();
    await http()
      .post('/api/v1/public/member-space/renew')
      .set('cookie', cookie)
      .set('x-csrf-token', view.csrfToken)
      .send({})
      .expect(409);
    await http()
      .post('/api/v1/public/member-space/logout')
      .set('cookie', cookie)
      .set('x-csrf-token', view.csrfToken)
      .expect(204);
    const gone = await http()
      .get('/api/v1/public/member-space/me')
      .set('cookie', cookie)
      .expect(401);
    expect(gone.body.code).toBe('member_space.login_required');
  });

  it('closes the space of an erased contact, and a staff session is no member session', async () => {
    const contact = await member('ines@example.org');
    const { cookie } = await login('ines@example.org');
    await http().get('/api/v1/public/member-space/me').set('cookie', owner.cookie).expect(401);
    await owner
      .post(`${staff()}/contacts/${contact.id}/erase`, { reason: 'Demande', confirm: true })
      .expect(200);
    await http().get('/api/v1/public/member-space/me').set('cookie', cookie).expect(401);
  });
});
