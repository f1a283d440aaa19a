import { z } from 'zod';
import { paginationQuerySchema } from './common';

/** What a column of an imported file can fill; custom fields are `custom:<key>`. */
export const IMPORT_FIELDS = [
  'kind',
  'civility',
  'firstName',
  'lastName',
  'fullName',
  'organizationName',
  'siren',
  'birthDate',
  'email',
  'phone',
  'mobilePhone',
  'addressLine1',
  'addressLine2',
  'postalCode',
  'city',
  'country',
  'notes',
  'locale',
  'tags',
  'membershipPlan',
  'membershipTier',
  'membershipStartDate',
  'membershipAmount',
  'membershipPaidOn',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export type ImportTarget = ImportField | `custom:${string}`;

export const importTargetSchema = z.union([
  z.enum(IMPORT_FIELDS),
  z.string().regex(/^custom:[a-z][a-z0-9_]{0,39}$/, { message: 'A field of the list, or custom:<key>' }),
]);

export const IMPORT_ENCODINGS = ['utf-8', 'windows-1252', 'iso-8859-15'] as const;
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number];
export const IMPORT_DELIMITERS = [';', ',', '\t', '|'] as const;
export const DATE_ORDERS = ['dmy', 'ymd', 'mdy'] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

/** Up to 20 MB per file (about 150,000 rows of a usual member list). */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
export const IMPORT_CONTENT_TYPES = [
  'text/csv',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-excel',
  'application/octet-stream',
] as const;

export const importMappingInputSchema = z
  .object({
    /** Only for CSV: how the bytes are read and split (detected at upload, changeable here). */
    encoding: z.enum(IMPORT_ENCODINGS).optional(),
    delimiter: z.enum(IMPORT_DELIMITERS).optional(),
    /** How dates such as 03/04/2026 read: day first (French), year first, month first. */
    dateOrder: z.enum(DATE_ORDERS).default('dmy'),
    /** Column number (0-based, as a string) -> what it fills; columns left out are ignored. */
    columns: z.record(z.string().regex(/^\d{1,3}$/, { message: 'A column number' }), importTargetSchema),
    /** The plan of rows that have membership columns but no plan column. */
    defaultPlanId: z.uuid().nullable().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const targets = Object.values(v.columns);
    const seen = new Set<string>();
    for (const t of targets) {
      if (seen.has(t)) ctx.addIssue({ code: 'custom', path: ['columns'], message: `${t} is chosen for two columns` });
      seen.add(t);
    }
    const named = ['lastName', 'firstName', 'fullName', 'organizationName', 'email'].some((f) => seen.has(f));
    if (!named) ctx.addIssue({ code: 'custom', path: ['columns'], message: 'Map at least a name or an email column' });
  });
export type ImportMappingInput = z.infer<typeof importMappingInputSchema>;

export const IMPORT_STATUSES = ['uploaded', 'mapped', 'queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const IMPORT_MODES = ['dry_run', 'apply'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
export const IMPORT_OUTCOMES = ['created', 'updated', 'duplicate', 'rejected'] as const;
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

export interface ImportCounts {
  created: number;
  updated: number;
  duplicate: number;
  rejected: number;
  membershipsCreated: number;
}

export interface ImportView {
  id: string;
  fileName: string;
  format: 'csv' | 'xlsx';
  sizeBytes: number;
  encoding: ImportEncoding | null;
  delimiter: string | null;
  headers: string[];
  /** The first rows as read, for the mapping step. */
  sample: string[][];
  rowCount: number;
  /** What the columns look like they hold (from their headers). */
  suggestedColumns: Record<string, ImportTarget>;
  mapping: ImportMappingInput | null;
  status: ImportStatus;
  mode: ImportMode | null;
  processedRows: number;
  counts: ImportCounts | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface ImportRowView {
  rowNumber: number;
  outcome: ImportOutcome;
  contactId: string | null;
  label: string;
  messages: { field: string; message: string }[];
}

export const importRowsQuerySchema = paginationQuerySchema
  .extend({
    mode: z.enum(IMPORT_MODES).default('apply'),
    outcome: z.enum(IMPORT_OUTCOMES).optional(),
  })
  .strict();
export type ImportRowsQuery = z.infer<typeof importRowsQuerySchema>;

/** How a CSV file is read; changing the separator forgets the mapping (columns change meaning). */
export const importReadingInputSchema = z
  .object({
    encoding: z.enum(IMPORT_ENCODINGS),
    delimiter: z.enum(IMPORT_DELIMITERS),
  })
  .strict();
export type ImportReadingInput = z.infer<typeof importReadingInputSchema>;

export const runImportInputSchema = z.object({ mode: z.enum(IMPORT_MODES) }).strict();

