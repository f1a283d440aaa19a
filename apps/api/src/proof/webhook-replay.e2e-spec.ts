import request from 'supertest';
import type { JoinResultView } from '@ruche/contracts';
import {
  FakeStripe,
  FixedClock,
  adminQuery,
  createScratchDatabase,
  serverUrl,
  signupOrganization,
  type TestApp,
} from '@ruche/testing';
import { createTestApi } from '../testing';
import { balanceOf, connectStripe, deliver, type StripeOrg } from '../payments/stripe.test-support';
import { makeReceiptsReady } from '../donations/receipts.test-support';

/*
 * Proof: the Stripe webhook replay.
 *
 * A recorded scenario of Stripe events (memberships by card and by SEPA debit, settled or failed;
 * one-off and monthly gifts with per-gift fiscal receipts; yearly membership subscriptions renewed,
 * failed and cancelled; full and partial refunds; disputes won and lost; payouts paid and one
 * failed) is delivered once, in Stripe's order, to organization A, live: each event is delivered
 * when it happens and processed before the next one, so A sees every intermediate state (a debit
 * processing, a dispute open, a payout paid before it fails). The same recording is then delivered
 * to organization B three times over, each pass shuffled with a seeded shuffle (REPLAY_SEED,
 * printed with the figures), with ~15 % extra duplicates, by 8 concurrent senders; B sees only
 * Stripe's final state. B ends in the same state as A: payments (Stripe ids, purpose, method,
 * gross/fee/net, status), memberships, gifts, refunds, disputes, subscriptions, payouts with their
 * items, the ledger (every entry by its source, with its lines) and the receipts in force; the
 * trial balance of each is zero, the Stripe clearing account holds what Stripe has not paid out,
 * and entry and receipt numbers are gapless.
 *
 * Why B is a clone of A's database and not a second organization of the same one: the recorded
 * events carry A's own ids (Checkout metadata: organization, payment, membership or gift;
 * subscription metadata: contact, plan) and point at objects of A's Stripe account, which the
 * fake, like Stripe, shows only to A's key. A second organization that received them would
 * rightly ignore them all. So the scenario's sign-ups and Checkout Sessions are made first
 * (phase 1, no event yet), the database is copied (CREATE DATABASE ... TEMPLATE), and A and B
 * are the same organization in two databases, each served by its own API and worker, both
 * reading the one fake Stripe, on one fixed clock. Tenancy is proved with a neighbour
 * organization present in both databases, with a Stripe connection of its own on the same fake:
 * in B it receives the whole recording too (signed with its own secret, as from a misrouted
 * endpoint); every event is ignored (not objects of its Stripe account) and nothing of A reaches
 * it, nor the other way. Stripe's event list (the catch-up) is left out: only webhooks count.
 *
 * Where A and B may differ by nature, the comparison says so: the payment's status history
 * (A saw "processing" for a debit, B saw only the end) is compared by its final state; entry and
 * receipt numbers follow the order of processing, so entries are compared by source and numbers
 * only for being gapless; a receipt issued before a refund is cancelled and replaced, one not
 * issued yet is issued once for what is left, so the receipts compared are those in force (and
 * every cancelled one is replaced when something is left to certify).
 *
 * Figures: 460 events in the recording; about 1,600 deliveries to B (3 passes + duplicates, the
 * exact count depends on the seed) and 460 to the neighbour; 35 to 60 s on a busy 2-core machine.
 *
 * What the replay found in the product (fixed): a refund or dispute processed before its payment
 * (shuffled, or a subscription instalment whose payment only its invoice event creates) left the
 * payment unrecorded or the dispute ignored; a yearly renewal invoice processed before the first
 * one paid the first membership instead of the next; a payout seen only as failed was never
 * booked (no payout, no reversal); payout items recorded before their payments named none.
 */

// Three API instances, ~2,000 signed deliveries and ~200 PDF receipts on a busy 2-core machine.
jest.setTimeout(180_000);

type Event = Record<string, unknown>;
type Obj = Record<string, unknown> & { id: string };
/** A cell as node-postgres gives it (timestamps as Date, bigint as string). */
type Cell = string | number | boolean | Date | null | undefined;
type Row = Record<string, Cell>;

const SEED = Number(process.env['REPLAY_SEED'] ?? 20_260_310);
const PASSES = 3;
const DUPLICATE_RATE = 0.15;
const SENDERS = 8;

