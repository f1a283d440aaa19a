/**
 * Lettering codes as French ledgers show them: 1 -> A, 26 -> Z, 27 -> AA, 28 -> AB... (bijective
 * base 26, so no code is skipped or repeated).
 */
export function letterCode(n: number): string {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`A lettering number starts at 1, got ${n}`);
  let rest = n;
  let code = '';
  while (rest > 0) {
    const digit = (rest - 1) % 26;
    code = String.fromCharCode(65 + digit) + code;
    rest = Math.floor((rest - 1) / 26);
  }
  return code;
}
