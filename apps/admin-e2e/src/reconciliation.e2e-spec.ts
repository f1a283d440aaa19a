import type { Browser, Page } from 'playwright-core';
import type { MeView, PaymentView } from '@ruche/contracts';
import { launchBrowser } from './support/browser';
import { logIn } from './support/session';
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
    `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr><Stmt><Id>S1</Id><Acct><Id><IBAN>${IBAN.replace(/ /g, '')}</IBAN></Id><Ccy>EUR</Ccy></Acct>${bal('OPBD', '100.00')}${bal('CLBD', '170.50')}${entry('25.00', 'CRDT', 'R1', 'VIR COTISATION MARTIN')}${entry('50.00', 'CRDT', 'R2', 'VIR DON DURAND')}${entry('4.50', 'DBIT', 'R3', 'COMMISSION SUR VIREMENT')}</Stmt></BkToCstmrStmt></Document>`,
  );
}

/** A line of the second statement (see `nextStatement`). */
interface CamtEntry {
  amount: string;
  cdi: 'CRDT' | 'DBIT';
  ref: string;
  label: string;
  day: string;
  /** Debtor (credits) or creditor (debits) name. */
  party?: string;
}

/** The desk transfer recorded through the API, whose reference the bank label carries. */
const TRANSFER = {
  label: 'Cotisation Lefèvre',
  amount: '47',
  receivedOn: '2026-03-09',
  reference: 'COT-2026-947',
};

/**
 * The next CAMT.053 statement of the account (balances following the first one): the desk
 * transfer (its reference in the label: matched automatically), a bank fee and an unknown credit.
 */
function nextStatement(): Buffer {
  const entries: CamtEntry[] = [
    {
      amount: '47.00',
      cdi: 'CRDT',
      ref: 'T1',
      label: `VIR SEPA LEFEVRE PAUL ${TRANSFER.reference}`,
      day: '2026-03-10',
      party: 'M PAUL LEFEVRE',
    },
    {
      amount: '7.35',
      cdi: 'DBIT',
      ref: 'T2',
      label: 'FRAIS BANCAIRES PACK ASSO',
      day: '2026-03-12',
    },
    { amount: '123.45', cdi: 'CRDT', ref: 'T3', label: 'VIR INCONNU 88412', day: '2026-03-14' },
  ];
  const ntry = entries
    .map((e) => {
      const role = e.cdi === 'CRDT' ? 'Dbtr' : 'Cdtr';
      const party = e.party ? `<RltdPties><${role}><Nm>${e.party}</Nm></${role}></RltdPties>` : '';
      return `<Ntry><Amt Ccy="EUR">${e.amount}</Amt><CdtDbtInd>${e.cdi}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>${e.day}</Dt></BookgDt><AcctSvcrRef>${e.ref}</AcctSvcrRef><NtryDtls><TxDtls>${party}<RmtInf><Ustrd>${e.label}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`;
    })
    .join('');
  const bal = (cd: string, amount: string, day: string) =>
    `<Bal><Tp><CdOrPrtry><Cd>${cd}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${day}</Dt></Dt></Bal>`;
  // 170.50 + 47.00 - 7.35 + 123.45
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>M2</MsgId></GrpHdr><Stmt><Id>S2</Id><Acct><Id><IBAN>${IBAN.replace(/ /g, '')}</IBAN></Id><Ccy>EUR</Ccy></Acct>${bal('OPBD', '170.50', '2026-03-09')}${bal('CLBD', '333.60', '2026-03-31')}${ntry}</Stmt></BkToCstmrStmt></Document>`,
  );
}

/**
 * An April statement (balances following `nextStatement`): a deposit slip of two cheques
 * (30 + 15) credited by the bank in two lines, without the slip's number.
 */
function splitStatement(): Buffer {
  const entry = (amount: string, ref: string, day: string) =>
    `<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>${day}</Dt></BookgDt><AcctSvcrRef>${ref}</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Ustrd>REMISE CHEQUES</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`;
  const bal = (cd: string, amount: string, day: string) =>
    `<Bal><Tp><CdOrPrtry><Cd>${cd}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${day}</Dt></Dt></Bal>`;
  // 333.60 + 30.00 + 15.00
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>M3</MsgId></GrpHdr><Stmt><Id>S3</Id><Acct><Id><IBAN>${IBAN.replace(/ /g, '')}</IBAN></Id><Ccy>EUR</Ccy></Acct>${bal('OPBD', '333.60', '2026-04-01')}${bal('CLBD', '378.60', '2026-04-30')}${entry('30.00', 'U1', '2026-04-03')}${entry('15.00', 'U2', '2026-04-06')}</Stmt></BkToCstmrStmt></Document>`,
  );
}

