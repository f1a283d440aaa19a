import { DomainError, LocalDate } from '@ruche/core';
import type { ValidityKind } from '@ruche/contracts';

export interface Validity {
  validityKind: ValidityKind;
  validityMonths: number | null;
  fixedStartDate: string | null;
  fixedEndDate: string | null;
}

/**
 * The period a membership covers when it starts on `from`: to the end of the calendar year, of
 * the organization's fiscal year, N months minus a day, the plan's fixed dates, or for life.
 */
export function periodFor(validity: Validity, from: LocalDate, fiscalYearStartMonth: number): { startDate: string; endDate: string | null } {
  switch (validity.validityKind) {
    case 'calendar_year':
      return { startDate: from.toString(), endDate: `${from.year}-12-31` };
    case 'fiscal_year': {
      const startYear = from.month >= fiscalYearStartMonth ? from.year : from.year - 1;
      const end = LocalDate.of(startYear, fiscalYearStartMonth, 1).plusMonths(12).plusDays(-1);
      return { startDate: from.toString(), endDate: end.toString() };
    }
    case 'rolling_months': {
      const months = validity.validityMonths ?? 12;
      return { startDate: from.toString(), endDate: from.plusMonths(months).plusDays(-1).toString() };
    }
    case 'fixed_dates': {
      const start = validity.fixedStartDate as string;
      const end = validity.fixedEndDate as string;
      if (from.toString() > end) {
        throw DomainError.invalid('memberships.plan_period_over', `This plan covers ${start} to ${end} only`, 'startDate');
      }
      return { startDate: from.toString() < start ? start : from.toString(), endDate: end };
    }
    case 'lifetime':
      return { startDate: from.toString(), endDate: null };
    default: {
      const never: never = validity.validityKind;
      throw DomainError.invalid('memberships.bad_validity', `Unknown validity ${String(never)}`);
    }
  }
}

/** Where a renewal starts: the day after the covered period, or today when it has run out. */
export function renewalStart(previousEnd: string | null, today: LocalDate): LocalDate {
  if (previousEnd === null) throw DomainError.conflict('memberships.lifetime', 'A lifetime membership needs no renewal');
  const next = LocalDate.parse(previousEnd).plusDays(1);
  return next.isBefore(today) ? today : next;
}
