import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, LocalDate, escapeLike, isUuid, newId, type OrgContext } from '@ruche/core';
import {
  DEFAULT_VAT_MENTION,
  contactReference,
  type InvoiceCreditView,
  type InvoiceKind,
  type InvoiceListQuery,
  type InvoiceSettingsInput,
  type InvoiceSettingsView,
  type InvoiceSourceKind,
  type InvoiceStatus,
  type InvoiceView,
  type Page,
  type PaymentMethod,
} from '@ruche/contracts';
import { AuditService, Clock, OutboundEmailsService, pdfAmount } from '@ruche/platform';
import { OrganizationEntity } from '@ruche/organizations';
import { ContactEntity, ContactsService, PrivacyService, displayName } from '@ruche/contacts';
import { InvoiceEntity } from '../entities/invoice.entities';
import { creditAmount, invoiceReference } from '../domain/invoice-rules';
import { renderInvoicePdf, type InvoiceDocument } from '../documents/invoice.pdf';

/** What the owning domain asks when something sold with counterparts is paid. */
export interface InvoiceIssueInput {
  /** The payment the invoice acknowledges: one invoice per payment (replays give the same one). */
  paymentId: string;
  source: { kind: InvoiceSourceKind; id: string };
  contactId: string;
  lines: { description: string; amountCents: number }[];
  currency: string;
  /** The day the money was received (« acquittée le … »). */
  paidOn: string;
  method: PaymentMethod | null;
}

export interface IssuedInvoice {
  id: string;
  reference: string;
  /** false: the payment had its invoice already (a replayed event). */
  created: boolean;
}

interface Party {
  name: string;
  addressLines: string[];
  siren?: string | null;
  memberReference?: string | null;
}

interface InvoiceRow {
  id: string;
  kind: InvoiceKind;
  reference: string;
  year: number;
  number: number;
  issued_on: string;
  issued_at: Date;
  contact_id: string;
  buyer_name: string;
  member_reference: string | null;
  source_kind: InvoiceSourceKind;
  source_id: string;
  payment_id: string;
  refund_id: string | null;
  dispute_id: string | null;
  lines: { description: string; amountCents: number }[];
  total_cents: string;
  currency: string;
  vat_mention: string;
  paid_on: string | null;
  payment_method: PaymentMethod | null;
  status: InvoiceStatus;
  cancelled_at: Date | null;
  credited_cents: string;
  credited_invoice_id: string | null;
  credited_invoice_reference: string | null;
  pdf_sha256: string;
}

const INVOICE_SELECT = `SELECT i.id, i.kind, i.reference, i.year, i.number, i.issued_on::text AS issued_on, i.issued_at, i.contact_id,
       i.buyer_name, i.buyer->>'memberReference' AS member_reference, i.source_kind, i.source_id, i.payment_id, i.refund_id, i.dispute_id,
       i.lines, i.total_cents, i.currency, i.vat_mention, i.paid_on::text AS paid_on, i.payment_method, i.status, i.cancelled_at,
       i.credited_cents, i.credited_invoice_id, ci.reference AS credited_invoice_reference, i.pdf_sha256
  FROM invoices i
  LEFT JOIN invoices ci ON ci.organization_id = i.organization_id AND ci.id = i.credited_invoice_id`;

/**
 * Invoices (factures) of what is sold with counterparts, and credit notes (avoirs) of their
 * refunds. Each is numbered without gaps per organization, kind and calendar year at issue, in
 * the paying (or refunding) transaction, under a row lock on its counter; its PDF is rendered
 * once and stored with its SHA-256. Issued rows are never edited: a refund issues a credit note
 * (one per refund) and the invoice records what was credited, then is cancelled once fully so.
 */
