import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import {
  DomainError,
  LocalDate,
  escapeLike,
  isUuid,
  neutralizeFormula,
  newId,
  systemContext,
  type OrgContext,
} from '@ruche/core';
import type {
  AnnualBatchView,
  CancelReceiptInput,
  GiftForm,
  GiftMethod,
  GiftNature,
  Page,
  ReceiptDeclarationView,
  ReceiptGiftListQuery,
  ReceiptGiftView,
  ReceiptListQuery,
  ReceiptMode,
  ReceiptModel,
  ReceiptView,
  TaxArticle,
} from '@ruche/contracts';
import {
  AuditService,
  Clock,
  LOGGER,
  OutboundEmailsService,
  QueuePort,
  jobId,
  pdfAmount,
  pdfDate,
  renderReportPdf,
  sweepRun,
} from '@ruche/platform';
import { OrganizationEntity } from '@ruche/organizations';
import { ContactEntity, ContactsService, PrivacyService, displayName } from '@ruche/contacts';
import {
  ReceiptEntity,
  ReceiptGiftEntity,
  ReceiptLineEntity,
  type ReceiptSettingsEntity,
} from '../entities/receipt.entities';
import { donorProblems, issuerProblems, receiptReference } from '../domain/readiness';
import type { ReceiptDocument } from '../documents/receipt.pdf';
import { ReceiptRenderPool } from '../documents/render-pool';
import { receiptCancelledEmail, receiptEmail } from '../emails/receipt.email';
import { ReceiptSettingsService } from './receipt-settings.service';

/** What the owning domain (donations, memberships) declares when a receiptable gift is paid. */
export interface GiftInput {
  sourceKind: 'donation' | 'membership';
  sourceId: string;
  contactId: string;
  receivedOn: string;
  amountCents: number;
  currency: string;
  nature: GiftNature;
  form?: GiftForm;
  method: GiftMethod | null;
  description?: string | null;
  valuationMethod?: string | null;
  /** A monthly gift: the organization's mode for recurring donors (the annual one by default). */
  recurring: boolean;
}

export type AfterCommit = () => Promise<void>;

interface Issuer {
  org: OrganizationEntity;
  settings: ReceiptSettingsEntity;
  signature: { mime: string; image: Buffer } | null;
  today: string;
}

interface IssueRequest {
  contact: ContactEntity;
  gifts: ReceiptGiftEntity[];
  kind: 'single' | 'annual';
  replaces: { id: string; reference: string } | null;
}

interface Issued {
  receipt: ReceiptEntity;
  emailId: string | null;
}

const RECEIPT_COLUMNS = `r.id, r.organization_id, r.year, r.number, r.reference, r.kind, r.model, r.contact_id, r.donor_name,
  r.amount_cents, r.currency, r.period_start::text AS period_start, r.period_end::text AS period_end, r.issued_on::text AS issued_on,
  r.issued_at, r.pdf_sha256, r.status, r.cancelled_at, r.cancel_reason, r.replaces_id, r.replaced_by_id,
  rp.reference AS replaces_reference, rb.reference AS replaced_by_reference,
  e.status AS email_status, e.sent_at AS email_sent_at`;

const RECEIPT_FROM = `FROM receipts r
  LEFT JOIN receipts rp ON rp.organization_id = r.organization_id AND rp.id = r.replaces_id
  LEFT JOIN receipts rb ON rb.organization_id = r.organization_id AND rb.id = r.replaced_by_id
  LEFT JOIN outbound_emails e ON e.id = r.email_id`;

interface ReceiptRow {
  id: string;
  year: number;
  number: number;
  reference: string;
  kind: 'single' | 'annual';
  model: ReceiptModel;
  contact_id: string;
  donor_name: string;
  amount_cents: string;
  currency: string;
  period_start: string;
  period_end: string;
  issued_on: string;
  issued_at: Date;
  pdf_sha256: string;
  status: 'issued' | 'cancelled';
  cancelled_at: Date | null;
  cancel_reason: string | null;
  replaces_id: string | null;
  replaced_by_id: string | null;
  replaces_reference: string | null;
  replaced_by_reference: string | null;
  email_status: 'pending' | 'sent' | 'failed' | null;
  email_sent_at: Date | null;
}

const METHOD_OF_GIFT: Record<GiftMethod, string> = {
  cash: 'espèces',
  cheque: 'chèque',
  transfer_card_debit: 'virement, prélèvement ou carte',
};

/**
 * Fiscal receipts: gifts declared by the owning domains, receipts issued with a gapless number
 * per organization and calendar year (allocated in the issuing transaction), the PDF frozen with
 * its SHA-256, emailed through `outbound_emails`; cancelled (never edited) and replaced.
 */
