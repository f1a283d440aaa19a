import { addUser, signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import { AuditLogEntity } from '@ruche/platform';
import type { EntryView } from '@ruche/contracts';
import { createTestApi } from '../testing';

const gift = (overrides: Record<string, unknown> = {}) => ({
  journal: 'BQ',
  date: '2026-03-10',
  label: 'Don par chèque de Mme Martin',
  pieceRef: 'DON-2026-001',
  lines: [
    { account: '5112', debit: '100.00' },
    { account: '75411', credit: '100,00', counterpartyRef: 'D000042', counterpartyLabel: 'Mme Martin' },
  ],
  post: true,
  ...overrides,
});

describe('ledger: manual entries through the API', () => {
  let t: TestApp;
  let owner: TestSession;
  const base = () => `/api/v1/orgs/${owner.orgId}/accounting`;

  beforeAll(async () => {
    t = await createTestApi();
  });
  beforeEach(async () => {
    owner = await signupOrganization(t, 'Les Amis de la Bibliothèque');
  });
  afterAll(() => t.close());

  async function countEntries(orgId = owner.orgId): Promise<number> {
    const [{ n }] = await t.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM journal_entries WHERE organization_id = $1', [orgId]);
    return n;
  }

  it('seeds the ANC 2018-06 chart and the usual journals on first use', async () => {
    const accounts = await owner.get(`${base()}/accounts`).expect(200);
    const byNumber = new Map(accounts.body.map((a: { number: string; label: string }) => [a.number, a]));
    for (const number of ['102', '110', '120', '411', '487', '5112', '51151', '5121', '530', '580', '627', '706', '75411', '7542', '7561', '864', '875']) {
      expect(byNumber.has(number)).toBe(true);
    }
    expect(byNumber.get('756')).toMatchObject({ label: 'Cotisations', accountClass: '7', parentNumber: '75', used: false, active: true });
    expect(byNumber.get('75411')).toMatchObject({ parentNumber: '7541' });
    const journals = await owner.get(`${base()}/journals`).expect(200);
    expect(journals.body.map((j: { code: string }) => j.code)).toEqual(['AN', 'BQ', 'CA', 'CO', 'HA', 'OD', 'ST']);
    const roles = await owner.get(`${base()}/posting-accounts`).expect(200);
    expect(roles.body).toEqual(expect.arrayContaining([{ role: 'card_clearing', accountNumber: '51151', accountLabel: 'Stripe' }]));
  });

  it('posts balanced entries numbered without gaps in their fiscal year, opened on demand', async () => {
    const first = await owner.post(`${base()}/entries`, gift()).expect(201);
    expect(first.body).toMatchObject({ status: 'posted', number: 1, journalCode: 'BQ', date: '2026-03-10', totalCents: 10000, currency: 'EUR' });
    expect(first.body.lines).toEqual([
      expect.objectContaining({ lineNo: 1, accountNumber: '5112', debitCents: 10000, creditCents: 0 }),
      expect.objectContaining({ lineNo: 2, accountNumber: '75411', debitCents: 0, creditCents: 10000, counterpartyRef: 'D000042' }),
    ]);
    const draft = await owner.post(`${base()}/entries`, gift({ post: false, label: 'Brouillon' })).expect(201);
    expect(draft.body).toMatchObject({ status: 'draft', number: null });
    const second = await owner.post(`${base()}/entries`, gift({ date: '2026-04-01' })).expect(201);
    expect(second.body.number).toBe(2);
    const posted = await owner.post(`${base()}/entries/${draft.body.id}/post`).expect(200);
    expect(posted.body).toMatchObject({ status: 'posted', number: 3 });

    const years = await owner.get(`${base()}/fiscal-years`).expect(200);
    expect(years.body).toEqual([expect.objectContaining({ startDate: '2026-01-01', endDate: '2026-12-31', status: 'open', lastEntryNumber: 3 })]);
    // The next calendar year gets its own fiscal year; its number 1 is kept for the opening
    // entry (à-nouveaux) that closing 2026 will post, so its ordinary entries start at 2.
    const next = await owner.post(`${base()}/entries`, gift({ date: '2027-01-15' })).expect(201);
    expect(next.body.number).toBe(2);
    expect(next.body.fiscalYearId).not.toBe(first.body.fiscalYearId);
  });

  it('edits and deletes drafts, but never a posted entry: it is reversed instead', async () => {
    const draft = await owner.post(`${base()}/entries`, gift({ post: false })).expect(201);
    const edited = await owner.put(`${base()}/entries/${draft.body.id}`, gift({ post: false, label: 'Don corrigé', lines: [{ account: '5112', debit: 80 }, { account: '75411', credit: 80 }] })).expect(200);
    expect(edited.body).toMatchObject({ id: draft.body.id, label: 'Don corrigé', totalCents: 8000, status: 'draft' });
    await owner.delete(`${base()}/entries/${draft.body.id}`).expect(204);
    await owner.get(`${base()}/entries/${draft.body.id}`).expect(404);

    const posted = (await owner.post(`${base()}/entries`, gift()).expect(201)).body as EntryView;
    const refused = await owner.put(`${base()}/entries/${posted.id}`, gift({ label: 'Changed' })).expect(409);
    expect(refused.body.code).toBe('accounting.entry_posted');
    await owner.delete(`${base()}/entries/${posted.id}`).expect(409);

    const reversal = await owner.post(`${base()}/entries/${posted.id}/reverse`, { date: '2026-03-31' }).expect(201);
    expect(reversal.body).toMatchObject({ status: 'posted', number: posted.number! + 1, reversalOfId: posted.id, date: '2026-03-31', source: `reversal:${posted.id}` });
    expect(reversal.body.label).toBe('Extourne : Don par chèque de Mme Martin');
    expect(reversal.body.lines.map((l: { accountNumber: string; debitCents: number; creditCents: number }) => [l.accountNumber, l.debitCents, l.creditCents])).toEqual([
      ['5112', 0, 10000],
      ['75411', 10000, 0],
    ]);
    const original = await owner.get(`${base()}/entries/${posted.id}`).expect(200);
    expect(original.body).toMatchObject({ reversedById: reversal.body.id, label: posted.label, number: posted.number });
    const again = await owner.post(`${base()}/entries/${posted.id}/reverse`, {}).expect(409);
    expect(again.body.code).toBe('accounting.already_reversed');
    await owner.post(`${base()}/entries/${reversal.body.id}/reverse`, {}).expect(409);

    const audit = await t.dataSource.getRepository(AuditLogEntity).findBy({ organizationId: owner.orgId, entityType: 'journal_entry' });
    expect(audit.map((a) => a.action).sort()).toEqual(
      ['accounting.entry-deleted', 'accounting.entry-drafted', 'accounting.entry-posted', 'accounting.entry-reversed', 'accounting.entry-updated'].sort(),
    );
  });

  it.each([
    ['an unbalanced entry', { lines: [{ account: '5112', debit: '100.00' }, { account: '75411', credit: '99.99' }] }, 'lines', 'accounting.unbalanced'],
    ['an unknown account', { lines: [{ account: '5112', debit: '10' }, { account: '75499', credit: '10' }] }, 'lines.1.account', 'accounting.account_unknown'],
    ['more than 2 decimals', { lines: [{ account: '5112', debit: '10.001' }, { account: '75411', credit: '10.001' }] }, 'lines.0.debit', 'amount.too_many_decimals'],
    ['a negative amount', { lines: [{ account: '5112', debit: '-10' }, { account: '75411', credit: '-10' }] }, 'lines.0.debit', 'amount.negative'],
    ['both sides on one line', { lines: [{ account: '5112', debit: '10', credit: '10' }, { account: '75411', credit: '0' }] }, 'lines.0', 'accounting.both_sides'],
    ['a class account', { lines: [{ account: '51', debit: '10' }, { account: '75411', credit: '10' }] }, 'lines.0.account', 'accounting.account_not_postable'],
    ['an unknown journal', { journal: 'ZZ' }, 'journal', 'accounting.journal_unknown'],
  ])('refuses %s with 422, the line and the reason, and writes nothing', async (_label, overrides, field, code) => {
    const res = await owner.post(`${base()}/entries`, gift(overrides)).expect(422);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
    expect(await countEntries()).toBe(0);
    const [{ n }] = await t.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM fiscal_years WHERE organization_id = $1', [owner.orgId]);
    expect(n).toBe(0);
  });

  it('refuses malformed bodies with 400 and the field', async () => {
    const res = await owner.post(`${base()}/entries`, { ...gift(), date: '10/03/2026', extra: true }).expect(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toContain('date');
    expect(JSON.stringify(res.body.errors)).toContain('extra');
    expect(await countEntries()).toBe(0);
  });

  it('refuses a posting dated in a closed fiscal year', async () => {
    await owner.post(`${base()}/fiscal-years`, { startDate: '2025-01-01', endDate: '2025-12-31' }).expect(201);
    await t.dataSource.query(`UPDATE fiscal_years SET status = 'closed', closed_at = now() WHERE organization_id = $1 AND start_date = '2025-01-01'`, [owner.orgId]);
    const res = await owner.post(`${base()}/entries`, gift({ date: '2025-06-30' })).expect(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'date', code: 'accounting.fiscal_year_closed' })]);
    expect(await countEntries()).toBe(0);
  });

  it('keeps fiscal years apart and within 24 months', async () => {
    await owner.post(`${base()}/fiscal-years`, { startDate: '2025-07-01', endDate: '2026-12-31' }).expect(201);
    const overlap = await owner.post(`${base()}/fiscal-years`, { startDate: '2026-01-01', endDate: '2026-12-31' }).expect(409);
    expect(overlap.body.code).toBe('accounting.fiscal_year_overlap');
    const long = await owner.post(`${base()}/fiscal-years`, { startDate: '2027-01-01', endDate: '2029-06-30' }).expect(422);
    expect(long.body.errors[0]).toMatchObject({ field: 'endDate', code: 'accounting.fiscal_year_length' });
  });

  it('adds sub-accounts, renames and deactivates, and protects the accounts of automatic postings', async () => {
    const created = await owner.post(`${base()}/accounts`, { number: '5122', label: 'Livret A' }).expect(201);
    expect(created.body).toMatchObject({ number: '5122', parentNumber: '512', accountClass: '5', used: false });
    await owner.post(`${base()}/accounts`, { number: '5122', label: 'Doublon' }).expect(409);
    const orphan = await owner.post(`${base()}/accounts`, { number: '9999', label: 'Hors plan' }).expect(422);
    expect(orphan.body.errors[0]).toMatchObject({ field: 'number' });
    await owner.put(`${base()}/accounts/5122`, { label: 'Livret A Crédit Coopératif', active: false }).expect(200);
    const inactive = await owner.post(`${base()}/entries`, gift({ lines: [{ account: '5122', debit: 5 }, { account: '75411', credit: 5 }] })).expect(422);
    expect(inactive.body.errors[0]).toMatchObject({ field: 'lines.0.account', code: 'accounting.account_inactive' });
    const protectedAccount = await owner.put(`${base()}/accounts/51151`, { label: 'Stripe', active: false }).expect(409);
    expect(protectedAccount.body.code).toBe('accounting.account_in_use');
    // A used account can be deactivated, never deleted (there is no delete: the database refuses it too).
    await owner.post(`${base()}/entries`, gift()).expect(201);
    const list = await owner.get(`${base()}/accounts`).expect(200);
    expect(list.body.find((a: { number: string }) => a.number === '75411')).toMatchObject({ used: true });
    await expect(t.dataSource.query(`DELETE FROM accounts WHERE organization_id = $1 AND number = '75411'`, [owner.orgId])).rejects.toThrow(/foreign key/);
  });

  it('points posting roles at other accounts of the chart, refusing unknown ones', async () => {
    await owner.post(`${base()}/accounts`, { number: '46712', label: 'Stripe (débiteurs divers)' }).expect(201);
    const res = await owner.put(`${base()}/posting-accounts`, { accounts: { card_clearing: '46712' } }).expect(200);
    expect(res.body).toEqual(expect.arrayContaining([{ role: 'card_clearing', accountNumber: '46712', accountLabel: 'Stripe (débiteurs divers)' }]));
    const bad = await owner.put(`${base()}/posting-accounts`, { accounts: { bank: '5999', cash: '12' } }).expect(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['accounts.bank', 'accounts.cash']);
  });

  it('lists entries with filters and pages', async () => {
    await owner.post(`${base()}/entries`, gift()).expect(201);
    await owner.post(`${base()}/entries`, gift({ journal: 'CA', date: '2026-05-02', label: 'Cotisation en espèces', pieceRef: 'ADH-7', lines: [{ account: '530', debit: 20 }, { account: '7561', credit: 20 }] })).expect(201);
    await owner.post(`${base()}/entries`, gift({ post: false, date: '2026-06-01' })).expect(201);
    const all = await owner.get(`${base()}/entries`).expect(200);
    expect(all.body).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(all.body.items.map((e: EntryView) => e.date)).toEqual(['2026-06-01', '2026-05-02', '2026-03-10']);
    const byJournal = await owner.get(`${base()}/entries?journal=ca`).expect(200);
    expect(byJournal.body.items.map((e: EntryView) => e.label)).toEqual(['Cotisation en espèces']);
    const byAccount = await owner.get(`${base()}/entries?account=756&status=posted`).expect(200);
    expect(byAccount.body.total).toBe(1);
    const bySearch = await owner.get(`${base()}/entries?search=adh-7`).expect(200);
    expect(bySearch.body.total).toBe(1);
    const page = await owner.get(`${base()}/entries?limit=1&offset=1&from=2026-01-01&to=2026-05-31`).expect(200);
    expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(page.body.items[0].date).toBe('2026-03-10');
    await owner.get(`${base()}/entries?limit=0`).expect(400);
  });

  it('lets treasurers in, keeps coordinators and members out (403), and another organization gets 404', async () => {
    const treasurer = await addUser(t, owner, 'treasurer');
    await treasurer.post(`${base()}/entries`, gift()).expect(201);
    const coordinator = await addUser(t, owner, 'coordinator');
    await coordinator.get(`${base()}/entries`).expect(403);
    await coordinator.post(`${base()}/entries`, gift()).expect(403);

    const posted = (await owner.post(`${base()}/entries`, gift()).expect(201)).body as EntryView;
    const other = await signupOrganization(t, 'Autre association');
    const otherBase = `/api/v1/orgs/${owner.orgId}/accounting`;
    await other.get(`${otherBase}/entries`).expect(404);
    await other.get(`${otherBase}/entries/${posted.id}`).expect(404);
    await other.post(`${otherBase}/entries/${posted.id}/reverse`, {}).expect(404);
    // Through its own organization's routes, the other entry does not exist either.
    await other.get(`/api/v1/orgs/${other.orgId}/accounting/entries/${posted.id}`).expect(404);
    await other.post(`/api/v1/orgs/${other.orgId}/accounting/entries/${posted.id}/reverse`, {}).expect(404);
    const theirs = await other.get(`/api/v1/orgs/${other.orgId}/accounting/entries`).expect(200);
    expect(theirs.body.total).toBe(0);
    expect(await countEntries()).toBe(2);
  });
});
