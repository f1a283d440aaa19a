import { LocalDate, isValidTimeZone } from './local-date';

describe('LocalDate', () => {
  it('parses and prints ISO days, refusing impossible dates', () => {
    expect(LocalDate.parse('2024-02-29').toString()).toBe('2024-02-29');
    expect(() => LocalDate.parse('2025-02-29')).toThrow();
    expect(() => LocalDate.parse('2025-2-3')).toThrow();
  });

  it('takes the calendar day of an instant in the organization time zone', () => {
    const lateEvening = new Date('2026-12-31T23:30:00Z');
    expect(LocalDate.fromInstant(lateEvening, 'Europe/Paris').toString()).toBe('2027-01-01');
    expect(LocalDate.fromInstant(lateEvening, 'America/Martinique').toString()).toBe('2026-12-31');
  });

  it('adds days and months, clamping to the month end', () => {
    expect(LocalDate.parse('2026-01-31').plusMonths(1).toString()).toBe('2026-02-28');
    expect(LocalDate.parse('2026-12-31').plusDays(1).toString()).toBe('2027-01-01');
    expect(LocalDate.parse('2026-03-01').isAfter(LocalDate.parse('2026-02-28'))).toBe(true);
  });

  it('knows IANA time zones', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('Pacific/Noumea')).toBe(true);
    expect(isValidTimeZone('Paris')).toBe(false);
  });
});
