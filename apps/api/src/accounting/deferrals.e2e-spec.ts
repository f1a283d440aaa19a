import type {
  ContactView,
  DeferralsView,
  FiscalYearView,
  Page,
  PaymentView,
} from '@ruche/contracts';
import { addUser, signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import { createTestApi } from '../testing';
import { balanceOf, entryLines } from '../payments/stripe.test-support';

/**
 * The year-end deferral of membership fees (produits constatés d'avance, 487): a season
 * membership paid in September defers the days of next year, a calendar-year one nothing; one
 * entry on the last day, its reversal on the next year's first day; cancelled by reversals.
 */
describe('year-end deferral of membership fees', () => {
  let t: TestApp;
  let owner: TestSession;
  const staff = () => `/api/v1/orgs/${owner.orgId}`;

  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    owner = await signupOrganization(t, 'Club de voile du lac');
  });

  async function contact(lastName: string): Promise<ContactView> {
    return (
      await owner
        .post(`${staff()}/contacts`, {
          firstName: 'Lou',
          lastName,
          email: `${lastName.toLowerCase()}@example.org`,
        })
        .expect(201)
    ).body as ContactView;
  }

  async function plan(name: string, amount: string, validity: object): Promise<string> {
    const res = await owner
      .post(`${staff()}/membership-plans`, {
        name,
        pricingKind: 'fixed',
        tiers: [{ code: 'std', label: 'Standard', amount }],
        ...validity,
      })
      .expect(201);
    return (res.body as { id: string }).id;
  }

  async function paidMembership(
    planId: string,
    lastName: string,
    startDate: string,
    paidOn: string,
  ): Promise<PaymentView> {
    const member = await contact(lastName);
    await owner
      .post(`${staff()}/memberships`, {
        contactId: member.id,
        planId,
        startDate,
        payment: { method: 'cheque', paidOn, reference: `CHQ-${lastName}` },
      })
      .expect(201);
    const payments = (await owner.get(`${staff()}/payments?contactId=${member.id}`).expect(200))
      .body as Page<PaymentView>;
    expect(payments.items).toHaveLength(1);
    return payments.items[0];
  }

  async function fiscalYear(start: string): Promise<FiscalYearView> {
    const years = (await owner.get(`${staff()}/accounting/fiscal-years`).expect(200))
      .body as FiscalYearView[];
    const found = years.find((y) => y.startDate === start);
    if (!found) throw new Error(`no fiscal year starting ${start}: ${JSON.stringify(years)}`);
    return found;
  }

  it('lists what pays for next year, posts it at year end with its reversal, refuses twice, cancels by reversal', async () => {
    const season = await plan('Saison', '60', {
      validityKind: 'rolling_months',
      validityMonths: 12,
    });
    const calendar = await plan('Année civile', '25', { validityKind: 'calendar_year' });
    const september = await paidMembership(season, 'Septembre', '2026-09-01', '2026-09-01');
    await paidMembership(calendar, 'Mars', '2026-03-02', '2026-03-02');
    const november = await paidMembership(season, 'Novembre', '2026-11-15', '2026-11-15');
    await owner
      .post(`${staff()}/payments/${november.id}/refunds`, {
        amount: '20',
        reason: 'Tarif réduit accordé',
      })
      .expect(201);
    const fy = await fiscalYear('2026-01-01');
    const url = `${staff()}/accounting/fiscal-years/${fy.id}/deferrals`;

    const preview = (await owner.get(url).expect(200)).body as DeferralsView;
    // 1 Sept 2026 – 31 Aug 2027: 243 of 365 days in 2027 → 60.00 × 243/365 = 39.95.
    // 15 Nov 2026 – 14 Nov 2027, 40.00 kept after the refund: 318 of 365 days → 34.85.
    expect(preview).toMatchObject({
      fiscalYearEnd: '2026-12-31',
      deferredAccount: '487',
      totalCents: 3995 + 3485,
      byAccount: [{ account: '7561', amountCents: 7480 }],
      posted: null,
      closed: false,
    });
    expect(
      preview.items.map((i) => [i.ref, i.amountCents, i.coverStart, i.coverEnd, i.deferredCents]),
    ).toEqual([
      [`payment:${september.id}`, 6000, '2026-09-01', '2027-08-31', 3995],
      [`payment:${november.id}`, 4000, '2026-11-15', '2027-11-14', 3485],
    ]);

    const treasurer = await addUser(t, owner, 'treasurer');
    const coordinator = await addUser(t, owner, 'coordinator');
    await coordinator.post(url, {}).expect(403);
    const posted = (await treasurer.post(url, {}).expect(200)).body as DeferralsView;
    expect(posted.posted).toMatchObject({ totalCents: 7480 });
    expect(await entryLines(t, owner.orgId, posted.posted!.entryId)).toEqual([
      { account: '7561', debit: 7480, credit: 0 },
      { account: '487', debit: 0, credit: 7480 },
    ]);
    expect(await entryLines(t, owner.orgId, posted.posted!.reversalEntryId!)).toEqual([
      { account: '7561', debit: 0, credit: 7480 },
      { account: '487', debit: 7480, credit: 0 },
    ]);
    const [yearEnd, reversal] = await t.dataSource.query<
      { date: string; piece_ref: string; journal: string; year: string }[]
    >(
      `SELECT to_char(e.entry_date, 'YYYY-MM-DD') AS date, e.piece_ref, j.code AS journal, y.start_date::text AS year
         FROM journal_entries e JOIN journals j ON j.organization_id = e.organization_id AND j.id = e.journal_id
         JOIN fiscal_years y ON y.organization_id = e.organization_id AND y.id = e.fiscal_year_id
        WHERE e.organization_id = $1 AND e.id = ANY($2) ORDER BY e.entry_date`,
      [owner.orgId, [posted.posted!.entryId, posted.posted!.reversalEntryId]],
    );
    expect(yearEnd).toEqual({
      date: '2026-12-31',
      piece_ref: 'PCA-2026',
      journal: 'OD',
      year: '2026-01-01',
    });
    expect(reversal).toEqual({
      date: '2027-01-01',
      piece_ref: 'PCA-2026-R',
      journal: 'OD',
      year: '2027-01-01',
    });
    // 2026's income keeps only its own days; over both years 487 is back to zero.
    expect(await balanceOf(t, owner.orgId, '487')).toBe(0);

    const again = await owner.post(url, {}).expect(409);
    expect(again.body.code).toBe('accounting.deferral_posted');
    const shortReason = await owner.post(`${url}/cancel`, { reason: 'x' }).expect(400);
    expect(shortReason.body.errors[0].field).toBe('reason');
    const cancelled = (
      await owner.post(`${url}/cancel`, { reason: 'Montants à revoir' }).expect(200)
    ).body as DeferralsView;
    expect(cancelled.posted).toBeNull();
    const [{ reversed }] = await t.dataSource.query<{ reversed: number }[]>(
      `SELECT count(*)::int AS reversed FROM journal_entries WHERE organization_id = $1 AND reversal_of_id = ANY($2)`,
      [owner.orgId, [posted.posted!.entryId, posted.posted!.reversalEntryId]],
    );
    expect(reversed).toBe(2);
    await owner.post(`${url}/cancel`, { reason: 'Encore une fois' }).expect(409);
    const reposted = (await owner.post(url, {}).expect(200)).body as DeferralsView;
    const [{ piece_ref: secondPiece }] = await t.dataSource.query<{ piece_ref: string }[]>(
      'SELECT piece_ref FROM journal_entries WHERE organization_id = $1 AND id = $2',
      [owner.orgId, reposted.posted!.entryId],
    );
    expect(secondPiece).toBe('PCA-2026-2');

    const audit = await t.dataSource.query<{ action: string }[]>(
      `SELECT action FROM audit_logs WHERE organization_id = $1 AND action LIKE 'accounting.deferral-%' ORDER BY created_at`,
      [owner.orgId],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'accounting.deferral-posted',
      'accounting.deferral-cancelled',
      'accounting.deferral-posted',
    ]);
  });

  it('refuses a year with nothing to defer, a closed year, and another organization', async () => {
    const calendar = await plan('Année civile', '25', { validityKind: 'calendar_year' });
    await paidMembership(calendar, 'Mars', '2026-03-02', '2026-03-02');
    const fy = await fiscalYear('2026-01-01');
    const url = `${staff()}/accounting/fiscal-years/${fy.id}/deferrals`;
    const empty = (await owner.get(url).expect(200)).body as DeferralsView;
    expect(empty).toMatchObject({ items: [], totalCents: 0, posted: null });
    const nothing = await owner.post(url, {}).expect(422);
    expect(nothing.body.errors[0]).toMatchObject({
      field: 'fiscalYearId',
      code: 'accounting.nothing_to_defer',
    });

    const other = await signupOrganization(t, 'Autre association');
    await other
      .get(`/api/v1/orgs/${other.orgId}/accounting/fiscal-years/${fy.id}/deferrals`)
      .expect(404);
    await other
      .post(`/api/v1/orgs/${other.orgId}/accounting/fiscal-years/${fy.id}/deferrals`, {})
      .expect(404);

    const season = await plan('Saison', '60', {
      validityKind: 'rolling_months',
      validityMonths: 12,
    });
    await paidMembership(season, 'Octobre', '2026-10-01', '2026-10-01');
    await owner
      .post(`${staff()}/accounting/fiscal-years/${fy.id}/close`, { confirmSuspense: true })
      .expect(200);
    const closed = (await owner.get(url).expect(200)).body as DeferralsView;
    expect(closed.closed).toBe(true);
    const refused = await owner.post(url, {}).expect(409);
    expect(refused.body.code).toBe('accounting.fiscal_year_closed');
  });
});
