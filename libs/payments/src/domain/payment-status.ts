import { LocalDate } from '@ruche/core';
import type { PaymentStatus } from '@ruche/contracts';

/** Statuses after the money arrived: only refunds and disputes move them (never an older event). */
export const SETTLED_STATUSES: readonly PaymentStatus[] = [
  'succeeded',
  'partially_refunded',
  'refunded',
  'disputed',
];

/**
 * The one rule that moves a payment when the provider tells its state: forward only, so that
 * events replayed, duplicated or delivered out of order end in the same status.
 *
 *   pending     -> processing | succeeded | failed | cancelled
 *   processing  -> succeeded | failed | cancelled   (never back to pending)
 *   failed      -> processing | succeeded           (the payer retried in the same Checkout)
 *   cancelled   -> succeeded                        (a late success is real money)
 *   settled     -> nothing                          (refunds and disputes have their own rules)
 *
 * Returns the new status, or null when nothing changes.
 */
export function nextPaymentStatus(
  current: PaymentStatus,
  observed: PaymentStatus,
): PaymentStatus | null {
  if (observed === current) return null;
  if (SETTLED_STATUSES.includes(current)) return null;
  if (SETTLED_STATUSES.includes(observed) && observed !== 'succeeded') return null;
  switch (current) {
    case 'pending':
      return observed;
    case 'processing':
      return observed === 'pending' ? null : observed;
    case 'failed':
      return observed === 'processing' || observed === 'succeeded' ? observed : null;
    case 'cancelled':
      return observed === 'succeeded' ? observed : null;
    default:
      return null;
  }
}

/** What a Stripe PaymentIntent's status says about the payment. */
export function statusOfPaymentIntent(pi: {
  status: string;
  last_payment_error?: unknown;
}): PaymentStatus {
  switch (pi.status) {
    case 'succeeded':
      return 'succeeded';
    case 'processing':
      return 'processing';
    case 'canceled':
      return 'cancelled';
    case 'requires_payment_method':
      return pi.last_payment_error ? 'failed' : 'pending';
    default:
      return 'pending';
  }
}

/** What a Checkout Session alone says (when it has no PaymentIntent yet, or expired). */
export function statusOfCheckoutSession(session: {
  status?: string | null;
  payment_status?: string | null;
}): PaymentStatus {
  if (session.payment_status === 'paid' || session.payment_status === 'no_payment_required')
    return 'succeeded';
  if (session.status === 'expired') return 'cancelled';
  if (session.status === 'complete') return 'processing';
  return 'pending';
}

/** The calendar day of a Stripe Unix timestamp in the organization's time zone. */
export function dayOfUnix(seconds: number, timeZone: string): string {
  return LocalDate.fromInstant(new Date(seconds * 1000), timeZone).toString();
}

/** `sk_test_…AbCd`: enough to recognize a key without revealing it. */
export function keyHint(key: string): string {
  const prefix = /^(sk|rk)_(test|live)_/.exec(key)?.[0] ?? '';
  return `${prefix}…${key.slice(-4)}`;
}

/** The events the organization selects for its webhook endpoint in Stripe's dashboard. */
export const STRIPE_WEBHOOK_EVENTS: readonly string[] = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'payment_intent.succeeded',
  'payment_intent.processing',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'charge.refunded',
  'charge.dispute.created',
  'charge.dispute.closed',
  'invoice.paid',
  'invoice.payment_failed',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'payout.paid',
  'payout.failed',
];
