import { signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import type { StatementView } from '@ruche/contracts';
import { createTestApi } from '../testing';

function entry(date: string, debit: string, credit: string, cents: number) {
  const amount = (cents / 100).toFixed(2);
  return {
    journal: 'OD',
    date,
    label: `Écriture du ${date}`,
    lines: [
      { account: debit, debit: amount },
      { account: credit, credit: amount },
    ],
    post: true,
  };
}

const line = (view: StatementView, section: string, key: string) =>
  view.sections.find((s) => s.key === section)?.lines.find((l) => l.key === key);

describe('income statement and balance sheet for any period of a fiscal year', () => {
  let t: TestApp;
  let owner: TestSession;
  let fy2026: string;
  let fy2027: string;
  const base = () => `/api/v1/orgs/${owner.orgId}/accounting`;

  beforeAll(async () => {
    t = await createTestApi();
    owner = await signupOrganization(t, 'Harmonie municipale');
    const post = async (e: ReturnType<typeof entry>) =>
      ((await owner.post(`${base()}/entries`, e).expect(201)).body as { fiscalYearId: string })
        .fiscalYearId;
    fy2026 = await post(entry('2026-02-10', '5121', '7561', 10000));
    await post(entry('2026-02-20', '5121', '7561', 3000));
    await post(entry('2026-03-05', '6064', '5121', 2000));
    fy2027 = await post(entry('2027-01-10', '5121', '7561', 5000));
    await post(entry('2027-02-10', '5121', '7561', 7000));
    await post(entry('2027-02-25', '5121', '7561', 1100));
    await post(entry('2027-03-05', '6064', '5121', 4000));
  });
  afterAll(() => t.close());

  it('sums a period that cuts months, beside the same days of the previous year', async () => {
    const view = (
      await owner
        .get(
          `${base()}/reports/income-statement?fiscalYearId=${fy2027}&from=2027-02-05&to=2027-02-20`,
        )
        .expect(200)
    ).body as StatementView;
    expect(view).toMatchObject({
      from: '2027-02-05',
      to: '2027-02-20',
      startDate: '2027-01-01',
      endDate: '2027-12-31',
    });
    expect(view.previous).toEqual({
      fiscalYearId: fy2026,
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      from: '2026-02-05',
      to: '2026-02-20',
    });
    expect(line(view, 'operating_income', 'membership_fees')).toMatchObject({
      amountCents: 7000,
      previousCents: 13000,
    });
    expect([view.resultCents, view.previousResultCents]).toEqual([7000, 13000]);

    const later = (
      await owner
        .get(
          `${base()}/reports/income-statement?fiscalYearId=${fy2027}&from=2027-02-15&to=2027-03-10`,
        )
        .expect(200)
    ).body as StatementView;
    expect(line(later, 'operating_income', 'membership_fees')).toMatchObject({
      amountCents: 1100,
      previousCents: 3000,
    });
    expect(line(later, 'operating_expenses', 'external')).toMatchObject({
      amountCents: 4000,
      previousCents: 2000,
    });
    expect([later.resultCents, later.previousResultCents]).toEqual([1100 - 4000, 3000 - 2000]);

    // The whole year by default, compared with the whole previous year.
    const year = (
      await owner.get(`${base()}/reports/income-statement?fiscalYearId=${fy2027}`).expect(200)
    ).body as StatementView;
    expect(year).toMatchObject({
      from: '2027-01-01',
      to: '2027-12-31',
      previous: { from: '2026-01-01', to: '2026-12-31' },
    });
    expect(line(year, 'operating_income', 'membership_fees')).toMatchObject({
      amountCents: 13100,
      previousCents: 13000,
    });
  });

  it('draws the balance sheet at the day `to`, beside the same day of the previous year', async () => {
    const view = (
      await owner
        .get(`${base()}/reports/balance-sheet?fiscalYearId=${fy2027}&to=2027-02-20`)
        .expect(200)
    ).body as StatementView;
    expect(view).toMatchObject({
      to: '2027-02-20',
      previous: { fiscalYearId: fy2026, to: '2026-02-20' },
    });
    expect(line(view, 'current_assets', 'cash')).toMatchObject({
      amountCents: 12000,
      previousCents: 13000,
    });
    expect(line(view, 'equity', 'result')).toMatchObject({
      amountCents: 12000,
      previousCents: 13000,
    });
    expect(view.totalAssetsCents).toBe(view.totalLiabilitiesCents);
    const csv = await owner
      .get(`${base()}/reports/balance-sheet?fiscalYearId=${fy2027}&to=2027-02-20&format=csv`)
      .expect(200);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="bilan-2027-02-20.csv"');
    // The first year has no previous one to compare with.
    const first = (
      await owner
        .get(`${base()}/reports/balance-sheet?fiscalYearId=${fy2026}&to=2026-02-15`)
        .expect(200)
    ).body as StatementView;
    expect(first.previous).toBeNull();
    expect(line(first, 'current_assets', 'cash')?.amountCents).toBe(10000);
  });

  it('refuses days outside the fiscal year, naming the field', async () => {
    const before = await owner
      .get(`${base()}/reports/income-statement?fiscalYearId=${fy2027}&from=2026-12-31`)
      .expect(422);
    expect(before.body.errors[0]).toMatchObject({
      field: 'from',
      code: 'accounting.period_outside_fiscal_year',
    });
    const after = await owner
      .get(`${base()}/reports/balance-sheet?fiscalYearId=${fy2027}&to=2028-01-01`)
      .expect(422);
    expect(after.body.errors[0]).toMatchObject({
      field: 'to',
      code: 'accounting.period_outside_fiscal_year',
    });
    const reversed = await owner
      .get(
        `${base()}/reports/income-statement?fiscalYearId=${fy2027}&from=2027-03-01&to=2027-02-01`,
      )
      .expect(422);
    expect(reversed.body.errors[0]).toMatchObject({ field: 'to' });
    await owner
      .get(`${base()}/reports/income-statement?fiscalYearId=${fy2027}&from=2027-02-30`)
      .expect(400);
  });
});
