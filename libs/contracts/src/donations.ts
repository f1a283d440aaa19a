import { z } from 'zod';
import { accountNumberSchema, localDateSchema } from './accounting';
import { blankAsNull, centsFromAmountSchema, emailSchema, optionalText } from './common';
import { phoneSchema, postalCodeProblem } from './contacts';
import { ONLINE_PAYMENT_METHODS, type TransferAccountView } from './payments';
import type { PaymentMethod } from './memberships';
import { sirenSchema } from './organizations';
import type { TaxRatesView } from './receipts';

/** Money, goods or services given (in kind), or expenses a volunteer renounces (abandon de frais). */
export const DONATION_KINDS = ['money', 'in_kind', 'expense_waiver'] as const;
export type DonationKind = (typeof DONATION_KINDS)[number];

export const DONATION_STATUSES = [
  'pending',
  'paid',
  'failed',
  'partially_refunded',
  'refunded',
  'cancelled',
] as const;
export type DonationStatus = (typeof DONATION_STATUSES)[number];

export const DONATION_FREQUENCIES = ['once', 'monthly'] as const;
export type DonationFrequency = (typeof DONATION_FREQUENCIES)[number];

export const DESK_DONATION_METHODS = ['cheque', 'cash', 'transfer'] as const;

const positiveAmount = centsFromAmountSchema.refine((v) => v > 0, {
  message: 'A gift is a positive amount',
});

const suggestedAmountsSchema = z
  .array(z.number().int().min(100).max(100_000_000))
  .max(6)
  .default([]);

/** A gift recorded by staff: a cheque, cash, a transfer, a gift in kind, renounced expenses. */
export const createDonationInputSchema = z
  .object({
    contactId: z.uuid(),
    campaignId: z.uuid().nullable().optional(),
    kind: z.enum(DONATION_KINDS).default('money'),
    amount: positiveAmount,
    /** The day the gift was received (cheque handed over, transfer credited). */
    receivedOn: localDateSchema,
    /** For money: how it came. */
    method: z.enum(DESK_DONATION_METHODS).nullable().optional(),
    chequeNumber: optionalText(30),
    chequeBank: optionalText(100),
    chequeDrawer: optionalText(100),
    reference: optionalText(100),
    /** In kind and renounced expenses: what was given (printed on the receipt). */
    description: optionalText(500),
    /** In kind from a company: how the company valued it (cerfa 16216). */
    valuationMethod: optionalText(300),
    /** In kind and renounced expenses: the account debited (the goods or the expense). */
    debitAccount: blankAsNull(accountNumberSchema),
    wantsReceipt: z.boolean().default(true),
    note: optionalText(1000),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === 'money' && !v.method)
      ctx.addIssue({ code: 'custom', path: ['method'], message: 'How the gift was paid' });
    if (v.kind !== 'money' && !v.description)
      ctx.addIssue({ code: 'custom', path: ['description'], message: 'Describe what was given' });
    if (v.kind !== 'money' && !v.debitAccount)
      ctx.addIssue({
        code: 'custom',
        path: ['debitAccount'],
        message: 'The account of the goods or the expense',
      });
  });
export type CreateDonationInput = z.infer<typeof createDonationInputSchema>;

export interface DonationView {
  id: string;
  contactId: string;
  donorName: string;
  donorKind: 'person' | 'company';
  campaignId: string | null;
  campaignName: string | null;
  kind: DonationKind;
  frequency: DonationFrequency;
  amountCents: number;
  refundedCents: number;
  currency: string;
  method: PaymentMethod | null;
  status: DonationStatus;
  receivedOn: string | null;
  description: string | null;
  wantsReceipt: boolean;
  source: 'desk' | 'online';
  paymentId: string | null;
  entryId: string | null;
  /** The receiptable gift declared to receipts (to issue its receipt on demand), if any. */
  giftId: string | null;
  receiptId: string | null;
  receiptReference: string | null;
  note: string | null;
  createdAt: string;
}

