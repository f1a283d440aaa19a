import { randomBytes, randomUUID } from 'node:crypto';
import { adminQuery, FakeStripe, serverUrl, SmtpSink, TEST_DB_PREFIX } from '@ruche/testing';
import { assertBuilt, startApi, tempDataDir, type RunningApi } from './support/system';

jest.setTimeout(180_000);

/**
 * The built API as it runs in production, with its most verbose logs (LOG_LEVEL=trace): after
 * sign-up, failed and good logins, a Stripe connection, a password reset and the new password's
 * login, none of the secrets that went through it (passwords, Stripe keys, the reset token,
 * session cookie, CSRF token) appears in anything it printed. And CORS answers only the
 * configured origins.
 */
describe('secrets never reach the logs; CORS only for configured origins', () => {
  const database = `${TEST_DB_PREFIX}logs_${process.pid}_${Date.now()}`;
  const data = tempDataDir('logs');
  const sink = new SmtpSink();
  const stripe = new FakeStripe();
  const allowedOrigin = 'https://www.refuge-des-cretes.example';
  let api: RunningApi;

  beforeAll(async () => {
    assertBuilt();
    await adminQuery(`CREATE DATABASE ${database}`);
    await sink.start();
    await stripe.start();
    api = await startApi({
      DATABASE_URL: serverUrl(database),
      SMTP_URL: sink.url,
      STRIPE_API_BASE: stripe.url,
      DATA_DIR: data.dir,
      LOG_LEVEL: 'trace',
      CORS_ORIGINS: allowedOrigin,
      RUCHE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    });
  });
  afterAll(async () => {
    await api?.stop();
    await stripe.stop();
    await sink.stop();
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    data.remove();
  });

  const call = (
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${api.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
  const cookieOf = (res: Response) =>
    res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');

  it('prints none of the secrets it handled, at trace level', async () => {
    const email = `tresoriere-${randomUUID().slice(0, 8)}@example.org`;
    const firstPassword = `first ${randomBytes(9).toString('hex')} passphrase`;
    const wrongPassword = `wrong ${randomBytes(9).toString('hex')} passphrase`;
    const newPassword = `renewed ${randomBytes(9).toString('hex')} passphrase`;
    const secretKey = `sk_test_${randomBytes(16).toString('hex')}`;
    const webhookSecret = `whsec_${randomBytes(24).toString('hex')}`;

    const signup = await call('/api/v1/auth/signup', {
      method: 'POST',
      body: {
        organizationName: 'Refuge des Crêtes',
        name: 'Anne Roche',
        email,
        password: firstPassword,
        locale: 'fr',
      },
    });
    expect(signup.status).toBe(201);
    const session = (await signup.json()) as {
      csrfToken: string;
      organizations: { organizationId: string }[];
    };
    const orgId = session.organizations[0].organizationId;

    const refused = await call('/api/v1/auth/login', {
      method: 'POST',
      body: { email, password: wrongPassword },
    });
    expect(refused.status).toBe(401);
    const loggedIn = await call('/api/v1/auth/login', {
      method: 'POST',
      body: { email, password: firstPassword },
    });
    expect(loggedIn.status).toBe(200);
    const cookie = cookieOf(loggedIn);
    const { csrfToken } = (await loggedIn.json()) as { csrfToken: string };

    const connected = await call(`/api/v1/orgs/${orgId}/settings/stripe`, {
      method: 'PUT',
      headers: { cookie, 'x-csrf-token': csrfToken },
      body: { secretKey, webhookSecret },
    });
    expect(connected.status).toBe(200);
    const settings = await (
      await call(`/api/v1/orgs/${orgId}/settings/stripe`, { headers: { cookie } })
    ).text();
    expect(settings).not.toContain(secretKey);
    expect(settings).not.toContain(webhookSecret);

    const asked = await call('/api/v1/auth/password-reset/request', {
      method: 'POST',
      body: { email },
    });
    expect(asked.status).toBe(202);
    const mail = await sink.waitFor((m) => m.to.includes(email) && /mot de passe/i.test(m.subject));
    const resetToken = /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] ?? '';
    expect(resetToken.length).toBeGreaterThan(20);
    const reset = await call('/api/v1/auth/password-reset/confirm', {
      method: 'POST',
      body: { token: resetToken, password: newPassword },
    });
    expect(reset.status).toBe(204);
    const again = await call('/api/v1/auth/login', {
      method: 'POST',
      body: { email, password: newPassword },
    });
    expect(again.status).toBe(200);
    const laterCookie = cookieOf(again);

    const output = api.output();
    // The logs did record these requests (so the check below is not vacuous)...
    expect(output).toContain('/api/v1/auth/login');
    expect(output).toContain('/settings/stripe');
    expect(output).toContain('/api/v1/auth/password-reset/confirm');
    // ...and none of the secrets.
    const secrets = {
      firstPassword,
      wrongPassword,
      newPassword,
      secretKey,
      webhookSecret,
      resetToken,
      sessionCookie: cookie.split('=')[1],
      laterSessionCookie: laterCookie.split('=')[1],
      csrfToken,
    };
    const leaked = Object.entries(secrets)
      .filter(([, value]) => value && output.includes(value))
      .map(([name]) => name);
    expect(leaked).toEqual([]);
  });

  it('answers cross-origin requests only from the configured origins', async () => {
    const preflight = (origin: string) =>
      call('/api/v1/auth/login', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const allowed = await preflight(allowedOrigin);
    expect(allowed.status).toBeLessThan(300);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');

    const foreign = await preflight('https://evil.example');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await call('/api/health', { headers: { origin: 'https://evil.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    const own = await call('/api/health', { headers: { origin: allowedOrigin } });
    expect(own.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
  });
});
