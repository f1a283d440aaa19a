import { Inject, Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import { DomainError } from '@ruche/core';
import { APP_CONFIG, type AppConfig } from '@ruche/platform';

/** The keys of one organization's Stripe account (decrypted only for the call). */
export interface StripeKeys {
  secretKey: string;
  /** Stripe Connect: act for this connected account (Stripe-Account header). */
  connectAccountId: string | null;
}

/** Stripe API errors that retrying will not fix (bad key, unknown object, bad request). */
export function isPermanentStripeError(error: unknown): boolean {
  return (
    error instanceof Stripe.errors.StripeError &&
    ['StripeAuthenticationError', 'StripeInvalidRequestError', 'StripePermissionError'].includes(
      error.type,
    )
  );
}

/** Stripe does not know the object in this account (another account's event, a deleted object). */
export function isMissingStripeObject(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeError && error.code === 'resource_missing';
}

/**
 * The only place that talks to Stripe. The SDK is pointed at `STRIPE_API_BASE` when set (the
 * tests' local server); clients are cached per key. Every POST carries an idempotency key
 * derived from Ruche's own ids.
 */
@Injectable()
export class StripeGateway {
  private readonly clients = new Map<string, Stripe>();
  private readonly base: { host?: string; port?: number; protocol?: 'http' | 'https' };

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (config.stripeApiBase) {
      const url = new URL(config.stripeApiBase);
      this.base = {
        host: url.hostname,
        port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
        protocol: url.protocol === 'https:' ? 'https' : 'http',
      };
    } else {
      this.base = {};
    }
  }

  client(keys: StripeKeys): Stripe {
    const cacheKey = `${keys.secretKey}|${keys.connectAccountId ?? ''}`;
    let client = this.clients.get(cacheKey);
    if (!client) {
      client = new Stripe(keys.secretKey, {
        ...this.base,
        maxNetworkRetries: 2,
        timeout: 20_000,
        telemetry: false,
        ...(keys.connectAccountId ? { stripeAccount: keys.connectAccountId } : {}),
      });
      if (this.clients.size > 500) this.clients.clear();
      this.clients.set(cacheKey, client);
    }
    return client;
  }

  async account(keys: StripeKeys): Promise<Stripe.Account> {
    return this.call(() => this.client(keys).accounts.retrieve());
  }

  async createCheckoutSession(
    keys: StripeKeys,
    params: Stripe.Checkout.SessionCreateParams,
    idempotencyKey: string,
  ): Promise<Stripe.Checkout.Session> {
    return this.call(() => this.client(keys).checkout.sessions.create(params, { idempotencyKey }));
  }

  async checkoutSession(keys: StripeKeys, id: string): Promise<Stripe.Checkout.Session> {
    return this.call(() => this.client(keys).checkout.sessions.retrieve(id));
  }

  /** The PaymentIntent with its latest charge and that charge's balance transaction (fee, net). */
  async paymentIntent(keys: StripeKeys, id: string): Promise<Stripe.PaymentIntent> {
    return this.call(() =>
      this.client(keys).paymentIntents.retrieve(id, {
        expand: ['latest_charge.balance_transaction'],
      }),
    );
  }

  async createRefund(
    keys: StripeKeys,
    params: Stripe.RefundCreateParams,
    idempotencyKey: string,
  ): Promise<Stripe.Refund> {
    return this.call(() => this.client(keys).refunds.create(params, { idempotencyKey }));
  }

  /** A charge with its refunds (newer API versions leave them out unless expanded). */
  async charge(keys: StripeKeys, id: string): Promise<Stripe.Charge> {
    return this.call(() => this.client(keys).charges.retrieve(id, { expand: ['refunds'] }));
  }

  async dispute(keys: StripeKeys, id: string): Promise<Stripe.Dispute> {
    return this.call(() => this.client(keys).disputes.retrieve(id));
  }

  /** The disputes of a charge (a charge says only `disputed: true`), all pages. */
  async disputesOfCharge(keys: StripeKeys, chargeId: string): Promise<Stripe.Dispute[]> {
    return this.call(async () => {
      const all: Stripe.Dispute[] = [];
      for await (const dispute of this.client(keys).disputes.list({ charge: chargeId, limit: 100 }))
        all.push(dispute);
      return all;
    });
  }

  async payout(keys: StripeKeys, id: string): Promise<Stripe.Payout> {
    return this.call(() => this.client(keys).payouts.retrieve(id));
  }

  /** Every balance transaction a payout settles (automatic payouts), all pages. */
  async payoutTransactions(
    keys: StripeKeys,
    payoutId: string,
  ): Promise<Stripe.BalanceTransaction[]> {
    return this.call(async () => {
      const all: Stripe.BalanceTransaction[] = [];
      for await (const bt of this.client(keys).balanceTransactions.list({
        payout: payoutId,
        limit: 100,
      }))
        all.push(bt);
      return all;
    });
  }

  /** The account's balance history created in [from, to) (unix seconds), all pages, up to `max`. */
  async balanceHistory(
    keys: StripeKeys,
    range: { from: number; to: number },
    max: number,
  ): Promise<Stripe.BalanceTransaction[]> {
    return this.call(async () => {
      const all: Stripe.BalanceTransaction[] = [];
      for await (const bt of this.client(keys).balanceTransactions.list({
        created: { gte: range.from, lt: range.to },
        limit: 100,
      })) {
        all.push(bt);
        if (all.length >= max) break;
      }
      return all;
    });
  }

  /** Payouts arriving in [from, to) (unix seconds), all pages, up to `max`. */
  async payoutsArriving(
    keys: StripeKeys,
    range: { from: number; to: number },
    max: number,
  ): Promise<Stripe.Payout[]> {
    return this.call(async () => {
      const all: Stripe.Payout[] = [];
      for await (const payout of this.client(keys).payouts.list({
        arrival_date: { gte: range.from, lt: range.to },
        limit: 100,
      })) {
        all.push(payout);
        if (all.length >= max) break;
      }
      return all;
    });
  }

  async balanceTransaction(keys: StripeKeys, id: string): Promise<Stripe.BalanceTransaction> {
    return this.call(() => this.client(keys).balanceTransactions.retrieve(id));
  }

  async subscription(keys: StripeKeys, id: string): Promise<Stripe.Subscription> {
    return this.call(() => this.client(keys).subscriptions.retrieve(id));
  }

  /** An invoice with its payments (recent API versions list the PaymentIntent there). */
  async invoice(keys: StripeKeys, id: string): Promise<Stripe.Invoice> {
    return this.call(() => this.client(keys).invoices.retrieve(id, { expand: ['payments'] }));
  }

  /** Stripe's customer portal, where a subscriber updates the card or the bank account. */
  async billingPortal(keys: StripeKeys, customer: string, returnUrl: string): Promise<string> {
    return this.call(
      async () =>
        (await this.client(keys).billingPortal.sessions.create({ customer, return_url: returnUrl }))
          .url,
    );
  }

  /** Stripe's events created since a time (Stripe keeps about 30 days), oldest first, up to `max`. */
  async eventsSince(keys: StripeKeys, since: number, max: number): Promise<Stripe.Event[]> {
    return this.call(async () => {
      const all: Stripe.Event[] = [];
      for await (const event of this.client(keys).events.list({
        created: { gte: since },
        limit: 100,
      })) {
        all.push(event);
        if (all.length >= max) break;
      }
      return all.reverse();
    });
  }

  /**
   * Verifies the Stripe-Signature header on the raw body, decoded once by the caller (the SDK's
   * own check: HMAC-SHA256, timestamp tolerance). Throws the SDK's error when it does not match.
   */
  verifySignature(
    payload: string,
    signature: string,
    secret: string,
    toleranceSeconds: number,
  ): void {
    Stripe.webhooks.signature.verifyHeader(payload, signature, secret, toleranceSeconds);
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof Stripe.errors.StripeError) {
        if (error.type === 'StripeAuthenticationError')
          throw DomainError.invalid(
            'payments.stripe_key_rejected',
            'Stripe refused the secret key',
            'secretKey',
          );
        if (
          error.type === 'StripeConnectionError' ||
          error.type === 'StripeAPIError' ||
          error.type === 'StripeRateLimitError'
        ) {
          throw new DomainError(
            'unavailable',
            'payments.stripe_unavailable',
            `Stripe cannot be reached right now: ${error.message}`,
          );
        }
      }
      throw error;
    }
  }
}
