/**
 * ISO 11649 structured creditor references ("RF" + 2 check digits + up to 21 letters or digits):
 * what a payer types in a transfer's reference field so that the bank line names the payment.
 * The check digits are ISO 7064 MOD 97-10, as for IBANs (the `iso-11649` npm package does this
 * too, but it has a single release and few users: the arithmetic is short enough to own).
 */

/** Letters as numbers (A = 10 ... Z = 35), then the remainder by 97, digit by digit (no big ints). */
function mod97(text: string): number {
  let rest = 0;
  for (const char of text) {
    const value = /[0-9]/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) rest = (rest * 10 + Number(digit)) % 97;
  }
  return rest;
}

/** The RF reference of a body of 1 to 21 letters or digits (case and spaces ignored). */
export function creditorReference(body: string): string {
  const clean = body.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z0-9]{1,21}$/.test(clean))
    throw new RangeError(`A creditor reference body is 1 to 21 letters or digits, got "${body}"`);
  const check = 98 - mod97(`${clean}RF00`);
  return `RF${String(check).padStart(2, '0')}${clean}`;
}

/** True for a well-formed RF reference whose check digits are right (spaces ignored). */
export function isCreditorReference(text: string): boolean {
  const clean = text.replace(/\s+/g, '').toUpperCase();
  if (!/^RF\d{2}[A-Z0-9]{1,21}$/.test(clean)) return false;
  return mod97(`${clean.slice(4)}${clean.slice(0, 4)}`) === 1;
}

/** The reference of a payment: its id's first 16 hexadecimal digits, as letters and digits. */
export function paymentReference(paymentId: string): string {
  return creditorReference(paymentId.replace(/-/g, '').slice(0, 16));
}
