import { z } from 'zod';
import { optionalText } from './common';
import type { PaymentMethod } from './memberships';

/**
 * Invoices (factures) of what the association sells with counterparts (a membership plan that is
 * not receipt-eligible), and their credit notes (avoirs) when the payment is refunded. Each kind
 * has its own gapless numbering per organization and calendar year: FA-2026-000001, AV-2026-000001.
 */
export const INVOICE_KINDS = ['invoice', 'credit_note'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];

/** cancelled: an invoice fully credited by its credit notes (it keeps its number and its PDF). */
export const INVOICE_STATUSES = ['issued', 'cancelled'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** What the invoice is for (the owning domain's record). */
export const INVOICE_SOURCES = ['membership'] as const;
export type InvoiceSourceKind = (typeof INVOICE_SOURCES)[number];

/** Associations are usually not subject to VAT: the mention printed by default. */
export const DEFAULT_VAT_MENTION = 'TVA non applicable, article 261-7-1° b du CGI';

export const invoiceSettingsInputSchema = z
  .object({
    /** Printed on every invoice and credit note (VAT status). */
    vatMention: z.string().trim().min(3).max(300),
    /** A legal mention printed at the foot (legal form, registration...), optional. */
    legalMention: optionalText(500),
  })
  .strict();
export type InvoiceSettingsInput = z.infer<typeof invoiceSettingsInputSchema>;

export interface InvoiceSettingsView {
  vatMention: string;
  legalMention: string | null;
  /** The mention used when none was set. */
  defaultVatMention: string;
}

export interface InvoiceLineView {
  description: string;
  amountCents: number;
}

/** A credit note in the list of the invoice it credits. */
export interface InvoiceCreditView {
  id: string;
  reference: string;
  issuedOn: string;
  totalCents: number;
}

export interface InvoiceView {
  id: string;
  kind: InvoiceKind;
  reference: string;
  year: number;
  number: number;
  issuedOn: string;
  issuedAt: string;
  contactId: string;
  /** The buyer as printed (frozen at issue). */
  buyerName: string;
  memberReference: string | null;
  sourceKind: InvoiceSourceKind;
  sourceId: string;
  paymentId: string;
  /** Credit notes: the refund they record. */
  refundId: string | null;
  /** Credit notes: the lost dispute they record. */
  disputeId: string | null;
  lines: InvoiceLineView[];
  /** Always positive: a credit note states the amount credited. */
  totalCents: number;
  currency: string;
  vatMention: string;
  /** Invoices: the day the payment was received; credit notes: the day of the refund. */
  paidOn: string | null;
  paymentMethod: PaymentMethod | null;
  status: InvoiceStatus;
  cancelledAt: string | null;
  /** Invoices: how much their credit notes credit (0 when none). */
  creditedCents: number;
  /** Credit notes: the invoice they credit. */
  creditedInvoiceId: string | null;
  creditedInvoiceReference: string | null;
  /** Invoices: their credit notes, oldest first. */
  creditNotes: InvoiceCreditView[];
  pdfSha256: string;
}

export const invoiceListQuerySchema = z
  .object({
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    kind: z.enum(INVOICE_KINDS).optional(),
    status: z.enum(INVOICE_STATUSES).optional(),
    contactId: z.uuid().optional(),
    paymentId: z.uuid().optional(),
    /** The owning record (a membership's id). */
    sourceId: z.uuid().optional(),
    /** A reference's start or part of the buyer's name. */
    q: z.string().trim().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type InvoiceListQuery = z.infer<typeof invoiceListQuerySchema>;
