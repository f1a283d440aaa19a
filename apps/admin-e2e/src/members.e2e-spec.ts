import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { logIn } from './support/session';
import { assertBuilt, startApi, tempDataDir, type RunningApi } from './support/system';

jest.setTimeout(180_000);

const DEMO = { email: 'demo@ruche.local', password: 'ruche-demo-2026' };

/**
 * Members in the browser: a treasurer records a desk payment in one session while a coordinator's
 * dashboard, open in another session, updates without reload; a contact is keyed in with an error.
 */
describe('members and memberships in the browser', () => {
  const data = tempDataDir('members');
  let api: RunningApi;
  let browser: Browser;

  beforeAll(async () => {
    assertBuilt();
    [api, browser] = await Promise.all([startApi({ DATA_DIR: data.dir }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    data.remove();
  });

  async function session(): Promise<Page> {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await logIn(page, api.url, DEMO);
    return page;
  }

  it("records a desk payment in one session; the other session's dashboard updates live", async () => {
    const [treasurer, coordinator] = await Promise.all([session(), session()]);
    try {
      await coordinator.getByTestId('nav-memberships').click();
      await coordinator.getByTestId('membership-dashboard').waitFor();
      await coordinator.locator('[data-testid="live-status"].live--live').waitFor();
      const activeBefore = Number(
        await coordinator.getByTestId('count-active').getAttribute('data-value'),
      );
      const pendingBefore = Number(
        await coordinator.getByTestId('count-pending-payment').getAttribute('data-value'),
      );
      expect(pendingBefore).toBe(1);
      // A marker on the page: it survives only if the page is never reloaded.
      await coordinator.evaluate(() => {
        (globalThis as Record<string, unknown>).rucheNoReload = true;
      });

      await treasurer.getByTestId('nav-members').click();
      await treasurer.getByTestId('contact-row').filter({ hasText: 'DUPRÉ Jeanne' }).waitFor();
      await treasurer.getByTestId('contacts-search').fill('mercier');
      // The search applies once typing pauses: one row left.
      await treasurer
        .getByTestId('contact-row')
        .filter({ hasNotText: 'MERCIER Paul' })
        .first()
        .waitFor({ state: 'detached' });
      expect(await treasurer.getByTestId('contact-row').textContent()).toContain('MERCIER Paul');
      await treasurer.getByTestId('contact-name').click();
      await treasurer.getByTestId('contact-detail').waitFor();
      await treasurer
        .locator('[data-testid="membership-row"][data-status="pending_payment"]')
        .waitFor();
      await treasurer.getByTestId('membership-pay').click();
      await treasurer.getByTestId('membership-payment-method').selectOption('cheque');
      await treasurer.getByTestId('membership-pay-confirm').click();
      await treasurer.locator('[data-testid="membership-row"][data-status="active"]').waitFor();

      // The coordinator did nothing: the counts and the latest changes follow within moments.
      await coordinator
        .locator(`[data-testid="count-active"][data-value="${activeBefore + 1}"]`)
        .waitFor({ timeout: 5_000 });
      expect(
        await coordinator.getByTestId('count-pending-payment').getAttribute('data-value'),
      ).toBe(String(pendingBefore - 1));
      const latest = coordinator.getByTestId('recent-change-row').first();
      expect(await latest.textContent()).toContain('MERCIER Paul');
      expect(await latest.getAttribute('data-status')).toBe('active');
      expect(
        await coordinator.evaluate(() => (globalThis as Record<string, unknown>).rucheNoReload),
      ).toBe(true);
    } finally {
      await treasurer.context().close();
      await coordinator.context().close();
    }
  });

  it('imports a CSV through the wizard: upload, suggested mapping, import with live progress and its report', async () => {
    const page = await session();
    try {
      page.on('dialog', (dialog) => void dialog.accept());
      await page.getByTestId('nav-members').click();
      await page.getByTestId('contacts-tab-import').click();
      const csv = [
        'Nom;Prénom;E-mail;Code postal;Ville',
        'Lemaire;Rose;rose.lemaire@example.org;69005;Lyon',
        'Petit;Léon;pas-un-email;69005;Lyon',
        'Dupré;Jeanne;jeanne.dupre@example.org;69003;Lyon',
      ].join('\r\n');
      await page.getByTestId('import-file').setInputFiles({
        name: 'nouveaux.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(csv, 'utf8'),
      });
      await page.getByTestId('import-upload').click();
      await page.getByTestId('import-mapping').waitFor();
      expect(await page.getByTestId('import-column-row').count()).toBe(5);
      expect(await page.getByTestId('import-column-target-2').inputValue()).toBe('email');
      await page.getByTestId('import-apply').click();
      await page
        .locator('[data-testid="import-status"][data-status="done"]')
        .waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('import-count-created').getAttribute('data-value')).toBe('1');
      expect(await page.getByTestId('import-count-duplicate').getAttribute('data-value')).toBe('1');
      expect(await page.getByTestId('import-count-rejected').getAttribute('data-value')).toBe('1');
      await page.locator('[data-testid="import-row"][data-outcome="rejected"]').first().waitFor();
      expect(
        await page
          .locator('[data-testid="import-row"][data-outcome="rejected"]')
          .first()
          .textContent(),
      ).toContain('Petit');
    } finally {
      await page.context().close();
    }
  });

  it('a member opens the member space with the e-mailed link, sees their standing and updates their details', async () => {
    const loggedIn = await fetch(`${api.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(DEMO),
    });
    const orgId = ((await loggedIn.json()) as { organizations: { organizationId: string }[] })
      .organizations[0].organizationId;
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    try {
      await page.goto(`${api.url}/espace-membre/${orgId}`);
      await page.getByTestId('member-login-email').fill('jeanne.dupre@example.org');
      await page.getByTestId('member-login-submit').click();
      await page.getByTestId('member-login-sent').waitFor();
      // No SMTP_URL: the e-mail is in the outbox; quoted-printable soft breaks and "=3D" are undone.
      const outbox = join(data.dir, 'outbox');
      let link: string | null = null;
      for (let i = 0; i < 100 && !link; i++) {
        const files = existsSync(outbox) ? readdirSync(outbox) : [];
        for (const file of files) {
          const text = readFileSync(join(outbox, file), 'utf8')
            .replace(/=\r?\n/g, '')
            .replace(/=3D/g, '=');
          if (!text.includes('jeanne.dupre@example.org')) continue;
          link =
            new RegExp(
              `https?://[^\\s"<>]*/espace-membre/${orgId}/connexion\\?token=[A-Za-z0-9_-]+`,
            ).exec(text)?.[0] ?? null;
        }
        if (!link) await new Promise((r) => setTimeout(r, 100));
      }
      expect(link).not.toBeNull();
      await page.goto(link!);
      await page.getByTestId('member-space').waitFor();
      expect(await page.getByTestId('member-name').textContent()).toContain('DUPRÉ Jeanne');
      expect(await page.getByTestId('member-standing').getAttribute('data-status')).toMatch(
        /^(active|expiring_soon)$/,
      );
      await page.getByTestId('member-postalCode').fill('69100');
      await page.getByTestId('member-city').fill('Villeurbanne');
      await page.getByTestId('member-details-save').click();
      await page.getByTestId('member-details-saved').waitFor();
      await page.getByTestId('member-consent-newsletter').click();
      await page
        .locator('[data-testid="member-consent-newsletter"][data-granted="true"]')
        .waitFor();
      await page.getByTestId('member-logout').click();
      await page.getByTestId('member-login-email').waitFor();
    } finally {
      await context.close();
    }
  });

  it('keys in a contact: the bad postal code is shown on its field, then the contact is saved and found', async () => {
    const page = await session();
    try {
      await page.getByTestId('nav-members').click();
      await page.getByTestId('contact-new').click();
      await page.getByTestId('contact-form').waitFor();
      await page.getByTestId('contact-firstName').fill('Nadia');
      await page.getByTestId('contact-lastName').fill('Benoît');
      await page.getByTestId('contact-email').fill('nadia.benoit@example.org');
      await page.getByTestId('contact-postalCode').fill('6900');
      await page.getByTestId('contact-city').fill('Lyon');
      await page.getByTestId('contact-save').click();
      await page.getByTestId('contact-postalCode-error').waitFor();
      expect(await page.getByTestId('contact-postalCode-error').textContent()).toMatch(
        /5 chiffres/,
      );
      await page.getByTestId('contact-postalCode').fill('69004');
      await page.getByTestId('contact-save').click();
      await page.getByTestId('contact-detail').waitFor();
      expect(await page.getByTestId('contact-title').textContent()).toContain('BENOÎT Nadia');
      await page.getByTestId('nav-members').click();
      await page.getByTestId('contacts-search').fill('benoit');
      await page.getByTestId('contact-row').filter({ hasText: 'BENOÎT Nadia' }).waitFor();
    } finally {
      await page.context().close();
    }
  });
});
