import { z } from 'zod';
import { localDateSchema } from './accounting';
import { optionalText } from './common';

/**
 * Fiscal receipts (reçus fiscaux, cerfa 11580 for individuals, 16216 for companies): see
 * shared/domain/receipts.md. A receipt certifies one gift ('single') or a donor's gifts of a
 * calendar year ('annual', reçu récapitulatif).
 */
export const RECEIPT_MODES = ['per_gift', 'annual'] as const;
export type ReceiptMode = (typeof RECEIPT_MODES)[number];

export const RECEIPT_KINDS = ['single', 'annual'] as const;
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];

/** The official model a receipt follows (versioned: a new millésime is a data change). */
export const RECEIPT_MODELS = ['11580*05', '16216*01'] as const;
export type ReceiptModel = (typeof RECEIPT_MODELS)[number];

export const RECEIPT_STATUSES = ['issued', 'cancelled'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

/** Form of the gift (cerfa box "Forme du don"). */
export const GIFT_FORMS = ['authentic_deed', 'private_deed', 'manual_gift', 'other'] as const;
export type GiftForm = (typeof GIFT_FORMS)[number];

/** Nature of the gift (cerfa box "Nature du don"). */
export const GIFT_NATURES = [
  'money',
  'listed_shares',
  'in_kind',
  'expense_waiver',
  'other',
] as const;
export type GiftNature = (typeof GIFT_NATURES)[number];

/** Method of a money gift (cerfa box "Mode de versement"). */
export const GIFT_METHODS = ['cash', 'cheque', 'transfer_card_debit'] as const;
export type GiftMethod = (typeof GIFT_METHODS)[number];

/** The tax articles (CGI) a receipt certifies. */
export const TAX_ARTICLES = ['200', '978', '238bis'] as const;
export type TaxArticle = (typeof TAX_ARTICLES)[number];

export const receiptSettingsInputSchema = z
  .object({
    /** The organization declares it may issue receipts (intérêt général): explicit, never implied. */
    enabled: z.boolean(),
    /** One receipt per gift, or one annual summary per donor (issued by the year-end batch). */
    defaultMode: z.enum(RECEIPT_MODES),
    /** Monthly donors: the annual summary by default. */
    recurringMode: z.enum(RECEIPT_MODES),
    /** Articles ticked on receipts for individuals (200 income tax, 978 IFI). */
    article200: z.boolean(),
    article978: z.boolean(),
    signerName: optionalText(120),
    /** The signer's quality, e.g. "Trésorier". */
    signerTitle: optionalText(120),
    /** "Fait à ..." */
    place: optionalText(100),
    /** Only for an association or foundation recognised of public utility (RUP). */
    rupDecreeDate: localDateSchema.nullable().optional(),
    rupJournalDate: localDateSchema.nullable().optional(),
    /** Email each receipt to the donor as soon as it is issued. */
    sendByEmail: z.boolean(),
  })
  .strict();
export type ReceiptSettingsInput = z.infer<typeof receiptSettingsInputSchema>;

export const SIGNATURE_MIME_TYPES = ['image/png', 'image/jpeg'] as const;
export const receiptSignatureInputSchema = z
  .object({
    mimeType: z.enum(SIGNATURE_MIME_TYPES),
    /** The image, base64; at most 300 KB once decoded. */
    contentBase64: z
      .string()
      .max(410_000, { message: 'At most 300 KB' })
      .regex(/^[A-Za-z0-9+/]+=*$/, { message: 'Base64 content' }),
  })
  .strict();
export type ReceiptSignatureInput = z.infer<typeof receiptSignatureInputSchema>;

/** A setting a receipt cannot do without (legal identity, signer...), with where to fix it. */
export interface ReceiptSettingProblem {
  field: string;
  /** 'organization': the association's settings page; 'receipts': the receipts settings. */
  where: 'organization' | 'receipts';
  message: string;
}

export interface ReceiptSettingsView extends ReceiptSettingsInput {
  hasSignature: boolean;
  /** Empty when receipts can be issued. */
  problems: ReceiptSettingProblem[];
  /** The tax reduction rates in force today for this organization (for the donor's preview). */
  rates: TaxRatesView;
}

export interface TaxRatesView {
  /** Individuals (art. 200): rate in basis points (6600 = 66 %). */
  individualRateBp: number;
  /** A higher rate up to a yearly ceiling (the "Coluche" 75 %), else null. */
  individualHigherRate: { rateBp: number; ceilingCents: number } | null;
  /** Companies (art. 238 bis). */
  companyRateBp: number;
  validOn: string;
}

export interface ReceiptGiftView {
  id: string;
  sourceKind: 'donation' | 'membership';
  sourceId: string;
  contactId: string;
  donorName: string;
  receivedOn: string;
  amountCents: number;
  /** Refunded: no longer receiptable (what is left stays). */
  withdrawnCents: number;
  currency: string;
  nature: GiftNature;
  form: GiftForm;
  method: GiftMethod | null;
  mode: ReceiptMode;
  /** The receipt covering it now (not cancelled), if any. */
  receiptId: string | null;
  receiptReference: string | null;
  /** Why it waits (settings incomplete, donor without address...), when it does. */
  blockedReason: string | null;
}

export interface ReceiptLineView {
  giftId: string;
  sourceKind: 'donation' | 'membership';
  sourceId: string;
  receivedOn: string;
  amountCents: number;
  nature: GiftNature;
  method: GiftMethod | null;
}

export interface ReceiptView {
  id: string;
  reference: string;
  year: number;
  number: number;
  kind: ReceiptKind;
  model: ReceiptModel;
  contactId: string;
  donorName: string;
  amountCents: number;
  currency: string;
  periodStart: string;
  periodEnd: string;
  issuedOn: string;
  issuedAt: string;
  status: ReceiptStatus;
  cancelledAt: string | null;
  cancelReason: string | null;
  replacesId: string | null;
  replacesReference: string | null;
  replacedById: string | null;
  replacedByReference: string | null;
  pdfSha256: string;
  email: { status: 'pending' | 'sent' | 'failed'; sentAt: string | null } | null;
  lines: ReceiptLineView[];
}

export const receiptListQuerySchema = z
  .object({
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    status: z.enum(RECEIPT_STATUSES).optional(),
    contactId: z.uuid().optional(),
    q: z.string().trim().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type ReceiptListQuery = z.infer<typeof receiptListQuerySchema>;

export const receiptGiftListQuerySchema = z
  .object({
    /** waiting: not covered by a receipt yet. */
    state: z.enum(['waiting', 'all']).default('waiting'),
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    contactId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type ReceiptGiftListQuery = z.infer<typeof receiptGiftListQuerySchema>;

export const cancelReceiptInputSchema = z
  .object({
    reason: z.string().trim().min(3, { message: 'Say why (at least 3 characters)' }).max(500),
    /**
     * Issue a corrected receipt for the same gifts (after the donor's details were fixed): a new
     * number that says which receipt it cancels and replaces.
     */
    replace: z.boolean().default(false),
  })
  .strict();
export type CancelReceiptInput = z.infer<typeof cancelReceiptInputSchema>;

export const yearInputSchema = z
  .object({ year: z.coerce.number().int().min(2000).max(2100) })
  .strict();
export type YearInput = z.infer<typeof yearInputSchema>;

export interface AnnualBatchView {
  year: number;
  /** Donors whose gifts of the year wait for their annual receipt. */
  donorsWaiting: number;
  giftsWaiting: number;
  /** Annual receipts already issued for the year (not cancelled). */
  issued: number;
  /** Gifts that cannot be receipted yet and why (donor address missing...). */
  blocked: { giftId: string; donorName: string; reason: string }[];
}

/** The yearly declaration (art. 222 bis CGI): what receipts certified, per article. */
export interface ReceiptDeclarationView {
  year: number;
  currency: string;
  count: number;
  totalCents: number;
  byArticle: { article: TaxArticle; model: ReceiptModel; count: number; totalCents: number }[];
  cancelled: number;
}