export const donationListQuerySchema = z
  .object({
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    campaignId: z.uuid().optional(),
    contactId: z.uuid().optional(),
    status: z.enum(DONATION_STATUSES).optional(),
    kind: z.enum(DONATION_KINDS).optional(),
    q: z.string().trim().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type DonationListQuery = z.infer<typeof donationListQuerySchema>;

export interface DonorTotalView {
  contactId: string;
  donorName: string;
  year: number;
  count: number;
  totalCents: number;
  currency: string;
}

export const campaignInputSchema = z
  .object({
    name: z.string().trim().min(2).max(120),
    description: optionalText(2000),
    goal: blankAsNull(positiveAmount),
    suggestedAmounts: suggestedAmountsSchema,
    allowMonthly: z.boolean().default(true),
    /** Credited instead of the default gifts account (e.g. 75411 -> 754111). */
    revenueAccount: blankAsNull(accountNumberSchema),
    /** Analytic section for the campaign's entries. */
    analytic: optionalText(40),
    active: z.boolean().default(true),
  })
  .strict();
export type CampaignInput = z.infer<typeof campaignInputSchema>;

export interface CampaignView {
  id: string;
  name: string;
  description: string | null;
  goalCents: number | null;
  raisedCents: number;
  donationCount: number;
  suggestedAmounts: number[];
  allowMonthly: boolean;
  revenueAccount: string | null;
  analytic: string | null;
  active: boolean;
  currency: string;
  createdAt: string;
}

export const donationSettingsInputSchema = z
  .object({
    /** Suggested amounts on the public page, in cents. */
    suggestedAmounts: suggestedAmountsSchema,
    monthlySuggestedAmounts: suggestedAmountsSchema,
    minimum: positiveAmount,
    /** Account credited by renounced expenses (75412 by default). */
    expenseWaiverAccount: accountNumberSchema,
  })
  .strict();
export type DonationSettingsInput = z.infer<typeof donationSettingsInputSchema>;

export interface DonationSettingsView {
  suggestedAmounts: number[];
  monthlySuggestedAmounts: number[];
  minimumCents: number;
  expenseWaiverAccount: string;
}

export interface PublicDonationFormView {
  organization: { id: string; name: string };
  onlinePayment: boolean;
  mode: 'test' | 'live' | null;
  methods: (typeof ONLINE_PAYMENT_METHODS)[number][];
  /** Giving by bank transfer is open (the association shows an account for transfers). */
  transfer: TransferAccountView | null;
  campaign: {
    id: string;
    name: string;
    description: string | null;
    goalCents: number | null;
    raisedCents: number;
    allowMonthly: boolean;
  } | null;
  suggestedAmounts: number[];
  monthlySuggestedAmounts: number[];
  minimumCents: number;
  currency: string;
  /** Whether the association issues fiscal receipts; the rates let the page preview the cost. */
  receipts: boolean;
  rates: TaxRatesView | null;
}

export const publicDonationInputSchema = z
  .object({
    campaignId: z.uuid().nullable().optional(),
    amount: positiveAmount,
    frequency: z.enum(DONATION_FREQUENCIES).default('once'),
    donorKind: z.enum(['person', 'company']).default('person'),
    companyName: optionalText(200),
    siren: blankAsNull(sirenSchema),
    civility: z.enum(['mme', 'm', 'mx']).nullable().optional(),
    firstName: z.string().trim().min(1, { message: 'Your first name' }).max(100),
    lastName: z.string().trim().min(1, { message: 'Your last name' }).max(100),
    email: emailSchema,
    phone: blankAsNull(phoneSchema),
    addressLine1: optionalText(200),
    postalCode: optionalText(10),
    city: optionalText(100),
    country: z
      .string()
      .trim()
      .length(2, { message: 'An ISO country code such as FR' })
      .toUpperCase()
      .default('FR'),
    wantsReceipt: z.boolean().default(true),
    newsletter: z.boolean().default(false),
    /** Card or SEPA debit through Stripe, or a transfer the donor makes with the reference given. */
    method: z.enum([...ONLINE_PAYMENT_METHODS, 'transfer']).default('card'),
    locale: z.enum(['fr', 'en']).default('fr'),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.donorKind === 'company' && !v.companyName)
      ctx.addIssue({ code: 'custom', path: ['companyName'], message: 'The company name' });
    if (v.wantsReceipt) {
      // A receipt without the donor's full address is refused by the tax administration.
      for (const field of ['addressLine1', 'postalCode', 'city'] as const)
        if (!v[field])
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: 'Needed on your tax receipt',
          });
    }
    if (v.postalCode) {
      const problem = postalCodeProblem(v.country, v.postalCode);
      if (problem) ctx.addIssue({ code: 'custom', path: ['postalCode'], message: problem });
    }
  });
export type PublicDonationInput = z.infer<typeof publicDonationInputSchema>;

/**
 * What a gift costs the donor after the tax reduction (display only: the association never
 * computes the donor's tax). Integer cents; rates in basis points.
 */
export function donationCostAfterTax(
  amountCents: number,
  donorKind: 'person' | 'company',
  rates: TaxRatesView,
): { reductionCents: number; costCents: number } {
  let reduction: number;
  if (donorKind === 'company') {
    reduction = Math.floor((amountCents * rates.companyRateBp) / 10_000);
  } else if (rates.individualHigherRate) {
    const high = Math.min(amountCents, rates.individualHigherRate.ceilingCents);
    reduction =
      Math.floor((high * rates.individualHigherRate.rateBp) / 10_000) +
      Math.floor(((amountCents - high) * rates.individualRateBp) / 10_000);
  } else {
    reduction = Math.floor((amountCents * rates.individualRateBp) / 10_000);
  }
  return { reductionCents: reduction, costCents: amountCents - reduction };
}
