import { pdfDate } from '@ruche/core';
import type { InvoiceKind, PaymentMethod } from '@ruche/contracts';

/** The prefix of each numbering series. */
export const INVOICE_PREFIXES: Record<InvoiceKind, string> = {
  invoice: 'FA',
  credit_note: 'AV',
};

/** FA-2026-000001 (an invoice), AV-2026-000001 (a credit note): one series per kind and year. */
export function invoiceReference(kind: InvoiceKind, year: number, number: number): string {
  if (!Number.isInteger(number) || number <= 0 || number > 999_999)
    throw new RangeError(`An invoice number is 1 to 999999, not ${number}`);
  return `${INVOICE_PREFIXES[kind]}-${year}-${String(number).padStart(6, '0')}`;
}

/** How a payment was made, as printed on an invoice (« acquittée le … par … »). */
export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = {
  card: 'carte bancaire',
  sepa_debit: 'prélèvement SEPA',
  cheque: 'chèque',
  cash: 'espèces',
  transfer: 'virement',
  other: 'autre moyen',
};

/**
 * What a refund credits on an invoice: the refund, never more than what is left uncredited
 * (a refund of a payment that was larger than the invoice, or credited already, credits the rest).
 */
export function creditAmount(
  refundCents: number,
  invoice: { totalCents: number; creditedCents: number },
): number {
  const left = invoice.totalCents - invoice.creditedCents;
  return Math.max(0, Math.min(refundCents, left));
}

/** A line of a membership invoice: « Cotisation <plan> – <tier> du <start> au <end> ». */
export function membershipLine(input: {
  planName: string;
  tierLabel: string | null;
  startDate: string;
  endDate: string | null;
  instalment: boolean;
}): string {
  const period = input.endDate
    ? `du ${pdfDate(input.startDate)} au ${pdfDate(input.endDate)}`
    : `à partir du ${pdfDate(input.startDate)}`;
  const tier = input.tierLabel ? ` – ${input.tierLabel}` : '';
  return `Cotisation ${input.planName}${tier} ${period}${input.instalment ? ' (mensualité)' : ''}`;
}
