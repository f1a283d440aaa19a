/**
 * The desk forms (a gift, a payment received) opened from elsewhere with some of their inputs
 * already filled, through their URL: `?amount=45,00&receivedOn=2026-11-20&method=transfer
 * &reference=…&label=…&contact=…&returnTo=/orgs/…`. Each value is checked when read (a bad one is
 * left out); without any, the forms start as usual.
 */
export interface DeskPrefill {
  /** As typed: "45,00". */
  amount?: string;
  /** YYYY-MM-DD. */
  receivedOn?: string;
  /** Checked by each form against its own methods. */
  method?: string;
  reference?: string;
  /** The payment's label (the gift has none). */
  label?: string;
  /** What the contact search starts with (a counterparty's name). */
  contact?: string;
  /** Where to go after saving or cancelling: a path of the app. */
  returnTo?: string;
}

const KEYS = [
  'amount',
  'receivedOn',
  'method',
  'reference',
  'label',
  'contact',
  'returnTo',
] as const satisfies readonly (keyof DeskPrefill)[];

/** The longest value read for any parameter (the forms cut further to their own limits). */
const MAX_LENGTH = 300;

const isDay = (value: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
const isAmount = (value: string) => /^\d{1,10}(?:[.,]\d{1,2})?$/.test(value);

/** A path inside the app ("/orgs/…"), never another site ("//host", "https://…"). */
export function safeReturnTo(value: string | null | undefined): string | undefined {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\'))
    return undefined;
  return value.slice(0, 1000);
}

/** `text` cut to `max` characters, without spaces left at the end. */
export const cut = (text: string, max: number) => text.trim().slice(0, max).trimEnd();

/** The prefill of a desk form, as its URL gives it (what is malformed is left out). */
export function readDeskPrefill(params: URLSearchParams): DeskPrefill {
  const text = (key: (typeof KEYS)[number]) => {
    const value = params.get(key)?.trim();
    return value ? value.slice(0, MAX_LENGTH) : undefined;
  };
  const amount = text('amount');
  const receivedOn = text('receivedOn');
  return {
    amount: amount && isAmount(amount) ? amount : undefined,
    receivedOn: receivedOn && isDay(receivedOn) ? receivedOn : undefined,
    method: text('method'),
    reference: text('reference'),
    label: text('label'),
    contact: text('contact'),
    returnTo: safeReturnTo(params.get('returnTo')),
  };
}

/** The query string (with its "?") that opens a desk form with `prefill`. */
export function deskPrefillSearch(prefill: DeskPrefill): string {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = prefill[key];
    if (value) params.set(key, value);
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}
