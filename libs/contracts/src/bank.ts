import { z } from 'zod';
import { electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { accountNumberSchema, localDateSchema } from './accounting';
import { optionalText } from './common';

/** An IBAN as people type it ("FR76 3000 …"), kept in electronic form, checked (country, length, key). */
export const ibanSchema = z
  .string()
  .trim()
  .max(50)
  .transform((v) => electronicFormatIBAN(v) ?? '')
  .refine((v) => isValidIBAN(v), { message: 'Invalid IBAN (country, length or check digits)' });

export const bicSchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine((v) => isValidBIC(v), { message: 'Invalid BIC' });

export const bankAccountInputSchema = z
  .object({
    name: z.string().trim().min(2).max(120),
    iban: ibanSchema,
    bic: z.preprocess((v) => (v === '' ? null : v), bicSchema.nullable()).optional(),
    /** The ledger account of this bank account (a 512x account of the chart). */
    accountNumber: accountNumberSchema,
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, { message: 'ISO 4217 code such as EUR' })
      .default('EUR'),
    active: z.boolean().default(true),
  })
  .strict();
export type BankAccountInput = z.infer<typeof bankAccountInputSchema>;

export interface BankAccountView {
  id: string;
  name: string;
  iban: string;
  bic: string | null;
  accountNumber: string;
  currency: string;
  active: boolean;
  /** The last imported statement's closing balance and day, if any. */
  lastClosingBalanceCents: number | null;
  lastClosingDate: string | null;
  unmatchedLines: number;
  createdAt: string;
}

/** Raw bodies a statement upload may use (the format is read from the content, not the type). */
export const STATEMENT_CONTENT_TYPES = [
  'application/xml',
  'text/xml',
  'application/x-ofx',
  'application/octet-stream',
  'text/plain',
] as const;
export const STATEMENT_MAX_BYTES = 20 * 1024 * 1024;

export const STATEMENT_FORMATS = ['camt.053', 'ofx', 'qif', 'csv', 'cfonb120'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

export interface BankStatementView {
  id: string;
  bankAccountId: string;
  format: StatementFormat;
  fileName: string;
  statementRef: string | null;
  openingBalanceCents: number | null;
  openingDate: string | null;
  closingBalanceCents: number | null;
  closingDate: string | null;
  lineCount: number;
  /** Lines not seen in an earlier import (the others were already there). */
  newLineCount: number;
  /** Balances that do not add up, amounts rounded, lines left out: said, never silently fixed. */
  problems: string[];
  importedAt: string;
}

export interface StatementImportView {
  statements: BankStatementView[];
  lines: number;
  newLines: number;
  duplicates: number;
}

export const BANK_LINE_STATUSES = ['unmatched', 'matched', 'ignored'] as const;
export type BankLineStatus = (typeof BANK_LINE_STATUSES)[number];

export interface BankLineView {
  id: string;
  bankAccountId: string;
  bookingDate: string;
  valueDate: string | null;
  amountCents: number;
  currency: string;
  label: string;
  bankReference: string | null;
  endToEndId: string | null;
  structuredReference: string | null;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  status: BankLineStatus;
}

export const bankLineListQuerySchema = z
  .object({
    status: z.enum(BANK_LINE_STATUSES).optional(),
    from: localDateSchema.optional(),
    to: localDateSchema.optional(),
    q: optionalText(100),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .strict();
export type BankLineListQuery = z.infer<typeof bankLineListQuerySchema>;
