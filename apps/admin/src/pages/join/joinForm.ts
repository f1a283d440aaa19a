import type {
  Civility,
  CustomFieldDefinitionView,
  OnlinePaymentMethod,
  PublicJoinFormView,
  PublicPlanView,
} from '@ruche/contracts';
import type { JoinBody } from '../../api/join';

/** How the member pays: at Stripe Checkout (card, SEPA debit), or by a bank transfer. */
export type JoinMethod = OnlinePaymentMethod | 'transfer';

/** The ways offered: Stripe's when it is connected, then the transfer when an account is shown. */
export const joinMethods = (view: PublicJoinFormView): JoinMethod[] =>
  view.transfer ? [...view.methods, 'transfer'] : [...view.methods];

/** Custom fields by key: text as typed, a list of options, or a checkbox. */
export type CustomFieldFormValue = string | string[] | boolean;

/** The join form, every input as typed. */
export interface JoinFormValues {
  planId: string;
  tierCode: string;
  /** Only for a free-amount plan, as typed ("25", "25,50"): the server makes cents. */
  amount: string;
  civility: Civility | '';
  firstName: string;
  lastName: string;
  email: string;
  birthDate: string;
  phone: string;
  addressLine1: string;
  postalCode: string;
  city: string;
  country: string;
  customFields: Record<string, CustomFieldFormValue>;
  newsletter: boolean;
  imageRights: boolean;
  acceptTerms: boolean;
  method: JoinMethod;
  /** Renew automatically (a Stripe subscription): only offered when the plan allows it. */
  autoRenew: boolean;
}

/** The inputs that show their own errors, named like the `JoinInput` keys (the server's paths). */
export const JOIN_FIELDS = [
  'planId',
  'tierCode',
  'amount',
  'civility',
  'firstName',
  'lastName',
  'email',
  'birthDate',
  'phone',
  'addressLine1',
  'postalCode',
  'city',
  'country',
  'newsletter',
  'imageRights',
  'acceptTerms',
  'method',
  'autoRenew',
] as const satisfies readonly (keyof JoinFormValues)[];
export type JoinField = (typeof JOIN_FIELDS)[number];

export const isJoinField = (path: string): path is JoinField =>
  JOIN_FIELDS.some((field) => field === path);

/** The custom fields the form asks for, in their order. */
export function activeCustomFields(
  fields: readonly CustomFieldDefinitionView[],
): CustomFieldDefinitionView[] {
  return fields
    .filter((field) => field.active)
    .sort((a, b) => a.position - b.position || a.label.localeCompare(b.label));
}

function emptyCustomValue(field: CustomFieldDefinitionView): CustomFieldFormValue {
  if (field.type === 'multi_choice') return [];
  if (field.type === 'boolean') return false;
  return '';
}

/** The tier chosen by default when a plan is picked (its first). */
export const defaultTier = (plan: PublicPlanView | undefined): string =>
  plan?.pricingKind === 'tiers' ? (plan.tiers[0]?.code ?? '') : '';

export function emptyJoinForm(view: PublicJoinFormView): JoinFormValues {
  const only = view.plans.length === 1 ? view.plans[0] : undefined;
  return {
    planId: only?.id ?? '',
    tierCode: defaultTier(only),
    amount: '',
    civility: '',
    firstName: '',
    lastName: '',
    email: '',
    birthDate: '',
    phone: '',
    addressLine1: '',
    postalCode: '',
    city: '',
    country: 'FR',
    customFields: Object.fromEntries(
      activeCustomFields(view.customFields).map((field) => [field.key, emptyCustomValue(field)]),
    ),
    newsletter: false,
    imageRights: false,
    acceptTerms: false,
    method: joinMethods(view)[0] ?? 'card',
    autoRenew: false,
  };
}

/** A custom field's typed value as the API takes it (null: none). */
export function customInputValue(
  field: CustomFieldDefinitionView,
  raw: CustomFieldFormValue | undefined,
): unknown {
  if (field.type === 'boolean') return raw === true;
  if (Array.isArray(raw)) return raw.length > 0 ? raw : null;
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text) return null;
  if (field.type === 'number') {
    const value = Number(text.replace(/\s/g, '').replace(',', '.'));
    return Number.isFinite(value) ? value : text;
  }
  return text;
}

/** Whether a required custom field was left empty (a checkbox always has a value). */
export function isMissing(
  field: CustomFieldDefinitionView,
  raw: CustomFieldFormValue | undefined,
): boolean {
  return field.required && customInputValue(field, raw) === null;
}

/** Whether the plan lets the member choose automatic renewal (a yearly debit or instalments). */
export const offersAutoRenew = (plan: PublicPlanView | undefined): boolean =>
  plan !== undefined && plan.subscription !== 'none';

/** Automatic renewal is a Stripe subscription: never with a transfer. */
export const autoRenewPossible = (plan: PublicPlanView | undefined, method: JoinMethod): boolean =>
  offersAutoRenew(plan) && method !== 'transfer';

/** The body for the API: only what the chosen plan needs, custom fields typed. */
export function toJoinBody(
  values: JoinFormValues,
  plan: PublicPlanView | undefined,
  fields: readonly CustomFieldDefinitionView[],
  locale: 'fr' | 'en',
): JoinBody {
  return {
    planId: values.planId,
    tierCode: plan?.pricingKind === 'tiers' && values.tierCode ? values.tierCode : undefined,
    amount: plan?.pricingKind === 'free_amount' ? values.amount.trim() : undefined,
    civility: values.civility || null,
    firstName: values.firstName,
    lastName: values.lastName,
    email: values.email,
    birthDate: values.birthDate,
    phone: values.phone,
    addressLine1: values.addressLine1,
    postalCode: values.postalCode,
    city: values.city,
    country: values.country.trim().toUpperCase() || 'FR',
    locale,
    customFields: Object.fromEntries(
      activeCustomFields(fields).map((field) => [
        field.key,
        customInputValue(field, values.customFields[field.key]),
      ]),
    ),
    newsletter: values.newsletter,
    imageRights: values.imageRights,
    acceptTerms: values.acceptTerms as true,
    method: values.method,
    autoRenew: autoRenewPossible(plan, values.method) ? values.autoRenew : false,
  };
}

/** The amount to pay for the plan as chosen so far, in cents (null: not known yet). */
export function amountDue(
  plan: PublicPlanView | undefined,
  tierCode: string,
  typedCents: number | null,
): number | null {
  if (!plan) return null;
  switch (plan.pricingKind) {
    case 'fixed':
      return plan.tiers[0]?.amountCents ?? null;
    case 'tiers':
      return plan.tiers.find((tier) => tier.code === tierCode)?.amountCents ?? null;
    case 'free_amount':
      return typedCents;
  }
}
