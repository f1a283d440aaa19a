import fc from 'fast-check';
import { deferralLines, deferredCents, planDeferrals, type DeferralItem } from './deferrals';

const item = (over: Partial<DeferralItem>): DeferralItem => ({
  ref: 'payment:1',
  label: 'Adhésion 2026-2027',
  account: '756',
  amountCents: 6000,
  coverStart: '2026-09-01',
  coverEnd: '2027-08-31',
  ...over,
});

describe('year-end deferral (produits constatés d’avance)', () => {
  it('defers the days of a school-year membership that fall in the next calendar year', () => {
    // 1 Sept 2026 – 31 Aug 2027 is 365 days, 243 of them in 2027: 6000 × 243 / 365 = 3994.5 → 3995.
    expect(deferredCents(item({}), '2026-12-31')).toBe(3995);
  });

  it('defers nothing for a period ending inside the year, everything for one starting after it', () => {
    expect(
      deferredCents(item({ coverStart: '2026-01-01', coverEnd: '2026-12-31' }), '2026-12-31'),
    ).toBe(0);
    expect(
      deferredCents(item({ coverStart: '2027-01-01', coverEnd: '2027-12-31' }), '2026-12-31'),
    ).toBe(6000);
    expect(deferredCents(item({ amountCents: 0 }), '2026-12-31')).toBe(0);
  });

  it('counts leap days and fiscal years that do not end in December', () => {
    // 1 Jan – 31 Dec 2028 (366 days), fiscal year ending 30 June 2028: 184 days after.
    expect(
      deferredCents(
        item({ amountCents: 36600, coverStart: '2028-01-01', coverEnd: '2028-12-31' }),
        '2028-06-30',
      ),
    ).toBe(18400);
  });

  it('groups by income account into one balanced entry', () => {
    const plan = planDeferrals(
      [
        item({ ref: 'payment:a' }),
        item({ ref: 'payment:b', account: '7562', amountCents: 1200 }),
        item({ ref: 'payment:c', coverEnd: '2026-12-31' }),
        item({ ref: 'payment:d', amountCents: 3000 }),
      ],
      '2026-12-31',
    );
    expect(plan.items.map((i) => [i.ref, i.deferredCents])).toEqual([
      ['payment:a', 3995],
      ['payment:d', 1997],
      ['payment:b', 799],
    ]);
    expect(plan.byAccount).toEqual([
      { account: '756', amountCents: 5992 },
      { account: '7562', amountCents: 799 },
    ]);
    expect(deferralLines(plan, '487')).toEqual([
      { account: '756', debitCents: 5992, creditCents: 0 },
      { account: '7562', debitCents: 799, creditCents: 0 },
      { account: '487', debitCents: 0, creditCents: 6791 },
    ]);
    expect(deferralLines(planDeferrals([], '2026-12-31'), '487')).toEqual([]);
  });

  it('never defers more than was received, nor a negative amount, and stays balanced', () => {
    const day = fc
      .integer({ min: 0, max: 1500 })
      .map((n) => new Date(Date.UTC(2025, 0, 1 + n)).toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            amountCents: fc.integer({ min: 0, max: 10_000_000 }),
            a: day,
            b: day,
            account: fc.constantFrom('756', '7562', '706'),
          }),
          { maxLength: 30 },
        ),
        day,
        (raw, end) => {
          const items = raw.map((r, i) =>
            item({
              ref: `p${i}`,
              account: r.account,
              amountCents: r.amountCents,
              coverStart: r.a < r.b ? r.a : r.b,
              coverEnd: r.a < r.b ? r.b : r.a,
            }),
          );
          const plan = planDeferrals(items, end);
          for (const i of plan.items) {
            expect(i.deferredCents).toBeGreaterThan(0);
            expect(i.deferredCents).toBeLessThanOrEqual(i.amountCents);
          }
          const lines = deferralLines(plan, '487');
          expect(lines.reduce((s, l) => s + l.debitCents, 0)).toBe(
            lines.reduce((s, l) => s + l.creditCents, 0),
          );
        },
      ),
    );
  });
});
