import { DomainError } from '../errors/domain-error';

/**
 * A calendar day (no time, no zone) such as a fiscal date. Stored as `date` in PostgreSQL and
 * exchanged as "YYYY-MM-DD".
 */
export class LocalDate {
  private constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
  ) {}

  static of(year: number, month: number, day: number): LocalDate {
    const probe = new Date(Date.UTC(year, month - 1, day));
    if (
      !Number.isInteger(year) ||
      probe.getUTCFullYear() !== year ||
      probe.getUTCMonth() !== month - 1 ||
      probe.getUTCDate() !== day
    ) {
      throw DomainError.invalid('date.invalid', `${year}-${month}-${day} is not a calendar date`);
    }
    return new LocalDate(year, month, day);
  }

  static parse(iso: string): LocalDate {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!match) throw DomainError.invalid('date.bad_format', `"${iso}" is not a YYYY-MM-DD date`);
    return LocalDate.of(Number(match[1]), Number(match[2]), Number(match[3]));
  }

  /** The calendar day of an instant in the given IANA time zone (e.g. Europe/Paris). */
  static fromInstant(instant: Date, timeZone: string): LocalDate {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).formatToParts(instant);
    const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
    return LocalDate.of(get('year'), get('month'), get('day'));
  }

  plusDays(days: number): LocalDate {
    const d = new Date(Date.UTC(this.year, this.month - 1, this.day + days));
    return LocalDate.of(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }

  plusMonths(months: number): LocalDate {
    const total = this.year * 12 + (this.month - 1) + months;
    const year = Math.floor(total / 12);
    const month = (total % 12) + 1;
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return LocalDate.of(year, month, Math.min(this.day, lastDay));
  }

  compare(other: LocalDate): number {
    return this.toString() < other.toString() ? -1 : this.toString() > other.toString() ? 1 : 0;
  }

  isBefore(other: LocalDate): boolean {
    return this.compare(other) < 0;
  }

  isAfter(other: LocalDate): boolean {
    return this.compare(other) > 0;
  }

  equals(other: LocalDate): boolean {
    return this.compare(other) === 0;
  }

  toString(): string {
    return `${String(this.year).padStart(4, '0')}-${String(this.month).padStart(2, '0')}-${String(this.day).padStart(2, '0')}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}
