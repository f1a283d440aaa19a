import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { TestApp } from '@ruche/testing';
import { createTestApi } from '../testing';

type Headers = Record<string, string | string[] | number | undefined>;

/** Helmet 8's defaults, which registerSecurityHeaders reproduces (CSP aside, checked apart). */
const HELMET_DEFAULTS: Record<string, string> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

const CSP_BASE = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'self'",
  "font-src 'self' https: data:",
  "form-action 'self'",
  "object-src 'none'",
  "script-src-attr 'none'",
];

const directives = (csp: unknown) =>
  String(csp)
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean);

/** Every header of the set, as sent; the CSP and X-Frame-Options are compared by the caller. */
function expectHelmetSet(headers: Headers): void {
  const sent = Object.fromEntries(Object.keys(HELMET_DEFAULTS).map((k) => [k, headers[k]]));
  expect(sent).toEqual(HELMET_DEFAULTS);
  expect(headers['x-powered-by']).toBeUndefined();
  expect(directives(headers['content-security-policy'])).toEqual(expect.arrayContaining(CSP_BASE));
}

/**
 * The security headers (http/security-headers.ts: helmet's, computed once) on every kind of
 * answer: the API's JSON, the admin's HTML (a file and the single-page fallback), and the public
 * join and donation pages, which alone may be framed by any site (frame-ancestors *, no
 * X-Frame-Options) so that associations can embed them.
 */
describe('secure headers: the whole helmet set, on JSON, on the admin and on the embeddable pages', () => {
  let t: TestApp;
  let secure: TestApp;
  let adminDir: string;
  const get = (app: TestApp, url: string) =>
    app.app.getHttpAdapter().getInstance().inject({ method: 'GET', url });

  beforeAll(async () => {
    adminDir = mkdtempSync(path.join(os.tmpdir(), 'ruche-admin-'));
    writeFileSync(
      path.join(adminDir, 'index.html'),
      '<!doctype html><html><head><title>Ruche</title></head><body><div id="root"></div></body></html>',
    );
    t = await createTestApi({ env: { ADMIN_DIST_DIR: adminDir, COOKIE_SECURE: 'false' } });
    secure = await createTestApi({ env: { ADMIN_DIST_DIR: adminDir, COOKIE_SECURE: 'true' } });
  });
  afterAll(async () => {
    await t.close();
    await secure.close();
    rmSync(adminDir, { recursive: true, force: true });
  });

  it('sends the whole set on an API JSON answer, framing refused', async () => {
    for (const url of ['/api/health', '/api/v1/auth/me', `/api/v1/orgs/${randomUUID()}`]) {
      const res = await get(t, url);
      expect({ url, type: res.headers['content-type'] }).toEqual({
        url,
        type: expect.stringContaining('application/json'),
      });
      expectHelmetSet(res.headers);
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(directives(res.headers['content-security-policy'])).toContain(
        "frame-ancestors 'self'",
      );
    }
  });

  it('sends the whole set on the admin HTML, framing refused', async () => {
    for (const url of ['/', '/contacts', '/comptabilite/ecritures']) {
      const res = await get(t, url);
      expect({ url, status: res.statusCode, type: res.headers['content-type'] }).toEqual({
        url,
        status: 200,
        type: expect.stringContaining('text/html'),
      });
      expect(res.body).toContain('<div id="root">');
      expectHelmetSet(res.headers);
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(directives(res.headers['content-security-policy'])).toContain(
        "frame-ancestors 'self'",
      );
    }
  });

  it('lets any site frame the join and donation pages, and only them, with the rest of the set', async () => {
    for (const url of [`/adhesion/${randomUUID()}`, `/don/${randomUUID()}`]) {
      const res = await get(t, url);
      expect({ url, status: res.statusCode, type: res.headers['content-type'] }).toEqual({
        url,
        status: 200,
        type: expect.stringContaining('text/html'),
      });
      expectHelmetSet(res.headers);
      expect(res.headers['x-frame-options']).toBeUndefined();
      const csp = directives(res.headers['content-security-policy']);
      expect(csp).toContain('frame-ancestors *');
      expect(csp).not.toContain("frame-ancestors 'self'");
    }
    // Their API (the public form and its submission) is not a page: not framed from elsewhere.
    const form = await get(t, `/api/v1/public/orgs/${randomUUID()}/join`);
    expect(form.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('asks browsers to upgrade insecure requests only when cookies are secure (HTTPS)', async () => {
    const plain = await get(t, '/api/health');
    expect(directives(plain.headers['content-security-policy'])).not.toContain(
      'upgrade-insecure-requests',
    );
    for (const url of ['/api/health', '/', `/adhesion/${randomUUID()}`]) {
      const res = await get(secure, url);
      expectHelmetSet(res.headers);
      expect(directives(res.headers['content-security-policy'])).toContain(
        'upgrade-insecure-requests',
      );
    }
  });
});
