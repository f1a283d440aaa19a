/** The current calendar year, in the browser's time zone. */
export const currentYear = (): number => new Date().getFullYear();

/** The years offered by the year pickers: this year first, then the ten before it. */
export function recentYears(count = 11): number[] {
  const year = currentYear();
  return Array.from({ length: count }, (_, index) => year - index);
}

interface YearSelectProps {
  label: string;
  /** The year as a string; '' for every year (only with `allLabel`). */
  value: string;
  onChange: (year: string) => void;
  /** The label of the "every year" choice; left out, a year must be chosen. */
  allLabel?: string;
  testId?: string;
}

/** A labelled select of the recent calendar years (filters, yearly reports). */
export function YearSelect({ label, value, onChange, allLabel, testId }: YearSelectProps) {
  const years = recentYears();
  const known = value === '' || years.some((year) => String(year) === value);
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} data-testid={testId} onChange={(event) => onChange(event.target.value)}>
        {allLabel !== undefined && <option value="">{allLabel}</option>}
        {!known && <option value={value}>{value}</option>}
        {years.map((year) => (
          <option key={year} value={String(year)}>
            {year}
          </option>
        ))}
      </select>
    </label>
  );
}
