/** Minor units per currency (ISO 4217 exponent); 2 unless listed. */
const EXPONENTS: Record<string, number> = {
  JPY: 0,
  KRW: 0,
  ISK: 0,
  CLP: 0,
  XOF: 0,
  XAF: 0,
  XPF: 0,
  BHD: 3,
  KWD: 3,
  OMR: 3,
  TND: 3,
  JOD: 3,
};

export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

/**
 * A decimal amount as written in a bank file ("1234.5", "1 234,50", "-8.855") to integer minor
 * units, without floating point. Digits beyond the currency's exponent are rounded half away from
 * zero, and `rounded` says so. Returns null when the text is not a number.
 */
export function decimalToMinor(
  text: string,
  currency: string,
): { minor: number; rounded: boolean } | null {
  const clean = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  const match = /^([+-]?)(\d+)(?:[.,](\d+))?$/.exec(clean);
  if (!match) return null;
  const [, sign, units, fraction = ''] = match;
  const exponent = currencyExponent(currency);
  const kept = fraction.slice(0, exponent).padEnd(exponent, '0');
  const rest = fraction.slice(exponent);
  let minor = Number(units) * 10 ** exponent + (exponent > 0 ? Number(kept) : 0);
  const rounded = /[1-9]/.test(rest);
  if (rest.length > 0 && Number(rest[0]) >= 5) minor += 1;
  if (!Number.isSafeInteger(minor)) return null;
  return { minor: sign === '-' ? -minor : minor, rounded };
}
