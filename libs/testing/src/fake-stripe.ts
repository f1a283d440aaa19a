import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Stripe from 'stripe';

/** Stripe's own example objects (MIT, see fixtures/stripe/SOURCES.md): every object starts from them. */
const FIXTURE_FILE = 'fixtures/stripe/stripe-openapi_fixtures3_selected.json';
// From the sources (jest) or from dist/server/libs/testing/src (the benchmarks).
const FIXTURE_PATH = [
  path.resolve(__dirname, '..', FIXTURE_FILE),
  path.resolve(__dirname, '../../../../../libs/testing', FIXTURE_FILE),
].find((p) => fs.existsSync(p));
if (!FIXTURE_PATH) throw new Error(`fake Stripe: ${FIXTURE_FILE} not found`);
const FIXTURES = JSON.parse(fs.readFileSync(FIXTURE_PATH, 'utf8')) as {
  resources: Record<string, Record<string, unknown>>;
};

type Obj = Record<string, unknown> & { id: string };

export interface FakeStripeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams;
  idempotencyKey: string | null;
  apiKey: string | null;
  stripeAccount: string | null;
}

export interface PayOptions {
  method?: 'card' | 'sepa_debit';
  /** card: succeeded (default) or failed; sepa_debit: processing, then `settleDebit`. */
  outcome?: 'succeeded' | 'processing' | 'failed';
  feeCents?: number;
  /** Unix seconds of the charge (defaults to now). */
  created?: number;
}

function fixture(name: string): Record<string, unknown> {
  return structuredClone(FIXTURES.resources[name]);
}

