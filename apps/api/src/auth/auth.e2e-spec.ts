import request from 'supertest';
import { IsNull } from 'typeorm';
import { FixedClock, TEST_PASSWORD, login, signupOrganization, uniqueEmail, type TestApp } from '@ruche/testing';
import { SessionEntity } from '@ruche/organizations';
import { AuditLogEntity } from '@ruche/platform';
import { createTestApi } from '../testing';

describe('auth', () => {
  let t: TestApp;
  const clock = new FixedClock(new Date('2026-03-02T09:00:00Z'));

  beforeAll(async () => {
    t = await createTestApi({ clock });
  });
  afterAll(() => t.close());

  const api = () => request(t.app.getHttpServer());

  it('signs up an organization with its owner and opens a session', async () => {
    const owner = await signupOrganization(t, 'Club de lecture');
    expect(owner.me.organizations).toEqual([
      { organizationId: owner.orgId, organizationName: 'Club de lecture', role: 'owner' },
    ]);
    const me = await owner.get('/api/v1/auth/me').expect(200);
    expect(me.body.user.email).toBe(owner.email);
    const org = await owner.get(`/api/v1/orgs/${owner.orgId}`).expect(200);
    expect(org.body).toMatchObject({ name: 'Club de lecture', timeZone: 'Europe/Paris', currency: 'EUR', fiscalYearStartMonth: 1 });
  });

  it('scopes a session to its own organizations: another organization answers 404', async () => {
    const a = await signupOrganization(t, 'Association A');
    const b = await signupOrganization(t, 'Association B');
    for (const path of ['', '/dashboard', '/users', '/audit-log', '/emails']) {
      const response = await a.get(`/api/v1/orgs/${b.orgId}${path}`).expect(404);
      expect(JSON.stringify(response.body)).not.toContain('Association B');
    }
    const me = await a.get('/api/v1/auth/me').expect(200);
    expect(me.body.organizations.map((o: { organizationId: string }) => o.organizationId)).toEqual([a.orgId]);
  });

  it('sets an HTTP-only SameSite cookie and never returns the password hash', async () => {
    const email = uniqueEmail();
    const res = await api()
      .post('/api/v1/auth/signup')
      .send({ organizationName: 'Asso cookie', name: 'A', email, password: TEST_PASSWORD })
      .expect(201);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/ruche_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|passwordHash/);
  });

  it('refuses a second sign-up with the same e-mail, naming the field', async () => {
    const owner = await signupOrganization(t);
    const res = await api()
      .post('/api/v1/auth/signup')
      .send({ organizationName: 'Autre', name: 'B', email: owner.email.toUpperCase(), password: TEST_PASSWORD })
      .expect(409);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'email', code: 'auth.email_taken' })]);
  });

  it('gives the same answer for an unknown e-mail and a wrong password', async () => {
    const owner = await signupOrganization(t);
    const wrong = await api().post('/api/v1/auth/login').send({ email: owner.email, password: 'not the password' }).expect(401);
    const unknown = await api().post('/api/v1/auth/login').send({ email: uniqueEmail('nobody'), password: 'whatever123' }).expect(401);
    expect(wrong.body.code).toBe('auth.invalid_credentials');
    expect(unknown.body.code).toBe(wrong.body.code);
    expect(unknown.body.message).toBe(wrong.body.message);
  });

  it('locks an e-mail after 5 failures in the window, then lets it in once the window has passed', async () => {
    const owner = await signupOrganization(t);
    for (let i = 0; i < 5; i++) {
      await api().post('/api/v1/auth/login').send({ email: owner.email, password: `wrong-${i}` }).expect(401);
    }
    const locked = await api().post('/api/v1/auth/login').send({ email: owner.email, password: TEST_PASSWORD }).expect(429);
    expect(locked.body.code).toBe('auth.locked');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    clock.advance(16 * 60_000);
    await login(t, owner.email, TEST_PASSWORD);
    const failures = await t.dataSource.getRepository(AuditLogEntity).count({
      where: { action: 'auth.login-failed', actorUserId: IsNull() },
    });
    expect(failures).toBeGreaterThanOrEqual(5);
  });

  it('locks unknown e-mails the same way (no account enumeration through the lockout)', async () => {
    const email = uniqueEmail('ghost');
    for (let i = 0; i < 5; i++) await api().post('/api/v1/auth/login').send({ email, password: `wrong-${i}` }).expect(401);
    const res = await api().post('/api/v1/auth/login').send({ email, password: 'wrong-again' }).expect(429);
    expect(res.body.code).toBe('auth.locked');
  });

  it('requires the CSRF token on state-changing requests made with the cookie', async () => {
    const owner = await signupOrganization(t);
    const withoutToken = await api()
      .put(`/api/v1/orgs/${owner.orgId}`)
      .set('cookie', owner.cookie)
      .send({ name: 'Pirate', timeZone: 'Europe/Paris', currency: 'EUR', fiscalYearStartMonth: 1, locale: 'fr' })
      .expect(403);
    expect(withoutToken.body.code).toBe('auth.csrf');
    await api()
      .put(`/api/v1/orgs/${owner.orgId}`)
      .set('cookie', owner.cookie)
      .set('x-csrf-token', 'forged')
      .send({ name: 'Pirate', timeZone: 'Europe/Paris', currency: 'EUR', fiscalYearStartMonth: 1, locale: 'fr' })
      .expect(403);
    const org = await owner.get(`/api/v1/orgs/${owner.orgId}`).expect(200);
    expect(org.body.name).not.toBe('Pirate');
  });

  it('logs out: the session is revoked and the cookie no longer works', async () => {
    const owner = await signupOrganization(t);
    await owner.post('/api/v1/auth/logout').expect(204);
    await owner.get('/api/v1/auth/me').expect(401);
    const open = await t.dataSource.getRepository(SessionEntity).count({ where: { userId: owner.userId, revokedAt: IsNull() } });
    expect(open).toBe(0);
  });

  it('expires sessions after SESSION_TTL_HOURS', async () => {
    const owner = await signupOrganization(t);
    await owner.get('/api/v1/auth/me').expect(200);
    clock.advance(t.config.sessionTtlHours * 3_600_000 + 1000);
    await owner.get('/api/v1/auth/me').expect(401);
  });

  it('resets a password from the e-mailed link, revoking every open session', async () => {
    const owner = await signupOrganization(t);
    await api().post('/api/v1/auth/password-reset/request').send({ email: owner.email }).expect(202);
    const mail = await t.smtp.waitFor((m) => m.to.includes(owner.email) && /mot de passe/i.test(m.subject));
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    expect(token).toBeDefined();
    await api().post('/api/v1/auth/password-reset/confirm').send({ token, password: 'a brand new passphrase' }).expect(204);
    await owner.get('/api/v1/auth/me').expect(401);
    await api().post('/api/v1/auth/login').send({ email: owner.email, password: TEST_PASSWORD }).expect(401);
    await login(t, owner.email, 'a brand new passphrase');
    const reused = await api().post('/api/v1/auth/password-reset/confirm').send({ token, password: 'yet another passphrase' }).expect(422);
    expect(reused.body.errors[0].field).toBe('token');
  });

  it('answers a reset request for an unknown e-mail exactly like a known one, and sends nothing', async () => {
    const email = uniqueEmail('unknown');
    const res = await api().post('/api/v1/auth/password-reset/request').send({ email }).expect(202);
    expect(res.body).toEqual({ accepted: true });
    await new Promise((r) => setTimeout(r, 200));
    expect(t.smtp.to(email)).toHaveLength(0);
  });

  it('rejects a too short password with the field and the reason', async () => {
    const res = await api()
      .post('/api/v1/auth/signup')
      .send({ organizationName: 'Asso', name: 'A', email: uniqueEmail(), password: 'short' })
      .expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'password', code: 'too_small' })]);
  });
});
