import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, isUuid, newId, type OrgContext } from '@ruche/core';
import { APP_CONFIG, Clock, type AppConfig } from '@ruche/platform';
import { PaymentEntity } from '../entities/payment.entity';
import { PaymentSubscriptionEntity } from '../entities/subscription.entity';
import { dayOfUnix } from '../domain/payment-status';
import { idOf } from '../domain/stripe-ids';
import { organizationTimeZone } from './time-zone';
import { StripeGateway, type StripeKeys } from '../stripe/stripe-gateway';
import { StripeAccountsService } from './stripe-accounts.service';
import { PaymentsService, type PaymentObservation } from './payments.service';
import type { AfterCommit } from './payment-purposes';

/** Where the invoice says its subscription is: `parent.subscription_details` (2025+) or `subscription` (older). */
export function subscriptionOfInvoice(invoice: Record<string, unknown>): string | null {
  const parent = invoice['parent'] as
    | { subscription_details?: { subscription?: string | { id: string } | null } | null }
    | null
    | undefined;
  return idOf(
    parent?.subscription_details?.subscription ??
      (invoice['subscription'] as string | { id: string } | null | undefined),
  );
}

/** The PaymentIntent that paid an invoice: `payments[]` (2025+) or `payment_intent` (older). */
export function paymentIntentOfInvoice(invoice: Record<string, unknown>): string | null {
  const payments = invoice['payments'] as
    { data?: { payment?: { payment_intent?: string | { id: string } | null } }[] } | undefined;
  const fromPayments = payments?.data
    ?.map((p) => idOf(p.payment?.payment_intent))
    .find((id) => id !== null);
  return (
    fromPayments ?? idOf(invoice['payment_intent'] as string | { id: string } | null | undefined)
  );
}

/** The first day an invoice covers: its subscription line's period (else the invoice's own). */
function periodStartOf(invoice: Stripe.Invoice): number {
  const line = invoice.lines?.data?.[0] as { period?: { start?: number } } | undefined;
  return line?.period?.start ?? invoice.period_start;
}

