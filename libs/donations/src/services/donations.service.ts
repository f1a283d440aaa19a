import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { DomainError, LocalDate, escapeLike, isUuid, newId, systemContext, type OrgContext } from '@ruche/core';
import type {
  CreateDonationInput,
  DonationListQuery,
  DonationStatus,
  DonationView,
  DonorTotalView,
  GiftMethod,
  JoinResultView,
  OnlinePaymentMethod,
  Page,
  PaymentMethod,
  PaymentStatus,
  PublicDonationFormView,
  PublicDonationInput,
} from '@ruche/contracts';
import { AuditService, Clock, pdfAmount } from '@ruche/platform';
import { OrganizationEntity } from '@ruche/organizations';
import { ContactEntity, ContactsService, PrivacyService, displayName } from '@ruche/contacts';
import { BankStatementsService, LedgerService } from '@ruche/accounting';
import {
  CheckoutService,
  PaymentNoticesService,
  PaymentsService,
  StripeAccountsService,
  type AfterCommit,
  type PaymentSnapshot,
} from '@ruche/payments';
import { ReceiptSettingsService, ReceiptsService } from '@ruche/receipts';
import { DonationEntity } from '../entities/donation.entities';
import { CampaignsService } from './campaigns.service';

const STATUS_OF_PAYMENT: Partial<Record<PaymentStatus, DonationStatus>> = {
  succeeded: 'paid',
  failed: 'failed',
  cancelled: 'cancelled',
  partially_refunded: 'partially_refunded',
  refunded: 'refunded',
};

/** How the cerfa's "mode de versement" box reads a payment method. */
export function giftMethodOf(method: PaymentMethod | null): GiftMethod | null {
  switch (method) {
    case 'cash':
      return 'cash';
    case 'cheque':
      return 'cheque';
    case 'card':
    case 'sepa_debit':
    case 'transfer':
      return 'transfer_card_debit';
    default:
      return null;
  }
}

const SELECT = `SELECT d.*, d.received_on::text AS received_on_text, cp.name AS campaign_name,
  CASE WHEN c.kind = 'organization' THEN c.organization_name ELSE trim(concat_ws(' ', c.first_name, c.last_name)) END AS donor_name
  FROM donations d
  JOIN contacts c ON c.organization_id = d.organization_id AND c.id = d.contact_id
  LEFT JOIN donation_campaigns cp ON cp.organization_id = d.organization_id AND cp.id = d.campaign_id`;

/**
 * Gifts: recorded at the desk (money posted at once through payments, in kind and renounced
 * expenses posted here), or given online through Stripe Checkout (once or monthly). A paid gift
 * that wants a receipt is declared to receipts in the same transaction; refunds withdraw it.
 */
