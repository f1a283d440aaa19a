import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { DomainError, isUuid, systemContext, type OrgContext } from '@ruche/core';
import {
  monthlyInstalments,
  type ContactMembershipView,
  type JoinInput,
  type JoinResultView,
  type OnlinePaymentMethod,
  type PublicJoinFormView,
  type PublicPlanView,
} from '@ruche/contracts';
import { OrganizationEntity } from '@ruche/organizations';
import {
  ContactEntity,
  ContactsService,
  CustomFieldsService,
  PrivacyService,
} from '@ruche/contacts';
import {
  CheckoutService,
  PaymentNoticesService,
  PaymentsService,
  StripeAccountsService,
} from '@ruche/payments';
import { BankStatementsService } from '@ruche/accounting';
import { MembershipPlanEntity } from '../entities/membership-plan.entity';
import { toPlanView } from './plans.service';
import { MembershipsService } from './memberships.service';
import { priceFor } from '../domain/pricing';

const METHODS: OnlinePaymentMethod[] = ['card', 'sepa_debit'];

/**
 * The public join page: choose a plan, give one's details and consents, pay with Stripe
 * Checkout. The contact, the pending membership and the pending payment are written in one
 * transaction; the membership becomes active when the payment succeeds (webhook).
 */
@Injectable()
export class JoinService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contacts: ContactsService,
    private readonly customFields: CustomFieldsService,
    private readonly privacy: PrivacyService,
    private readonly memberships: MembershipsService,
    private readonly payments: PaymentsService,
    private readonly checkout: CheckoutService,
    private readonly stripe: StripeAccountsService,
    private readonly notices: PaymentNoticesService,
    private readonly bank: BankStatementsService,
  ) {}

  async form(organizationId: string): Promise<PublicJoinFormView> {
    const { ctx, org } = await this.organization(organizationId);
    const mode = await this.stripe.mode(ctx.organizationId);
    const plans = await this.publicPlans(ctx);
    const fields = (await this.customFields.list(ctx)).filter((f) => f.active);
    const transfer = await this.bank.transferAccount(ctx.organizationId);
    return {
      organization: { id: org.id, name: org.name, email: org.email ?? null },
      onlinePayment: (mode !== null || transfer !== null) && plans.length > 0,
      mode,
      methods: mode ? METHODS : [],
      transfer: transfer
        ? { holder: transfer.holder, iban: transfer.iban, bic: transfer.bic }
        : null,
      plans,
      customFields: fields,
    };
  }

  async join(
    organizationId: string,
    input: JoinInput,
    meta: { ip?: string; requestId?: string } = {},
  ): Promise<JoinResultView> {
    const { org } = await this.organization(organizationId);
    const ctx: OrgContext = { ...systemContext(org.id, meta.requestId), ip: meta.ip };
    const byTransfer = input.method === 'transfer';
    const transferAccount = byTransfer ? await this.bank.transferAccount(ctx.organizationId) : null;
    if (byTransfer && !transferAccount)
      throw DomainError.invalid(
        'payments.transfer_not_offered',
        'This association does not take transfers online: choose another way to pay',
        'method',
      );
    if (!byTransfer && !(await this.stripe.mode(ctx.organizationId)))
      throw DomainError.conflict(
        'payments.stripe_not_connected',
        'Online payment is not open for this association',
      );
    const plan = await this.dataSource
      .getRepository(MembershipPlanEntity)
      .findOne({ where: { organizationId: ctx.organizationId, id: input.planId } });
    if (!plan || !plan.active || plan.household)
      throw DomainError.invalid(
        'memberships.plan_not_offered',
        'This plan cannot be taken online',
        'planId',
      );
    const price = priceFor(toPlanView(plan), input.tierCode, input.amount);
    if (price.amountCents === 0)
      throw DomainError.invalid(
        'memberships.amount_required',
        'A free membership is taken at the desk',
        'amount',
      );
    if (input.autoRenew && byTransfer)
      throw DomainError.invalid(
        'memberships.no_auto_renewal',
        'Automatic renewal needs a card or a SEPA debit',
        'autoRenew',
      );
    if (input.autoRenew && plan.subscription === 'none') {
      throw DomainError.invalid(
        'memberships.no_auto_renewal',
        'This plan does not renew automatically',
        'autoRenew',
      );
    }
    const interval = input.autoRenew ? (plan.subscription === 'monthly' ? 'month' : 'year') : null;
    const expected = await this.dataSource.transaction(async (m) => {
      const existing = await m.getRepository(ContactEntity).findOne({
        where: {
          organizationId: ctx.organizationId,
          email: input.email,
          mergedIntoId: IsNull(),
          erasedAt: IsNull(),
        },
        order: { createdAt: 'ASC' },
      });
      const contactId = existing
        ? existing.id
        : (
            await this.contacts.create(
              ctx,
              {
                kind: 'person',
                civility: input.civility ?? null,
                firstName: input.firstName,
                lastName: input.lastName,
                organizationName: null,
                siren: null,
                birthDate: input.birthDate ?? null,
                email: input.email,
                phone: input.phone ?? null,
                mobilePhone: null,
                addressLine1: input.addressLine1 ?? null,
                addressLine2: null,
                postalCode: input.postalCode ?? null,
                city: input.city ?? null,
                country: input.country,
                notes: null,
                locale: input.locale,
                customFields: input.customFields,
                tagIds: [],
                householdId: null,
                confirmNotDuplicate: true,
              },
              m,
            )
          ).contact.id;
      for (const [kind, granted] of [
        ['newsletter', input.newsletter],
        ['image_rights', input.imageRights],
      ] as const) {
        if (granted || existing)
          await this.privacy.recordConsent(ctx, contactId, { kind, granted, source: 'form' }, m);
      }
      // In monthly instalments the membership is worth the twelve instalments billed.
      const membership = await this.memberships.create(
        ctx,
        { contactId, planId: plan.id, tierCode: input.tierCode, amount: input.amount, note: null },
        'online',
        m,
        { monthlyInstalments: interval === 'month' },
      );
      if (byTransfer && transferAccount) {
        const payment = await this.createPayment(
          ctx,
          m,
          membership,
          plan,
          contactId,
          null,
          input.locale,
          null,
        );
        const after = await this.notices.transferInstructions(ctx, m, payment, transferAccount);
        return { paymentId: payment.id, contactId, payment, after };
      }
      const payment = await this.createPayment(
        ctx,
        m,
        membership,
        plan,
        contactId,
        input.method as OnlinePaymentMethod,
        input.locale,
        interval,
      );
      return { paymentId: payment.id, contactId, payment: null, after: [] };
    });
    if (byTransfer && transferAccount && expected.payment) {
      for (const task of expected.after) await task().catch(() => undefined);
      return {
        paymentId: expected.paymentId,
        checkoutUrl: null,
        transfer: {
          holder: transferAccount.holder,
          iban: transferAccount.iban,
          bic: transferAccount.bic,
          amountCents: Number(expected.payment.amountCents),
          currency: expected.payment.currency,
          reference: expected.payment.reference ?? '',
        },
      };
    }
    const { paymentId, contactId } = expected;
    const session = await this.checkout.start(ctx, paymentId, {
      method: input.method as OnlinePaymentMethod,
      customerEmail: input.email,
      successPath: `/adhesion/${org.id}/merci?session_id={CHECKOUT_SESSION_ID}`,
      cancelPath: `/adhesion/${org.id}?annule=1`,
      description: plan.description,
      ...(interval ? { subscription: { interval, purposeRef: plan.id, contactId } } : {}),
    });
    return { paymentId, checkoutUrl: session.url, transfer: null };
  }

  /**
   * A member pays, from the member space, a membership of theirs that waits for payment: a new
   * payment and its Checkout (an earlier unpaid Checkout simply expires at Stripe).
   */
  async payExisting(
    ctx: OrgContext,
    contactId: string,
    membershipId: string,
    method: OnlinePaymentMethod,
  ): Promise<JoinResultView> {
    if (!(await this.stripe.mode(ctx.organizationId)))
      throw DomainError.conflict(
        'payments.stripe_not_connected',
        'Online payment is not open for this association',
      );
    const { paymentId, email, description } = await this.dataSource.transaction(async (m) => {
      const contact = await this.contacts.lockLive(ctx, contactId, m);
      const membership = await this.memberships.get(ctx, membershipId, m).catch(() => null);
      if (
        !membership ||
        (membership.contactId !== contactId &&
          !(membership.householdId && membership.householdId === contact.householdId))
      ) {
        throw DomainError.notFound('memberships.not_found', 'No such membership');
      }
      if (membership.status !== 'pending_payment')
        throw DomainError.conflict(
          'memberships.not_payable',
          'This membership is not waiting for a payment',
        );
      if (membership.amountCents <= 0)
        throw DomainError.conflict('memberships.not_payable', 'Nothing to pay');
      const [{ n }] = await m.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM payments WHERE organization_id = $1 AND purpose = 'membership' AND purpose_id = $2 AND subscription_id IS NOT NULL`,
        [ctx.organizationId, membershipId],
      );
      // Stripe retries the subscription's invoice: a second, one-off payment would charge twice.
      if (n > 0)
        throw DomainError.conflict(
          'memberships.paid_by_subscription',
          'This renewal is paid by your automatic renewal: update your payment method instead',
        );
      const plan = await this.dataSource
        .getRepository(MembershipPlanEntity)
        .findOneOrFail({ where: { organizationId: ctx.organizationId, id: membership.planId } });
      const payment = await this.createPayment(
        ctx,
        m,
        membership,
        plan,
        contactId,
        method,
        contact.locale,
      );
      return { paymentId: payment.id, email: contact.email, description: plan.description };
    });
    const session = await this.checkout.start(ctx, paymentId, {
      method,
      customerEmail: email,
      successPath: `/adhesion/${ctx.organizationId}/merci?session_id={CHECKOUT_SESSION_ID}`,
      cancelPath: `/espace-membre/compte?annule=1`,
      description,
    });
    return { paymentId, checkoutUrl: session.url, transfer: null };
  }

  private async createPayment(
    ctx: OrgContext,
    m: EntityManager,
    membership: ContactMembershipView,
    plan: MembershipPlanEntity,
    contactId: string,
    /** null: a transfer the member makes with the reference given (no Stripe). */
    method: OnlinePaymentMethod | null,
    locale: 'fr' | 'en',
    interval: 'year' | 'month' | null = null,
  ) {
    // In monthly instalments, the first instalment is what Checkout asks now (and bills each
    // month): the membership's amount is their yearly total, twelve times this.
    const amountCents =
      interval === 'month'
        ? monthlyInstalments(membership.amountCents).instalmentCents
        : membership.amountCents;
    return this.payments.createPending(
      ctx,
      {
        contactId,
        purpose: 'membership',
        purposeId: membership.id,
        label: `Adhésion ${plan.name}${membership.tierLabel ? ` (${membership.tierLabel})` : ''} ${membership.startDate.slice(0, 4)}${interval === 'month' ? ' (mensualité)' : ''}`,
        amountCents,
        currency: membership.currency,
        method,
        revenueRole: 'membership_revenue',
        revenueAccount: plan.revenueAccount,
        locale,
      },
      m,
      method === null ? { expectedTransfer: true, cause: 'join-transfer' } : {},
    );
  }

  private async publicPlans(ctx: OrgContext): Promise<PublicPlanView[]> {
    const plans = await this.dataSource.getRepository(MembershipPlanEntity).find({
      where: { organizationId: ctx.organizationId, active: true, household: false },
      order: { name: 'ASC' },
    });
    return plans.map((p) => {
      const v = toPlanView(p);
      return {
        id: v.id,
        name: v.name,
        description: v.description,
        pricingKind: v.pricingKind,
        tiers: v.tiers,
        minimumAmountCents: v.minimumAmountCents,
        currency: v.currency,
        validityKind: v.validityKind,
        validityMonths: v.validityMonths,
        household: v.household,
        subscription: v.subscription,
      };
    });
  }

  private async organization(
    organizationId: string,
  ): Promise<{ ctx: OrgContext; org: OrganizationEntity }> {
    const org = isUuid(organizationId)
      ? await this.dataSource
          .getRepository(OrganizationEntity)
          .findOne({ where: { id: organizationId } })
      : null;
    if (!org) throw DomainError.notFound('organizations.not_found', 'No such association');
    return { ctx: systemContext(org.id), org };
  }
}
