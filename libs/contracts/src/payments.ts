import { z } from 'zod';
import { blankAsNull, centsFromAmountSchema, emailSchema, optionalText, paginationQuerySchema } from './common';
import { localDateSchema } from './accounting';
import { phoneSchema, postalCodeProblem, type CustomFieldDefinitionView } from './contacts';
import type { PaymentMethod, PlanSubscription, PlanTierView, PricingKind, ValidityKind } from './memberships';

// ---- Payments --------------------------------------------------------------------------------

/**
 * The life of a payment. `pending`: asked, nothing received (Checkout open); `processing`: a SEPA
 * debit on its way (days); `succeeded`: money received; `failed`/`cancelled`: nothing came;
 * `refunded`/`partially_refunded`/`disputed` follow a success.
 */
export const PAYMENT_STATUSES = ['pending', 'processing', 'succeeded', 'failed', 'cancelled', 'partially_refunded', 'refunded', 'disputed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** What the money is for; the owning domain reacts to the payment (payments does not know more). */
export const PAYMENT_PURPOSES = ['membership', 'donation', 'other'] as const;
export type PaymentPurpose = (typeof PAYMENT_PURPOSES)[number];

export const PAYMENT_PROVIDERS = ['stripe', 'manual'] as const;
export type PaymentProvider = (typeof PAYMENT_PROVIDERS)[number];

/** The ways a member may pay online (Checkout also offers Apple Pay / Google Pay under card). */
export const ONLINE_PAYMENT_METHODS = ['card', 'sepa_debit'] as const;
export type OnlinePaymentMethod = (typeof ONLINE_PAYMENT_METHODS)[number];

export interface PaymentStatusChangeView {
  status: PaymentStatus;
  at: string;
  /** What caused it: a Stripe event id, `staff`, `checkout`... */
  cause: string;
  note: string | null;
}

export interface PaymentView {
  id: string;
  contactId: string | null;
  contactName: string | null;
  purpose: PaymentPurpose;
  purposeId: string | null;
  label: string;
  method: PaymentMethod | null;
  provider: PaymentProvider;
  status: PaymentStatus;
  /** Gross, what the payer paid. */
  amountCents: number;
  /** Provider fee (Stripe), from its balance transaction; null until known. */
  feeCents: number | null;
  netCents: number | null;
  refundedCents: number;
  currency: string;
  /** The day the money was received, in the organization's time zone. */
  paidOn: string | null;
  /** The day Stripe makes the net available for payout. */
  availableOn: string | null;
  stripe: {
    checkoutSessionId: string | null;
    paymentIntentId: string | null;
    chargeId: string | null;
    balanceTransactionId: string | null;
    livemode: boolean | null;
  } | null;
  /** The journal entry that recorded it. */
  entryId: string | null;
  createdAt: string;
  history: PaymentStatusChangeView[];
  refunds: RefundView[];
  disputes: DisputeView[];
  /** How much may still be refunded. */
  refundableCents: number;
  /** Transfer reference, cash receipt number... */
  reference: string | null;
  /** A cheque: its number, bank and drawer, and the deposit slip that took it to the bank. */
  cheque: { number: string | null; bank: string | null; drawer: string | null; depositId: string | null; depositReference: string | null } | null;
  /** Paid by a subscription (automatic renewal). */
  subscriptionId: string | null;
}

export interface RefundView {
  id: string;
  amountCents: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed' | 'canceled';
  reason: string | null;
  refundedOn: string | null;
  stripeRefundId: string | null;
  entryId: string | null;
  createdAt: string;
}

export interface DisputeView {
  id: string;
  stripeDisputeId: string;
  amountCents: number;
  feeCents: number;
  currency: string;
  /** Stripe's status: needs_response, under_review, won, lost... */
  status: string;
  reason: string | null;
  createdAt: string;
}

/** A refund asked from the admin: the whole remaining amount unless told otherwise. */
export const refundInputSchema = z
  .object({
    amount: centsFromAmountSchema.optional(),
    reason: z.string().trim().min(1, { message: 'Say why (kept in the audit log)' }).max(500),
  })
  .strict();
export type RefundInput = z.infer<typeof refundInputSchema>;

export interface PayoutItemView {
  balanceTransactionId: string;
  type: string;
  reportingCategory: string;
  source: string | null;
  amountCents: number;
  feeCents: number;
  netCents: number;
  paymentId: string | null;
  paymentLabel: string | null;
}

export interface PayoutView {
  id: string;
  stripePayoutId: string;
  amountCents: number;
  currency: string;
  status: string;
  arrivalDate: string;
  statementDescriptor: string | null;
  itemCount: number;
  itemsNetCents: number;
  /** Σ net of the items differs from the amount: something is missing, look at it. */
  mismatch: boolean;
  entryId: string | null;
  reversalEntryId: string | null;
  failureMessage: string | null;
  items: PayoutItemView[];
}

export const listPayoutsQuerySchema = paginationQuerySchema
  .extend({ from: localDateSchema.optional(), to: localDateSchema.optional() })
  .strict();
export type ListPayoutsQuery = z.infer<typeof listPayoutsQuerySchema>;

export const listPaymentsQuerySchema = paginationQuerySchema
  .extend({
    status: z.enum(PAYMENT_STATUSES).optional(),
    purpose: z.enum(PAYMENT_PURPOSES).optional(),
    provider: z.enum(PAYMENT_PROVIDERS).optional(),
    contactId: z.uuid().optional(),
    method: z.enum(['cheque', 'cash', 'transfer', 'card', 'sepa_debit', 'other']).optional(),
    /** Cheques not taken to the bank yet (for a deposit slip). */
    undeposited: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    from: localDateSchema.optional(),
    to: localDateSchema.optional(),
  })
  .strict();
export type ListPaymentsQuery = z.infer<typeof listPaymentsQuerySchema>;

// ---- Stripe connection -------------------------------------------------------------------------

/** The organization's own Stripe account: keys are stored encrypted and never sent back. */
export const stripeSettingsInputSchema = z
  .object({
    secretKey: z
      .string()
      .trim()
      .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$/, { message: 'A Stripe secret key (sk_test_..., sk_live_... or a restricted rk_ key)' }),
    webhookSecret: z
      .string()
      .trim()
      .regex(/^whsec_[A-Za-z0-9+/=]{8,}$/, { message: 'The signing secret of the webhook endpoint (whsec_...)' }),
    publishableKey: blankAsNull(
      z
        .string()
        .trim()
        .regex(/^pk_(test|live)_[A-Za-z0-9]{8,}$/, { message: 'A Stripe publishable key (pk_test_... or pk_live_...)' }),
    ),
  })
  .strict()
  .superRefine((v, ctx) => {
    const mode = v.secretKey.includes('_live_') ? 'live' : 'test';
    if (v.publishableKey && !v.publishableKey.startsWith(`pk_${mode}_`)) {
      ctx.addIssue({ code: 'custom', path: ['publishableKey'], message: `The secret key is a ${mode} key: give the ${mode} publishable key` });
    }
  });
