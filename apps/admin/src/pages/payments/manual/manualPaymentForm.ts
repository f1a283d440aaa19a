import { MANUAL_PAYMENT_METHODS, type ManualPaymentMethod } from '@ruche/contracts';
import type { ManualPaymentBody } from '../../../api/payments';
import { today } from '../../accounting/money';
import { cut, type DeskPrefill } from '../deskPrefill';

/** The form of a payment received at the desk, every input as typed. */
export interface ManualPaymentFormValues {
  /** Chosen with the contact picker; empty: nobody in particular. */
  contactId: string;
  label: string;
  /** As typed: "25", "25,50"; the server makes cents. */
  amount: string;
  method: ManualPaymentMethod;
  receivedOn: string;
  reference: string;
  chequeNumber: string;
  chequeBank: string;
  chequeDrawer: string;
  revenueAccount: string;
}

/** The inputs that show their own errors, named like the `ManualPaymentInput` keys. */
export const MANUAL_PAYMENT_FIELDS = [
  'contactId',
  'label',
  'amount',
  'method',
  'receivedOn',
  'reference',
  'chequeNumber',
  'chequeBank',
  'chequeDrawer',
  'revenueAccount',
] as const satisfies readonly (keyof ManualPaymentFormValues)[];
export type ManualPaymentField = (typeof MANUAL_PAYMENT_FIELDS)[number];

export const isManualPaymentField = (path: string): path is ManualPaymentField =>
  MANUAL_PAYMENT_FIELDS.some((field) => field === path);

export function emptyManualPayment(): ManualPaymentFormValues {
  return {
    contactId: '',
    label: '',
    amount: '',
    method: 'cheque',
    receivedOn: today(),
    reference: '',
    chequeNumber: '',
    chequeBank: '',
    chequeDrawer: '',
    revenueAccount: '',
  };
}

/** The longest label and reference (as the contracts take them). */
export const MANUAL_LABEL_MAX = 200;
export const MANUAL_REFERENCE_MAX = 100;

const isManualMethod = (value: string | undefined): value is ManualPaymentMethod =>
  MANUAL_PAYMENT_METHODS.some((method) => method === value);

/**
 * An empty payment with what the URL gives (amount, day received, method, label, reference), e.g.
 * from a bank statement line; the same as `emptyManualPayment()` without it.
 */
export function manualPaymentDefaults(prefill: DeskPrefill): ManualPaymentFormValues {
  const empty = emptyManualPayment();
  return {
    ...empty,
    label: prefill.label ? cut(prefill.label, MANUAL_LABEL_MAX) : empty.label,
    amount: prefill.amount ?? empty.amount,
    method: isManualMethod(prefill.method) ? prefill.method : empty.method,
    receivedOn: prefill.receivedOn ?? empty.receivedOn,
    reference: prefill.reference ? cut(prefill.reference, MANUAL_REFERENCE_MAX) : empty.reference,
  };
}

/** The body for the API: the cheque's details only for a cheque, empty inputs left out. */
export function toManualPaymentBody(values: ManualPaymentFormValues): ManualPaymentBody {
  const text = (value: string) => value.trim() || null;
  const cheque = values.method === 'cheque';
  return {
    contactId: values.contactId || null,
    label: values.label,
    amount: values.amount.trim(),
    method: values.method,
    receivedOn: values.receivedOn,
    reference: text(values.reference),
    chequeNumber: cheque ? text(values.chequeNumber) : null,
    chequeBank: cheque ? text(values.chequeBank) : null,
    chequeDrawer: cheque ? text(values.chequeDrawer) : null,
    revenueAccount: values.revenueAccount.trim() || undefined,
  };
}
