import type { PlanSubscription, PlanView, PricingKind, ValidityKind } from '@ruche/contracts';
import type { PlanBody } from '../../../api/memberships';

export interface TierValues {
  code: string;
  label: string;
  /** As typed: "30", "12,50". */
  amount: string;
}

/** The plan form, every input as typed. */
export interface PlanFormValues {
  name: string;
  description: string;
  pricingKind: PricingKind;
  tiers: TierValues[];
  minimumAmount: string;
  validityKind: ValidityKind;
  validityMonths: string;
  fixedStartDate: string;
  fixedEndDate: string;
  receiptEligible: boolean;
  revenueAccount: string;
  household: boolean;
  /** Automatic renewal offered online: none, a yearly debit, or twelve monthly instalments. */
  subscription: PlanSubscription;
  active: boolean;
}

/** The inputs that show their own errors (besides the tier cells). */
export const PLAN_FIELDS = [
  'name',
  'description',
  'pricingKind',
  'minimumAmount',
  'validityKind',
  'validityMonths',
  'fixedStartDate',
  'fixedEndDate',
  'receiptEligible',
  'revenueAccount',
  'household',
  'subscription',
  'active',
] as const satisfies readonly (keyof PlanFormValues)[];

export const TIER_FIELDS = [
  'code',
  'label',
  'amount',
] as const satisfies readonly (keyof TierValues)[];

const DEFAULT_CODE = 'standard';

export const emptyTier = (): TierValues => ({ code: '', label: '', amount: '' });

const centsToText = (cents: number) => (cents / 100).toFixed(2).replace('.', ',');

export function emptyPlanForm(): PlanFormValues {
  return {
    name: '',
    description: '',
    pricingKind: 'fixed',
    tiers: [emptyTier()],
    minimumAmount: '0',
    validityKind: 'calendar_year',
    validityMonths: '12',
    fixedStartDate: '',
    fixedEndDate: '',
    receiptEligible: false,
    revenueAccount: '',
    household: false,
    subscription: 'none',
    active: true,
  };
}

export function toPlanForm(plan: PlanView): PlanFormValues {
  return {
    name: plan.name,
    description: plan.description ?? '',
    pricingKind: plan.pricingKind,
    tiers:
      plan.tiers.length > 0
        ? plan.tiers.map((tier) => ({
            code: tier.code,
            label: tier.label,
            amount: centsToText(tier.amountCents),
          }))
        : [emptyTier()],
    minimumAmount: plan.minimumAmountCents !== null ? centsToText(plan.minimumAmountCents) : '0',
    validityKind: plan.validityKind,
    validityMonths: plan.validityMonths !== null ? String(plan.validityMonths) : '12',
    fixedStartDate: plan.fixedStartDate?.slice(0, 10) ?? '',
    fixedEndDate: plan.fixedEndDate?.slice(0, 10) ?? '',
    receiptEligible: plan.receiptEligible,
    revenueAccount: plan.revenueAccount ?? '',
    household: plan.household,
    subscription: plan.subscription,
    active: plan.active,
  };
}

/** A tier code made from its label ("Tarif réduit" → "tarif-reduit"). */
export function codeFromLabel(label: string): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 30);
}

/**
 * The body for the API: amounts stay the typed strings (the server turns them into cents), the
 * inputs of the other pricing and validity kinds are left out. A fixed price is one tier.
 */
export function toPlanBody(values: PlanFormValues): PlanBody {
  const text = (value: string) => value.trim() || null;
  const tiers = (() => {
    switch (values.pricingKind) {
      case 'fixed': {
        const tier = values.tiers[0] ?? emptyTier();
        return [
          {
            code: tier.code.trim() || DEFAULT_CODE,
            label: tier.label.trim() || values.name.trim(),
            amount: tier.amount.trim(),
          },
        ];
      }
      case 'tiers':
        return values.tiers.map((tier) => ({
          code: tier.code.trim() || codeFromLabel(tier.label),
          label: tier.label.trim(),
          amount: tier.amount.trim(),
        }));
      case 'free_amount':
        return [];
    }
  })();
  const months = Number(values.validityMonths);
  return {
    name: values.name,
    description: text(values.description),
    pricingKind: values.pricingKind,
    tiers,
    minimumAmount:
      values.pricingKind === 'free_amount' ? values.minimumAmount.trim() || undefined : undefined,
    validityKind: values.validityKind,
    validityMonths:
      values.validityKind === 'rolling_months' && values.validityMonths.trim()
        ? Number.isInteger(months)
          ? months
          : null
        : null,
    fixedStartDate: values.validityKind === 'fixed_dates' ? text(values.fixedStartDate) : null,
    fixedEndDate: values.validityKind === 'fixed_dates' ? text(values.fixedEndDate) : null,
    receiptEligible: values.receiptEligible,
    revenueAccount: text(values.revenueAccount),
    household: values.household,
    subscription: values.subscription,
    active: values.active,
  };
}
