import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, isUuid, newId, type OrgContext } from '@ruche/core';
import {
  contactReference,
  type DisputeView,
  type RefundView,
  type ListPaymentsQuery,
  type ManualPaymentInput,
  type ManualPaymentMethod,
  type Page,
  type PaymentMethod,
  type PaymentPurpose,
  type PaymentStatus,
  type PaymentView,
  type PostingRole,
} from '@ruche/contracts';
import { AuditService, Clock, LiveEventsPort } from '@ruche/platform';
import { LedgerService, type PostResult } from '@ruche/accounting';
import { ContactsService, PrivacyService, displayName } from '@ruche/contacts';
import { PaymentEntity } from '../entities/payment.entity';
import { PaymentStatusChangeEntity } from '../entities/payment-status-change.entity';
import { nextPaymentStatus } from '../domain/payment-status';
import { paymentReference } from '../domain/creditor-reference';
import type { AfterCommit, PaymentPurposeHandler, PaymentSnapshot } from './payment-purposes';
import { PaymentNoticesService } from './payment-notices.service';

export interface ManualRecord {
  contactId: string | null;
  purpose: PaymentPurpose;
  purposeId: string | null;
  label: string;
  amountCents: number;
  currency: string;
  method: ManualPaymentMethod;
  receivedOn: string;
  reference?: string | null;
  chequeBank?: string | null;
  chequeDrawer?: string | null;
  revenueRole: Extract<PostingRole, `${string}_revenue`>;
  revenueAccount?: string | null;
  /** The entry's source (unique per organization); default `payment:<id>`. */
  source?: string;
  /** Analytic section of the revenue (a donation campaign's). */
  analytic?: string | null;
}

export interface NewPaymentInput {
  contactId: string | null;
  purpose: PaymentPurpose;
  purposeId: string | null;
  label: string;
  amountCents: number;
  currency: string;
  method: PaymentMethod | null;
  revenueRole: Extract<PostingRole, `${string}_revenue`>;
  revenueAccount: string | null;
  analytic?: string | null;
  locale: 'fr' | 'en';
}

/** What the provider says about a payment now (read from Stripe's current objects). */
export interface PaymentObservation {
  status: PaymentStatus;
  method: PaymentMethod | null;
  livemode: boolean | null;
  checkoutSessionId?: string | null;
  paymentIntentId?: string | null;
  chargeId?: string | null;
  /** Present once the money is there: Stripe's facts, never computed here. */
  settlement?: {
    balanceTransactionId: string;
    grossCents: number;
    feeCents: number;
    netCents: number;
    currency: string;
    paidOn: string;
    availableOn: string;
  } | null;
  note?: string | null;
}

/**
 * Told inside the transaction that records a Stripe payment as received, after the payment and
 * its owner were updated: what Stripe already has against the charge (refunds, disputes whose
 * events came first) is recorded in the same transaction.
 */
export type ReceivedListener = (
  ctx: OrgContext,
  payment: PaymentEntity,
  cause: string,
  m: EntityManager,
) => Promise<AfterCommit[]>;

interface Row {
  id: string;
  reference: string | null;
  cheque_bank: string | null;
  cheque_drawer: string | null;
  deposit_id: string | null;
  deposit_reference: string | null;
  subscription_id: string | null;
  contact_id: string | null;
  contact_name: string | null;
  purpose: PaymentPurpose;
  purpose_id: string | null;
  label: string;
  method: PaymentMethod | null;
  provider: 'stripe' | 'manual';
  status: PaymentStatus;
  amount_cents: string;
  fee_cents: string | null;
  net_cents: string | null;
  refunded_cents: string;
  currency: string;
  paid_on: string | null;
  available_on: string | null;
  checkout_session_id: string | null;
  payment_intent_id: string | null;
  charge_id: string | null;
  balance_transaction_id: string | null;
  livemode: boolean | null;
  entry_id: string | null;
  created_at: Date;
}

