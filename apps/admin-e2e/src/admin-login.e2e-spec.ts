import type { Browser, Page } from 'playwright-core';
import {
  updateOrganizationInputSchema,
  type MeView,
  type OrganizationView,
} from '@ruche/contracts';
import { launchBrowser } from './support/browser';
import { assertBuilt, startApi, tempDataDir, type RunningApi } from './support/system';

jest.setTimeout(180_000);

const DEMO = { email: 'demo@ruche.local', password: 'ruche-demo-2026' };
const DEMO_ORG = 'Les Amis du Quartier (démo)';

/** The browser smoke test: the demo user logs in to the admin served by the embedded start. */
describe('admin in the browser', () => {
  const data = tempDataDir('browser');
  let api: RunningApi;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    assertBuilt();
    [api, browser] = await Promise.all([startApi({ DATA_DIR: data.dir }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    data.remove();
  });
  beforeEach(async () => {
    page = await browser.newPage({ locale: 'fr-FR' });
  });
  afterEach(async () => {
    await page.context().close();
  });

  it('logs the demo user in, in French, and shows the dashboard with live status', async () => {
    await page.goto(api.url);
    // Not logged in: the app sends the visitor to the login page.
    await page.getByTestId('login-email').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.getByRole('button', { name: 'Se connecter' }).isVisible()).toBe(true);

    await page.getByTestId('login-email').fill(DEMO.email);
    await page.getByTestId('login-password').fill(DEMO.password);
    await page.getByTestId('login-submit').click();

    const title = page.getByTestId('dashboard-title');
    await title.waitFor();
    expect(await title.textContent()).toBe(DEMO_ORG);
    expect(page.url()).toMatch(/\/orgs\/[0-9a-f-]{36}\/dashboard$/);
    // The navigation lists the areas of the product.
    for (const area of [
      'Membres',
      'Adhésions',
      'Paiements',
      'Comptabilité',
      'Rapprochement',
      'Paramètres',
    ]) {
      expect(
        await page
          .getByRole('navigation', { name: 'Navigation principale' })
          .getByText(area)
          .count(),
      ).toBe(1);
    }
    // Gifts and receipts have their entries (and the receipts settings their tab under Paramètres).
    expect(await page.getByTestId('nav-donations').textContent()).toBe('Dons');
    expect(await page.getByTestId('nav-receipts').textContent()).toBe('Reçus fiscaux');
    // Server-Sent Events connect.
    await page.getByTestId('live-status').filter({ hasText: 'en direct' }).waitFor();

    // A change made elsewhere (here, through the API with the same session) shows up without reloading.
    const me = (await (await page.request.get(`${api.url}/api/v1/auth/me`)).json()) as MeView;
    const orgId = me.organizations[0]?.organizationId ?? '';
    const renamed = `${DEMO_ORG} – renommée`;
    const org = (await (
      await page.request.get(`${api.url}/api/v1/orgs/${orgId}`)
    ).json()) as OrganizationView;
    const identity = Object.fromEntries(
      Object.keys(updateOrganizationInputSchema.shape).map((key) => [
        key,
        org[key as keyof OrganizationView],
      ]),
    );
    const update = await page.request.put(`${api.url}/api/v1/orgs/${orgId}`, {
      headers: { 'x-csrf-token': me.csrfToken },
      data: { ...identity, name: renamed },
    });
    expect(update.status()).toBe(200);
    await page
      .getByTestId('dashboard-title')
      .filter({ hasText: renamed })
      .waitFor({ timeout: 15_000 });
  });

  it('refuses a wrong password with a message and stays on the login page', async () => {
    await page.goto(`${api.url}/login`);
    await page.getByTestId('login-email').fill(DEMO.email);
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await page.getByRole('alert').first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.getByTestId('dashboard-title').count()).toBe(0);
  });
});