@Injectable()
export class ReceiptsService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: ReceiptSettingsService,
    private readonly renderer: ReceiptRenderPool,
    private readonly contacts: ContactsService,
    private readonly privacy: PrivacyService,
    private readonly emails: OutboundEmailsService,
    private readonly queue: QueuePort,
    private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.emails.registerAttachmentResolver('receipt', async (ref, organizationId) => {
      const id = ref.slice('receipt:'.length);
      if (!organizationId || !isUuid(id)) return null;
      return this.pdfBytes(organizationId, id);
    });
    this.contacts.registerMergeParticipant({
      name: 'receipts',
      moveReferences: async (ctx, from, to, m) => {
        const [{ n }] = await m.query<{ n: number }[]>(
          `WITH g AS (UPDATE receipt_gifts SET contact_id = $3, updated_at = $4 WHERE organization_id = $1 AND contact_id = $2 RETURNING 1),
                r AS (UPDATE receipts SET contact_id = $3 WHERE organization_id = $1 AND contact_id = $2 RETURNING 1)
           SELECT (SELECT count(*) FROM g)::int + (SELECT count(*) FROM r)::int AS n`,
          [ctx.organizationId, from, to, this.clock.now()],
        );
        return n;
      },
    });
    this.privacy.registerContributor({
      name: 'receipts',
      collect: async (ctx, contactId) => {
        const rows = await this.forContact(ctx, contactId);
        if (rows.length === 0) return [];
        return [
          {
            title: 'Reçus fiscaux',
            rows: rows.map((r): [string, string] => [
              `${r.reference} (${r.issuedOn})`,
              `${pdfAmount(r.amountCents)} ${r.currency}, ${r.status === 'cancelled' ? 'annulé' : 'émis'}`,
            ]),
          },
        ];
      },
    });
  }

  // ---- Gifts declared by the owning domains ------------------------------------------------

  /**
   * A receiptable gift was paid: recorded once per source (twice: nothing more). In per-gift
   * mode the receipt is issued by a job after commit.
   */
  async registerGift(
    ctx: OrgContext,
    input: GiftInput,
    m: EntityManager,
  ): Promise<{ giftId: string; after: AfterCommit | null }> {
    if (!Number.isInteger(input.amountCents) || input.amountCents <= 0)
      throw DomainError.invalid('receipts.amount_invalid', 'A gift is a positive amount', 'amount');
    const s = await this.settings.settings(ctx, m);
    const mode: ReceiptMode = input.recurring ? s.recurringMode : s.defaultMode;
    const now = this.clock.now();
    await m.query(
      `INSERT INTO receipt_gifts (id, organization_id, contact_id, source_kind, source_id, received_on, amount_cents, withdrawn_cents, currency,
                                  nature, form, method, description, valuation_method, mode, blocked_reason, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10, $11, $12, $13, $14, NULL, $15, $15)
       ON CONFLICT (organization_id, source_kind, source_id) DO NOTHING`,
      [
        newId(),
        ctx.organizationId,
        input.contactId,
        input.sourceKind,
        input.sourceId,
        input.receivedOn,
        input.amountCents,
        input.currency,
        input.nature,
        input.form ?? 'manual_gift',
        input.method,
        input.description ?? null,
        input.valuationMethod ?? null,
        mode,
        now,
      ],
    );
    const gift = await m.getRepository(ReceiptGiftEntity).findOneOrFail({
      where: {
        organizationId: ctx.organizationId,
        sourceKind: input.sourceKind,
        sourceId: input.sourceId,
      },
    });
    const after =
      gift.mode === 'per_gift' && s.enabled
        ? () => this.enqueueIssue(ctx.organizationId, gift.id)
        : null;
    return { giftId: gift.id, after };
  }

  enqueueIssue(organizationId: string, giftId: string): Promise<void> {
    return this.queue.enqueue(
      'receipts.issue-receipt',
      { organizationId, giftId },
      { jobId: jobId('receipts.issue-receipt', giftId) },
    );
  }

  /**
   * Money given back (refund, lost dispute): the receiptable amount shrinks to what is left. The
   * receipt covering the gift is cancelled and, when something is left to certify (the rest of
   * the gift, the other gifts of an annual receipt), replaced by a new one.
   */
  async withdrawGift(
    ctx: OrgContext,
    source: { sourceKind: 'donation' | 'membership'; sourceId: string },
    withdrawnCents: number,
    reason: string,
    m: EntityManager,
  ): Promise<AfterCommit[]> {
    const gift = await m
      .getRepository(ReceiptGiftEntity)
      .createQueryBuilder('g')
      .setLock('pessimistic_write')
      .where('g.organization_id = :org AND g.source_kind = :kind AND g.source_id = :id', {
        org: ctx.organizationId,
        kind: source.sourceKind,
        id: source.sourceId,
      })
      .getOne();
    if (!gift) return [];
    const withdrawn = Math.min(Number(gift.amountCents), Math.max(0, withdrawnCents));
    if (withdrawn <= Number(gift.withdrawnCents)) return [];
    await m.update(
      ReceiptGiftEntity,
      { organizationId: ctx.organizationId, id: gift.id },
      { withdrawnCents: String(withdrawn), updatedAt: this.clock.now() },
    );
    await this.audit.record(
      ctx,
      {
        action: 'receipts.gift-withdrawn',
        entityType: 'receipt_gift',
        entityId: gift.id,
        before: { withdrawnCents: Number(gift.withdrawnCents) },
        after: { withdrawnCents: withdrawn, reason },
      },
      m,
    );
    const covering = await m.query<{ receipt_id: string }[]>(
      `SELECT receipt_id FROM receipt_lines WHERE organization_id = $1 AND gift_id = $2 AND active`,
      [ctx.organizationId, gift.id],
    );
    if (covering.length === 0) return [];
    return this.cancelInTx(ctx, m, covering[0].receipt_id, reason, 'auto');
  }

  /**
   * Per-gift gifts still waiting (receipts were off, settings or donor incomplete): queued again,
   * e.g. once the settings are complete. Returns how many were queued.
   */
  async retryWaiting(ctx: OrgContext): Promise<number> {
    const s = await this.settings.settings(ctx);
    if (!s.enabled) return 0;
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT g.id FROM receipt_gifts g WHERE g.organization_id = $1 AND g.mode = 'per_gift' AND g.withdrawn_cents < g.amount_cents
          AND NOT EXISTS (SELECT 1 FROM receipt_lines l WHERE l.organization_id = g.organization_id AND l.gift_id = g.id AND l.active)
        ORDER BY g.received_on, g.id LIMIT 5000`,
      [ctx.organizationId],
    );
    await this.queue.enqueueMany(
      'receipts.issue-receipt',
      rows.map((r) => ({
        payload: { organizationId: ctx.organizationId, giftId: r.id },
        // A new id each time: a gift retried after a fix must run again.
        options: {
          jobId: jobId('receipts.issue-receipt', `${r.id}-${this.clock.now().getTime()}`),
        },
      })),
    );
    // Who sent the waiting gifts to be receipted (each receipt issued is audited by itself).
    await this.dataSource.transaction((m) =>
      this.audit.record(
        ctx,
        {
          action: 'receipts.retry-requested',
          entityType: 'receipt_gift',
          entityId: null,
          after: { queued: rows.length },
        },
        m,
      ),
    );
    return rows.length;
  }

  /**
   * The sweep: per-gift gifts left waiting (a crash between the gift's commit and its job), in
   * organizations that issue receipts, re-enqueued; blocked ones wait for a fix or a retry.
   */
  async sweepWaiting(olderThanMs = 30_000): Promise<number> {
    const rows = await this.dataSource.query<{ organization_id: string; id: string }[]>(
      `SELECT g.organization_id, g.id FROM receipt_gifts g
         JOIN receipt_settings s ON s.organization_id = g.organization_id AND s.enabled
        WHERE g.mode = 'per_gift' AND g.blocked_reason IS NULL AND g.withdrawn_cents < g.amount_cents AND g.created_at < $1
          AND NOT EXISTS (SELECT 1 FROM receipt_lines l WHERE l.organization_id = g.organization_id AND l.gift_id = g.id AND l.active)
        ORDER BY g.created_at LIMIT 1000`,
      [new Date(this.clock.now().getTime() - olderThanMs)],
    );
    await this.queue.enqueueMany(
      'receipts.issue-receipt',
      rows.map((r) => ({
        payload: { organizationId: r.organization_id, giftId: r.id },
        options: {
          jobId: jobId('receipts.issue-receipt', `${r.id}-${sweepRun(this.clock.now())}`),
        },
      })),
    );
    return rows.length;
  }

  // ---- Issuing -----------------------------------------------------------------------------

  /** The job: issue the receipt of one gift if it is still waiting; blocked gifts say why. */
  async issueForGift(organizationId: string, giftId: string): Promise<void> {
    const ctx = systemContext(organizationId);
    const after = await this.dataSource.transaction(async (m) => {
      const result = await this.issueGiftInTx(ctx, m, giftId, false);
      return result.after;
    });
    for (const run of after) await run();
  }

  /** On demand from the admin: the receipt, or a 422 that lists what is missing. */
  async issueNow(ctx: OrgContext, giftId: string): Promise<ReceiptView> {
    if (!isUuid(giftId)) throw DomainError.notFound('receipts.gift_not_found', 'No such gift');
    const { receiptId, after } = await this.dataSource.transaction((m) =>
      this.issueGiftInTx(ctx, m, giftId, true),
    );
    for (const run of after) await run();
    if (!receiptId)
      throw DomainError.conflict('receipts.already_receipted', 'This gift already has a receipt');
    return this.get(ctx, receiptId);
  }

  private async issueGiftInTx(
    ctx: OrgContext,
    m: EntityManager,
    giftId: string,
    strict: boolean,
  ): Promise<{ receiptId: string | null; after: AfterCommit[] }> {
    const gift = await m
      .getRepository(ReceiptGiftEntity)
      .createQueryBuilder('g')
      .setLock('pessimistic_write')
      .where('g.organization_id = :org AND g.id = :id', { org: ctx.organizationId, id: giftId })
      .getOne();
    if (!gift) {
      if (strict) throw DomainError.notFound('receipts.gift_not_found', 'No such gift');
      return { receiptId: null, after: [] };
    }
    const [{ covered }] = await m.query<{ covered: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM receipt_lines WHERE organization_id = $1 AND gift_id = $2 AND active) AS covered`,
      [ctx.organizationId, gift.id],
    );
    if (covered) return { receiptId: null, after: [] };
    if (Number(gift.withdrawnCents) >= Number(gift.amountCents)) {
      if (strict)
        throw DomainError.conflict(
          'receipts.gift_refunded',
          'This gift was refunded: nothing to certify',
        );
      return { receiptId: null, after: [] };
    }
    const issuer = await this.issuer(ctx, m);
    const contact = await m
      .getRepository(ContactEntity)
      .findOneOrFail({ where: { organizationId: ctx.organizationId, id: gift.contactId } });
    const blocked = this.blockedReason(issuer, contact);
    if (blocked) {
      if (strict) this.throwBlocked(issuer, contact);
      await m.update(
        ReceiptGiftEntity,
        { organizationId: ctx.organizationId, id: gift.id },
        { blockedReason: blocked, updatedAt: this.clock.now() },
      );
      return { receiptId: null, after: [] };
    }
    const [issued] = await this.issueMany(ctx, m, issuer, [
      { contact, gifts: [gift], kind: 'single', replaces: null },
    ]);
    return { receiptId: issued.receipt.id, after: this.dispatchAll(ctx, [issued]) };
  }

  private async issuer(ctx: OrgContext, m: EntityManager): Promise<Issuer> {
    const org = await m
      .getRepository(OrganizationEntity)
      .findOneOrFail({ where: { id: ctx.organizationId } });
    const settings = await this.settings.settings(ctx, m);
    const signature = await this.settings.signature(ctx, m);
    return {
      org,
      settings,
      signature,
      today: LocalDate.fromInstant(this.clock.now(), org.timeZone).toString(),
    };
  }

  private blockedReason(issuer: Issuer, contact: ContactEntity): string | null {
    const problems = issuerProblems(issuer.org, {
      ...issuer.settings,
      hasSignature: issuer.signature !== null,
    });
    if (problems.length > 0)
      return 'Réglages des reçus fiscaux incomplets (Réglages > Reçus fiscaux)';
    if (contact.erasedAt) return 'Donateur effacé (RGPD)';
    const donor = donorProblems(contact);
    if (donor.length > 0)
      return `Fiche du donateur incomplète : ${donor.map((p) => p.fr).join(', ')}`.slice(0, 500);
    return null;
  }

  private throwBlocked(issuer: Issuer, contact: ContactEntity): never {
    const problems = issuerProblems(issuer.org, {
      ...issuer.settings,
      hasSignature: issuer.signature !== null,
    });
    if (problems.length > 0)
      throw new DomainError(
        'invalid',
        'receipts.settings_incomplete',
        'Receipts cannot be issued: settings are missing',
        {
          field: problems[0].field,
          details: problems.map((p) => ({
            field: p.field,
            code: `receipts.missing_${p.where}_setting`,
            message: p.message,
          })),
        },
      );
    const donor = donorProblems(contact);
    throw new DomainError(
      'invalid',
      'receipts.donor_incomplete',
      `The donor's record lacks ${donor.map((p) => p.en).join(', ')}`,
      {
        field: 'contactId',
        details: donor.map((p) => ({
          field: 'contactId',
          code: `receipts.donor_${p.code}`,
          message: p.en,
        })),
      },
    );
  }

  /**
   * Issues receipts in the caller's transaction: numbers allocated in one statement on the
   * counter row (locked until commit, so concurrent issuers queue and numbers have no gap),
   * PDFs rendered and stored with their SHA-256, lines linked, emails queued.
   */
  private async issueMany(
    ctx: OrgContext,
    m: EntityManager,
    issuer: Issuer,
    requests: IssueRequest[],
  ): Promise<Issued[]> {
    if (requests.length === 0) return [];
    const now = this.clock.now();
    const year = Number(issuer.today.slice(0, 4));
    const [{ last_number: last }] = await m.query<{ last_number: number }[]>(
      `INSERT INTO receipt_sequences (organization_id, year, last_number) VALUES ($1, $2, $3)
       ON CONFLICT (organization_id, year) DO UPDATE SET last_number = receipt_sequences.last_number + EXCLUDED.last_number
       RETURNING last_number`,
      [ctx.organizationId, year, requests.length],
    );
    const first = last - requests.length + 1;
    const org = issuer.org;
    const s = issuer.settings;
    const issued: Issued[] = [];
    const rendering: Promise<Buffer>[] = [];
    const receipts: ReceiptEntity[] = [];
    const lines: ReceiptLineEntity[] = [];
    for (const [index, request] of requests.entries()) {
      const number = first + index;
      const reference = receiptReference(year, number);
      const contact = request.contact;
      const company = contact.kind === 'organization';
      const model: ReceiptModel = company ? '16216*01' : '11580*05';
      const articles: TaxArticle[] = company
        ? ['238bis']
        : [
            ...(s.article200 ? (['200'] as const) : []),
            ...(s.article978 ? (['978'] as const) : []),
          ];
      const gifts = [...request.gifts].sort((a, b) => a.receivedOn.localeCompare(b.receivedOn));
      const amounts = gifts.map((g) => Number(g.amountCents) - Number(g.withdrawnCents));
      const total = amounts.reduce((a, b) => a + b, 0);
      const donorName = displayName(contact);
      const document: ReceiptDocument = {
        model,
        reference,
        kind: request.kind,
        replacesReference: request.replaces?.reference ?? null,
        issuer: {
          name: org.legalName ?? org.name,
          addressLines: [
            org.addressLine1 ?? '',
            ...(org.addressLine2 ? [org.addressLine2] : []),
            `${org.postalCode ?? ''} ${org.city ?? ''}`.trim(),
          ],
          siren: org.siren,
          rna: org.rna,
          object: org.object ?? '',
          organismType: org.organismType ?? 'general_interest',
          organismTypeOther: org.organismTypeOther,
          rupDecreeDate: s.rupDecreeDate,
          rupJournalDate: s.rupJournalDate,
        },
        donor: {
          kind: company ? 'company' : 'person',
          name: company
            ? (contact.organizationName ?? donorName)
            : `${(contact.lastName ?? '').toUpperCase()} ${contact.firstName ?? ''}`.trim(),
          siren: contact.siren,
          addressLines: [
            contact.addressLine1 ?? '',
            ...(contact.addressLine2 ? [contact.addressLine2] : []),
            `${contact.postalCode ?? ''} ${contact.city ?? ''}`.trim(),
            ...(contact.country && contact.country !== 'FR' ? [contact.country] : []),
          ],
        },
        amountCents: total,
        currency: gifts[0].currency,
        periodStart: gifts[0].receivedOn,
        periodEnd: gifts[gifts.length - 1].receivedOn,
        gifts: gifts.map((g, i) => ({
          receivedOn: g.receivedOn,
          amountCents: amounts[i],
          nature: g.nature,
          form: g.form,
          method: g.method,
          description: g.description,
          valuationMethod: g.valuationMethod,
        })),
        articles,
        issuedOn: issuer.today,
        place: s.place ?? '',
        signer: { name: s.signerName ?? '', title: s.signerTitle ?? '' },
        signature: issuer.signature,
      };
      if (request.kind === 'annual') {
        document.periodStart = `${gifts[0].receivedOn.slice(0, 4)}-01-01`;
        document.periodEnd = `${gifts[0].receivedOn.slice(0, 4)}-12-31`;
      }
      rendering.push(this.renderer.render(document, now));
      const { signature: _signature, ...printed } = document;
      const receipt: ReceiptEntity = {
        id: newId(),
        organizationId: ctx.organizationId,
        year,
        number,
        reference,
        kind: request.kind,
        model,
        contactId: contact.id,
        donorName: donorName.slice(0, 250),
        snapshot: printed,
        articles,
        amountCents: String(total),
        currency: document.currency,
        periodStart: document.periodStart,
        periodEnd: document.periodEnd,
        issuedOn: issuer.today,
        issuedAt: now,
        issuedBy: ctx.userId ?? null,
        pdfSha256: '',
        status: 'issued',
        cancelledAt: null,
        cancelReason: null,
        cancelledBy: null,
        replacesId: request.replaces?.id ?? null,
        replacedById: null,
        emailId: null,
      };
      receipts.push(receipt);
      gifts.forEach((g, i) =>
        lines.push({
          receiptId: receipt.id,
          giftId: g.id,
          organizationId: ctx.organizationId,
          amountCents: String(amounts[i]),
          receivedOn: g.receivedOn,
          active: true,
        }),
      );
      issued.push({ receipt, emailId: null });
    }
    // Rendered on the pool's threads, all at once (the numbers are already theirs).
    const pdfs = await Promise.all(rendering);
    receipts.forEach((r, i) => {
      r.pdf = pdfs[i];
      r.pdfSha256 = createHash('sha256').update(pdfs[i]).digest('hex');
    });
    for (const item of issued) {
      const r = item.receipt;
      await this.audit.record(
        ctx,
        {
          action: 'receipts.issued',
          entityType: 'receipt',
          entityId: r.id,
          after: {
            reference: r.reference,
            amountCents: Number(r.amountCents),
            kind: r.kind,
            replacesId: r.replacesId,
            sha256: r.pdfSha256,
          },
        },
        m,
      );
      const contact = requests.find((q) => q.contact.id === r.contactId)?.contact;
      if (s.sendByEmail && contact?.email && !contact.erasedAt) {
        item.emailId = await this.queueReceiptEmail(
          ctx,
          m,
          r,
          contact,
          org.name,
          `receipt:${r.id}`,
          false,
        );
        // Linked in the row itself: no UPDATE of an issued receipt for it.
        r.emailId = item.emailId;
      }
    }
    await m.getRepository(ReceiptEntity).insert(receipts as never);
    await m.getRepository(ReceiptLineEntity).insert(lines as never);
    const giftIds = lines.map((l) => l.giftId);
    await m.query(
      `UPDATE receipt_gifts SET blocked_reason = NULL, updated_at = $3 WHERE organization_id = $1 AND id = ANY($2::uuid[]) AND blocked_reason IS NOT NULL`,
      [ctx.organizationId, giftIds, now],
    );
    return issued;
  }

  private async queueReceiptEmail(
    ctx: OrgContext,
    m: EntityManager,
    r: ReceiptEntity,
    contact: ContactEntity,
    organizationName: string,
    key: string,
    linkToReceipt = true,
  ): Promise<string> {
    const replaces = r.replacesId
      ? await m.query<{ reference: string }[]>(
          'SELECT reference FROM receipts WHERE organization_id = $1 AND id = $2',
          [ctx.organizationId, r.replacesId],
        )
      : [];
    const rendered = receiptEmail(contact.locale, {
      donorName: displayName(contact),
      organizationName,
      reference: r.reference,
      amount: `${pdfAmount(Number(r.amountCents))} ${r.currency === 'EUR' ? '€' : r.currency}`,
      annual: r.kind === 'annual',
      year: Number(r.periodStart.slice(0, 4)),
      replacesReference: replaces[0]?.reference ?? null,
    });
    const emailId = await this.emails.queueEmail(
      ctx,
      {
        to: contact.email as string,
        ...rendered,
        template: 'receipts.receipt',
        idempotencyKey: key,
        attachments: [
          {
            filename: `recu-fiscal-${r.reference}.pdf`,
            contentType: 'application/pdf',
            ref: `receipt:${r.id}`,
          },
        ],
      },
      m,
    );
    if (linkToReceipt)
      await m.query('UPDATE receipts SET email_id = $3 WHERE organization_id = $1 AND id = $2', [
        ctx.organizationId,
        r.id,
        emailId,
      ]);
    return emailId;
  }

  private dispatchAll(ctx: OrgContext, issued: Issued[]): AfterCommit[] {
    return issued
      .filter((i) => i.emailId)
      .map((i) => () => this.emails.dispatch(ctx.organizationId, i.emailId as string));
  }

  // ---- Cancelling and replacing --------------------------------------------------------------

  async cancel(ctx: OrgContext, id: string, input: CancelReceiptInput): Promise<ReceiptView> {
    if (!isUuid(id)) throw DomainError.notFound('receipts.not_found', 'No such receipt');
    const after = await this.dataSource.transaction((m) =>
      this.cancelInTx(ctx, m, id, input.reason, input.replace ? 'replace' : 'none'),
    );
    for (const run of after) await run();
    return this.get(ctx, id);
  }

  /**
   * Marks the receipt cancelled (kept with its number and PDF), frees its gifts, and issues the
   * replacement: 'replace' for the same gifts (corrected details), 'auto' for what is left to
   * certify after a refund (nothing left: the donor is told of the cancellation).
   */
  private async cancelInTx(
    ctx: OrgContext,
    m: EntityManager,
    id: string,
    reason: string,
    replacement: 'none' | 'replace' | 'auto',
  ): Promise<AfterCommit[]> {
    const rows = await m.query<
      { id: string; status: string; reference: string; contact_id: string }[]
    >(
      `SELECT id, status, reference, contact_id FROM receipts WHERE organization_id = $1 AND id = $2 FOR UPDATE`,
      [ctx.organizationId, id],
    );
    const receipt = rows[0];
    if (!receipt) throw DomainError.notFound('receipts.not_found', 'No such receipt');
    if (receipt.status === 'cancelled')
      throw DomainError.conflict('receipts.already_cancelled', 'This receipt is already cancelled');
    const now = this.clock.now();
    await m.query(
      `UPDATE receipts SET status = 'cancelled', cancelled_at = $3, cancel_reason = $4, cancelled_by = $5 WHERE organization_id = $1 AND id = $2`,
      [ctx.organizationId, id, now, reason.slice(0, 500), ctx.userId ?? null],
    );
    // (query() answers [rows, count] to an UPDATE ... RETURNING: read the lines first.)
    const giftRows = await m.query<{ gift_id: string }[]>(
      `SELECT gift_id FROM receipt_lines WHERE organization_id = $1 AND receipt_id = $2 AND active`,
      [ctx.organizationId, id],
    );
    await m.query(
      `UPDATE receipt_lines SET active = false WHERE organization_id = $1 AND receipt_id = $2 AND active`,
      [ctx.organizationId, id],
    );
    await this.audit.record(
      ctx,
      {
        action: 'receipts.cancelled',
        entityType: 'receipt',
        entityId: id,
        before: { status: 'issued' },
        after: { status: 'cancelled', reason, replacement },
      },
      m,
    );
    const contact = await m
      .getRepository(ContactEntity)
      .findOneOrFail({ where: { organizationId: ctx.organizationId, id: receipt.contact_id } });
    let issued: Issued[] = [];
    if (replacement !== 'none') {
      const gifts = (
        await m
          .getRepository(ReceiptGiftEntity)
          .createQueryBuilder('g')
          .where('g.organization_id = :org AND g.id IN (:...ids)', {
            org: ctx.organizationId,
            ids: giftRows.map((g) => g.gift_id),
          })
          .getMany()
      ).filter((g) => Number(g.withdrawnCents) < Number(g.amountCents));
      if (gifts.length > 0) {
        const issuer = await this.issuer(ctx, m);
        const blocked = this.blockedReason(issuer, contact);
        if (blocked && replacement === 'replace') this.throwBlocked(issuer, contact);
        if (!blocked) {
          const [kind] = await m.query<{ kind: 'single' | 'annual' }[]>(
            'SELECT kind FROM receipts WHERE organization_id = $1 AND id = $2',
            [ctx.organizationId, id],
          );
          issued = await this.issueMany(ctx, m, issuer, [
            { contact, gifts, kind: kind.kind, replaces: { id, reference: receipt.reference } },
          ]);
          await m.query(
            'UPDATE receipts SET replaced_by_id = $3 WHERE organization_id = $1 AND id = $2',
            [ctx.organizationId, id, issued[0].receipt.id],
          );
        } else {
          await m.query(
            `UPDATE receipt_gifts SET blocked_reason = $3 WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
            [ctx.organizationId, gifts.map((g) => g.id), blocked],
          );
        }
      }
    }
    const after = this.dispatchAll(ctx, issued);
    if (issued.length === 0 && contact.email && !contact.erasedAt) {
      const org = await m
        .getRepository(OrganizationEntity)
        .findOneOrFail({ where: { id: ctx.organizationId } });
      const rendered = receiptCancelledEmail(contact.locale, {
        donorName: displayName(contact),
        organizationName: org.name,
        reference: receipt.reference,
        reason,
      });
      const emailId = await this.emails.queueEmail(
        ctx,
        {
          to: contact.email,
          ...rendered,
          template: 'receipts.cancelled',
          idempotencyKey: `receipt-cancelled:${id}`,
          attachments: [],
        },
        m,
      );
      after.push(() => this.emails.dispatch(ctx.organizationId, emailId));
    }
    return after;
  }

  async resend(ctx: OrgContext, id: string): Promise<void> {
    const receipt = await this.entity(ctx, id);
    const after = await this.dataSource.transaction(async (m) => {
      const contact = await m
        .getRepository(ContactEntity)
        .findOneOrFail({ where: { organizationId: ctx.organizationId, id: receipt.contactId } });
      if (!contact.email || contact.erasedAt)
        throw DomainError.invalid('receipts.no_email', 'The donor has no email address', 'email');
      const org = await m
        .getRepository(OrganizationEntity)
        .findOneOrFail({ where: { id: ctx.organizationId } });
      const [{ n }] = await m.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM outbound_emails WHERE organization_id = $1 AND idempotency_key LIKE $2`,
        [ctx.organizationId, `receipt-resend:${id}:%`],
      );
      const emailId = await this.queueReceiptEmail(
        ctx,
        m,
        receipt,
        contact,
        org.name,
        `receipt-resend:${id}:${n + 1}`,
      );
      await this.audit.record(
        ctx,
        { action: 'receipts.resent', entityType: 'receipt', entityId: id, after: { emailId } },
        m,
      );
      return () => this.emails.dispatch(ctx.organizationId, emailId);
    });
    await after();
  }

  // ---- Annual summaries ----------------------------------------------------------------------

  async annualStatus(ctx: OrgContext, year: number): Promise<AnnualBatchView> {
    const [waiting] = await this.dataSource.query<{ donors: number; gifts: number }[]>(
      `SELECT count(DISTINCT g.contact_id)::int AS donors, count(*)::int AS gifts ${WAITING_ANNUAL}`,
      [ctx.organizationId, `${year}-01-01`, `${year}-12-31`],
    );
    const [issued] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM receipts WHERE organization_id = $1 AND kind = 'annual' AND status = 'issued' AND period_start = $2`,
      [ctx.organizationId, `${year}-01-01`],
    );
    const blocked = await this.dataSource.query<
      { id: string; donor_name: string; blocked_reason: string }[]
    >(
      `SELECT g.id, trim(concat_ws(' ', c.first_name, c.last_name, c.organization_name)) AS donor_name, g.blocked_reason
         ${WAITING_ANNUAL} AND g.blocked_reason IS NOT NULL ORDER BY g.received_on LIMIT 100`,
      [ctx.organizationId, `${year}-01-01`, `${year}-12-31`],
    );
    return {
      year,
      donorsWaiting: waiting.donors,
      giftsWaiting: waiting.gifts,
      issued: issued.n,
      blocked: blocked.map((b) => ({
        giftId: b.id,
        donorName: b.donor_name,
        reason: b.blocked_reason,
      })),
    };
  }

  /** Starts the year-end batch (a job); 422 with the missing settings when it cannot run. */
  async startAnnual(ctx: OrgContext, year: number): Promise<AnnualBatchView> {
    const org = await this.dataSource
      .getRepository(OrganizationEntity)
      .findOneOrFail({ where: { id: ctx.organizationId } });
    const today = LocalDate.fromInstant(this.clock.now(), org.timeZone).toString();
    if (year > Number(today.slice(0, 4)))
      throw DomainError.invalid('receipts.year_in_future', 'This year has not started', 'year');
    const view = await this.settings.view(ctx);
    if (view.problems.length > 0)
      throw new DomainError(
        'invalid',
        'receipts.settings_incomplete',
        'Receipts cannot be issued: settings are missing',
        {
          field: view.problems[0].field,
          details: view.problems.map((p) => ({
            field: p.field,
            code: `receipts.missing_${p.where}_setting`,
            message: p.message,
          })),
        },
      );
    await this.dataSource.query(
      `UPDATE receipt_gifts g SET blocked_reason = NULL WHERE organization_id = $1 AND mode = 'annual' AND received_on BETWEEN $2 AND $3 AND blocked_reason IS NOT NULL`,
      [ctx.organizationId, `${year}-01-01`, `${year}-12-31`],
    );
    await this.queue.enqueue(
      'receipts.annual-batch',
      { organizationId: ctx.organizationId, year },
      {
        jobId: jobId(
          'receipts.annual-batch',
          `${ctx.organizationId}-${year}-${this.clock.now().getTime()}`,
        ),
      },
    );
    await this.dataSource.transaction((m) =>
      this.audit.record(
        ctx,
        {
          action: 'receipts.annual-batch-started',
          entityType: 'receipt',
          entityId: null,
          after: { year },
        },
        m,
      ),
    );
    return this.annualStatus(ctx, year);
  }

  /**
   * The batch: donors with annual-mode gifts of the year not yet receipted, in chunks, each chunk
   * in one transaction (a crash loses nothing: the next run takes the donors left). Safe to run
   * twice at once: gifts are locked and skipped when another run holds them.
   */
  async runAnnualBatch(organizationId: string, year: number, chunkSize = 100): Promise<number> {
    const ctx = systemContext(organizationId);
    let after = '00000000-0000-0000-0000-000000000000';
    let total = 0;
    for (;;) {
      const donors = await this.dataSource.query<{ contact_id: string }[]>(
        `SELECT DISTINCT g.contact_id ${WAITING_ANNUAL} AND g.blocked_reason IS NULL AND g.contact_id > $4 ORDER BY g.contact_id LIMIT $5`,
        [organizationId, `${year}-01-01`, `${year}-12-31`, after, chunkSize],
      );
      if (donors.length === 0) break;
      after = donors[donors.length - 1].contact_id;
      const { issued, dispatch } = await this.dataSource.transaction(async (m) => {
        const issuer = await this.issuer(ctx, m);
        const ids = donors.map((d) => d.contact_id);
        const gifts = await m
          .getRepository(ReceiptGiftEntity)
          .createQueryBuilder('g')
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .where(
            `g.organization_id = :org AND g.contact_id IN (:...ids) AND g.mode = 'annual' AND g.received_on BETWEEN :from AND :to
             AND g.withdrawn_cents < g.amount_cents
             AND NOT EXISTS (SELECT 1 FROM receipt_lines l WHERE l.organization_id = g.organization_id AND l.gift_id = g.id AND l.active)`,
            { org: organizationId, ids, from: `${year}-01-01`, to: `${year}-12-31` },
          )
          .getMany();
        const contacts = await m
          .getRepository(ContactEntity)
          .createQueryBuilder('c')
          .where('c.organization_id = :org AND c.id IN (:...ids)', { org: organizationId, ids })
          .getMany();
        const requests: IssueRequest[] = [];
        for (const contact of contacts) {
          const mine = gifts.filter((g) => g.contactId === contact.id);
          if (mine.length === 0) continue;
          const blocked = this.blockedReason(issuer, contact);
          if (blocked) {
            await m.query(
              `UPDATE receipt_gifts SET blocked_reason = $3 WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
              [organizationId, mine.map((g) => g.id), blocked],
            );
            continue;
          }
          requests.push({ contact, gifts: mine, kind: 'annual', replaces: null });
        }
        const done = await this.issueMany(ctx, m, issuer, requests);
        return { issued: done.length, dispatch: this.dispatchAll(ctx, done) };
      });
      for (const run of dispatch) await run();
      total += issued;
    }
    this.logger.info({ organizationId, year, issued: total }, 'annual receipts batch done');
    return total;
  }

  // ---- Reading -------------------------------------------------------------------------------

  async list(ctx: OrgContext, q: ReceiptListQuery): Promise<Page<ReceiptView>> {
    const where = ['r.organization_id = $1'];
    const params: unknown[] = [ctx.organizationId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.year) add('r.year = ?', q.year);
    if (q.status) add('r.status = ?', q.status);
    if (q.contactId) add('r.contact_id = ?', q.contactId);
    if (q.q) {
      params.push(escapeLike(q.q));
      const n = params.length;
      where.push(`(r.reference ILIKE $${n} || '%' OR r.donor_name ILIKE '%' || $${n} || '%')`);
    }
    const sqlWhere = where.join(' AND ');
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM receipts r WHERE ${sqlWhere}`,
      params,
    );
    const rows = await this.dataSource.query<ReceiptRow[]>(
      `SELECT ${RECEIPT_COLUMNS} ${RECEIPT_FROM} WHERE ${sqlWhere} ORDER BY r.year DESC, r.number DESC LIMIT ${q.limit} OFFSET ${q.offset}`,
      params,
    );
    return { items: await this.views(ctx, rows), total, limit: q.limit, offset: q.offset };
  }

  async get(ctx: OrgContext, id: string): Promise<ReceiptView> {
    if (!isUuid(id)) throw DomainError.notFound('receipts.not_found', 'No such receipt');
    const rows = await this.dataSource.query<ReceiptRow[]>(
      `SELECT ${RECEIPT_COLUMNS} ${RECEIPT_FROM} WHERE r.organization_id = $1 AND r.id = $2`,
      [ctx.organizationId, id],
    );
    if (rows.length === 0) throw DomainError.notFound('receipts.not_found', 'No such receipt');
    return (await this.views(ctx, rows))[0];
  }

  async forContact(ctx: OrgContext, contactId: string): Promise<ReceiptView[]> {
    const rows = await this.dataSource.query<ReceiptRow[]>(
      `SELECT ${RECEIPT_COLUMNS} ${RECEIPT_FROM}
        WHERE r.organization_id = $1 AND (r.contact_id = $2 OR r.contact_id IN (SELECT id FROM contacts WHERE organization_id = $1 AND merged_into_id = $2))
        ORDER BY r.year DESC, r.number DESC`,
      [ctx.organizationId, contactId],
    );
    return this.views(ctx, rows);
  }

  /** The stored bytes (never rendered again). */
  async pdf(ctx: OrgContext, id: string): Promise<{ reference: string; pdf: Buffer }> {
    const receipt = await this.entity(ctx, id);
    const pdf = await this.pdfBytes(ctx.organizationId, id);
    if (!pdf) throw DomainError.notFound('receipts.not_found', 'No such receipt');
    return { reference: receipt.reference, pdf };
  }

  private async pdfBytes(organizationId: string, id: string): Promise<Buffer | null> {
    const rows = await this.dataSource.query<{ pdf: Buffer }[]>(
      'SELECT pdf FROM receipts WHERE organization_id = $1 AND id = $2',
      [organizationId, id],
    );
    return rows[0]?.pdf ?? null;
  }

  private async entity(ctx: OrgContext, id: string): Promise<ReceiptEntity> {
    const receipt = isUuid(id)
      ? await this.dataSource
          .getRepository(ReceiptEntity)
          .findOne({ where: { organizationId: ctx.organizationId, id } })
      : null;
    if (!receipt) throw DomainError.notFound('receipts.not_found', 'No such receipt');
    return receipt;
  }

  private async views(ctx: OrgContext, rows: ReceiptRow[]): Promise<ReceiptView[]> {
    if (rows.length === 0) return [];
    const lines = await this.dataSource.query<
      {
        receipt_id: string;
        gift_id: string;
        source_kind: 'donation' | 'membership';
        source_id: string;
        received_on: string;
        amount_cents: string;
        nature: GiftNature;
        method: GiftMethod | null;
      }[]
    >(
      `SELECT l.receipt_id, l.gift_id, g.source_kind, g.source_id, l.received_on::text AS received_on, l.amount_cents, g.nature, g.method
         FROM receipt_lines l JOIN receipt_gifts g ON g.organization_id = l.organization_id AND g.id = l.gift_id
        WHERE l.organization_id = $1 AND l.receipt_id = ANY($2::uuid[]) ORDER BY l.received_on`,
      [ctx.organizationId, rows.map((r) => r.id)],
    );
    return rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      year: r.year,
      number: r.number,
      kind: r.kind,
      model: r.model,
      contactId: r.contact_id,
      donorName: r.donor_name,
      amountCents: Number(r.amount_cents),
      currency: r.currency,
      periodStart: r.period_start,
      periodEnd: r.period_end,
      issuedOn: r.issued_on,
      issuedAt: r.issued_at.toISOString(),
      status: r.status,
      cancelledAt: r.cancelled_at?.toISOString() ?? null,
      cancelReason: r.cancel_reason,
      replacesId: r.replaces_id,
      replacesReference: r.replaces_reference,
      replacedById: r.replaced_by_id,
      replacedByReference: r.replaced_by_reference,
      pdfSha256: r.pdf_sha256,
      email: r.email_status
        ? { status: r.email_status, sentAt: r.email_sent_at?.toISOString() ?? null }
        : null,
      lines: lines
        .filter((l) => l.receipt_id === r.id)
        .map((l) => ({
          giftId: l.gift_id,
          sourceKind: l.source_kind,
          sourceId: l.source_id,
          receivedOn: l.received_on,
          amountCents: Number(l.amount_cents),
          nature: l.nature,
          method: l.method,
        })),
    }));
  }

  async gifts(ctx: OrgContext, q: ReceiptGiftListQuery): Promise<Page<ReceiptGiftView>> {
    const where = ['g.organization_id = $1'];
    const params: unknown[] = [ctx.organizationId];
    if (q.state === 'waiting')
      where.push(
        'g.withdrawn_cents < g.amount_cents AND NOT EXISTS (SELECT 1 FROM receipt_lines l WHERE l.organization_id = g.organization_id AND l.gift_id = g.id AND l.active)',
      );
    if (q.year) {
      params.push(`${q.year}-01-01`, `${q.year}-12-31`);
      where.push(`g.received_on BETWEEN $${params.length - 1} AND $${params.length}`);
    }
    if (q.contactId) {
      params.push(q.contactId);
      where.push(`g.contact_id = $${params.length}`);
    }
    const sqlWhere = where.join(' AND ');
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM receipt_gifts g WHERE ${sqlWhere}`,
      params,
    );
    const rows = await this.dataSource.query<
      {
        id: string;
        source_kind: 'donation' | 'membership';
        source_id: string;
        contact_id: string;
        donor_name: string;
        received_on: string;
        amount_cents: string;
        withdrawn_cents: string;
        currency: string;
        nature: GiftNature;
        form: GiftForm;
        method: GiftMethod | null;
        mode: ReceiptMode;
        blocked_reason: string | null;
        receipt_id: string | null;
        receipt_reference: string | null;
      }[]
    >(
      `SELECT g.id, g.source_kind, g.source_id, g.contact_id, g.received_on::text AS received_on, g.amount_cents, g.withdrawn_cents,
              g.currency, g.nature, g.form, g.method, g.mode, g.blocked_reason, r.id AS receipt_id, r.reference AS receipt_reference,
              CASE WHEN c.kind = 'organization' THEN c.organization_name ELSE trim(concat_ws(' ', c.first_name, c.last_name)) END AS donor_name
         FROM receipt_gifts g
         JOIN contacts c ON c.organization_id = g.organization_id AND c.id = g.contact_id
         LEFT JOIN receipt_lines l ON l.organization_id = g.organization_id AND l.gift_id = g.id AND l.active
         LEFT JOIN receipts r ON r.organization_id = l.organization_id AND r.id = l.receipt_id
        WHERE ${sqlWhere} ORDER BY g.received_on DESC, g.id LIMIT ${q.limit} OFFSET ${q.offset}`,
      params,
    );
    return {
      items: rows.map((g) => ({
        id: g.id,
        sourceKind: g.source_kind,
        sourceId: g.source_id,
        contactId: g.contact_id,
        donorName: g.donor_name ?? '',
        receivedOn: g.received_on,
        amountCents: Number(g.amount_cents),
        withdrawnCents: Number(g.withdrawn_cents),
        currency: g.currency,
        nature: g.nature,
        form: g.form,
        method: g.method,
        mode: g.mode,
        receiptId: g.receipt_id,
        receiptReference: g.receipt_reference,
        blockedReason: g.blocked_reason,
      })),
      total,
      limit: q.limit,
      offset: q.offset,
    };
  }

  /** Each source's declared gift and the receipt covering it now, if any (for the donation's page). */
  async receiptOfSources(
    ctx: OrgContext,
    sourceKind: 'donation' | 'membership',
    sourceIds: string[],
  ): Promise<Map<string, { giftId: string; id: string | null; reference: string | null }>> {
    if (sourceIds.length === 0) return new Map();
    const rows = await this.dataSource.query<
      { source_id: string; gift_id: string; id: string | null; reference: string | null }[]
    >(
      `SELECT g.source_id, g.id AS gift_id, r.id, r.reference FROM receipt_gifts g
         LEFT JOIN receipt_lines l ON l.organization_id = g.organization_id AND l.gift_id = g.id AND l.active
         LEFT JOIN receipts r ON r.organization_id = l.organization_id AND r.id = l.receipt_id
        WHERE g.organization_id = $1 AND g.source_kind = $2 AND g.source_id = ANY($3::uuid[])`,
      [ctx.organizationId, sourceKind, sourceIds],
    );
    return new Map(
      rows.map((r) => [r.source_id, { giftId: r.gift_id, id: r.id, reference: r.reference }]),
    );
  }

  // ---- Register and declaration ----------------------------------------------------------------

  /** The yearly declaration (art. 222 bis CGI): receipts not cancelled, per article. */
  async declaration(ctx: OrgContext, year: number): Promise<ReceiptDeclarationView> {
    const rows = await this.dataSource.query<
      { article: TaxArticle; model: ReceiptModel; count: number; total: string; currency: string }[]
    >(
      `SELECT a.article, r.model, count(*)::int AS count, sum(r.amount_cents)::text AS total, min(r.currency) AS currency
         FROM receipts r CROSS JOIN LATERAL unnest(r.articles) AS a(article)
        WHERE r.organization_id = $1 AND r.status = 'issued' AND r.period_start BETWEEN $2 AND $3
        GROUP BY a.article, r.model ORDER BY a.article`,
      [ctx.organizationId, `${year}-01-01`, `${year}-12-31`],
    );
    const [totals] = await this.dataSource.query<
      { count: number; total: string | null; cancelled: number }[]
    >(
      `SELECT count(*) FILTER (WHERE status = 'issued')::int AS count,
              sum(amount_cents) FILTER (WHERE status = 'issued')::text AS total,
              count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled
         FROM receipts WHERE organization_id = $1 AND period_start BETWEEN $2 AND $3`,
      [ctx.organizationId, `${year}-01-01`, `${year}-12-31`],
    );
    const org = await this.dataSource
      .getRepository(OrganizationEntity)
      .findOneOrFail({ where: { id: ctx.organizationId } });
    return {
      year,
      currency: rows[0]?.currency ?? org.currency,
      count: totals.count,
      totalCents: Number(totals.total ?? 0),
      byArticle: rows.map((r) => ({
        article: r.article,
        model: r.model,
        count: r.count,
        totalCents: Number(r.total),
      })),
      cancelled: totals.cancelled,
    };
  }

  /** Every number of a year once, with its status: the register the tax control asks for. */
  async register(
    ctx: OrgContext,
    year: number,
  ): Promise<
    {
      reference: string;
      issuedOn: string;
      donorName: string;
      amountCents: number;
      currency: string;
      kind: string;
      status: string;
      cancelReason: string | null;
      replacedByReference: string | null;
      methods: string;
    }[]
  > {
    const rows = await this.dataSource.query<(ReceiptRow & { methods: string | null })[]>(
      `SELECT ${RECEIPT_COLUMNS},
              (SELECT string_agg(DISTINCT g.method, ',') FROM receipt_lines l JOIN receipt_gifts g ON g.organization_id = l.organization_id AND g.id = l.gift_id
                WHERE l.organization_id = r.organization_id AND l.receipt_id = r.id) AS methods
         ${RECEIPT_FROM} WHERE r.organization_id = $1 AND r.year = $2 ORDER BY r.number`,
      [ctx.organizationId, year],
    );
    return rows.map((r) => ({
      reference: r.reference,
      issuedOn: r.issued_on,
      donorName: r.donor_name,
      amountCents: Number(r.amount_cents),
      currency: r.currency,
      kind: r.kind,
      status: r.status,
      cancelReason: r.cancel_reason,
      replacedByReference: r.replaced_by_reference,
      methods: (r.methods ?? '')
        .split(',')
        .filter(Boolean)
        .map((m) => METHOD_OF_GIFT[m as GiftMethod] ?? m)
        .join(', '),
    }));
  }

  /** The register as CSV (`;`, BOM, for French spreadsheets), formula-like cells neutralized. */
  async registerCsv(ctx: OrgContext, year: number): Promise<{ fileName: string; body: Buffer }> {
    const rows = await this.register(ctx, year);
    const body = stringify(
      [
        [
          'Numéro',
          'Date',
          'Donateur',
          'Montant',
          'Devise',
          'Type',
          'Modes',
          'Statut',
          'Motif d’annulation',
          'Remplacé par',
        ],
        ...rows.map((r) =>
          [
            r.reference,
            r.issuedOn,
            r.donorName,
            pdfAmount(r.amountCents).replace(/ /g, ''),
            r.currency,
            r.kind === 'annual' ? 'récapitulatif' : 'unitaire',
            r.methods,
            r.status === 'cancelled' ? 'annulé' : 'émis',
            r.cancelReason ?? '',
            r.replacedByReference ?? '',
          ].map(neutralizeFormula),
        ),
      ],
      { delimiter: ';', record_delimiter: '\r\n' },
    );
    return { fileName: `registre-recus-${year}.csv`, body: Buffer.from(`\uFEFF${body}`, 'utf8') };
  }

  async registerPdf(
    ctx: OrgContext,
    year: number,
  ): Promise<{ fileName: string; stream: Readable }> {
    const rows = await this.register(ctx, year);
    const org = await this.dataSource
      .getRepository(OrganizationEntity)
      .findOneOrFail({ where: { id: ctx.organizationId } });
    const issued = rows.filter((r) => r.status === 'issued');
    const stream = renderReportPdf(
      {
        title: `Registre des reçus fiscaux ${year}`,
        subtitle: `${rows.length} numéros, ${issued.length} reçus valides pour ${pdfAmount(issued.reduce((a, r) => a + r.amountCents, 0))} €`,
        organization: org.legalName ?? org.name,
        landscape: true,
        columns: [
          { label: 'Numéro', width: 0.12 },
          { label: 'Date', width: 0.09 },
          { label: 'Donateur', width: 0.25 },
          { label: 'Montant', width: 0.1, align: 'right' },
          { label: 'Type', width: 0.1 },
          { label: 'Statut', width: 0.1 },
          { label: 'Annulation / remplacement', width: 0.24 },
        ],
        rows: rows.map((r) => ({
          cells: [
            r.reference,
            pdfDate(r.issuedOn),
            r.donorName,
            pdfAmount(r.amountCents),
            r.kind === 'annual' ? 'récapitulatif' : 'unitaire',
            r.status === 'cancelled' ? 'annulé' : 'émis',
            r.status === 'cancelled'
              ? `${r.cancelReason ?? ''}${r.replacedByReference ? ` → ${r.replacedByReference}` : ''}`
              : '',
          ],
        })),
      },
      this.clock.now(),
    );
    return { fileName: `registre-recus-${year}.pdf`, stream };
  }
}

/** Annual-mode gifts of a year ($2..$3) not covered by a receipt and not fully refunded. */
const WAITING_ANNUAL = `FROM receipt_gifts g JOIN contacts c ON c.organization_id = g.organization_id AND c.id = g.contact_id
  WHERE g.organization_id = $1 AND g.mode = 'annual' AND g.received_on BETWEEN $2 AND $3 AND g.withdrawn_cents < g.amount_cents
    AND NOT EXISTS (SELECT 1 FROM receipt_lines l WHERE l.organization_id = g.organization_id AND l.gift_id = g.id AND l.active)`;
