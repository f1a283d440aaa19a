/**
 * "1 234,56": French grouping with ordinary spaces (Intl's narrow no-break space is outside
 * the standard Helvetica font's encoding), decimal comma, minus sign for credit balances.
 */
export function pdfAmount(cents: number): string {
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const units = String(Math.trunc(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${negative ? '-' : ''}${units},${String(abs % 100).padStart(2, '0')}`;
}

/** A day as printed on French documents: 2026-03-10 -> 10/03/2026. */
export function pdfDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}
