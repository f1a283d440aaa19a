import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type Stripe from 'stripe';
import { DataSource, In, type EntityManager } from 'typeorm';
import { DomainError, isUuid, newId, type OrgContext } from '@ruche/core';
import type {
  ListPayoutsQuery,
  Page,
  PaymentStatus,
  PaymentView,
  PayoutView,
  RefundInput,
} from '@ruche/contracts';
import { AuditService, Clock, LOGGER } from '@ruche/platform';
import type { Logger } from 'pino';
import { LedgerService, type PostEventInput } from '@ruche/accounting';
import { PaymentEntity } from '../entities/payment.entity';
import {
  PaymentDisputeEntity,
  PaymentRefundEntity,
  PayoutEntity,
  PayoutItemEntity,
} from '../entities/settlement.entities';
import { SETTLED_STATUSES, dayOfUnix } from '../domain/payment-status';
import { idOf } from '../domain/stripe-ids';
import { organizationTimeZone } from './time-zone';
import { StripeGateway, type StripeKeys } from '../stripe/stripe-gateway';
import { StripeAccountsService } from './stripe-accounts.service';
import { PaymentsService } from './payments.service';
import type { AfterCommit } from './payment-purposes';
import type { TreasurerAlert } from '../emails/treasurer-alert.email';
import { PaymentNoticesService } from './payment-notices.service';
import { InvoicesService } from '../invoices/services/invoices.service';

/**
 * What happens to money after it arrived: refunds (from the admin or seen on Stripe), disputes
 * (withdrawn, reinstated, lost) and payouts to the bank. Every amount comes from Stripe's
 * balance transactions; every entry has a Stripe source, so applying twice posts once.
 */
