import { PAYMENT_STATUSES, type PaymentStatus } from '@ruche/contracts';
import {
  keyHint,
  nextPaymentStatus,
  statusOfCheckoutSession,
  statusOfPaymentIntent,
} from './payment-status';

/** Applies observations in order, as the webhook processing does. */
function replay(observations: PaymentStatus[], start: PaymentStatus = 'pending'): PaymentStatus {
  return observations.reduce(
    (status, observed) => nextPaymentStatus(status, observed) ?? status,
    start,
  );
}

describe('nextPaymentStatus', () => {
  it('moves forward through processing to an outcome', () => {
    expect(nextPaymentStatus('pending', 'processing')).toBe('processing');
    expect(nextPaymentStatus('processing', 'succeeded')).toBe('succeeded');
    expect(nextPaymentStatus('processing', 'failed')).toBe('failed');
    expect(nextPaymentStatus('pending', 'cancelled')).toBe('cancelled');
  });

  it('never goes back: a stale "processing" or "failed" after a success changes nothing', () => {
    expect(nextPaymentStatus('succeeded', 'processing')).toBeNull();
    expect(nextPaymentStatus('succeeded', 'failed')).toBeNull();
    expect(nextPaymentStatus('succeeded', 'pending')).toBeNull();
    expect(nextPaymentStatus('processing', 'pending')).toBeNull();
    expect(nextPaymentStatus('refunded', 'succeeded')).toBeNull();
  });

  it('lets a payer retry after a declined card, and lets late real money win over an expiry', () => {
    expect(nextPaymentStatus('failed', 'succeeded')).toBe('succeeded');
    expect(nextPaymentStatus('failed', 'processing')).toBe('processing');
    expect(nextPaymentStatus('failed', 'pending')).toBeNull();
    expect(nextPaymentStatus('cancelled', 'succeeded')).toBe('succeeded');
    expect(nextPaymentStatus('cancelled', 'failed')).toBeNull();
  });

  it('refunds and disputes are not observations of the payment intent', () => {
    expect(nextPaymentStatus('pending', 'refunded')).toBeNull();
    expect(nextPaymentStatus('processing', 'disputed')).toBeNull();
  });

  it('ends in the same status whatever the order of the events of a successful payment', () => {
    const events: PaymentStatus[] = ['pending', 'processing', 'succeeded', 'processing', 'pending'];
    const permutations = (items: PaymentStatus[]): PaymentStatus[][] =>
      items.length <= 1
        ? [items]
        : items.flatMap((item, i) =>
            permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [
              item,
              ...rest,
            ]),
          );
    for (const order of permutations(events)) expect(replay(order)).toBe('succeeded');
  });

  it('answers null for every status observed twice', () => {
    for (const status of PAYMENT_STATUSES) expect(nextPaymentStatus(status, status)).toBeNull();
  });
});

describe('reading Stripe objects', () => {
  it('maps PaymentIntent statuses', () => {
    expect(statusOfPaymentIntent({ status: 'succeeded' })).toBe('succeeded');
    expect(statusOfPaymentIntent({ status: 'processing' })).toBe('processing');
    expect(
      statusOfPaymentIntent({
        status: 'requires_payment_method',
        last_payment_error: { code: 'card_declined' },
      }),
    ).toBe('failed');
    expect(
      statusOfPaymentIntent({ status: 'requires_payment_method', last_payment_error: null }),
    ).toBe('pending');
    expect(statusOfPaymentIntent({ status: 'requires_action' })).toBe('pending');
    expect(statusOfPaymentIntent({ status: 'canceled' })).toBe('cancelled');
  });

  it('maps Checkout Sessions without a PaymentIntent', () => {
    expect(statusOfCheckoutSession({ status: 'expired', payment_status: 'unpaid' })).toBe(
      'cancelled',
    );
    expect(statusOfCheckoutSession({ status: 'complete', payment_status: 'paid' })).toBe(
      'succeeded',
    );
    expect(statusOfCheckoutSession({ status: 'complete', payment_status: 'unpaid' })).toBe(
      'processing',
    );
    expect(statusOfCheckoutSession({ status: 'open', payment_status: 'unpaid' })).toBe('pending');
  });

  it('hints a key without revealing it', () => {
    expect(keyHint('sk_test_51Habcdefghij1234')).toBe('sk_test_…1234');
    expect(keyHint('rk_live_XYZ98765')).toBe('rk_live_…8765');
  });
});