@Injectable()
export class DonationsService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contacts: ContactsService,
    private readonly privacy: PrivacyService,
    private readonly payments: PaymentsService,
    private readonly checkout: CheckoutService,
    private readonly stripe: StripeAccountsService,
    private readonly ledger: LedgerService,
    private readonly receipts: ReceiptsService,
    private readonly receiptSettings: ReceiptSettingsService,
    private readonly campaigns: CampaignsService,
    private readonly audit: AuditService,
    private readonly notices: PaymentNoticesService,
    private readonly bank: BankStatementsService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.payments.registerPurpose({
      purpose: 'donation',
      onStatusChanged: (ctx, payment, m) => this.settleFromPayment(ctx, payment, m),
      nextPurpose: async (ctx, input, m) => {
        if (!input.purposeRef || !isUuid(input.purposeRef)) return null;
        const first = await m
          .getRepository(DonationEntity)
          .findOne({ where: { organizationId: ctx.organizationId, id: input.purposeRef } });
        if (!first) return null;
        const campaign = first.campaignId
          ? await this.campaigns.entity(ctx, first.campaignId, m)
          : null;
        const id = newId();
        const now = this.clock.now();
        await m.getRepository(DonationEntity).insert({
          ...first,
          id,
          seriesId: first.seriesId ?? first.id,
          status: 'pending',
          refundedCents: '0',
          receivedOn: null,
          paymentId: null,
          entryId: null,
          note: null,
          createdAt: now,
          updatedAt: now,
        });
        return {
          purposeId: id,
          label: this.label(first, campaign?.name ?? null),
          revenueRole: first.donorKind === 'company' ? 'sponsorship_revenue' : 'donation_revenue',
          revenueAccount: campaign?.revenueAccount ?? null,
        };
      },
    });
    this.contacts.registerMergeParticipant({
      name: 'donations',
      moveReferences: async (ctx, from, to, m) => {
        const [{ n }] = await m.query<{ n: number }[]>(
          `WITH moved AS (UPDATE donations SET contact_id = $3, updated_at = $4 WHERE organization_id = $1 AND contact_id = $2 RETURNING 1)
           SELECT count(*)::int AS n FROM moved`,
          [ctx.organizationId, from, to, this.clock.now()],
        );
        return n;
      },
    });
    this.privacy.registerContributor({
      name: 'donations',
      collect: async (ctx, contactId) => {
        const page = await this.list(ctx, { contactId, limit: 200, offset: 0 });
        if (page.items.length === 0) return [];
        return [
          {
            title: 'Dons',
            rows: page.items.map((d): [string, string] => [
              `${d.receivedOn ?? d.createdAt.slice(0, 10)} ${d.campaignName ?? ''}`.trim(),
              `${pdfAmount(d.amountCents)} ${d.currency}, ${d.status}${d.method ? ` (${d.method})` : ''}`,
            ]),
          },
        ];
      },
    });
  }

  private label(d: Pick<DonationEntity, 'frequency'>, campaignName: string | null): string {
    return `Don${d.frequency === 'monthly' ? ' mensuel' : ''}${campaignName ? ` - ${campaignName}` : ''}`;
  }

  /** The payment of an online gift moved: the gift follows, and receipts hear of it. */
  async settleFromPayment(
    ctx: OrgContext,
    payment: PaymentSnapshot,
    m: EntityManager,
  ): Promise<AfterCommit | void> {
    if (!payment.purposeId) return;
    const [locked] = await m.query<{ id: string }[]>(
      'SELECT id FROM donations WHERE organization_id = $1 AND id = $2 FOR UPDATE',
      [ctx.organizationId, payment.purposeId],
    );
    if (!locked) return;
    const donation = await m
      .getRepository(DonationEntity)
      .findOneOrFail({ where: { organizationId: ctx.organizationId, id: payment.purposeId } });
    const status = STATUS_OF_PAYMENT[payment.status];
    if (!status || status === donation.status) return;
    const after: AfterCommit[] = [];
    const changes: Partial<DonationEntity> = {
      status,
      paymentId: payment.id,
      refundedCents: String(payment.refundedCents),
      updatedAt: this.clock.now(),
    };
    if (status === 'paid' || (donation.receivedOn === null && payment.paidOn)) {
      changes.receivedOn = payment.paidOn ?? donation.receivedOn;
      changes.method = payment.method ?? donation.method;
      changes.entryId = payment.entryId;
      changes.amountCents = String(payment.amountCents);
    }
    await m
      .getRepository(DonationEntity)
      .update({ organizationId: ctx.organizationId, id: donation.id }, changes);
    const current = { ...donation, ...changes };
    if (status === 'paid' && current.wantsReceipt && current.receivedOn) {
      const { after: issue } = await this.receipts.registerGift(ctx, this.gift(current), m);
      if (issue) after.push(issue);
    }
    if (status === 'refunded' || status === 'partially_refunded') {
      after.push(
        ...(await this.receipts.withdrawGift(
          ctx,
          { sourceKind: 'donation', sourceId: donation.id },
          payment.refundedCents,
          status === 'refunded' ? 'Don remboursé' : 'Don remboursé en partie',
          m,
        )),
      );
    }
    await this.audit.record(
      ctx,
      {
        action: `donation.${status}`,
        entityType: 'donation',
        entityId: donation.id,
        before: { status: donation.status },
        after: { status, paymentId: payment.id, refundedCents: payment.refundedCents },
      },
      m,
    );
    return async () => {
      for (const run of after) await run();
    };
  }

  private gift(d: DonationEntity) {
    return {
      sourceKind: 'donation' as const,
      sourceId: d.id,
      contactId: d.contactId,
      receivedOn: d.receivedOn as string,
      amountCents: Number(d.amountCents),
      currency: d.currency,
      nature:
        d.kind === 'money'
          ? ('money' as const)
          : d.kind === 'in_kind'
            ? ('in_kind' as const)
            : ('expense_waiver' as const),
      method: d.kind === 'money' ? giftMethodOf(d.method) : null,
      description: d.description,
      valuationMethod: d.valuationMethod,
      recurring: d.frequency === 'monthly',
    };
  }

  // ---- At the desk ---------------------------------------------------------------------------

  async create(ctx: OrgContext, input: CreateDonationInput): Promise<DonationView> {
    const { id, after } = await this.dataSource.transaction(async (m) => {
      const contact = await this.contacts.lockLive(ctx, input.contactId, m).catch((error) => {
        // The input's fault (no such contact, merged, erased); anything else, such as the
        // database being unreachable, keeps its own answer (503), not "no such contact".
        if (!(error instanceof DomainError)) throw error;
        throw DomainError.invalid('contacts.not_found', 'No such contact', 'contactId');
      });
      const org = await m
        .getRepository(OrganizationEntity)
        .findOneOrFail({ where: { id: ctx.organizationId } });
      const today = LocalDate.fromInstant(this.clock.now(), org.timeZone).toString();
      if (input.receivedOn > today)
        throw DomainError.invalid(
          'donations.date_in_future',
          'A gift cannot be received in the future',
          'receivedOn',
        );
      const campaign = input.campaignId
        ? await this.campaigns.entity(ctx, input.campaignId, m)
        : null;
      const company = contact.kind === 'organization';
      const revenueRole = company
        ? ('sponsorship_revenue' as const)
        : ('donation_revenue' as const);
      const id = newId();
      const now = this.clock.now();
      const label = `${input.kind === 'expense_waiver' ? 'Abandon de frais' : input.kind === 'in_kind' ? 'Don en nature' : 'Don'}${campaign ? ` - ${campaign.name}` : ''}`;
      let paymentId: string | null = null;
      let entryId: string;
      let posted: { entryId: string; number: number; created: boolean };
      if (input.kind === 'money') {
        const method = input.method as 'cheque' | 'cash' | 'transfer';
        const recorded = await this.payments.recordManual(
          ctx,
          {
            contactId: contact.id,
            purpose: 'donation',
            purposeId: id,
            label,
            amountCents: input.amount,
            currency: org.currency,
            method,
            receivedOn: input.receivedOn,
            reference:
              method === 'cheque'
                ? (input.chequeNumber ?? input.reference ?? null)
                : (input.reference ?? null),
            chequeBank: method === 'cheque' ? (input.chequeBank ?? null) : null,
            chequeDrawer: method === 'cheque' ? (input.chequeDrawer ?? null) : null,
            revenueRole,
            revenueAccount: campaign?.revenueAccount ?? null,
            analytic: campaign?.analytic ?? null,
          },
          m,
        );
        paymentId = recorded.payment.id;
        entryId = recorded.posted.entryId;
        posted = recorded.posted;
      } else {
        const settings = await this.campaigns.settings(ctx, m);
        posted = await this.ledger.postEvent(
          ctx,
          {
            event: {
              kind: 'gift_in_kind',
              amountCents: input.amount,
              debitAccount: input.debitAccount as string,
              revenue: revenueRole,
              revenueAccount:
                input.kind === 'expense_waiver'
                  ? settings.expenseWaiverAccount
                  : (campaign?.revenueAccount ?? undefined),
            },
            date: input.receivedOn,
            label: `${label} - ${displayName(contact)}`.slice(0, 200),
            source: `donation:${id}`,
            pieceRef: input.reference?.slice(0, 50) ?? null,
            counterpartyLabel: displayName(contact),
            analytic: campaign?.analytic ?? null,
          },
          m,
        );
        entryId = posted.entryId;
      }
      const row: DonationEntity = {
        id,
        organizationId: ctx.organizationId,
        contactId: contact.id,
        campaignId: campaign?.id ?? null,
        seriesId: null,
        kind: input.kind,
        frequency: 'once',
        donorKind: company ? 'company' : 'person',
        amountCents: String(input.amount),
        refundedCents: '0',
        currency: org.currency,
        method: input.kind === 'money' ? (input.method ?? null) : null,
        status: 'paid',
        receivedOn: input.receivedOn,
        description: input.description ?? null,
        valuationMethod: input.valuationMethod ?? null,
        debitAccount: input.debitAccount ?? null,
        wantsReceipt: input.wantsReceipt,
        source: 'desk',
        paymentId,
        entryId,
        note: input.note ?? null,
        createdAt: now,
        updatedAt: now,
      };
      await m.getRepository(DonationEntity).insert(row);
      await this.contacts.touch(ctx, contact.id, m);
      await this.audit.record(
        ctx,
        { action: 'donation.recorded', entityType: 'donation', entityId: id, after: input },
        m,
      );
      const after: AfterCommit[] = [];
      if (posted.created)
        after.push(() => this.ledger.publishPosted(ctx, posted.entryId, posted.number));
      if (row.wantsReceipt) {
        const { after: issue } = await this.receipts.registerGift(ctx, this.gift(row), m);
        if (issue) after.push(issue);
      }
      return { id, after };
    });
    for (const run of after) await run();
    return this.get(ctx, id);
  }

  // ---- Online ----------------------------------------------------------------------------------

  async form(organizationId: string, campaignId: string | null): Promise<PublicDonationFormView> {
    const { ctx, org } = await this.organization(organizationId);
    const mode = await this.stripe.mode(ctx.organizationId);
    const settings = await this.campaigns.settings(ctx);
    const campaign =
      campaignId && isUuid(campaignId)
        ? await this.campaigns.get(ctx, campaignId).catch(() => null)
        : null;
    const receiptView = await this.receiptSettings.view(ctx);
    const transfer = await this.bank.transferAccount(ctx.organizationId);
    return {
      organization: { id: org.id, name: org.name },
      onlinePayment: mode !== null || transfer !== null,
      mode,
      methods: mode ? ['card', 'sepa_debit'] : [],
      transfer: transfer
        ? { holder: transfer.holder, iban: transfer.iban, bic: transfer.bic }
        : null,
      campaign:
        campaign && campaign.active
          ? {
              id: campaign.id,
              name: campaign.name,
              description: campaign.description,
              goalCents: campaign.goalCents,
              raisedCents: campaign.raisedCents,
              allowMonthly: campaign.allowMonthly,
            }
          : null,
      suggestedAmounts:
        campaign && campaign.active && campaign.suggestedAmounts.length > 0
          ? campaign.suggestedAmounts
          : settings.suggestedAmounts,
      monthlySuggestedAmounts: settings.monthlySuggestedAmounts,
      minimumCents: settings.minimumCents,
      currency: org.currency,
      receipts: receiptView.enabled,
      rates: receiptView.enabled ? receiptView.rates : null,
    };
  }

  async donate(
    organizationId: string,
    input: PublicDonationInput,
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
    if (byTransfer && input.frequency === 'monthly')
      throw DomainError.invalid(
        'donations.monthly_needs_debit',
        'A monthly gift is paid by card or SEPA debit (a standing order of your bank works too)',
        'frequency',
      );
    if (!byTransfer && !(await this.stripe.mode(ctx.organizationId)))
      throw DomainError.conflict(
        'payments.stripe_not_connected',
        'Online payment is not open for this association',
      );
    const settings = await this.campaigns.settings(ctx);
    if (input.amount < settings.minimumCents)
      throw DomainError.invalid(
        'donations.below_minimum',
        `At least ${pdfAmount(settings.minimumCents)} ${org.currency}`,
        'amount',
      );
    const started = await this.dataSource.transaction(async (m) => {
      const campaign = input.campaignId
        ? await this.campaigns.entity(ctx, input.campaignId, m)
        : null;
      if (campaign && !campaign.active)
        throw DomainError.invalid(
          'donations.campaign_closed',
          'This campaign is closed',
          'campaignId',
        );
      if (input.frequency === 'monthly' && campaign && !campaign.allowMonthly)
        throw DomainError.invalid(
          'donations.no_monthly',
          'This campaign takes one-off gifts only',
          'frequency',
        );
      const company = input.donorKind === 'company';
      const existing = await m.getRepository(ContactEntity).findOne({
        where: {
          organizationId: ctx.organizationId,
          email: input.email,
          kind: company ? 'organization' : 'person',
          mergedIntoId: IsNull(),
          erasedAt: IsNull(),
        },
        order: { createdAt: 'ASC' },
      });
      let contactId: string;
      if (existing) {
        contactId = existing.id;
        // The receipt needs the address: fill what the record lacks, never overwrite.
        await m.query(
          `UPDATE contacts SET address_line1 = COALESCE(address_line1, $3), postal_code = COALESCE(postal_code, $4), city = COALESCE(city, $5),
                  siren = COALESCE(siren, $6) WHERE organization_id = $1 AND id = $2`,
          [
            ctx.organizationId,
            existing.id,
            input.addressLine1 ?? null,
            input.postalCode ?? null,
            input.city ?? null,
            input.siren ?? null,
          ],
        );
        await this.contacts.touch(ctx, existing.id, m);
      } else {
        contactId = (
          await this.contacts.create(
            ctx,
            {
              kind: company ? 'organization' : 'person',
              civility: input.civility ?? null,
              firstName: input.firstName,
              lastName: input.lastName,
              organizationName: company ? (input.companyName ?? null) : null,
              siren: company ? (input.siren ?? null) : null,
              birthDate: null,
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
              customFields: {},
              tagIds: [],
              householdId: null,
              confirmNotDuplicate: true,
            },
            m,
          )
        ).contact.id;
      }
      if (input.newsletter || existing)
        await this.privacy.recordConsent(
          ctx,
          contactId,
          { kind: 'newsletter', granted: input.newsletter, source: 'form' },
          m,
        );
      const id = newId();
      const now = this.clock.now();
      const row: DonationEntity = {
        id,
        organizationId: ctx.organizationId,
        contactId,
        campaignId: campaign?.id ?? null,
        seriesId: null,
        kind: 'money',
        frequency: input.frequency,
        donorKind: company ? 'company' : 'person',
        amountCents: String(input.amount),
        refundedCents: '0',
        currency: org.currency,
        method: input.method,
        status: 'pending',
        receivedOn: null,
        description: null,
        valuationMethod: null,
        debitAccount: null,
        wantsReceipt: input.wantsReceipt,
        source: 'online',
        paymentId: null,
        entryId: null,
        note: null,
        createdAt: now,
        updatedAt: now,
      };
      await m.getRepository(DonationEntity).insert(row);
      const label = this.label(row, campaign?.name ?? null);
      const payment = await this.payments.createPending(
        ctx,
        {
          contactId,
          purpose: 'donation',
          purposeId: id,
          label,
          amountCents: input.amount,
          currency: org.currency,
          method: input.method,
          revenueRole: company ? 'sponsorship_revenue' : 'donation_revenue',
          revenueAccount: campaign?.revenueAccount ?? null,
          analytic: campaign?.analytic ?? null,
          locale: input.locale,
        },
        m,
        byTransfer ? { expectedTransfer: true, cause: 'donate-transfer' } : {},
      );
      await m
        .getRepository(DonationEntity)
        .update({ organizationId: ctx.organizationId, id }, { paymentId: payment.id });
      const after =
        byTransfer && transferAccount
          ? await this.notices.transferInstructions(ctx, m, payment, transferAccount)
          : [];
      await this.audit.record(
        ctx,
        {
          action: 'donation.started',
          entityType: 'donation',
          entityId: id,
          after: { amountCents: input.amount, frequency: input.frequency },
        },
        m,
      );
      return {
        paymentId: payment.id,
        email: input.email,
        label,
        contactId,
        donationId: id,
        payment,
        after,
      };
    });
    const { paymentId, email, label, contactId, donationId } = started;
    if (byTransfer && transferAccount) {
      for (const task of started.after) await task().catch(() => undefined);
      return {
        paymentId,
        checkoutUrl: null,
        transfer: {
          holder: transferAccount.holder,
          iban: transferAccount.iban,
          bic: transferAccount.bic,
          amountCents: Number(started.payment.amountCents),
          currency: started.payment.currency,
          reference: started.payment.reference ?? '',
        },
      };
    }
    const session = await this.checkout.start(ctx, paymentId, {
      method: input.method as OnlinePaymentMethod,
      customerEmail: email,
      successPath: `/don/${org.id}/merci?session_id={CHECKOUT_SESSION_ID}`,
      cancelPath: `/don/${org.id}?annule=1${input.campaignId ? `&campagne=${input.campaignId}` : ''}`,
      description: label,
      ...(input.frequency === 'monthly'
        ? {
            subscription: {
              interval: 'month' as const,
              purposeRef: donationId,
              contactId,
            },
          }
        : {}),
    });
    return { paymentId, checkoutUrl: session.url, transfer: null };
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

  // ---- Reading ---------------------------------------------------------------------------------

  async list(ctx: OrgContext, q: DonationListQuery): Promise<Page<DonationView>> {
    const where = ['d.organization_id = $1'];
    const params: unknown[] = [ctx.organizationId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (q.year)
      add(
        'COALESCE(d.received_on, d.created_at::date) BETWEEN make_date(?, 1, 1) AND make_date(?, 12, 31)',
        q.year,
      );
    if (q.campaignId) add('d.campaign_id = ?', q.campaignId);
    if (q.contactId) add('d.contact_id = ?', q.contactId);
    if (q.status) add('d.status = ?', q.status);
    if (q.kind) add('d.kind = ?', q.kind);
    if (q.q) add("(c.search_text ILIKE '%' || ? || '%' OR cp.name ILIKE '%' || ? || '%')", escapeLike(q.q));
    const sqlWhere = where.join(' AND ');
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM donations d JOIN contacts c ON c.organization_id = d.organization_id AND c.id = d.contact_id
         LEFT JOIN donation_campaigns cp ON cp.organization_id = d.organization_id AND cp.id = d.campaign_id WHERE ${sqlWhere}`,
      params,
    );
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `${SELECT} WHERE ${sqlWhere} ORDER BY COALESCE(d.received_on, d.created_at::date) DESC, d.created_at DESC LIMIT ${q.limit} OFFSET ${q.offset}`,
      params,
    );
    return { items: await this.views(ctx, rows), total, limit: q.limit, offset: q.offset };
  }

  async get(ctx: OrgContext, id: string): Promise<DonationView> {
    const rows = isUuid(id)
      ? await this.dataSource.query<Record<string, unknown>[]>(
          `${SELECT} WHERE d.organization_id = $1 AND d.id = $2`,
          [ctx.organizationId, id],
        )
      : [];
    if (rows.length === 0) throw DomainError.notFound('donations.not_found', 'No such donation');
    return (await this.views(ctx, rows))[0];
  }

  private async views(ctx: OrgContext, rows: Record<string, unknown>[]): Promise<DonationView[]> {
    const receipts = await this.receipts.receiptOfSources(
      ctx,
      'donation',
      rows.map((r) => r['id'] as string),
    );
    return rows.map((r) => {
      const receipt = receipts.get(r['id'] as string);
      return {
        id: r['id'] as string,
        contactId: r['contact_id'] as string,
        donorName: (r['donor_name'] as string) ?? '',
        donorKind: r['donor_kind'] as 'person' | 'company',
        campaignId: (r['campaign_id'] as string | null) ?? null,
        campaignName: (r['campaign_name'] as string | null) ?? null,
        kind: r['kind'] as DonationView['kind'],
        frequency: r['frequency'] as DonationView['frequency'],
        amountCents: Number(r['amount_cents']),
        refundedCents: Number(r['refunded_cents']),
        currency: r['currency'] as string,
        method: (r['method'] as PaymentMethod | null) ?? null,
        status: r['status'] as DonationStatus,
        receivedOn: (r['received_on_text'] as string | null) ?? null,
        description: (r['description'] as string | null) ?? null,
        wantsReceipt: r['wants_receipt'] as boolean,
        source: r['source'] as 'desk' | 'online',
        paymentId: (r['payment_id'] as string | null) ?? null,
        entryId: (r['entry_id'] as string | null) ?? null,
        giftId: receipt?.giftId ?? null,
        receiptId: receipt?.id ?? null,
        receiptReference: receipt?.reference ?? null,
        note: (r['note'] as string | null) ?? null,
        createdAt: (r['created_at'] as Date).toISOString(),
      };
    });
  }

  /** Each donor's gifts of a year (paid, less refunds). */
  async donors(ctx: OrgContext, year: number): Promise<DonorTotalView[]> {
    const rows = await this.dataSource.query<
      { contact_id: string; donor_name: string; n: number; total: string; currency: string }[]
    >(
      `SELECT d.contact_id, min(CASE WHEN c.kind = 'organization' THEN c.organization_name ELSE trim(concat_ws(' ', c.first_name, c.last_name)) END) AS donor_name,
              count(*)::int AS n, sum(d.amount_cents - d.refunded_cents)::text AS total, min(d.currency) AS currency
         FROM donations d JOIN contacts c ON c.organization_id = d.organization_id AND c.id = d.contact_id
        WHERE d.organization_id = $1 AND d.status IN ('paid', 'partially_refunded') AND d.received_on BETWEEN $2 AND $3
        GROUP BY d.contact_id ORDER BY sum(d.amount_cents - d.refunded_cents) DESC LIMIT 1000`,
      [ctx.organizationId, `${year}-01-01`, `${year}-12-31`],
    );
    return rows.map((r) => ({
      contactId: r.contact_id,
      donorName: r.donor_name ?? '',
      year,
      count: r.n,
      totalCents: Number(r.total),
      currency: r.currency,
    }));
  }
}
