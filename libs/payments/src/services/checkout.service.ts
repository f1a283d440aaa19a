import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, type OrgContext } from '@ruche/core';
import type { OnlinePaymentMethod, PublicCheckoutStatusView } from '@ruche/contracts';
import { APP_CONFIG, type AppConfig } from '@ruche/platform';
import { PaymentEntity } from '../entities/payment.entity';
import { StripeGateway } from '../stripe/stripe-gateway';
import { StripeAccountsService } from './stripe-accounts.service';
import { PaymentsService } from './payments.service';

export interface CheckoutOptions {
  method: OnlinePaymentMethod;
  customerEmail: string | null;
  /** Where Stripe sends the payer back: `{CHECKOUT_SESSION_ID}` is filled by Stripe. */
  successPath: string;
  cancelPath: string;
  description?: string | null;
  /**
   * Renew automatically: a Stripe subscription billing the payment's amount each interval. The
   * first invoice is this payment; later ones become payments of what `purposeRef` buys again.
   */
  subscription?: { interval: 'year' | 'month'; purposeRef: string; contactId: string | null };
}

/** Stripe Checkout for a pending payment, in the organization's own Stripe account. */
@Injectable()
export class CheckoutService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: StripeAccountsService,
    private readonly gateway: StripeGateway,
    private readonly payments: PaymentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Opens the Checkout Session. The idempotency key is the payment id: a retried call gets the
   * same session from Stripe, never a second one.
   */
  async start(
    ctx: OrgContext,
    paymentId: string,
    options: CheckoutOptions,
  ): Promise<{ url: string; sessionId: string }> {
    const keys = await this.accounts.keys(ctx.organizationId);
    if (!keys)
      throw DomainError.conflict(
        'payments.stripe_not_connected',
        'Online payment is not open for this association',
      );
    const payment = await this.dataSource
      .getRepository(PaymentEntity)
      .findOne({ where: { organizationId: ctx.organizationId, id: paymentId } });
    if (!payment) throw DomainError.notFound('payments.not_found', 'No such payment');
    if (payment.status !== 'pending')
      throw DomainError.conflict('payments.not_pending', 'This payment is not waiting any more');
    const metadata = {
      organizationId: ctx.organizationId,
      paymentId: payment.id,
      purpose: payment.purpose,
      purposeId: payment.purposeId ?? '',
    };
    const productData = {
      name: payment.label,
      ...(options.description ? { description: options.description.slice(0, 500) } : {}),
    };
    const common = {
      client_reference_id: payment.id,
      customer_email: options.customerEmail ?? undefined,
      locale: payment.locale,
      payment_method_types: [options.method],
      metadata,
      success_url: `${this.config.publicUrl}${options.successPath}`,
      cancel_url: `${this.config.publicUrl}${options.cancelPath}`,
    };
    const sub = options.subscription;
    const session = await this.gateway.createCheckoutSession(
      keys,
      sub
        ? {
            ...common,
            mode: 'subscription',
            line_items: [
              {
                quantity: 1,
                price_data: {
                  currency: payment.currency.toLowerCase(),
                  unit_amount: Number(payment.amountCents),
                  recurring: { interval: sub.interval },
                  product_data: productData,
                },
              },
            ],
            subscription_data: {
              metadata: { ...metadata, purposeRef: sub.purposeRef, contactId: sub.contactId ?? '' },
              description: payment.label,
            },
          }
        : {
            ...common,
            mode: 'payment',
            line_items: [
              {
                quantity: 1,
                price_data: {
                  currency: payment.currency.toLowerCase(),
                  unit_amount: Number(payment.amountCents),
                  product_data: productData,
                },
              },
            ],
            payment_intent_data: { metadata, description: payment.label },
          },
      `checkout:${payment.id}`,
    );
    if (!session.url)
      throw DomainError.conflict(
        'payments.checkout_without_url',
        'Stripe did not give a payment page',
      );
    await this.payments.setCheckoutSession(ctx, payment.id, session.id, session.livemode);
    return { url: session.url, sessionId: session.id };
  }

  /** What the return page shows; the session id (unguessable) is the key. */
  async publicStatus(ctx: OrgContext, sessionId: string): Promise<PublicCheckoutStatusView> {
    const payment = await this.dataSource
      .getRepository(PaymentEntity)
      .findOne({ where: { organizationId: ctx.organizationId, checkoutSessionId: sessionId } });
    if (!payment) throw DomainError.notFound('payments.not_found', 'No such payment');
    return {
      status: payment.status,
      purpose: payment.purpose,
      label: payment.label,
      amountCents: Number(payment.amountCents),
      currency: payment.currency,
      method: payment.method,
    };
  }
}
