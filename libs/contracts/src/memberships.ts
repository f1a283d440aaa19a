import { z } from 'zod';
import { localDateSchema } from './accounting';
import { accountNumberSchema } from './accounting';
import { centsFromAmountSchema, optionalText, paginationQuerySchema } from './common';
import type { MembershipStatus } from './contacts';
import { MEMBERSHIP_STATUSES } from './contacts';

export const VALIDITY_KINDS = ['calendar_year', 'fiscal_year', 'rolling_months', 'fixed_dates', 'lifetime'] as const;
export type ValidityKind = (typeof VALIDITY_KINDS)[number];

export const PLAN_SUBSCRIPTIONS = ['none', 'yearly', 'monthly'] as const;
export type PlanSubscription = (typeof PLAN_SUBSCRIPTIONS)[number];

export const PRICING_KINDS = ['fixed', 'tiers', 'free_amount'] as const;
export type PricingKind = (typeof PRICING_KINDS)[number];

const tierSchema = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[a-z0-9_-]{1,30}$/, { message: 'Lower-case letters, digits, - and _ (30 at most)' }),
    label: z.string().trim().min(1).max(100),
    amount: centsFromAmountSchema,
  })
  .strict();

export const planInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: optionalText(2000),
    pricingKind: z.enum(PRICING_KINDS),
    /** fixed: one tier; tiers: several (full, reduced, family...); free_amount: none, a minimum. */
    tiers: z.array(tierSchema).max(20).default([]),
    minimumAmount: centsFromAmountSchema.optional(),
    validityKind: z.enum(VALIDITY_KINDS),
    validityMonths: z.number().int().min(1).max(120).nullable().optional(),
    fixedStartDate: localDateSchema.nullable().optional(),
    fixedEndDate: localDateSchema.nullable().optional(),
    /** Whether a fiscal receipt may be issued for the part above the counterparts (see receipts.md). */
    receiptEligible: z.boolean().default(false),
    /** The revenue account it credits; none means the organization's membership revenue account (756x). */
    revenueAccount: accountNumberSchema.nullable().optional(),
    /** One membership covers the whole household. */
    household: z.boolean().default(false),
    /**
     * Online, the member may also choose automatic renewal: a Stripe subscription paid once a year,
     * or in twelve monthly instalments. `none`: one payment per period.
     */
    subscription: z.enum(PLAN_SUBSCRIPTIONS).default('none'),
    active: z.boolean().default(true),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.pricingKind === 'fixed' && v.tiers.length !== 1) ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'A fixed price has exactly one tier' });
    if (v.pricingKind === 'tiers' && v.tiers.length < 2) ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'Give at least two tiers' });
    if (v.pricingKind === 'free_amount' && v.tiers.length > 0) ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'A free amount has no tiers, only a minimum' });
    if (v.pricingKind === 'free_amount' && v.minimumAmount === undefined) ctx.addIssue({ code: 'custom', path: ['minimumAmount'], message: 'Give the minimum amount (0 for none)' });
    if (new Set(v.tiers.map((t) => t.code)).size !== v.tiers.length) ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'Tier codes must differ' });
    if (v.subscription !== 'none' && (v.validityKind === 'lifetime' || v.validityKind === 'fixed_dates')) {
      ctx.addIssue({ code: 'custom', path: ['subscription'], message: 'Automatic renewal needs a plan that renews (calendar, fiscal year or rolling months)' });
    }
    if (v.subscription === 'monthly' && v.pricingKind === 'free_amount') ctx.addIssue({ code: 'custom', path: ['subscription'], message: 'Monthly instalments need a fixed price' });
    // Twelve instalments pay twelve months from the day the member joins: with a calendar or
    // fiscal-year plan, someone joining in June would start next year's membership in January.
    if (v.subscription === 'monthly' && !(v.validityKind === 'rolling_months' && v.validityMonths === 12)) {
      ctx.addIssue({ code: 'custom', path: ['subscription'], message: 'Monthly instalments need a 12-month rolling plan' });
    }
    if (v.validityKind === 'rolling_months' && !v.validityMonths) ctx.addIssue({ code: 'custom', path: ['validityMonths'], message: 'How many months a membership lasts' });
    if (v.validityKind === 'fixed_dates') {
      if (!v.fixedStartDate) ctx.addIssue({ code: 'custom', path: ['fixedStartDate'], message: 'The first day covered' });
      if (!v.fixedEndDate) ctx.addIssue({ code: 'custom', path: ['fixedEndDate'], message: 'The last day covered' });
      if (v.fixedStartDate && v.fixedEndDate && v.fixedEndDate < v.fixedStartDate) ctx.addIssue({ code: 'custom', path: ['fixedEndDate'], message: 'Ends before it starts' });
    }
  });
export type PlanInput = z.infer<typeof planInputSchema>;

export interface PlanTierView {
  code: string;
  label: string;
  amountCents: number;
}

