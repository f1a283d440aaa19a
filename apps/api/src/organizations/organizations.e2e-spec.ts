import request from 'supertest';
import { addUser, signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import { AuditLogEntity } from '@ruche/platform';
import { createTestApi } from '../testing';

const validIdentity = {
  name: 'Les Jardins Partagés',
  legalName: 'Association Les Jardins Partagés',
  addressLine1: '3 place du Marché',
  postalCode: '75011',
  city: 'Paris',
  country: 'FR',
  siren: '732 829 320',
  rna: 'w751234567',
  object: 'Créer et animer des jardins partagés ouverts à tous.',
  organismType: 'general_interest',
  email: 'Contact@Jardins.example',
  timeZone: 'Europe/Paris',
  currency: 'EUR',
  fiscalYearStartMonth: 9,
  locale: 'fr',
};

describe('organization settings', () => {
  let t: TestApp;
  let owner: TestSession;

  beforeAll(async () => {
    t = await createTestApi();
    owner = await signupOrganization(t, 'Jardins');
  });
  afterAll(() => t.close());

  it('updates the legal identity, normalizes it, and audits before/after', async () => {
    const res = await owner.put(`/api/v1/orgs/${owner.orgId}`, validIdentity).expect(200);
    expect(res.body).toMatchObject({
      name: 'Les Jardins Partagés',
      siren: '732829320',
      rna: 'W751234567',
      email: 'contact@jardins.example',
      fiscalYearStartMonth: 9,
      organismType: 'general_interest',
    });
    const audit = await t.dataSource.getRepository(AuditLogEntity).findOneOrFail({
      where: { organizationId: owner.orgId, action: 'organization.updated' },
    });
    expect(audit.actorUserId).toBe(owner.userId);
    expect((audit.before as { name: string }).name).toBe('Jardins');
    expect((audit.after as { name: string }).name).toBe('Les Jardins Partagés');
    const log = await owner.get(`/api/v1/orgs/${owner.orgId}/audit-log`).expect(200);
    expect(log.body.items.map((i: { action: string }) => i.action)).toContain('organization.updated');
  });

  it.each([
    ['siren', '732829321', 'Invalid SIREN'],
    ['siren', '1234', 'A SIREN has 9 digits'],
    ['rna', 'X123', 'An RNA number is W followed by 9 digits'],
    ['timeZone', 'Mars/Olympus', 'Unknown IANA time zone'],
    ['fiscalYearStartMonth', 13, 'Too big'],
    ['currency', 'euro', 'ISO 4217'],
    ['email', 'not-an-email', 'Invalid email'],
  ])('refuses %s = %p with the field and the reason', async (field, value, reason) => {
    const res = await owner.put(`/api/v1/orgs/${owner.orgId}`, { ...validIdentity, [field]: value }).expect(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field, message: expect.stringContaining(reason) })]),
    );
  });

  it('requires a description when the organism type is "other"', async () => {
    const res = await owner.put(`/api/v1/orgs/${owner.orgId}`, { ...validIdentity, organismType: 'other' }).expect(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'organismTypeOther' })]);
  });

  it('refuses unknown fields instead of ignoring them', async () => {
    const res = await owner.put(`/api/v1/orgs/${owner.orgId}`, { ...validIdentity, isAdmin: true }).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'isAdmin', code: 'unknown_field' })]);
  });

  it('answers 404 to a user of another organization, for reads and writes, and changes nothing', async () => {
    const stranger = await signupOrganization(t, 'Voisins');
    const read = await stranger.get(`/api/v1/orgs/${owner.orgId}`).expect(404);
    expect(read.body.code).toBe('organizations.not_found');
    await stranger.put(`/api/v1/orgs/${owner.orgId}`, { ...validIdentity, name: 'Volé' }).expect(404);
    await stranger.get(`/api/v1/orgs/${owner.orgId}/users`).expect(404);
    await stranger.get(`/api/v1/orgs/${owner.orgId}/audit-log`).expect(404);
    await stranger.get(`/api/v1/orgs/${owner.orgId}/emails`).expect(404);
    await stranger.get(`/api/v1/orgs/${owner.orgId}/dashboard`).expect(404);
    const org = await owner.get(`/api/v1/orgs/${owner.orgId}`).expect(200);
    expect(org.body.name).not.toBe('Volé');
  });

  it('answers 404 for a malformed or unknown organization id, and 401 without a session', async () => {
    await owner.get('/api/v1/orgs/not-a-uuid').expect(404);
    await owner.get('/api/v1/orgs/00000000-0000-4000-8000-000000000000').expect(404);
    await request(t.app.getHttpServer()).get(`/api/v1/orgs/${owner.orgId}`).expect(401);
  });

  it('lets a coordinator read but not change the settings, and a member not see the audit log', async () => {
    const coordinator = await addUser(t, owner, 'coordinator');
    await coordinator.get(`/api/v1/orgs/${owner.orgId}`).expect(200);
    const res = await coordinator.put(`/api/v1/orgs/${owner.orgId}`, validIdentity).expect(403);
    expect(res.body.code).toBe('auth.forbidden');
    const member = await addUser(t, owner, 'member');
    await member.get(`/api/v1/orgs/${owner.orgId}/audit-log`).expect(403);
    await member.get(`/api/v1/orgs/${owner.orgId}/dashboard`).expect(403);
  });

  it("shows its members' sign-ins in the audit log, and not those of other organizations' users", async () => {
    const treasurer = await addUser(t, owner, 'treasurer');
    const outsider = await signupOrganization(t, 'Autre association');
    const api = () => request(t.app.getHttpServer());
    await api().post('/api/v1/auth/login').send({ email: treasurer.email, password: 'not the password at all' }).expect(401);
    await api().post('/api/v1/auth/login').send({ email: outsider.email, password: 'not the password at all' }).expect(401);
    await treasurer.post('/api/v1/auth/logout').expect(204);
    const log = await owner.get(`/api/v1/orgs/${owner.orgId}/audit-log?limit=100`).expect(200);
    const items = log.body.items as { action: string; actorUserId: string | null; entityId: string | null }[];
    const whose = (i: { actorUserId: string | null; entityId: string | null }) => i.actorUserId ?? i.entityId;
    expect(items.filter((i) => i.action === 'auth.login' && whose(i) === treasurer.userId)).toHaveLength(1);
    expect(items.filter((i) => i.action === 'auth.login-failed' && whose(i) === treasurer.userId)).toHaveLength(1);
    expect(items.filter((i) => i.action === 'auth.logout' && whose(i) === treasurer.userId)).toHaveLength(1);
    expect(items.some((i) => whose(i) === outsider.userId)).toBe(false);
    expect(log.body.total).toBeGreaterThanOrEqual(items.length);
    const theirs = await outsider.get(`/api/v1/orgs/${outsider.orgId}/audit-log?limit=100`).expect(200);
    expect((theirs.body.items as { actorUserId: string | null; entityId: string | null }[]).some((i) => whose(i) === treasurer.userId)).toBe(false);
  });

  it('shows a dashboard with counts and recent activity', async () => {
    const res = await owner.get(`/api/v1/orgs/${owner.orgId}/dashboard`).expect(200);
    expect(res.body.organization.id).toBe(owner.orgId);
    expect(res.body.users).toBeGreaterThanOrEqual(1);
    expect(res.body.recentActivity.length).toBeGreaterThan(0);
    expect(res.body.emails).toEqual(expect.objectContaining({ pending: expect.any(Number), sent: expect.any(Number) }));
  });
});
