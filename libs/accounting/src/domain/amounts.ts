/**
 * Amounts of the ledger are integer cents (never floats). A person or a program may send
 * "12.50", "12,5", "1 234,56" or 12.5; anything with more than 2 decimals, a sign, or not a
 * number is refused with a reason.
 */
export type AmountParse = { ok: true; cents: number } | { ok: false; code: string; message: string };

/** Up to 10^13 euros: far above any association's books, below 2^53 cents. */
const MAX_CENTS = 1_000_000_000_000_000;

export function parseAmount(value: string | number | undefined | null): AmountParse {
  if (value === undefined || value === null || value === '') return { ok: true, cents: 0 };
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : 'NaN') : value.replace(/[\s\u00a0\u202f]/g, '');
  if (/^-/.test(text)) return { ok: false, code: 'amount.negative', message: 'Amounts are positive: put a credit on the other side' };
  const match = /^(\d+)(?:[.,](\d+))?$/.exec(text);
  if (!match) return { ok: false, code: 'amount.bad_format', message: `"${String(value)}" is not an amount` };
  const [, units = '0', fraction = ''] = match;
  if (fraction.length > 2) return { ok: false, code: 'amount.too_many_decimals', message: `"${String(value)}" has more than 2 decimals` };
  const cents = Number(units) * 100 + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(cents) || cents > MAX_CENTS) return { ok: false, code: 'amount.too_large', message: 'Amount too large' };
  return { ok: true, cents };
}

/** "1234,56": the FEC's and the CSV exports' form — decimal comma, no thousands separator. */
export function formatCentsComma(cents: number | bigint): string {
  const value = BigInt(cents);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const units = abs / 100n;
  const fraction = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${units.toString()},${fraction}`;
}
