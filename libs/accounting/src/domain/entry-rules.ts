import type { DomainErrorDetail } from '@ruche/core';
import { parseAmount } from './amounts';

export interface RawLine {
  account: string;
  debit?: string | number | null;
  credit?: string | number | null;
}

export interface CheckedLine {
  account: string;
  debitCents: number;
  creditCents: number;
}

/** Posting needs a detailed account: at least 3 digits (FEC CompteNum), a class from 1 to 8. */
export function accountNumberProblem(number: string): string | null {
  if (!/^\d{3,12}$/.test(number)) return 'Post to an account of at least 3 digits';
  if (number.startsWith('0') || number.startsWith('9')) return 'Accounts belong to classes 1 to 8';
  return null;
}

/**
 * The rules every entry obeys, draft or posted, manual or automatic: each line has exactly one
 * side, positive, in cents; at least two lines; debits equal credits. Returns every problem,
 * each with its line (`lines.2.debit`) and reason.
 */
export function checkLines(lines: readonly RawLine[]): { lines: CheckedLine[]; problems: DomainErrorDetail[] } {
  const problems: DomainErrorDetail[] = [];
  const checked: CheckedLine[] = [];
  if (lines.length < 2) problems.push({ field: 'lines', code: 'accounting.too_few_lines', message: 'An entry has at least two lines' });
  lines.forEach((line, index) => {
    const debit = parseAmount(line.debit);
    const credit = parseAmount(line.credit);
    if (!debit.ok) problems.push({ field: `lines.${index}.debit`, code: debit.code, message: debit.message });
    if (!credit.ok) problems.push({ field: `lines.${index}.credit`, code: credit.code, message: credit.message });
    const accountProblem = accountNumberProblem(line.account);
    if (accountProblem) problems.push({ field: `lines.${index}.account`, code: 'accounting.account_not_postable', message: accountProblem });
    if (debit.ok && credit.ok) {
      if (debit.cents > 0 && credit.cents > 0) {
        problems.push({ field: `lines.${index}`, code: 'accounting.both_sides', message: 'A line is either a debit or a credit, not both' });
      } else if (debit.cents === 0 && credit.cents === 0) {
        problems.push({ field: `lines.${index}`, code: 'accounting.zero_line', message: 'A line needs a debit or a credit amount' });
      }
      checked.push({ account: line.account, debitCents: debit.cents, creditCents: credit.cents });
    }
  });
  if (problems.length === 0) problems.push(...balanceProblems(checked));
  return { lines: checked, problems };
}

/** Lines already in cents (automatic postings): the same rules, without parsing. */
export function checkCentsLines(lines: readonly CheckedLine[]): DomainErrorDetail[] {
  const problems: DomainErrorDetail[] = [];
  if (lines.length < 2) problems.push({ field: 'lines', code: 'accounting.too_few_lines', message: 'An entry has at least two lines' });
  lines.forEach((line, index) => {
    const accountProblem = accountNumberProblem(line.account);
    if (accountProblem) problems.push({ field: `lines.${index}.account`, code: 'accounting.account_not_postable', message: accountProblem });
    const valid = (cents: number) => Number.isSafeInteger(cents) && cents >= 0;
    if (!valid(line.debitCents) || !valid(line.creditCents)) {
      problems.push({ field: `lines.${index}`, code: 'amount.bad_cents', message: 'Amounts are positive whole numbers of cents' });
    } else if ((line.debitCents > 0) === (line.creditCents > 0)) {
      problems.push({ field: `lines.${index}`, code: line.debitCents > 0 ? 'accounting.both_sides' : 'accounting.zero_line', message: 'A line is either a debit or a credit' });
    }
  });
  if (problems.length === 0) problems.push(...balanceProblems(lines));
  return problems;
}

function balanceProblems(checked: readonly CheckedLine[]): DomainErrorDetail[] {
  const problems: DomainErrorDetail[] = [];
  {
    const debits = checked.reduce((sum, l) => sum + l.debitCents, 0);
    const credits = checked.reduce((sum, l) => sum + l.creditCents, 0);
    if (debits !== credits) {
      problems.push({
        field: 'lines',
        code: 'accounting.unbalanced',
        message: `Debits (${(debits / 100).toFixed(2)}) and credits (${(credits / 100).toFixed(2)}) differ by ${(Math.abs(debits - credits) / 100).toFixed(2)}`,
      });
    }
  }
  return problems;
}

/** The reversal (contrepassation) of lines: every debit becomes a credit of the same amount. */
export function reverseLines<L extends CheckedLine>(lines: readonly L[]): L[] {
  return lines.map((line) => ({ ...line, debitCents: line.creditCents, creditCents: line.debitCents }));
}