export type StripeSettingsInput = z.infer<typeof stripeSettingsInputSchema>;

export type StripeMode = 'test' | 'live';

export interface StripeSettingsView {
  connected: boolean;
  mode: StripeMode | null;
  /** `sk_test_…4242`: enough to recognize the key, never the key. */
  secretKeyHint: string | null;
  webhookSecretSet: boolean;
  publishableKey: string | null;
  accountId: string | null;
  accountName: string | null;
  lastCheckedAt: string | null;
  lastCheckOk: boolean | null;
  lastCheckError: string | null;
  /** The URL to paste in Stripe's dashboard (Developers > Webhooks). */
  webhookUrl: string;
  /** The events to select there. */
  webhookEvents: string[];
  /** The public join page, and the snippet that embeds it in the association's own site. */
  joinUrl: string;
  embedSnippet: string;
}

export interface StripeConnectionCheckView {
  ok: boolean;
  mode: StripeMode | null;
  accountId: string | null;
  accountName: string | null;
  error: string | null;
  checkedAt: string;
}

export const STRIPE_EVENT_STATES = ['received', 'processed', 'ignored', 'failed'] as const;
export type StripeEventState = (typeof STRIPE_EVENT_STATES)[number];

export interface StripeEventView {
  id: string;
  type: string;
  apiVersion: string | null;
  livemode: boolean;
  state: StripeEventState;
  receivedAt: string;
  processedAt: string | null;
  error: string | null;
}

