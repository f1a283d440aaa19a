import type request from 'supertest';
import { addUser, signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import { AuditLogEntity } from '@ruche/platform';
import type { EntryView, FecCheckView, TrialBalanceView, YearCloseCheckView, YearCloseResultView } from '@ruche/contracts';
import { createTestApi } from '../testing';

/** Binary body (files) as a Buffer. */
function binary(res: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** The lines of a UTF-8 FEC, header left out, as fields. */
function fecRows(file: Buffer): string[][] {
  return file.toString('utf8').split('\r\n').slice(1).filter((l) => l !== '').map((l) => l.split('\t'));
}

const fecNumbers = (file: Buffer) => fecRows(file).map((r) => r[2]);

function entry(date: string, lines: [string, number, number][], post = true, journal = 'OD') {
  return {
    journal,
    date,
    label: `Écriture du ${date}`,
    lines: lines.map(([account, debit, credit]) => ({ account, ...(debit ? { debit: (debit / 100).toFixed(2) } : {}), ...(credit ? { credit: (credit / 100).toFixed(2) } : {}) })),
    post,
  };
}

describe('year close', () => {
  let t: TestApp;
  let owner: TestSession;
  let fy2026: string;
  const base = () => `/api/v1/orgs/${owner.orgId}/accounting`;

  beforeAll(async () => {
    t = await createTestApi();
  });
  beforeEach(async () => {
    owner = await signupOrganization(t, 'Club de randonnée');
    const opening = await owner.post(`${base()}/entries`, entry('2026-01-02', [['5121', 100000, 0], ['102', 0, 100000]])).expect(201);
    fy2026 = opening.body.fiscalYearId;
    await owner.post(`${base()}/entries`, entry('2026-03-01', [['5121', 60000, 0], ['7561', 0, 60000]], true, 'BQ')).expect(201);
    await owner.post(`${base()}/entries`, entry('2026-05-10', [['6064', 15000, 0], ['5121', 0, 15000]], true, 'BQ')).expect(201);
    await owner.post(`${base()}/entries`, entry('2026-06-30', [['864', 240000, 0], ['875', 0, 240000]])).expect(201);
  });
  afterAll(() => t.close());

  it('previews the result and the opening entry, then closes: locked year, à-nouveaux in the next year', async () => {
    const check = (await owner.get(`${base()}/fiscal-years/${fy2026}/close`).expect(200)).body as YearCloseCheckView;
    expect(check).toMatchObject({ ready: true, problems: [], suspense: [], resultCents: 45000, nextFiscalYear: { startDate: '2027-01-01', endDate: '2027-12-31' } });
    expect(check.openingLines).toEqual([
      { accountNumber: '102', debitCents: 0, creditCents: 100000 },
      { accountNumber: '120', debitCents: 0, creditCents: 45000 },
      { accountNumber: '5121', debitCents: 145000, creditCents: 0 },
    ]);

    const closed = await owner.post(`${base()}/fiscal-years/${fy2026}/close`, {}).expect(200);
    expect(closed.body.fiscalYear).toMatchObject({ status: 'closed', lastEntryNumber: 4 });
    expect(closed.body.resultCents).toBe(45000);
    const opening = (await owner.get(`${base()}/entries/${closed.body.openingEntryId}`).expect(200)).body as EntryView;
    expect(opening).toMatchObject({ journalCode: 'AN', date: '2027-01-01', number: 1, status: 'posted', fiscalYearId: closed.body.nextFiscalYearId });

    // The next year opens with the balance sheet only.
    const tb = (await owner.get(`${base()}/reports/trial-balance?fiscalYearId=${closed.body.nextFiscalYearId}`).expect(200)).body as TrialBalanceView;
    expect(tb.rows.map((r) => [r.accountNumber, r.closingCents])).toEqual([
      ['102', -100000],
      ['120', -45000],
      ['5121', 145000],
    ]);
    // Nothing more can be posted into the closed year, and closing twice is refused.
    const late = await owner.post(`${base()}/entries`, entry('2026-12-31', [['530', 100, 0], ['7561', 0, 100]])).expect(422);
    expect(late.body.errors[0]).toMatchObject({ field: 'date', code: 'accounting.fiscal_year_closed' });
    const again = await owner.post(`${base()}/fiscal-years/${fy2026}/close`, {}).expect(422);
    expect(again.body.code).toBe('accounting.already_closed');
  });

  it('refuses to close with drafts left, and asks to confirm a non-empty suspense account', async () => {
    const draft = await owner.post(`${base()}/entries`, entry('2026-07-01', [['530', 1000, 0], ['7561', 0, 1000]], false)).expect(201);
    const blocked = await owner.post(`${base()}/fiscal-years/${fy2026}/close`, {}).expect(422);
    expect(blocked.body.code).toBe('accounting.drafts_left');
    await owner.delete(`${base()}/entries/${draft.body.id}`).expect(204);

    await owner.post(`${base()}/entries`, entry('2026-08-01', [['471', 2500, 0], ['5121', 0, 2500]], true, 'BQ')).expect(201);
    const check = (await owner.get(`${base()}/fiscal-years/${fy2026}/close`).expect(200)).body as YearCloseCheckView;
    expect(check.suspense).toEqual([{ accountNumber: '471', balanceCents: 2500 }]);
    const suspense = await owner.post(`${base()}/fiscal-years/${fy2026}/close`, {}).expect(422);
    expect(suspense.body.code).toBe('accounting.suspense_not_empty');
    expect(suspense.body.errors[0]).toMatchObject({ field: 'confirmSuspense', message: '471: 25.00' });
    await owner.post(`${base()}/fiscal-years/${fy2026}/close`, { confirmSuspense: true }).expect(200);
  });

  it('lets only an owner reopen, with a reason, reversing the opening entry; then it can close again', async () => {
    const closed = (await owner.post(`${base()}/fiscal-years/${fy2026}/close`, {}).expect(200)).body as { openingEntryId: string; nextFiscalYearId: string };
    const treasurer = await addUser(t, owner, 'treasurer');
    await treasurer.post(`${base()}/fiscal-years/${fy2026}/reopen`, { reason: 'Facture oubliée' }).expect(403);
    await owner.post(`${base()}/fiscal-years/${fy2026}/reopen`, { reason: 'x' }).expect(400);
    const reopened = await owner.post(`${base()}/fiscal-years/${fy2026}/reopen`, { reason: 'Facture oubliée de mai' }).expect(200);
    expect(reopened.body).toMatchObject({ status: 'open', closedAt: null });
    const opening = (await owner.get(`${base()}/entries/${closed.openingEntryId}`).expect(200)).body as EntryView;
    expect(opening.reversedById).not.toBeNull();
    const tb = (await owner.get(`${base()}/reports/trial-balance?fiscalYearId=${closed.nextFiscalYearId}`).expect(200)).body as TrialBalanceView;
    expect(tb.rows.every((r) => r.closingCents === 0)).toBe(true);

    await owner.post(`${base()}/entries`, entry('2026-05-20', [['6064', 5000, 0], ['5121', 0, 5000]], true, 'BQ')).expect(201);
    const reclosed = await owner.post(`${base()}/fiscal-years/${fy2026}/close`, {}).expect(200);
    expect(reclosed.body.resultCents).toBe(40000);
    const audit = await t.dataSource.getRepository(AuditLogEntity).findBy({ organizationId: owner.orgId, entityType: 'fiscal_year', entityId: fy2026 });
    expect(audit.map((a) => a.action).sort()).toEqual(['accounting.fiscal-year-closed', 'accounting.fiscal-year-closed', 'accounting.fiscal-year-reopened']);
    expect(audit.find((a) => a.action === 'accounting.fiscal-year-reopened')?.after).toMatchObject({ reason: 'Facture oubliée de mai' });
  });

  it('numbers the à-nouveaux 1 in the next year even when its entries were posted before the close', async () => {
    // Entries of 2027 land before 2026 is closed: 2027 keeps number 1 for its opening entry.
    const early = await owner.post(`${base()}/entries`, entry('2027-01-05', [['5121', 2000, 0], ['7561', 0, 2000]], true, 'BQ')).expect(201);
    const fy2027 = early.body.fiscalYearId as string;
    expect(early.body.number).toBe(2);
    const second = await owner.post(`${base()}/entries`, entry('2027-01-20', [['6064', 500, 0], ['5121', 0, 500]], true, 'BQ')).expect(201);
    expect(second.body.number).toBe(3);

    // Before the close, the self-check says the à-nouveaux are waiting (a warning, not a gap)
    // and the file says so too.
    const waiting = (await owner.get(`${base()}/fec/check?fiscalYearId=${fy2027}`).expect(200)).body as FecCheckView;
    expect(waiting.problems).toEqual([]);
    expect(waiting.warnings).toEqual([expect.objectContaining({ code: 'fec.opening_pending', message: expect.stringContaining("À-nouveaux en attente de la clôture de l'exercice précédent") })]);
    const before = await owner.get(`${base()}/fec?fiscalYearId=${fy2027}&encoding=utf-8`).buffer(true).parse(binary).expect(200);
    expect(decodeURIComponent(String(before.headers['x-fec-notice']))).toContain('À-nouveaux en attente');
    expect(fecNumbers(before.body as Buffer)).toEqual(['2', '2', '3', '3']);

    const closed = (await owner.post(`${base()}/fiscal-years/${fy2026}/close`, {}).expect(200)).body as YearCloseResultView;
    expect(closed.nextFiscalYearId).toBe(fy2027);
    const opening = (await owner.get(`${base()}/entries/${closed.openingEntryId}`).expect(200)).body as EntryView;
    expect(opening).toMatchObject({ journalCode: 'AN', number: 1, date: '2027-01-01' });

    // The FEC of 2027: the à-nouveaux first, EcritureNum 1 to 3 without a break.
    const after = await owner.get(`${base()}/fec?fiscalYearId=${fy2027}&encoding=utf-8`).buffer(true).parse(binary).expect(200);
    expect(after.headers['x-fec-notice']).toBeUndefined();
    const rows = fecRows(after.body as Buffer);
    expect(rows.map((r) => r[2])).toEqual(['1', '1', '1', '2', '2', '3', '3']);
    expect(rows[0]?.[0]).toBe('AN');
    const checked = (await owner.get(`${base()}/fec/check?fiscalYearId=${fy2027}`).expect(200)).body as FecCheckView;
    expect(checked).toMatchObject({ entries: 3, problems: [], warnings: [] });

    // Reopened then closed again: the reversal and the new opening entry take the next numbers
    // (number 1 is used once; posted entries never move).
    await owner.post(`${base()}/fiscal-years/${fy2026}/reopen`, { reason: 'Facture oubliée de mai' }).expect(200);
    const reversal = (await owner.get(`${base()}/entries/${opening.id}`).expect(200)).body as EntryView;
    const reversedBy = (await owner.get(`${base()}/entries/${reversal.reversedById}`).expect(200)).body as EntryView;
    expect(reversedBy.number).toBe(4);
    const after2026 = await owner.post(`${base()}/entries`, entry('2027-02-01', [['530', 100, 0], ['7561', 0, 100]])).expect(201);
    expect(after2026.body.number).toBe(5);
    const reclosed = (await owner.post(`${base()}/fiscal-years/${fy2026}/close`, {}).expect(200)).body as YearCloseResultView;
    const reopening = (await owner.get(`${base()}/entries/${reclosed.openingEntryId}`).expect(200)).body as EntryView;
    expect(reopening.number).toBe(6);
    const final = (await owner.get(`${base()}/fec/check?fiscalYearId=${fy2027}`).expect(200)).body as FecCheckView;
    expect(final).toMatchObject({ entries: 6, problems: [], warnings: [] });
  });

  it('starts a first fiscal year at 1, and gives number 1 back when the close has nothing to carry', async () => {
    const other = await signupOrganization(t, 'Club sans solde');
    const ob = `/api/v1/orgs/${other.orgId}/accounting`;
    // A first year reserves nothing; the year after it keeps number 1.
    const first = await other.post(`${ob}/entries`, entry('2026-02-01', [['530', 1000, 0], ['7561', 0, 1000]])).expect(201);
    expect(first.body.number).toBe(1);
    await other.post(`${ob}/entries/${first.body.id}/reverse`, { date: '2026-02-02' }).expect(201);
    const years = await other.post(`${ob}/fiscal-years`, { startDate: '2027-01-01', endDate: '2027-12-31' }).expect(201);
    expect(years.body.lastEntryNumber).toBe(1);
    // Nothing to carry forward (the only entry was reversed) and nothing posted in 2027 yet:
    // number 1 is given back and 2027 starts at 1.
    const closed = (await other.post(`${ob}/fiscal-years/${first.body.fiscalYearId}/close`, {}).expect(200)).body as YearCloseResultView;
    expect(closed.openingEntryId).toBeNull();
    const next = await other.post(`${ob}/entries`, entry('2027-03-01', [['530', 700, 0], ['7561', 0, 700]])).expect(201);
    expect(next.body.number).toBe(1);
    const checked = (await other.get(`${ob}/fec/check?fiscalYearId=${closed.nextFiscalYearId}`).expect(200)).body as FecCheckView;
    expect(checked).toMatchObject({ entries: 1, problems: [], warnings: [] });
  });

  it('closes the years in order and keeps another organization out', async () => {
    const later = await owner.post(`${base()}/entries`, entry('2027-02-01', [['530', 100, 0], ['7561', 0, 100]])).expect(201);
    const blocked = await owner.post(`${base()}/fiscal-years/${later.body.fiscalYearId}/close`, {}).expect(422);
    expect(blocked.body.code).toBe('accounting.earlier_year_open');
    const other = await signupOrganization(t, 'Autre club');
    await other.get(`/api/v1/orgs/${other.orgId}/accounting/fiscal-years/${fy2026}/close`).expect(404);
    await other.post(`/api/v1/orgs/${other.orgId}/accounting/fiscal-years/${fy2026}/close`, {}).expect(404);
    await other.post(`/api/v1/orgs/${other.orgId}/accounting/fiscal-years/${fy2026}/reopen`, { reason: 'tentative' }).expect(404);
  });
});
