import request from 'supertest';
import { TEST_PASSWORD, addUser, login, signupOrganization, uniqueEmail, type TestApp, type TestSession } from '@ruche/testing';
import { OutboundEmailEntity } from '@ruche/platform';
import { createTestApi } from '../testing';

describe('users, roles and invitations', () => {
  let t: TestApp;
  let owner: TestSession;

  beforeAll(async () => {
    t = await createTestApi();
    owner = await signupOrganization(t, 'Chorale');
  });
  afterAll(() => t.close());

  const api = () => request(t.app.getHttpServer());

  it('invites by e-mail: the invitation arrives, the invitee creates an account with the role', async () => {
    const email = uniqueEmail('treasurer');
    const invited = await owner.post(`/api/v1/orgs/${owner.orgId}/invitations`, { email, role: 'treasurer' }).expect(201);
    expect(invited.body).toMatchObject({ email, role: 'treasurer', status: 'pending' });
    const mail = await t.smtp.waitFor((m) => m.to.includes(email));
    expect(mail.subject).toContain('Chorale');
    expect(mail.text).toContain('trésorier');
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)![1];
    const preview = await api().get(`/api/v1/auth/invitations/preview?token=${token}`).expect(200);
    expect(preview.body).toEqual({ organizationName: 'Chorale', email, role: 'treasurer', userExists: false });
    const missing = await api().post('/api/v1/auth/invitations/accept').send({ token }).expect(422);
    expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'password']);
    const accepted = await api().post('/api/v1/auth/invitations/accept').send({ token, name: 'Tré Sorier', password: TEST_PASSWORD }).expect(200);
    expect(accepted.body.joinedOrganizationId).toBe(owner.orgId);
    expect(accepted.body.organizations).toEqual([expect.objectContaining({ organizationId: owner.orgId, role: 'treasurer' })]);
    await api().post('/api/v1/auth/invitations/accept').send({ token, name: 'Again', password: TEST_PASSWORD }).expect(422);
    const users = await owner.get(`/api/v1/orgs/${owner.orgId}/users`).expect(200);
    expect(users.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ email, role: 'treasurer' })]));
    const emails = await t.dataSource.getRepository(OutboundEmailEntity).find({ where: { organizationId: owner.orgId, toAddress: email } });
    expect(emails).toHaveLength(1);
    expect(emails[0].status).toBe('sent');
  });

  it('lets one user belong to two organizations and act in each with its own role', async () => {
    const other = await signupOrganization(t, 'Théâtre');
    const email = uniqueEmail('both');
    await other.post(`/api/v1/orgs/${other.orgId}/invitations`, { email, role: 'coordinator' }).expect(201);
    const first = /token=([A-Za-z0-9_-]+)/.exec((await t.smtp.waitFor((m) => m.to.includes(email))).text)![1];
    await api().post('/api/v1/auth/invitations/accept').send({ token: first, name: 'Double', password: TEST_PASSWORD }).expect(200);
    await owner.post(`/api/v1/orgs/${owner.orgId}/invitations`, { email, role: 'admin' }).expect(201);
    await t.smtp.waitFor((m) => m.to.includes(email) && m.subject.includes('Chorale'));
    const second = /token=([A-Za-z0-9_-]+)/.exec(t.smtp.to(email).find((m) => m.subject.includes('Chorale'))!.text)![1];
    const preview = await api().get(`/api/v1/auth/invitations/preview?token=${second}`).expect(200);
    expect(preview.body.userExists).toBe(true);
    const anonymous = await api().post('/api/v1/auth/invitations/accept').send({ token: second }).expect(403);
    expect(anonymous.body.code).toBe('invitations.login_required');
    const session = await login(t, email, TEST_PASSWORD);
    const accepted = await api().post('/api/v1/auth/invitations/accept').set('cookie', session.cookie).send({ token: second }).expect(200);
    expect(accepted.body.organizations.map((o: { role: string }) => o.role).sort()).toEqual(['admin', 'coordinator']);
    await session.put(`/api/v1/orgs/${owner.orgId}`, { name: 'Chorale', timeZone: 'Europe/Paris', currency: 'EUR', fiscalYearStartMonth: 1, locale: 'fr' }).expect(200);
    await session.put(`/api/v1/orgs/${other.orgId}`, { name: 'Théâtre', timeZone: 'Europe/Paris', currency: 'EUR', fiscalYearStartMonth: 1, locale: 'fr' }).expect(403);
  });

  it('changes roles within the rules: an admin cannot make an owner, the last owner stays', async () => {
    const admin = await addUser(t, owner, 'admin');
    const member = await addUser(t, owner, 'member');
    await admin.put(`/api/v1/orgs/${owner.orgId}/users/${member.userId}/role`, { role: 'coordinator' }).expect(200);
    const escalate = await admin.put(`/api/v1/orgs/${owner.orgId}/users/${member.userId}/role`, { role: 'owner' }).expect(403);
    expect(escalate.body.code).toBe('users.role_not_assignable');
    await admin.put(`/api/v1/orgs/${owner.orgId}/users/${owner.userId}/role`, { role: 'member' }).expect(403);
    const last = await owner.put(`/api/v1/orgs/${owner.orgId}/users/${owner.userId}/role`, { role: 'admin' }).expect(409);
    expect(last.body.code).toBe('users.last_owner');
    await owner.delete(`/api/v1/orgs/${owner.orgId}/users/${owner.userId}`).expect(409);
    await member.get(`/api/v1/orgs/${owner.orgId}/users`).expect(200);
    const bad = await owner.put(`/api/v1/orgs/${owner.orgId}/users/${member.userId}/role`, { role: 'superuser' }).expect(400);
    expect(bad.body.errors[0].field).toBe('role');
  });

  it('removes a user, who then gets 404 on the organization', async () => {
    const coordinator = await addUser(t, owner, 'coordinator');
    await coordinator.get(`/api/v1/orgs/${owner.orgId}`).expect(200);
    await owner.delete(`/api/v1/orgs/${owner.orgId}/users/${coordinator.userId}`).expect(204);
    await coordinator.get(`/api/v1/orgs/${owner.orgId}`).expect(404);
  });

  it('revokes a pending invitation so that its link no longer works', async () => {
    const email = uniqueEmail('revoked');
    const invited = await owner.post(`/api/v1/orgs/${owner.orgId}/invitations`, { email, role: 'member' }).expect(201);
    const token = /token=([A-Za-z0-9_-]+)/.exec((await t.smtp.waitFor((m) => m.to.includes(email))).text)![1];
    await owner.delete(`/api/v1/orgs/${owner.orgId}/invitations/${invited.body.id}`).expect(204);
    await api().get(`/api/v1/auth/invitations/preview?token=${token}`).expect(422);
    const list = await owner.get(`/api/v1/orgs/${owner.orgId}/invitations`).expect(200);
    expect(list.body.find((i: { id: string }) => i.id === invited.body.id).status).toBe('revoked');
  });

  it('refuses invitations, role changes and removals across organizations with 404', async () => {
    const stranger = await signupOrganization(t, 'Intrus');
    await stranger.post(`/api/v1/orgs/${owner.orgId}/invitations`, { email: uniqueEmail(), role: 'admin' }).expect(404);
    await stranger.put(`/api/v1/orgs/${owner.orgId}/users/${owner.userId}/role`, { role: 'member' }).expect(404);
    // Acting in its own organization on a user of another one: not found there either.
    await stranger.put(`/api/v1/orgs/${stranger.orgId}/users/${owner.userId}/role`, { role: 'member' }).expect(404);
    await stranger.delete(`/api/v1/orgs/${stranger.orgId}/users/${owner.userId}`).expect(404);
    const invitations = await owner.get(`/api/v1/orgs/${owner.orgId}/invitations`).expect(200);
    await stranger.delete(`/api/v1/orgs/${stranger.orgId}/invitations/${invitations.body[0].id}`).expect(404);
  });

  it('sends the invitation in English for an English-speaking organization', async () => {
    const english = await signupOrganization(t, 'Book Club');
    await english.put(`/api/v1/orgs/${english.orgId}`, { name: 'Book Club', timeZone: 'Europe/London', currency: 'GBP', fiscalYearStartMonth: 4, locale: 'en' }).expect(200);
    const email = uniqueEmail('en');
    await english.post(`/api/v1/orgs/${english.orgId}/invitations`, { email, role: 'member' }).expect(201);
    const mail = await t.smtp.waitFor((m) => m.to.includes(email));
    expect(mail.subject).toContain('invites you');
  });
});
