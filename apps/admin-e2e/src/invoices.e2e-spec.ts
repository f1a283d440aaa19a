import type { Browser, Page } from 'playwright-core';
import { pdfText } from '@ruche/testing';
import { launchBrowser } from './support/browser';
import { logIn, signUp } from './support/session';
import { assertBuilt, startApi, tempDataDir, type RunningApi } from './support/system';

jest.setTimeout(180_000);

/**
 * Invoices in the admin: a club membership (with counterparts, so no fiscal receipt) paid by
 * cheque at the desk is invoiced; the treasurer finds the invoice in « Factures », downloads its
 * PDF, changes the VAT mention in the settings, then refunds part of the payment and sees the
 * credit note against the invoice.
 */
describe('invoices in the browser', () => {
  const data = tempDataDir('invoices');
  let api: RunningApi;
  let browser: Browser;
  let page: Page;
  const credentials = { email: 'tresoriere@example.org', password: 'correct horse battery staple' };
  const year = new Date().getFullYear();

  beforeAll(async () => {
    assertBuilt();
    [api, browser] = await Promise.all([
      startApi({ DATA_DIR: data.dir, SEED_DEMO: 'false' }),
      launchBrowser(),
    ]);
    const owner = await signUp(api.url, {
      organizationName: 'Tennis club des Tilleuls',
      name: 'Inès Moreau',
      ...credentials,
    });
    const plan = await owner.create('/membership-plans', {
      name: 'Adhésion tennis',
      pricingKind: 'fixed',
      tiers: [{ code: 'adulte', label: 'Adulte', amount: '120' }],
      validityKind: 'calendar_year',
      receiptEligible: false,
    });
    const player = await owner.create('/contacts', {
      firstName: 'Łukasz',
      lastName: 'Nowak',
      email: 'lukasz@example.org',
    });
    await owner.create('/memberships', {
      contactId: player['id'],
      planId: plan['id'],
      payment: {
        method: 'cheque',
        paidOn: new Date().toISOString().slice(0, 10),
        reference: '7788',
      },
    });

    page = await browser.newPage({ locale: 'fr-FR' });
    await logIn(page, api.url, credentials);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    data.remove();
  });

  it('lists the invoice of a desk payment, downloads its PDF, and shows the credit note of a refund', async () => {
    await page.getByTestId('nav-invoices').click();
    await page.getByTestId('invoice-row').first().waitFor();
    expect(await page.getByTestId('invoice-row').count()).toBe(1);
    const reference = `FA-${year}-000001`;
    expect(await page.getByTestId('invoice-reference').first().textContent()).toContain(reference);
    expect(await page.getByTestId('invoice-amount').first().textContent()).toContain('120,00');
    expect(await page.getByTestId('invoice-row').first().textContent()).toContain('Łukasz');

    const href = await page.getByTestId('invoice-pdf').first().getAttribute('href');
    const download = await page.request.get(new URL(href!, api.url).toString());
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toContain('application/pdf');
    const text = (await pdfText(await download.body())).text;
    expect(text).toContain(reference);
    expect(text).toContain('Łukasz');
    expect(text).toContain('120,00');
    expect(text).toContain('TVA non applicable');

    // The VAT mention is a setting: the next invoices print the new one.
    await page.getByTestId('invoices-settings-link').click();
    const mention = page.getByTestId('invoice-settings-vatMention');
    await mention.waitFor();
    await mention.fill('TVA non applicable, art. 293 B du CGI');
    await page.getByTestId('invoice-settings-save').click();
    await page.getByTestId('invoice-settings-saved').waitFor();

    // A partial refund from the payment's page: its credit note shows against the invoice.
    await page.getByTestId('nav-invoices').click();
    await page.getByTestId('invoice-payment-link').first().click();
    await page.getByTestId('payment-refund-open').click();
    await page.getByTestId('payment-refund-amount').fill('20');
    await page.getByTestId('payment-refund-reason').fill('Cours annulés en juin');
    await page.getByTestId('payment-refund-submit').click();
    await page.getByTestId('payment-refund-open').waitFor();
    await page.getByTestId('nav-invoices').click();
    await page.getByTestId('invoice-credit-note').first().waitFor();
    expect(await page.getByTestId('invoice-credit-note').first().textContent()).toContain(
      `AV-${year}-000001`,
    );
  });
});
