/**
 * A spreadsheet cell that starts like a formula (=, +, -, @, tab, carriage return) is prefixed
 * with a quote, so that Excel or LibreOffice shows it as text instead of running it.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