export const listStripeEventsQuerySchema = paginationQuerySchema.extend({ state: z.enum(STRIPE_EVENT_STATES).optional() }).strict();
export type ListStripeEventsQuery = z.infer<typeof listStripeEventsQuerySchema>;

// ---- Public join page ----------------------------------------------------------------------------

export interface PublicPlanView {
  id: string;
  name: string;
  description: string | null;
  pricingKind: PricingKind;
  tiers: PlanTierView[];
  minimumAmountCents: number | null;
  currency: string;
  validityKind: ValidityKind;
  validityMonths: number | null;
  household: boolean;
  /** Whether the member may choose automatic renewal, and how it is paid. */
  subscription: PlanSubscription;
}

export interface PublicJoinFormView {
  organization: { id: string; name: string; email: string | null };
  /** false: the association has not connected Stripe yet, online payment is closed. */
  onlinePayment: boolean;
  mode: StripeMode | null;
  methods: OnlinePaymentMethod[];
  /** Paying by bank transfer is open (the association shows an account for transfers). */
  transfer: TransferAccountView | null;
  plans: PublicPlanView[];
  customFields: CustomFieldDefinitionView[];
}

export const joinInputSchema = z
  .object({
    planId: z.uuid(),
    tierCode: z.string().trim().max(30).optional(),
    /** Only for a free-amount plan: at least the plan's minimum. */
    amount: centsFromAmountSchema.optional(),
    civility: z.enum(['mme', 'm', 'mx']).nullable().optional(),
    firstName: z.string().trim().min(1, { message: 'Your first name' }).max(100),
    lastName: z.string().trim().min(1, { message: 'Your last name' }).max(100),
    email: emailSchema,
    birthDate: blankAsNull(localDateSchema),
    phone: blankAsNull(phoneSchema),
    addressLine1: optionalText(200),
    postalCode: optionalText(10),
    city: optionalText(100),
    country: z.string().trim().length(2, { message: 'An ISO country code such as FR' }).toUpperCase().default('FR'),
    locale: z.enum(['fr', 'en']).default('fr'),
    customFields: z.record(z.string().max(40), z.unknown()).default({}),
    newsletter: z.boolean().default(false),
    imageRights: z.boolean().default(false),
    acceptTerms: z.literal(true, { message: 'Accept the terms to join' }),
    /** Card or SEPA debit through Stripe, or a bank transfer the member makes with the reference given. */
    method: z.enum([...ONLINE_PAYMENT_METHODS, 'transfer']).default('card'),
    /** Renew automatically each period (a Stripe subscription), when the plan allows it. */
    autoRenew: z.boolean().default(false),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.postalCode) {
      const problem = postalCodeProblem(v.country, v.postalCode);
      if (problem) ctx.addIssue({ code: 'custom', path: ['postalCode'], message: problem });
    }
  });
export type JoinInput = z.infer<typeof joinInputSchema>;

/** The account the association receives transfers on, as shown to payers. */
export interface TransferAccountView {
  holder: string;
  iban: string;
  bic: string | null;
}

