import { pdfText, signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import type { StatementView } from '@ruche/contracts';
import { createTestApi } from '../testing';

function entry(date: string, lines: [string, number, number, string?][], journal = 'OD') {
  return {
    journal,
    date,
    label: `Écriture du ${date}`,
    lines: lines.map(([account, debit, credit, analytic]) => ({ account, ...(debit ? { debit: (debit / 100).toFixed(2) } : {}), ...(credit ? { credit: (credit / 100).toFixed(2) } : {}), ...(analytic ? { analytic } : {}) })),
    post: true,
  };
}

const line = (view: StatementView, section: string, key: string) => view.sections.concat(view.footSections).find((s) => s.key === section)?.lines.find((l) => l.key === key);

describe('annual statements (ANC 2018-06 layout) and analytic results', () => {
  let t: TestApp;
  let owner: TestSession;
  let fy2026: string;
  let fy2027: string;
  const base = () => `/api/v1/orgs/${owner.orgId}/accounting`;

  beforeAll(async () => {
    t = await createTestApi();
    owner = await signupOrganization(t, 'Théâtre du Quartier');
    const post = async (e: ReturnType<typeof entry>) => (await owner.post(`${base()}/entries`, e).expect(201)).body as { fiscalYearId: string };
    fy2026 = (await post(entry('2026-01-02', [['5121', 200000, 0], ['102', 0, 200000]]))).fiscalYearId;
    await post(entry('2026-02-01', [['5121', 80000, 0], ['7561', 0, 80000]]));
    await post(entry('2026-03-01', [['51151', 49000, 0], ['627', 1000, 0], ['75411', 0, 50000, 'FESTIVAL']]));
    await post(entry('2026-04-01', [['6064', 30000, 0, 'FESTIVAL'], ['5121', 0, 30000]]));
    await post(entry('2026-05-01', [['641', 100000, 0], ['5121', 0, 100000]]));
  });
  afterAll(() => t.close());

  it('lays out the income statement with its result and the contributions in kind at its foot', async () => {
    await owner.post(`${base()}/entries`, entry('2026-06-30', [['864', 120000, 0], ['875', 0, 120000]])).expect(201);
    const view = (await owner.get(`${base()}/reports/income-statement?fiscalYearId=${fy2026}`).expect(200)).body as StatementView;
    expect(line(view, 'operating_income', 'membership_fees')?.amountCents).toBe(80000);
    expect(line(view, 'operating_income', 'generosity')?.amountCents).toBe(50000);
    expect(line(view, 'operating_expenses', 'external')?.amountCents).toBe(31000);
    expect(line(view, 'operating_expenses', 'salaries')?.amountCents).toBe(100000);
    expect(view.resultCents).toBe(130000 - 131000);
    expect(line(view, 'in_kind_resources', 'volunteering')?.amountCents).toBe(120000);
    expect(line(view, 'in_kind_uses', 'volunteer_staff')?.amountCents).toBe(120000);
    expect(view.previous).toBeNull();
    expect(view.warnings).toEqual([expect.objectContaining({ code: 'accounting.year_open' })]);
    expect(view.unclassified).toEqual([]);
  });

  it('balances the balance sheet: assets equal funds and debts, result included', async () => {
    const view = (await owner.get(`${base()}/reports/balance-sheet?fiscalYearId=${fy2026}`).expect(200)).body as StatementView;
    expect(line(view, 'current_assets', 'cash')?.amountCents).toBe(200000 + 80000 + 49000 - 30000 - 100000);
    expect(line(view, 'equity', 'funds_without_recovery')?.amountCents).toBe(200000);
    expect(line(view, 'equity', 'result')?.amountCents).toBe(-1000);
    expect(view.totalAssetsCents).toBe(view.totalLiabilitiesCents);
    expect(view.totalAssetsCents).toBe(199000);
  });

  it('compares with the previous year once it is closed, and shows an overdraft as a debt', async () => {
    await owner.post(`${base()}/fiscal-years/${fy2026}/close`, {}).expect(200);
    const next = (await owner.post(`${base()}/entries`, entry('2027-02-01', [['6064', 250000, 0], ['5121', 0, 250000]], 'BQ')).expect(201)).body as { fiscalYearId: string };
    fy2027 = next.fiscalYearId;
    const income = (await owner.get(`${base()}/reports/income-statement?fiscalYearId=${fy2027}`).expect(200)).body as StatementView;
    expect(income.previous?.fiscalYearId).toBe(fy2026);
    expect(line(income, 'operating_income', 'membership_fees')).toMatchObject({ amountCents: 0, previousCents: 80000 });
    expect(income.previousResultCents).toBe(-1000);
    const sheet = (await owner.get(`${base()}/reports/balance-sheet?fiscalYearId=${fy2027}`).expect(200)).body as StatementView;
    expect(line(sheet, 'debts', 'bank_overdrafts')?.amountCents).toBe(250000 - 150000);
    expect(line(sheet, 'current_assets', 'cash')?.amountCents).toBe(49000);
    expect(line(sheet, 'equity', 'result')).toMatchObject({ amountCents: -250000 - 1000, previousCents: -1000 });
    expect(sheet.totalAssetsCents).toBe(sheet.totalLiabilitiesCents);
    const csv = await owner.get(`${base()}/reports/balance-sheet?fiscalYearId=${fy2027}&format=csv`).expect(200);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="bilan-2027-12-31.csv"');
    expect(csv.text).toContain('Dettes;Concours bancaires courants;1000,00;0,00');
  });

  it('prints the income statement as PDF beside the previous year', async () => {
    const res = await owner.get(`${base()}/reports/income-statement?fiscalYearId=${fy2027}&format=pdf`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    const pdf = await pdfText(res.body as Buffer);
    expect(pdf.text).toContain('Compte de résultat');
    expect(pdf.text).toContain('Poste Exercice 2027 Exercice 2026');
    expect(pdf.text).toContain('Cotisations 0,00 800,00');
    expect(pdf.text).toContain('Déficit de l’exercice -2 500,00 -10,00');
    expect(pdf.text).toContain('Document provisoire');
  });

  it('gives income, expenses and result per analytic project', async () => {
    const res = await owner.get(`${base()}/reports/analytic?fiscalYearId=${fy2026}`).expect(200);
    expect(res.body.rows).toEqual([
      { analytic: 'FESTIVAL', incomeCents: 50000, expenseCents: 30000, resultCents: 20000 },
      { analytic: null, incomeCents: 80000, expenseCents: 101000, resultCents: -21000 },
    ]);
  });

  it('keeps another organization out', async () => {
    const other = await signupOrganization(t, 'Autre théâtre');
    await other.get(`/api/v1/orgs/${other.orgId}/accounting/reports/income-statement?fiscalYearId=${fy2026}`).expect(404);
    await other.get(`/api/v1/orgs/${other.orgId}/accounting/reports/balance-sheet?fiscalYearId=${fy2026}`).expect(404);
    await other.get(`/api/v1/orgs/${other.orgId}/accounting/reports/analytic?fiscalYearId=${fy2026}`).expect(404);
  });
});
