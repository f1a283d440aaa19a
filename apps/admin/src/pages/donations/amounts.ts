import { centsFromAmountSchema } from '@ruche/contracts';
import type { FieldIssue } from '../../components/useFormErrors';
import { centsToAmount } from '../payments/paymentLabels';

/** One amount of a list as typed ("10", "12,50"). */
export interface AmountItem {
  amount: string;
}

/** Cents as the rows of an amount list ("10,00", "20,00"). */
export const toAmountItems = (cents: readonly number[]): AmountItem[] =>
  cents.map((value) => ({ amount: centsToAmount(value) }));

/**
 * The typed amounts of a list as cents, empty rows left out; a row that is not an amount gives
 * an issue on `${field}.${index}` (the row keeps its place, so the server's paths match).
 */
export function amountItemsToCents(
  items: readonly AmountItem[],
  field: string,
): { cents: number[]; issues: FieldIssue[] } {
  const cents: number[] = [];
  const issues: FieldIssue[] = [];
  items.forEach((item, index) => {
    const text = item.amount.trim();
    if (!text) return;
    const parsed = centsFromAmountSchema.safeParse(text);
    if (parsed.success) cents.push(parsed.data);
    else
      issues.push({
        field: `${field}.${index}`,
        message: parsed.error.issues[0]?.message ?? '',
      });
  });
  return { cents, issues };
}

/** The rows of an amount list that are filled in (so that server paths point at a row). */
export const filledItems = (items: readonly AmountItem[]): AmountItem[] =>
  items.filter((item) => item.amount.trim() !== '');
