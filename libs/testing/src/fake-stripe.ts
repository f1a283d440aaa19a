import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Stripe from 'stripe';

/** Stripe's own example objects (MIT, see fixtures/stripe/SOURCES.md): every object starts from them. */
const FIXTURES = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../fixtures/stripe/stripe-openapi_fixtures3_selected.json'), 'utf8')) as {
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
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${randomBytes(6).toString('hex')}` });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The payer goes through Checkout: a PaymentIntent, a charge and (when paid) its balance transaction. */
  pay(sessionId: string, options: PayOptions = {}): { session: Obj; paymentIntent: Obj; charge: Obj } {
    const session = this.must(this.sessions, sessionId);
    const method = options.method ?? ((session['payment_method_types'] as string[])[0] as 'card' | 'sepa_debit');
    const outcome = options.outcome ?? (method === 'sepa_debit' ? 'processing' : 'succeeded');
    const amount = session['amount_total'] as number;
    const currency = session['currency'] as string;
    const created = options.created ?? now();
    const piId = (session['payment_intent'] as string | null) ?? stripeId('pi');
    const chargeId = stripeId('ch');
    const charge: Obj = {
      ...fixture('charge'),
      id: chargeId,
      amount,
      amount_captured: outcome === 'succeeded' ? amount : 0,
      amount_refunded: 0,
      currency,
      created,
      livemode: false,
      metadata: session['metadata'],
      paid: outcome === 'succeeded',
      captured: outcome === 'succeeded',
      status: outcome === 'succeeded' ? 'succeeded' : outcome === 'processing' ? 'pending' : 'failed',
      failure_code: outcome === 'failed' ? 'card_declined' : null,
      failure_message: outcome === 'failed' ? 'Your card was declined.' : null,
      payment_intent: piId,
      balance_transaction: null,
      payment_method_details: method === 'card' ? { type: 'card', card: { brand: 'visa', last4: '4242', country: 'FR' } } : { type: 'sepa_debit', sepa_debit: { last4: '3000', country: 'FR', bank_code: '20041' } },
      refunded: false,
      refunds: { object: 'list', data: [], has_more: false, total_count: 0, url: `/v1/charges/${chargeId}/refunds` },
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
      metadata: (session['payment_intent_data'] as { metadata?: unknown } | undefined)?.metadata ?? session['metadata'],
      payment_method_types: [method],
      latest_charge: chargeId,
      status: outcome === 'succeeded' ? 'succeeded' : outcome === 'processing' ? 'processing' : 'requires_payment_method',
      last_payment_error: outcome === 'failed' ? { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' } : null,
    };
    this.paymentIntents.set(piId, paymentIntent);
    if (outcome === 'succeeded') this.settleCharge(charge, options.feeCents ?? Math.round(amount * 0.015) + 25);
    Object.assign(session, {
      payment_intent: piId,
      status: outcome === 'failed' ? 'open' : 'complete',
      payment_status: outcome === 'succeeded' ? 'paid' : 'unpaid',
    });
    return { session, paymentIntent, charge };
  }

  /** The SEPA debit's answer, days later: the money arrives (with its fee) or the debit fails. */
  settleDebit(paymentIntentId: string, outcome: 'succeeded' | 'failed', feeCents = 35): { paymentIntent: Obj; charge: Obj; session: Obj | null } {
    const pi = this.must(this.paymentIntents, paymentIntentId);
    const charge = this.must(this.charges, pi['latest_charge'] as string);
    const session = [...this.sessions.values()].find((s) => s['payment_intent'] === paymentIntentId) ?? null;
    if (outcome === 'succeeded') {
      Object.assign(pi, { status: 'succeeded', amount_received: pi['amount'] });
      Object.assign(charge, { status: 'succeeded', paid: true, captured: true, amount_captured: charge['amount'] });
      this.settleCharge(charge, feeCents);
      if (session) session['payment_status'] = 'paid';
    } else {
      Object.assign(pi, { status: 'requires_payment_method', last_payment_error: { type: 'invalid_request_error', code: 'insufficient_funds', message: 'The account has insufficient funds.' } });
      Object.assign(charge, { status: 'failed', failure_code: 'insufficient_funds', failure_message: 'The account has insufficient funds.' });
    }
    return { paymentIntent: pi, charge, session };
  }

  expire(sessionId: string): Obj {
    const session = this.must(this.sessions, sessionId);
    Object.assign(session, { status: 'expired' });
    return session;
  }

  /** An event envelope as Stripe sends it (the object as it is now, unless one is given). */
  event(type: string, object: Obj, options: { apiVersion?: string; created?: number; id?: string } = {}): Record<string, unknown> {
    return {
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
  }

  /** The raw body and its Stripe-Signature header, signed with the SDK's own helper. */
  static sign(event: Record<string, unknown>, secret: string, timestamp?: number): { body: string; signature: string } {
    const body = JSON.stringify(event);
    return { body, signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret, ...(timestamp ? { timestamp } : {}) }) };
  }

  sessionFor(paymentId: string): Obj | undefined {
    return [...this.sessions.values()].find((s) => s['client_reference_id'] === paymentId);
  }

  private settleCharge(charge: Obj, feeCents: number): void {
    const amount = charge['amount'] as number;
    const txnId = stripeId('txn');
    const created = charge['created'] as number;
    this.balanceTransactions.set(txnId, {
      ...fixture('balance_transaction'),
      id: txnId,
      object: 'balance_transaction',
      amount,
      fee: feeCents,
      fee_details: [{ amount: feeCents, application: null, currency: charge['currency'], description: 'Stripe processing fees', type: 'stripe_fee' }],
      net: amount - feeCents,
      currency: charge['currency'],
      created,
      available_on: created + 2 * 86400,
      reporting_category: 'charge',
      source: charge.id,
      status: 'pending',
      type: 'charge',
    });
    charge['balance_transaction'] = txnId;
  }

  private handle(req: http.IncomingMessage, raw: string): { status: number; body: unknown } {
    const url = new URL(req.url ?? '/', 'http://stripe.test');
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name]) : null);
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
    if (this.failWith) return { status: this.failWith, body: { error: { type: 'api_error', message: 'Stripe is having trouble (fake)' } } };
    if (!apiKey || !/^(sk|rk)_(test|live)_/.test(apiKey) || this.rejectedKeys.has(apiKey)) {
      return { status: 401, body: { error: { type: 'invalid_request_error', message: `Invalid API Key provided: ${apiKey?.slice(0, 8) ?? ''}***` } } };
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
    const ok = (body: unknown) => ({ status: 200, body });
    const missing = (id: string) => ({ status: 404, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such object: '${id}'`, param: 'id' } } });
    const expand = [...r.query.entries()].filter(([k]) => k.startsWith('expand')).map(([, v]) => v);
    if (r.method === 'GET' && r.path === '/v1/account') {
      return ok({ id: 'acct_1FakeRucheTest', object: 'account', business_profile: { name: 'Association de test' }, settings: { dashboard: { display_name: 'Association de test' } }, charges_enabled: true, country: 'FR', default_currency: 'eur' });
    }
    if (parts[1] === 'checkout' && parts[2] === 'sessions') {
      if (r.method === 'POST' && parts.length === 3) return ok(this.createSession(r.form));
      if (r.method === 'GET' && parts.length === 4) return this.sessions.has(parts[3]) ? ok(this.sessions.get(parts[3])) : missing(parts[3]);
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
      if (expand.some((e) => e.startsWith('latest_charge')) && typeof view['latest_charge'] === 'string') {
        const charge: Obj = structuredClone(this.must(this.charges, view['latest_charge']));
        if (expand.includes('latest_charge.balance_transaction') && typeof charge['balance_transaction'] === 'string') {
          charge['balance_transaction'] = structuredClone(this.must(this.balanceTransactions, charge['balance_transaction']));
        }
        view['latest_charge'] = charge;
      }
      return ok(view);
    }
    if (r.method === 'GET' && parts[1] === 'charges' && parts.length === 3) return this.charges.has(parts[2]) ? ok(this.charges.get(parts[2])) : missing(parts[2]);
    if (r.method === 'GET' && parts[1] === 'balance_transactions' && parts.length === 3) {
      return this.balanceTransactions.has(parts[2]) ? ok(this.balanceTransactions.get(parts[2])) : missing(parts[2]);
    }
    return { status: 404, body: { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${r.method}: ${r.path})` } } };
  }

  private createSession(form: URLSearchParams): Obj {
    const id = stripeId('cs');
    const metadata: Record<string, string> = {};
    const piMetadata: Record<string, string> = {};
    for (const [key, value] of form.entries()) {
      const m = /^metadata\[(.+)\]$/.exec(key);
      if (m) metadata[m[1]] = value;
      const p = /^payment_intent_data\[metadata\]\[(.+)\]$/.exec(key);
      if (p) piMetadata[p[1]] = value;
    }
    const methods = [...form.entries()].filter(([k]) => k.startsWith('payment_method_types')).map(([, v]) => v);
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
    return session;
  }

  private must(map: Map<string, Obj>, id: string): Obj {
    const found = map.get(id);
    if (!found) throw new Error(`fake Stripe: no ${id}`);
    return found;
  }
}