/**
 * Subscriptions: a plan renewed automatically. Each invoice of the subscription becomes one
 * payment; the first one is the payment asked at Checkout, the next ones are created when Stripe
 * bills, for what the owning domain says (a membership's renewal). Read from Stripe's current
 * state, so events in any order give the same result.
 */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly gateway: StripeGateway,
    private readonly accounts: StripeAccountsService,
    private readonly payments: PaymentsService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The subscription as Stripe has it now, recorded (created from its metadata the first time). */
  async syncSubscription(
    ctx: OrgContext,
    keys: StripeKeys,
    subscriptionId: string,
    m: EntityManager,
  ): Promise<PaymentSubscriptionEntity | null> {
    const sub = await this.gateway.subscription(keys, subscriptionId);
    if (sub.metadata?.['organizationId'] && sub.metadata['organizationId'] !== ctx.organizationId)
      return null;
    const timeZone = await organizationTimeZone(m, ctx.organizationId);
    const item = sub.items?.data?.[0] as
      (Stripe.SubscriptionItem & { current_period_end?: number }) | undefined;
    const periodEnd =
      item?.current_period_end ??
      (sub as unknown as { current_period_end?: number }).current_period_end ??
      null;
    const repo = m.getRepository(PaymentSubscriptionEntity);
    const now = this.clock.now();
    const existing = await repo.findOne({
      where: { organizationId: ctx.organizationId, stripeSubscriptionId: sub.id },
    });
    const changes = {
      status: sub.status,
      cancelAtPeriodEnd: sub.cancel_at_period_end ?? false,
      currentPeriodEnd: periodEnd ? dayOfUnix(periodEnd, timeZone) : null,
      canceledAt: sub.canceled_at ? new Date(sub.canceled_at * 1000) : null,
      stripeCustomerId: idOf(sub.customer),
      updatedAt: now,
    };
    if (existing) {
      await repo.update({ organizationId: ctx.organizationId, id: existing.id }, changes);
      return { ...existing, ...changes };
    }
    const contactId = sub.metadata?.['contactId'];
    const purposeRef = sub.metadata?.['purposeRef'];
    const interval = item?.price?.recurring?.interval === 'month' ? 'month' : 'year';
    const row: PaymentSubscriptionEntity = {
      id: newId(),
      organizationId: ctx.organizationId,
      stripeSubscriptionId: sub.id,
      contactId: contactId && isUuid(contactId) ? contactId : null,
      purpose:
        sub.metadata?.['purpose'] === 'donation'
          ? 'donation'
          : sub.metadata?.['purpose'] === 'membership'
            ? 'membership'
            : 'other',
      purposeRef: purposeRef && isUuid(purposeRef) ? purposeRef : null,
      interval,
      amountCents: String(item?.price?.unit_amount ?? 0),
      currency: (item?.price?.currency ?? 'eur').toUpperCase(),
      createdAt: now,
      ...changes,
    };
    await m.query(
      `INSERT INTO payment_subscriptions (id, organization_id, stripe_subscription_id, stripe_customer_id, contact_id, purpose, purpose_ref, interval, amount_cents, currency, status, cancel_at_period_end, current_period_end, canceled_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) ON CONFLICT (organization_id, stripe_subscription_id) DO NOTHING`,
      [
        row.id,
        row.organizationId,
        row.stripeSubscriptionId,
        row.stripeCustomerId,
        row.contactId,
        row.purpose,
        row.purposeRef,
        row.interval,
        row.amountCents,
        row.currency,
        row.status,
        row.cancelAtPeriodEnd,
        row.currentPeriodEnd,
        row.canceledAt,
        now,
      ],
    );
    return repo.findOneOrFail({
      where: { organizationId: ctx.organizationId, stripeSubscriptionId: sub.id },
    });
  }

  /**
   * An invoice of a subscription (paid, failed, or the one of the Checkout): the payment it is —
   * created the first time for what the owning domain says — then its money as Stripe has it.
   */
  async syncInvoice(
    ctx: OrgContext,
    keys: StripeKeys,
    invoiceId: string,
    cause: string,
    observe: (paymentIntentId: string) => Promise<PaymentObservation>,
    m: EntityManager,
  ): Promise<AfterCommit[] | { ignored: string }> {
    const invoice = await this.gateway.invoice(keys, invoiceId);
    const subscriptionId = subscriptionOfInvoice(invoice as unknown as Record<string, unknown>);
    if (!subscriptionId) return { ignored: 'Not an invoice of a subscription' };
    const subscription = await this.syncSubscription(ctx, keys, subscriptionId, m);
    if (!subscription) return { ignored: 'A subscription of another organization' };
    if (invoice.amount_due <= 0) return { ignored: 'Nothing to pay on this invoice' };
    const after: AfterCommit[] = [];
    let payment = await m
      .getRepository(PaymentEntity)
      .findOne({ where: { organizationId: ctx.organizationId, stripeInvoiceId: invoiceId } });
    const stripeInvoiceId = invoice.id ?? invoiceId;
    if (!payment && invoice.billing_reason === 'subscription_create') {
      // The first invoice pays what was asked at Checkout.
      const sub = await this.gateway.subscription(keys, subscriptionId);
      const firstId = sub.metadata?.['paymentId'];
      const first =
        firstId && isUuid(firstId)
          ? await m
              .getRepository(PaymentEntity)
              .findOne({ where: { organizationId: ctx.organizationId, id: firstId } })
          : null;
      if (first) {
        await m
          .getRepository(PaymentEntity)
          .update(
            { organizationId: ctx.organizationId, id: first.id },
            { stripeInvoiceId, subscriptionId: subscription.id, updatedAt: this.clock.now() },
          );
        payment = { ...first, stripeInvoiceId, subscriptionId: subscription.id };
      }
    }
    if (!payment) {
      const handler = this.payments.handler(subscription.purpose);
      const next = handler?.nextPurpose
        ? await handler.nextPurpose(
            ctx,
            {
              contactId: subscription.contactId,
              purposeRef: subscription.purposeRef,
              periodStart: dayOfUnix(
                periodStartOf(invoice),
                await organizationTimeZone(m, ctx.organizationId),
              ),
              interval: subscription.interval,
            },
            m,
          )
        : null;
      if (next?.after) after.push(next.after);
      const created = await this.payments.createPending(
        ctx,
        {
          contactId: subscription.contactId,
          purpose: subscription.purpose,
          purposeId: next?.purposeId ?? null,
          label: next?.label ?? `Abonnement ${subscription.stripeSubscriptionId}`,
          amountCents: invoice.amount_due,
          currency: invoice.currency.toUpperCase(),
          method: null,
          revenueRole: next?.revenueRole ?? 'services_revenue',
          revenueAccount: next?.revenueAccount ?? null,
          locale: 'fr',
        },
        m,
        { stripeInvoiceId, subscriptionId: subscription.id, cause },
      );
      payment = created;
    }
    const paymentIntentId = paymentIntentOfInvoice(invoice as unknown as Record<string, unknown>);
    if (!paymentIntentId) return after;
    after.push(
      ...(await this.payments.applyObservation(
        ctx,
        payment.id,
        await observe(paymentIntentId),
        cause,
        m,
      )),
    );
    return after;
  }

  /** Stripe's customer portal for the subscriber of a contact (to update a card or a bank account). */
  async portalUrl(ctx: OrgContext, contactId: string, returnPath: string): Promise<string> {
    const keys = await this.accounts.keys(ctx.organizationId);
    if (!keys)
      throw DomainError.conflict(
        'payments.stripe_not_connected',
        'Online payment is not open for this association',
      );
    const sub = await this.dataSource.getRepository(PaymentSubscriptionEntity).findOne({
      where: { organizationId: ctx.organizationId, contactId },
      order: { createdAt: 'DESC' },
    });
    if (!sub?.stripeCustomerId)
      throw DomainError.notFound(
        'payments.subscription_not_found',
        'No automatic renewal for this member',
      );
    return this.gateway.billingPortal(
      keys,
      sub.stripeCustomerId,
      `${this.config.publicUrl}${returnPath}`,
    );
  }

  /** Whether the contact renews automatically (an active subscription). */
  async activeFor(ctx: OrgContext, contactId: string): Promise<PaymentSubscriptionEntity | null> {
    return this.dataSource
      .getRepository(PaymentSubscriptionEntity)
      .createQueryBuilder('s')
      .where('s.organization_id = :org AND s.contact_id = :contact', {
        org: ctx.organizationId,
        contact: contactId,
      })
      .andWhere("s.status IN ('active', 'trialing', 'past_due', 'incomplete')")
      .orderBy('s.created_at', 'DESC')
      .getOne();
  }
}