export interface PlanView {
  id: string;
  name: string;
  description: string | null;
  pricingKind: PricingKind;
  tiers: PlanTierView[];
  minimumAmountCents: number | null;
  currency: string;
  validityKind: ValidityKind;
  validityMonths: number | null;
  fixedStartDate: string | null;
  fixedEndDate: string | null;
  receiptEligible: boolean;
  revenueAccount: string | null;
  household: boolean;
  subscription: PlanSubscription;
  active: boolean;
  activeMemberships: number;
}

export const PAYMENT_METHODS = ['cheque', 'cash', 'transfer', 'card', 'sepa_debit', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
/** What staff record by hand at the desk (card and SEPA debit arrive through Stripe). */
export const OFFLINE_PAYMENT_METHODS = ['cheque', 'cash', 'transfer'] as const;

export const paymentInputSchema = z
  .object({
    method: z.enum(OFFLINE_PAYMENT_METHODS),
    paidOn: localDateSchema,
    /** Cheque number, transfer reference... */
    reference: optionalText(100),
    /** E-mail the payment confirmation (attestation, invoice) to the member; default true. */
    notify: z.boolean().optional(),
  })
  .strict();
export type PaymentInput = z.infer<typeof paymentInputSchema>;

export const createMembershipInputSchema = z
  .object({
    contactId: z.uuid(),
    planId: z.uuid(),
    tierCode: z.string().trim().max(30).optional(),
    /** Only for a free-amount plan. */
    amount: centsFromAmountSchema.optional(),
    /** Defaults to today, or the plan's period start. */
    startDate: localDateSchema.optional(),
    payment: paymentInputSchema.optional(),
    note: optionalText(500),
  })
  .strict();
export type CreateMembershipInput = z.infer<typeof createMembershipInputSchema>;

export const renewMembershipInputSchema = z
  .object({
    tierCode: z.string().trim().max(30).optional(),
    amount: centsFromAmountSchema.optional(),
    planId: z.uuid().optional(),
    payment: paymentInputSchema.optional(),
  })
  .strict();
export type RenewMembershipInput = z.infer<typeof renewMembershipInputSchema>;

export const cancelMembershipInputSchema = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
export type CancelMembershipInput = z.infer<typeof cancelMembershipInputSchema>;

export interface ContactMembershipView {
  id: string;
  contactId: string;
  contactName: string;
  contactReference: string;
  householdId: string | null;
  planId: string;
  planName: string;
  tierCode: string | null;
  tierLabel: string | null;
  amountCents: number;
  currency: string;
  startDate: string;
  endDate: string | null;
  status: MembershipStatus;
  paidOn: string | null;
  paymentMethod: string | null;
  paymentReference: string | null;
  /** The journal entry of the payment, when it was recorded here. */
  entryId: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  renewedFromId: string | null;
  source: MembershipSource;
  note: string | null;
  createdAt: string;
}

export const MEMBERSHIP_SOURCES = ['staff', 'member', 'import', 'online', 'subscription'] as const;
export type MembershipSource = (typeof MEMBERSHIP_SOURCES)[number];

export const listMembershipsQuerySchema = paginationQuerySchema
  .extend({
    contactId: z.uuid().optional(),
    planId: z.uuid().optional(),
    status: z.enum(MEMBERSHIP_STATUSES).optional(),
  })
  .strict();
export type ListMembershipsQuery = z.infer<typeof listMembershipsQuerySchema>;

export const membershipSettingsInputSchema = z
  .object({
    expiringSoonDays: z.number().int().min(1).max(180),
    graceDays: z.number().int().min(0).max(365),
    /** Days relative to the end date: negative before expiry, positive after. */
    reminderOffsets: z
      .array(z.number().int().min(-180).max(180).refine((v) => v !== 0, { message: 'Before (-) or after (+) the end date, not on it' }))
      .max(10)
      .refine((v) => new Set(v).size === v.length, { message: 'Each offset once' }),
    remindersEnabled: z.boolean(),
    retentionYears: z.number().int().min(1).max(20),
  })
  .strict();
export type MembershipSettingsInput = z.infer<typeof membershipSettingsInputSchema>;
export type MembershipSettingsView = MembershipSettingsInput;

export interface MembershipDashboardView {
  today: string;
  counts: {
    active: number;
    expiringSoon: number;
    grace: number;
    lapsed: number;
    pendingPayment: number;
    newThisMonth: number;
  };
  expiringSoonDays: number;
  /** Members in good standing at the end of each of the last 24 months (the current month: today). */
  activeByMonth: { month: string; active: number }[];
  /** The latest status changes, newest first. */
  recent: {
    membershipId: string;
    contactId: string;
    contactName: string;
    status: MembershipStatus;
    planName: string;
    validUntil: string | null;
    changedAt: string;
  }[];
}

export const checkMemberQuerySchema = z.object({ q: z.string().trim().min(2).max(100) }).strict();

export interface MemberCheckView {
  contactId: string;
  reference: string;
  displayName: string;
  city: string | null;
  status: MembershipStatus | null;
  inGoodStanding: boolean;
  validUntil: string | null;
  planName: string | null;
}

export interface MembershipStatusChangedEvent {
  membershipId: string;
  contactId: string;
  contactName: string;
  status: MembershipStatus;
  previousStatus: MembershipStatus | null;
  validUntil: string | null;
}
