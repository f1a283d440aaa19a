import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FakeStripe } from '@ruche/testing';
import { launchBrowser } from './support/browser';
import { logIn } from './support/session';
import { assertBuilt, startApi, tempDataDir, type RunningApi } from './support/system';

jest.setTimeout(180_000);

const DEMO = { email: 'demo@ruche.local', password: 'ruche-demo-2026' };
/** Stripe's keys for the demo association: a test secret key and the webhook's signing secret. */
const SECRET_KEY = `sk_test_${randomBytes(16).toString('hex')}`;
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'x').slice(0, 32)}`;
/** Where the fake Stripe sends the payer (`url` of its Checkout sessions). */
const CHECKOUT_PAGES = 'https://checkout.stripe.test/**';

/** The digits of a displayed amount ("0,40 €" with its narrow no-break space → "040"). */
const digits = (text: string | null) => (text ?? '').replace(/\D/g, '');

/**
 * The online join, end to end in the browser: the treasurer connects Stripe (a fake Stripe server
 * in this process), a visitor joins on the public page and is sent to Checkout, Stripe's webhook
 * confirms the payment, the visitor's return page says so, and the treasurer sees the payment with
 * Stripe's fee; then part of it is refunded from its page.
 */
describe('online join in the browser', () => {
  const data = tempDataDir('join');
  const fake = new FakeStripe();
  let api: RunningApi;
  let browser: Browser;
  let staff: Page;
  let orgId = '';
  /** The payment made by the visitor (the Checkout session's client_reference_id). */
  let paymentId = '';

  beforeAll(async () => {
    assertBuilt();
    await fake.start();
    [api, browser] = await Promise.all([
      startApi({ DATA_DIR: data.dir, STRIPE_API_BASE: fake.url }),
      launchBrowser(),
    ]);
    const context = await browser.newContext({ locale: 'fr-FR' });
    staff = await context.newPage();
    await logIn(staff, api.url, DEMO);
    orgId = /\/orgs\/([^/?#]+)\//.exec(staff.url())?.[1] ?? '';
    expect(orgId).toMatch(/^[0-9a-f-]{36}$/);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await fake.stop();
    data.remove();
  });

  it('connects Stripe, a visitor joins and pays at Checkout, the webhook confirms it, the treasurer sees it', async () => {
    // Settings › Paiement en ligne (Stripe): test keys.
    await staff.goto(`${api.url}/orgs/${orgId}/settings`);
    await staff.getByTestId('settings-tab-stripe').click();
    await staff.locator('[data-testid="stripe-connected"][data-connected="false"]').waitFor();
    await staff.getByTestId('stripe-secretKey').fill(SECRET_KEY);
    await staff.getByTestId('stripe-webhookSecret').fill(WEBHOOK_SECRET);
    await staff.getByTestId('stripe-save').click();
    await staff.locator('[data-testid="stripe-connected"][data-connected="true"]').waitFor();
    expect(await staff.getByTestId('stripe-mode').getAttribute('data-mode')).toBe('test');
    expect(fake.requests.some((r) => r.path === '/v1/account' && r.apiKey === SECRET_KEY)).toBe(
      true,
    );

    // A visitor, without any staff session.
    const visitor: BrowserContext = await browser.newContext({ locale: 'fr-FR' });
    try {
      await visitor.route(CHECKOUT_PAGES, (route) =>
        route.fulfill({
          status: 200,
          contentType: 'text/html; charset=utf-8',
          body: '<!doctype html><html lang="en"><head><title>Stripe Checkout (test)</title></head><body><h1 data-testid="fake-checkout">Stripe Checkout (test)</h1></body></html>',
        }),
      );
      const page = await visitor.newPage();
      const joinUrl = `${api.url}/adhesion/${orgId}`;
      await page.goto(joinUrl);
      await page.getByTestId('join-form').waitFor();
      await page.getByTestId('join-test-mode').waitFor();

      // "Adhésion annuelle" (demo plan, tiers 20 € / 10 €, not a household plan), full rate.
      await page
        .getByTestId('join-plan-card')
        .filter({ hasText: 'Adhésion annuelle' })
        .getByRole('radio')
        .check();
      await page.getByTestId('join-tier-plein').check();
      expect(digits(await page.getByTestId('join-total').textContent())).toBe('2000');
      const email = `adherent.${randomBytes(4).toString('hex')}@example.org`;
      await page.getByTestId('join-firstName').fill('Léa');
      await page.getByTestId('join-email').fill(email);
      await page.getByTestId('join-postalCode').fill('69003');
      await page.getByTestId('join-city').fill('Lyon');
      await page.getByTestId('join-acceptTerms').check();
      await page.getByTestId('join-method-card').check();

      // The last name is missing: shown on its field, nothing sent, still on the join page.
      await page.getByTestId('join-submit').click();
      await page.getByTestId('join-lastName-error').waitFor();
      expect(await page.getByTestId('join-lastName-error').isVisible()).toBe(true);
      expect(page.url()).toBe(joinUrl);
      expect(await page.getByTestId('join-redirecting').count()).toBe(0);
      expect(fake.sessions.size).toBe(0);

      await page.getByTestId('join-lastName').fill('Marchand');
      await page.getByTestId('join-submit').click();
      await page.waitForURL(/^https:\/\/checkout\.stripe\.test\//);
      await page.getByTestId('fake-checkout').waitFor();
      expect(await page.title()).toBe('Stripe Checkout (test)');
      const sessionId = /\/(cs_[A-Za-z0-9_]+)/.exec(page.url())?.[1] ?? '';
      expect(sessionId).not.toBe('');
      const session = fake.sessions.get(sessionId);
      expect(session).toBeDefined();
      expect(session?.['amount_total']).toBe(2000);
      expect(session?.['customer_email']).toBe(email);
      const reference = session?.['client_reference_id'];
      paymentId = typeof reference === 'string' ? reference : '';
      expect(paymentId).toMatch(/^[0-9a-f-]{36}$/);

      // The visitor pays by card; Stripe sends checkout.session.completed to the webhook.
      fake.pay(sessionId, { method: 'card', feeCents: 40 });
      const event = fake.event('checkout.session.completed', fake.sessions.get(sessionId)!);
      const { body, signature } = FakeStripe.sign(event, WEBHOOK_SECRET);
      const delivered = await fetch(`${api.url}/api/v1/webhooks/stripe/${orgId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body,
      });
      expect(delivered.status).toBe(200);

      // Back from Checkout: the page polls until the payment is confirmed (processed by the
      // worker, in this process in embedded mode); past its own polling time it offers a button.
      await page.goto(`${api.url}/adhesion/${orgId}/merci?session_id=${sessionId}`);
      const succeeded = page.locator('[data-testid="join-thanks"][data-status="succeeded"]');
      const checkAgain = page.getByTestId('join-thanks-check-again');
      const deadline = Date.now() + 60_000;
      while (!(await succeeded.isVisible())) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`The payment was not confirmed:\n${api.output()}`);
        await succeeded.or(checkAgain).first().waitFor({ timeout: left });
        if (await checkAgain.isVisible()) await checkAgain.click();
      }
      expect(digits(await page.getByTestId('join-thanks-amount').textContent())).toContain('2000');
    } finally {
      await visitor.close();
    }

    // The treasurer: the payment, received, with Stripe's fee of 0,40 €.
    await staff.getByTestId('nav-payments').click();
    const row = staff.locator(`[data-testid="payment-row"][data-payment-id="${paymentId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('succeeded');
    expect(digits(await row.getByTestId('payment-gross').textContent())).toBe('2000');
    expect(digits(await row.getByTestId('payment-fee').textContent())).toBe('040');
    expect(digits(await row.getByTestId('payment-net').textContent())).toBe('1960');
    expect(await row.getByTestId('payment-contact').textContent()).toMatch(/marchand/i);

    await row.getByTestId('payment-label').click();
    await staff.getByTestId('payment-detail').waitFor();
    await staff.locator('[data-testid="payment-detail-status"][data-status="succeeded"]').waitFor();
    expect(digits(await staff.getByTestId('payment-detail-fee').textContent())).toBe('040');
    expect(await staff.getByTestId('payment-stripe-checkoutSessionId').textContent()).toContain(
      'cs_',
    );
    const history = staff.getByTestId('payment-history-row');
    expect(await history.count()).toBeGreaterThanOrEqual(1);
    expect(
      await staff.getByTestId('payment-history').locator('[data-status="succeeded"]').count(),
    ).toBeGreaterThanOrEqual(1);
    await staff.getByTestId('payment-refund-open').waitFor();
  });

  it('refunds part of the payment from its page: the reason is required, then Stripe refunds it', async () => {
    expect(paymentId).not.toBe('');
    await staff.goto(`${api.url}/orgs/${orgId}/payments/${paymentId}`);
    await staff.getByTestId('payment-refund-open').click();
    const amount = staff.getByTestId('payment-refund-amount');
    expect(await amount.inputValue()).toBe('20,00');
    await amount.fill('5,00');

    // No reason: refused on its field, nothing asked from Stripe.
    await staff.getByTestId('payment-refund-submit').click();
    await staff.getByTestId('payment-refund-reason-error').waitFor();
    expect(fake.refunds.size).toBe(0);

    await staff.getByTestId('payment-refund-reason').fill('Adhésion prise deux fois');
    await staff.getByTestId('payment-refund-submit').click();
    await staff.getByTestId('payment-refund-done').waitFor();
    const refund = staff.locator('[data-testid="payment-refund-row"][data-status="succeeded"]');
    await refund.waitFor();
    expect(digits(await refund.getByTestId('payment-refund-amount').textContent())).toBe('500');
    expect(fake.refunds.size).toBe(1);
    expect([...fake.refunds.values()][0]?.['amount']).toBe(500);
    await staff
      .locator('[data-testid="payment-detail-status"][data-status="partially_refunded"]')
      .waitFor();
    expect(digits(await staff.getByTestId('payment-detail-refunded').textContent())).toBe('500');
  });

  it('a visitor joins paying by transfer: the account and the reference are shown, the payment waits', async () => {
    // The demo association shows its current account for transfers (see the demo bank seed).
    const visitor: BrowserContext = await browser.newContext({ locale: 'fr-FR' });
    try {
      const page = await visitor.newPage();
      await page.goto(`${api.url}/adhesion/${orgId}`);
      await page.getByTestId('join-form').waitFor();
      await page
        .getByTestId('join-plan-card')
        .filter({ hasText: 'Adhésion annuelle' })
        .getByRole('radio')
        .check();
      await page.getByTestId('join-tier-plein').check();
      await page.getByTestId('join-firstName').fill('Hugo');
      await page.getByTestId('join-lastName').fill('Perrin');
      await page
        .getByTestId('join-email')
        .fill(`hugo.${randomBytes(4).toString('hex')}@example.org`);
      await page.getByTestId('join-acceptTerms').check();
      await page.getByTestId('join-method-transfer').check();
      await page.getByTestId('join-submit').click();
      await page.getByTestId('join-transfer-panel').waitFor();
      const reference = (
        (await page.getByTestId('join-transfer-reference').textContent()) ?? ''
      ).replace(/\s+/g, '');
      expect(reference).toMatch(/^RF\d{2}[0-9A-F]{16}$/);
      expect(
        ((await page.getByTestId('join-transfer-iban').textContent()) ?? '').replace(/\s+/g, ''),
      ).toBe('FR7630001007941234567890185');
      // No Checkout: the visitor stays on the page.
      expect(page.url()).toContain(`/adhesion/${orgId}`);
    } finally {
      await visitor.close();
    }
    // The treasurer sees the payment waiting, with its reference.
    const payments = (await (
      await staff.request.get(`${api.url}/api/v1/orgs/${orgId}/payments?limit=5`)
    ).json()) as { items: { status: string; method: string; label: string }[] };
    expect(payments.items[0]).toMatchObject({ status: 'pending', method: 'transfer' });
  });
});
