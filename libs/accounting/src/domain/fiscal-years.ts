import { LocalDate } from '@ruche/core';

export interface Period {
  start: LocalDate;
  end: LocalDate;
}

/** The 12-month fiscal year that contains `date`, for a year starting on the 1st of `startMonth`. */
export function fiscalYearContaining(date: LocalDate, startMonth: number): Period {
  const startYear = date.month >= startMonth ? date.year : date.year - 1;
  const start = LocalDate.of(startYear, startMonth, 1);
  return { start, end: start.plusMonths(12).plusDays(-1) };
}

/**
 * A fiscal year lasts 12 months by default; the first one (or one after a change of closing
 * date) may be shorter or longer, but French practice caps it at 24 months.
 */
export function fiscalYearLengthProblem(start: LocalDate, end: LocalDate): string | null {
  if (!start.isBefore(end)) return 'The end date comes after the start date';
  if (end.isAfter(start.plusMonths(24).plusDays(-1))) return 'A fiscal year lasts at most 24 months';
  return null;
}

export function contains(period: Period, date: LocalDate): boolean {
  return !date.isBefore(period.start) && !date.isAfter(period.end);
}
