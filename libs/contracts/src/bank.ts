import { z } from 'zod';
import { electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { accountNumberSchema, localDateSchema } from './accounting';
import { optionalText } from './common';
import type { ReconciliationRunView } from './reconciliation';

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
    /** Shown to members and donors who pay by bank transfer (one account at most). */
    acceptTransfers: z.boolean().default(false),
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
  acceptTransfers: boolean;
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
  'text/csv',
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
  /** The automatic matching pass started for the new lines (follow its progress), if any. */
  run: ReconciliationRunView | null;
  /**
   * The very same file (same bytes) was imported into this account before: nothing was added,
   * `statements` are that earlier import's.
   */
  alreadyImported: boolean;
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

const csvColumn = z.string().trim().min(1).max(100);
const optionalCsvColumn = z
  .preprocess((v) => (v === '' ? null : v), csvColumn.nullable())
  .optional();

/** How a bank's CSV export reads, saved per bank account (see the CSV reader in accounting). */
export const csvMappingSchema = z
  .object({
    delimiter: z.enum([';', ',', '\t']),
    encoding: z.enum(['utf-8', 'iso-8859-15', 'windows-1252']),
    decimalSeparator: z.enum([',', '.']),
    dateFormat: z.enum(['DD/MM/YYYY', 'YYYY-MM-DD', 'DD/MM/YY', 'MM/DD/YYYY', 'DD.MM.YYYY']),
    /** Lines before the header row (bank banners). */
    skipLines: z.number().int().min(0).max(50),
    hasHeader: z.boolean(),
    /** A column: its header name, or its 1-based position ("1") when the file has no header. */
    bookingDate: csvColumn,
    valueDate: optionalCsvColumn,
    label: csvColumn,
    extraLabel: optionalCsvColumn,
    /** One signed amount column, or separate debit and credit columns. */
    amount: optionalCsvColumn,
    debit: optionalCsvColumn,
    credit: optionalCsvColumn,
    reference: optionalCsvColumn,
    counterparty: optionalCsvColumn,
    currency: z.string().regex(/^[A-Z]{3}$/, { message: 'ISO 4217 code such as EUR' }),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (!m.amount && !(m.debit && m.credit))
      ctx.addIssue({
        code: 'custom',
        path: ['amount'],
        message: 'Give an amount column, or both a debit and a credit column',
      });
    if (m.amount && (m.debit || m.credit))
      ctx.addIssue({
        code: 'custom',
        path: ['debit'],
        message: 'Either one amount column or debit and credit columns, not both',
      });
  });
export type CsvMappingInput = z.infer<typeof csvMappingSchema>;

/** A CSV file read with the saved mapping, or the guessed one: what the treasurer checks before saving. */
export interface CsvPreviewView {
  /** The saved mapping, else the guessed one (null when nothing fits). */
  mapping: CsvMappingInput | null;
  saved: boolean;
  headers: string[];
  /** The first rows as they are in the file. */
  sample: string[][];
  /** The lines the mapping reads (first 20), or why it does not fit. */
  lines: { bookingDate: string; valueDate: string | null; amountCents: number; label: string }[];
  error: string | null;
}