@Injectable()
export class SettlementsService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: StripeAccountsService,
    private readonly gateway: StripeGateway,
    private readonly payments: PaymentsService,
    private readonly ledger: LedgerService,
    private readonly notices: PaymentNoticesService,
    private readonly audit: AuditService,
    private readonly invoices: InvoicesService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.payments.onReceived((ctx, payment, cause, m) =>
      this.settleReceived(ctx, payment, cause, m),
    );
  }

  /**
   * A Stripe payment was just recorded as received (in its transaction). Events can come in any
   * order: a refund or a dispute of the charge may have come first and waited (see `WAITING`).
   * Stripe's current state of the charge is read now and recorded with the payment; payout items
   * recorded before the payment are linked to it.
   */
  private async settleReceived(
    ctx: OrgContext,
    payment: PaymentEntity,
    cause: string,
    m: EntityManager,
  ): Promise<AfterCommit[]> {
    if (!payment.chargeId) return [];
    await this.linkPayoutItems(ctx, m, payment.id, payment.chargeId);
    // Read in this transaction: a second pooled connection, awaited while this one holds the
    // payment's and the fiscal year's locks, deadlocks the pool under load.
    const keys = await this.accounts.keys(ctx.organizationId, m);
    if (!keys) return [];
    await lockCharge(m, ctx, payment.chargeId);
    const charge = await this.gateway.charge(keys, payment.chargeId);
    const after: AfterCommit[] = [];
    const refunds = charge.refunds?.data ?? [];
    if (refunds.length > 0) {
      const timeZone = await organizationTimeZone(m, ctx.organizationId);
      for (const refund of refunds)
        after.push(...(await this.applyRefund(ctx, payment.id, refund, timeZone, cause, m)));
    }
    if (charge.disputed) {
      for (const dispute of await this.gateway.disputesOfCharge(keys, charge.id))
        after.push(...(await this.applyDispute(ctx, payment.id, dispute, cause, m)));
    }
    return after;
  }

  /** Payout items that name this Stripe object (charge, refund, dispute) now name its payment. */
  private async linkPayoutItems(
    ctx: OrgContext,
    m: EntityManager,
    paymentId: string,
    source: string,
  ): Promise<void> {
    await m.query(
      'UPDATE payout_items SET payment_id = $3 WHERE organization_id = $1 AND source = $2 AND payment_id IS NULL',
      [ctx.organizationId, source, paymentId],
    );
  }

  // ---- refunds ------------------------------------------------------------------------------

  /** A refund asked by staff: recorded first (its id is Stripe's idempotency key), then asked. */
  async refund(ctx: OrgContext, paymentId: string, input: RefundInput): Promise<PaymentView> {
    let offline: AfterCommit[] = [];
    const refundId = await this.dataSource.transaction(async (m): Promise<string | null> => {
      const payment = await this.payments.lock(ctx, paymentId, m);
      if (payment.status !== 'succeeded' && payment.status !== 'partially_refunded')
        throw DomainError.conflict(
          'payments.not_refundable',
          'Only a received payment can be refunded',
        );
      const [{ reserved }] = await m.query<{ reserved: string }[]>(
        `SELECT coalesce(sum(amount_cents), 0) AS reserved FROM payment_refunds WHERE organization_id = $1 AND payment_id = $2 AND status IN ('pending', 'succeeded')`,
        [ctx.organizationId, paymentId],
      );
      const left = Number(payment.amountCents) - Number(reserved);
      const amount = input.amount ?? left;
      if (amount <= 0 || amount > left)
        throw DomainError.invalid(
          'payments.refund_too_large',
          `At most ${(left / 100).toFixed(2)} ${payment.currency} can be refunded`,
          'amount',
        );
      const now = this.clock.now();
      if (payment.provider === 'manual') {
        // Money received at the desk goes back the same way: the refund is recorded and posted now.
        offline = await this.refundOffline(ctx, m, payment, amount, input.reason);
        return null;
      }
      const row: PaymentRefundEntity = {
        id: newId(),
        organizationId: ctx.organizationId,
        paymentId,
        stripeRefundId: null,
        amountCents: String(amount),
        currency: payment.currency,
        status: 'pending',
        reason: input.reason,
        refundedOn: null,
        entryId: null,
        requestedBy: ctx.userId,
        createdAt: now,
        updatedAt: now,
      };
      await m.getRepository(PaymentRefundEntity).insert(row);
      await this.audit.record(
        ctx,
        {
          action: 'payment.refund-requested',
          entityType: 'payment',
          entityId: paymentId,
          after: { refundId: row.id, amountCents: amount, reason: input.reason },
        },
        m,
      );
      return row.id;
    });
    if (refundId === null) {
      await this.run(offline);
      return this.payments.get(ctx, paymentId);
    }
    const keys = await this.keys(ctx);
    const payment = await this.dataSource
      .getRepository(PaymentEntity)
      .findOneOrFail({ where: { organizationId: ctx.organizationId, id: paymentId } });
    const row = await this.dataSource
      .getRepository(PaymentRefundEntity)
      .findOneOrFail({ where: { organizationId: ctx.organizationId, id: refundId } });
    let refund: Stripe.Refund;
    try {
      refund = await this.gateway.createRefund(
        keys,
        {
          payment_intent: payment.paymentIntentId ?? undefined,
          charge: payment.paymentIntentId ? undefined : (payment.chargeId ?? undefined),
          amount: Number(row.amountCents),
          reason: 'requested_by_customer',
          metadata: { organizationId: ctx.organizationId, paymentId, refundId },
        },
        `refund:${refundId}`,
      );
    } catch (error) {
      if (!(error instanceof DomainError && error.kind === 'unavailable')) {
        await this.dataSource
          .getRepository(PaymentRefundEntity)
          .update(
            { organizationId: ctx.organizationId, id: refundId },
            { status: 'failed', updatedAt: this.clock.now() },
          );
      }
      throw error;
    }
    const timeZone = await organizationTimeZone(this.dataSource, ctx.organizationId);
    const after = await this.dataSource.transaction((m) =>
      this.applyRefund(ctx, payment.id, refund, timeZone, `refund:${refundId}`, m),
    );
    await this.run(after);
    return this.payments.get(ctx, paymentId);
  }

  private async refundOffline(
    ctx: OrgContext,
    m: EntityManager,
    payment: PaymentEntity,
    amount: number,
    reason: string,
  ): Promise<AfterCommit[]> {
    const today = dayOfUnix(
      Math.floor(this.clock.now().getTime() / 1000),
      await organizationTimeZone(m, ctx.organizationId),
    );
    const id = newId();
    const posted = await this.ledger.postEvent(
      ctx,
      {
        event: {
          kind: 'offline_refund',
          amountCents: amount,
          via: payment.method === 'cash' ? 'cash' : 'bank',
          revenue: payment.revenueRole,
          revenueAccount: payment.revenueAccount ?? undefined,
        },
        date: today,
        label: `Remboursement ${payment.label}`.slice(0, 200),
        source: `refund:${id}`,
        analytic: payment.analytic,
      },
      m,
    );
    const now = this.clock.now();
    await m.getRepository(PaymentRefundEntity).insert({
      id,
      organizationId: ctx.organizationId,
      paymentId: payment.id,
      stripeRefundId: null,
      amountCents: String(amount),
      currency: payment.currency,
      status: 'succeeded',
      reason,
      refundedOn: today,
      entryId: posted.entryId,
      requestedBy: ctx.userId,
      createdAt: now,
      updatedAt: now,
    });
    await this.audit.record(
      ctx,
      {
        action: 'payment.refunded-offline',
        entityType: 'payment',
        entityId: payment.id,
        after: { refundId: id, amountCents: amount, reason, entryId: posted.entryId },
      },
      m,
    );
    const after: AfterCommit[] = posted.created
      ? [() => this.ledger.publishPosted(ctx, posted.entryId, posted.number)]
      : [];
    after.push(...(await this.refreshRefunded(ctx, m, payment, `refund:${id}`, reason)));
    return after;
  }

  /** A charge's refunds as Stripe has them now (webhook `charge.refunded`, `refund.*`). */
  async syncRefunds(
    ctx: OrgContext,
    keys: StripeKeys,
    chargeId: string,
    cause: string,
    m: EntityManager,
  ): Promise<AfterCommit[] | { ignored: string }> {
    const charge = await this.gateway.charge(keys, chargeId);
    await lockCharge(m, ctx, charge.id);
    const payment = await this.payments.findForStripe(
      ctx,
      {
        chargeId: charge.id,
        paymentIntentId: idOf(charge.payment_intent),
        paymentId: charge.metadata?.['paymentId'],
      },
      m,
    );
    if (!payment) return { ignored: 'Not a payment recorded by Ruche (yet)' };
    if (!SETTLED_STATUSES.includes((await this.payments.lock(ctx, payment.id, m)).status))
      return { ignored: WAITING };
    const timeZone = await organizationTimeZone(m, ctx.organizationId);
    const after: AfterCommit[] = [];
    for (const refund of charge.refunds?.data ?? [])
      after.push(...(await this.applyRefund(ctx, payment.id, refund, timeZone, cause, m)));
    return after;
  }

  private async applyRefund(
    ctx: OrgContext,
    paymentId: string,
    refund: Stripe.Refund,
    timeZone: string,
    cause: string,
    m: EntityManager,
  ): Promise<AfterCommit[]> {
    const payment = await this.payments.lock(ctx, paymentId, m);
    const repo = m.getRepository(PaymentRefundEntity);
    const ourId = refund.metadata?.['refundId'];
    let row =
      (await repo.findOne({
        where: { organizationId: ctx.organizationId, stripeRefundId: refund.id },
      })) ??
      (ourId && isUuid(ourId)
        ? await repo.findOne({
            where: { organizationId: ctx.organizationId, id: ourId, paymentId },
          })
        : null);
    const now = this.clock.now();
    const status =
      (['pending', 'succeeded', 'failed', 'canceled'] as const).find((s) => s === refund.status) ??
      'pending';
    if (!row) {
      // Refunded from Stripe's dashboard: recorded here all the same.
      row = {
        id: newId(),
        organizationId: ctx.organizationId,
        paymentId,
        stripeRefundId: refund.id,
        amountCents: String(refund.amount),
        currency: payment.currency,
        status,
        reason: refund.reason ?? 'Stripe',
        refundedOn: null,
        entryId: null,
        requestedBy: null,
        createdAt: now,
        updatedAt: now,
      };
      await repo.insert(row);
    }
    await this.linkPayoutItems(ctx, m, paymentId, refund.id);
    const after: AfterCommit[] = [];
    if (status === 'succeeded' && !row.entryId) {
      const refundedOn = dayOfUnix(refund.created, timeZone);
      const posted = await this.ledger.postEvent(
        ctx,
        {
          event: {
            kind: 'card_refund',
            amountCents: refund.amount,
            revenue: payment.revenueRole,
            revenueAccount: payment.revenueAccount ?? undefined,
          },
          date: refundedOn,
          label: `Remboursement ${payment.label}`.slice(0, 200),
          source: `stripe:${refund.id}`,
          pieceRef: refund.id.slice(0, 50),
          analytic: payment.analytic,
        },
        m,
      );
      if (posted.created)
        after.push(() => this.ledger.publishPosted(ctx, posted.entryId, posted.number));
      row.entryId = posted.entryId;
      row.refundedOn = refundedOn;
    }
    await repo.update(
      { organizationId: ctx.organizationId, id: row.id },
      {
        stripeRefundId: refund.id,
        status: row.entryId ? 'succeeded' : status,
        entryId: row.entryId,
        refundedOn: row.refundedOn,
        updatedAt: now,
      },
    );
    after.push(...(await this.refreshRefunded(ctx, m, payment, cause, row.reason)));
    return after;
  }

  /** The refunded total and the status of a payment, after a refund changed (in its transaction). */
  private async refreshRefunded(
    ctx: OrgContext,
    m: EntityManager,
    payment: PaymentEntity,
    cause: string,
    reason: string | null,
  ): Promise<AfterCommit[]> {
    const after: AfterCommit[] = [];
    const paymentId = payment.id;
    const now = this.clock.now();
    const [{ refunded }] = await m.query<{ refunded: string }[]>(
      `SELECT coalesce(sum(amount_cents), 0) AS refunded FROM payment_refunds WHERE organization_id = $1 AND payment_id = $2 AND status = 'succeeded'`,
      [ctx.organizationId, paymentId],
    );
    const previous = payment.status;
    const total = Number(refunded);
    const next: PaymentStatus =
      payment.status === 'disputed'
        ? 'disputed'
        : total >= Number(payment.amountCents)
          ? 'refunded'
          : total > 0
            ? 'partially_refunded'
            : payment.status;
    if (total !== Number(payment.refundedCents) || next !== previous) {
      await m
        .getRepository(PaymentEntity)
        .update(
          { organizationId: ctx.organizationId, id: paymentId },
          { refundedCents: String(total), status: next, updatedAt: now },
        );
      if (next !== previous)
        after.push(
          ...(await this.payments.statusChanged(
            ctx,
            m,
            { ...payment, refundedCents: String(total), status: next },
            previous,
            cause,
            reason,
          )),
        );
    }
    // Each refund of an invoiced payment gets its credit note (once: a replay finds it issued).
    await this.invoices.creditRefunds(ctx, paymentId, m);
    return after;
  }

  // ---- disputes -----------------------------------------------------------------------------

  /** A dispute as Stripe has it now: money withdrawn, reinstated (won) or lost, each posted once. */
  async syncDispute(
    ctx: OrgContext,
    keys: StripeKeys,
    disputeId: string,
    cause: string,
    m: EntityManager,
  ): Promise<AfterCommit[] | { ignored: string }> {
    const dispute = await this.gateway.dispute(keys, disputeId);
    const chargeId = idOf(dispute.charge);
    if (chargeId) await lockCharge(m, ctx, chargeId);
    const payment = await this.payments.findForStripe(
      ctx,
      { chargeId, paymentIntentId: idOf(dispute.payment_intent) },
      m,
    );
    if (!payment) return { ignored: 'Not a payment recorded by Ruche (yet)' };
    if (!SETTLED_STATUSES.includes((await this.payments.lock(ctx, payment.id, m)).status))
      return { ignored: WAITING };
    return this.applyDispute(ctx, payment.id, dispute, cause, m);
  }

  /** A dispute of a received payment, as Stripe has it now. */
  private async applyDispute(
    ctx: OrgContext,
    paymentId: string,
    dispute: Stripe.Dispute,
    cause: string,
    m: EntityManager,
  ): Promise<AfterCommit[]> {
    const payment = await this.payments.lock(ctx, paymentId, m);
    const timeZone = await organizationTimeZone(m, ctx.organizationId);
    const repo = m.getRepository(PaymentDisputeEntity);
    const now = this.clock.now();
    const after: AfterCommit[] = [];
    let row = await repo.findOne({
      where: { organizationId: ctx.organizationId, stripeDisputeId: dispute.id },
    });
    const isNew = !row;
    const withdrawal = (dispute.balance_transactions ?? []).find(
      (bt) => bt.reporting_category === 'dispute' || bt.amount < 0,
    );
    const fee = withdrawal ? withdrawal.fee : 0;
    if (!row) {
      row = {
        id: newId(),
        organizationId: ctx.organizationId,
        paymentId: payment.id,
        stripeDisputeId: dispute.id,
        amountCents: String(dispute.amount),
        feeCents: String(fee),
        currency: payment.currency,
        status: dispute.status,
        reason: dispute.reason ?? null,
        createdAt: now,
        updatedAt: now,
      };
      await repo.insert(row);
    }
    await this.linkPayoutItems(ctx, m, payment.id, dispute.id);
    const contextLabel = `${payment.label} (${dispute.id})`;
    for (const bt of dispute.balance_transactions ?? []) {
      const withdrawn = bt.amount < 0;
      const input: PostEventInput = withdrawn
        ? {
            event: { kind: 'dispute_funds_withdrawn', amountCents: -bt.amount, feeCents: bt.fee },
            date: dayOfUnix(bt.created, timeZone),
            label: `Litige ${contextLabel}`.slice(0, 200),
            source: `stripe:${bt.id}`,
            pieceRef: dispute.id.slice(0, 50),
          }
        : {
            event: {
              kind: 'dispute_funds_reinstated',
              amountCents: bt.amount,
              feeReturnedCents: Math.max(0, -bt.fee),
            },
            date: dayOfUnix(bt.created, timeZone),
            label: `Litige gagné ${contextLabel}`.slice(0, 200),
            source: `stripe:${bt.id}`,
            pieceRef: dispute.id.slice(0, 50),
          };
      const posted = await this.ledger.postEvent(ctx, input, m);
      if (posted.created)
        after.push(() => this.ledger.publishPosted(ctx, posted.entryId, posted.number));
    }
    if (dispute.status === 'lost') {
      const posted = await this.ledger.postEvent(
        ctx,
        {
          event: {
            kind: 'dispute_lost',
            amountCents: dispute.amount,
            revenue: payment.revenueRole,
            revenueAccount: payment.revenueAccount ?? undefined,
          },
          date: dayOfUnix(Math.floor(now.getTime() / 1000), timeZone),
          label: `Litige perdu ${contextLabel}`.slice(0, 200),
          source: `stripe:${dispute.id}:lost`,
          pieceRef: dispute.id.slice(0, 50),
        },
        m,
      );
      if (posted.created)
        after.push(() => this.ledger.publishPosted(ctx, posted.entryId, posted.number));
    }
    const statusChanged = row.status !== dispute.status;
    await repo.update(
      { organizationId: ctx.organizationId, id: row.id },
      { status: dispute.status, feeCents: String(fee), updatedAt: now },
    );
    // A lost dispute credits the invoice of the payment, as a refund does (once: a replay finds it).
    if (dispute.status === 'lost') await this.invoices.creditRefunds(ctx, payment.id, m);
    const previous = payment.status;
    const next: PaymentStatus =
      dispute.status === 'won'
        ? Number(payment.refundedCents) > 0
          ? 'partially_refunded'
          : 'succeeded'
        : 'disputed';
    if (next !== previous) {
      await m
        .getRepository(PaymentEntity)
        .update(
          { organizationId: ctx.organizationId, id: payment.id },
          { status: next, updatedAt: now },
        );
      after.push(
        ...(await this.payments.statusChanged(
          ctx,
          m,
          { ...payment, status: next },
          previous,
          cause,
          `Stripe: ${dispute.status}`,
        )),
      );
    }
    if (isNew || statusChanged) {
      after.push(
        ...(await this.alertTreasurers(
          ctx,
          m,
          {
            kind: isNew ? 'dispute_opened' : 'dispute_updated',
            label: payment.label,
            amountCents: dispute.amount,
            currency: payment.currency,
            status: dispute.status,
            reference: dispute.id,
          },
          `dispute:${dispute.id}:${dispute.status}`,
        )),
      );
    }
    return after;
  }

  // ---- payouts ------------------------------------------------------------------------------

  /** A payout as Stripe has it now, with what it settles; posted to the bank once paid. */
  async syncPayout(
    ctx: OrgContext,
    keys: StripeKeys,
    payoutId: string,
    m: EntityManager,
  ): Promise<AfterCommit[]> {
    const payout = await this.gateway.payout(keys, payoutId);
    const items = payout.automatic
      ? (await this.gateway.payoutTransactions(keys, payout.id)).filter(
          (bt) => bt.type !== 'payout',
        )
      : [];
    const timeZone = await organizationTimeZone(m, ctx.organizationId);
    const repo = m.getRepository(PayoutEntity);
    const now = this.clock.now();
    const after: AfterCommit[] = [];
    await m.query(
      `INSERT INTO payouts (id, organization_id, stripe_payout_id, amount_cents, currency, status, arrival_date, statement_descriptor, items_net_cents, item_count, entry_id, reversal_entry_id, failure_message, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 0, NULL, NULL, NULL, $9, $9) ON CONFLICT (organization_id, stripe_payout_id) DO NOTHING`,
      [
        newId(),
        ctx.organizationId,
        payout.id,
        payout.amount,
        payout.currency.toUpperCase(),
        payout.status,
        dayOfUnix(payout.arrival_date, timeZone),
        payout.statement_descriptor ?? null,
        now,
      ],
    );
    const [{ id: rowId }] = await m.query<{ id: string }[]>(
      'SELECT id FROM payouts WHERE organization_id = $1 AND stripe_payout_id = $2 FOR UPDATE',
      [ctx.organizationId, payout.id],
    );
    const row = await repo.findOneOrFail({
      where: { organizationId: ctx.organizationId, id: rowId },
    });
    if (items.length > 0) {
      const sources = items.map((bt) => idOf(bt.source)).filter((s): s is string => s !== null);
      // Charges by their id; refunds and disputes by theirs: every item names its payment.
      const linked = await m.query<{ id: string; charge_id: string }[]>(
        `SELECT id, charge_id FROM payments WHERE organization_id = $1 AND charge_id = ANY($2::text[])
         UNION ALL
         SELECT payment_id, stripe_refund_id FROM payment_refunds WHERE organization_id = $1 AND stripe_refund_id = ANY($2::text[])
         UNION ALL
         SELECT payment_id, stripe_dispute_id FROM payment_disputes WHERE organization_id = $1 AND stripe_dispute_id = ANY($2::text[])`,
        [ctx.organizationId, sources],
      );
      const byCharge = new Map(linked.map((l) => [l.charge_id, l.id]));
      await m.getRepository(PayoutItemEntity).upsert(
        items.map((bt) => ({
          organizationId: ctx.organizationId,
          payoutId: row.id,
          balanceTransactionId: bt.id,
          type: bt.type,
          reportingCategory: bt.reporting_category,
          source: idOf(bt.source),
          amountCents: String(bt.amount),
          feeCents: String(bt.fee),
          netCents: String(bt.net),
          paymentId: byCharge.get(idOf(bt.source) ?? '') ?? null,
        })),
        ['organizationId', 'payoutId', 'balanceTransactionId'],
      );
      // Fees that belong to no payment (Stripe's monthly fees...) are posted here, once each.
      for (const bt of items.filter((x) => x.reporting_category === 'fee' && x.net < 0)) {
        const posted = await this.ledger.postEvent(
          ctx,
          {
            event: { kind: 'psp_fee', feeCents: -bt.net },
            date: dayOfUnix(bt.created, timeZone),
            label: `Frais Stripe ${bt.description ?? ''}`.trim().slice(0, 200),
            source: `stripe:${bt.id}`,
            pieceRef: bt.id.slice(0, 50),
          },
          m,
        );
        if (posted.created)
          after.push(() => this.ledger.publishPosted(ctx, posted.entryId, posted.number));
      }
    }
    const itemsNet = items.reduce((sum, bt) => sum + bt.net, 0);
    const changes: Partial<PayoutEntity> = {
      status: payout.status,
      itemCount: items.length,
      itemsNetCents: String(itemsNet),
      arrivalDate: dayOfUnix(payout.arrival_date, timeZone),
      updatedAt: now,
      failureMessage: payout.failure_message ?? null,
    };
    // A failed payout left the Stripe balance and came back (Stripe's history has both movements):
    // both are booked, whether its "paid" state was seen first or not (events come in any order).
    if ((payout.status === 'paid' || payout.status === 'failed') && !row.entryId) {
      const posted = await this.ledger.postEvent(
        ctx,
        {
          event: { kind: 'psp_payout', amountCents: payout.amount },
          date: changes.arrivalDate!,
          label: `Virement Stripe ${payout.statement_descriptor ?? payout.id}`.slice(0, 200),
          source: `stripe:${payout.id}`,
          pieceRef: payout.id.slice(0, 50),
        },
        m,
      );
      changes.entryId = posted.entryId;
      if (posted.created)
        after.push(() => this.ledger.publishPosted(ctx, posted.entryId, posted.number));
    }
    const entryId = changes.entryId ?? row.entryId;
    if (
      (payout.status === 'failed' || payout.status === 'canceled') &&
      entryId &&
      !row.reversalEntryId
    ) {
      const reversed = await this.ledger.reverseIn(ctx, m, entryId, {
        date: dayOfUnix(Math.floor(now.getTime() / 1000), timeZone),
        label: `Virement Stripe ${payout.id} rejeté`,
      });
      changes.reversalEntryId = reversed.entryId;
      if (reversed.created)
        after.push(() => this.ledger.publishPosted(ctx, reversed.entryId, reversed.number));
    }
    await repo.update({ organizationId: ctx.organizationId, id: row.id }, changes);
    if (payout.status === 'failed' && row.status !== 'failed') {
      after.push(
        ...(await this.alertTreasurers(
          ctx,
          m,
          {
            kind: 'payout_failed',
            label: `Virement ${payout.id}`,
            amountCents: payout.amount,
            currency: payout.currency.toUpperCase(),
            status: payout.failure_message ?? 'failed',
            reference: payout.id,
          },
          `payout-failed:${payout.id}`,
        )),
      );
    }
    if (items.length > 0 && itemsNet !== payout.amount) {
      this.logger.warn(
        { organizationId: ctx.organizationId, payout: payout.id, itemsNet, amount: payout.amount },
        'payout items do not add up',
      );
    }
    return after;
  }

  async listPayouts(ctx: OrgContext, query: ListPayoutsQuery): Promise<Page<PayoutView>> {
    const params: unknown[] = [ctx.organizationId];
    const where = ['organization_id = $1'];
    if (query.from) where.push(`arrival_date >= $${params.push(query.from)}`);
    if (query.to) where.push(`arrival_date <= $${params.push(query.to)}`);
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM payouts WHERE ${where.join(' AND ')}`,
      params,
    );
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM payouts WHERE ${where.join(' AND ')} ORDER BY arrival_date DESC, id DESC LIMIT ${query.limit} OFFSET ${query.offset}`,
      params,
    );
    return {
      items: await this.payoutViews(
        ctx,
        rows.map((r) => r.id),
      ),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  async getPayout(ctx: OrgContext, id: string): Promise<PayoutView> {
    const [view] = await this.payoutViews(ctx, [id]);
    if (!view) throw DomainError.notFound('payments.payout_not_found', 'No such payout');
    return view;
  }

  /** Payouts with their items, in the order of `ids`: two queries whatever the page size. */
  private async payoutViews(ctx: OrgContext, ids: string[]): Promise<PayoutView[]> {
    if (ids.length === 0) return [];
    const rows = await this.dataSource
      .getRepository(PayoutEntity)
      .find({ where: { organizationId: ctx.organizationId, id: In(ids) } });
    const items = await this.dataSource.query<
      {
        payout_id: string;
        balance_transaction_id: string;
        type: string;
        reporting_category: string;
        source: string | null;
        amount_cents: string;
        fee_cents: string;
        net_cents: string;
        payment_id: string | null;
        label: string | null;
      }[]
    >(
      `SELECT i.payout_id, i.balance_transaction_id, i.type, i.reporting_category, i.source, i.amount_cents, i.fee_cents, i.net_cents, i.payment_id, p.label
         FROM payout_items i LEFT JOIN payments p ON p.organization_id = i.organization_id AND p.id = i.payment_id
        WHERE i.organization_id = $1 AND i.payout_id = ANY($2::uuid[]) ORDER BY i.balance_transaction_id`,
      [ctx.organizationId, ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      if (!row) return [];
      return [
        {
          id: row.id,
          stripePayoutId: row.stripePayoutId,
          amountCents: Number(row.amountCents),
          currency: row.currency,
          status: row.status,
          arrivalDate: row.arrivalDate,
          statementDescriptor: row.statementDescriptor,
          itemCount: row.itemCount,
          itemsNetCents: Number(row.itemsNetCents),
          mismatch: row.itemCount > 0 && Number(row.itemsNetCents) !== Number(row.amountCents),
          entryId: row.entryId,
          reversalEntryId: row.reversalEntryId,
          failureMessage: row.failureMessage,
          items: items
            .filter((i) => i.payout_id === id)
            .map((i) => ({
              balanceTransactionId: i.balance_transaction_id,
              type: i.type,
              reportingCategory: i.reporting_category,
              source: i.source,
              amountCents: Number(i.amount_cents),
              feeCents: Number(i.fee_cents),
              netCents: Number(i.net_cents),
              paymentId: i.payment_id,
              paymentLabel: i.label,
            })),
        },
      ];
    });
  }

  // ---- helpers --------------------------------------------------------------------------------

  private alertTreasurers(
    ctx: OrgContext,
    m: EntityManager,
    alert: TreasurerAlert,
    key: string,
  ): Promise<AfterCommit[]> {
    return this.notices.alertTreasurers(ctx, m, alert, key);
  }

  private async keys(ctx: OrgContext): Promise<StripeKeys> {
    const keys = await this.accounts.keys(ctx.organizationId);
    if (!keys)
      throw DomainError.conflict('payments.stripe_not_connected', 'Stripe is not connected');
    return keys;
  }

  private async run(after: AfterCommit[]): Promise<void> {
    for (const task of after)
      await task().catch((err: unknown) => this.logger.error({ err }, 'after settlement'));
  }
}

/**
 * Why a refund or dispute event changes nothing yet: its payment is not recorded, or not as
 * received (its own events have not come, or not been processed: a subscription's payment is
 * created by its invoice's event). Recording the payment reads the charge's refunds and disputes
 * from Stripe (`settleReceived`), so nothing is lost.
 */
const WAITING =
  'The payment is not recorded as received yet: its refunds and disputes are recorded with it';

/**
 * Serializes, per charge, the transactions that record its payment, refunds and disputes (the
 * same key as the Stripe history backfill): whichever comes second sees what the first wrote.
 */
async function lockCharge(m: EntityManager, ctx: OrgContext, chargeId: string): Promise<void> {
  await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    `${ctx.organizationId}:${chargeId}`,
  ]);
}
