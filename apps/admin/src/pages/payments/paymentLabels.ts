import type { TFunction } from 'i18next';
import type { PaymentMethod } from '@ruche/contracts';
import { formatMoney } from '../accounting/money';

/** The label of a payment method (card, SEPA debit, cheque...), or a dash when unknown. */
export function methodLabel(t: TFunction, method: PaymentMethod | null): string {
  return method ? t(`memberships.payment.methods.${method}`) : t('common.none');
}

/** Cents as money (fr-FR), or a dash when not known yet (a fee before Stripe reports it). */
export function moneyOrNone(cents: number | null, currency: string): string {
  return cents === null ? '—' : formatMoney(cents, currency);
}

/** Cents as an amount to type in a field, French style, without currency ("12,50"). */
export function centsToAmount(cents: number): string {
  const whole = Math.trunc(cents / 100);
  const rest = String(Math.abs(cents % 100)).padStart(2, '0');
  return `${cents < 0 && whole === 0 ? '-' : ''}${whole},${rest}`;
}

/** A Stripe status or code translated from `prefix`, or the raw value when there is no label. */
export function stripeLabel(t: TFunction, prefix: string, value: string): string {
  return t(`${prefix}.${value}`, { defaultValue: value });
}
