import type { Browser, Page } from 'playwright-core';
import { pdfText } from '@ruche/testing';
import { launchBrowser } from './support/browser';
import { logIn } from './support/session';
import { assertBuilt, startApi, tempDataDir, type RunningApi } from './support/system';

jest.setTimeout(180_000);

const DEMO = { email: 'demo@ruche.local', password: 'ruche-demo-2026' };
/** The demo association's time zone: the browser's "today" is the server's. */
const TIME_ZONE = 'Europe/Paris';

/** The digits of a displayed amount ("36,50 €" with its narrow no-break space → "3650"). */
const digits = (text: string | null) => (text ?? '').replace(/\D/g, '');

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

/** The cheque recorded at the desk in this test. */
const SALE = {
  label: 'Vente de calendriers',
  amount: '36,50',
  cents: 3650,
  number: '0001234',
  bank: 'La Banque Postale',
  drawer: 'Dupont Marie',
};

/**
 * The demo's membership cheques waiting for a deposit (libs/runtime/src/demo/demo-members.ts):
 * people 0 and 6 (reduced rate, 10 €), 4 (full rate, 20 €) and 8 (last year, full rate, 20 €).
 * Person 2 paid by transfer, the others in cash or not yet: not cheques.
 */
const DEMO_CHEQUES_CENTS = [1000, 2000, 1000, 2000];
const ALL_CHEQUES_CENTS = [...DEMO_CHEQUES_CENTS, SALE.cents].sort((a, b) => a - b);
const TOTAL_CENTS = ALL_CHEQUES_CENTS.reduce((sum, cents) => sum + cents, 0);

/**
 * Money received at the desk and the cheque deposit slip, in the browser: the treasurer (the demo
 * owner) records a cheque from a sale, keys in a bad amount, then takes every waiting cheque to the
 * bank on one slip with its entry and its PDF; afterwards no cheque is left to deposit.
 */
