import request from 'supertest';
import iconv from 'iconv-lite';
import { addUser, signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import type { FecImportReport, TrialBalanceView } from '@ruche/contracts';
import { createTestApi } from '../testing';

function binary(res: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

const HEADER18 = 'JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise';

describe('FEC import from other software', () => {
  let t: TestApp;
  const importFec = (s: TestSession, body: Buffer, query = '') =>
    request(t.app.getHttpServer()).post(`/api/v1/orgs/${s.orgId}/accounting/imports/fec${query}`).set('cookie', s.cookie).set('x-csrf-token', s.csrf).set('content-type', 'text/plain').send(body);
  const trialBalance = async (s: TestSession) => {
    const years = await s.get(`/api/v1/orgs/${s.orgId}/accounting/fiscal-years`).expect(200);
    const fy = years.body.find((y: { startDate: string }) => y.startDate === '2026-01-01');
    const tb = (await s.get(`/api/v1/orgs/${s.orgId}/accounting/reports/trial-balance?fiscalYearId=${fy.id}`).expect(200)).body as TrialBalanceView;
    return tb.rows.map((r) => [r.accountNumber, r.debitCents, r.creditCents]);
  };

  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(() => t.close());

  it('round-trips: the FEC exported by one organization rebuilds the same books in a new one, once', async () => {
    const source = await signupOrganization(t, 'Ancienne compta');
    const base = `/api/v1/orgs/${source.orgId}/accounting`;
    await source.post(`${base}/accounts`, { number: '46713', label: 'HelloAsso' }).expect(201);
    const post = (e: object) => source.post(`${base}/entries`, { post: true, ...e }).expect(201);
    await post({ journal: 'AN', date: '2026-01-01', label: 'À-nouveaux', lines: [{ account: '5121', debit: '1500' }, { account: '102', credit: '1500' }] });
    await post({ journal: 'BQ', date: '2026-02-03', label: 'Cotisation — Zoé', pieceRef: 'ADH-1', lines: [{ account: '46713', debit: '30', counterpartyRef: 'M0001', counterpartyLabel: 'Zoé Élise' }, { account: '7561', credit: '30' }] });
    const fy = (await post({ journal: 'HA', date: '2026-03-04', label: 'Papeterie', lines: [{ account: '6064', debit: '12.5' }, { account: '5121', credit: '12.5' }] })).body.fiscalYearId as string;
    const fec = await source.get(`${base}/fec?fiscalYearId=${fy}`).buffer(true).parse(binary).expect(200);

    const target = await signupOrganization(t, 'Nouvelle compta');
    const report = (await importFec(target, fec.body as Buffer).expect(200)).body as FecImportReport;
    expect(report).toMatchObject({ encoding: 'iso-8859-15', separator: 'tab', linesRead: 6, entriesImported: 3, entriesSkipped: 0, linesImported: 6, rejectedLines: 0, rejected: [], accountsCreated: ['46713'], journalsCreated: [] });
    expect(await trialBalance(target)).toEqual(await trialBalance(source));
    const entries = (await target.get(`/api/v1/orgs/${target.orgId}/accounting/entries?search=Zo`).expect(200)).body;
    expect(entries.items[0]).toMatchObject({ label: 'Cotisation -- Zoé', pieceRef: 'ADH-1', status: 'posted' });
    expect(entries.items[0].lines[0]).toMatchObject({ accountNumber: '46713', counterpartyRef: 'M0001', counterpartyLabel: 'Zoé Élise' });

    const again = (await importFec(target, fec.body as Buffer).expect(200)).body as FecImportReport;
    expect(again).toMatchObject({ entriesImported: 0, entriesSkipped: 3, accountsCreated: [] });
    expect(await trialBalance(target)).toEqual(await trialBalance(source));
  });

  it('reads the variants found in the wild and reports every line it cannot take, importing the rest', async () => {
    const target = await signupOrganization(t, 'Variantes');
    const rows = [
      'JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Montant|Sens|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise|',
      'VE|Ventes|V1|20260115|411000|Clients|C01|Café des Arts|F1|20260115|Facture 1|000120.00|D||||||',
      'VE|Ventes|V1|20260115|706000|Prestations|||F1|20260115|Facture 1|120,00|C||||||',
      'VE|Ventes|V2|20260116|411000|Clients|||F2|20260116|Facture 2|50,00|D||||||',
      'VE|Ventes|V2|20260116|706000|Prestations|||F2|20260116|Facture 2|49,00|C||||||',
      'VE|Ventes|V3|20260231|411000|Clients|||F3|20260231|Date impossible|10,00|D||||||',
      'VE|Ventes|V4|20260117|411000|Clients|||F4',
      'VE|Ventes|V5|20260118|411000|Clients|||F5|20260118|Montant faux|12,345|D||||||',
      '',
    ];
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rows.join('\r\n'), 'utf8')]);
    const report = (await importFec(target, body).expect(200)).body as FecImportReport;
    expect(report).toMatchObject({ encoding: 'utf-8', separator: 'pipe', linesRead: 7, entriesImported: 1, linesImported: 2, journalsCreated: ['VE'] });
    expect(report.accountsCreated).toEqual(['411000', '706000']);
    expect(report.rejected.map((r) => [r.line, r.code])).toEqual([
      [4, 'fec.unbalanced'],
      [5, 'fec.unbalanced'],
      [6, 'fec.date'],
      [7, 'fec.field_count'],
      [8, 'fec.amount'],
    ]);
    expect(report.rejectedLines).toBe(5);
    const entries = (await target.get(`/api/v1/orgs/${target.orgId}/accounting/entries`).expect(200)).body;
    expect(entries.total).toBe(1);
    expect(entries.items[0].lines.map((l: { accountNumber: string; debitCents: number; creditCents: number }) => [l.accountNumber, l.debitCents, l.creditCents])).toEqual([
      ['411000', 12000, 0],
      ['706000', 0, 12000],
    ]);
  });

  it('keeps the numbering of each imported year, à-nouveaux first, even after a previous year', async () => {
    const target = await signupOrganization(t, 'Deux exercices');
    const fecLine = (journal: string, num: number, date: string, account: string, debit: string, credit: string) =>
      `${journal}\t${journal}\t${num}\t${date}\t${account}\tCompte ${account}\t\t\tP${num}\t${date}\tÉcriture ${num}\t${debit}\t${credit}\t\t\t${date}\t\t`;
    const year2025 = [HEADER18, fecLine('BQ', 1, '20250301', '5121', '80,00', '0,00'), fecLine('BQ', 1, '20250301', '7561', '0,00', '80,00')];
    const year2026 = [
      HEADER18,
      fecLine('AN', 1, '20260101', '5121', '80,00', '0,00'),
      fecLine('AN', 1, '20260101', '120', '0,00', '80,00'),
      fecLine('BQ', 2, '20260205', '5121', '20,00', '0,00'),
      fecLine('BQ', 2, '20260205', '7561', '0,00', '20,00'),
    ];
    for (const file of [year2025, year2026]) {
      const report = (await importFec(target, iconv.encode(file.join('\r\n'), 'iso-8859-15')).expect(200)).body as FecImportReport;
      expect(report.rejectedLines).toBe(0);
    }
    const list = (await target.get(`/api/v1/orgs/${target.orgId}/accounting/entries?limit=10`).expect(200)).body as { items: { journalCode: string; number: number; date: string }[] };
    expect(list.items.map((e) => [e.date, e.journalCode, e.number])).toEqual([
      ['2026-02-05', 'BQ', 2],
      ['2026-01-01', 'AN', 1],
      ['2025-03-01', 'BQ', 1],
    ]);
  });

  it('follows a fiscal year given by the file, and refuses what is not a FEC', async () => {
    const target = await signupOrganization(t, 'Exercice décalé');
    const body = iconv.encode([HEADER18, 'OD\tDivers\t1\t20251005\t5121\tBanque\t\t\tP1\t20251005\tApport\t100,00\t0,00\t\t\t20251005\t\t', 'OD\tDivers\t1\t20251005\t102\tFonds propres\t\t\tP1\t20251005\tApport\t0,00\t100,00\t\t\t20251005\t\t'].join('\r\n'), 'iso-8859-15');
    const report = (await importFec(target, body, '?startDate=2025-09-01&endDate=2026-08-31').expect(200)).body as FecImportReport;
    expect(report.entriesImported).toBe(1);
    const years = (await target.get(`/api/v1/orgs/${target.orgId}/accounting/fiscal-years`).expect(200)).body;
    expect(years).toEqual([expect.objectContaining({ startDate: '2025-09-01', endDate: '2026-08-31', lastEntryNumber: 1 })]);

    const notFec = await importFec(target, Buffer.from('date;montant\n2026-01-01;12\n')).expect(422);
    expect(notFec.body.errors[0]).toMatchObject({ field: 'body', code: 'fec.header' });
    await importFec(target, body, '?startDate=2025-09-01').expect(422);
  });

  it('is for treasurers of the organization only', async () => {
    const owner = await signupOrganization(t, 'Droits');
    const coordinator = await addUser(t, owner, 'coordinator');
    await importFec(coordinator, Buffer.from(HEADER18)).expect(403);
    const other = await signupOrganization(t, 'Intrus');
    await request(t.app.getHttpServer())
      .post(`/api/v1/orgs/${owner.orgId}/accounting/imports/fec`)
      .set('cookie', other.cookie)
      .set('x-csrf-token', other.csrf)
      .set('content-type', 'text/plain')
      .send(Buffer.from(HEADER18))
      .expect(404);
  });
});
