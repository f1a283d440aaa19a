import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { logIn } from './support/session';
import { assertBuilt, startApi, tempDataDir, type RunningApi } from './support/system';

jest.setTimeout(180_000);

/** A treasurer keys in an entry in the browser: live totals, the API's refusal on the line, then posting. */
describe('accounting in the browser', () => {
  const data = tempDataDir('accounting');
  let api: RunningApi;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    assertBuilt();
    // A new association with empty books (the demo one has its members' payments posted).
    [api, browser] = await Promise.all([
      startApi({ DATA_DIR: data.dir, SEED_DEMO: 'false' }),
      launchBrowser(),
    ]);
    const credentials = {
      email: 'tresoriere@example.org',
      password: 'correct horse battery staple',
    };
    const signup = await fetch(`${api.url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationName: 'Les Amis du Quartier',
        name: 'Camille Martin',
        locale: 'fr',
        ...credentials,
      }),
    });
    expect(signup.status).toBe(201);
    page = await browser.newPage({ locale: 'fr-FR' });
    await logIn(page, api.url, credentials);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    data.remove();
  });

  it('keys in a cheque gift: live totals, an unknown account refused on its line, then posted and numbered', async () => {
    await page.getByTestId('nav-accounting').click();
    await page.getByTestId('entry-new').click();
    await page.getByTestId('entry-journal').selectOption('BQ');
    await page.getByTestId('entry-date').fill('2026-03-10');
    await page.getByTestId('entry-label').fill('Don par chèque de Mme Martin');
    await page.getByTestId('entry-line-0-account').fill('5112');
    await page.getByTestId('entry-line-0-debit').fill('100,00');
    await page.getByTestId('entry-line-1-account').fill('75411');
    await page.getByTestId('entry-line-1-credit').fill('99,99');
    const difference = page.getByTestId('entry-difference');
    expect(await difference.getAttribute('data-balanced')).toBe('false');

    // An account that does not exist: the API's answer lands on the line.
    await page.getByTestId('entry-line-1-account').fill('75499');
    await page.getByTestId('entry-line-1-credit').fill('100,00');
    expect(await difference.getAttribute('data-balanced')).toBe('true');
    await page.getByTestId('entry-post').click();
    await page.getByTestId('entry-line-1-account-error').waitFor();
    expect(await page.getByTestId('entry-line-1-account-error').textContent()).toContain(
      'Compte inconnu',
    );

    await page.getByTestId('entry-line-1-account').fill('75411');
    await page.getByTestId('entry-post').click();
    await page.getByTestId('entry-reverse').waitFor();
    expect(await page.getByTestId('entry-line').count()).toBe(2);

    await page.getByTestId('nav-accounting').click();
    const row = page.getByTestId('entry-row').first();
    await row.waitFor();
    expect(await row.getByTestId('entry-number').textContent()).toBe('1');
    expect(await row.textContent()).toContain('Don par chèque de Mme Martin');
  });

  it('shows the trial balance of the year and checks the FEC in the reports tab', async () => {
    await page.getByTestId('nav-accounting').click();
    await page.getByTestId('accounting-tab-reports').click();
    const row = page.getByTestId('trial-balance-row').filter({ hasText: '5112' });
    await row.waitFor();
    expect(await row.textContent()).toContain('100,00');
    expect(await page.getByTestId('trial-balance-total').textContent()).toContain('100,00');
    await page.getByTestId('fec-check').click();
    await page.getByTestId('fec-check-result').waitFor();
    expect(await page.getByTestId('fec-check-result').textContent()).toContain('FEC20261231.txt');
    const href = await page.getByTestId('fec-download').getAttribute('href');
    expect(href).toMatch(/\/accounting\/fec\?fiscalYearId=/);
    // The file itself, from the embedded database (one connection: ranges read in turn).
    const download = await page.request.get(new URL(href!, api.url).toString());
    expect(download.status()).toBe(200);
    const lines = (await download.body()).toString('latin1').split('\r\n');
    expect(lines[0]).toBe(
      'JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise',
    );
    expect(lines.filter((l) => l.startsWith('BQ\t'))).toHaveLength(2);
  });

  it('attaches a supporting document to the posted entry', async () => {
    await page.getByTestId('nav-accounting').click();
    await page.getByTestId('entry-row').first().click();
    await page.getByTestId('attachment-input').setInputFiles({
      name: 'recu-cheque.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
    });
    const row = page.getByTestId('attachment-row').first();
    await row.waitFor();
    expect(await row.textContent()).toContain('recu-cheque.pdf');
    expect(await page.getByTestId('attachment-delete').count()).toBe(0);
  });

  it('shows the income statement and a balanced balance sheet, then closes the year', async () => {
    await page.getByTestId('nav-accounting').click();
    await page.getByTestId('accounting-tab-reports').click();
    await page.getByTestId('income-statement-result').waitFor();
    expect(await page.getByTestId('income-statement-result').textContent()).toContain('100,00');
    const assets = await page.getByTestId('balance-sheet-total-assets').textContent();
    expect(assets).toContain('100,00');
    expect(await page.getByTestId('balance-sheet-total-assets').getAttribute('data-total')).toBe(
      '10000',
    );
    expect(
      await page.getByTestId('balance-sheet-total-liabilities').getAttribute('data-total'),
    ).toBe('10000');

    await page.getByTestId('accounting-tab-fiscal-years').click();
    await page.getByTestId('fiscal-year-close').first().click();
    await page.getByTestId('year-close-result').waitFor();
    expect(await page.getByTestId('year-close-result').textContent()).toContain('100,00');
    await page.getByTestId('year-close-submit').click();
    await page.getByTestId('year-close-done').waitFor();
    await page
      .getByTestId('fiscal-year-row')
      .filter({ hasText: '2026' })
      .filter({ hasText: /Clôturé/ })
      .waitFor();
  });

  it('imports a FEC from other software and lists the lines it refused', async () => {
    const header =
      'JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise';
    const line = (num: string, date: string, account: string, debit: string, credit: string) =>
      `OD\tDivers\t${num}\t${date}\t${account}\tCompte\t\t\tP${num}\t${date}\tReprise\t${debit}\t${credit}\t\t\t${date}\t\t`;
    const fec = [
      header,
      line('1', '20270105', '5121', '40,00', '0,00'),
      line('1', '20270105', '7561', '0,00', '40,00'),
      line('2', '20270106', '5121', '1,00', '0,00'),
    ].join('\r\n');
    await page.getByTestId('nav-accounting').click();
    await page.getByTestId('accounting-tab-reports').click();
    await page.getByTestId('fec-import-input').setInputFiles({
      name: 'import.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(fec, 'latin1'),
    });
    await page.getByTestId('fec-import-submit').click();
    await page.getByTestId('fec-import-report').waitFor();
    expect(await page.getByTestId('fec-import-entries-imported').textContent()).toContain('1');
    const rejected = page.getByTestId('fec-import-rejected-row');
    expect(await rejected.count()).toBe(1);
    expect(await rejected.first().getAttribute('data-code')).toBe('fec.single_line');
  });

  it('offers the reports as PDF, and lets the owner declare a webhook, showing its secret once', async () => {
    await page.getByTestId('nav-accounting').click();
    await page.getByTestId('accounting-tab-reports').click();
    const pdfLink = page.getByTestId('trial-balance-pdf');
    await pdfLink.waitFor();
    const pdf = await page.request.get(
      new URL((await pdfLink.getAttribute('href')) ?? '', api.url).toString(),
    );
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    const orgPath = new URL(page.url()).pathname.split('/accounting')[0];
    await page.goto(`${api.url}${orgPath}/settings/webhooks`);
    await page.getByTestId('webhook-url').fill('https://compta.example.org/hooks/ruche');
    await page.getByTestId('webhook-create').click();
    const secret = page.getByTestId('webhook-secret');
    await secret.waitFor();
    expect(await secret.textContent()).toMatch(/whsec_/);
    await page.getByTestId('webhook-row').filter({ hasText: 'compta.example.org' }).waitFor();
  });
});