function stripeId(prefix: string): string {
  return `${prefix}_test_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
}

const now = () => Math.floor(Date.now() / 1000);

/** The same day one month or one year later (Unix seconds, UTC). */
function advance(seconds: number, interval: 'year' | 'month'): number {
  const d = new Date(seconds * 1000);
  if (interval === 'year') d.setUTCFullYear(d.getUTCFullYear() + 1);
  else d.setUTCMonth(d.getUTCMonth() + 1);
  return Math.floor(d.getTime() / 1000);
}

/**
 * A local HTTP server that answers the few Stripe endpoints Ruche calls, with Stripe-shaped
 * objects and Stripe's error shapes; it keeps state so that "re-fetch the object" works, and it
 * replays the first answer for a repeated Idempotency-Key as Stripe does. Tests drive it with
 * `pay`, `settleDebit`, `expire`, and sign events with `signedEvent`.
 */
export class FakeStripe {
  readonly requests: FakeStripeRequest[] = [];
  readonly sessions = new Map<string, Obj>();
  readonly paymentIntents = new Map<string, Obj>();
  readonly charges = new Map<string, Obj>();
  readonly balanceTransactions = new Map<string, Obj>();
  readonly refunds = new Map<string, Obj>();
  readonly subscriptions = new Map<string, Obj>();
  readonly events = new Map<string, Obj>();
  readonly invoices = new Map<string, Obj>();
  readonly disputes = new Map<string, Obj>();
  readonly payouts = new Map<string, Obj>();
  /** Which payout settled each balance transaction. */
  private readonly paidOutBy = new Map<string, string>();
  /** Whose Stripe account (secret key) each object belongs to: balances are per account. */
  private readonly owners = new Map<string, string>();
  /** Keys that answer 401 (a revoked or mistyped key). */
  readonly rejectedKeys = new Set<string>();
  /** When set, every call answers this HTTP status (Stripe down: 500/503). */
  failWith: number | null = null;
  private readonly idempotent = new Map<string, { status: number; body: unknown }>();
  private server: http.Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const { status, body } = this.handle(req, Buffer.concat(chunks).toString('utf8'));
        res.writeHead(status, {
          'content-type': 'application/json',
          'request-id': `req_${randomBytes(6).toString('hex')}`,
        });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** The payer goes through Checkout: a PaymentIntent, a charge and (when paid) its balance transaction. */
  pay(
    sessionId: string,
    options: PayOptions = {},
  ): { session: Obj; paymentIntent: Obj; charge: Obj } {
    const session = this.must(this.sessions, sessionId);
    const method =
      options.method ?? ((session['payment_method_types'] as string[])[0] as 'card' | 'sepa_debit');
    const outcome = options.outcome ?? (method === 'sepa_debit' ? 'processing' : 'succeeded');
    if (session['mode'] === 'subscription') {
      const customer = stripeId('cus');
      const subscriptionId = stripeId('sub');
      this.inherit(customer, sessionId);
      this.inherit(subscriptionId, sessionId);
      const created = options.created ?? now();
      const interval = (session['_recurring_interval'] as 'year' | 'month' | undefined) ?? 'year';
      const subscription: Obj = {
        ...fixture('subscription'),
        id: subscriptionId,
        object: 'subscription',
        customer,
        status: outcome === 'succeeded' ? 'active' : 'incomplete',
        metadata: session['_subscription_metadata'],
        cancel_at_period_end: false,
        canceled_at: null,
        livemode: false,
        items: {
          object: 'list',
          data: [
            {
              id: stripeId('si'),
              object: 'subscription_item',
              price: {
                id: stripeId('price'),
                object: 'price',
                unit_amount: session['amount_total'],
                currency: session['currency'],
                recurring: { interval, interval_count: 1 },
              },
              current_period_start: created,
              current_period_end: advance(created, interval),
            },
          ],
        },
      };
      this.subscriptions.set(subscriptionId, subscription);
      const { invoice, paymentIntent, charge } = this.bill(subscriptionId, 'subscription_create', {
        method,
        outcome,
        created,
        feeCents: options.feeCents,
      });
      Object.assign(session, {
        customer,
        subscription: subscriptionId,
        invoice: invoice.id,
        status: outcome === 'failed' ? 'open' : 'complete',
        payment_status: outcome === 'succeeded' ? 'paid' : 'unpaid',
      });
      return { session, paymentIntent, charge };
    }
    const { paymentIntent, charge } = this.makePayment(sessionId, {
      amount: session['amount_total'] as number,
      currency: session['currency'] as string,
      method,
      outcome,
      created: options.created ?? now(),
      metadata: ((
        session['payment_intent_data'] as { metadata?: Record<string, string> } | undefined
      )?.metadata ?? session['metadata']) as Record<string, string>,
      piId: (session['payment_intent'] as string | null) ?? undefined,
      feeCents: options.feeCents,
    });
    Object.assign(session, {
      payment_intent: paymentIntent.id,
      status: outcome === 'failed' ? 'open' : 'complete',
      payment_status: outcome === 'succeeded' ? 'paid' : 'unpaid',
    });
    return { session, paymentIntent, charge };
  }

  /** The subscription bills its next period (an invoice paid, or failed, with its PaymentIntent). */
  renewSubscription(
    subscriptionId: string,
    options: {
      outcome?: 'succeeded' | 'failed';
      created?: number;
      feeCents?: number;
      method?: 'card' | 'sepa_debit';
    } = {},
  ): { invoice: Obj; paymentIntent: Obj; charge: Obj } {
    const subscription = this.must(this.subscriptions, subscriptionId);
    const item = (subscription['items'] as { data: Obj[] }).data[0];
    const created = options.created ?? (item['current_period_end'] as number);
    const interval = (item['price'] as { recurring: { interval: 'year' | 'month' } }).recurring
      .interval;
    Object.assign(item, {
      current_period_start: created,
      current_period_end: advance(created, interval),
    });
    const billed = this.bill(subscriptionId, 'subscription_cycle', {
      method: options.method ?? 'card',
      outcome: options.outcome ?? 'succeeded',
      created,
      feeCents: options.feeCents,
    });
    subscription['status'] = options.outcome === 'failed' ? 'past_due' : 'active';
    return billed;
  }

  /** The subscriber or Stripe ends the subscription. */
  cancelSubscription(subscriptionId: string): Obj {
    const subscription = this.must(this.subscriptions, subscriptionId);
    Object.assign(subscription, { status: 'canceled', canceled_at: now() });
    return subscription;
  }

  private bill(
    subscriptionId: string,
    reason: string,
    v: {
      method: 'card' | 'sepa_debit';
      outcome: 'succeeded' | 'processing' | 'failed';
      created: number;
      feeCents?: number;
    },
  ): { invoice: Obj; paymentIntent: Obj; charge: Obj } {
    const subscription = this.must(this.subscriptions, subscriptionId);
    const item = (subscription['items'] as { data: Obj[] }).data[0];
    const price = item['price'] as { unit_amount: number; currency: string };
    const invoiceId = stripeId('in');
    this.inherit(invoiceId, subscriptionId);
    const { paymentIntent, charge } = this.makePayment(subscriptionId, {
      amount: price.unit_amount,
      currency: price.currency,
      method: v.method,
      outcome: v.outcome,
      created: v.created,
      metadata: {},
      feeCents: v.feeCents,
    });
    const invoice: Obj = {
      ...fixture('invoice'),
      id: invoiceId,
      object: 'invoice',
      billing_reason: reason,
      customer: subscription['customer'],
      currency: price.currency,
      amount_due: price.unit_amount,
      amount_paid: v.outcome === 'succeeded' ? price.unit_amount : 0,
      status: v.outcome === 'succeeded' ? 'paid' : 'open',
      created: v.created,
      period_start: v.created,
      period_end: v.created,
      lines: {
        object: 'list',
        data: [
          {
            id: stripeId('il'),
            object: 'line_item',
            amount: price.unit_amount,
            period: { start: item['current_period_start'], end: item['current_period_end'] },
          },
        ],
        has_more: false,
      },
      // Both shapes: `parent` and `payments` (2025 API versions), `subscription` and `payment_intent` (older).
      parent: {
        type: 'subscription_details',
        subscription_details: { subscription: subscriptionId, metadata: subscription['metadata'] },
      },
      payments: {
        object: 'list',
        data: [
          {
            object: 'invoice_payment',
            payment: { type: 'payment_intent', payment_intent: paymentIntent.id },
          },
        ],
        has_more: false,
      },
      subscription: subscriptionId,
      payment_intent: paymentIntent.id,
      livemode: false,
    };
    this.invoices.set(invoiceId, invoice);
    return { invoice, paymentIntent, charge };
  }

  private makePayment(
    owner: string,
    v: {
      amount: number;
      currency: string;
      method: 'card' | 'sepa_debit';
      outcome: 'succeeded' | 'processing' | 'failed';
      created: number;
      metadata: Record<string, string>;
      piId?: string;
      feeCents?: number;
    },
  ): { paymentIntent: Obj; charge: Obj } {
    const { amount, currency, method, outcome, created } = v;
    const piId = v.piId ?? stripeId('pi');
    const chargeId = stripeId('ch');
    this.inherit(piId, owner);
    this.inherit(chargeId, owner);
    const charge: Obj = {
      ...fixture('charge'),
      id: chargeId,
      amount,
      amount_captured: outcome === 'succeeded' ? amount : 0,
      amount_refunded: 0,
      currency,
      created,
      livemode: false,
      metadata: v.metadata,
      paid: outcome === 'succeeded',
      captured: outcome === 'succeeded',
      status:
        outcome === 'succeeded' ? 'succeeded' : outcome === 'processing' ? 'pending' : 'failed',
      failure_code: outcome === 'failed' ? 'card_declined' : null,
      failure_message: outcome === 'failed' ? 'Your card was declined.' : null,
      payment_intent: piId,
      balance_transaction: null,
      payment_method_details:
        method === 'card'
          ? { type: 'card', card: { brand: 'visa', last4: '4242', country: 'FR' } }
          : {
              type: 'sepa_debit',
              sepa_debit: { last4: '3000', country: 'FR', bank_code: '20041' },
            },
      refunded: false,
      refunds: {
        object: 'list',
        data: [],
        has_more: false,
        total_count: 0,
        url: `/v1/charges/${chargeId}/refunds`,
      },
    };
    this.charges.set(chargeId, charge);
    const paymentIntent: Obj = {
      ...fixture('payment_intent'),
      id: piId,
      amount,
      amount_received: outcome === 'succeeded' ? amount : 0,
      currency,
      created,
      livemode: false,
      metadata: v.metadata,
      payment_method_types: [method],
      latest_charge: chargeId,
      status:
        outcome === 'succeeded'
          ? 'succeeded'
          : outcome === 'processing'
            ? 'processing'
            : 'requires_payment_method',
      last_payment_error:
        outcome === 'failed'
          ? { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' }
          : null,
    };
    this.paymentIntents.set(piId, paymentIntent);
    if (outcome === 'succeeded')
      this.settleCharge(charge, v.feeCents ?? Math.round(amount * 0.015) + 25);
    return { paymentIntent, charge };
  }

  /** The SEPA debit's answer, days later: the money arrives (with its fee) or the debit fails. */
  settleDebit(
    paymentIntentId: string,
    outcome: 'succeeded' | 'failed',
    feeCents = 35,
  ): { paymentIntent: Obj; charge: Obj; session: Obj | null } {
    const pi = this.must(this.paymentIntents, paymentIntentId);
    const charge = this.must(this.charges, pi['latest_charge'] as string);
    const session =
      [...this.sessions.values()].find((s) => s['payment_intent'] === paymentIntentId) ?? null;
    if (outcome === 'succeeded') {
      Object.assign(pi, { status: 'succeeded', amount_received: pi['amount'] });
      Object.assign(charge, {
        status: 'succeeded',
        paid: true,
        captured: true,
        amount_captured: charge['amount'],
      });
      this.settleCharge(charge, feeCents);
      if (session) session['payment_status'] = 'paid';
    } else {
      Object.assign(pi, {
        status: 'requires_payment_method',
        last_payment_error: {
          type: 'invalid_request_error',
          code: 'insufficient_funds',
          message: 'The account has insufficient funds.',
        },
      });
      Object.assign(charge, {
        status: 'failed',
        failure_code: 'insufficient_funds',
        failure_message: 'The account has insufficient funds.',
      });
    }
    return { paymentIntent: pi, charge, session };
  }

  private chargeOfSource(source: string): string | null {
    return (
      (this.refunds.get(source)?.['charge'] as string | undefined) ??
      (this.disputes.get(source)?.['charge'] as string | undefined) ??
      null
    );
  }

  expire(sessionId: string): Obj {
    const session = this.must(this.sessions, sessionId);
    Object.assign(session, { status: 'expired' });
    return session;
  }

  /** A refund, as the API or Stripe's dashboard makes it: a negative balance transaction, no fee back. */
  refund(chargeId: string, amount?: number, metadata: Record<string, string> = {}): Obj {
    const charge = this.must(this.charges, chargeId);
    const left = (charge['amount'] as number) - (charge['amount_refunded'] as number);
    const value = amount ?? left;
    if (value <= 0 || value > left)
      throw new Error(`fake Stripe: cannot refund ${value} of ${left}`);
    const id = stripeId('re');
    this.inherit(id, chargeId);
    const created = now();
    const sepa = (charge['payment_method_details'] as { type: string }).type === 'sepa_debit';
    const txnId = this.balanceTransaction({
      amount: -value,
      fee: 0,
      currency: charge['currency'] as string,
      created,
      reporting_category: 'refund',
      type: 'refund',
      source: id,
    });
    const refund: Obj = {
      ...fixture('refund'),
      id,
      object: 'refund',
      amount: value,
      charge: chargeId,
      payment_intent: charge['payment_intent'],
      currency: charge['currency'],
      created,
      status: sepa ? 'pending' : 'succeeded',
      reason: 'requested_by_customer',
      metadata,
      balance_transaction: txnId,
    };
    this.refunds.set(id, refund);
    const refunded = (charge['amount_refunded'] as number) + value;
    const list = charge['refunds'] as { data: Obj[]; total_count: number };
    list.data.unshift(refund);
    list.total_count = list.data.length;
    Object.assign(charge, { amount_refunded: refunded, refunded: refunded === charge['amount'] });
    return refund;
  }

  /** The payer's bank disputes a charge: the amount and the dispute fee leave the balance at once. */
  dispute(chargeId: string, feeCents = 1500): Obj {
    const charge = this.must(this.charges, chargeId);
    const id = stripeId('dp');
    this.inherit(id, chargeId);
    const created = now();
    const amount = charge['amount'] as number;
    const withdrawal = this.balanceTransaction({
      amount: -amount,
      fee: feeCents,
      currency: charge['currency'] as string,
      created,
      reporting_category: 'dispute',
      type: 'adjustment',
      source: id,
    });
    const dispute: Obj = {
      ...fixture('dispute'),
      id,
      object: 'dispute',
      amount,
      charge: chargeId,
      payment_intent: charge['payment_intent'],
      currency: charge['currency'],
      created,
      livemode: false,
      status: 'needs_response',
      reason: 'fraudulent',
      balance_transactions: [this.balanceTransactions.get(withdrawal)],
    };
    this.disputes.set(id, dispute);
    charge['disputed'] = true;
    return dispute;
  }

  /** The dispute ends: won gives the amount back (and the fee when `feeReturned`), lost keeps it. */
  closeDispute(disputeId: string, outcome: 'won' | 'lost', feeReturned = 0): Obj {
    const dispute = this.must(this.disputes, disputeId);
    if (outcome === 'won') {
      const txn = this.balanceTransaction({
        amount: dispute['amount'] as number,
        fee: -feeReturned,
        currency: dispute['currency'] as string,
        created: now(),
        reporting_category: 'dispute_reversal',
        type: 'adjustment',
        source: disputeId,
      });
      (dispute['balance_transactions'] as Obj[]).push(this.must(this.balanceTransactions, txn));
    }
    dispute['status'] = outcome;
    return dispute;
  }

  /**
   * A card payment made before the organization connected Ruche (no Checkout Session of ours):
   * what a backfill finds in the account's balance history.
   */
  historicCharge(
    account: string,
    v: { amount: number; feeCents: number; created: number; email?: string; name?: string },
  ): { paymentIntent: Obj; charge: Obj } {
    const parent = stripeId('hist');
    this.owners.set(parent, account);
    const made = this.makePayment(parent, {
      amount: v.amount,
      currency: 'eur',
      method: 'card',
      outcome: 'succeeded',
      created: v.created,
      metadata: {},
      feeCents: v.feeCents,
    });
    made.charge['billing_details'] = {
      address: null,
      email: v.email ?? null,
      name: v.name ?? null,
      phone: null,
    };
    made.charge['description'] = 'Adhésion (ancien formulaire)';
    return made;
  }

  /** An automatic payout of everything not paid out yet (plus, if asked, a Stripe fee of the month). */
  payout(
    account: string,
    options: {
      arrivalDate?: number;
      status?: 'paid' | 'in_transit' | 'pending';
      stripeFeeCents?: number;
    } = {},
  ): Obj {
    const created = now();
    if (options.stripeFeeCents)
      this.balanceTransaction({
        amount: -options.stripeFeeCents,
        fee: 0,
        currency: 'eur',
        created,
        reporting_category: 'fee',
        type: 'stripe_fee',
        source: null,
        description: 'Frais Radar',
        account,
      });
    const id = stripeId('po');
    this.owners.set(id, account);
    const settled = [...this.balanceTransactions.values()].filter(
      (bt) =>
        !this.paidOutBy.has(bt.id) && bt['type'] !== 'payout' && this.owners.get(bt.id) === account,
    );
    const amount = settled.reduce((sum, bt) => sum + (bt['net'] as number), 0);
    for (const bt of settled) this.paidOutBy.set(bt.id, id);
    const own = this.balanceTransaction({
      amount: -amount,
      fee: 0,
      currency: 'eur',
      created,
      reporting_category: 'payout',
      type: 'payout',
      source: id,
      account,
    });
    this.paidOutBy.set(own, id);
    const payout: Obj = {
      ...fixture('payout'),
      id,
      object: 'payout',
      amount,
      currency: 'eur',
      created,
      arrival_date: options.arrivalDate ?? created + 86400,
      automatic: true,
      status: options.status ?? 'paid',
      statement_descriptor: 'RUCHE ASSO',
      balance_transaction: own,
      failure_message: null,
      failure_code: null,
      livemode: false,
    };
    this.payouts.set(id, payout);
    return payout;
  }

  failPayout(payoutId: string): Obj {
    const payout = this.must(this.payouts, payoutId);
    Object.assign(payout, {
      status: 'failed',
      failure_code: 'account_closed',
      failure_message: 'The bank account has been closed',
    });
    return payout;
  }

  /** An event envelope as Stripe sends it (the object as it is now, unless one is given). */
  event(
    type: string,
    object: Obj,
    options: { apiVersion?: string; created?: number; id?: string } = {},
  ): Record<string, unknown> {
    const event: Obj = {
      ...fixture('event'),
      id: options.id ?? stripeId('evt'),
      object: 'event',
      api_version: options.apiVersion ?? '2025-08-27.basil',
      created: options.created ?? now(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object: structuredClone(object) },
    };
    // Listed by GET /v1/events for the account the object belongs to (Ruche's catch-up reads it).
    this.events.set(event.id, event);
    this.inherit(event.id, object.id);
    return event;
  }

  /** The raw body and its Stripe-Signature header, signed with the SDK's own helper. */
  static sign(
    event: Record<string, unknown>,
    secret: string,
    timestamp?: number,
  ): { body: string; signature: string } {
    const body = JSON.stringify(event);
    return {
      body,
      signature: Stripe.webhooks.generateTestHeaderString({
        payload: body,
        secret,
        ...(timestamp ? { timestamp } : {}),
      }),
    };
  }

  sessionFor(paymentId: string): Obj | undefined {
    return [...this.sessions.values()].find((s) => s['client_reference_id'] === paymentId);
  }

  private inherit(child: string, parent: string): void {
    const owner = this.owners.get(parent);
    if (owner) this.owners.set(child, owner);
  }

  /** The secret key of the account a Checkout Session was created with. */
  accountOf(sessionOrChargeId: string): string {
    const owner = this.owners.get(sessionOrChargeId);
    if (!owner) throw new Error(`fake Stripe: no account for ${sessionOrChargeId}`);
    return owner;
  }

  private settleCharge(charge: Obj, feeCents: number): void {
    charge['balance_transaction'] = this.balanceTransaction({
      amount: charge['amount'] as number,
      fee: feeCents,
      currency: charge['currency'] as string,
      created: charge['created'] as number,
      reporting_category: 'charge',
      type: 'charge',
      source: charge.id,
    });
  }

  private balanceTransaction(v: {
    amount: number;
    fee: number;
    currency: string;
    created: number;
    reporting_category: string;
    type: string;
    source: string | null;
    description?: string;
    account?: string;
  }): string {
    const id = stripeId('txn');
    const owner =
      v.account ??
      (v.source
        ? (this.owners.get(v.source) ?? this.owners.get(this.chargeOfSource(v.source) ?? ''))
        : undefined);
    if (owner) this.owners.set(id, owner);
    this.balanceTransactions.set(id, {
      ...fixture('balance_transaction'),
      id,
      object: 'balance_transaction',
      amount: v.amount,
      fee: v.fee,
      fee_details:
        v.fee !== 0
          ? [
              {
                amount: v.fee,
                application: null,
                currency: v.currency,
                description: 'Stripe fees',
                type: 'stripe_fee',
              },
            ]
          : [],
      net: v.amount - v.fee,
      currency: v.currency,
      created: v.created,
      available_on: v.created + 2 * 86400,
      description: v.description ?? null,
      reporting_category: v.reporting_category,
      source: v.source,
      status: 'pending',
      type: v.type,
    });
    return id;
  }

  private handle(req: http.IncomingMessage, raw: string): { status: number; body: unknown } {
    const url = new URL(req.url ?? '/', 'http://stripe.test');
    const header = (name: string) =>
      typeof req.headers[name] === 'string' ? req.headers[name] : null;
    const apiKey = header('authorization')?.replace(/^Bearer /, '') ?? null;
    const request: FakeStripeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      form: new URLSearchParams(raw),
      idempotencyKey: header('idempotency-key'),
      apiKey,
      stripeAccount: header('stripe-account'),
    };
    this.requests.push(request);
    if (this.failWith)
      return {
        status: this.failWith,
        body: { error: { type: 'api_error', message: 'Stripe is having trouble (fake)' } },
      };
    if (!apiKey || !/^(sk|rk)_(test|live)_/.test(apiKey) || this.rejectedKeys.has(apiKey)) {
      return {
        status: 401,
        body: {
          error: {
            type: 'invalid_request_error',
            message: `Invalid API Key provided: ${apiKey?.slice(0, 8) ?? ''}***`,
          },
        },
      };
    }
    if (request.method === 'POST' && request.idempotencyKey) {
      const key = `${apiKey}|${request.idempotencyKey}`;
      const previous = this.idempotent.get(key);
      if (previous) return previous;
      const answer = this.route(request);
      this.idempotent.set(key, answer);
      return answer;
    }
    return this.route(request);
  }

  private route(r: FakeStripeRequest): { status: number; body: unknown } {
    const parts = r.path.split('/').filter(Boolean);
    // Each account sees only its own objects, as on Stripe.
    const objectId =
      parts.length === 3 || (parts.length === 4 && parts[1] === 'checkout')
        ? parts[parts.length - 1]
        : null;
    const owner = objectId ? this.owners.get(objectId) : undefined;
    if (r.method === 'GET' && objectId && owner && owner !== r.apiKey) {
      return {
        status: 404,
        body: {
          error: {
            type: 'invalid_request_error',
            code: 'resource_missing',
            message: `No such object: '${objectId}'`,
            param: 'id',
          },
        },
      };
    }
    const ok = (body: unknown) => ({ status: 200, body });
    const missing = (id: string) => ({
      status: 404,
      body: {
        error: {
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: `No such object: '${id}'`,
          param: 'id',
        },
      },
    });
    const expand = [...r.query.entries()].filter(([k]) => k.startsWith('expand')).map(([, v]) => v);
    if (r.method === 'GET' && r.path === '/v1/account') {
      return ok({
        id: 'acct_1FakeRucheTest',
        object: 'account',
        business_profile: { name: 'Association de test' },
        settings: { dashboard: { display_name: 'Association de test' } },
        charges_enabled: true,
        country: 'FR',
        default_currency: 'eur',
      });
    }
    if (parts[1] === 'checkout' && parts[2] === 'sessions') {
      if (r.method === 'POST' && parts.length === 3)
        return ok(this.createSession(r.form, r.apiKey));
      if (r.method === 'GET' && parts.length === 4)
        return this.sessions.has(parts[3]) ? ok(this.sessions.get(parts[3])) : missing(parts[3]);
      if (r.method === 'GET' && parts.length === 3) {
        const pi = r.query.get('payment_intent');
        const data = [...this.sessions.values()].filter((s) => !pi || s['payment_intent'] === pi);
        return ok({ object: 'list', data, has_more: false, url: '/v1/checkout/sessions' });
      }
    }
    if (r.method === 'GET' && parts[1] === 'payment_intents' && parts.length === 3) {
      const pi = this.paymentIntents.get(parts[2]);
      if (!pi) return missing(parts[2]);
      const view: Obj = structuredClone(pi);
      if (
        expand.some((e) => e.startsWith('latest_charge')) &&
        typeof view['latest_charge'] === 'string'
      ) {
        const charge: Obj = structuredClone(this.must(this.charges, view['latest_charge']));
        if (
          expand.includes('latest_charge.balance_transaction') &&
          typeof charge['balance_transaction'] === 'string'
        ) {
          charge['balance_transaction'] = structuredClone(
            this.must(this.balanceTransactions, charge['balance_transaction']),
          );
        }
        view['latest_charge'] = charge;
      }
      return ok(view);
    }
    if (r.method === 'GET' && parts[1] === 'charges' && parts.length === 3)
      return this.charges.has(parts[2]) ? ok(this.charges.get(parts[2])) : missing(parts[2]);
    if (r.method === 'GET' && parts[1] === 'balance_transactions' && parts.length === 3) {
      return this.balanceTransactions.has(parts[2])
        ? ok(this.balanceTransactions.get(parts[2]))
        : missing(parts[2]);
    }
    if (r.method === 'GET' && parts[1] === 'balance_transactions' && parts.length === 2) {
      const payout = r.query.get('payout');
      const limit = Number(r.query.get('limit') ?? 10);
      const type = r.query.get('type');
      const all = [...this.balanceTransactions.values()].filter(
        (bt) =>
          (!payout || this.paidOutBy.get(bt.id) === payout) &&
          (payout || this.owners.get(bt.id) === r.apiKey) &&
          (!type || bt['type'] === type) &&
          inRange(bt['created'] as number, r.query, 'created'),
      );
      const after = r.query.get('starting_after');
      const from = after ? all.findIndex((bt) => bt.id === after) + 1 : 0;
      const data = all.slice(from, from + limit);
      return ok({
        object: 'list',
        data,
        has_more: from + limit < all.length,
        url: '/v1/balance_transactions',
      });
    }
    if (r.method === 'GET' && r.path === '/v1/payouts') {
      const limit = Number(r.query.get('limit') ?? 10);
      // Newest first, as Stripe lists them.
      const all = [...this.payouts.values()]
        .filter(
          (p) =>
            this.owners.get(p.id) === r.apiKey &&
            inRange(p['arrival_date'] as number, r.query, 'arrival_date'),
        )
        .reverse();
      const after = r.query.get('starting_after');
      const from = after ? all.findIndex((p) => p.id === after) + 1 : 0;
      return ok({
        object: 'list',
        data: all.slice(from, from + limit),
        has_more: from + limit < all.length,
        url: '/v1/payouts',
      });
    }
    if (r.method === 'POST' && r.path === '/v1/refunds') {
      const chargeId =
        r.form.get('charge') ??
        (this.paymentIntents.get(r.form.get('payment_intent') ?? '')?.['latest_charge'] as
          string | undefined);
      if (!chargeId || !this.charges.has(chargeId))
        return missing(r.form.get('payment_intent') ?? r.form.get('charge') ?? '?');
      const metadata: Record<string, string> = {};
      for (const [key, value] of r.form.entries()) {
        const m = /^metadata\[(.+)\]$/.exec(key);
        if (m) metadata[m[1]] = value;
      }
      try {
        return ok(
          this.refund(
            chargeId,
            r.form.get('amount') ? Number(r.form.get('amount')) : undefined,
            metadata,
          ),
        );
      } catch (error) {
        return {
          status: 400,
          body: {
            error: {
              type: 'invalid_request_error',
              code: 'amount_too_large',
              message: (error as Error).message,
              param: 'amount',
            },
          },
        };
      }
    }
    if (r.method === 'GET' && r.path === '/v1/events') {
      const since = Number(r.query.get('created[gte]') ?? 0);
      const limit = Number(r.query.get('limit') ?? 10);
      const all = [...this.events.values()]
        .filter((e) => this.owners.get(e.id) === r.apiKey && (e['created'] as number) >= since)
        .reverse();
      const after = r.query.get('starting_after');
      const from = after ? all.findIndex((e) => e.id === after) + 1 : 0;
      return ok({
        object: 'list',
        data: all.slice(from, from + limit),
        has_more: from + limit < all.length,
        url: '/v1/events',
      });
    }
    if (r.method === 'POST' && r.path === '/v1/billing_portal/sessions') {
      const customer = r.form.get('customer') ?? '';
      if (!this.owners.has(customer) || this.owners.get(customer) !== r.apiKey)
        return missing(customer);
      return ok({
        id: stripeId('bps'),
        object: 'billing_portal.session',
        customer,
        return_url: r.form.get('return_url'),
        url: `https://billing.stripe.test/p/session/${customer}`,
      });
    }
    if (r.method === 'GET' && r.path === '/v1/disputes') {
      const charge = r.query.get('charge');
      const data = [...this.disputes.values()].filter(
        (d) => this.owners.get(d.id) === r.apiKey && (!charge || d['charge'] === charge),
      );
      return ok({ object: 'list', data, has_more: false, url: '/v1/disputes' });
    }
    for (const [name, map] of [
      ['refunds', this.refunds],
      ['disputes', this.disputes],
      ['payouts', this.payouts],
      ['subscriptions', this.subscriptions],
      ['invoices', this.invoices],
    ] as const) {
      if (r.method === 'GET' && parts[1] === name && parts.length === 3)
        return map.has(parts[2]) ? ok(map.get(parts[2])) : missing(parts[2]);
    }
    return {
      status: 404,
      body: {
        error: {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${r.method}: ${r.path})`,
        },
      },
    };
  }

  private createSession(form: URLSearchParams, apiKey: string | null): Obj {
    const id = stripeId('cs');
    const metadata: Record<string, string> = {};
    const piMetadata: Record<string, string> = {};
    for (const [key, value] of form.entries()) {
      const m = /^metadata\[(.+)\]$/.exec(key);
      if (m) metadata[m[1]] = value;
      const p = /^payment_intent_data\[metadata\]\[(.+)\]$/.exec(key);
      if (p) piMetadata[p[1]] = value;
    }
    const subscriptionMetadata: Record<string, string> = {};
    for (const [key, value] of form.entries()) {
      const m = /^subscription_data\[metadata\]\[(.+)\]$/.exec(key);
      if (m) subscriptionMetadata[m[1]] = value;
    }
    const methods = [...form.entries()]
      .filter(([k]) => k.startsWith('payment_method_types'))
      .map(([, v]) => v);
    const session: Obj = {
      ...fixture('checkout.session'),
      id,
      object: 'checkout.session',
      mode: form.get('mode') ?? 'payment',
      client_reference_id: form.get('client_reference_id'),
      customer_email: form.get('customer_email'),
      locale: form.get('locale'),
      currency: form.get('line_items[0][price_data][currency]'),
      amount_total: Number(form.get('line_items[0][price_data][unit_amount]')),
      amount_subtotal: Number(form.get('line_items[0][price_data][unit_amount]')),
      metadata,
      payment_intent_data: { metadata: piMetadata },
      _recurring_interval: form.get('line_items[0][price_data][recurring][interval]'),
      _subscription_metadata: subscriptionMetadata,
      subscription: null,
      invoice: null,
      payment_method_types: methods.length > 0 ? methods : ['card'],
      payment_intent: null,
      payment_status: 'unpaid',
      status: 'open',
      livemode: false,
      created: now(),
      expires_at: now() + 24 * 3600,
      success_url: (form.get('success_url') ?? '').replace('{CHECKOUT_SESSION_ID}', id),
      cancel_url: form.get('cancel_url'),
      url: `https://checkout.stripe.test/c/pay/${id}`,
    };
    this.sessions.set(id, session);
    if (apiKey) this.owners.set(id, apiKey);
    return session;
  }

  private must(map: Map<string, Obj>, id: string): Obj {
    const found = map.get(id);
    if (!found) throw new Error(`fake Stripe: no ${id}`);
    return found;
  }
}

/** Stripe's range filters on lists: `created[gte]`, `created[lt]`... (absent bounds are open). */
function inRange(value: number, query: URLSearchParams, field: string): boolean {
  const bound = (op: string) => {
    const v = query.get(`${field}[${op}]`);
    return v === null ? null : Number(v);
  };
  const gte = bound('gte');
  const gt = bound('gt');
  const lte = bound('lte');
  const lt = bound('lt');
  return (
    (gte === null || value >= gte) &&
    (gt === null || value > gt) &&
    (lte === null || value <= lte) &&
    (lt === null || value < lt)
  );
}