const SELECT = `SELECT p.id, p.contact_id, p.purpose, p.purpose_id, p.label, p.method, p.provider, p.status, p.amount_cents, p.fee_cents,
                       p.net_cents, p.refunded_cents, p.currency, p.paid_on::text AS paid_on, p.available_on::text AS available_on,
                       p.checkout_session_id, p.payment_intent_id, p.charge_id, p.balance_transaction_id, p.livemode, p.entry_id, p.created_at,
                       p.reference, p.cheque_bank, p.cheque_drawer, p.deposit_id, p.subscription_id,
                       CASE WHEN d.id IS NULL THEN NULL ELSE 'REM-' || d.year || '-' || lpad(d.number::text, 3, '0') END AS deposit_reference,
                       CASE WHEN c.id IS NULL THEN NULL
                            WHEN c.kind = 'organization' THEN c.organization_name
                            ELSE trim(concat_ws(' ', c.first_name, c.last_name)) END AS contact_name
                  FROM payments p
                  LEFT JOIN contacts c ON c.organization_id = p.organization_id AND c.id = p.contact_id
                  LEFT JOIN cheque_deposits d ON d.organization_id = p.organization_id AND d.id = p.deposit_id`;

/**
 * Payments: recorded with their purpose as a reference; every change of status goes through
 * `nextPaymentStatus` (forward only), is written to the history, and — on success — posts the
 * balanced entry in the same transaction. The owning domain reacts through its handler.
 */
