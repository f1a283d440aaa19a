import { DESK_DONATION_METHODS, type DonationKind } from '@ruche/contracts';
import type { DonationBody } from '../../../api/donations';
import { today } from '../../accounting/money';
import { cut, type DeskPrefill } from '../../payments/deskPrefill';

export type DeskDonationMethod = (typeof DESK_DONATION_METHODS)[number];

/** The form of a gift recorded at the desk, every input as typed. */
export interface DonationFormValues {
  /** Chosen with the contact picker. */
  contactId: string;
  /** '' for none. */
  campaignId: string;
  kind: DonationKind;
  /** As typed: "50", "12,50"; the server makes cents. */
  amount: string;
  receivedOn: string;
  method: DeskDonationMethod;
  chequeNumber: string;
  chequeBank: string;
  chequeDrawer: string;
  reference: string;
  description: string;
  valuationMethod: string;
  debitAccount: string;
  wantsReceipt: boolean;
  note: string;
}

/** The inputs that show their own errors, named like the `CreateDonationInput` keys. */
export const DONATION_FIELDS = [
  'contactId',
  'campaignId',
  'kind',
  'amount',
  'receivedOn',
  'method',
  'chequeNumber',
  'chequeBank',
  'chequeDrawer',
  'reference',
  'description',
  'valuationMethod',
  'debitAccount',
  'wantsReceipt',
  'note',
] as const satisfies readonly (keyof DonationFormValues)[];
export type DonationField = (typeof DONATION_FIELDS)[number];

export const isDonationField = (path: string): path is DonationField =>
  DONATION_FIELDS.some((field) => field === path);

/** The inputs on screen for a kind of gift and a method (the others' errors go to the banner). */
export function shownFields(kind: DonationKind, method: DeskDonationMethod): Set<DonationField> {
  const shown = new Set<DonationField>([
    'contactId',
    'campaignId',
    'kind',
    'amount',
    'receivedOn',
    'wantsReceipt',
    'note',
  ]);
  if (kind === 'money') {
    shown.add('method');
    if (method === 'cheque') {
      shown.add('chequeNumber');
      shown.add('chequeBank');
      shown.add('chequeDrawer');
    }
    if (method === 'transfer') shown.add('reference');
  } else {
    shown.add('description');
    shown.add('debitAccount');
    if (kind === 'in_kind') shown.add('valuationMethod');
  }
  return shown;
}

export function emptyDonation(): DonationFormValues {
  return {
    contactId: '',
    campaignId: '',
    kind: 'money',
    amount: '',
    receivedOn: today(),
    method: 'cheque',
    chequeNumber: '',
    chequeBank: '',
    chequeDrawer: '',
    reference: '',
    description: '',
    valuationMethod: '',
    debitAccount: '',
    wantsReceipt: true,
    note: '',
  };
}

/** The longest transfer reference (as the contracts take it). */
export const DONATION_REFERENCE_MAX = 100;

const isDeskMethod = (value: string | undefined): value is DeskDonationMethod =>
  DESK_DONATION_METHODS.some((method) => method === value);

/**
 * An empty gift of money with what the URL gives (amount, day received, method, transfer
 * reference), e.g. from a bank statement line; the same as `emptyDonation()` without it.
 */
export function donationDefaults(prefill: DeskPrefill): DonationFormValues {
  const empty = emptyDonation();
  return {
    ...empty,
    amount: prefill.amount ?? empty.amount,
    receivedOn: prefill.receivedOn ?? empty.receivedOn,
    method: isDeskMethod(prefill.method) ? prefill.method : empty.method,
    reference: prefill.reference ? cut(prefill.reference, DONATION_REFERENCE_MAX) : empty.reference,
  };
}

/** The body for the API: only what the kind of gift (and its method) needs, empty inputs as null. */
export function toDonationBody(values: DonationFormValues): DonationBody {
  const text = (value: string) => value.trim() || null;
  const money = values.kind === 'money';
  const cheque = money && values.method === 'cheque';
  return {
    contactId: values.contactId,
    campaignId: values.campaignId || null,
    kind: values.kind,
    amount: values.amount.trim(),
    receivedOn: values.receivedOn,
    method: money ? values.method : null,
    chequeNumber: cheque ? text(values.chequeNumber) : null,
    chequeBank: cheque ? text(values.chequeBank) : null,
    chequeDrawer: cheque ? text(values.chequeDrawer) : null,
    reference: money && values.method === 'transfer' ? text(values.reference) : null,
    description: money ? null : text(values.description),
    valuationMethod: values.kind === 'in_kind' ? text(values.valuationMethod) : null,
    debitAccount: money ? null : values.debitAccount.trim(),
    wantsReceipt: values.wantsReceipt,
    note: text(values.note),
  };
}