/** mulberry32: a small seeded generator, so that a failing shuffle can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const unix = (date: Date) => Math.floor(date.getTime() / 1000);

describe('Proof: a recorded Stripe scenario replayed shuffled and duplicated ends in the same state', () => {
  const clock = new FixedClock(new Date());
  const env = { STRIPE_CATCH_UP_MINUTES: '1440' };
  let fake: FakeStripe;
  let scratch: { url: string; drop(): Promise<void> };
  let cloneName: string;
  let a: TestApp;
  let b: TestApp;
  let org: StripeOrg;
  let neighbour: StripeOrg;
  const recording: Event[] = [];
  /** The events that can record each payment, and the refund and dispute events of the payments. */
  const paymentEvents = new Map<object, string[]>();
  const settlementEvents: { id: string; of: object }[] = [];
  const figures = {
    events: 0,
    deliveriesB: 0,
    deliveriesNeighbour: 0,
    settlementsFirst: 0,
    seconds: 0,
  };
  const statusesB: number[] = [];
  const statusesNeighbour: number[] = [];

  beforeAll(async () => {
    const started = Date.now();
    fake = await new FakeStripe().start();
    scratch = await createScratchDatabase('replay');
    const options = { clock, env: { ...env, STRIPE_API_BASE: fake.url } };

    // ---- Phase 1: sign-ups and Checkout Sessions, no event yet ---------------------------------
    const setup = await createTestApi({ ...options, databaseUrl: scratch.url });
    const pending = await prepare(setup);
    await setup.queue.drain(30_000);
    await setup.close();
    const source = new URL(scratch.url).pathname.slice(1);
    cloneName = `${source}_b`;
    await adminQuery(`CREATE DATABASE ${cloneName} TEMPLATE ${source}`);

    // ---- Phase 2: A lives the scenario, event by event -----------------------------------------
    a = await createTestApi({ ...options, databaseUrl: scratch.url });
    await live(a, pending);
    figures.events = recording.length;

    // ---- Phase 3: B gets the recording three times, shuffled, with duplicates ------------------
    b = await createTestApi({ ...options, databaseUrl: serverUrl(cloneName) });
    const random = seeded(SEED);
    const deliveries: Event[] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      const order = shuffled(recording, random);
      for (const event of recording)
        if (random() < DUPLICATE_RATE)
          order.splice(Math.floor(random() * (order.length + 1)), 0, event);
      deliveries.push(...order);
    }
    const misrouted = shuffled(recording, random);
    // How many refund and dispute events reach B before every event that can record their payment.
    const first = new Map<string, number>();
    deliveries.forEach((e, i) => {
      if (!first.has(e['id'] as string)) first.set(e['id'] as string, i);
    });
    figures.settlementsFirst = settlementEvents.filter(
      (s) =>
        first.get(s.id)! < Math.min(...(paymentEvents.get(s.of) ?? []).map((id) => first.get(id)!)),
    ).length;
    figures.deliveriesB = deliveries.length;
    figures.deliveriesNeighbour = misrouted.length;
    await Promise.all([
      send(b, org, deliveries, SENDERS, statusesB),
      send(b, neighbour, misrouted, 2, statusesNeighbour),
    ]);
    await b.queue.drain(120_000);
    figures.seconds = Math.round((Date.now() - started) / 1000);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await fake?.stop();
    if (cloneName) await adminQuery(`DROP DATABASE IF EXISTS ${cloneName} WITH (FORCE)`);
    await scratch?.drop();
  });

  // ---- the scenario ------------------------------------------------------------------------------

  interface Person {
    paymentId: string;
    sessionId: string;
  }
  interface Pending {
    card: Person[];
    sepaPaid: Person[];
    sepaFailed: Person[];
    gifts: Person[];
    campaignGifts: Person[];
    sepaGifts: Person[];
    yearly: Person[];
    monthly: Person[];
  }

  /** Organization, plans, receipts, a campaign, and every payer sent to Checkout (phase 1). */
  async function prepare(t: TestApp): Promise<Pending> {
    const http = () => request(t.app.getHttpServer());
    const owner = await signupOrganization(t, 'Refuge des Monts');
    org = await connectStripe(owner, '30');
    await makeReceiptsReady(owner, { recurringMode: 'per_gift' });
    neighbour = await connectStripe(await signupOrganization(t, 'Club voisin'), '30');
    // The catch-up of missed events is done: only webhooks bring events in this proof.
    for (const o of [org, neighbour])
      await o.owner.post(`${o.staff}/stripe-events/catch-up`, {}).expect(200);
    const yearlyPlan = (
      await owner
        .post(`${org.staff}/membership-plans`, {
          name: 'Adhésion renouvelée',
          pricingKind: 'fixed',
          tiers: [{ code: 'std', label: 'Standard', amount: '36' }],
          validityKind: 'calendar_year',
          subscription: 'yearly',
        })
        .expect(201)
    ).body as { id: string };
    const campaign = (
      await owner
        .post(`${org.staff}/donation-campaigns`, {
          name: 'Nouveau chenil',
          description: 'Vingt boxes chauffés',
          goal: '5000',
          suggestedAmounts: [3000, 6000],
          analytic: 'CHENIL',
        })
        .expect(201)
    ).body as { id: string };

    let n = 0;
    const person = (prefix: string) => {
      n++;
      return {
        firstName: `${prefix}${n}`,
        lastName: `Replay${String(n).padStart(3, '0')}`,
        email: `${prefix.toLowerCase()}${n}@replay.example.org`,
      };
    };
    const started = (res: request.Response): Person => {
      const paymentId = (res.body as JoinResultView).paymentId;
      const session = fake.sessionFor(paymentId);
      if (!session) throw new Error(`no Checkout Session for ${paymentId}`);
      return { paymentId, sessionId: session.id };
    };
    const join = async (method: 'card' | 'sepa_debit', planId = org.planId, autoRenew = false) =>
      started(
        await http()
          .post(`/api/v1/public/orgs/${owner.orgId}/join`)
          .send({ planId, ...person('Membre'), method, autoRenew, acceptTerms: true })
          .expect(201),
      );
    const donate = async (body: Record<string, unknown>) =>
      started(
        await http()
          .post(`/api/v1/public/orgs/${owner.orgId}/donate`)
          .send({
            ...person('Donateur'),
            addressLine1: '7 rue Mercière',
            postalCode: '69002',
            city: 'Lyon',
            ...body,
          })
          .expect(201),
      );
    const many = async <T>(count: number, make: (i: number) => Promise<T>) => {
      const out: T[] = [];
      for (let i = 0; i < count; i++) out.push(await make(i));
      return out;
    };
    return {
      card: await many(20, () => join('card')),
      sepaPaid: await many(8, () => join('sepa_debit')),
      sepaFailed: await many(4, () => join('sepa_debit')),
      gifts: await many(10, (i) => donate({ amount: String(20 + 10 * i), method: 'card' })),
      campaignGifts: await many(4, (i) =>
        donate({ amount: String(50 + 25 * i), method: 'card', campaignId: campaign.id }),
      ),
      sepaGifts: await many(2, (i) => donate({ amount: String(40 + i * 5), method: 'sepa_debit' })),
      yearly: await many(6, () => join('card', yearlyPlan.id, true)),
      monthly: await many(5, (i) =>
        donate({ amount: String(10 + 5 * i), frequency: 'monthly', method: 'card' }),
      ),
    };
  }

  /** Phase 2: Stripe's side happens step by step; each step's events reach A and are processed. */
  async function live(t: TestApp, p: Pending): Promise<void> {
    const step = async (...events: Event[]) => {
      for (const event of events) {
        recording.push(event);
        await deliver(t, org, event).expect(200);
      }
      await t.queue.drain(60_000);
    };
    const ev = (type: string, object: Obj, patch: Record<string, unknown> = {}) =>
      fake.event(type, { ...object, ...patch });
    const session = (x: Person) => fake.sessions.get(x.sessionId)!;
    const settles = (x: object, events: Event[]) => {
      for (const e of events) settlementEvents.push({ id: e['id'] as string, of: x });
      return events;
    };
    const chargeOf = (x: Person) => {
      const s = session(x);
      const pi = s['payment_intent']
        ? fake.paymentIntents.get(s['payment_intent'] as string)!
        : fake.paymentIntents.get(
            fake.invoices.get(s['invoice'] as string)!['payment_intent'] as string,
          )!;
      return fake.charges.get(pi['latest_charge'] as string)!;
    };
    const now = unix(clock.now());
    const record = (x: object, events: Event[]) => {
      paymentEvents.set(x, [
        ...(paymentEvents.get(x) ?? []),
        ...events.map((e) => e['id'] as string),
      ]);
      return events;
    };
    let fee = 0;
    const nextFee = () => 40 + (fee++ % 37);

    // Card payments: memberships and one-off gifts.
    for (const x of [...p.card, ...p.gifts, ...p.campaignGifts]) {
      const paid = fake.pay(x.sessionId, { method: 'card', feeCents: nextFee(), created: now });
      await step(
        ...record(x, [
          ev('payment_intent.created', paid.paymentIntent, {
            status: 'requires_payment_method',
            latest_charge: null,
          }),
          ev('charge.succeeded', paid.charge),
          ev('payment_intent.succeeded', paid.paymentIntent),
          ev('checkout.session.completed', paid.session),
        ]),
      );
    }
    // SEPA debits: the Checkout completes, the debit is processing.
    const debits = new Map<Person, string>();
    for (const x of [...p.sepaPaid, ...p.sepaFailed, ...p.sepaGifts]) {
      const paid = fake.pay(x.sessionId, { method: 'sepa_debit', created: now });
      debits.set(x, paid.paymentIntent.id);
      await step(
        ...record(x, [
          ev('checkout.session.completed', paid.session),
          ev('payment_intent.processing', paid.paymentIntent),
        ]),
      );
    }
    // Subscriptions: yearly memberships and monthly gifts, first invoice paid by card.
    const subscriptionOf = (x: Person) => session(x)['subscription'] as string;
    for (const x of [...p.yearly, ...p.monthly]) {
      const paid = fake.pay(x.sessionId, { method: 'card', feeCents: nextFee(), created: now });
      const invoice = fake.invoices.get(paid.session['invoice'] as string)!;
      await step(
        ev('customer.created', { id: paid.session['customer'] as string, object: 'customer' }),
        ...record(x, [
          ev('customer.subscription.created', fake.subscriptions.get(subscriptionOf(x))!),
          ev('invoice.created', invoice, { status: 'draft' }),
          ev('invoice.finalized', invoice, { status: 'open' }),
          ev('charge.succeeded', paid.charge),
          ev('payment_intent.succeeded', paid.paymentIntent),
          ev('invoice.paid', invoice),
          ev('invoice.payment_succeeded', invoice),
          ev('checkout.session.completed', paid.session),
        ]),
      );
    }
    const payout = async (stripeFeeCents?: number) => {
      const made = fake.payout(org.apiKey, { stripeFeeCents });
      // Stripe pays out a positive balance only: the scenario must keep it so.
      if (!((made['amount'] as number) > 0))
        throw new Error(`scenario: a payout of ${String(made['amount'])} cents`);
      await step(ev('payout.created', made, { status: 'pending' }), ev('payout.paid', made));
      return made;
    };
    await payout(200);

    // The debits' answers, days later.
    for (const x of [...p.sepaPaid, ...p.sepaGifts]) {
      const settled = fake.settleDebit(debits.get(x)!, 'succeeded', 35);
      await step(
        ...record(x, [
          ev('charge.succeeded', settled.charge),
          ev('payment_intent.succeeded', settled.paymentIntent),
          ev('checkout.session.async_payment_succeeded', settled.session!),
        ]),
      );
    }
    for (const x of p.sepaFailed) {
      const failed = fake.settleDebit(debits.get(x)!, 'failed');
      await step(
        ev('charge.failed', failed.charge),
        ev('payment_intent.payment_failed', failed.paymentIntent),
        ev('checkout.session.async_payment_failed', failed.session!),
      );
    }

    // Refunds made in Stripe's dashboard: full and partial, memberships and gifts.
    const refund = async (x: Person, amount?: number) => {
      const charge = chargeOf(x);
      const made = fake.refund(charge.id, amount);
      await step(...settles(x, [ev('refund.created', made), ev('charge.refunded', charge)]));
    };
    for (const x of p.card.slice(0, 3)) await refund(x);
    for (const x of p.card.slice(3, 6)) await refund(x, 1000);
    for (const x of p.gifts.slice(0, 2)) await refund(x);
    for (const x of [...p.gifts.slice(2, 4), p.campaignGifts[0]]) await refund(x, 500);
    await refund(p.monthly[0]);

    // Disputes opened by the payers' banks.
    const disputes: Obj[] = [];
    const disputed = new Map<string, object>();
    for (const x of [...p.card.slice(6, 9), ...p.gifts.slice(4, 6), p.campaignGifts[1]]) {
      const made = fake.dispute(chargeOf(x).id, 1500);
      disputes.push(made);
      disputed.set(made.id, x);
      await step(
        ...settles(x, [
          ev('charge.dispute.created', made, { status: 'warning_needs_response' }),
          ev('charge.dispute.funds_withdrawn', made),
        ]),
      );
    }

    // Monthly instalments, then the next year's renewals. An instalment's payment is created by
    // its invoice's event: one is disputed, one partly refunded.
    for (const [i, x] of p.monthly.entries()) {
      const next = fake.renewSubscription(subscriptionOf(x), { feeCents: nextFee(), created: now });
      const instalment = { invoice: next.invoice.id };
      await step(
        ev('invoice.created', next.invoice, { status: 'draft' }),
        ev('invoice.finalized', next.invoice, { status: 'open' }),
        ...record(instalment, [
          ev('charge.succeeded', next.charge),
          ev('payment_intent.succeeded', next.paymentIntent),
          ev('invoice.paid', next.invoice),
          ev('invoice.payment_succeeded', next.invoice),
        ]),
      );
      if (i === 2) {
        const made = fake.dispute(next.charge.id, 1500);
        disputes.push(made);
        disputed.set(made.id, instalment);
        await step(...settles(instalment, [ev('charge.dispute.created', made)]));
      }
      if (i === 3) {
        fake.refund(next.charge.id, 700);
        await step(
          ...settles(instalment, [ev('charge.refunded', fake.charges.get(next.charge.id)!)]),
        );
      }
    }
    for (const x of p.yearly.slice(0, 4)) {
      const next = fake.renewSubscription(subscriptionOf(x), { feeCents: nextFee() });
      await step(
        ev('invoice.created', next.invoice, { status: 'draft' }),
        ev('invoice.finalized', next.invoice, { status: 'open' }),
        ev('charge.succeeded', next.charge),
        ev('payment_intent.succeeded', next.paymentIntent),
        ev('invoice.paid', next.invoice),
        ev('invoice.payment_succeeded', next.invoice),
        ev('customer.subscription.updated', fake.subscriptions.get(subscriptionOf(x))!),
      );
    }
    // Disputes end: lost, or won (the amount comes back).
    for (const [i, d] of disputes.entries()) {
      const closed = fake.closeDispute(d.id, i % 2 === 0 ? 'lost' : 'won');
      await step(
        ...settles(disputed.get(d.id)!, [
          ...(i % 2 === 0 ? [] : [ev('charge.dispute.funds_reinstated', closed)]),
          ev('charge.dispute.closed', closed),
        ]),
      );
    }
    // The rest of a partly refunded gift.
    await refund(p.campaignGifts[0]);
    const second = await payout();

    // Failures and cancellations.
    for (const [i, x] of p.monthly.slice(1).entries()) {
      const failed = i === 0;
      const next = fake.renewSubscription(subscriptionOf(x), {
        feeCents: nextFee(),
        outcome: failed ? 'failed' : 'succeeded',
      });
      await step(
        ev('invoice.created', next.invoice, { status: 'draft' }),
        ev('invoice.finalized', next.invoice, { status: 'open' }),
        ev(failed ? 'charge.failed' : 'charge.succeeded', next.charge),
        ev(
          failed ? 'payment_intent.payment_failed' : 'payment_intent.succeeded',
          next.paymentIntent,
        ),
        ev(failed ? 'invoice.payment_failed' : 'invoice.paid', next.invoice),
        ...(failed
          ? [ev('customer.subscription.updated', fake.subscriptions.get(subscriptionOf(x))!)]
          : [ev('invoice.payment_succeeded', next.invoice)]),
      );
    }
    for (const x of p.yearly.slice(4)) {
      const next = fake.renewSubscription(subscriptionOf(x), { outcome: 'failed' });
      await step(
        ev('invoice.created', next.invoice, { status: 'draft' }),
        ev('invoice.finalized', next.invoice, { status: 'open' }),
        ev('charge.failed', next.charge),
        ev('payment_intent.payment_failed', next.paymentIntent),
        ev('invoice.payment_failed', next.invoice),
        ev('customer.subscription.updated', fake.subscriptions.get(subscriptionOf(x))!),
      );
    }
    for (const x of [...p.yearly.slice(4), p.monthly[1], p.monthly[4]])
      await step(ev('customer.subscription.deleted', fake.cancelSubscription(subscriptionOf(x))));

    await payout(150);
    fake.failPayout(second.id);
    await step(ev('payout.failed', fake.payouts.get(second.id)!));
  }

  /** Posts signed events from `senders` concurrent senders; every answer is kept. */
  async function send(
    t: TestApp,
    to: StripeOrg,
    events: Event[],
    senders: number,
    statuses: number[],
  ): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: senders }, async () => {
        while (next < events.length) {
          const res = await deliver(t, to, events[next++]);
          statuses.push(res.status);
        }
      }),
    );
  }

  // ---- the snapshot ------------------------------------------------------------------------------

  /** The organization's business state, without generated ids or processing times. */
  async function snapshot(t: TestApp, orgId: string) {
    const q = (sql: string) => t.dataSource.query<Row[]>(sql, [orgId]);
    const str = (v: Cell) => (v === null || v === undefined ? null : String(v));
    const num = (v: Cell) => (v === null || v === undefined ? null : Number(v));
    const emails = new Map(
      (await q('SELECT id, email FROM contacts WHERE organization_id = $1')).map((r) => [
        r['id'] as string,
        r['email'] as string,
      ]),
    );
    const contact = (id: Cell) => (id ? (emails.get(String(id)) ?? `?${String(id)}`) : null);

    const entries = await q(
      `SELECT e.id, e.source, e.entry_date::text AS date, j.code AS journal, e.label, e.piece_ref, e.status, e.currency,
              e.total_cents, e.reversal_of_id, e.number, e.fiscal_year_id
         FROM journal_entries e JOIN journals j ON j.organization_id = e.organization_id AND j.id = e.journal_id
        WHERE e.organization_id = $1`,
    );
    const rawSource = new Map(entries.map((e) => [e['id'] as string, str(e['source'])]));
    const sourceOf = (id: Cell): string | null => {
      if (!id) return null;
      const entry = entries.find((e) => e['id'] === id);
      if (!entry) return `?${String(id)}`;
      return entry['reversal_of_id']
        ? `reversal of ${sourceOf(entry['reversal_of_id']) ?? '?'}`
        : (rawSource.get(String(id)) ?? `?${String(id)}`);
    };

    const payments = await q(
      `SELECT p.*, p.paid_on::text AS paid_on_text, p.available_on::text AS available_on_text, s.stripe_subscription_id,
              (SELECT h.status FROM payment_status_changes h WHERE h.organization_id = p.organization_id AND h.payment_id = p.id
                ORDER BY h.seq DESC LIMIT 1) AS last_history
         FROM payments p
         LEFT JOIN payment_subscriptions s ON s.organization_id = p.organization_id AND s.id = p.subscription_id
        WHERE p.organization_id = $1`,
    );
    const paymentKey = new Map(
      payments.map((p) => [
        p['id'] as string,
        str(p['checkout_session_id']) ??
          (p['stripe_invoice_id']
            ? `invoice ${String(p['stripe_invoice_id'])}`
            : `?${String(p['id'])}`),
      ]),
    );
    const memberships = await q(
      `SELECT m.*, m.start_date::text AS start_text, m.end_date::text AS end_text, m.paid_on::text AS paid_text,
              m.next_status_change_on::text AS next_change_text, mp.name AS plan
         FROM memberships m JOIN membership_plans mp ON mp.organization_id = m.organization_id AND mp.id = m.plan_id
        WHERE m.organization_id = $1`,
    );
    const membershipKey = new Map(
      memberships.map((m) => [
        m['id'] as string,
        `${contact(m['contact_id'])} ${String(m['plan'])} ${String(m['start_text'])}`,
      ]),
    );
    const donations = await q(
      `SELECT d.*, d.received_on::text AS received_text, c.name AS campaign FROM donations d
         LEFT JOIN donation_campaigns c ON c.organization_id = d.organization_id AND c.id = d.campaign_id
        WHERE d.organization_id = $1`,
    );
    const payerOf = new Map(
      payments
        .filter((p) => p['purpose'] === 'donation' && p['purpose_id'])
        .map((p) => [p['purpose_id'] as string, paymentKey.get(p['id'] as string)!]),
    );
    const donationKey = (id: Cell) =>
      id ? `gift paid by ${payerOf.get(String(id)) ?? `?${String(id)}`}` : null;
    const purposeKey = (purpose: Cell, id: Cell) =>
      !id
        ? null
        : purpose === 'membership'
          ? (membershipKey.get(String(id)) ?? `?${String(id)}`)
          : purpose === 'donation'
            ? donationKey(id)
            : `?${String(id)}`;
    const sorted = <T extends Record<string, unknown>>(rows: T[], key: (r: T) => string) =>
      [...rows].sort((x, y) => key(x).localeCompare(key(y)));

    const lines = await q(
      `SELECT l.entry_id, l.line_no, a.number AS account, l.debit_cents, l.credit_cents, l.analytic, l.counterparty_ref
         FROM journal_entry_lines l JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
        WHERE l.organization_id = $1 ORDER BY l.entry_id, l.line_no`,
    );
    const gifts = await q(
      'SELECT g.*, g.received_on::text AS received_text FROM receipt_gifts g WHERE g.organization_id = $1',
    );
    const giftKey = new Map(
      gifts.map((g) => [
        g['id'] as string,
        g['source_kind'] === 'donation'
          ? donationKey(g['source_id'])!
          : (membershipKey.get(String(g['source_id'])) ?? `?${String(g['source_id'])}`),
      ]),
    );
    const receipts = await q(
      `SELECT r.id, r.kind, r.amount_cents, r.currency, r.donor_name, r.contact_id, r.period_start::text AS period_start,
              r.period_end::text AS period_end, r.issued_on::text AS issued_on, r.status, r.year, r.number
         FROM receipts r WHERE r.organization_id = $1`,
    );
    const receiptLines = await q(
      `SELECT receipt_id, gift_id, amount_cents, received_on::text AS received_on, active FROM receipt_lines WHERE organization_id = $1`,
    );
    const payouts = await q(
      `SELECT p.*, p.arrival_date::text AS arrival_text FROM payouts p WHERE p.organization_id = $1`,
    );
    const payoutItems = await q('SELECT * FROM payout_items WHERE organization_id = $1');

    return {
      payments: sorted(
        payments.map((p) => ({
          key: paymentKey.get(p['id'] as string)!,
          contact: contact(p['contact_id']),
          purpose: p['purpose'],
          for: purposeKey(p['purpose'], p['purpose_id']),
          label: p['label'],
          method: p['method'],
          provider: p['provider'],
          status: p['status'],
          historyEndsWith: p['last_history'],
          grossCents: num(p['amount_cents']),
          feeCents: num(p['fee_cents']),
          netCents: num(p['net_cents']),
          refundedCents: num(p['refunded_cents']),
          currency: p['currency'],
          paidOn: p['paid_on_text'],
          availableOn: p['available_on_text'],
          paymentIntent: p['payment_intent_id'],
          charge: p['charge_id'],
          balanceTransaction: p['balance_transaction_id'],
          invoice: p['stripe_invoice_id'],
          subscription: p['stripe_subscription_id'],
          revenue: [p['revenue_role'], p['revenue_account'], p['analytic']],
          entry: sourceOf(p['entry_id']),
        })),
        (r) => r.key,
      ),
      memberships: sorted(
        memberships.map((m) => ({
          key: membershipKey.get(m['id'] as string)!,
          status: m['status'],
          tier: m['tier_code'],
          amountCents: num(m['amount_cents']),
          startDate: m['start_text'],
          endDate: m['end_text'],
          nextStatusChangeOn: m['next_change_text'],
          paidOn: m['paid_text'],
          paymentMethod: m['payment_method'],
          paymentReference: m['payment_reference'],
          cancelled: m['cancelled_at'] !== null,
          cancelReason: m['cancel_reason'],
          renewedFrom: m['renewed_from_id']
            ? (membershipKey.get(String(m['renewed_from_id'])) ?? '?')
            : null,
          source: m['source'],
          entry: sourceOf(m['entry_id']),
        })),
        (r) => r.key,
      ),
      donations: sorted(
        donations.map((d) => ({
          key: donationKey(d['id'])!,
          contact: contact(d['contact_id']),
          campaign: d['campaign'],
          series: d['series_id'] ? donationKey(d['series_id']) : null,
          frequency: d['frequency'],
          status: d['status'],
          amountCents: num(d['amount_cents']),
          refundedCents: num(d['refunded_cents']),
          method: d['method'],
          receivedOn: d['received_text'],
          wantsReceipt: d['wants_receipt'],
          payment: d['payment_id'] ? (paymentKey.get(String(d['payment_id'])) ?? '?') : null,
          entry: sourceOf(d['entry_id']),
        })),
        (r) => r.key,
      ),
      refunds: sorted(
        (
          await q(
            'SELECT * , refunded_on::text AS refunded_text FROM payment_refunds WHERE organization_id = $1',
          )
        ).map((r) => ({
          stripeRefund: str(r['stripe_refund_id']) ?? '?',
          payment: paymentKey.get(r['payment_id'] as string),
          amountCents: num(r['amount_cents']),
          status: r['status'],
          reason: r['reason'],
          refundedOn: r['refunded_text'],
          entry: sourceOf(r['entry_id']),
        })),
        (r) => r.stripeRefund,
      ),
      disputes: sorted(
        (await q('SELECT * FROM payment_disputes WHERE organization_id = $1')).map((d) => ({
          stripeDispute: String(d['stripe_dispute_id']),
          payment: paymentKey.get(d['payment_id'] as string),
          amountCents: num(d['amount_cents']),
          feeCents: num(d['fee_cents']),
          status: d['status'],
          reason: d['reason'],
        })),
        (r) => r.stripeDispute,
      ),
      subscriptions: sorted(
        (
          await q(
            'SELECT *, current_period_end::text AS period_end_text FROM payment_subscriptions WHERE organization_id = $1',
          )
        ).map((s) => ({
          stripeSubscription: String(s['stripe_subscription_id']),
          customer: s['stripe_customer_id'],
          contact: contact(s['contact_id']),
          purpose: s['purpose'],
          buys:
            s['purpose'] === 'donation'
              ? donationKey(s['purpose_ref'])
              : s['purpose_ref']
                ? 'plan'
                : null,
          interval: s['interval'],
          amountCents: num(s['amount_cents']),
          status: s['status'],
          currentPeriodEnd: s['period_end_text'],
          canceledAt: s['canceled_at'] instanceof Date ? s['canceled_at'].toISOString() : null,
        })),
        (r) => r.stripeSubscription,
      ),
      payouts: sorted(
        payouts.map((p) => ({
          stripePayout: String(p['stripe_payout_id']),
          amountCents: num(p['amount_cents']),
          status: p['status'],
          arrivalDate: p['arrival_text'],
          itemCount: p['item_count'],
          itemsNetCents: num(p['items_net_cents']),
          failureMessage: p['failure_message'],
          entry: sourceOf(p['entry_id']),
          reversal: sourceOf(p['reversal_entry_id']),
          items: sorted(
            payoutItems
              .filter((i) => i['payout_id'] === p['id'])
              .map((i) => ({
                balanceTransaction: String(i['balance_transaction_id']),
                type: i['type'],
                category: i['reporting_category'],
                source: i['source'],
                netCents: num(i['net_cents']),
                feeCents: num(i['fee_cents']),
                payment: i['payment_id'] ? paymentKey.get(String(i['payment_id'])) : null,
              })),
            (r) => r.balanceTransaction,
          ),
        })),
        (r) => r.stripePayout,
      ),
      ledger: sorted(
        entries
          .filter((e) => e['status'] === 'posted')
          .map((e) => ({
            source: sourceOf(e['id'])!,
            date: e['date'],
            journal: e['journal'],
            label: e['label'],
            pieceRef: e['piece_ref'],
            currency: e['currency'],
            totalCents: num(e['total_cents']),
            lines: lines
              .filter((l) => l['entry_id'] === e['id'])
              .map((l) => ({
                account: l['account'],
                debit: num(l['debit_cents']),
                credit: num(l['credit_cents']),
                analytic: l['analytic'],
                counterparty: l['counterparty_ref'],
              })),
          })),
        (r) => `${r.source} ${String(r.date)}`,
      ),
      gifts: sorted(
        gifts.map((g) => ({
          key: giftKey.get(g['id'] as string)!,
          contact: contact(g['contact_id']),
          receivedOn: g['received_text'],
          amountCents: num(g['amount_cents']),
          withdrawnCents: num(g['withdrawn_cents']),
          method: g['method'],
          mode: g['mode'],
          blocked: g['blocked_reason'],
        })),
        (r) => r.key,
      ),
      receiptsInForce: sorted(
        receipts
          .filter((r) => r['status'] === 'issued')
          .map((r) => ({
            kind: r['kind'],
            donor: r['donor_name'],
            contact: contact(r['contact_id']),
            amountCents: num(r['amount_cents']),
            currency: r['currency'],
            period: [r['period_start'], r['period_end']],
            issuedOn: r['issued_on'],
            lines: receiptLines
              .filter((l) => l['receipt_id'] === r['id'] && l['active'])
              .map((l) => ({
                gift: giftKey.get(l['gift_id'] as string),
                amountCents: num(l['amount_cents']),
                receivedOn: l['received_on'],
              })),
          })),
        (r) => JSON.stringify(r.lines),
      ),
      // Kept apart: what depends on the order of processing (numbers, cancelled receipts).
      orderDependent: {
        entryNumbers: entries
          .filter((e) => e['status'] === 'posted')
          .map((e) => ({ fiscalYear: e['fiscal_year_id'], number: Number(e['number']) })),
        receipts: receipts.map((r) => ({
          year: Number(r['year']),
          number: Number(r['number']),
          status: r['status'],
          amountCents: Number(r['amount_cents']),
        })),
      },
    };
  }

  // ---- the proofs ----------------------------------------------------------------------------------

  it('records a scenario of a few hundred events and answers every delivery with 200', () => {
    const types = new Set(recording.map((e) => e['type'] as string));
    expect(recording.length).toBeGreaterThanOrEqual(300);
    const expected = [
      'checkout.session.completed',
      'checkout.session.async_payment_succeeded',
      'checkout.session.async_payment_failed',
      'invoice.paid',
      'invoice.payment_failed',
      'customer.subscription.deleted',
      'charge.refunded',
      'charge.dispute.created',
      'charge.dispute.closed',
      'payout.paid',
      'payout.failed',
    ];
    expect(expected.filter((type) => !types.has(type))).toEqual([]);
    expect(new Set(recording.map((e) => e['id'])).size).toBe(recording.length);
    expect(statusesB).toHaveLength(figures.deliveriesB);
    // The shuffle does bring refunds and disputes before their payment (the hard case).
    expect(figures.settlementsFirst).toBeGreaterThan(0);
    expect(statusesB.filter((s) => s !== 200)).toEqual([]);
    expect(statusesNeighbour.filter((s) => s !== 200)).toEqual([]);
    console.info(
      `webhook replay: seed ${SEED}, ${figures.events} events, ${figures.deliveriesB} deliveries to B ` +
        `(${PASSES} shuffled passes + duplicates; ${figures.settlementsFirst} refund or dispute events before ` +
        `their payment's), ${figures.deliveriesNeighbour} to the neighbour, ${figures.seconds} s`,
    );
  });

  it('stores each event once and processes every one of them, in A and in B', async () => {
    for (const t of [a, b]) {
      const rows = await t.dataSource.query<{ state: string; n: number }[]>(
        'SELECT state, count(*)::int AS n FROM stripe_events WHERE organization_id = $1 GROUP BY state',
        [org.owner.orgId],
      );
      expect(rows.reduce((sum, r) => sum + r.n, 0)).toBe(recording.length);
      expect(
        await t.dataSource.query(
          `SELECT type, state, error FROM stripe_events WHERE organization_id = $1 AND state NOT IN ('processed', 'ignored')`,
          [org.owner.orgId],
        ),
      ).toEqual([]);
    }
  });

  it('ends in B exactly as in A: payments, memberships, gifts, settlements, ledger, receipts', async () => {
    const sa = await snapshot(a, org.owner.orgId);
    const sb = await snapshot(b, org.owner.orgId);
    // Something happened in every part (a comparison of two empty states proves nothing).
    expect(sa.payments.filter((p) => p.status === 'succeeded').length).toBeGreaterThan(20);
    expect(sa.refunds.length).toBeGreaterThan(5);
    expect(sa.disputes.length).toBeGreaterThan(3);
    expect(sa.payouts.length).toBe(3);
    expect(sa.receiptsInForce.length).toBeGreaterThan(10);
    for (const part of [
      'payments',
      'memberships',
      'donations',
      'refunds',
      'disputes',
      'subscriptions',
      'payouts',
      'ledger',
      'gifts',
      'receiptsInForce',
    ] as const) {
      expect([part, sb[part]]).toEqual([part, sa[part]]);
    }
    for (const p of [...sa.payments, ...sb.payments]) expect(p.historyEndsWith).toBe(p.status);
  });

  it('balances the books of A and B, numbers entries and receipts without gaps', async () => {
    for (const t of [a, b]) {
      const [trial] = await t.dataSource.query<{ debit: string; credit: string }[]>(
        `SELECT coalesce(sum(l.debit_cents), 0) AS debit, coalesce(sum(l.credit_cents), 0) AS credit
           FROM journal_entry_lines l JOIN journal_entries e ON e.organization_id = l.organization_id AND e.id = l.entry_id
          WHERE l.organization_id = $1 AND e.status = 'posted'`,
        [org.owner.orgId],
      );
      expect(Number(trial.debit)).toBeGreaterThan(0);
      expect(Number(trial.debit) - Number(trial.credit)).toBe(0);
      // The Stripe clearing account holds what Stripe's balance still holds (not paid out).
      const net = [...fake.balanceTransactions.values()]
        .filter((bt) => bt['type'] !== 'payout')
        .reduce((sum, bt) => sum + (bt['net'] as number), 0);
      const paidOut = [...fake.payouts.values()]
        .filter((p) => p['status'] === 'paid')
        .reduce((sum, p) => sum + (p['amount'] as number), 0);
      expect(await balanceOf(t, org.owner.orgId, '51151')).toBe(net - paidOut);
      // A receipt cancelled by a refund is replaced when something is left to certify.
      expect(
        await t.dataSource.query(
          `SELECT r.reference FROM receipts r
            WHERE r.organization_id = $1 AND r.status = 'cancelled' AND r.replaced_by_id IS NULL
              AND EXISTS (SELECT 1 FROM receipt_lines l
                            JOIN receipt_gifts g ON g.organization_id = l.organization_id AND g.id = l.gift_id
                           WHERE l.organization_id = r.organization_id AND l.receipt_id = r.id
                             AND g.withdrawn_cents < g.amount_cents)`,
          [org.owner.orgId],
        ),
      ).toEqual([]);
      const s = await snapshot(t, org.owner.orgId);
      const byYear = new Map<unknown, number[]>();
      for (const e of s.orderDependent.entryNumbers)
        byYear.set(e.fiscalYear, [...(byYear.get(e.fiscalYear) ?? []), e.number]);
      // A year opened after another keeps number 1 for its à-nouveaux (posted when the year
      // before closes): its entries then run from 2.
      const kept = new Map(
        (
          await t.dataSource.query<{ id: string; kept: number | null }[]>(
            'SELECT id, opening_entry_number AS kept FROM fiscal_years WHERE organization_id = $1',
            [org.owner.orgId],
          )
        ).map((y) => [y.id, y.kept ?? 0]),
      );
      for (const [year, numbers] of byYear.entries()) {
        const first = (kept.get(year as string) ?? 0) + 1;
        expect(numbers.sort((x, y) => x - y)).toEqual(numbers.map((_, i) => i + first));
      }
      const receiptYears = new Map<number, number[]>();
      for (const r of s.orderDependent.receipts)
        receiptYears.set(r.year, [...(receiptYears.get(r.year) ?? []), r.number]);
      for (const numbers of receiptYears.values())
        expect(numbers.sort((x, y) => x - y)).toEqual(numbers.map((_, i) => i + 1));
    }
  });

  it('lets nothing of the organization reach its neighbour, in either database', async () => {
    for (const t of [a, b]) {
      const counts = await t.dataSource.query<{ table: string; n: number }[]>(
        `SELECT 'payments' AS table, count(*)::int AS n FROM payments WHERE organization_id = $1
         UNION ALL SELECT 'memberships', count(*)::int FROM memberships WHERE organization_id = $1
         UNION ALL SELECT 'donations', count(*)::int FROM donations WHERE organization_id = $1
         UNION ALL SELECT 'contacts', count(*)::int FROM contacts WHERE organization_id = $1
         UNION ALL SELECT 'journal_entries', count(*)::int FROM journal_entries WHERE organization_id = $1
         UNION ALL SELECT 'receipts', count(*)::int FROM receipts WHERE organization_id = $1
         UNION ALL SELECT 'receipt_gifts', count(*)::int FROM receipt_gifts WHERE organization_id = $1
         UNION ALL SELECT 'payment_refunds', count(*)::int FROM payment_refunds WHERE organization_id = $1
         UNION ALL SELECT 'payment_disputes', count(*)::int FROM payment_disputes WHERE organization_id = $1
         UNION ALL SELECT 'payment_subscriptions', count(*)::int FROM payment_subscriptions WHERE organization_id = $1
         UNION ALL SELECT 'payouts', count(*)::int FROM payouts WHERE organization_id = $1`,
        [neighbour.owner.orgId],
      );
      expect(counts.filter((c) => c.n !== 0)).toEqual([]);
    }
    const states = await b.dataSource.query<{ state: string; n: number }[]>(
      'SELECT state, count(*)::int AS n FROM stripe_events WHERE organization_id = $1 GROUP BY state',
      [neighbour.owner.orgId],
    );
    expect(states).toEqual([{ state: 'ignored', n: recording.length }]);
    expect(
      await a.dataSource.query(
        'SELECT count(*)::int AS n FROM stripe_events WHERE organization_id = $1',
        [neighbour.owner.orgId],
      ),
    ).toEqual([{ n: 0 }]);
    // And the organization's own rows point at nothing of the neighbour.
    for (const t of [a, b]) {
      const foreign = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM payments p JOIN contacts c ON c.id = p.contact_id
          WHERE p.organization_id = $1 AND c.organization_id <> p.organization_id`,
        [org.owner.orgId],
      );
      expect(foreign).toEqual([{ n: 0 }]);
    }
  });
});
