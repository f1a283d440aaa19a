import { ReceiptsService } from '@ruche/receipts';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import {
  DomainError,
  LocalDate,
  formatMoney,
  newId,
  systemContext,
  type OrgContext,
} from '@ruche/core';
import {
  contactReference,
  monthlyInstalments,
  type CancelMembershipInput,
  type CreateMembershipInput,
  type ListMembershipsQuery,
  type MembershipStatus,
  type MembershipStatusChangedEvent,
  type ContactMembershipView,
  type Page,
  type PaymentInput,
  type PaymentMethod,
  type RenewMembershipInput,
} from '@ruche/contracts';
import {
  APP_CONFIG,
  AuditService,
  Clock,
  LiveEventsPort,
  OutboundEmailsService,
  type AppConfig,
} from '@ruche/platform';
import { renderAttestationPdf } from '../documents/attestation.pdf';
import { paymentConfirmationEmail } from '../emails/payment-confirmation.email';
import { OrganizationEntity } from '@ruche/organizations';
import { ContactEntity, ContactsService, PrivacyService, displayName } from '@ruche/contacts';
import { LedgerService } from '@ruche/accounting';
import {
  InvoicesService,
  PaymentsService,
  membershipLine,
  type AfterCommit,
  type IssuedInvoice,
  type PaymentSnapshot,
} from '@ruche/payments';
import { MembershipEntity } from '../entities/membership.entity';
import { MembershipPlanEntity } from '../entities/membership-plan.entity';
import { MemberSummaryEntity } from '../entities/member-summary.entity';
import { membershipStatus, summarize, type StatusSettings } from '../domain/status';
import { periodFor, renewalStart } from '../domain/period';
import { priceFor } from '../domain/pricing';
import { MembershipSettingsService } from './membership-settings.service';
import { PlansService } from './plans.service';

interface Pending {
  live: MembershipStatusChangedEvent[];
  posted: { entryId: string; number: number } | null;
  /** Work after commit from other domains (a receipt to issue). */
  after?: (() => Promise<void>)[];
  /** Payment confirmations queued in the transaction, dispatched after commit. */
  emails?: string[];
}

export interface OrgCalendar {
  today: LocalDate;
  fiscalYearStartMonth: number;
  settings: StatusSettings;
}

const SELECT_VIEW = `
  SELECT m.*, m.amount_cents::text AS amount_text, m.start_date::text AS start_text, m.end_date::text AS end_text, m.paid_on::text AS paid_text,
         c.kind, c.first_name, c.last_name, c.organization_name, c.number AS contact_number, p.name AS plan_name
    FROM memberships m
    JOIN contacts c ON c.organization_id = m.organization_id AND c.id = m.contact_id
    JOIN membership_plans p ON p.organization_id = m.organization_id AND p.id = m.plan_id`;

interface ViewRow {
  id: string;
  contact_id: string;
  household_id: string | null;
  plan_id: string;
  tier_code: string | null;
  tier_label: string | null;
  amount_text: string;
  currency: string;
  start_text: string;
  end_text: string | null;
  status: MembershipStatus;
  paid_text: string | null;
  payment_method: string | null;
  payment_reference: string | null;
  entry_id: string | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  renewed_from_id: string | null;
  source: ContactMembershipView['source'];
  note: string | null;
  created_at: Date;
  kind: 'person' | 'organization';
  first_name: string | null;
  last_name: string | null;
  organization_name: string | null;
  contact_number: number;
  plan_name: string;
}

function toView(r: ViewRow): ContactMembershipView {
  return {
    id: r.id,
    contactId: r.contact_id,
    contactName: displayName({
      kind: r.kind,
      firstName: r.first_name,
      lastName: r.last_name,
      organizationName: r.organization_name,
    }),
    contactReference: contactReference(r.contact_number),
    householdId: r.household_id,
    planId: r.plan_id,
    planName: r.plan_name,
    tierCode: r.tier_code,
    tierLabel: r.tier_label,
    amountCents: Number(r.amount_text),
    currency: r.currency.trim(),
    startDate: r.start_text,
    endDate: r.end_text,
    status: r.status,
    paidOn: r.paid_text,
    paymentMethod: r.payment_method,
    paymentReference: r.payment_reference,
    entryId: r.entry_id,
    cancelledAt: r.cancelled_at ? r.cancelled_at.toISOString() : null,
    cancelReason: r.cancel_reason,
    renewedFromId: r.renewed_from_id,
    source: r.source,
    note: r.note,
    createdAt: r.created_at.toISOString(),
  };
}

/**
 * Memberships: take, renew, pay at the desk, cancel; statuses kept current by a sweep; each
 * contact's standing (`member_summaries`) rewritten in the same transaction as any change.
 */