@Injectable()
export class InvoicesService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contacts: ContactsService,
    private readonly privacy: PrivacyService,
    private readonly emails: OutboundEmailsService,
    private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // The e-mail that carries an invoice sends the stored bytes.
    this.emails.registerAttachmentResolver('invoice', async (ref, organizationId) => {
      const id = ref.slice('invoice:'.length);
      if (!organizationId || !isUuid(id)) return null;
      return this.pdfBytes(organizationId, id);
    });
    this.contacts.registerMergeParticipant({
      name: 'invoices',
      moveReferences: async (ctx, from, to, m) => {
        const [{ n }] = await m.query<{ n: number }[]>(
          `WITH moved AS (UPDATE invoices SET contact_id = $3 WHERE organization_id = $1 AND contact_id = $2 RETURNING 1)
           SELECT count(*)::int AS n FROM moved`,
          [ctx.organizationId, from, to],
        );
        return n;
      },
    });
    this.privacy.registerContributor({
      name: 'invoices',
      collect: async (ctx, contactId) => {
        const rows = await this.forContact(ctx, contactId);
        if (rows.length === 0) return [];
        return [
          {
            title: 'Factures et avoirs',
            rows: rows.map((r): [string, string] => [
              `${r.reference} (${r.issuedOn})`,
              `${pdfAmount(r.totalCents)} ${r.currency}, ${r.kind === 'credit_note' ? 'avoir' : r.status === 'cancelled' ? 'annulée par avoir' : 'émise'}`,
            ]),
          },
        ];
      },
    });
  }

  // ---- Issuing -----------------------------------------------------------------------------

  /**
   * The invoice of a payment, in the paying transaction: issued once (the same payment twice,
   * a replayed event, gives the invoice issued the first time).
   */
  async issueForPayment(
    ctx: OrgContext,
    input: InvoiceIssueInput,
    m: EntityManager,
  ): Promise<IssuedInvoice> {
    if (input.lines.length === 0)
      throw DomainError.invalid('invoices.no_lines', 'An invoice has at least one line', 'lines');
    for (const line of input.lines)
      if (!Number.isInteger(line.amountCents) || line.amountCents <= 0)
        throw DomainError.invalid(
          'invoices.amount_invalid',
          'An invoice line is a positive amount',
          'amount',
        );
    const existing = await this.ofPayment(ctx, input.paymentId, m);
    if (existing) return { ...existing, created: false };
    const org = await m
      .getRepository(OrganizationEntity)
      .findOneOrFail({ where: { id: ctx.organizationId } });
    const contact = await m
      .getRepository(ContactEntity)
      .findOneOrFail({ where: { organizationId: ctx.organizationId, id: input.contactId } });
    const now = this.clock.now();
    const issuedOn = LocalDate.fromInstant(now, org.timeZone).toString();
    const year = Number(issuedOn.slice(0, 4));
    const last = await this.lockSequence(ctx, m, 'invoice', year);
    // Another transaction may have issued it while this one waited for the counter.
    const raced = await this.ofPayment(ctx, input.paymentId, m);
    if (raced) return { ...raced, created: false };
    const number = await this.takeNumber(ctx, m, 'invoice', year, last);
    const settings = await this.settings(ctx, m);
    const seller = sellerOf(org);
    const buyer = buyerOf(contact);
    const total = input.lines.reduce((sum, line) => sum + line.amountCents, 0);
    const document: InvoiceDocument = {
      kind: 'invoice',
      reference: invoiceReference('invoice', year, number),
      issuedOn,
      seller,
      buyer,
      lines: input.lines,
      totalCents: total,
      currency: input.currency,
      vatMention: settings.vatMention,
      legalMention: settings.legalMention,
      settledOn: input.paidOn,
      method: input.method,
      credited: null,
    };
    const row = await this.insert(ctx, m, document, {
      year,
      number,
      now,
      contactId: contact.id,
      source: input.source,
      paymentId: input.paymentId,
      refundId: null,
      creditedInvoiceId: null,
    });
    await this.audit.record(
      ctx,
      {
        action: 'invoices.issued',
        entityType: 'invoice',
        entityId: row.id,
        after: {
          reference: row.reference,
          amountCents: total,
          currency: input.currency,
          paymentId: input.paymentId,
          sourceKind: input.source.kind,
          sourceId: input.source.id,
          sha256: row.pdfSha256,
        },
      },
      m,
    );
    return { id: row.id, reference: row.reference, created: true };
  }

  /**
   * A payment's refunds or disputes changed (in that transaction): each succeeded refund and each
   * lost dispute of an invoiced payment gets its credit note, once (a replay finds it issued).
   * The invoice keeps its PDF; it records what was credited and is cancelled once fully credited.
   */
  async creditRefunds(ctx: OrgContext, paymentId: string, m: EntityManager): Promise<number> {
    const [locked] = await m.query<{ id: string }[]>(
      `SELECT id FROM invoices WHERE organization_id = $1 AND payment_id = $2 AND kind = 'invoice' FOR UPDATE`,
      [ctx.organizationId, paymentId],
    );
    if (!locked) return 0;
    const refunds = await m.query<
      {
        kind: 'refund' | 'dispute';
        id: string;
        amount_cents: string;
        refunded_on: string | null;
        reason: string | null;
      }[]
    >(
      `SELECT 'refund' AS kind, r.id, r.amount_cents, r.refunded_on::text AS refunded_on, r.reason, r.created_at
         FROM payment_refunds r
        WHERE r.organization_id = $1 AND r.payment_id = $2 AND r.status = 'succeeded'
          AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.organization_id = r.organization_id AND i.refund_id = r.id)
       UNION ALL
       SELECT 'dispute', d.id, d.amount_cents, (d.updated_at AT TIME ZONE o.time_zone)::date::text, d.reason, d.created_at
         FROM payment_disputes d JOIN organizations o ON o.id = d.organization_id
        WHERE d.organization_id = $1 AND d.payment_id = $2 AND d.status = 'lost'
          AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.organization_id = d.organization_id AND i.dispute_id = d.id)
        ORDER BY created_at, id`,
      [ctx.organizationId, paymentId],
    );
    if (refunds.length === 0) return 0;
    const invoice = await m
      .getRepository(InvoiceEntity)
      .findOneOrFail({ where: { organizationId: ctx.organizationId, id: locked.id } });
    const total = Number(invoice.totalCents);
    const before = { status: invoice.status, creditedCents: Number(invoice.creditedCents) };
    let credited = before.creditedCents;
    const org = await m
      .getRepository(OrganizationEntity)
      .findOneOrFail({ where: { id: ctx.organizationId } });
    const settings = await this.settings(ctx, m);
    const now = this.clock.now();
    const issuedOn = LocalDate.fromInstant(now, org.timeZone).toString();
    const year = Number(issuedOn.slice(0, 4));
    const printedLines = invoice.lines as unknown as { description: string }[];
    let issued = 0;
    for (const refund of refunds) {
      const amount = creditAmount(Number(refund.amount_cents), {
        totalCents: total,
        creditedCents: credited,
      });
      if (amount === 0) continue;
      const last = await this.lockSequence(ctx, m, 'credit_note', year);
      const number = await this.takeNumber(ctx, m, 'credit_note', year, last);
      const full = amount === total;
      const document: InvoiceDocument = {
        kind: 'credit_note',
        reference: invoiceReference('credit_note', year, number),
        issuedOn,
        seller: sellerOf(org),
        buyer: invoice.buyer as unknown as InvoiceDocument['buyer'],
        lines: [
          {
            description: `${refund.kind === 'dispute' ? 'Paiement contesté (litige perdu)' : full ? 'Remboursement' : 'Remboursement partiel'} : ${printedLines.map((l) => l.description).join(' ; ')}`,
            amountCents: amount,
          },
        ],
        totalCents: amount,
        currency: invoice.currency,
        vatMention: settings.vatMention,
        legalMention: settings.legalMention,
        settledOn: refund.refunded_on ?? issuedOn,
        method: invoice.paymentMethod,
        credited: { reference: invoice.reference, issuedOn: invoice.issuedOn },
      };
      const note = await this.insert(ctx, m, document, {
        year,
        number,
        now,
        contactId: invoice.contactId,
        source: { kind: invoice.sourceKind, id: invoice.sourceId },
        paymentId: invoice.paymentId,
        refundId: refund.kind === 'refund' ? refund.id : null,
        disputeId: refund.kind === 'dispute' ? refund.id : null,
        creditedInvoiceId: invoice.id,
      });
      credited += amount;
      issued += 1;
      await this.audit.record(
        ctx,
        {
          action: 'invoices.credit-note-issued',
          entityType: 'invoice',
          entityId: note.id,
          after: {
            reference: note.reference,
            amountCents: amount,
            currency: invoice.currency,
            creditedInvoiceId: invoice.id,
            creditedInvoiceReference: invoice.reference,
            ...(refund.kind === 'refund' ? { refundId: refund.id } : { disputeId: refund.id }),
            reason: refund.reason,
            sha256: note.pdfSha256,
          },
        },
        m,
      );
    }
    if (issued === 0) return 0;
    const after: { status: InvoiceStatus; creditedCents: number } = {
      status: credited >= total ? 'cancelled' : 'issued',
      creditedCents: credited,
    };
    await m.query(
      `UPDATE invoices SET credited_cents = $3, status = $4, cancelled_at = coalesce(cancelled_at, $5::timestamptz)
        WHERE organization_id = $1 AND id = $2`,
      [
        ctx.organizationId,
        invoice.id,
        credited,
        after.status,
        after.status === 'cancelled' ? now : null,
      ],
    );
    await this.audit.record(
      ctx,
      {
        action: after.status === 'cancelled' ? 'invoices.cancelled' : 'invoices.credited',
        entityType: 'invoice',
        entityId: invoice.id,
        before,
        after: { ...after, reference: invoice.reference },
      },
      m,
    );
    return issued;
  }

  private async ofPayment(
    ctx: OrgContext,
    paymentId: string,
    m: EntityManager,
  ): Promise<{ id: string; reference: string } | null> {
    const [row] = await m.query<{ id: string; reference: string }[]>(
      `SELECT id, reference FROM invoices WHERE organization_id = $1 AND payment_id = $2 AND kind = 'invoice'`,
      [ctx.organizationId, paymentId],
    );
    return row ?? null;
  }

  /** The counter row of the series, created at its first use, locked until commit. */
  private async lockSequence(
    ctx: OrgContext,
    m: EntityManager,
    kind: InvoiceKind,
    year: number,
  ): Promise<number> {
    await m.query(
      `INSERT INTO invoice_sequences (organization_id, kind, year, last_number) VALUES ($1, $2, $3, 0)
       ON CONFLICT (organization_id, kind, year) DO NOTHING`,
      [ctx.organizationId, kind, year],
    );
    const [row] = await m.query<{ last_number: number }[]>(
      `SELECT last_number FROM invoice_sequences WHERE organization_id = $1 AND kind = $2 AND year = $3 FOR UPDATE`,
      [ctx.organizationId, kind, year],
    );
    return row.last_number;
  }

  private async takeNumber(
    ctx: OrgContext,
    m: EntityManager,
    kind: InvoiceKind,
    year: number,
    last: number,
  ): Promise<number> {
    await m.query(
      `UPDATE invoice_sequences SET last_number = $4 WHERE organization_id = $1 AND kind = $2 AND year = $3`,
      [ctx.organizationId, kind, year, last + 1],
    );
    return last + 1;
  }

  /** Renders the document, stores it with its hash and its printed data. */
  private async insert(
    ctx: OrgContext,
    m: EntityManager,
    document: InvoiceDocument,
    facts: {
      year: number;
      number: number;
      now: Date;
      contactId: string;
      source: { kind: InvoiceSourceKind; id: string };
      paymentId: string;
      refundId: string | null;
      disputeId?: string | null;
      creditedInvoiceId: string | null;
    },
  ): Promise<InvoiceEntity> {
    const pdf = await renderInvoicePdf(document, facts.now);
    const row: InvoiceEntity = {
      id: newId(),
      organizationId: ctx.organizationId,
      kind: document.kind,
      year: facts.year,
      number: facts.number,
      reference: document.reference,
      issuedOn: document.issuedOn,
      issuedAt: facts.now,
      issuedBy: ctx.userId ?? null,
      contactId: facts.contactId,
      sourceKind: facts.source.kind,
      sourceId: facts.source.id,
      paymentId: facts.paymentId,
      refundId: facts.refundId,
      disputeId: facts.disputeId ?? null,
      creditedInvoiceId: facts.creditedInvoiceId,
      seller: { ...document.seller },
      buyer: { ...document.buyer },
      lines: document.lines.map((l) => ({ ...l })),
      buyerName: document.buyer.name.slice(0, 250),
      totalCents: String(document.totalCents),
      currency: document.currency,
      vatMention: document.vatMention,
      paidOn: document.settledOn,
      paymentMethod: document.method,
      pdf,
      pdfSha256: createHash('sha256').update(pdf).digest('hex'),
      status: 'issued',
      creditedCents: '0',
      cancelledAt: null,
    };
    await m.getRepository(InvoiceEntity).insert(row as never);
    return row;
  }

  // ---- Settings ----------------------------------------------------------------------------

  async settings(
    ctx: OrgContext,
    m: EntityManager = this.dataSource.manager,
  ): Promise<InvoiceSettingsView> {
    const [row] = await m.query<{ vat_mention: string; legal_mention: string | null }[]>(
      'SELECT vat_mention, legal_mention FROM invoice_settings WHERE organization_id = $1',
      [ctx.organizationId],
    );
    return {
      vatMention: row?.vat_mention ?? DEFAULT_VAT_MENTION,
      legalMention: row?.legal_mention ?? null,
      defaultVatMention: DEFAULT_VAT_MENTION,
    };
  }

  /** What the next invoices print (issued ones keep what they printed). */
  async updateSettings(ctx: OrgContext, input: InvoiceSettingsInput): Promise<InvoiceSettingsView> {
    await this.dataSource.transaction(async (m) => {
      const before = await this.settings(ctx, m);
      await m.query(
        `INSERT INTO invoice_settings (organization_id, vat_mention, legal_mention, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (organization_id) DO UPDATE SET vat_mention = EXCLUDED.vat_mention, legal_mention = EXCLUDED.legal_mention,
           updated_at = EXCLUDED.updated_at`,
        [ctx.organizationId, input.vatMention, input.legalMention ?? null, this.clock.now()],
      );
      await this.audit.record(
        ctx,
        {
          action: 'invoices.settings-updated',
          entityType: 'invoice_settings',
          entityId: ctx.organizationId,
          before: { vatMention: before.vatMention, legalMention: before.legalMention },
          after: { vatMention: input.vatMention, legalMention: input.legalMention ?? null },
        },
        m,
      );
    });
    return this.settings(ctx);
  }

  // ---- Reading -----------------------------------------------------------------------------

  async list(ctx: OrgContext, q: InvoiceListQuery): Promise<Page<InvoiceView>> {
    const where = ['i.organization_id = $1'];
    const params: unknown[] = [ctx.organizationId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.year) add('i.year = ?', q.year);
    if (q.kind) add('i.kind = ?', q.kind);
    if (q.status) add('i.status = ?', q.status);
    if (q.contactId) add('i.contact_id = ?', q.contactId);
    if (q.paymentId) add('i.payment_id = ?', q.paymentId);
    if (q.sourceId) add('i.source_id = ?', q.sourceId);
    if (q.q) {
      params.push(escapeLike(q.q));
      const n = params.length;
      where.push(`(i.reference ILIKE $${n} || '%' OR i.buyer_name ILIKE '%' || $${n} || '%')`);
    }
    const sqlWhere = where.join(' AND ');
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM invoices i WHERE ${sqlWhere}`,
      params,
    );
    const rows = await this.dataSource.query<InvoiceRow[]>(
      `${INVOICE_SELECT} WHERE ${sqlWhere} ORDER BY i.issued_at DESC, i.kind DESC, i.number DESC LIMIT ${q.limit} OFFSET ${q.offset}`,
      params,
    );
    return { items: await this.views(ctx, rows), total, limit: q.limit, offset: q.offset };
  }

  async get(ctx: OrgContext, id: string): Promise<InvoiceView> {
    if (!isUuid(id)) throw DomainError.notFound('invoices.not_found', 'No such invoice');
    const rows = await this.dataSource.query<InvoiceRow[]>(
      `${INVOICE_SELECT} WHERE i.organization_id = $1 AND i.id = $2`,
      [ctx.organizationId, id],
    );
    if (rows.length === 0) throw DomainError.notFound('invoices.not_found', 'No such invoice');
    return (await this.views(ctx, rows))[0];
  }

  /** A contact's invoices and credit notes (and those of the contacts merged into it). */
  async forContact(ctx: OrgContext, contactId: string): Promise<InvoiceView[]> {
    const rows = await this.dataSource.query<InvoiceRow[]>(
      `${INVOICE_SELECT}
        WHERE i.organization_id = $1 AND (i.contact_id = $2 OR i.contact_id IN (SELECT id FROM contacts WHERE organization_id = $1 AND merged_into_id = $2))
        ORDER BY i.issued_at DESC, i.kind DESC, i.number DESC`,
      [ctx.organizationId, contactId],
    );
    return this.views(ctx, rows);
  }

  /** The stored bytes (never rendered again). */
  async pdf(
    ctx: OrgContext,
    id: string,
  ): Promise<{ reference: string; kind: InvoiceKind; pdf: Buffer }> {
    const rows = isUuid(id)
      ? await this.dataSource.query<{ reference: string; kind: InvoiceKind; pdf: Buffer }[]>(
          'SELECT reference, kind, pdf FROM invoices WHERE organization_id = $1 AND id = $2',
          [ctx.organizationId, id],
        )
      : [];
    if (!rows[0]) throw DomainError.notFound('invoices.not_found', 'No such invoice');
    return rows[0];
  }

  private async pdfBytes(organizationId: string, id: string): Promise<Buffer | null> {
    const rows = await this.dataSource.query<{ pdf: Buffer }[]>(
      'SELECT pdf FROM invoices WHERE organization_id = $1 AND id = $2',
      [organizationId, id],
    );
    return rows[0]?.pdf ?? null;
  }

  private async views(ctx: OrgContext, rows: InvoiceRow[]): Promise<InvoiceView[]> {
    if (rows.length === 0) return [];
    const invoiceIds = rows.filter((r) => r.kind === 'invoice').map((r) => r.id);
    const notes =
      invoiceIds.length === 0
        ? []
        : await this.dataSource.query<
            {
              id: string;
              reference: string;
              issued_on: string;
              total_cents: string;
              credited_invoice_id: string;
            }[]
          >(
            `SELECT id, reference, issued_on::text AS issued_on, total_cents, credited_invoice_id FROM invoices
              WHERE organization_id = $1 AND kind = 'credit_note' AND credited_invoice_id = ANY($2::uuid[])
              ORDER BY year, number`,
            [ctx.organizationId, invoiceIds],
          );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      reference: r.reference,
      year: r.year,
      number: r.number,
      issuedOn: r.issued_on,
      issuedAt: r.issued_at.toISOString(),
      contactId: r.contact_id,
      buyerName: r.buyer_name,
      memberReference: r.member_reference,
      sourceKind: r.source_kind,
      sourceId: r.source_id,
      paymentId: r.payment_id,
      refundId: r.refund_id,
      disputeId: r.dispute_id,
      lines: r.lines.map((l) => ({ description: l.description, amountCents: l.amountCents })),
      totalCents: Number(r.total_cents),
      currency: r.currency.trim(),
      vatMention: r.vat_mention,
      paidOn: r.paid_on,
      paymentMethod: r.payment_method,
      status: r.status,
      cancelledAt: r.cancelled_at?.toISOString() ?? null,
      creditedCents: Number(r.credited_cents),
      creditedInvoiceId: r.credited_invoice_id,
      creditedInvoiceReference: r.credited_invoice_reference,
      creditNotes: notes
        .filter((n) => n.credited_invoice_id === r.id)
        .map((n): InvoiceCreditView => ({
          id: n.id,
          reference: n.reference,
          issuedOn: n.issued_on,
          totalCents: Number(n.total_cents),
        })),
      pdfSha256: r.pdf_sha256,
    }));
  }
}

function lines(...parts: (string | null | undefined)[]): string[] {
  return parts.filter((p): p is string => !!p && p.trim() !== '');
}

function sellerOf(org: OrganizationEntity): InvoiceDocument['seller'] & Party {
  return {
    name: org.legalName ?? org.name,
    addressLines: lines(
      org.addressLine1,
      org.addressLine2,
      [org.postalCode, org.city].filter(Boolean).join(' '),
      org.country && org.country !== 'FR' ? org.country : null,
    ),
    siren: org.siren,
  };
}

function buyerOf(contact: ContactEntity): InvoiceDocument['buyer'] & Party {
  return {
    name: displayName(contact),
    memberReference: contactReference(contact.number),
    addressLines: lines(
      contact.kind === 'organization' && contact.siren ? `SIREN ${contact.siren}` : null,
      contact.addressLine1,
      contact.addressLine2,
      [contact.postalCode, contact.city].filter(Boolean).join(' '),
      contact.country && contact.country !== 'FR' ? contact.country : null,
    ),
  };
}
