import type {
  Civility,
  DonationFrequency,
  OnlinePaymentMethod,
  PublicDonationFormView,
} from '@ruche/contracts';
import type { PublicDonationBody } from '../../api/donations';
import { amountToCents } from '../accounting/money';
import { centsToAmount } from '../payments/paymentLabels';

/** How the donor pays: at Stripe Checkout (card, SEPA debit), or by a bank transfer. */
export type DonateMethod = OnlinePaymentMethod | 'transfer';

/** The ways offered: Stripe's when it is connected, then the transfer when an account is shown. */
export const donateMethods = (view: PublicDonationFormView): DonateMethod[] =>
  view.transfer ? [...view.methods, 'transfer'] : [...view.methods];

/** The donation form, every input as typed. */
export interface DonateFormValues {
  frequency: DonationFrequency;
  /** A suggested amount chosen (its cents, as a string), or '' when typing another one. */
  preset: string;
  /** Another amount, as typed ("25", "25,50"). */
  amount: string;
  donorKind: 'person' | 'company';
  companyName: string;
  siren: string;
  civility: Civility | '';
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  addressLine1: string;
  postalCode: string;
  city: string;
  country: string;
  wantsReceipt: boolean;
  newsletter: boolean;
  /** A transfer pays a single gift only: a monthly one is a card or a SEPA debit (Stripe). */
  method: DonateMethod;
}

/** The inputs that show their own errors, named like the `PublicDonationInput` keys. */
export const DONATE_FIELDS = [
  'amount',
  'frequency',
  'donorKind',
  'companyName',
  'siren',
  'civility',
  'firstName',
  'lastName',
  'email',
  'phone',
  'addressLine1',
  'postalCode',
  'city',
  'country',
  'wantsReceipt',
  'newsletter',
  'method',
] as const satisfies readonly (keyof DonateFormValues)[];
export type DonateField = (typeof DONATE_FIELDS)[number];

export const isDonateField = (path: string): path is DonateField =>
  DONATE_FIELDS.some((field) => field === path);

/**
 * Whether monthly gifts are offered: a campaign may refuse them, and they are paid by card or SEPA
 * debit only (a Stripe subscription, never a transfer), so not without Stripe.
 */
export const monthlyAllowed = (view: PublicDonationFormView): boolean =>
  view.methods.length > 0 && (view.campaign ? view.campaign.allowMonthly : true);

/** The amounts suggested for a frequency, in cents. */
export const suggestedFor = (
  view: PublicDonationFormView,
  frequency: DonationFrequency,
): number[] => (frequency === 'monthly' ? view.monthlySuggestedAmounts : view.suggestedAmounts);

export function emptyDonateForm(view: PublicDonationFormView): DonateFormValues {
  const first = view.suggestedAmounts[0];
  return {
    frequency: 'once',
    preset: first === undefined ? '' : String(first),
    amount: '',
    donorKind: 'person',
    companyName: '',
    siren: '',
    civility: '',
    firstName: '',
    lastName: '',
    email: '',
    phone: '',
    addressLine1: '',
    postalCode: '',
    city: '',
    country: 'FR',
    wantsReceipt: view.receipts,
    newsletter: false,
    method: donateMethods(view)[0] ?? 'card',
  };
}

/** The amount chosen so far in cents (a suggested one, or the one typed), or null. */
export function chosenCents(values: Pick<DonateFormValues, 'preset' | 'amount'>): number | null {
  if (values.preset) return Number(values.preset);
  const typed = values.amount.trim();
  if (!typed) return null;
  return amountToCents(typed) || null;
}

/** The body for the API: what the donor chose, the company only for a company. */
export function toDonateBody(
  values: DonateFormValues,
  view: PublicDonationFormView,
  locale: 'fr' | 'en',
): PublicDonationBody {
  const company = values.donorKind === 'company';
  const text = (value: string) => value.trim() || null;
  return {
    campaignId: view.campaign?.id ?? null,
    amount: values.preset ? centsToAmount(Number(values.preset)) : values.amount.trim(),
    frequency: monthlyAllowed(view) ? values.frequency : 'once',
    donorKind: values.donorKind,
    companyName: company ? text(values.companyName) : null,
    siren: company ? values.siren : null,
    civility: values.civility || null,
    firstName: values.firstName,
    lastName: values.lastName,
    email: values.email,
    phone: values.phone,
    addressLine1: text(values.addressLine1),
    postalCode: text(values.postalCode),
    city: text(values.city),
    country: values.country.trim().toUpperCase() || 'FR',
    wantsReceipt: view.receipts ? values.wantsReceipt : false,
    newsletter: values.newsletter,
    method: values.method,
    locale,
  };
}
