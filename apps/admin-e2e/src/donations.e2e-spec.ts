import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { FakeStripe, pdfText } from '@ruche/testing';
import { launchBrowser } from './support/browser';
import { logIn } from './support/session';
import { assertBuilt, startApi, tempDataDir, type RunningApi } from './support/system';

jest.setTimeout(180_000);

const DEMO = { email: 'demo@ruche.local', password: 'ruche-demo-2026' };
/** The demo association's time zone: the browser's "today" is the server's. */
const TIME_ZONE = 'Europe/Paris';
/** Stripe's keys for the demo association (last test only): a test secret key and the webhook's secret. */
const SECRET_KEY = `sk_test_${randomBytes(16).toString('hex')}`;
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'x').slice(0, 32)}`;

/** The digits of a displayed amount ("120,50 €" with its narrow no-break space → "12050"). */
const digits = (text: string | null) => (text ?? '').replace(/\D/g, '');
/** Text with every run of white space (no-break spaces included) as one plain space. */
const flat = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
/** A receipt's number: the year and six digits ("2026-000007"). */
const REFERENCE = /\b\d{4}-\d{6}\b/;

/** Today as YYYY-MM-DD in the association's time zone (what the forms offer by default). */
function todayInParis(): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date());
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * The gift recorded at the desk in this test: Jeanne Dupré, a demo member with a full address
 * (libs/runtime/src/demo/demo-members.ts), shown as "DUPRÉ Jeanne".
 */
const GIFT = {
  search: 'Dupré',
  donor: 'DUPRÉ Jeanne',
  /** As the donation's page names the donor (receipts print the last name first). */
  name: 'Jeanne Dupré',
  amount: '120,50',
  cents: 12050,
  words: 'cent vingt euros et cinquante centimes',
  chequeNumber: '7654321',
  chequeBank: 'Crédit Lyonnais',
};
const CANCEL_REASON = 'Adresse du donateur corrigée';

/**
 * Gifts and fiscal receipts, in the browser: the treasurer (the demo owner) checks that receipts
 * are ready, records a cheque gift at the desk, gets its receipt (issued by the worker a moment
 * later) with its PDF, cancels it with a corrected receipt that says which one it replaces, and
 * finds both in the register; a visitor then gives by transfer on the public donation page (the
 * only way without Stripe: once, with the account and the reference shown), and sees what a gift
 * of 100 € costs after the tax reduction.
 */
describe('donations and fiscal receipts in the browser', () => {
  const data = tempDataDir('donations');
  const fake = new FakeStripe();
  let api: RunningApi;
  let browser: Browser;
  let page: Page;
  let orgId = '';
  const today = todayInParis();
  /** The gift recorded in the second test. */
  let donationId = '';
  /** Its receipt (third test), then the corrected one that replaces it (fourth test). */
  let receiptId = '';
  let reference = '';
  let replacementId = '';
  let replacementReference = '';
  /** Console errors, uncaught exceptions and API answers of 500 and more, in every page. */
  const problems: string[] = [];

  const watch = (target: Page, who: string) => {
    target.on('console', (message) => {
      if (message.type() !== 'error') return;
      const url = message.location().url;
      // Signed out, the app asks who is signed in and is told 401: expected, not a problem.
      if (/status of 401\b/.test(message.text()) && /\/api\/v1\/auth\/me$/.test(url)) return;
      problems.push(`${who}: console error: ${message.text()} (${url})`);
    });
    target.on('pageerror', (error) => problems.push(`${who}: uncaught ${error.message}`));
    target.on('response', (response) => {
      if (response.status() >= 500)
        problems.push(
          `${who}: ${response.status()} ${response.request().method()} ${response.url()}`,
        );
    });
  };

  /**
   * Reloads the page until `ready` shows (what a background job does appears a moment later),
   * for a minute at most; `loaded` shows once the page has its data.
   */
  const reloadUntil = async (loaded: Locator, ready: Locator, what: string) => {
    const deadline = Date.now() + 60_000;
    for (let attempt = 1; ; attempt++) {
      await loaded.waitFor();
      if (await ready.isVisible()) return;
      if (Date.now() > deadline)
        throw new Error(`${what} did not show within a minute:\n${api.output()}`);
      // The polling interval between two reloads (growing, up to 2 s), not a wait for the job.
      await page.waitForTimeout(Math.min(250 * attempt, 2_000));
      await page.reload();
    }
  };

  /** A PDF served to the signed-in treasurer (the browser context's cookies), as text. */
  const pdfOf = async (href: string) => {
    const pdf = await page.request.get(new URL(href, api.url).toString());
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toMatch(/^application\/pdf\b/);
    const body = await pdf.body();
    expect(body.subarray(0, 4).toString('latin1')).toBe('%PDF');
    return flat((await pdfText(body)).text);
  };

  beforeAll(async () => {
    assertBuilt();
    await fake.start();
    [api, browser] = await Promise.all([
      startApi({ DATA_DIR: data.dir, STRIPE_API_BASE: fake.url }),
      launchBrowser(),
    ]);
    const context = await browser.newContext({ locale: 'fr-FR', timezoneId: TIME_ZONE });
    page = await context.newPage();
    watch(page, 'treasurer');
    await logIn(page, api.url, DEMO);
    orgId = /\/orgs\/([^/?#]+)\//.exec(page.url())?.[1] ?? '';
    expect(orgId).toMatch(/^[0-9a-f-]{36}$/);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await fake.stop();
    data.remove();
  });

  it('shows receipts ready to be issued in the settings: nothing missing, 66 % for individuals', async () => {
    await page.goto(`${api.url}/orgs/${orgId}/settings/receipts`);
    const ready = page.getByTestId('receipt-problems-none');
    await ready.or(page.getByTestId('receipt-problems')).first().waitFor();
    const missing = await page
      .getByTestId('receipt-problem')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-field')));
    expect(missing).toEqual([]);
    expect(await ready.isVisible()).toBe(true);
    expect(flat(await ready.textContent())).toContain('Tout est prêt');

    await page.getByTestId('receipt-settings-form').waitFor();
    expect(await page.getByTestId('receipt-settings-enabled').isChecked()).toBe(true);
    expect(await page.getByTestId('receipt-settings-signerName').inputValue()).toBe(
      'Camille Martin',
    );
    await page.getByTestId('receipt-signature-preview').waitFor();

    await page.getByTestId('tax-rates').waitFor();
    expect(flat(await page.getByTestId('tax-rate-individual').textContent())).toBe('66 %');
  });

  it('records a cheque gift at the desk with a receipt wanted: its page shows it paid', async () => {
    await page.getByTestId('nav-donations').click();
    await page.getByTestId('donations-new').click();
    await page.getByTestId('donation-form').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/orgs/${orgId}/donations/new`);

    await page.getByTestId('donation-donor').fill(GIFT.search);
    const result = page.getByTestId('contact-picker-result').filter({ hasText: GIFT.donor });
    await result.first().waitFor();
    expect(await result.count()).toBe(1);
    await result.click();
    expect(flat(await page.getByTestId('donation-donor-selected').textContent())).toContain(
      GIFT.donor,
    );

    await page.getByTestId('donation-kind-money').check();
    await page.getByTestId('donation-amount').fill(GIFT.amount);
    // The received date is left as offered: today.
    expect(await page.getByTestId('donation-receivedOn').inputValue()).toBe(today);
    await page.getByTestId('donation-method-cheque').check();
    await page.getByTestId('donation-cheque').waitFor();
    await page.getByTestId('donation-chequeNumber').fill(GIFT.chequeNumber);
    await page.getByTestId('donation-chequeBank').fill(GIFT.chequeBank);
    await page.getByTestId('donation-wantsReceipt').check();
    expect(await page.getByTestId('donation-wantsReceipt').isChecked()).toBe(true);
    await page.getByTestId('donation-submit').click();

    await page.waitForURL(new RegExp(`/orgs/${orgId}/donations/[0-9a-f-]{36}$`));
    donationId = /\/donations\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
    expect(donationId).not.toBe('');
    await page.locator('[data-testid="donation-detail-status"][data-status="paid"]').waitFor();
    expect(flat(await page.getByTestId('donation-detail-donor').textContent())).toContain(
      GIFT.name,
    );
    expect(digits(await page.getByTestId('donation-detail-amount').textContent())).toBe(
      String(GIFT.cents),
    );
    expect(await page.getByTestId('donation-detail-method').textContent()).toContain('Chèque');
    await page.getByTestId('donation-detail-entry-link').waitFor();
  });

  it('issues its receipt a moment later: on the gift, on its own page, and as a cerfa PDF', async () => {
    expect(donationId).not.toBe('');
    await page.goto(`${api.url}/orgs/${orgId}/donations/${donationId}`);
    const link = page.getByTestId('donation-detail-receipt-link');
    await reloadUntil(page.getByTestId('donation-detail-status'), link, 'The receipt of the gift');
    reference = REFERENCE.exec((await link.textContent()) ?? '')?.[0] ?? '';
    expect(reference).toMatch(new RegExp(`^${today.slice(0, 4)}-\\d{6}$`));
    expect(await page.getByTestId('donation-detail-receipt-pdf').getAttribute('href')).toMatch(
      /\/receipts\/[0-9a-f-]{36}\/pdf$/,
    );

    await link.click();
    await page.waitForURL(new RegExp(`/orgs/${orgId}/receipts/[0-9a-f-]{36}$`));
    receiptId = /\/receipts\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
    expect(receiptId).not.toBe('');
    await page.locator('[data-testid="receipt-detail-status"][data-status="issued"]').waitFor();
    expect(flat(await page.getByTestId('receipt-detail-reference').textContent())).toBe(reference);
    expect(flat(await page.locator('#receipt-title').textContent())).toContain(reference);
    const amount = await page.getByTestId('receipt-detail-amount').textContent();
    expect(flat(amount)).toContain(GIFT.amount);
    expect(digits(amount)).toBe(String(GIFT.cents));
    expect(flat(await page.getByTestId('receipt-detail-donor').textContent())).toContain(
      GIFT.donor,
    );
    expect(await page.getByTestId('receipt-line').count()).toBe(1);
    expect(await page.getByTestId('receipt-detail-replaces').count()).toBe(0);

    const href = (await page.getByTestId('receipt-detail-pdf').getAttribute('href')) ?? '';
    expect(href).toContain(`/receipts/${receiptId}/pdf`);
    const text = await pdfOf(href);
    for (const expected of [
      'Cerfa n° 11580*05',
      `Numéro d’ordre du reçu : ${reference}`,
      GIFT.words,
      '***120,50 €***',
      GIFT.donor,
      'Fait à Lyon',
      'Camille Martin, Trésorière',
    ])
      expect(text).toContain(expected);
    expect(text).not.toContain('Annule et remplace');
  });

  it('cancels the receipt with a corrected one: a new number that says which receipt it replaces', async () => {
    expect(receiptId).not.toBe('');
    await page.goto(`${api.url}/orgs/${orgId}/receipts/${receiptId}`);
    await page.getByTestId('receipt-cancel-open').click();
    await page.getByTestId('receipt-cancel-form').waitFor();

    // Without a reason: refused on its field, still issued.
    await page.getByTestId('receipt-cancel-submit').click();
    await page.getByTestId('receipt-cancel-reason-error').waitFor();
    expect(await page.getByTestId('receipt-detail-status').getAttribute('data-status')).toBe(
      'issued',
    );

    await page.getByTestId('receipt-cancel-reason').fill(CANCEL_REASON);
    await page.getByTestId('receipt-cancel-replace').check();
    expect(await page.getByTestId('receipt-cancel-submit').textContent()).toContain(
      'reçu rectificatif',
    );
    await page.getByTestId('receipt-cancel-submit').click();

    await page.locator('[data-testid="receipt-detail-status"][data-status="cancelled"]').waitFor();
    await page.getByTestId('receipt-cancelled-notice').waitFor();
    const replacedBy = page.getByTestId('receipt-replaced-by-link');
    replacementReference = flat(await replacedBy.textContent());
    expect(replacementReference).toMatch(new RegExp(`^${today.slice(0, 4)}-\\d{6}$`));
    expect(replacementReference).not.toBe(reference);
    expect(Number(replacementReference.slice(5))).toBeGreaterThan(Number(reference.slice(5)));
    expect(flat(await page.getByTestId('receipt-cancel-done').textContent())).toContain(
      replacementReference,
    );
    expect(flat(await page.getByTestId('receipt-cancel-reason-shown').textContent())).toContain(
      CANCEL_REASON,
    );
    await page.getByTestId('receipt-detail-cancelled-at').waitFor();
    // A cancelled receipt cannot be cancelled again.
    expect(await page.getByTestId('receipt-cancel-open').count()).toBe(0);

    await replacedBy.click();
    await page.waitForURL(new RegExp(`/orgs/${orgId}/receipts/[0-9a-f-]{36}$`));
    replacementId = /\/receipts\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
    expect(replacementId).not.toBe('');
    expect(replacementId).not.toBe(receiptId);
    await page
      .getByTestId('receipt-detail-reference')
      .filter({ hasText: replacementReference })
      .waitFor();
    await page.locator('[data-testid="receipt-detail-status"][data-status="issued"]').waitFor();
    expect(digits(await page.getByTestId('receipt-detail-amount').textContent())).toBe(
      String(GIFT.cents),
    );
    const replaces = page.getByTestId('receipt-detail-replaces');
    expect(flat(await replaces.textContent())).toContain(reference);
    expect(await page.getByTestId('receipt-replaces-link').getAttribute('href')).toBe(
      `/orgs/${orgId}/receipts/${receiptId}`,
    );

    const href = (await page.getByTestId('receipt-detail-pdf').getAttribute('href')) ?? '';
    expect(href).toContain(`/receipts/${replacementId}/pdf`);
    const text = await pdfOf(href);
    expect(text).toContain(`Numéro d’ordre du reçu : ${replacementReference}`);
    expect(text).toContain(`Annule et remplace le reçu n° ${reference}`);
    expect(text).toContain(GIFT.words);

    // The gift now points to the corrected receipt.
    await page.goto(`${api.url}/orgs/${orgId}/donations/${donationId}`);
    const giftReceipt = page.getByTestId('donation-detail-receipt-link');
    await giftReceipt.waitFor();
    expect(flat(await giftReceipt.textContent())).toContain(replacementReference);
  });

  it('lists both receipts in the register: the cancelled one kept with its number, and its replacement', async () => {
    expect(replacementId).not.toBe('');
    await page.getByTestId('nav-receipts').click();
    await page.getByTestId('receipts-table').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/orgs/${orgId}/receipts`);

    const row = (id: string) =>
      page.locator(`[data-testid="receipt-row"][data-receipt-id="${id}"]`);
    const cancelled = row(receiptId);
    const replacement = row(replacementId);
    await cancelled.waitFor();
    await replacement.waitFor();

    expect(await cancelled.getAttribute('data-status')).toBe('cancelled');
    expect(await cancelled.getByTestId('receipt-status').getAttribute('data-status')).toBe(
      'cancelled',
    );
    expect(flat(await cancelled.getByTestId('receipt-reference').textContent())).toBe(reference);
    expect(flat(await cancelled.textContent())).toContain(`remplacé par ${replacementReference}`);
    expect(digits(await cancelled.getByTestId('receipt-amount').textContent())).toBe(
      String(GIFT.cents),
    );
    expect(flat(await cancelled.getByTestId('receipt-donor').textContent())).toContain(GIFT.donor);

    expect(await replacement.getAttribute('data-status')).toBe('issued');
    expect(await replacement.getByTestId('receipt-status').getAttribute('data-status')).toBe(
      'issued',
    );
    expect(flat(await replacement.getByTestId('receipt-reference').textContent())).toBe(
      replacementReference,
    );
    expect(flat(await replacement.textContent())).toContain(`remplace ${reference}`);
    expect(digits(await replacement.getByTestId('receipt-amount').textContent())).toBe(
      String(GIFT.cents),
    );

    // Searching for the first number finds it alone.
    await page.getByTestId('receipts-filter-q').fill(reference);
    await page.waitForURL(/[?&]q=/);
    await replacement.waitFor({ state: 'detached' });
    await cancelled.waitFor();
    expect(await page.getByTestId('receipt-row').count()).toBe(1);
  });

  it('shows a visitor the public donation page: a gift by transfer without Stripe, then the cost of 100 € after the tax reduction', async () => {
    const visitor: BrowserContext = await browser.newContext({
      locale: 'fr-FR',
      timezoneId: TIME_ZONE,
    });
    try {
      const donate = await visitor.newPage();
      watch(donate, 'visitor');
      const donateUrl = `${api.url}/don/${orgId}`;

      // The demo has no Stripe account but shows its current account for transfers (the demo
      // bank seed): the form offers the transfer alone, for a single gift (monthly needs Stripe).
      await donate.goto(donateUrl);
      await donate.getByTestId('donate-form').waitFor();
      expect(await donate.getByTestId('donate-closed').count()).toBe(0);
      expect(await donate.getByTestId('donate-test-mode').count()).toBe(0);
      expect(await donate.getByTestId('donate-method-card').count()).toBe(0);
      expect(await donate.getByTestId('donate-frequency-monthly').count()).toBe(0);
      expect(await donate.getByTestId('donate-method-transfer').isChecked()).toBe(true);

      // A gift of 50 € with its receipt (the full address): the account and the reference, here.
      await donate.getByTestId('donate-amount').fill('50');
      await donate.getByTestId('donate-firstName').fill('Inès');
      await donate.getByTestId('donate-lastName').fill('Moreau');
      await donate
        .getByTestId('donate-email')
        .fill(`ines.${randomBytes(4).toString('hex')}@example.org`);
      await donate.getByTestId('donate-addressLine1').fill('12 rue des Lilas');
      await donate.getByTestId('donate-postalCode').fill('69003');
      await donate.getByTestId('donate-city').fill('Lyon');
      await donate.getByTestId('donate-submit').click();
      const panel = donate.getByTestId('donate-transfer-panel');
      await panel.waitFor();
      const reference = (
        (await donate.getByTestId('donate-transfer-reference').textContent()) ?? ''
      ).replace(/\s+/g, '');
      expect(reference).toMatch(/^RF\d{2}[0-9A-F]{16}$/);
      expect(flat(await donate.getByTestId('donate-transfer-iban').textContent())).toBe(
        'FR76 3000 1007 9412 3456 7890 185',
      );
      expect(await donate.getByTestId('donate-transfer-amount').getAttribute('data-cents')).toBe(
        '5000',
      );
      expect(flat(await panel.textContent())).toContain('reconnaître votre don');
      // No Checkout: the visitor stays on the page, and Stripe was never asked.
      expect(donate.url()).toContain(`/don/${orgId}`);
      expect(fake.sessions.size).toBe(0);

      // The treasurer connects Stripe with test keys (a fake Stripe in this process).
      await page.goto(`${api.url}/orgs/${orgId}/settings`);
      await page.getByTestId('settings-tab-stripe').click();
      await page.locator('[data-testid="stripe-connected"][data-connected="false"]').waitFor();
      await page.getByTestId('stripe-secretKey').fill(SECRET_KEY);
      await page.getByTestId('stripe-webhookSecret').fill(WEBHOOK_SECRET);
      await page.getByTestId('stripe-save').click();
      await page.locator('[data-testid="stripe-connected"][data-connected="true"]').waitFor();

      // Now the form, with the fiscal receipt asked by default and its estimate.
      await donate.goto(donateUrl);
      await donate.getByTestId('donate-form').waitFor();
      await donate.getByTestId('donate-test-mode').waitFor();
      expect(await donate.getByTestId('donate-wantsReceipt').isChecked()).toBe(true);

      // Card first, the transfer beside it; monthly and the transfer exclude each other.
      expect(await donate.getByTestId('donate-method-card').isChecked()).toBe(true);
      await donate.getByTestId('donate-frequency-monthly').check();
      expect(await donate.getByTestId('donate-method-transfer').isDisabled()).toBe(true);
      await donate.getByTestId('donate-frequency-once').check();
      await donate.getByTestId('donate-method-transfer').check();
      expect(await donate.getByTestId('donate-frequency-monthly').isDisabled()).toBe(true);
      await donate.getByTestId('donate-monthly-transfer').waitFor();
      await donate.getByTestId('donate-method-card').check();
      expect(await donate.getByTestId('donate-frequency-monthly').isDisabled()).toBe(false);
      const preview = donate.getByTestId('donate-tax-preview');
      const costOf100 = donate
        .getByTestId('donate-tax-preview')
        .filter({ hasText: /Ce don de 100\s€ ne vous coûte que 34\s€/ });

      // 100 € among the suggested amounts (the demo's settings): chosen with its button.
      const suggested = donate.getByTestId('donate-amount-10000');
      if ((await suggested.count()) > 0) {
        await suggested.click();
        expect(await suggested.getAttribute('aria-pressed')).toBe('true');
        await costOf100.waitFor();
      }

      // Typed in "Autre montant": the same estimate.
      await donate.getByTestId('donate-amount').fill('100');
      if ((await suggested.count()) > 0)
        expect(await suggested.getAttribute('aria-pressed')).toBe('false');
      await costOf100.waitFor();
      expect(flat(await preview.textContent())).toBe(
        'Ce don de 100 € ne vous coûte que 34 € après réduction d’impôt.',
      );
      expect(await donate.getByTestId('donate-total').getAttribute('data-cents')).toBe('10000');

      // Nothing is submitted: no Checkout session was asked from Stripe.
      expect(fake.sessions.size).toBe(0);
    } finally {
      await visitor.close();
    }
  });

  it('had no console error, uncaught exception nor server error (500+) on the way', () => {
    expect(problems).toEqual([]);
  });
});
