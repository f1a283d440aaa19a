jest.setTimeout(180_000);

import { readdirSync, readFileSync } from 'node:fs';
import type { MeView } from '@ruche/contracts';
import { join } from 'node:path';
import { assertBuilt, startApi, tempDataDir, type RunningApi } from './support/system';

const DEMO = { email: 'demo@ruche.local', password: 'ruche-demo-2026' };

async function login(url: string): Promise<Response> {
  return fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO),
  });
}

async function waitForFile(dir: string, timeoutMs = 15_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
    } catch {
      files = [];
    }
    if (files.length > 0 || Date.now() > deadline) return files;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The newcomer's first command, with nothing else installed: no DATABASE_URL (embedded PGlite),
 * no REDIS_URL (jobs in process), no SMTP_URL (emails in ./data/outbox).
 */
describe('embedded start (npm start with no services)', () => {
  const data = tempDataDir('embedded');
  let api: RunningApi | null = null;

  beforeAll(() => assertBuilt());
  afterAll(async () => {
    await api?.stop();
    data.remove();
  });

  it('migrates, seeds the demo association, serves the API, the admin and writes e-mails to the outbox', async () => {
    api = await startApi({ DATA_DIR: data.dir });
    expect(api.output()).toContain('embedded PGlite');
    expect(api.output()).toContain(
      `Demo login:       ${DEMO.email} / ${DEMO.password} (demo association created)`,
    );

    const health = await fetch(`${api.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'up', queue: 'up' });

    const page = await fetch(`${api.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<div id="root">');
    // Client-side routes are served the same page (the SPA fallback).
    const deepLink = await fetch(`${api.url}/login`);
    expect(deepLink.status).toBe(200);
    expect(await deepLink.text()).toContain('<div id="root">');
    // ...but unknown API routes are a JSON 404, not the admin page.
    const missing = await fetch(`${api.url}/api/v1/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/json');

    const loggedIn = await login(api.url);
    expect(loggedIn.status).toBe(200);
    const me = (await loggedIn.json()) as MeView;
    expect(me.organizations.map((o) => o.organizationName)).toEqual([
      'Les Amis du Quartier (démo)',
    ]);
    // The demo bank statement went through the automatic matching in the embedded worker.
    const cookie = (loggedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const orgPath = `${api.url}/api/v1/orgs/${me.organizations[0]?.organizationId ?? ''}`;
    const [bank] = (await (await fetch(`${orgPath}/bank-accounts`, { headers: { cookie } })).json()) as {
      id: string;
    }[];
    type Run = { status: string; autoMatched: number; total: number } | null;
    let run = null as Run;
    for (let i = 0; i < 100 && run?.status !== 'done'; i++) {
      const res = await fetch(`${orgPath}/bank-accounts/${bank?.id ?? ''}/reconciliation/runs/latest`, {
        headers: { cookie },
      });
      run = (await res.json()) as Run;
      if (run?.status !== 'done') await new Promise((r) => setTimeout(r, 200));
    }
    expect(run).toMatchObject({ status: 'done', total: 4 });
    expect(run?.autoMatched).toBeGreaterThanOrEqual(3);

    const reset = await fetch(`${api.url}/api/v1/auth/password-reset/request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO.email }),
    });
    expect(reset.status).toBeLessThan(300);
    const outbox = join(data.dir, 'outbox');
    const files = await waitForFile(outbox);
    expect(files).toHaveLength(1);
    const eml = readFileSync(join(outbox, files[0] ?? ''), 'utf8');
    expect(eml).toContain(`To: ${DEMO.email}`);
    expect(eml).toMatch(/Subject: .*(mot de passe|=\?UTF-8\?)/i);
  });

  it('posts an entry and streams the FEC from the embedded database (COPY over the wire protocol)', async () => {
    // Idle longer than the pg pool's default idle timeout (10 s): the one PGlite session must
    // still take postings (a replaced connection used to find the ledger's statement prepared).
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const loggedIn = await login(api!.url);
    const me = (await loggedIn.json()) as MeView;
    const cookie = (loggedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const orgId = me.organizations[0]?.organizationId ?? '';
    const posted = await fetch(`${api!.url}/api/v1/orgs/${orgId}/accounting/entries`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({
        journal: 'CA',
        date: '2026-03-01',
        label: 'Cotisation',
        lines: [
          { account: '530', debit: '20' },
          { account: '7561', credit: '20' },
        ],
        post: true,
      }),
    });
    expect(posted.status).toBe(201);
    const { fiscalYearId } = (await posted.json()) as { fiscalYearId: string };
    const fec = await fetch(
      `${api!.url}/api/v1/orgs/${orgId}/accounting/fec?fiscalYearId=${fiscalYearId}`,
      { headers: { cookie } },
    );
    expect(fec.status).toBe(200);
    const lines = (await fec.text()).split('\r\n');
    expect(lines[0]?.startsWith('JournalCode\tJournalLib\tEcritureNum')).toBe(true);
    const ours = lines.filter((l) =>
      /^CA\tCaisse\t\d+\t20260301\t530\tCaisse\t\t\t\d+\t20260301\tCotisation\t20,00\t0,00\t\t\t\d{8}\t\t$/.test(
        l,
      ),
    );
    expect(ours).toHaveLength(1);
    // The demo members' desk payments were posted too, with the member reference as counterparty.
    expect(lines.some((l) => l.includes('\tM000001\t'))).toBe(true);
    // The connection the export used is back in the (single-connection) pool.
    expect((await fetch(`${api!.url}/api/health`)).status).toBe(200);
  });

  it('keeps its data across restarts and does not seed twice', async () => {
    await api?.stop();
    api = await startApi({ DATA_DIR: data.dir });
    expect(api.output()).toContain(`Demo login:       ${DEMO.email} / ${DEMO.password}`);
    expect(api.output()).not.toContain('demo association created');
    expect((await login(api.url)).status).toBe(200);
  });
});
