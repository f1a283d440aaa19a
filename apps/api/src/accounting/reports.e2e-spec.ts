import request from 'supertest';
import iconv from 'iconv-lite';
import { pdfText, signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import { FEC_COLUMNS, FecService, ReportsService, fecFields } from '@ruche/accounting';
import type { JournalListingView, TrialBalanceView } from '@ruche/contracts';
import { createTestApi } from '../testing';

function entry(date: string, cents: number, label: string, accounts: [string, string] = ['5112', '75411'], post = true) {
  const amount = (cents / 100).toFixed(2);
  return { journal: 'BQ', date, label, pieceRef: `P-${date}`, lines: [{ account: accounts[0], debit: amount }, { account: accounts[1], credit: amount }], post };
}

/** Binary body (files) as a Buffer. */
function binary(res: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('accounting reports, FEC and exports', () => {
  let t: TestApp;
  let owner: TestSession;
  let fiscalYearId: string;
  const base = () => `/api/v1/orgs/${owner.orgId}/accounting`;

  beforeAll(async () => {
    t = await createTestApi();
    owner = await signupOrganization(t, 'Comité des fêtes');
    await t.dataSource.query(`UPDATE organizations SET siren = '732829320' WHERE id = $1`, [owner.orgId]);
    for (const e of [
      entry('2026-01-10', 10000, 'Don janvier'),
      entry('2026-02-10', 3000, 'Don 10 février'),
      entry('2026-02-20', 2000, 'Don 20 février — 20 €'),
      entry('2026-03-05', 5000, 'Cotisation mars', ['530', '7561']),
    ]) {
      const res = await owner.post(`${base()}/entries`, e).expect(201);
      fiscalYearId = res.body.fiscalYearId;
    }
    await owner.post(`${base()}/entries`, entry('2026-04-01', 999, 'Brouillon', ['530', '7561'], false)).expect(201);
  });
  afterAll(() => t.close());

  it('gives the trial balance of the year: balanced, drafts left out', async () => {
    const res = await owner.get(`${base()}/reports/trial-balance?fiscalYearId=${fiscalYearId}`).expect(200);
    const report = res.body as TrialBalanceView;
    expect(report).toMatchObject({ from: '2026-01-01', to: '2026-12-31', currency: 'EUR' });
    expect(report.rows.map((r) => [r.accountNumber, r.openingCents, r.debitCents, r.creditCents, r.closingCents])).toEqual([
      ['5112', 0, 15000, 0, 15000],
      ['530', 0, 5000, 0, 5000],
      ['75411', 0, 0, 15000, -15000],
      ['7561', 0, 0, 5000, -5000],
    ]);
    expect(report.totals).toEqual({ openingCents: 0, debitCents: 20000, creditCents: 20000, closingCents: 0 });
  });

  it('splits opening and movements at any day, from the monthly and daily balances', async () => {
    const res = await owner.get(`${base()}/reports/trial-balance?fiscalYearId=${fiscalYearId}&from=2026-02-15&to=2026-02-28`).expect(200);
    const rows = (res.body as TrialBalanceView).rows.map((r) => [r.accountNumber, r.openingCents, r.debitCents, r.creditCents, r.closingCents]);
    expect(rows).toEqual([
      ['5112', 13000, 2000, 0, 15000],
      ['75411', -13000, 0, 2000, -15000],
    ]);
    // Cross-check every possible cut of February against a plain sum of the lines.
    for (const day of ['2026-02-01', '2026-02-10', '2026-02-11', '2026-02-20', '2026-02-21', '2026-02-28']) {
      const cut = (await owner.get(`${base()}/reports/trial-balance?fiscalYearId=${fiscalYearId}&from=${day}&to=2026-03-31`).expect(200)).body as TrialBalanceView;
      const [expected] = await t.dataSource.query<{ opening: string }[]>(
        `SELECT coalesce(sum(l.debit_cents - l.credit_cents), 0) AS opening FROM journal_entry_lines l
           JOIN journal_entries e ON e.id = l.entry_id AND e.status = 'posted'
           JOIN accounts a ON a.id = l.account_id AND a.number = '5112'
          WHERE l.organization_id = $1 AND e.entry_date < $2`,
        [owner.orgId, day],
      );
      expect([day, cut.rows.find((r) => r.accountNumber === '5112')?.openingCents ?? 0]).toEqual([day, Number(expected?.opening)]);
    }
  });

  it('lists the general ledger of an account with its running balance', async () => {
    const res = await owner.get(`${base()}/reports/general-ledger?fiscalYearId=${fiscalYearId}&account=5112&from=2026-02-01`).expect(200);
    expect(res.body.accounts).toHaveLength(1);
    const account = res.body.accounts[0];
    expect(account).toMatchObject({ accountNumber: '5112', openingCents: 10000, debitCents: 5000, creditCents: 0, closingCents: 15000 });
    expect(account.lines.map((l: { date: string; balanceCents: number; journalCode: string }) => [l.date, l.journalCode, l.balanceCents])).toEqual([
      ['2026-02-10', 'BQ', 13000],
      ['2026-02-20', 'BQ', 15000],
    ]);
  });

  it('exports the reports as CSV for spreadsheets (BOM, semicolons, decimal comma)', async () => {
    const res = await owner.get(`${base()}/reports/trial-balance?fiscalYearId=${fiscalYearId}&format=csv`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toBe('attachment; filename="balance-2026-01-01-2026-12-31.csv"');
    const text = (res.body as Buffer).toString('utf8');
    expect(text.startsWith('\ufeffcompte;libelle;solde_ouverture;debit;credit;solde_cloture\r\n')).toBe(true);
    expect(text).toContain('5112;Chèques à encaisser;0,00;150,00;0,00;150,00\r\n');
    expect(text).toContain('Total;;0,00;200,00;200,00;0,00\r\n');
    const ledger = await owner.get(`${base()}/reports/general-ledger?fiscalYearId=${fiscalYearId}&account=530&format=csv`).buffer(true).parse(binary).expect(200);
    expect((ledger.body as Buffer).toString('utf8')).toContain('530;Caisse;2026-03-05;BQ;4;P-2026-03-05;Cotisation mars;50,00;0,00;50,00');
  });

  it('prints the trial balance and the general ledger as PDF, read back as text', async () => {
    const res = await owner.get(`${base()}/reports/trial-balance?fiscalYearId=${fiscalYearId}&format=pdf`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="balance-2026-01-01-2026-12-31.pdf"');
    const pdf = await pdfText(res.body as Buffer);
    expect(pdf.pages).toBe(1);
    expect(pdf.text).toContain('Balance générale');
    expect(pdf.text).toContain('Comité des fêtes — du 2026-01-01 au 2026-12-31 (EUR)');
    expect(pdf.text).toContain('5112 Chèques à encaisser 0,00 150,00 0,00 150,00');
    expect(pdf.text).toContain('Total 0,00 200,00 200,00 0,00');
    const ledger = await owner.get(`${base()}/reports/general-ledger?fiscalYearId=${fiscalYearId}&format=pdf`).buffer(true).parse(binary).expect(200);
    const text = (await pdfText(ledger.body as Buffer)).text;
    expect(text).toContain('Grand livre');
    expect(text).toContain('2026-02-20 BQ 3 P-2026-02-20 Don 20 février — 20 € 20,00 150,00');
  });

  it('prints labels beyond Latin-1 as written in the report PDFs (embedded DejaVu Sans)', async () => {
    const intl = await signupOrganization(t, 'Związek Łódź');
    const res = await intl.post(`/api/v1/orgs/${intl.orgId}/accounting/entries`, entry('2026-06-02', 4200, 'Don de Łukasz Nguyễn — Дмитрий')).expect(201);
    const ledger = await intl
      .get(`/api/v1/orgs/${intl.orgId}/accounting/reports/general-ledger?fiscalYearId=${res.body.fiscalYearId}&account=5112&format=pdf`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const { text } = await pdfText(ledger.body as Buffer);
    expect(text).toContain('Związek Łódź');
    expect(text).toContain('Don de Łukasz Nguyễn — Дмитрий');
  });

  it('breaks a long general ledger into pages, repeating the header', async () => {
    const busy = await signupOrganization(t, 'Association très active');
    let fy = '';
    for (let i = 1; i <= 60; i++) {
      const day = String((i % 28) + 1).padStart(2, '0');
      const res = await busy.post(`/api/v1/orgs/${busy.orgId}/accounting/entries`, entry(`2026-05-${day}`, 1000 + i, `Cotisation n°${i}`, ['530', '7561'])).expect(201);
      fy = res.body.fiscalYearId;
    }
    const res = await busy.get(`/api/v1/orgs/${busy.orgId}/accounting/reports/general-ledger?fiscalYearId=${fy}&format=pdf`).buffer(true).parse(binary).expect(200);
    const pdf = await pdfText(res.body as Buffer);
    expect(pdf.pages).toBeGreaterThan(1);
    const pages = pdf.text.split('\f');
    expect(pages).toHaveLength(pdf.pages);
    for (const [i, page] of pages.entries()) {
      expect(page).toContain('Grand livre');
      expect(page).toContain('Date Journal N° Pièce Libellé Débit Crédit Solde');
      expect(page).toContain(`Page ${i + 1}`);
    }
    expect(pdf.text).toContain('Total 530');
  });

  it('exports the FEC: exact header, 18 tab-separated fields, ISO-8859-15, continuous numbers', async () => {
    const res = await owner.get(`${base()}/fec?fiscalYearId=${fiscalYearId}`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="732829320FEC20261231.txt"');
    expect(res.headers['content-type']).toContain('iso-8859-15');
    const bytes = res.body as Buffer;
    // "—" has no ISO-8859-15 byte (transliterated to "--"), "€" is 0xA4 in ISO-8859-15.
    expect(bytes.includes(Buffer.from([0xa4]))).toBe(true);
    const text = iconv.decode(bytes, 'iso-8859-15');
    const lines = text.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe(FEC_COLUMNS.join('\t'));
    const rows = lines.slice(1).map((l) => l.split('\t'));
    expect(rows).toHaveLength(8);
    for (const row of rows) expect(row).toHaveLength(18);
    expect(rows.map((r) => r[2])).toEqual(['1', '1', '2', '2', '3', '3', '4', '4']);
    expect(rows[0]).toEqual(['BQ', 'Banque', '1', '20260110', '5112', 'Chèques à encaisser', '', '', 'P-2026-01-10', '20260110', 'Don janvier', '100,00', '0,00', '', '', expect.stringMatching(/^\d{8}$/), '', '']);
    expect(rows[5]?.[10]).toBe('Don 20 février -- 20 €');
    const pipes = await owner.get(`${base()}/fec?fiscalYearId=${fiscalYearId}&separator=pipe&encoding=utf-8`).buffer(true).parse(binary).expect(200);
    expect((pipes.body as Buffer).toString('utf8').split('\r\n')[0]).toBe(FEC_COLUMNS.join('|'));
  });

  it('exports the same FEC whatever the size of the ranges read by its two connections', async () => {
    const whole = await owner.get(`${base()}/fec?fiscalYearId=${fiscalYearId}`).buffer(true).parse(binary).expect(200);
    const saved = FecService.exportRange;
    try {
      for (const range of [1, 3]) {
        FecService.exportRange = range;
        const ranged = await owner.get(`${base()}/fec?fiscalYearId=${fiscalYearId}`).buffer(true).parse(binary).expect(200);
        expect((ranged.body as Buffer).equals(whole.body as Buffer)).toBe(true);
      }
    } finally {
      FecService.exportRange = saved;
    }
    expect(iconv.decode(whole.body as Buffer, 'iso-8859-15').split('\r\n').filter(Boolean)).toHaveLength(9);
  });

  it('writes the same FEC lines in SQL as the domain formatter, odd labels included', async () => {
    const other = await signupOrganization(t, 'Labels bizarres');
    const created = await other
      .post(`/api/v1/orgs/${other.orgId}/accounting/entries`, {
        journal: 'OD',
        date: '2026-05-05',
        label: 'Tab\there  |  pipe\r\nand  spaces ',
        lines: [
          { account: '530', debit: '1234.5', label: '  leading and trailing  ', counterpartyRef: 'M|01', counterpartyLabel: 'Zoé\tÉlise' },
          { account: '7561', credit: '1234,50' },
        ],
        post: true,
      })
      .expect(201);
    const fyId = created.body.fiscalYearId as string;
    const res = await other.get(`/api/v1/orgs/${other.orgId}/accounting/fec?fiscalYearId=${fyId}&encoding=utf-8`).buffer(true).parse(binary).expect(200);
    const exported = (res.body as Buffer).toString('utf8').split('\r\n').slice(1, -1);
    const fec = t.app.get(FecService);
    const expected: string[] = [];
    for await (const batch of fec.lines({ organizationId: other.orgId, userId: null, role: 'system' }, fyId, 'Europe/Paris')) {
      for (const line of batch) expected.push(fecFields(line).join('\t'));
    }
    expect(exported).toEqual(expected);
    expect(exported[0]?.split('\t')[10]).toBe('leading and trailing');
    expect(exported[1]?.split('\t')[10]).toBe('Tab here pipe and spaces');
  });

  it('self-checks the FEC before export and names what is wrong', async () => {
    const res = await owner.get(`${base()}/fec/check?fiscalYearId=${fiscalYearId}`).expect(200);
    expect(res.body).toMatchObject({ fileName: '732829320FEC20261231.txt', entries: 4, lines: 8, debitCents: 20000, creditCents: 20000 });
    expect(res.body.problems).toEqual([expect.objectContaining({ code: 'fec.drafts_left' })]);
  });

  it('exports every posted line as CSV for another accounting tool', async () => {
    const res = await owner.get(`${base()}/exports/entries?fiscalYearId=${fiscalYearId}`).buffer(true).parse(binary).expect(200);
    const text = (res.body as Buffer).toString('utf8');
    const lines = text.replace('\ufeff', '').trim().split('\r\n');
    expect(lines[0]).toBe('journal;numero;date;piece;date_piece;libelle_ecriture;compte;libelle_compte;debit;credit;libelle_ligne;analytique;tiers;libelle_tiers;date_validation;source');
    expect(lines).toHaveLength(9);
    expect(lines[1]).toMatch(/^BQ;1;2026-01-10;P-2026-01-10;;Don janvier;5112;Chèques à encaisser;100,00;0,00;;;;;\d{4}-\d{2}-\d{2};$/);
  });

  it('lists the journals: entries in number order with their lines, totals per journal and in all, as JSON, CSV and PDF', async () => {
    const org = await signupOrganization(t, 'Journal des fêtes');
    const ob = `/api/v1/orgs/${org.orgId}/accounting`;
    const post = (journal: string, date: string, label: string, lines: object[]) => org.post(`${ob}/entries`, { journal, date, label, pieceRef: `P-${date}`, lines, post: true }).expect(201);
    const first = await post('BQ', '2026-02-01', 'Don février', [{ account: '5112', debit: '40' }, { account: '75411', credit: '40' }]);
    await post('CA', '2026-02-03', 'Cotisation', [{ account: '530', debit: '15' }, { account: '7561', credit: '15' }]);
    await post('BQ', '2026-02-10', '=HYPERLINK("x")', [{ account: '5121', debit: '12.5', label: 'Remise' }, { account: '5112', credit: '12.5' }]);
    await post('BQ', '2026-04-01', 'Hors période', [{ account: '5121', debit: '1' }, { account: '7561', credit: '1' }]);
    const fy = first.body.fiscalYearId as string;
    const q = `fiscalYearId=${fy}&from=2026-02-01&to=2026-03-31`;

    const view = (await org.get(`${ob}/reports/journal?${q}`).expect(200)).body as JournalListingView;
    expect(view).toMatchObject({ from: '2026-02-01', to: '2026-03-31', currency: 'EUR', journal: null, totals: { debitCents: 6750, creditCents: 6750 } });
    expect(view.journals.map((j) => [j.journalCode, j.entries.map((e) => e.number), j.debitCents, j.creditCents])).toEqual([
      ['BQ', [1, 3], 5250, 5250],
      ['CA', [2], 1500, 1500],
    ]);
    expect(view.journals[0]?.entries[1]).toMatchObject({
      date: '2026-02-10',
      pieceRef: 'P-2026-02-10',
      totalCents: 1250,
      lines: [
        { accountNumber: '5121', accountLabel: expect.any(String), label: 'Remise', debitCents: 1250, creditCents: 0 },
        { accountNumber: '5112', accountLabel: 'Chèques à encaisser', label: null, debitCents: 0, creditCents: 1250 },
      ],
    });
    const onlyCash = (await org.get(`${ob}/reports/journal?${q}&journal=ca`).expect(200)).body as JournalListingView;
    expect(onlyCash).toMatchObject({ journal: 'CA', totals: { debitCents: 1500, creditCents: 1500 } });
    expect(onlyCash.journals.map((j) => j.journalCode)).toEqual(['CA']);
    const unknown = await org.get(`${ob}/reports/journal?${q}&journal=ZZ`).expect(422);
    expect(unknown.body.errors[0]).toMatchObject({ field: 'journal', code: 'accounting.journal_unknown' });
    await org.get(`${ob}/reports/journal?${q}&format=xls`).expect(400);
    // Built in memory: bounded (the whole book is the entries CSV or the FEC).
    const max = ReportsService.journalListingMaxLines;
    ReportsService.journalListingMaxLines = 3;
    try {
      const tooLarge = await org.get(`${ob}/reports/journal?${q}`).expect(422);
      expect(tooLarge.body.errors[0]).toMatchObject({ field: 'to', code: 'accounting.journal_listing_too_large' });
      await org.get(`${ob}/reports/journal?${q}&journal=CA`).expect(200);
    } finally {
      ReportsService.journalListingMaxLines = max;
    }

    const csvRes = await org.get(`${ob}/reports/journal?${q}&format=csv`).buffer(true).parse(binary).expect(200);
    expect(csvRes.headers['content-type']).toContain('text/csv');
    expect(csvRes.headers['content-disposition']).toBe('attachment; filename="journal-2026-02-01-2026-03-31.csv"');
    const lines = (csvRes.body as Buffer).toString('utf8').replace('\ufeff', '').trim().split('\r\n');
    expect(lines[0]).toBe('journal;numero;date;piece;libelle_ecriture;compte;libelle_compte;libelle_ligne;debit;credit');
    expect(lines[1]).toBe('BQ;1;2026-02-01;P-2026-02-01;Don février;5112;Chèques à encaisser;;40,00;0,00');
    // A label that reads as a formula is written as text.
    expect(lines[3]).toMatch(/^BQ;3;2026-02-10;P-2026-02-10;"'=HYPERLINK\(""x""\)";5121;/);
    expect(lines[5]).toBe('BQ;;;;Total journal BQ – Banque;;;;52,50;52,50');
    expect(lines[8]).toBe('CA;;;;Total journal CA – Caisse;;;;15,00;15,00');
    expect(lines[9]).toBe(';;;;Total général;;;;67,50;67,50');
    expect(lines).toHaveLength(10);

    const pdfRes = await org.get(`${ob}/reports/journal?${q}&journal=BQ&format=pdf`).buffer(true).parse(binary).expect(200);
    expect(pdfRes.headers['content-type']).toBe('application/pdf');
    expect(pdfRes.headers['content-disposition']).toBe('attachment; filename="journal-BQ-2026-02-01-2026-03-31.pdf"');
    const pdf = await pdfText(pdfRes.body as Buffer);
    expect(pdf.text).toContain('Journal BQ');
    expect(pdf.text).toContain('Journal des fêtes — du 2026-02-01 au 2026-03-31 (EUR)');
    expect(pdf.text).toContain('2026-02-01 1 P-2026-02-01 5112 Don février 40,00');
    expect(pdf.text).toContain('Total journal BQ 52,50 52,50');
    expect(pdf.text).toContain('Total général 52,50 52,50');
    expect(pdf.text).not.toContain('Cotisation');

    const other = await signupOrganization(t, 'Voisins du journal');
    await other.get(`/api/v1/orgs/${other.orgId}/accounting/reports/journal?fiscalYearId=${fy}`).expect(404);
  });

  it('exports the analytic results as CSV', async () => {
    const org = await signupOrganization(t, 'Analytique');
    const ob = `/api/v1/orgs/${org.orgId}/accounting`;
    const res = await org.post(`${ob}/entries`, { journal: 'CA', date: '2026-06-01', label: 'Buvette', lines: [{ account: '530', debit: '80' }, { account: '706', credit: '80', analytic: 'FETE-2026' }], post: true }).expect(201);
    await org.post(`${ob}/entries`, { journal: 'CA', date: '2026-06-02', label: 'Achats buvette', lines: [{ account: '6064', debit: '30', analytic: '@FETE' }, { account: '530', credit: '30' }], post: true }).expect(201);
    const csvRes = await org.get(`${ob}/reports/analytic?fiscalYearId=${res.body.fiscalYearId}&format=csv`).buffer(true).parse(binary).expect(200);
    expect(csvRes.headers['content-disposition']).toBe('attachment; filename="analytique-2026-01-01-2026-12-31.csv"');
    const lines = (csvRes.body as Buffer).toString('utf8').replace('\ufeff', '').trim().split('\r\n');
    expect(lines[0]).toBe('analytique;produits;charges;resultat');
    expect(lines).toContain('FETE-2026;80,00;0,00;80,00');
    expect(lines).toContain("'@FETE;0,00;30,00;-30,00");
  });

  it('refuses a period outside the fiscal year (422) and another organization gets 404', async () => {
    const outside = await owner.get(`${base()}/reports/trial-balance?fiscalYearId=${fiscalYearId}&from=2025-12-31`).expect(422);
    expect(outside.body.errors[0]).toMatchObject({ field: 'from', code: 'accounting.period_outside_fiscal_year' });
    await owner.get(`${base()}/reports/trial-balance?fiscalYearId=not-a-uuid`).expect(400);
    const other = await signupOrganization(t, 'Voisins');
    const otherBase = `/api/v1/orgs/${other.orgId}/accounting`;
    await other.get(`${otherBase}/reports/trial-balance?fiscalYearId=${fiscalYearId}`).expect(404);
    await other.get(`${otherBase}/fec?fiscalYearId=${fiscalYearId}`).expect(404);
    await other.get(`${otherBase}/fec/check?fiscalYearId=${fiscalYearId}`).expect(404);
    await other.get(`${otherBase}/exports/entries?fiscalYearId=${fiscalYearId}`).expect(404);
    await other.get(`${base()}/reports/general-ledger?fiscalYearId=${fiscalYearId}`).expect(404);
  });
});