/** What a payer by transfer needs: where, how much, and the reference that lets Ruche find it. */
export interface TransferInstructionsView extends TransferAccountView {
  amountCents: number;
  currency: string;
  /** ISO 11649 structured creditor reference (RF…): to type in the transfer's reference field. */
  reference: string;
}

export interface JoinResultView {
  paymentId: string;
  /** Stripe Checkout's page: send the browser there (null for a transfer). */
  checkoutUrl: string | null;
  /** For a transfer: the account, amount and reference to show (and e-mailed). */
  transfer: TransferInstructionsView | null;
}

/** What the return page shows after Checkout (`?session_id=cs_...`). */
export interface PublicCheckoutStatusView {
  status: PaymentStatus;
  purpose: PaymentPurpose;
  label: string;
  amountCents: number;
  currency: string;
  method: PaymentMethod | null;
}

// ---- Money received at the desk -----------------------------------------------------------------

export const MANUAL_PAYMENT_METHODS = ['cheque', 'cash', 'transfer'] as const;
export type ManualPaymentMethod = (typeof MANUAL_PAYMENT_METHODS)[number];

/**
 * A payment received by staff that belongs to no membership (a sale, a contribution...): recorded
 * and posted at once. Membership payments at the desk go through the membership.
 */
export const manualPaymentInputSchema = z
  .object({
    contactId: z.uuid().nullable().optional(),
    label: z.string().trim().min(1).max(200),
    amount: centsFromAmountSchema,
    method: z.enum(MANUAL_PAYMENT_METHODS),
    receivedOn: localDateSchema,
    /** Transfer reference, cash receipt number... */
    reference: optionalText(100),
    chequeNumber: optionalText(30),
    chequeBank: optionalText(100),
    chequeDrawer: optionalText(200),
    /** The revenue account it credits (default: the organization's services revenue, 706). */
    revenueAccount: z.string().trim().regex(/^[1-9]\d{2,11}$/, { message: 'An account number of the chart' }).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.amount <= 0) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'A payment is more than zero' });
  });
export type ManualPaymentInput = z.infer<typeof manualPaymentInputSchema>;

export interface ChequeView {
  paymentId: string;
  label: string;
  contactName: string | null;
  amountCents: number;
  receivedOn: string;
  number: string | null;
  bank: string | null;
  drawer: string | null;
}

/** A bank deposit slip (bordereau de remise de chèques): cheques taken to the bank together. */
export interface ChequeDepositView {
  id: string;
  /** REM-2026-007 */
  reference: string;
  depositedOn: string;
  totalCents: number;
  currency: string;
  chequeCount: number;
  entryId: string;
  createdAt: string;
  cheques: ChequeView[];
}

export const chequeDepositInputSchema = z
  .object({
    paymentIds: z.array(z.uuid()).min(1, { message: 'Choose at least one cheque' }).max(500),
    depositedOn: localDateSchema,
  })
  .strict();
export type ChequeDepositInput = z.infer<typeof chequeDepositInputSchema>;

// ---- Stripe history backfill ---------------------------------------------------------------

export const STRIPE_SYNC_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type StripeSyncStatus = (typeof STRIPE_SYNC_STATUSES)[number];

/** A date range of Stripe history to bring in (at most about 13 months at once). */
export const stripeSyncInputSchema = z
  .object({ from: localDateSchema, to: localDateSchema })
  .strict()
  .superRefine((v, ctx) => {
    if (v.from > v.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'The start is after the end' });
    else if (Date.parse(v.to) - Date.parse(v.from) > 400 * 86_400_000)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'At most 400 days at once' });
  });
export type StripeSyncInput = z.infer<typeof stripeSyncInputSchema>;

export interface StripeSyncView {
  id: string;
  from: string;
  to: string;
  status: StripeSyncStatus;
  transactions: number;
  paymentsCreated: number;
  refundsSynced: number;
  payouts: number;
  problems: string[];
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}