describe('desk payments and cheque deposit slips in the browser', () => {
  const data = tempDataDir('desk-payments');
  let api: RunningApi;
  let browser: Browser;
  let page: Page;
  let orgId = '';
  const today = todayInParis();
  /** The cheque recorded in the first test. */
  let paymentId = '';
  /** The slip made in the third test. */
  let depositId = '';
  let reference = '';
  let pdfHref = '';
  /** POSTs of desk payments the page sent (none may leave with a bad input). */
  const manualPosts: string[] = [];

  beforeAll(async () => {
    assertBuilt();
    [api, browser] = await Promise.all([startApi({ DATA_DIR: data.dir }), launchBrowser()]);
    const context = await browser.newContext({ locale: 'fr-FR', timezoneId: TIME_ZONE });
    page = await context.newPage();
    page.on('request', (request) => {
      if (request.method() === 'POST' && /\/payments\/manual(\?|$)/.test(request.url()))
        manualPosts.push(request.url());
    });
    await logIn(page, api.url, DEMO);
    orgId = /\/orgs\/([^/?#]+)\//.exec(page.url())?.[1] ?? '';
    expect(orgId).toMatch(/^[0-9a-f-]{36}$/);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    data.remove();
  });

  it('records a cheque received at the desk: its page shows it received, with the cheque', async () => {
    await page.getByTestId('nav-payments').click();
    await page.getByTestId('payments-new-manual').click();
    await page.getByTestId('manual-payment-form').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/orgs/${orgId}/payments/new`);

    await page.getByTestId('manual-label').fill(SALE.label);
    await page.getByTestId('manual-amount').fill(SALE.amount);
    await page.getByTestId('manual-method-cheque').check();
    expect(await page.getByTestId('manual-method-cheque').isChecked()).toBe(true);
    await page.getByTestId('manual-cheque').waitFor();
    await page.getByTestId('manual-chequeNumber').fill(SALE.number);
    await page.getByTestId('manual-chequeBank').fill(SALE.bank);
    await page.getByTestId('manual-chequeDrawer').fill(SALE.drawer);
    // The received date is left as offered: today.
    expect(await page.getByTestId('manual-receivedOn').inputValue()).toBe(today);
    await page.getByTestId('manual-submit').click();

    await page.waitForURL(new RegExp(`/orgs/${orgId}/payments/[0-9a-f-]{36}$`));
    paymentId = /\/payments\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
    expect(paymentId).not.toBe('');
    expect(manualPosts).toHaveLength(1);
    await page.getByTestId('payment-detail').waitFor();
    await page.locator('[data-testid="payment-detail-status"][data-status="succeeded"]').waitFor();
    expect(await page.locator('#payment-title').textContent()).toContain(SALE.label);
    expect(digits(await page.getByTestId('payment-detail-gross').textContent())).toBe('3650');
    expect(await page.getByTestId('payment-detail-method').textContent()).toContain('Chèque');
    expect(await page.getByTestId('payment-detail-provider').textContent()).toContain(
      'Saisie manuelle',
    );
    await page.getByTestId('payment-detail-cheque').waitFor();
    expect((await page.getByTestId('payment-cheque-number').textContent())?.trim()).toBe(
      SALE.number,
    );
    expect((await page.getByTestId('payment-cheque-bank').textContent())?.trim()).toBe(SALE.bank);
    expect((await page.getByTestId('payment-cheque-drawer').textContent())?.trim()).toBe(
      SALE.drawer,
    );
    // Posted at once (to 5112, cheques to deposit), not deposited yet.
    await page.getByTestId('payment-detail-entry-link').waitFor();
    expect(await page.getByTestId('payment-cheque-deposit').getAttribute('data-deposited')).toBe(
      'false',
    );
  });

  it('refuses an empty label and an amount that is not one, on their fields, without leaving', async () => {
    await page.getByTestId('nav-payments').click();
    await page.getByTestId('payments-new-manual').click();
    await page.getByTestId('manual-payment-form').waitFor();
    const formPath = `/orgs/${orgId}/payments/new`;
    expect(new URL(page.url()).pathname).toBe(formPath);
    const postsBefore = manualPosts.length;

    expect(await page.getByTestId('manual-label').inputValue()).toBe('');
    await page.getByTestId('manual-amount').fill('abc');
    await page.getByTestId('manual-submit').click();

    for (const field of ['label', 'amount']) {
      const input = page.getByTestId(`manual-${field}`);
      const error = page.getByTestId(`manual-${field}-error`);
      await error.waitFor();
      expect(await error.isVisible()).toBe(true);
      expect((await error.textContent())?.trim()).not.toBe('');
      // Next to its input: in the same field, and tied to it for screen readers.
      expect(
        await page.locator('.field').filter({ has: input }).filter({ has: error }).count(),
      ).toBe(1);
      expect(await input.getAttribute('aria-invalid')).toBe('true');
      const errorId = (await error.getAttribute('id')) ?? '';
      expect(errorId).not.toBe('');
      expect((await input.getAttribute('aria-describedby'))?.split(' ')).toContain(errorId);
    }
    // The other fields are fine; nothing was sent and the form is still there.
    expect(await page.getByTestId('manual-receivedOn-error').count()).toBe(0);
    expect(await page.getByTestId('manual-chequeNumber-error').count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe(formPath);
    expect(await page.getByTestId('manual-payment-form').isVisible()).toBe(true);
    expect(await page.getByTestId('payment-detail').count()).toBe(0);
    expect(manualPosts.length).toBe(postsBefore);
  });

  it('lists every cheque waiting, the new one among the demo ones, and deposits them all on one slip', async () => {
    expect(paymentId).not.toBe('');
    await page.getByTestId('nav-payments').click();
    await page.getByTestId('payments-tab-deposits').click();
    await page.getByTestId('deposit-new').click();
    await page.getByTestId('deposit-form').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/orgs/${orgId}/payments/deposits/new`);

    const options = page.getByTestId('deposit-cheque-option');
    await options.first().waitFor();
    const ours = options.filter({ hasText: SALE.number });
    expect(await ours.count()).toBe(1);
    const oursText = (await ours.textContent()) ?? '';
    expect(oursText).toContain(SALE.label);
    expect(oursText).toContain(SALE.drawer);
    expect(oursText).toContain(SALE.bank);
    expect(digits(oursText)).toContain('3650');
    const ourBox = ours.getByTestId('deposit-cheque');
    expect(await ourBox.getAttribute('data-payment-id')).toBe(paymentId);
    expect(await ourBox.isChecked()).toBe(false);

    // The demo's membership cheques are waiting too; nothing else (no cash, no transfer).
    const boxes = page.getByTestId('deposit-cheque');
    expect(await boxes.count()).toBe(ALL_CHEQUES_CENTS.length);
    expect(await options.filter({ hasText: 'Cotisation' }).count()).toBe(DEMO_CHEQUES_CENTS.length);
    expect(await page.getByTestId('deposit-more').count()).toBe(0);

    const count = page.getByTestId('deposit-selected-count');
    const total = page.getByTestId('deposit-selected-total');
    expect(await count.getAttribute('data-count')).toBe('0');
    expect(digits(await total.textContent())).toBe('000');

    await page.getByTestId('deposit-select-all').check();
    await page
      .locator(`[data-testid="deposit-selected-count"][data-count="${ALL_CHEQUES_CENTS.length}"]`)
      .waitFor();
    expect(await count.textContent()).toContain(`${ALL_CHEQUES_CENTS.length} chèques`);
    expect(digits(await total.textContent())).toBe(String(TOTAL_CENTS));
    for (const box of await boxes.all()) expect(await box.isChecked()).toBe(true);
    expect(
      await page.locator('[data-testid="deposit-cheque-option"][data-selected="true"]').count(),
    ).toBe(ALL_CHEQUES_CENTS.length);
    const submit = page.getByTestId('deposit-submit');
    expect(await submit.textContent()).toContain(`${ALL_CHEQUES_CENTS.length} chèques`);
    expect(digits(await submit.textContent())).toContain(String(TOTAL_CENTS));

    expect(await page.getByTestId('deposit-date').inputValue()).toBe(today);
    await submit.click();

    await page.waitForURL(new RegExp(`/orgs/${orgId}/payments/deposits/[0-9a-f-]{36}$`));
    depositId = /\/deposits\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
    expect(depositId).not.toBe('');
  });

  it('shows the slip: its reference, each cheque, the total, and the entry that debits the bank', async () => {
    expect(depositId).not.toBe('');
    await page.getByTestId('deposit-detail').waitFor();
    const referenceCell = page.getByTestId('deposit-detail-reference');
    await referenceCell.waitFor();
    reference = (await referenceCell.textContent())?.trim() ?? '';
    expect(reference).toBe(`REM-${today.slice(0, 4)}-001`);
    expect(await page.getByTestId('deposit-detail-title').textContent()).toContain(reference);
    expect((await page.getByTestId('deposit-detail-count').textContent())?.trim()).toBe(
      String(ALL_CHEQUES_CENTS.length),
    );
    expect(digits(await page.getByTestId('deposit-detail-total').textContent())).toBe(
      String(TOTAL_CENTS),
    );

    const rows = page.getByTestId('deposit-cheque-row');
    expect(await rows.count()).toBe(ALL_CHEQUES_CENTS.length);
    const amounts = (await rows.getByTestId('deposit-cheque-amount').allTextContents())
      .map((text) => Number(digits(text)))
      .sort((a, b) => a - b);
    expect(amounts).toEqual(ALL_CHEQUES_CENTS);
    const ourRow = page.locator(
      `[data-testid="deposit-cheque-row"][data-payment-id="${paymentId}"]`,
    );
    expect(await ourRow.count()).toBe(1);
    expect((await ourRow.getByTestId('deposit-cheque-number').textContent())?.trim()).toBe(
      SALE.number,
    );
    expect(await ourRow.getByTestId('deposit-cheque-payment-link').textContent()).toContain(
      SALE.label,
    );

    const pdfLink = page.getByTestId('deposit-detail-pdf');
    pdfHref = (await pdfLink.getAttribute('href')) ?? '';
    expect(pdfHref).toContain(`/cheque-deposits/${depositId}/pdf`);

    // The entry: the bank (5121) debited with the total, each cheque credited to 5112.
    await page.getByTestId('deposit-detail-entry-link').click();
    await page.waitForURL(new RegExp(`/orgs/${orgId}/accounting/entries/[0-9a-f-]{36}$`));
    const lines = page.getByTestId('entry-line');
    await lines.first().waitFor();
    expect(await lines.count()).toBe(1 + ALL_CHEQUES_CENTS.length);
    // Its label and piece reference name the slip.
    expect(await page.locator('dl.details').filter({ hasText: reference }).count()).toBe(1);
    const bank = lines.filter({ has: page.locator('strong', { hasText: /^5121$/ }) });
    expect(await bank.count()).toBe(1);
    expect(digits(await bank.locator('td').nth(1).textContent())).toBe(String(TOTAL_CENTS));
    expect(digits(await bank.locator('td').nth(2).textContent())).toBe('');
    const cheques = lines.filter({ has: page.locator('strong', { hasText: /^5112$/ }) });
    expect(await cheques.count()).toBe(ALL_CHEQUES_CENTS.length);
    const credits: number[] = [];
    for (const line of await cheques.all()) {
      expect(digits(await line.locator('td').nth(1).textContent())).toBe('');
      credits.push(Number(digits(await line.locator('td').nth(2).textContent())));
    }
    expect(credits.sort((a, b) => a - b)).toEqual(ALL_CHEQUES_CENTS);
  });

  it('serves the slip as a PDF to the signed-in treasurer', async () => {
    expect(pdfHref).not.toBe('');
    const pdf = await page.request.get(new URL(pdfHref, api.url).toString());
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toMatch(/^application\/pdf\b/);
    const body = await pdf.body();
    expect(body.subarray(0, 4).toString('latin1')).toBe('%PDF');
    const text = (await pdfText(body)).text;
    expect(text).toContain(reference);
    expect(text).toContain(SALE.number);
  });

  it('has no cheque left to deposit afterwards; the slip is listed and the cheque knows its slip', async () => {
    expect(reference).not.toBe('');
    await page.getByTestId('nav-payments').click();
    await page.getByTestId('payments-tab-deposits').click();
    const row = page.locator(`[data-testid="deposit-row"][data-deposit-id="${depositId}"]`);
    await row.waitFor();
    expect((await row.getByTestId('deposit-reference').textContent())?.trim()).toBe(reference);
    expect((await row.getByTestId('deposit-count').textContent())?.trim()).toBe(
      String(ALL_CHEQUES_CENTS.length),
    );
    expect(digits(await row.getByTestId('deposit-total').textContent())).toBe(String(TOTAL_CENTS));

    await page.getByTestId('deposit-new').click();
    await page.getByTestId('deposit-form').waitFor();
    const empty = page
      .getByTestId('deposit-form')
      .locator('.empty')
      .filter({ hasText: 'Aucun chèque en attente de remise' });
    await empty.waitFor();
    expect(await page.getByTestId('deposit-cheque').count()).toBe(0);
    expect(await page.getByTestId('deposit-cheques').count()).toBe(0);
    expect(await page.getByTestId('deposit-select-all').count()).toBe(0);

    await page.goto(`${api.url}/orgs/${orgId}/payments/${paymentId}`);
    const deposit = page.locator('[data-testid="payment-cheque-deposit"][data-deposited="true"]');
    await deposit.waitFor();
    expect(await page.getByTestId('payment-cheque-deposit-link').textContent()).toContain(
      reference,
    );
  });
});