@Injectable()
export class PaymentsService implements OnModuleInit {
  private readonly handlers = new Map<PaymentPurpose, PaymentPurposeHandler>();
  private received: ReceivedListener | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly contacts: ContactsService,
    private readonly privacy: PrivacyService,
    private readonly audit: AuditService,
    private readonly live: LiveEventsPort,
    private readonly notices: PaymentNoticesService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.contacts.registerMergeParticipant({
      name: 'payments',
      moveReferences: async (ctx, from, to, m) => {
        const [{ n }] = await m.query<{ n: number }[]>(
          `WITH moved AS (UPDATE payments SET contact_id = $3, updated_at = now() WHERE organization_id = $1 AND contact_id = $2 RETURNING 1)
           SELECT count(*)::int AS n FROM moved`,
          [ctx.organizationId, from, to],
        );
        return n;
      },
    });
    this.privacy.registerContributor({
      name: 'payments',
      collect: async (ctx, contactId) => {
        const page = await this.list(ctx, { contactId, limit: 200, offset: 0 });
        if (page.items.length === 0) return [];
        return [
          {
            title: 'Paiements',
            rows: page.items.map((p): [string, string] => [
              `${p.paidOn ?? p.createdAt.slice(0, 10)} ${p.label}`,
              `${(p.amountCents / 100).toFixed(2).replace('.', ',')} ${p.currency}, ${p.status}${p.method ? ` (${p.method})` : ''}`,
            ]),
          },
        ];
      },
    });
  }

  registerPurpose(handler: PaymentPurposeHandler): void {
    this.handlers.set(handler.purpose, handler);
  }

  handler(purpose: PaymentPurpose): PaymentPurposeHandler | undefined {
    return this.handlers.get(purpose);
  }

  /** Settlements listens: a Stripe payment just recorded as received (see `ReceivedListener`). */
  onReceived(listener: ReceivedListener): void {
    this.received = listener;
  }

  /** A payment asked for (before Checkout), inside the caller's transaction. */
  async createPending(
    ctx: OrgContext,
    input: NewPaymentInput,
    m: EntityManager,
    stripe: {
      stripeInvoiceId?: string;
      subscriptionId?: string;
      cause?: string;
      /** A transfer the payer announced (manual provider, paid with a structured reference). */
      expectedTransfer?: boolean;
    } = {},
  ): Promise<PaymentEntity> {
    if (!Number.isInteger(input.amountCents) || input.amountCents <= 0)
      throw DomainError.invalid(
        'payments.amount_invalid',
        'A payment is a positive amount',
        'amount',
      );
    const now = this.clock.now();
    const id = newId();
    const row = m.getRepository(PaymentEntity).create({
      id,
      organizationId: ctx.organizationId,
      contactId: input.contactId,
      purpose: input.purpose,
      purposeId: input.purposeId,
      label: input.label.slice(0, 200),
      method: stripe.expectedTransfer ? 'transfer' : input.method,
      provider: stripe.expectedTransfer ? 'manual' : 'stripe',
      status: 'pending',
      amountCents: String(input.amountCents),
      feeCents: null,
      netCents: null,
      refundedCents: '0',
      currency: input.currency,
      paidOn: null,
      availableOn: null,
      revenueRole: input.revenueRole,
      revenueAccount: input.revenueAccount,
      analytic: input.analytic ?? null,
      checkoutSessionId: null,
      paymentIntentId: null,
      chargeId: null,
      balanceTransactionId: null,
      livemode: null,
      stripeInvoiceId: stripe.stripeInvoiceId ?? null,
      subscriptionId: stripe.subscriptionId ?? null,
      reference: stripe.expectedTransfer ? paymentReference(id) : null,
      chequeBank: null,
      chequeDrawer: null,
      depositId: null,
      entryId: null,
      locale: input.locale,
      createdAt: now,
      updatedAt: now,
    });
    await m.getRepository(PaymentEntity).insert(row);
    await this.history(ctx, m, row.id, 'pending', stripe.cause ?? 'checkout', null);
    await this.audit.record(
      ctx,
      {
        action: 'payment.created',
        entityType: 'payment',
        entityId: row.id,
        after: {
          purpose: row.purpose,
          purposeId: row.purposeId,
          amountCents: input.amountCents,
          currency: row.currency,
        },
      },
      m,
    );
    return row;
  }

  /**
   * Money received at the desk (cheque, cash, transfer): recorded as received and posted at once,
   * in the caller's transaction. A cheque waits in 5112 until a deposit slip takes it to the bank.
   */
  async recordManual(
    ctx: OrgContext,
    input: ManualRecord,
    m: EntityManager,
  ): Promise<{ payment: PaymentEntity; posted: PostResult }> {
    if (!Number.isInteger(input.amountCents) || input.amountCents <= 0)
      throw DomainError.invalid(
        'payments.amount_invalid',
        'A payment is a positive amount',
        'amount',
      );
    const now = this.clock.now();
    const id = newId();
    const contact = input.contactId
      ? (await this.contacts.getMany(ctx, [input.contactId], m))[0]
      : undefined;
    if (input.contactId && !contact)
      throw DomainError.invalid('contacts.not_found', 'No such contact', 'contactId');
    const revenue = {
      revenue: input.revenueRole,
      revenueAccount: input.revenueAccount ?? undefined,
    };
    const posted = await this.ledger.postEvent(
      ctx,
      {
        event:
          input.method === 'cheque'
            ? { kind: 'cheque_received', amountCents: input.amountCents, ...revenue }
            : input.method === 'cash'
              ? { kind: 'cash_received', amountCents: input.amountCents, ...revenue }
              : { kind: 'transfer_received', amountCents: input.amountCents, ...revenue },
        date: input.receivedOn,
        label: `${input.label}${contact ? ` - ${displayName(contact)}` : ''}`.slice(0, 200),
        source: input.source ?? `payment:${id}`,
        pieceRef: input.reference?.slice(0, 50) ?? null,
        counterpartyRef: contact ? contactReference(contact.number) : null,
        counterpartyLabel: contact ? displayName(contact) : null,
        analytic: input.analytic ?? null,
      },
      m,
    );
    const row = m.getRepository(PaymentEntity).create({
      id,
      organizationId: ctx.organizationId,
      contactId: input.contactId,
      purpose: input.purpose,
      purposeId: input.purposeId,
      label: input.label.slice(0, 200),
      method: input.method,
      provider: 'manual',
      status: 'succeeded',
      amountCents: String(input.amountCents),
      feeCents: null,
      netCents: null,
      refundedCents: '0',
      currency: input.currency,
      paidOn: input.receivedOn,
      availableOn: null,
      revenueRole: input.revenueRole,
      revenueAccount: input.revenueAccount ?? null,
      analytic: input.analytic ?? null,
      checkoutSessionId: null,
      paymentIntentId: null,
      chargeId: null,
      balanceTransactionId: null,
      livemode: null,
      stripeInvoiceId: null,
      subscriptionId: null,
      reference: input.reference ?? null,
      chequeBank: input.chequeBank ?? null,
      chequeDrawer: input.chequeDrawer ?? null,
      depositId: null,
      entryId: posted.entryId,
      locale: 'fr',
      createdAt: now,
      updatedAt: now,
    });
    await m.getRepository(PaymentEntity).insert(row);
    await this.history(ctx, m, id, 'succeeded', 'staff', null);
    await this.audit.record(
      ctx,
      {
        action: 'payment.recorded',
        entityType: 'payment',
        entityId: id,
        after: {
          method: input.method,
          amountCents: input.amountCents,
          receivedOn: input.receivedOn,
          purpose: input.purpose,
          purposeId: input.purposeId,
          entryId: posted.entryId,
        },
      },
      m,
    );
    return { payment: row, posted };
  }

  /** A payment at the desk that belongs to no membership (a sale, a contribution...). */
  async createManual(ctx: OrgContext, input: ManualPaymentInput): Promise<PaymentView> {
    const { payment, posted } = await this.dataSource.transaction(async (m) => {
      if (input.contactId) await this.contacts.lockLive(ctx, input.contactId, m);
      const org = await m.query<{ currency: string }[]>(
        'SELECT currency FROM organizations WHERE id = $1',
        [ctx.organizationId],
      );
      return this.recordManual(
        ctx,
        {
          contactId: input.contactId ?? null,
          purpose: 'other',
          purposeId: null,
          label: input.label,
          amountCents: input.amount,
          currency: org[0]?.currency ?? 'EUR',
          method: input.method,
          receivedOn: input.receivedOn,
          reference:
            input.method === 'cheque'
              ? (input.chequeNumber ?? input.reference ?? null)
              : (input.reference ?? null),
          chequeBank: input.method === 'cheque' ? (input.chequeBank ?? null) : null,
          chequeDrawer: input.method === 'cheque' ? (input.chequeDrawer ?? null) : null,
          revenueRole: 'services_revenue',
          revenueAccount: input.revenueAccount ?? null,
        },
        m,
      );
    });
    if (posted.created) await this.ledger.publishPosted(ctx, posted.entryId, posted.number);
    return this.get(ctx, payment.id);
  }

  async setCheckoutSession(
    ctx: OrgContext,
    paymentId: string,
    sessionId: string,
    livemode: boolean,
  ): Promise<void> {
    await this.dataSource
      .getRepository(PaymentEntity)
      .update(
        { organizationId: ctx.organizationId, id: paymentId },
        { checkoutSessionId: sessionId, livemode, updatedAt: this.clock.now() },
      );
  }

  /** The payment a Stripe object points at: by our id, else by the Stripe ids already recorded. */
  async findForStripe(
    ctx: OrgContext,
    ids: {
      paymentId?: string | null;
      checkoutSessionId?: string | null;
      paymentIntentId?: string | null;
      chargeId?: string | null;
    },
    /** The caller's transaction: never ask the pool for a second connection while in one. */
    m: EntityManager = this.dataSource.manager,
  ): Promise<PaymentEntity | null> {
    const repo = m.getRepository(PaymentEntity);
    const where = [
      ids.paymentId && isUuid(ids.paymentId)
        ? { organizationId: ctx.organizationId, id: ids.paymentId }
        : null,
      ids.checkoutSessionId
        ? { organizationId: ctx.organizationId, checkoutSessionId: ids.checkoutSessionId }
        : null,
      ids.paymentIntentId
        ? { organizationId: ctx.organizationId, paymentIntentId: ids.paymentIntentId }
        : null,
      ids.chargeId ? { organizationId: ctx.organizationId, chargeId: ids.chargeId } : null,
    ].filter((w): w is NonNullable<typeof w> => w !== null);
    for (const w of where) {
      const found = await repo.findOne({ where: w });
      if (found) return found;
    }
    return null;
  }

  /**
   * Applies what the provider says, in the caller's transaction (the event is marked processed
   * in the same one). Replays and stale observations change nothing.
   */
  async applyObservation(
    ctx: OrgContext,
    paymentId: string,
    obs: PaymentObservation,
    cause: string,
    m: EntityManager,
  ): Promise<AfterCommit[]> {
    const [locked] = await m.query<{ id: string }[]>(
      'SELECT id FROM payments WHERE organization_id = $1 AND id = $2 FOR UPDATE',
      [ctx.organizationId, paymentId],
    );
    if (!locked) throw DomainError.notFound('payments.not_found', 'No such payment');
    const row = await m
      .getRepository(PaymentEntity)
      .findOneOrFail({ where: { organizationId: ctx.organizationId, id: paymentId } });
    const previous = row.status;
    const next = nextPaymentStatus(previous, obs.status);
    const changes: Partial<PaymentEntity> = {};
    if (obs.checkoutSessionId && !row.checkoutSessionId)
      changes.checkoutSessionId = obs.checkoutSessionId;
    if (obs.paymentIntentId && !row.paymentIntentId) changes.paymentIntentId = obs.paymentIntentId;
    if (obs.livemode !== null && row.livemode === null) changes.livemode = obs.livemode;
    if (obs.method && next) changes.method = obs.method;
    const after: AfterCommit[] = [];
    if (next === 'succeeded') {
      const s = obs.settlement;
      if (!s)
        throw new Error(`payment ${paymentId}: succeeded without its balance transaction yet`);
      if (s.grossCents !== Number(row.amountCents) || s.currency.toUpperCase() !== row.currency) {
        throw DomainError.conflict(
          'payments.amount_mismatch',
          `Stripe received ${s.grossCents} ${s.currency}, ${row.amountCents} ${row.currency} was asked`,
        );
      }
      Object.assign(changes, {
        chargeId: obs.chargeId ?? null,
        balanceTransactionId: s.balanceTransactionId,
        feeCents: String(s.feeCents),
        netCents: String(s.netCents),
        paidOn: s.paidOn,
        availableOn: s.availableOn,
      });
      // The contact first, then the books, as the desk does: the owner's handler locks the
      // contact after this posting, and the other order deadlocks with a gift or a membership
      // recorded at the desk for the same contact at the same moment.
      const contact = row.contactId
        ? ((await this.contacts.lock(ctx, row.contactId, m)) ?? undefined)
        : undefined;
      const posted = await this.ledger.postEvent(
        ctx,
        {
          event: {
            kind: 'card_payment',
            grossCents: s.grossCents,
            feeCents: s.feeCents,
            revenue: row.revenueRole,
            revenueAccount: row.revenueAccount ?? undefined,
          },
          date: s.paidOn,
          label: `${row.label}${contact ? ` - ${displayName(contact)}` : ''}`.slice(0, 200),
          source: `stripe:${obs.chargeId ?? obs.paymentIntentId ?? row.id}`,
          pieceRef: obs.chargeId ?? obs.paymentIntentId ?? null,
          counterpartyRef: contact ? contactReference(contact.number) : null,
          counterpartyLabel: contact ? displayName(contact) : null,
          analytic: row.analytic,
        },
        m,
      );
      changes.entryId = posted.entryId;
      if (posted.created)
        after.push(() => this.ledger.publishPosted(ctx, posted.entryId, posted.number));
    }
    if (next) changes.status = next;
    if (Object.keys(changes).length === 0) return after;
    changes.updatedAt = this.clock.now();
    await m
      .getRepository(PaymentEntity)
      .update({ organizationId: ctx.organizationId, id: paymentId }, changes);
    if (!next) return after;
    after.push(
      ...(await this.statusChanged(
        ctx,
        m,
        { ...row, ...changes },
        previous,
        cause,
        obs.note ?? null,
      )),
    );
    if (next === 'succeeded' && changes.chargeId && this.received)
      after.push(...(await this.received(ctx, { ...row, ...changes }, cause, m)));
    return after;
  }

  /**
   * After a payment's status was written (by an observation, a refund, a dispute): the history
   * row, the audit entry, the owning domain's reaction and the live event.
   */
  async statusChanged(
    ctx: OrgContext,
    m: EntityManager,
    updated: PaymentEntity,
    previous: PaymentStatus,
    cause: string,
    note: string | null,
  ): Promise<AfterCommit[]> {
    const after: AfterCommit[] = [];
    await this.history(ctx, m, updated.id, updated.status, cause, note);
    await this.audit.record(
      ctx,
      {
        action: `payment.${updated.status}`,
        entityType: 'payment',
        entityId: updated.id,
        before: { status: previous },
        after: {
          status: updated.status,
          cause,
          entryId: updated.entryId,
          refundedCents: Number(updated.refundedCents),
        },
      },
      m,
    );
    // The payer is not there to see it (a debit days later, a subscription billing): tell them.
    if (
      updated.status === 'failed' &&
      (previous === 'processing' ||
        updated.method === 'sepa_debit' ||
        updated.subscriptionId !== null)
    ) {
      after.push(...(await this.notices.paymentFailed(ctx, m, updated, note)));
    }
    const handler = this.handlers.get(updated.purpose);
    if (handler) {
      const reaction = await handler.onStatusChanged(ctx, snapshot(updated, previous), m);
      if (reaction) after.push(reaction);
    }
    const at = this.clock.now().toISOString();
    after.push(() =>
      this.live.publish({
        type: 'payment.status_changed',
        organizationId: ctx.organizationId,
        at,
        data: {
          paymentId: updated.id,
          status: updated.status,
          previousStatus: previous,
          purpose: updated.purpose,
          purposeId: updated.purposeId,
        },
      }),
    );
    return after;
  }

  /**
   * An announced transfer arrived (the reconciliation found its bank line): the payment is
   * received on that day, posted to the bank account it reached, and its owner reacts (the
   * membership becomes active, the gift gets its receipt). Only a pending transfer of the same
   * amount qualifies.
   */
  async confirmExpectedTransfer(
    ctx: OrgContext,
    paymentId: string,
    arrival: { receivedOn: string; bankAccount: string; amountCents: number; bankLabel: string },
    m: EntityManager,
  ): Promise<{ entryId: string; after: AfterCommit[] }> {
    const row = await this.lock(ctx, paymentId, m);
    if (row.provider !== 'manual' || row.method !== 'transfer' || row.status !== 'pending')
      throw new DomainError(
        'conflict',
        'payments.not_expected',
        'This payment is not a transfer waiting to arrive',
        {
          field: 'paymentId',
        },
      );
    if (Number(row.amountCents) !== arrival.amountCents)
      throw new DomainError(
        'invalid',
        'reconciliation.amounts_differ',
        `The bank line is ${arrival.amountCents} cents, the payment ${row.amountCents}`,
        { field: 'paymentId' },
      );
    const contact = row.contactId
      ? (await this.contacts.getMany(ctx, [row.contactId], m))[0]
      : undefined;
    const posted = await this.ledger.postEvent(
      ctx,
      {
        event: {
          kind: 'transfer_received',
          amountCents: arrival.amountCents,
          revenue: row.revenueRole,
          revenueAccount: row.revenueAccount ?? undefined,
          bankAccount: arrival.bankAccount,
        },
        date: arrival.receivedOn,
        label: `${row.label}${contact ? ` - ${displayName(contact)}` : ''}`.slice(0, 200),
        source: `payment:${row.id}`,
        pieceRef: row.reference?.slice(0, 50) ?? null,
        counterpartyRef: contact ? contactReference(contact.number) : null,
        counterpartyLabel: contact ? displayName(contact) : null,
        analytic: row.analytic,
      },
      m,
    );
    const changes: Partial<PaymentEntity> = {
      status: 'succeeded',
      paidOn: arrival.receivedOn,
      entryId: posted.entryId,
      updatedAt: this.clock.now(),
    };
    await m
      .getRepository(PaymentEntity)
      .update({ organizationId: ctx.organizationId, id: row.id }, changes);
    const after = await this.statusChanged(
      ctx,
      m,
      { ...row, ...changes },
      'pending',
      'bank-transfer',
      arrival.bankLabel.slice(0, 200),
    );
    if (posted.created)
      after.push(() => this.ledger.publishPosted(ctx, posted.entryId, posted.number));
    return { entryId: posted.entryId, after };
  }

  /** Transfers announced and not arrived yet: what the reconciliation looks for on bank lines. */
  async expectedTransfers(
    ctx: OrgContext,
    m: EntityManager,
  ): Promise<
    {
      id: string;
      label: string;
      amountCents: number;
      currency: string;
      reference: string | null;
      createdOn: string;
      contactName: string | null;
    }[]
  > {
    const rows = await m.query<
      {
        id: string;
        label: string;
        amount_cents: string;
        currency: string;
        reference: string | null;
        created_on: string;
        first_name: string | null;
        last_name: string | null;
        organization_name: string | null;
      }[]
    >(
      `SELECT p.id, p.label, p.amount_cents, p.currency, p.reference, (p.created_at AT TIME ZONE o.time_zone)::date::text AS created_on,
              c.first_name, c.last_name, c.organization_name
         FROM payments p
         JOIN organizations o ON o.id = p.organization_id
         LEFT JOIN contacts c ON c.organization_id = p.organization_id AND c.id = p.contact_id
        WHERE p.organization_id = $1 AND p.provider = 'manual' AND p.method = 'transfer' AND p.status = 'pending'
        ORDER BY p.created_at`,
      [ctx.organizationId],
    );
    return rows.map((r) => ({
      id: r.id,
      label: r.label,
      amountCents: Number(r.amount_cents),
      currency: r.currency.trim(),
      reference: r.reference,
      createdOn: r.created_on,
      contactName:
        r.organization_name ?? ([r.first_name, r.last_name].filter(Boolean).join(' ') || null),
    }));
  }

  /** Locks and reloads a payment inside a transaction. */
  async lock(ctx: OrgContext, id: string, m: EntityManager): Promise<PaymentEntity> {
    const [locked] = await m.query<{ id: string }[]>(
      'SELECT id FROM payments WHERE organization_id = $1 AND id = $2 FOR UPDATE',
      [ctx.organizationId, id],
    );
    if (!locked) throw DomainError.notFound('payments.not_found', 'No such payment');
    return m
      .getRepository(PaymentEntity)
      .findOneOrFail({ where: { organizationId: ctx.organizationId, id } });
  }

  async get(ctx: OrgContext, id: string): Promise<PaymentView> {
    const [row] = await this.dataSource.query<Row[]>(
      `${SELECT} WHERE p.organization_id = $1 AND p.id = $2`,
      [ctx.organizationId, id],
    );
    if (!row) throw DomainError.notFound('payments.not_found', 'No such payment');
    const [view] = await this.views(ctx, [row]);
    return view;
  }

  async list(ctx: OrgContext, query: ListPaymentsQuery): Promise<Page<PaymentView>> {
    const where = ['p.organization_id = $1'];
    const params: unknown[] = [ctx.organizationId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.status) add('p.status = ?', query.status);
    if (query.purpose) add('p.purpose = ?', query.purpose);
    if (query.provider) add('p.provider = ?', query.provider);
    if (query.contactId) add('p.contact_id = ?', query.contactId);
    if (query.method) add('p.method = ?', query.method);
    if (query.undeposited !== undefined) {
      where.push(
        query.undeposited
          ? "p.method = 'cheque' AND p.provider = 'manual' AND p.deposit_id IS NULL AND p.status = 'succeeded'"
          : 'p.deposit_id IS NOT NULL',
      );
    }
    if (query.from) add('coalesce(p.paid_on, p.created_at::date) >= ?::date', query.from);
    if (query.to) add('coalesce(p.paid_on, p.created_at::date) <= ?::date', query.to);
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM payments p WHERE ${where.join(' AND ')}`,
      params,
    );
    const rows = await this.dataSource.query<Row[]>(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY p.created_at DESC, p.id DESC LIMIT ${query.limit} OFFSET ${query.offset}`,
      params,
    );
    return { items: await this.views(ctx, rows), total, limit: query.limit, offset: query.offset };
  }

  private async views(ctx: OrgContext, rows: Row[]): Promise<PaymentView[]> {
    if (rows.length === 0) return [];
    const history = await this.dataSource.query<
      { payment_id: string; status: PaymentStatus; cause: string; note: string | null; at: Date }[]
    >(
      'SELECT payment_id, status, cause, note, at FROM payment_status_changes WHERE organization_id = $1 AND payment_id = ANY($2::uuid[]) ORDER BY seq',
      [ctx.organizationId, rows.map((r) => r.id)],
    );
    const ids = rows.map((r) => r.id);
    const refunds = await this.dataSource.query<
      {
        id: string;
        payment_id: string;
        amount_cents: string;
        currency: string;
        status: RefundView['status'];
        reason: string | null;
        refunded_on: string | null;
        stripe_refund_id: string | null;
        entry_id: string | null;
        created_at: Date;
      }[]
    >(
      `SELECT id, payment_id, amount_cents, currency, status, reason, refunded_on::text AS refunded_on, stripe_refund_id, entry_id, created_at
         FROM payment_refunds WHERE organization_id = $1 AND payment_id = ANY($2::uuid[]) ORDER BY created_at, id`,
      [ctx.organizationId, ids],
    );
    const disputes = await this.dataSource.query<
      {
        id: string;
        payment_id: string;
        stripe_dispute_id: string;
        amount_cents: string;
        fee_cents: string;
        currency: string;
        status: string;
        reason: string | null;
        created_at: Date;
      }[]
    >(
      `SELECT id, payment_id, stripe_dispute_id, amount_cents, fee_cents, currency, status, reason, created_at
         FROM payment_disputes WHERE organization_id = $1 AND payment_id = ANY($2::uuid[]) ORDER BY created_at, id`,
      [ctx.organizationId, ids],
    );
    return rows.map((r) => ({
      refunds: refunds
        .filter((x) => x.payment_id === r.id)
        .map((x): RefundView => ({
          id: x.id,
          amountCents: Number(x.amount_cents),
          currency: x.currency,
          status: x.status,
          reason: x.reason,
          refundedOn: x.refunded_on,
          stripeRefundId: x.stripe_refund_id,
          entryId: x.entry_id,
          createdAt: x.created_at.toISOString(),
        })),
      disputes: disputes
        .filter((x) => x.payment_id === r.id)
        .map((x): DisputeView => ({
          id: x.id,
          stripeDisputeId: x.stripe_dispute_id,
          amountCents: Number(x.amount_cents),
          feeCents: Number(x.fee_cents),
          currency: x.currency,
          status: x.status,
          reason: x.reason,
          createdAt: x.created_at.toISOString(),
        })),
      refundableCents:
        r.status === 'succeeded' || r.status === 'partially_refunded'
          ? Number(r.amount_cents) -
            refunds
              .filter(
                (x) =>
                  x.payment_id === r.id && (x.status === 'succeeded' || x.status === 'pending'),
              )
              .reduce((sum, x) => sum + Number(x.amount_cents), 0)
          : 0,
      id: r.id,
      contactId: r.contact_id,
      contactName: r.contact_name,
      purpose: r.purpose,
      purposeId: r.purpose_id,
      label: r.label,
      method: r.method,
      provider: r.provider,
      status: r.status,
      amountCents: Number(r.amount_cents),
      feeCents: r.fee_cents === null ? null : Number(r.fee_cents),
      netCents: r.net_cents === null ? null : Number(r.net_cents),
      refundedCents: Number(r.refunded_cents),
      currency: r.currency,
      paidOn: r.paid_on,
      availableOn: r.available_on,
      stripe:
        r.provider === 'stripe'
          ? {
              checkoutSessionId: r.checkout_session_id,
              paymentIntentId: r.payment_intent_id,
              chargeId: r.charge_id,
              balanceTransactionId: r.balance_transaction_id,
              livemode: r.livemode,
            }
          : null,
      entryId: r.entry_id,
      createdAt: r.created_at.toISOString(),
      reference: r.reference,
      cheque:
        r.method === 'cheque'
          ? {
              number: r.reference,
              bank: r.cheque_bank,
              drawer: r.cheque_drawer,
              depositId: r.deposit_id,
              depositReference: r.deposit_reference,
            }
          : null,
      subscriptionId: r.subscription_id,
      history: history
        .filter((h) => h.payment_id === r.id)
        .map((h) => ({ status: h.status, cause: h.cause, note: h.note, at: h.at.toISOString() })),
    }));
  }

  private async history(
    ctx: OrgContext,
    m: EntityManager,
    paymentId: string,
    status: PaymentStatus,
    cause: string,
    note: string | null,
  ): Promise<void> {
    await m.getRepository(PaymentStatusChangeEntity).insert({
      id: newId(),
      organizationId: ctx.organizationId,
      paymentId,
      status,
      cause: cause.slice(0, 255),
      note: note?.slice(0, 500) ?? null,
      at: this.clock.now(),
    });
  }
}

function snapshot(p: PaymentEntity, previous: PaymentStatus): PaymentSnapshot {
  return {
    id: p.id,
    purpose: p.purpose,
    purposeId: p.purposeId,
    contactId: p.contactId,
    status: p.status,
    previousStatus: previous,
    method: p.method,
    amountCents: Number(p.amountCents),
    refundedCents: Number(p.refundedCents),
    currency: p.currency,
    paidOn: p.paidOn,
    entryId: p.entryId,
    reference: p.chargeId ?? p.paymentIntentId,
    locale: p.locale,
  };
}
