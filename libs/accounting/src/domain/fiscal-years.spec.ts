import { LocalDate } from '@ruche/core';
import { contains, fiscalYearContaining, fiscalYearLengthProblem } from './fiscal-years';

describe('fiscal years', () => {
  it('finds the 12-month year of a date for any start month', () => {
    const calendar = fiscalYearContaining(LocalDate.parse('2026-03-10'), 1);
    expect([calendar.start.toString(), calendar.end.toString()]).toEqual(['2026-01-01', '2026-12-31']);
    const september = fiscalYearContaining(LocalDate.parse('2026-03-10'), 9);
    expect([september.start.toString(), september.end.toString()]).toEqual(['2025-09-01', '2026-08-31']);
    const sameMonth = fiscalYearContaining(LocalDate.parse('2026-09-01'), 9);
    expect(sameMonth.start.toString()).toBe('2026-09-01');
    const february = fiscalYearContaining(LocalDate.parse('2027-01-31'), 3);
    expect([february.start.toString(), february.end.toString()]).toEqual(['2026-03-01', '2027-02-28']);
    expect(contains(february, LocalDate.parse('2027-02-28'))).toBe(true);
    expect(contains(february, LocalDate.parse('2027-03-01'))).toBe(false);
  });

  it('lets a first year be shorter or longer, up to 24 months', () => {
    expect(fiscalYearLengthProblem(LocalDate.parse('2026-07-01'), LocalDate.parse('2026-12-31'))).toBeNull();
    expect(fiscalYearLengthProblem(LocalDate.parse('2025-07-01'), LocalDate.parse('2027-06-30'))).toBeNull();
    expect(fiscalYearLengthProblem(LocalDate.parse('2025-07-01'), LocalDate.parse('2027-07-01'))).toMatch(/24 months/);
    expect(fiscalYearLengthProblem(LocalDate.parse('2026-07-01'), LocalDate.parse('2026-07-01'))).toMatch(/after/);
  });
});