/** A statement line of the workspace by its bank reference. */
const line = (page: Page, ref: string) => page.getByTestId(`recon-line-${ref}`);

/**
 * Bank statements in the browser: the treasurer adds the bank account (IBAN typed with spaces),
 * imports a CAMT.053 statement and sees its lines waiting to be matched; the same file again adds
 * nothing. Then the reconciliation workspace: a desk transfer is matched by the automatic pass, a
 * bank fee is posted to 627 with a rule, that match is undone, and the balance check shows; a
 * suggestion is rejected from the keyboard (r), then restored; a deposit slip credited in two
 * lines is offered on both and confirmed with Enter, lettering both together.
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
    await logIn(page, api.url, DEMO);
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
    // The workspace lists the lines waiting to be matched (the default filter).
    const rows = page.getByTestId('recon-lines').locator('[data-line-id]');
    await page.locator('[data-testid="recon-lines-total"][data-total="3"]').waitFor();
    for (const ref of ['R1', 'R2', 'R3'])
      expect(await line(page, ref).getAttribute('data-status')).toBe('unmatched');
    expect(await rows.count()).toBe(3);
    const labels = await page.getByTestId('recon-row-label').allTextContents();
    expect(labels.join(' | ')).toContain('COMMISSION SUR VIREMENT');

    await page
      .getByTestId('bank-import-file')
      .setInputFiles({ name: 'releve-mars.xml', mimeType: 'application/xml', buffer: statement() });
    await page.getByTestId('bank-import-submit').click();
    await page.locator('[data-testid="bank-import-result"][data-new-lines="0"]').waitFor();
    expect(
      await page.locator('[data-testid="bank-import-result"]').getAttribute('data-duplicates'),
    ).toBe('3');
    expect(await rows.count()).toBe(3);
    expect(serverErrors).toEqual([]);
  });

  it('matches a desk transfer by itself, posts a bank fee with a rule, undoes it, and checks the balance', async () => {
    // A transfer recorded at the desk (through the API, with the browser's session).
    const me = (await (await page.request.get(`${api.url}/api/v1/auth/me`)).json()) as MeView;
    const orgId = /\/orgs\/([^/?#]+)\//.exec(page.url())?.[1] ?? '';
    expect(orgId).toMatch(/^[0-9a-f-]{36}$/);
    const recorded = await page.request.post(`${api.url}/api/v1/orgs/${orgId}/payments/manual`, {
      headers: { 'x-csrf-token': me.csrfToken },
      data: { ...TRANSFER, method: 'transfer' },
    });
    expect(recorded.status()).toBe(201);
    expect(((await recorded.json()) as PaymentView).amountCents).toBe(4700);

    // The next statement: its import starts the automatic pass, followed until it is done.
    await page.getByTestId('bank-import-file').setInputFiles({
      name: 'releve-mars-2.xml',
      mimeType: 'application/xml',
      buffer: nextStatement(),
    });
    await page.getByTestId('bank-import-submit').click();
    await page.locator('[data-testid="bank-import-result"][data-new-lines="3"]').waitFor();
    const progress = page.locator('[data-testid="recon-run-progress"][data-status="done"]');
    await progress.waitFor({ timeout: 60_000 });
    expect(Number(await progress.getAttribute('data-auto-matched'))).toBeGreaterThanOrEqual(1);
    expect((await page.getByTestId('recon-run-summary').textContent()) ?? '').toContain('rapproch');

    // The transfer's line is matched, with its letter; the fee and the unknown credit wait.
    await page.getByTestId('recon-filter-status').selectOption('all');
    const transfer = page.locator('[data-testid="recon-line-T1"][data-status="matched"]');
    await transfer.waitFor();
    const letter = (await transfer.getByTestId('recon-row-letter').textContent())?.trim() ?? '';
    expect(letter).toMatch(/^[A-Z]+$/);
    expect(await transfer.getAttribute('data-letter')).toBe(letter);
    expect(await line(page, 'T2').getAttribute('data-status')).toBe('unmatched');
    expect(await line(page, 'T3').getAttribute('data-status')).toBe('unmatched');
    await transfer.click();
    const panel = page.getByTestId('recon-panel');
    await page
      .locator('[data-testid="recon-panel"][data-status="matched"]')
      .filter({ hasText: TRANSFER.reference })
      .waitFor();
    expect((await panel.getByTestId('recon-match-letter').textContent())?.trim()).toBe(letter);
    expect(await panel.getByTestId('recon-match').getAttribute('data-origin')).toBe('auto');

    // The fee: posted to 627 from the entry form, with a rule for the next ones.
    await line(page, 'T2').click();
    await page
      .locator('[data-testid="recon-panel"][data-status="unmatched"]')
      .filter({ hasText: 'FRAIS BANCAIRES PACK ASSO' })
      .waitFor();
    await panel.getByTestId('recon-mode-entry').click();
    await panel.getByTestId('recon-entry-form').waitFor();
    expect(await panel.getByTestId('recon-entry-label').inputValue()).toContain(
      'FRAIS BANCAIRES PACK ASSO',
    );
    await panel.getByTestId('recon-entry-account').fill('627');
    await panel.getByTestId('recon-entry-remember').check();
    await panel.getByTestId('recon-entry-rule-name').fill('Frais bancaires');
    await panel.getByTestId('recon-entry-rule-contains').fill('FRAIS BANCAIRES');
    await panel.getByTestId('recon-entry-submit').click();
    await page.getByTestId('recon-feedback').waitFor();
    const fee = page.locator('[data-testid="recon-line-T2"][data-status="matched"]');
    await fee.waitFor();
    const feeLetter = (await fee.getAttribute('data-letter')) ?? '';
    expect(feeLetter).toMatch(/^[A-Z]+$/);
    expect(feeLetter).not.toBe(letter);

    // That match undone, with a reason: the line waits again.
    await fee.click();
    await page
      .locator('[data-testid="recon-panel"][data-status="matched"]')
      .filter({ hasText: 'FRAIS BANCAIRES PACK ASSO' })
      .waitFor();
    expect(await panel.getByTestId('recon-match').getAttribute('data-kind')).toBe('entry');
    await panel.getByTestId('recon-undo-open').click();
    await panel.getByTestId('recon-undo-submit').click();
    await panel.getByTestId('recon-undo-reason-error').waitFor();
    await panel.getByTestId('recon-undo-reason').fill('Frais remboursés par la banque');
    await panel.getByTestId('recon-undo-submit').click();
    await page.locator('[data-testid="recon-line-T2"][data-status="unmatched"]').waitFor();
    await page
      .locator('[data-testid="recon-panel"][data-status="unmatched"]')
      .filter({ hasText: 'FRAIS BANCAIRES PACK ASSO' })
      .waitFor();

    // The balance check shows figures, the unexplained difference among them.
    const unexplained = page.getByTestId('recon-balance-unexplained');
    await unexplained.waitFor();
    expect(await unexplained.getAttribute('data-cents')).toMatch(/^-?\d+$/);
    expect((await unexplained.textContent()) ?? '').toMatch(/\d/);
    expect(await page.getByTestId('recon-balance-bank').getAttribute('data-cents')).toMatch(
      /^-?\d+$/,
    );

    // The rule is on the Rules tab.
    await page.getByTestId('reconciliation-tab-rules').click();
    const rule = page.locator('[data-testid="recon-rule-row"][data-name="Frais bancaires"]');
    await rule.waitFor();
    expect((await rule.getByTestId('recon-rule-account-cell').textContent())?.trim()).toBe('627');
    expect(serverErrors).toEqual([]);
  });

  it('rejects a suggestion from the keyboard: not offered again for the line until restored', async () => {
    // A desk transfer of the unknown credit's amount, the same day: the engine proposes it.
    const me = (await (await page.request.get(`${api.url}/api/v1/auth/me`)).json()) as MeView;
    const orgId = /\/orgs\/([^/?#]+)\//.exec(page.url())?.[1] ?? '';
    const recorded = await page.request.post(`${api.url}/api/v1/orgs/${orgId}/payments/manual`, {
      headers: { 'x-csrf-token': me.csrfToken },
      data: {
        label: 'Virement à identifier',
        amount: '123.45',
        method: 'transfer',
        receivedOn: '2026-03-14',
      },
    });
    expect(recorded.status()).toBe(201);

    await page.getByTestId('reconciliation-tab-accounts').click();
    await page.getByTestId('bank-account-row').first().getByTestId('bank-account-link').click();
    await page.getByTestId('bank-account-detail').waitFor();
    await line(page, 'T3').click();
    const panel = page.locator('[data-testid="recon-panel"][data-status="unmatched"]').filter({
      hasText: 'VIR INCONNU 88412',
    });
    await panel.waitFor();
    const suggestion = panel.locator('[data-testid="recon-suggestion-1"][data-type="match"]');
    await suggestion.waitFor();

    // r rejects the chosen suggestion (the first): the line keeps waiting, without it.
    await page.getByTestId('recon-lines').focus();
    await page.keyboard.press('r');
    await page.getByTestId('recon-feedback').filter({ hasText: 'rejetée' }).waitFor();
    await panel.getByTestId('recon-rejections').waitFor();
    await panel.getByTestId('recon-no-suggestion').waitFor();
    expect(
      await panel.locator('[data-testid="recon-suggestion-1"][data-type="match"]').count(),
    ).toBe(0);
    expect(await line(page, 'T3').getAttribute('data-status')).toBe('unmatched');

    // Restored: offered again.
    await panel.getByTestId('recon-restore-rejections').click();
    await panel.locator('[data-testid="recon-suggestion-1"][data-type="match"]').waitFor();
    expect(await panel.getByTestId('recon-rejections').count()).toBe(0);
    expect(serverErrors).toEqual([]);
  });

  it('confirms with Enter a deposit slip credited in two lines: both lines lettered together', async () => {
    // Two cheques deposited on one slip, through the API with the browser's session.
    const me = (await (await page.request.get(`${api.url}/api/v1/auth/me`)).json()) as MeView;
    const orgId = /\/orgs\/([^/?#]+)\//.exec(page.url())?.[1] ?? '';
    const headers = { 'x-csrf-token': me.csrfToken };
    const paymentIds: string[] = [];
    for (const [label, amount, chequeNumber] of [
      ['Adhésion Roux', '30', '0004401'],
      ['Adhésion Nguyen', '15', '0004402'],
    ]) {
      const paid = await page.request.post(`${api.url}/api/v1/orgs/${orgId}/payments/manual`, {
        headers,
        data: { label, amount, method: 'cheque', receivedOn: '2026-04-01', chequeNumber },
      });
      expect(paid.status()).toBe(201);
      paymentIds.push(((await paid.json()) as PaymentView).id);
    }
    const slip = await page.request.post(`${api.url}/api/v1/orgs/${orgId}/cheque-deposits`, {
      headers,
      data: { paymentIds, depositedOn: '2026-04-02' },
    });
    expect(slip.status()).toBe(201);

    await page.getByTestId('bank-import-file').setInputFiles({
      name: 'releve-avril.xml',
      mimeType: 'application/xml',
      buffer: splitStatement(),
    });
    await page.getByTestId('bank-import-submit').click();
    await page.locator('[data-testid="bank-import-result"][data-new-lines="2"]').waitFor();
    await page
      .locator('[data-testid="recon-run-progress"][data-status="done"]')
      .waitFor({ timeout: 60_000 });

    // The slip is offered on the 30 € line « avec la ligne du » 15 € one, and on that one too.
    await line(page, 'U1').click();
    const u1 = await line(page, 'U1').getAttribute('data-line-id');
    const panel = page.locator(
      `[data-testid="recon-panel"][data-status="unmatched"][data-line-id="${u1}"]`,
    );
    await panel.waitFor();
    const suggestion = panel.locator('[data-testid="recon-suggestion-1"][data-type="match"]');
    await suggestion.waitFor();
    const withLines = suggestion.getByTestId('recon-suggestion-with-lines');
    expect((await withLines.textContent()) ?? '').toContain('Avec la ligne du');
    expect((await withLines.textContent()) ?? '').toContain('15,00');
    const partner = (await withLines.getAttribute('data-line-ids')) ?? '';
    expect(partner).toBe(await line(page, 'U2').getAttribute('data-line-id'));

    // Enter confirms it: both lines are matched, with the same letter.
    await page.getByTestId('recon-lines').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('recon-feedback').waitFor();
    await page.getByTestId('recon-filter-status').selectOption('all');
    const first = page.locator('[data-testid="recon-line-U1"][data-status="matched"]');
    const second = page.locator('[data-testid="recon-line-U2"][data-status="matched"]');
    await first.waitFor();
    await second.waitFor();
    const letter = (await first.getAttribute('data-letter')) ?? '';
    expect(letter).toMatch(/^[A-Z]+$/);
    expect(await second.getAttribute('data-letter')).toBe(letter);
    expect(serverErrors).toEqual([]);
  });
});
