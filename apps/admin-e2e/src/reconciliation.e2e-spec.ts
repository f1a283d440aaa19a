import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { assertBuilt, startApi, tempDataDir, type RunningApi } from './support/system';

jest.setTimeout(180_000);

const DEMO = { email: 'demo@ruche.local', password: 'ruche-demo-2026' };
const IBAN = 'FR76 3000 6000 0112 3456 7890 189';

/** A CAMT.053 statement of the account: two credits and a bank fee, balances that add up. */
function statement(): Buffer {
  const entry = (amount: string, cdi: string, ref: string, label: string) =>
    `<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>${cdi}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-03-02</Dt></BookgDt><AcctSvcrRef>${ref}</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Ustrd>${label}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`;
  const bal = (cd: string, amount: string) =>
    `<Bal><Tp><CdOrPrtry><Cd>${cd}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-01</Dt></Dt></Bal>`;
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr><Stmt><Id>S1</Id><Acct><Id><IBAN>${IBAN.replace(/ /g, '')}</IBAN></Id><Ccy>EUR</Ccy></Acct>${bal('OPBD', '100.00')}${bal('CLBD', '170.50')}${entry('25.00', 'CRDT', 'R1', 'VIR COTISATION MARTIN')}${entry('50.00', 'CRDT', 'R2', 'VIR DON DURAND')}${entry('4.50', 'DBIT', 'R3', 'FRAIS TENUE DE COMPTE')}</Stmt></BkToCstmrStmt></Document>`,
  );
}

/**
 * Bank statements in the browser: the treasurer adds the bank account (IBAN typed with spaces),
 * imports a CAMT.053 statement and sees its lines waiting to be matched; the same file again adds
 * nothing.
 */
describe('bank statements in the browser', () => {
  const data = tempDataDir('reconciliation');
  let api: RunningApi;
  let browser: Browser;
  let page: Page;
  const serverErrors: string[] = [];

  beforeAll(async () => {
    assertBuilt();
    [api, browser] = await Promise.all([startApi({ DATA_DIR: data.dir }), launchBrowser()]);
    page = await (
      await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' })
    ).newPage();
    page.on('response', (r) => {
      if (r.status() >= 500) serverErrors.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${api.url}/login`);
    await page.getByTestId('login-email').fill(DEMO.email);
    await page.getByTestId('login-password').fill(DEMO.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('dashboard-title').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    data.remove();
  });

  it('adds the bank account, refusing a wrong IBAN on its field first', async () => {
    await page.getByTestId('nav-reconciliation').click();
    await page.getByTestId('bank-account-new').click();
    await page.getByTestId('bank-account-form').waitFor();
    await page.getByTestId('bank-account-form-name').fill('Compte courant Crédit Agricole');
    await page.getByTestId('bank-account-form-iban').fill('FR76 3000 6000 0112 3456 7890 180');
    await page.getByTestId('bank-account-form-accountNumber').selectOption('5121');
    await page.getByTestId('bank-account-submit').click();
    await page.getByTestId('bank-account-form-iban-error').waitFor();
    await page.getByTestId('bank-account-form-iban').fill(IBAN);
    await page.getByTestId('bank-account-submit').click();
    const row = page.getByTestId('bank-account-row');
    await page.waitForURL(/\/reconciliation(\/accounts\/[0-9a-f-]{36})?$/);
    if (!/accounts\/[0-9a-f-]{36}$/.test(page.url())) {
      await row.first().waitFor();
      await row.first().getByTestId('bank-account-link').click();
    }
    await page.getByTestId('bank-account-detail').waitFor();
    expect(
      (await page.getByTestId('bank-account-detail-iban').textContent())?.replace(/\s/g, ''),
    ).toBe(IBAN.replace(/ /g, ''));
  });

  it('imports a CAMT.053 statement: three lines to match; the same file again adds none', async () => {
    await page
      .getByTestId('bank-import-file')
      .setInputFiles({ name: 'releve-mars.xml', mimeType: 'application/xml', buffer: statement() });
    await page.getByTestId('bank-import-submit').click();
    const result = page.getByTestId('bank-import-result');
    await result.waitFor();
    expect(await result.getAttribute('data-new-lines')).toBe('3');
    await page.locator('[data-testid="bank-line-row"][data-status="unmatched"]').nth(2).waitFor();
    expect(await page.getByTestId('bank-line-row').count()).toBe(3);
    const labels = await page.getByTestId('bank-line-label').allTextContents();
    expect(labels.join(' | ')).toContain('FRAIS TENUE DE COMPTE');

    await page
      .getByTestId('bank-import-file')
      .setInputFiles({ name: 'releve-mars.xml', mimeType: 'application/xml', buffer: statement() });
    await page.getByTestId('bank-import-submit').click();
    await page.locator('[data-testid="bank-import-result"][data-new-lines="0"]').waitFor();
    expect(
      await page.locator('[data-testid="bank-import-result"]').getAttribute('data-duplicates'),
    ).toBe('3');
    expect(await page.getByTestId('bank-line-row').count()).toBe(3);
    expect(serverErrors).toEqual([]);
  });
});