@Injectable()
export class MembershipsService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly live: LiveEventsPort,
    private readonly contacts: ContactsService,
    private readonly privacy: PrivacyService,
    private readonly plans: PlansService,
    private readonly settings: MembershipSettingsService,
    private readonly ledger: LedgerService,
    private readonly payments: PaymentsService,
    private readonly receipts: ReceiptsService,
    private readonly invoices: InvoicesService,
    private readonly emails: OutboundEmailsService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.emails.registerAttachmentResolver('membership-attestation', (ref, organizationId) =>
      organizationId
        ? this.attestationPdf(
            systemContext(organizationId),
            ref.slice('membership-attestation:'.length),
          )
        : Promise.resolve(null),
    );
    this.payments.registerPurpose({
      purpose: 'membership',
      onStatusChanged: (ctx, payment, m) => this.settleFromPayment(ctx, payment, m),
      nextPurpose: async (ctx, input, m) => {
        if (!input.contactId || !input.purposeRef) return null;
        const found = await this.membershipForInvoice(
          ctx,
          {
            contactId: input.contactId,
            planId: input.purposeRef,
            periodStart: input.periodStart,
            interval: input.interval,
          },
          m,
        );
        return found
          ? {
              purposeId: found.purposeId,
              label: found.label,
              revenueRole: 'membership_revenue',
              revenueAccount: found.revenueAccount,
              after: found.after,
            }
          : null;
      },
    });
    this.contacts.registerMergeParticipant({
      name: 'memberships',
      moveReferences: (ctx, from, to, m) => this.moveHolder(ctx, from, to, m),
    });
    this.privacy.registerContributor({
      name: 'memberships',
      collect: async (ctx, contactId) => {
        const page = await this.list(ctx, { contactId, limit: 200, offset: 0 });
        return [
          {
            title: 'Adhésions',
            rows: page.items.map((m): [string, string] => [
              `${m.planName} ${m.startDate} → ${m.endDate ?? '…'}`,
              `${m.status}, ${(m.amountCents / 100).toFixed(2).replace('.', ',')} ${m.currency}${m.paidOn ? `, payée le ${m.paidOn} (${m.paymentMethod ?? ''})` : ''}`,
            ]),
          },
        ];
      },
    });
  }

  /** A merge: the merged contact's memberships go to the kept one, whose standing is rewritten. */
  async moveHolder(
    ctx: OrgContext,
    fromContactId: string,
    toContactId: string,
    m: EntityManager,
  ): Promise<number> {
    const [{ n: moved }] = await m.query<{ n: number }[]>(
      `WITH moved AS (UPDATE memberships SET contact_id = $3, updated_at = $4 WHERE organization_id = $1 AND contact_id = $2 RETURNING id)
       SELECT count(*)::int AS n FROM moved`,
      [ctx.organizationId, fromContactId, toContactId, this.clock.now()],
    );
    await m
      .getRepository(MemberSummaryEntity)
      .delete({ organizationId: ctx.organizationId, contactId: fromContactId });
    const kept = await m
      .getRepository(ContactEntity)
      .findOneOrFail({ where: { organizationId: ctx.organizationId, id: toContactId } });
    await this.refreshSummaries(ctx, m, await this.calendar(ctx, m), kept);
    return moved;
  }

  async create(
    ctx: OrgContext,
    input: CreateMembershipInput,
    source: ContactMembershipView['source'] = 'staff',
    tx?: EntityManager,
    options: { monthlyInstalments?: boolean } = {},
  ): Promise<ContactMembershipView> {
    const pending: Pending = { live: [], posted: null };
    const run = async (m: EntityManager): Promise<string> => {
      const contact = await this.contacts.lockLive(ctx, input.contactId, m);
      const plan = await this.plans.get(ctx, input.planId, m);
      if (!plan.active)
        throw DomainError.invalid(
          'memberships.plan_inactive',
          'This plan is no longer offered',
          'planId',
        );
      const calendar = await this.calendar(ctx, m);
      const from = input.startDate ? LocalDate.parse(input.startDate) : calendar.today;
      return this.insert(ctx, m, calendar, pending, {
        contact,
        plan,
        from,
        tierCode: input.tierCode,
        amount: input.amount,
        payment: input.payment,
        note: input.note ?? null,
        source,
        renewedFromId: null,
        monthlyInstalments: options.monthlyInstalments ?? false,
      });
    };
    const id = tx ? await run(tx) : await this.dataSource.transaction(run);
    if (!tx) await this.afterCommit(ctx, pending);
    return this.get(ctx, id, tx);
  }

  /** The next period of a membership (one click): same plan and tier unless told otherwise. */
  async renew(
    ctx: OrgContext,
    id: string,
    input: RenewMembershipInput,
    source: ContactMembershipView['source'] = 'staff',
  ): Promise<ContactMembershipView> {
    const pending: Pending = { live: [], posted: null };
    const newId_ = await this.dataSource.transaction((m) =>
      this.renewIn(ctx, id, input, source, m, pending),
    );
    await this.afterCommit(ctx, pending);
    return this.get(ctx, newId_);
  }

  /** The renewal inside the caller's transaction; live events wait in `pending` until commit. */
  private async renewIn(
    ctx: OrgContext,
    id: string,
    input: RenewMembershipInput,
    source: ContactMembershipView['source'],
    m: EntityManager,
    pending: Pending,
    options: { monthlyInstalments?: boolean } = {},
  ): Promise<string> {
    {
      const previous = await this.load(ctx, id, m);
      const contact = await this.contacts.lockLive(ctx, previous.contactId, m);
      if (previous.cancelledAt)
        throw DomainError.conflict(
          'memberships.cancelled',
          'A cancelled membership cannot be renewed',
        );
      const existing = await m
        .getRepository(MembershipEntity)
        .findOne({ where: { organizationId: ctx.organizationId, renewedFromId: id } });
      if (existing && !existing.cancelledAt)
        throw DomainError.conflict(
          'memberships.already_renewed',
          'This membership was renewed already',
        );
      const plan = await this.plans.get(ctx, input.planId ?? previous.planId, m);
      if (!plan.active)
        throw DomainError.invalid(
          'memberships.plan_inactive',
          'This plan is no longer offered',
          'planId',
        );
      const calendar = await this.calendar(ctx, m);
      const samePlan = plan.id === previous.planId;
      return this.insert(ctx, m, calendar, pending, {
        contact,
        plan,
        from: renewalStart(previous.endDate, calendar.today),
        tierCode: input.tierCode ?? (samePlan ? (previous.tierCode ?? undefined) : undefined),
        amount:
          input.amount ??
          (samePlan && plan.pricingKind === 'free_amount'
            ? Number(previous.amountCents)
            : undefined),
        payment: input.payment,
        note: null,
        source,
        renewedFromId: id,
        monthlyInstalments: options.monthlyInstalments ?? false,
      });
    }
  }

  /**
   * A subscription invoice of this plan is paid (or asked): which membership it pays. A monthly
   * instalment inside the current period pays the current membership; otherwise the latest one is
   * renewed (or its pending renewal is used). A renewal paid in monthly instalments is worth the
   * twelve instalments it bills, like the membership taken at join.
   */
  async membershipForInvoice(
    ctx: OrgContext,
    input: { contactId: string; planId: string; periodStart: string; interval: 'year' | 'month' },
    m: EntityManager,
  ): Promise<{
    purposeId: string;
    label: string;
    revenueAccount: string | null;
    after: AfterCommit;
  } | null> {
    const rows = await m.getRepository(MembershipEntity).find({
      where: {
        organizationId: ctx.organizationId,
        contactId: input.contactId,
        planId: input.planId,
        cancelledAt: IsNull(),
      },
      order: { startDate: 'DESC' },
      take: 1,
    });
    const latest = rows[0];
    if (!latest) return null;
    const plan = await this.plans.get(ctx, input.planId, m);
    const pending: Pending = { live: [], posted: null };
    let target = latest;
    const covered = latest.endDate === null || input.periodStart <= latest.endDate;
    // A period the latest membership does not cover buys the next one, paid or not yet (events
    // come in any order: the first invoice may be recorded after its renewal). Inside the period
    // a monthly instalment pays the current membership, a yearly invoice renews a paid one.
    if (!covered || (latest.paidOn && input.interval !== 'month')) {
      const id = await this.renewIn(ctx, latest.id, {}, 'subscription', m, pending, {
        monthlyInstalments: input.interval === 'month',
      });
      target = await this.load(ctx, id, m);
    }
    return {
      purposeId: target.id,
      label: `Adhésion ${plan.name}${target.tierLabel ? ` (${target.tierLabel})` : ''} ${target.startDate.slice(0, 4)}${input.interval === 'month' ? ' (mensualité)' : ''}`,
      revenueAccount: plan.revenueAccount,
      after: () => this.afterCommit(ctx, pending),
    };
  }

  /**
   * Records a payment received at the desk (cheque, cash, transfer) and posts its entry; the
   * member gets the payment confirmation by e-mail after commit unless `notify` is false.
   */
  async recordPayment(
    ctx: OrgContext,
    id: string,
    payment: PaymentInput,
  ): Promise<ContactMembershipView> {
    const pending: Pending = { live: [], posted: null };
    await this.dataSource.transaction(async (m) => {
      const membership = await this.load(ctx, id, m);
      const contact = await this.contacts.lockLive(ctx, membership.contactId, m);
      const locked = await this.load(ctx, id, m);
      if (locked.cancelledAt)
        throw DomainError.conflict('memberships.cancelled', 'This membership was cancelled');
      if (locked.paidOn)
        throw DomainError.conflict('memberships.already_paid', 'This membership is paid already');
      const plan = await this.plans.get(ctx, locked.planId, m);
      await this.pay(ctx, m, pending, locked, plan, contact, payment);
      const calendar = await this.calendar(ctx, m);
      await this.saveStatus(ctx, m, calendar, pending, locked, contact);
      await this.refreshSummaries(ctx, m, calendar, contact);
      await this.contacts.touch(ctx, contact.id, m);
      await this.audit.record(
        ctx,
        {
          action: 'membership.paid',
          entityType: 'membership',
          entityId: id,
          after: { ...payment, amountCents: Number(locked.amountCents), entryId: locked.entryId },
        },
        m,
      );
    });
    await this.afterCommit(ctx, pending);
    return this.get(ctx, id);
  }

  /**
   * An online payment of this membership changed status (called by payments, inside its
   * transaction). On success the membership is paid: the entry was posted by payments.
   */
  async settleFromPayment(
    ctx: OrgContext,
    payment: PaymentSnapshot,
    m: EntityManager,
  ): Promise<AfterCommit | void> {
    if (
      !payment.purposeId ||
      (payment.status !== 'succeeded' &&
        payment.status !== 'refunded' &&
        payment.status !== 'partially_refunded')
    )
      return;
    const membership = await this.load(ctx, payment.purposeId, m);
    const contact = await this.contacts.lockLive(ctx, membership.contactId, m);
    const locked = await this.load(ctx, payment.purposeId, m);
    const pending: Pending = { live: [], posted: null };
    // The payment that paid the membership; any later payment of it is a monthly instalment.
    const paying = !locked.paidOn || (locked.entryId !== null && locked.entryId === payment.entryId);
    if (payment.status === 'partially_refunded' || payment.status === 'refunded') {
      // Each instalment is its own gift (keyed by its payment); the paying one is keyed by the
      // membership. A refund withdraws from the gift of the payment refunded, never another's.
      const withdrawn = await this.receipts.withdrawGift(
        ctx,
        { sourceKind: 'membership', sourceId: paying ? payment.purposeId : payment.id },
        payment.refundedCents,
        payment.status === 'refunded' ? 'Cotisation remboursée' : 'Cotisation remboursée en partie',
        m,
      );
      (pending.after ??= []).push(...withdrawn);
    }
    if (payment.status === 'partially_refunded') return () => this.afterCommit(ctx, pending);
    if (payment.status === 'refunded') {
      // Fully refunded: the membership ends (the money and its reversal stay in the books). A
      // later instalment given back does not end it: the treasurer cancels it if that is meant.
      if (locked.cancelledAt || !paying) return () => this.afterCommit(ctx, pending);
      locked.cancelledAt = this.clock.now();
      locked.cancelReason = 'Cotisation remboursée';
      const calendar = await this.calendar(ctx, m);
      await this.saveStatus(ctx, m, calendar, pending, locked, contact);
      await this.refreshSummaries(ctx, m, calendar, contact);
      await this.audit.record(
        ctx,
        {
          action: 'membership.cancelled',
          entityType: 'membership',
          entityId: locked.id,
          after: { reason: locked.cancelReason, paymentId: payment.id },
        },
        m,
      );
      return () => this.afterCommit(ctx, pending);
    }
    // Paid in monthly instalments: the first pays the membership, each one is a gift of its own.
    const instalment = payment.amountCents < Number(locked.amountCents);
    if (locked.paidOn) {
      if (!paying && payment.paidOn) {
        const plan = await this.plans.get(ctx, locked.planId, m);
        await this.declareGift(
          ctx,
          m,
          pending,
          locked,
          plan,
          {
            amountCents: payment.amountCents,
            paidOn: payment.paidOn,
            method: payment.method,
            recurring: true,
          },
          payment.id,
        );
        await this.issueInvoice(ctx, m, locked, plan, { ...payment, paidOn: payment.paidOn }, true);
        return () => this.afterCommit(ctx, pending);
      }
      return;
    }
    locked.paidOn = payment.paidOn;
    locked.paymentMethod = payment.method;
    locked.paymentReference = payment.reference;
    locked.entryId = payment.entryId;
    const plan = await this.plans.get(ctx, locked.planId, m);
    if (payment.paidOn)
      await this.declareGift(ctx, m, pending, locked, plan, {
        amountCents: payment.amountCents,
        paidOn: payment.paidOn,
        method: payment.method,
        recurring: instalment,
      });
    const invoice = payment.paidOn
      ? await this.issueInvoice(
          ctx,
          m,
          locked,
          plan,
          { ...payment, paidOn: payment.paidOn },
          instalment,
        )
      : null;
    const calendar = await this.calendar(ctx, m);
    await this.saveStatus(ctx, m, calendar, pending, locked, contact);
    await this.refreshSummaries(ctx, m, calendar, contact);
    await this.contacts.touch(ctx, contact.id, m);
    await this.audit.record(
      ctx,
      {
        action: 'membership.paid',
        entityType: 'membership',
        entityId: locked.id,
        after: {
          method: payment.method,
          paidOn: payment.paidOn,
          paymentId: payment.id,
          entryId: payment.entryId,
          amountCents: payment.amountCents,
        },
      },
      m,
    );
    const emailId = await this.queuePaidEmail(ctx, m, locked, contact, payment.locale, invoice);
    return async () => {
      await this.afterCommit(ctx, pending);
      if (emailId) await this.emails.dispatch(ctx.organizationId, emailId);
    };
  }

  /**
   * The payment confirmation, with the attestation rendered when the e-mail is sent and, for a
   * plan with counterparts, the invoice's stored PDF.
   */
  private async queuePaidEmail(
    ctx: OrgContext,
    m: EntityManager,
    row: MembershipEntity,
    contact: ContactEntity,
    locale: 'fr' | 'en',
    invoice: IssuedInvoice | null = null,
  ): Promise<string | null> {
    if (!contact.email) return null;
    const org = await m
      .getRepository(OrganizationEntity)
      .findOneOrFail({ where: { id: ctx.organizationId } });
    const plan = await this.plans.get(ctx, row.planId, m);
    const amount = formatMoney(row.amountCents, row.currency, locale);
    const rendered = paymentConfirmationEmail(locale, {
      contactName: displayName(contact),
      organizationName: org.name,
      planName: plan.name,
      amount,
      endDate: row.endDate,
      memberSpaceUrl: `${this.config.publicUrl}/espace-membre/${ctx.organizationId}`,
      invoiceReference: invoice?.reference ?? null,
    });
    return this.emails.queueEmail(
      ctx,
      {
        to: contact.email,
        ...rendered,
        template: 'membership.paid',
        idempotencyKey: `membership-paid:${row.id}`,
        attachments: [
          {
            filename: `attestation-adhesion-${contactReference(contact.number)}.pdf`,
            contentType: 'application/pdf',
            ref: `membership-attestation:${row.id}`,
          },
          ...(invoice
            ? [
                {
                  filename: `facture-${invoice.reference}.pdf`,
                  contentType: 'application/pdf',
                  ref: `invoice:${invoice.id}`,
                },
              ]
            : []),
        ],
      },
      m,
    );
  }

  /** The attestation of a paid membership, drawn from the rows as they are. */
  async attestationPdf(ctx: OrgContext, membershipId: string): Promise<Buffer | null> {
    const row = await this.dataSource
      .getRepository(MembershipEntity)
      .findOne({ where: { organizationId: ctx.organizationId, id: membershipId } });
    if (!row?.paidOn) return null;
    return (await this.renderAttestation(ctx, row, row.paidOn)).pdf;
  }

  /**
   * The attestation to download: a membership of the organization (else 404), paid (409
   * `memberships.not_paid`) and not cancelled (409 `memberships.cancelled`).
   */
  async attestation(ctx: OrgContext, id: string): Promise<{ filename: string; pdf: Buffer }> {
    const row = await this.load(ctx, id, this.dataSource.manager);
    if (row.cancelledAt)
      throw DomainError.conflict(
        'memberships.cancelled',
        'This membership was cancelled: it has no attestation',
      );
    if (!row.paidOn)
      throw DomainError.conflict(
        'memberships.not_paid',
        'This membership is not paid yet: its attestation comes with the payment',
      );
    const { pdf, reference } = await this.renderAttestation(ctx, row, row.paidOn);
    return {
      filename: `attestation-adhesion-${reference}-${row.startDate.slice(0, 4)}.pdf`,
      pdf,
    };
  }

  private async renderAttestation(
    ctx: OrgContext,
    row: MembershipEntity,
    paidOn: string,
  ): Promise<{ pdf: Buffer; reference: string }> {
    const org = await this.dataSource
      .getRepository(OrganizationEntity)
      .findOneOrFail({ where: { id: ctx.organizationId } });
    const contact = await this.dataSource
      .getRepository(ContactEntity)
      .findOneOrFail({ where: { organizationId: ctx.organizationId, id: row.contactId } });
    const plan = await this.plans.get(ctx, row.planId);
    const lines = (...parts: (string | null | undefined)[]) =>
      parts.filter((p): p is string => !!p && p.trim() !== '');
    const reference = contactReference(contact.number);
    const pdf = await renderAttestationPdf({
      organization: {
        name: org.legalName ?? org.name,
        addressLines: lines(
          org.addressLine1,
          org.addressLine2,
          [org.postalCode, org.city].filter(Boolean).join(' '),
        ),
        siren: org.siren,
      },
      member: {
        name: displayName(contact),
        reference,
        addressLines: lines(
          contact.addressLine1,
          contact.addressLine2,
          [contact.postalCode, contact.city].filter(Boolean).join(' '),
        ),
      },
      planName: plan.name,
      tierLabel: row.tierLabel,
      startDate: row.startDate,
      endDate: row.endDate,
      amountCents: Number(row.amountCents),
      currency: row.currency,
      paidOn,
      method: row.paymentMethod,
      paymentReference: row.paymentReference,
      issuedOn: LocalDate.fromInstant(this.clock.now(), org.timeZone).toString(),
      receiptEligible: plan.receiptEligible,
    });
    return { pdf, reference };
  }

  /** Ends a membership now; money already received stays in the books (a refund is a payment matter). */
  async cancel(
    ctx: OrgContext,
    id: string,
    input: CancelMembershipInput,
  ): Promise<ContactMembershipView> {
    const pending: Pending = { live: [], posted: null };
    await this.dataSource.transaction(async (m) => {
      const membership = await this.load(ctx, id, m);
      const contact = await this.contacts.lockLive(ctx, membership.contactId, m);
      const locked = await this.load(ctx, id, m);
      if (locked.cancelledAt)
        throw DomainError.conflict(
          'memberships.cancelled',
          'This membership was cancelled already',
        );
      locked.cancelledAt = this.clock.now();
      locked.cancelReason = input.reason;
      const calendar = await this.calendar(ctx, m);
      await this.saveStatus(ctx, m, calendar, pending, locked, contact);
      await this.refreshSummaries(ctx, m, calendar, contact);
      await this.audit.record(
        ctx,
        {
          action: 'membership.cancelled',
          entityType: 'membership',
          entityId: id,
          after: { reason: input.reason },
        },
        m,
      );
    });
    await this.afterCommit(ctx, pending);
    return this.get(ctx, id);
  }

  async get(ctx: OrgContext, id: string, tx?: EntityManager): Promise<ContactMembershipView> {
    const rows = await (tx ?? this.dataSource.manager).query<ViewRow[]>(
      `${SELECT_VIEW} WHERE m.organization_id = $1 AND m.id = $2`,
      [ctx.organizationId, id],
    );
    if (rows.length === 0)
      throw DomainError.notFound('memberships.not_found', 'No such membership');
    return toView(rows[0]);
  }

  async list(ctx: OrgContext, query: ListMembershipsQuery): Promise<Page<ContactMembershipView>> {
    const params: unknown[] = [ctx.organizationId];
    const where = ['m.organization_id = $1'];
    if (query.contactId) {
      params.push(query.contactId);
      // A household membership counts for every member of the household.
      where.push(
        `(m.contact_id = $${params.length} OR m.household_id = (SELECT household_id FROM contacts WHERE organization_id = $1 AND id = $${params.length}))`,
      );
    }
    if (query.planId) {
      params.push(query.planId);
      where.push(`m.plan_id = $${params.length}`);
    }
    if (query.status) {
      params.push(query.status);
      where.push(`m.status = $${params.length}`);
    }
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM memberships m WHERE ${where.join(' AND ')}`,
      params,
    );
    const rows = await this.dataSource.query<ViewRow[]>(
      `${SELECT_VIEW} WHERE ${where.join(' AND ')} ORDER BY m.start_date DESC, m.created_at DESC LIMIT ${query.limit} OFFSET ${query.offset}`,
      params,
    );
    return { items: rows.map(toView), total, limit: query.limit, offset: query.offset };
  }

  /**
   * The sweep: memberships whose status changes today (in each organization's time zone) get
   * their new status, their holders' standing is rewritten, and open dashboards are told.
   * Running it twice changes nothing the second time.
   */
  async refreshDue(organizationId: string | null = null, batchSize = 500): Promise<number> {
    let changed = 0;
    for (;;) {
      const due = await this.dataSource.query<{ organization_id: string; ids: string[] }[]>(
        `SELECT m.organization_id, array_agg(m.id) AS ids
           FROM (SELECT m.organization_id, m.id FROM memberships m JOIN organizations o ON o.id = m.organization_id
                  WHERE m.next_status_change_on IS NOT NULL
                    AND m.next_status_change_on <= (($1::timestamptz) AT TIME ZONE o.time_zone)::date
                    AND ($3::uuid IS NULL OR m.organization_id = $3)
                  LIMIT $2) m
          GROUP BY m.organization_id`,
        [this.clock.now().toISOString(), batchSize, organizationId],
      );
      if (due.length === 0) return changed;
      for (const group of due)
        changed += await this.refreshMany(systemContext(group.organization_id), group.ids);
    }
  }

  /** Recomputes the status of some memberships of one organization (sweep, settings change). */
  async refreshMany(ctx: OrgContext, ids: readonly string[]): Promise<number> {
    const pending: Pending = { live: [], posted: null };
    await this.dataSource.transaction(async (m) => {
      const calendar = await this.calendar(ctx, m);
      // Same lock order as every other membership change: the holder first, then the rows.
      const holders = await m
        .getRepository(ContactEntity)
        .createQueryBuilder('c')
        .where(
          'c.organization_id = :org AND c.id IN (SELECT contact_id FROM memberships WHERE organization_id = :org AND id = ANY(:ids))',
          { org: ctx.organizationId, ids },
        )
        .orderBy('c.id')
        .setLock('pessimistic_write')
        .getMany();
      const byId = new Map(holders.map((c) => [c.id, c]));
      const rows = await m
        .getRepository(MembershipEntity)
        .createQueryBuilder('m')
        .where('m.organization_id = :org AND m.id IN (:...ids)', { org: ctx.organizationId, ids })
        .orderBy('m.contact_id')
        .setLock('pessimistic_write')
        .getMany();
      const touched = new Map<string, ContactEntity>();
      for (const row of rows) {
        const contact = byId.get(row.contactId);
        if (!contact) continue;
        await this.saveStatus(ctx, m, calendar, pending, row, contact);
        touched.set(contact.id, contact);
      }
      for (const contact of touched.values())
        await this.refreshSummaries(ctx, m, calendar, contact);
    });
    await this.afterCommit(ctx, pending);
    return pending.live.length;
  }

  /**
   * A past membership brought in by an import, inside the import's transaction: recorded as paid
   * (on `paidOn`, else its start) without a journal entry (the old books hold that money), once
   * per contact, plan and start day. Dashboards are not told row by row.
   */
  async importHistory(
    ctx: OrgContext,
    m: EntityManager,
    calendar: OrgCalendar,
    input: {
      contact: ContactEntity;
      plan: MembershipPlanEntity;
      tierCode: string | null;
      amountCents: number | null;
      startDate: string;
      paidOn: string | null;
    },
  ): Promise<'created' | 'exists'> {
    const { contact, plan } = input;
    const period = periodFor(plan, LocalDate.parse(input.startDate), calendar.fiscalYearStartMonth);
    const existing = await m.getRepository(MembershipEntity).findOne({
      where: {
        organizationId: ctx.organizationId,
        contactId: contact.id,
        planId: plan.id,
        startDate: period.startDate,
      },
    });
    if (existing) return 'exists';
    const wanted = input.tierCode?.toLowerCase() ?? null;
    const tier = wanted
      ? (plan.tiers.find(
          (t) => t.code.toLowerCase() === wanted || t.label.toLowerCase() === wanted,
        ) ?? null)
      : null;
    if (wanted && !tier)
      throw DomainError.invalid(
        'memberships.unknown_tier',
        `No tier "${input.tierCode}" in ${plan.name}`,
        'membershipTier',
      );
    const amountCents = input.amountCents ?? priceFor(plan, tier?.code, undefined).amountCents;
    const now = this.clock.now();
    const row = m.getRepository(MembershipEntity).create({
      id: newId(),
      organizationId: ctx.organizationId,
      contactId: contact.id,
      householdId: plan.household ? contact.householdId : null,
      planId: plan.id,
      tierCode: tier?.code ?? null,
      tierLabel: tier?.label ?? null,
      amountCents: String(amountCents),
      currency: plan.currency,
      startDate: period.startDate,
      endDate: period.endDate,
      status: 'pending_payment',
      nextStatusChangeOn: null,
      statusChangedAt: now,
      paidOn: input.paidOn ?? period.startDate,
      paymentMethod: 'import',
      paymentReference: null,
      entryId: null,
      cancelledAt: null,
      cancelReason: null,
      renewedFromId: null,
      source: 'import',
      note: null,
      createdBy: ctx.userId,
      createdAt: now,
      updatedAt: now,
    });
    const computed = membershipStatus(facts(row), calendar.today, calendar.settings);
    row.status = computed.status;
    row.nextStatusChangeOn = computed.nextChangeOn;
    await m.getRepository(MembershipEntity).insert(row);
    await this.refreshSummaries(ctx, m, calendar, contact);
    return 'created';
  }

  /**
   * Past memberships of contacts an import has just created (one each, no earlier membership):
   * one multi-row insert for the memberships and one for the standings.
   */
  async importHistoryForNew(
    ctx: OrgContext,
    m: EntityManager,
    calendar: OrgCalendar,
    items: {
      contact: ContactEntity;
      plan: MembershipPlanEntity;
      tierCode: string | null;
      amountCents: number | null;
      startDate: string;
      paidOn: string | null;
    }[],
  ): Promise<void> {
    if (items.length === 0) return;
    const now = this.clock.now();
    const rows = items.map((input) => {
      const { contact, plan } = input;
      const period = periodFor(
        plan,
        LocalDate.parse(input.startDate),
        calendar.fiscalYearStartMonth,
      );
      const wanted = input.tierCode?.toLowerCase() ?? null;
      const tier = wanted
        ? (plan.tiers.find(
            (t) => t.code.toLowerCase() === wanted || t.label.toLowerCase() === wanted,
          ) ?? null)
        : null;
      if (wanted && !tier)
        throw DomainError.invalid(
          'memberships.unknown_tier',
          `No tier "${input.tierCode}" in ${plan.name}`,
          'membershipTier',
        );
      const row = m.getRepository(MembershipEntity).create({
        id: newId(),
        organizationId: ctx.organizationId,
        contactId: contact.id,
        householdId: null,
        planId: plan.id,
        tierCode: tier?.code ?? null,
        tierLabel: tier?.label ?? null,
        amountCents: String(input.amountCents ?? priceFor(plan, tier?.code, undefined).amountCents),
        currency: plan.currency,
        startDate: period.startDate,
        endDate: period.endDate,
        status: 'pending_payment',
        nextStatusChangeOn: null,
        statusChangedAt: now,
        paidOn: input.paidOn ?? period.startDate,
        paymentMethod: 'import',
        paymentReference: null,
        entryId: null,
        cancelledAt: null,
        cancelReason: null,
        renewedFromId: null,
        source: 'import',
        note: null,
        createdBy: ctx.userId,
        createdAt: now,
        updatedAt: now,
      });
      const computed = membershipStatus(facts(row), calendar.today, calendar.settings);
      row.status = computed.status;
      row.nextStatusChangeOn = computed.nextChangeOn;
      return row;
    });
    await m.getRepository(MembershipEntity).insert(rows);
    const summaries = rows.map((r) => {
      const summary = summarize(
        [
          {
            id: r.id,
            planId: r.planId,
            startDate: r.startDate,
            endDate: r.endDate,
            paid: true,
            cancelled: false,
            status: r.status,
          },
        ],
        calendar.settings,
      );
      return {
        organizationId: ctx.organizationId,
        contactId: r.contactId,
        ...(summary as NonNullable<typeof summary>),
        updatedAt: now,
      };
    });
    await m.getRepository(MemberSummaryEntity).insert(summaries);
  }

  /** Today in the organization's time zone, its fiscal year start and its status settings. */
  async calendar(ctx: OrgContext, m: EntityManager): Promise<OrgCalendar> {
    const org = await m
      .getRepository(OrganizationEntity)
      .findOneOrFail({ where: { id: ctx.organizationId } });
    const settings = await this.settings.get(ctx, m);
    return {
      today: LocalDate.fromInstant(this.clock.now(), org.timeZone),
      fiscalYearStartMonth: org.fiscalYearStartMonth,
      settings,
    };
  }

  // ---- internals --------------------------------------------------------------------------

  private async insert(
    ctx: OrgContext,
    m: EntityManager,
    calendar: OrgCalendar,
    pending: Pending,
    input: {
      contact: ContactEntity;
      plan: MembershipPlanEntity;
      from: LocalDate;
      tierCode: string | undefined;
      amount: number | undefined;
      payment: PaymentInput | undefined;
      note: string | null;
      source: ContactMembershipView['source'];
      renewedFromId: string | null;
      /** Paid in twelve monthly instalments: the membership is worth what they bill in a year. */
      monthlyInstalments: boolean;
    },
  ): Promise<string> {
    const { contact, plan } = input;
    const price = priceFor(plan, input.tierCode, input.amount);
    const amountCents = input.monthlyInstalments
      ? monthlyInstalments(price.amountCents).yearlyTotalCents
      : price.amountCents;
    if (amountCents === 0 && price.amountCents > 0)
      throw DomainError.invalid(
        'memberships.no_auto_renewal',
        'This price is too small to be paid in monthly instalments',
        'autoRenew',
      );
    const period = periodFor(plan, input.from, calendar.fiscalYearStartMonth);
    if (plan.household && !contact.householdId) {
      throw DomainError.invalid(
        'memberships.household_required',
        'A household plan is taken by a member of a household',
        'contactId',
      );
    }
    const now = this.clock.now();
    const row = m.getRepository(MembershipEntity).create({
      id: newId(),
      organizationId: ctx.organizationId,
      contactId: contact.id,
      householdId: plan.household ? contact.householdId : null,
      planId: plan.id,
      tierCode: price.tier?.code ?? null,
      tierLabel: price.tier?.label ?? null,
      amountCents: String(amountCents),
      currency: plan.currency,
      startDate: period.startDate,
      endDate: period.endDate,
      status: 'pending_payment',
      nextStatusChangeOn: null,
      statusChangedAt: now,
      paidOn: null,
      paymentMethod: null,
      paymentReference: null,
      entryId: null,
      cancelledAt: null,
      cancelReason: null,
      renewedFromId: input.renewedFromId,
      source: input.source,
      note: input.note,
      createdBy: ctx.userId,
      createdAt: now,
      updatedAt: now,
    });
    const computed = membershipStatus(facts(row), calendar.today, calendar.settings);
    row.status = computed.status;
    row.nextStatusChangeOn = computed.nextChangeOn;
    await m.getRepository(MembershipEntity).insert(row);
    pending.live.push(this.changeEvent(row, contact, null));
    if (amountCents === 0 && !input.payment) {
      // Free membership: nothing to collect.
      await this.pay(
        ctx,
        m,
        pending,
        row,
        plan,
        contact,
        { method: 'cash', paidOn: calendar.today.toString(), reference: null },
        true,
      );
    } else if (input.payment) {
      await this.pay(ctx, m, pending, row, plan, contact, input.payment);
    }
    await this.saveStatus(ctx, m, calendar, pending, row, contact);
    await this.refreshSummaries(ctx, m, calendar, contact);
    await this.contacts.touch(ctx, contact.id, m);
    await this.audit.record(
      ctx,
      {
        action: input.renewedFromId ? 'membership.renewed' : 'membership.created',
        entityType: 'membership',
        entityId: row.id,
        after: {
          contactId: contact.id,
          planId: plan.id,
          tierCode: row.tierCode,
          amountCents,
          startDate: row.startDate,
          endDate: row.endDate,
          renewedFromId: row.renewedFromId,
          paid: row.paidOn !== null,
        },
      },
      m,
    );
    return row.id;
  }

  private async pay(
    ctx: OrgContext,
    m: EntityManager,
    pending: Pending,
    row: MembershipEntity,
    plan: MembershipPlanEntity,
    contact: ContactEntity,
    payment: PaymentInput,
    free = false,
  ): Promise<void> {
    const amountCents = Number(row.amountCents);
    let paymentId: string | null = null;
    if (amountCents > 0) {
      // A payment at the desk is a payment like any other (a cheque waits for its deposit slip).
      const { payment: recorded, posted } = await this.payments.recordManual(
        ctx,
        {
          contactId: contact.id,
          purpose: 'membership',
          purposeId: row.id,
          label: `Cotisation ${plan.name}`,
          amountCents,
          currency: row.currency,
          method: payment.method,
          receivedOn: payment.paidOn,
          reference: payment.reference ?? null,
          revenueRole: 'membership_revenue',
          revenueAccount: plan.revenueAccount,
          source: `membership:${row.id}`,
        },
        m,
      );
      row.entryId = posted.entryId;
      paymentId = recorded.id;
      if (posted.created) pending.posted = { entryId: posted.entryId, number: posted.number };
    }
    row.paidOn = payment.paidOn;
    row.paymentMethod = free ? 'free' : payment.method;
    row.paymentReference = payment.reference ?? null;
    if (amountCents > 0)
      await this.declareGift(ctx, m, pending, row, plan, {
        amountCents,
        paidOn: payment.paidOn,
        method: payment.method,
        recurring: false,
      });
    const invoice = paymentId
      ? await this.issueInvoice(
          ctx,
          m,
          row,
          plan,
          { id: paymentId, amountCents, paidOn: payment.paidOn, method: payment.method },
          false,
        )
      : null;
    // Money taken at the desk: the same confirmation as online (attestation, invoice), unless
    // staff chose not to send it; a contact without an address gets none.
    if (!free && amountCents > 0 && payment.notify !== false) {
      const emailId = await this.queuePaidEmail(ctx, m, row, contact, contact.locale, invoice);
      if (emailId) (pending.emails ??= []).push(emailId);
    }
  }

  /**
   * A plan with counterparts (not receipt-eligible) sells a service: its payment gets an invoice,
   * numbered in the paying transaction and keyed by the payment (each monthly instalment has its
   * own; a replayed payment finds the invoice issued the first time).
   */
  private async issueInvoice(
    ctx: OrgContext,
    m: EntityManager,
    row: MembershipEntity,
    plan: MembershipPlanEntity,
    paid: { id: string; amountCents: number; paidOn: string; method: PaymentMethod | null },
    instalment: boolean,
  ): Promise<IssuedInvoice | null> {
    if (plan.receiptEligible || paid.amountCents <= 0) return null;
    return this.invoices.issueForPayment(
      ctx,
      {
        paymentId: paid.id,
        source: { kind: 'membership', id: row.id },
        contactId: row.contactId,
        lines: [
          {
            description: membershipLine({
              planName: plan.name,
              tierLabel: row.tierLabel,
              startDate: row.startDate,
              endDate: row.endDate,
              instalment,
            }),
            amountCents: paid.amountCents,
          },
        ],
        currency: row.currency,
        paidOn: paid.paidOn,
        method: paid.method,
      },
      m,
    );
  }

  /**
   * A plan marked eligible (no counterpart, or within the legal limits): the fee is a gift that
   * gets a fiscal receipt, declared in the paying transaction.
   */
  private async declareGift(
    ctx: OrgContext,
    m: EntityManager,
    pending: Pending,
    row: MembershipEntity,
    plan: { receiptEligible: boolean },
    paid: { amountCents: number; paidOn: string; method: PaymentMethod | null; recurring: boolean },
    /** The gift's own source: the membership for the payment that paid it, else the instalment. */
    sourceId = row.id,
  ): Promise<void> {
    if (!plan.receiptEligible) return;
    const { after } = await this.receipts.registerGift(
      ctx,
      {
        sourceKind: 'membership',
        sourceId,
        contactId: row.contactId,
        receivedOn: paid.paidOn,
        amountCents: paid.amountCents,
        currency: row.currency,
        nature: 'money',
        method:
          paid.method === 'cash'
            ? 'cash'
            : paid.method === 'cheque'
              ? 'cheque'
              : paid.method === 'card' || paid.method === 'sepa_debit' || paid.method === 'transfer'
                ? 'transfer_card_debit'
                : null,
        recurring: paid.recurring,
      },
      m,
    );
    if (after) (pending.after ??= []).push(after);
  }

  /** Computes the status with the one rule, saves the row, and remembers a change for the dashboards. */
  private async saveStatus(
    ctx: OrgContext,
    m: EntityManager,
    calendar: OrgCalendar,
    pending: Pending,
    row: MembershipEntity,
    contact: ContactEntity,
  ): Promise<void> {
    const computed = membershipStatus(facts(row), calendar.today, calendar.settings);
    const previous = row.status;
    if (computed.status !== previous) {
      row.statusChangedAt = this.clock.now();
      pending.live.push(this.changeEvent({ ...row, status: computed.status }, contact, previous));
    }
    row.status = computed.status;
    row.nextStatusChangeOn = computed.nextChangeOn;
    row.updatedAt = this.clock.now();
    await m.getRepository(MembershipEntity).update(
      { organizationId: ctx.organizationId, id: row.id },
      {
        status: row.status,
        nextStatusChangeOn: row.nextStatusChangeOn,
        statusChangedAt: row.statusChangedAt,
        paidOn: row.paidOn,
        paymentMethod: row.paymentMethod,
        paymentReference: row.paymentReference,
        entryId: row.entryId,
        cancelledAt: row.cancelledAt,
        cancelReason: row.cancelReason,
        updatedAt: row.updatedAt,
      },
    );
  }

  /** Rewrites the standing of the contact, and of every member of their household. */
  private async refreshSummaries(
    ctx: OrgContext,
    m: EntityManager,
    calendar: OrgCalendar,
    contact: ContactEntity,
  ): Promise<void> {
    const members = contact.householdId
      ? await m
          .getRepository(ContactEntity)
          .find({ where: { organizationId: ctx.organizationId, householdId: contact.householdId } })
      : [contact];
    for (const member of members) {
      const rows = await m.query<
        {
          id: string;
          plan_id: string;
          start_date: string;
          end_date: string | null;
          paid_on: string | null;
          cancelled_at: Date | null;
          status: MembershipStatus;
        }[]
      >(
        `SELECT id, plan_id, start_date::text AS start_date, end_date::text AS end_date, paid_on::text AS paid_on, cancelled_at, status
           FROM memberships
          WHERE organization_id = $1 AND (contact_id = $2 OR ($3::uuid IS NOT NULL AND household_id = $3))`,
        [ctx.organizationId, member.id, member.householdId],
      );
      const summary = summarize(
        rows.map((r) => ({
          id: r.id,
          planId: r.plan_id,
          startDate: r.start_date,
          endDate: r.end_date,
          paid: r.paid_on !== null,
          cancelled: r.cancelled_at !== null,
          status: r.status,
        })),
        calendar.settings,
      );
      const repo = m.getRepository(MemberSummaryEntity);
      if (!summary) {
        await repo.delete({ organizationId: ctx.organizationId, contactId: member.id });
        continue;
      }
      await repo.upsert(
        {
          organizationId: ctx.organizationId,
          contactId: member.id,
          ...summary,
          updatedAt: this.clock.now(),
        },
        ['organizationId', 'contactId'],
      );
    }
  }

  private changeEvent(
    row: Pick<MembershipEntity, 'id' | 'status' | 'endDate'>,
    contact: ContactEntity,
    previous: MembershipStatus | null,
  ): MembershipStatusChangedEvent {
    return {
      membershipId: row.id,
      contactId: contact.id,
      contactName: displayName(contact),
      status: row.status,
      previousStatus: previous,
      validUntil: row.endDate,
    };
  }

  private async load(ctx: OrgContext, id: string, m: EntityManager): Promise<MembershipEntity> {
    const row = await m
      .getRepository(MembershipEntity)
      .findOne({ where: { organizationId: ctx.organizationId, id } });
    if (!row) throw DomainError.notFound('memberships.not_found', 'No such membership');
    return row;
  }

  private async afterCommit(ctx: OrgContext, pending: Pending): Promise<void> {
    for (const run of pending.after ?? []) await run();
    if (pending.posted)
      await this.ledger.publishPosted(ctx, pending.posted.entryId, pending.posted.number);
    const at = this.clock.now().toISOString();
    // The creation event and the first computed status may both be there: the dashboards need the last one.
    const last = new Map<string, MembershipStatusChangedEvent>();
    for (const e of pending.live) last.set(e.membershipId, e);
    for (const event of last.values()) {
      await this.live.publish({
        type: 'membership.status_changed',
        organizationId: ctx.organizationId,
        at,
        data: { ...event },
      });
    }
    pending.live.length = 0;
    for (const e of last.values()) pending.live.push(e);
    for (const emailId of pending.emails?.splice(0) ?? [])
      await this.emails.dispatch(ctx.organizationId, emailId);
  }
}

function facts(row: Pick<MembershipEntity, 'startDate' | 'endDate' | 'paidOn' | 'cancelledAt'>) {
  return {
    startDate: row.startDate,
    endDate: row.endDate,
    paid: row.paidOn !== null,
    cancelled: row.cancelledAt !== null,
  };
}
