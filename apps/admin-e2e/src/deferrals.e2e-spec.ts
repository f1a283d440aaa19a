import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { logIn, signUp } from './support/session';
import { assertBuilt, startApi, tempDataDir, type RunningApi } from './support/system';

jest.setTimeout(180_000);

/**
 * The year-end deferral in the close panel: a season membership (1 Sept – 31 Aug) paid by
 * cheque in September defers the days of next year; the treasurer posts the entry, follows its
 * link, then cancels it with a reason.
 */
describe('year-end deferral of membership fees in the browser', () => {
  const data = tempDataDir('deferrals');
  let api: RunningApi;
  let browser: Browser;
  let page: Page;
  const credentials = { email: 'tresorier@example.org', password: 'correct horse battery staple' };

  beforeAll(async () => {
    assertBuilt();
    [api, browser] = await Promise.all([
      startApi({ DATA_DIR: data.dir, SEED_DEMO: 'false' }),
      launchBrowser(),
    ]);
    const owner = await signUp(api.url, {
      organizationName: 'Club de voile du lac',
      name: 'Yann Le Goff',
      ...credentials,
    });
    const plan = await owner.create('/membership-plans', {
      name: 'Saison',
      pricingKind: 'fixed',
      tiers: [{ code: 'std', label: 'Standard', amount: '60' }],
      validityKind: 'rolling_months',
      validityMonths: 12,
    });
    const sailor = await owner.create('/contacts', {
      firstName: 'Maël',
      lastName: 'Kerbrat',
      email: 'mael@example.org',
    });
    await owner.create('/memberships', {
      contactId: sailor.id,
      planId: plan.id,
      startDate: '2026-09-01',
      payment: { method: 'cheque', paidOn: '2026-09-01', reference: '0001234' },
    });

    page = await browser.newPage({ locale: 'fr-FR' });
    await logIn(page, api.url, credentials);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    data.remove();
  });

  it('shows the part of the fee that pays for next year, posts it, then cancels it with a reason', async () => {
    await page.getByTestId('nav-accounting').click();
    await page.getByTestId('accounting-tab-fiscal-years').click();
    await page.getByTestId('fiscal-year-close').first().click();
    const section = page.getByTestId('deferrals-section');
    await section.getByTestId('deferral-row').first().waitFor();
    expect(await section.getByTestId('deferral-row').count()).toBe(1);
    // 1 Sept 2026 – 31 Aug 2027: 243 of its 365 days fall in 2027 → 60,00 € × 243 / 365.
    const expected = Math.round((6000 * 243) / 365);
    expect(await section.getByTestId('deferral-deferred').getAttribute('data-cents')).toBe(
      String(expected),
    );
    expect(await section.getByTestId('deferral-total').textContent()).toContain('39,95');

    await section.getByTestId('deferral-post').click();
    await section.getByTestId('deferral-posted').waitFor();
    expect(await section.getByTestId('deferral-entry-link').textContent()).toContain('31');
    expect(await section.getByTestId('deferral-reversal-link').textContent()).toContain('1');

    await section.getByTestId('deferral-cancel-open').click();
    await section.getByTestId('deferral-cancel-reason').fill('Montant à revoir avec le bureau');
    await section.getByTestId('deferral-cancel-submit').click();
    await section.getByTestId('deferral-post').waitFor();
    expect(await section.getByTestId('deferral-posted').count()).toBe(0);

    // The entry is one click away: post again and open it.
    await section.getByTestId('deferral-post').click();
    await section.getByTestId('deferral-entry-link').click();
    await page.getByTestId('entry-line').first().waitFor();
    const lines = await page.getByTestId('entry-line').allTextContents();
    expect(lines.join(' ')).toContain('487');
    expect(lines.join(' ')).toContain('39,95');
  });
});
