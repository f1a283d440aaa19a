import { TEST_PASSWORD, uniqueEmail, type TestApp } from '@ruche/testing';
import { createTestApi } from '../testing';

const LIMIT = 5;

/**
 * The per-IP limit of the credential routes at a production-like value (every other suite raises
 * it): the sixth login in the minute from one address is refused with 429 and Retry-After,
 * whichever account it names, while another address still gets in; and the per-account lockout
 * after 5 failures holds on its own, from any address.
 */
describe('login rate limit: per IP, next to the per-account lockout', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApi({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
  });
  afterAll(() => t.close());

  /** A request from a given client address (the socket's, as Fastify sees it without a proxy). */
  const post = (ip: string, url: string, payload: object) =>
    t.app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'POST', url, payload, remoteAddress: ip });
  const loginFrom = (ip: string, email: string, password = TEST_PASSWORD) =>
    post(ip, '/api/v1/auth/login', { email, password });

  async function account(ip: string): Promise<string> {
    const email = uniqueEmail('limited');
    const res = await post(ip, '/api/v1/auth/signup', {
      organizationName: 'Association limitée',
      name: 'Camille',
      email,
      password: TEST_PASSWORD,
    });
    expect(res.statusCode).toBe(201);
    return email;
  }

  it('is the configured limit', () => {
    expect(t.config.loginRateLimitPerMinute).toBe(LIMIT);
  });

  it('refuses the sixth login of the minute from one address, whatever the account, and not another address', async () => {
    const first = await account('198.51.100.1');
    const second = await account('198.51.100.1');
    const ip = '198.51.100.10';
    for (let i = 0; i < LIMIT; i++) expect((await loginFrom(ip, first)).statusCode).toBe(200);
    const refused = await loginFrom(ip, first);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.json()).toMatchObject({
      statusCode: 429,
      code: 'rate_limited',
      message: expect.stringMatching(/rate limit/i),
    });
    // Per address, not per account: the other account from the same address is refused too...
    const other = await loginFrom(ip, second);
    expect(other.statusCode).toBe(429);
    expect(Number(other.headers['retry-after'])).toBeGreaterThan(0);
    expect(other.headers['set-cookie']).toBeUndefined();
    // ...and the same account from another address gets in.
    const elsewhere = await loginFrom('198.51.100.11', first);
    expect(elsewhere.statusCode).toBe(200);
    expect(String(elsewhere.headers['set-cookie'])).toMatch(/ruche_session=/);
  });

  it('counts failed logins against the address too', async () => {
    const email = await account('198.51.100.2');
    const ip = '198.51.100.20';
    for (let i = 0; i < LIMIT; i++) {
      const res = await loginFrom(ip, uniqueEmail('nobody'), `wrong-${i}`);
      expect(res.statusCode).toBe(401);
    }
    const refused = await loginFrom(ip, email);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('still locks an account after 5 failures, from any address, with the limit at its default-like value', async () => {
    const email = await account('198.51.100.3');
    // Five failures from five addresses: none of them reaches the per-address limit.
    for (let i = 0; i < 5; i++) {
      const res = await loginFrom(`198.51.100.${30 + i}`, email, `wrong-${i}`);
      expect(res.statusCode).toBe(401);
      expect(res.json<{ code: string }>().code).toBe('auth.invalid_credentials');
    }
    // The right password from a fresh address: the account is locked.
    const locked = await loginFrom('198.51.100.40', email);
    expect(locked.statusCode).toBe(429);
    expect(locked.json<{ code: string }>().code).toBe('auth.locked');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.headers['set-cookie']).toBeUndefined();
  });
});
