import type { TFunction } from 'i18next';
import { ApiError } from '../../api/client';
import { errorMessage, serverMessage, validationMessage } from '../../i18n/messages';
import { formatMoney } from '../accounting/money';

/**
 * The engine's reasons (English, from the matching rules) in the UI language when they follow a
 * known pattern; anything else is shown as it is.
 */
const REASONS: readonly {
  pattern: RegExp;
  key: string;
  params?: (match: RegExpExecArray) => Record<string, string | number>;
}[] = [
  { pattern: /^amount equal$/i, key: 'amountEqual' },
  {
    pattern: /^(shared )?reference (.+) on every line$/i,
    key: 'referenceOnEveryLine',
    params: (m) => ({ reference: m[2] }),
  },
  {
    pattern: /^(shared )?reference (.+) on some lines$/i,
    key: 'referenceOnSomeLines',
    params: (m) => ({ reference: m[2] }),
  },
  {
    pattern: /^(\d+) bank lines summed$/i,
    key: 'bankLinesSummed',
    params: (m) => ({ count: Number(m[1]) }),
  },
  { pattern: /^same day$/i, key: 'sameDay' },
  {
    pattern: /^(\d+) day\(s\) apart$/i,
    key: 'daysApart',
    params: (m) => ({ count: Number(m[1]) }),
  },
  {
    pattern: /^shared reference (.+)$/i,
    key: 'sharedReference',
    params: (m) => ({ reference: m[1] }),
  },
  { pattern: /^reference of (.+)$/i, key: 'referenceOf', params: (m) => ({ reference: m[1] }) },
  { pattern: /^reference (.+)$/i, key: 'reference', params: (m) => ({ reference: m[1] }) },
  { pattern: /^payer name in part$/i, key: 'payerNameInPart' },
  { pattern: /^other payer name$/i, key: 'otherPayerName' },
  { pattern: /^payer name$/i, key: 'payerName' },
  { pattern: /^only item of this amount nearby$/i, key: 'onlyOfItsAmount' },
  {
    pattern: /^(\d+) items summed$/i,
    key: 'itemsSummed',
    params: (m) => ({ count: Number(m[1]) }),
  },
  { pattern: /^also fits line (.+)$/i, key: 'alsoFits', params: (m) => ({ lines: m[1] }) },
  { pattern: /^chosen by hand$/i, key: 'chosenByHand' },
  { pattern: /^posted by hand$/i, key: 'postedByHand' },
  { pattern: /^rule (.+)$/i, key: 'rule', params: (m) => ({ name: m[1] }) },
];

export function reasonLabel(t: TFunction, reason: string): string {
  for (const known of REASONS) {
    const match = known.pattern.exec(reason.trim());
    if (match) return t(`reconciliation.reasons.${known.key}`, known.params?.(match) ?? {});
  }
  return reason;
}

/** A signed amount with its sign shown for credits too ("+45,00 €", "-8,40 €"). */
export function signedMoney(cents: number, currency: string): string {
  return `${cents > 0 ? '+' : ''}${formatMoney(cents, currency)}`;
}

/**
 * A typed signed amount ("-12,50", "12.5", "1 234") as integer cents, without going through a
 * float; null when it is not one (empty included).
 */
export function parseSignedCents(text: string): number | null {
  const match = /^([+-])?(\d{1,10})(?:[.,](\d{1,2}))?$/.exec(text.replace(/[\s\u00a0\u202f]/g, ''));
  if (!match) return null;
  const cents = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] === '-' ? -cents : cents;
}

/** Cents as an amount to type ("12,50", "-8,40"), as the forms send them. */
export function centsToInput(cents: number): string {
  const abs = Math.abs(cents);
  const text = `${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
  return cents < 0 ? `-${text}` : text;
}

/** The day `days` after (or before, negative) a YYYY-MM-DD day. */
export function shiftDay(day: string, days: number): string {
  const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * What "libellé contient" of a rule may start from: the words of a statement label without
 * numbers, dates or references (they change from one month to the next), 4 words at most.
 */
export function labelPattern(label: string): string {
  const words = label
    .split(/\s+/)
    .filter((word) => word.length > 0 && !/\d/.test(word))
    .slice(0, 4);
  const text = words.join(' ').slice(0, 60).trim();
  return text.length >= 2 ? text : label.trim().slice(0, 60);
}

/** "FRAIS TENUE DE COMPTE" → "Frais tenue de compte" (a rule's name offered from a label). */
export function sentenceCase(text: string): string {
  const lower = text.toLocaleLowerCase('fr-FR');
  return lower.charAt(0).toLocaleUpperCase('fr-FR') + lower.slice(1);
}

/** A field error of the server as a line naming its field ("Écritures : les montants diffèrent"). */
function describeFieldError(
  t: TFunction,
  fieldError: { field: string; code: string; message: string },
  labels: Record<string, string>,
): string {
  const message = validationMessage(t, serverMessage(t, fieldError.code, fieldError.message));
  if (!fieldError.field) return message;
  const label =
    labels[fieldError.field] ??
    t(`reconciliation.fields.${fieldError.field}`, { defaultValue: fieldError.field });
  return t('common.fieldIssue', { label, message });
}

/**
 * The messages of a failed action, each with the field it is about when the server names one
 * ("Écritures : les montants diffèrent"); `labels` names the fields known here.
 */
export function actionProblems(
  t: TFunction,
  error: unknown,
  labels: Record<string, string> = {},
): string[] {
  const fieldErrors = error instanceof ApiError ? error.body.errors : [];
  if (fieldErrors.length === 0) return [errorMessage(t, error)];
  return fieldErrors.map((fieldError) => describeFieldError(t, fieldError, labels));
}

/**
 * A failed form submit split like `splitErrors`: the messages of the form's own fields by field,
 * and the rest as banner lines, each naming the field it is about when the server names one.
 */
export function formProblems(
  t: TFunction,
  error: unknown,
  fields: readonly string[],
  labels: Record<string, string> = {},
): { byField: Record<string, string>; general: string[] } {
  const fieldErrors = error instanceof ApiError ? error.body.errors : [];
  if (fieldErrors.length === 0) return { byField: {}, general: [errorMessage(t, error)] };
  const byField: Record<string, string> = {};
  const general: string[] = [];
  for (const fieldError of fieldErrors) {
    if (fields.includes(fieldError.field))
      byField[fieldError.field] ??= validationMessage(
        t,
        serverMessage(t, fieldError.code, fieldError.message),
      );
    else general.push(describeFieldError(t, fieldError, labels));
  }
  return { byField, general };
}
