import { LocalDate } from '@ruche/core';
import { membershipStatus, summarize, type MembershipFacts, type SummarizedMembership } from './status';
import { periodFor, renewalStart } from './period';
import { priceFor } from './pricing';

const settings = { expiringSoonDays: 30, graceDays: 15 };
const on = (d: string) => LocalDate.parse(d);
const year2026: MembershipFacts = { startDate: '2026-01-01', endDate: '2026-12-31', paid: true, cancelled: false };

describe('membershipStatus: the one rule', () => {
  it.each([
    ['2025-12-31', 'upcoming', '2026-01-01'],
    ['2026-01-01', 'active', '2026-12-02'],
    ['2026-12-01', 'active', '2026-12-02'],
    ['2026-12-02', 'expiring_soon', '2027-01-01'],
    ['2026-12-31', 'expiring_soon', '2027-01-01'],
    ['2027-01-01', 'grace', '2027-01-16'],
    ['2027-01-15', 'grace', '2027-01-16'],
    ['2027-01-16', 'lapsed', null],
  ])('a paid calendar-year membership on %s is %s (next change %s)', (day, status, next) => {
    expect(membershipStatus(year2026, on(day), settings)).toEqual({ status, nextChangeOn: next });
  });

  it('an unpaid membership waits for payment until its period and grace are over, then lapses', () => {
    const unpaid = { ...year2026, paid: false };
    expect(membershipStatus(unpaid, on('2026-06-01'), settings)).toEqual({ status: 'pending_payment', nextChangeOn: '2027-01-16' });
    expect(membershipStatus(unpaid, on('2027-01-16'), settings)).toEqual({ status: 'lapsed', nextChangeOn: null });
  });

  it('cancelled wins over everything; lifetime never expires', () => {
    expect(membershipStatus({ ...year2026, cancelled: true }, on('2026-06-01'), settings)).toEqual({ status: 'cancelled', nextChangeOn: null });
    expect(membershipStatus({ startDate: '2020-05-01', endDate: null, paid: true, cancelled: false }, on('2090-01-01'), settings)).toEqual({ status: 'active', nextChangeOn: null });
  });

  it('with no grace, the day after the end is lapsed', () => {
    expect(membershipStatus(year2026, on('2027-01-01'), { expiringSoonDays: 7, graceDays: 0 })).toEqual({ status: 'lapsed', nextChangeOn: null });
  });

  it('walking day by day, the status changes exactly on the announced next-change days', () => {
    let day = on('2025-12-01');
    let current = membershipStatus(year2026, day, settings);
    while (day.isBefore(on('2027-03-01'))) {
      day = day.plusDays(1);
      const next = membershipStatus(year2026, day, settings);
      if (next.status !== current.status) expect(day.toString()).toBe(current.nextChangeOn);
      else expect(next.nextChangeOn).toBe(current.nextChangeOn);
      current = next;
    }
    expect(current.status).toBe('lapsed');
  });
});

describe('summarize: a contact standing from all their memberships', () => {
  const m = (id: string, facts: Partial<SummarizedMembership>): SummarizedMembership => ({
    id,
    planId: 'plan',
    ...year2026,
    status: 'active',
    ...facts,
  });

  it('an active membership beats a pending renewal; valid until the last paid day', () => {
    const summary = summarize(
      [
        m('old', { startDate: '2025-01-01', endDate: '2025-12-31', status: 'lapsed' }),
        m('now', { status: 'expiring_soon' }),
        m('next', { startDate: '2027-01-01', endDate: '2027-12-31', paid: false, status: 'pending_payment' }),
      ],
      settings,
    );
    expect(summary).toEqual({ membershipId: 'now', planId: 'plan', status: 'expiring_soon', memberSince: '2025-01-01', validUntil: '2026-12-31', lapsedSince: null });
  });

  it('a paid renewal extends the validity; lapsed members carry the day cover ended', () => {
    expect(summarize([m('now', {}), m('next', { startDate: '2027-01-01', endDate: '2027-12-31', status: 'upcoming' })], settings)?.validUntil).toBe('2027-12-31');
    expect(summarize([m('old', { status: 'lapsed' })], settings)).toMatchObject({ status: 'lapsed', lapsedSince: '2027-01-16' });
    expect(summarize([], settings)).toBeNull();
  });
});

describe('periods and prices', () => {
  const validity = { validityMonths: null, fixedStartDate: null, fixedEndDate: null };
  it('covers the calendar year, the fiscal year, N months, fixed dates or life', () => {
    expect(periodFor({ ...validity, validityKind: 'calendar_year' }, on('2026-03-15'), 1)).toEqual({ startDate: '2026-03-15', endDate: '2026-12-31' });
    expect(periodFor({ ...validity, validityKind: 'fiscal_year' }, on('2026-03-15'), 9)).toEqual({ startDate: '2026-03-15', endDate: '2026-08-31' });
    expect(periodFor({ ...validity, validityKind: 'fiscal_year' }, on('2026-10-01'), 9)).toEqual({ startDate: '2026-10-01', endDate: '2027-08-31' });
    expect(periodFor({ ...validity, validityKind: 'rolling_months', validityMonths: 12 }, on('2026-01-31'), 1)).toEqual({ startDate: '2026-01-31', endDate: '2027-01-30' });
    expect(periodFor({ ...validity, validityKind: 'fixed_dates', fixedStartDate: '2026-09-01', fixedEndDate: '2027-06-30' }, on('2026-05-02'), 1)).toEqual({
      startDate: '2026-09-01',
      endDate: '2027-06-30',
    });
    expect(() => periodFor({ ...validity, validityKind: 'fixed_dates', fixedStartDate: '2026-09-01', fixedEndDate: '2027-06-30' }, on('2027-07-01'), 1)).toThrow(/covers/);
    expect(periodFor({ ...validity, validityKind: 'lifetime' }, on('2026-05-02'), 1)).toEqual({ startDate: '2026-05-02', endDate: null });
  });

  it('a renewal starts the day after the period, or today when it ran out', () => {
    expect(renewalStart('2026-12-31', on('2026-12-10')).toString()).toBe('2027-01-01');
    expect(renewalStart('2026-12-31', on('2027-02-10')).toString()).toBe('2027-02-10');
    expect(() => renewalStart(null, on('2027-02-10'))).toThrow(/lifetime/);
  });

  it('prices by tier, or a free amount above the minimum', () => {
    const tiers = [
      { code: 'full', label: 'Plein tarif', amountCents: 3000 },
      { code: 'reduced', label: 'Réduit', amountCents: 1500 },
    ];
    expect(priceFor({ pricingKind: 'tiers', tiers, minimumAmountCents: null }, 'reduced', undefined)).toEqual({ amountCents: 1500, tier: tiers[1] });
    expect(() => priceFor({ pricingKind: 'tiers', tiers, minimumAmountCents: null }, undefined, undefined)).toThrow(/Choose one of: full, reduced/);
    expect(() => priceFor({ pricingKind: 'tiers', tiers, minimumAmountCents: null }, 'gold', undefined)).toThrow(/No tier/);
    expect(priceFor({ pricingKind: 'free_amount', tiers: [], minimumAmountCents: 1000 }, undefined, 2500)).toEqual({ amountCents: 2500, tier: null });
    expect(() => priceFor({ pricingKind: 'free_amount', tiers: [], minimumAmountCents: 1000 }, undefined, 999)).toThrow(/At least 10.00/);
  });
});
