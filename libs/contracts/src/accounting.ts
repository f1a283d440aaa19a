import { z } from 'zod';

/** A calendar day, "YYYY-MM-DD". */
export const localDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'A date as YYYY-MM-DD' })
  // A real calendar day: 2026-02-30 is refused here, not by the database as a 500.
  .refine((v) => {
    const [y, m, d] = v.split('-').map(Number);
    const probe = new Date(Date.UTC(y, m - 1, d));
    return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
  }, { message: 'Not a calendar date' });

/** An account number of the chart: digits only, 1 to 12 of them (posting needs at least 3). */
export const accountNumberSchema = z
  .string()
  .trim()
  .regex(/^\d{1,12}$/, { message: 'Digits only, 1 to 12 of them' });

export const journalCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{1,8}$/, { message: '1 to 8 letters or digits' });

/**
 * An amount as typed by a person or sent by a program: "12.50", "12,5", 12.5 or 1250 cents
 * elsewhere. Parsed to cents by the domain (more than 2 decimals or a sign is refused there with
 * the line and the reason).
 */
export const amountInputSchema = z.union([z.string().trim().max(20), z.number()]);

export const ACCOUNT_CLASSES = ['1', '2', '3', '4', '5', '6', '7', '8'] as const;

export interface AccountView {
  id: string;
  number: string;
  label: string;
  /** First digit: 1 capital ... 7 income, 8 contributions in kind. */
  accountClass: string;
  parentNumber: string | null;
  active: boolean;
  /** Some posted or draft line uses it: it can be deactivated, never deleted. */
  used: boolean;
}

export const createAccountInputSchema = z
  .object({
    number: accountNumberSchema,
    label: z.string().trim().min(1).max(200),
  })
  .strict();
export type CreateAccountInput = z.infer<typeof createAccountInputSchema>;

export const updateAccountInputSchema = z
  .object({
    label: z.string().trim().min(1).max(200),
    active: z.boolean(),
  })
  .strict();
export type UpdateAccountInput = z.infer<typeof updateAccountInputSchema>;

export const JOURNAL_KINDS = ['bank', 'cash', 'psp', 'sales', 'purchases', 'miscellaneous', 'opening'] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

export interface JournalView {
  id: string;
  code: string;
  label: string;
  kind: JournalKind;
  active: boolean;
}

export const createJournalInputSchema = z
  .object({
    code: journalCodeSchema,
    label: z.string().trim().min(1).max(100),
    kind: z.enum(JOURNAL_KINDS),
  })
  .strict();
export type CreateJournalInput = z.infer<typeof createJournalInputSchema>;

export const updateJournalInputSchema = z
  .object({
    label: z.string().trim().min(1).max(100),
    active: z.boolean(),
  })
  .strict();
export type UpdateJournalInput = z.infer<typeof updateJournalInputSchema>;

export const FISCAL_YEAR_STATUSES = ['open', 'closed'] as const;
export type FiscalYearStatus = (typeof FISCAL_YEAR_STATUSES)[number];

export interface FiscalYearView {
  id: string;
  startDate: string;
  endDate: string;
  status: FiscalYearStatus;
  /** Number of the last posted entry (EcritureNum), 0 when none. */
  lastEntryNumber: number;
  closedAt: string | null;
}

export const createFiscalYearInputSchema = z
  .object({
    startDate: localDateSchema,
    endDate: localDateSchema,
  })
  .strict();
export type CreateFiscalYearInput = z.infer<typeof createFiscalYearInputSchema>;

export const entryLineInputSchema = z
  .object({
    account: accountNumberSchema,
    debit: amountInputSchema.optional(),
    credit: amountInputSchema.optional(),
    label: z.string().trim().max(200).optional(),
    /** Analytic project or section (e.g. "FESTIVAL-2026"). */
    analytic: z.string().trim().max(50).optional(),
    /** Who the line is about: a member, donor or supplier reference (FEC CompAuxNum). */
    counterpartyRef: z.string().trim().max(50).optional(),
    counterpartyLabel: z.string().trim().max(200).optional(),
  })
  .strict();
export type EntryLineInput = z.infer<typeof entryLineInputSchema>;

export const entryInputSchema = z
  .object({
    journal: journalCodeSchema,
    date: localDateSchema,
    label: z.string().trim().min(1).max(200),
    pieceRef: z.string().trim().max(50).optional(),
    pieceDate: localDateSchema.optional(),
    lines: z.array(entryLineInputSchema).min(2, { message: 'At least two lines' }).max(500),
    /** true: validate at once (numbered, immutable); false: keep as a draft. */
    post: z.boolean().default(false),
  })
  .strict();
export type EntryInput = z.infer<typeof entryInputSchema>;

export const reverseEntryInputSchema = z
  .object({
    date: localDateSchema.optional(),
    label: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type ReverseEntryInput = z.infer<typeof reverseEntryInputSchema>;

export const ENTRY_STATUSES = ['draft', 'posted'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export interface EntryLineView {
  lineNo: number;
  accountNumber: string;
  accountLabel: string;
  debitCents: number;
  creditCents: number;
  label: string | null;
  analytic: string | null;
  counterpartyRef: string | null;
  counterpartyLabel: string | null;
}

export interface EntryView {
  id: string;
  fiscalYearId: string;
  journalCode: string;
  /** EcritureNum: gapless per fiscal year, set when the entry is posted. */
  number: number | null;
  date: string;
  label: string;
  pieceRef: string | null;
  pieceDate: string | null;
  status: EntryStatus;
  /** Who or what posted it: `stripe:ch_...`, `receipt:...`, `manual:<user>`; unique per organization. */
  source: string | null;
  postedAt: string | null;
  reversalOfId: string | null;
  reversedById: string | null;
  currency: string;
  totalCents: number;
  lines: EntryLineView[];
  createdAt: string;
}

export const listEntriesQuerySchema = z
  .object({
    fiscalYearId: z.uuid().optional(),
    journal: journalCodeSchema.optional(),
    account: accountNumberSchema.optional(),
    status: z.enum(ENTRY_STATUSES).optional(),
    from: localDateSchema.optional(),
    to: localDateSchema.optional(),
    search: z.string().trim().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .strict();
export type ListEntriesQuery = z.infer<typeof listEntriesQuerySchema>;

/**
 * The accounts that the automatic postings use, by role. Each organization may point a role at
 * another account of its chart (a sub-account, the 467 Stripe variant...).
 */
export const POSTING_ROLES = [
  'bank',
  'cash',
  'cheques_to_deposit',
  'card_clearing',
  'internal_transfers',
  'bank_fees',
  'membership_revenue',
  'donation_revenue',
  'sponsorship_revenue',
  'bequest_revenue',
  'services_revenue',
  'members_receivable',
  'disputes',
  'dispute_losses',
  'suspense',
  'deferred_revenue',
  'opening_equity',
  'retained_earnings_credit',
  'retained_earnings_debit',
  'result_surplus',
  'result_deficit',
] as const;
export type PostingRole = (typeof POSTING_ROLES)[number];

export interface PostingAccountView {
  role: PostingRole;
  accountNumber: string;
  accountLabel: string;
}

export const updatePostingAccountsInputSchema = z
  .object({
    accounts: z.partialRecord(z.enum(POSTING_ROLES), accountNumberSchema),
  })
  .strict();
export type UpdatePostingAccountsInput = z.infer<typeof updatePostingAccountsInputSchema>;

// ---- Reports -----------------------------------------------------------------------------

export const reportPeriodQuerySchema = z
  .object({
    fiscalYearId: z.uuid(),
    /** Within the fiscal year; default its first and last days. */
    from: localDateSchema.optional(),
    to: localDateSchema.optional(),
    format: z.enum(['json', 'csv', 'pdf']).default('json'),
  })
  .strict();
export type ReportPeriodQuery = z.infer<typeof reportPeriodQuerySchema>;

export interface TrialBalanceRow {
  accountNumber: string;
  accountLabel: string;
  /** Balance before `from` within the fiscal year (à-nouveaux included): debit positive. */
  openingCents: number;
  debitCents: number;
  creditCents: number;
  closingCents: number;
}

export interface TrialBalanceView {
  fiscalYearId: string;
  from: string;
  to: string;
  currency: string;
  rows: TrialBalanceRow[];
  totals: { openingCents: number; debitCents: number; creditCents: number; closingCents: number };
}

export const generalLedgerQuerySchema = reportPeriodQuerySchema.extend({
  /** An account number or a prefix (e.g. "512" for every bank account); all accounts when absent. */
  account: accountNumberSchema.optional(),
  /** JSON pages: lines per page (the CSV streams everything, the PDF refuses large ledgers). */
  limit: z.coerce.number().int().min(1).max(2000).default(500),
  /** `nextCursor` of the previous page (keyset: account number, date, entry number, line). */
  cursor: z.string().max(200).optional(),
});
export type GeneralLedgerQuery = z.infer<typeof generalLedgerQuerySchema>;

/** Journal listing (journal général): the entries of a period per journal, or of one journal. */
export const journalListingQuerySchema = reportPeriodQuerySchema.extend({
  journal: journalCodeSchema.optional(),
});
export type JournalListingQuery = z.infer<typeof journalListingQuerySchema>;

export interface JournalListingEntry {
  entryId: string;
  number: number;
  date: string;
  pieceRef: string | null;
  label: string;
  lines: { accountNumber: string; accountLabel: string; label: string | null; debitCents: number; creditCents: number }[];
  totalCents: number;
}

export interface JournalListingJournal {
  journalCode: string;
  journalLabel: string;
  /** In EcritureNum order. */
  entries: JournalListingEntry[];
  debitCents: number;
  creditCents: number;
}

export interface JournalListingView {
  fiscalYearId: string;
  from: string;
  to: string;
  currency: string;
  /** The journal asked for, or null for all of them. */
  journal: string | null;
  /** Journals that have posted entries in the period, by code. */
  journals: JournalListingJournal[];
  totals: { debitCents: number; creditCents: number };
}

export interface GeneralLedgerLine {
  entryId: string;
  entryNumber: number;
  date: string;
  journalCode: string;
  pieceRef: string | null;
  label: string;
  debitCents: number;
  creditCents: number;
  /** Running balance of the account after this line: debit positive. */
  balanceCents: number;
  /** Lettering code of the reconciliation match in force on the line (EcritureLet), if any. */
  letter: string | null;
}

export interface GeneralLedgerAccount {
  accountNumber: string;
  accountLabel: string;
  /** Balance at `from` (à-nouveaux included): debit positive. */
  openingCents: number;
  /** Lines of this page only (the account may start on an earlier page or go on in the next). */
  lines: GeneralLedgerLine[];
  /** Debits, credits and closing balance over the whole period (every page). */
  debitCents: number;
  creditCents: number;
  closingCents: number;
  /** The account started on an earlier page: its opening balance was shown there. */
  continued: boolean;
  /** Balance before the first line of this page (the opening balance when not `continued`). */
  broughtForwardCents: number;
  /** More lines of the account follow on the next page. */
  continues: boolean;
}

export interface GeneralLedgerView {
  fiscalYearId: string;
  from: string;
  to: string;
  currency: string;
  accounts: GeneralLedgerAccount[];
  /** Pass as `cursor` to get the next page; null on the last one. */
  nextCursor: string | null;
}

export const fecQuerySchema = z
  .object({
    fiscalYearId: z.uuid(),
    encoding: z.enum(['iso-8859-15', 'utf-8']).default('iso-8859-15'),
    separator: z.enum(['tab', 'pipe']).default('tab'),
  })
  .strict();
export type FecQuery = z.infer<typeof fecQuerySchema>;

export interface FecCheckView {
  fiscalYearId: string;
  fileName: string;
  entries: number;
  lines: number;
  debitCents: number;
  creditCents: number;
  /** Every structural problem found; empty when the file can be handed to the administration. */
  problems: { code: string; message: string; entryNumber?: number }[];
  /**
   * What is not an error but leaves the file incomplete: `fec.opening_pending` when entry
   * number 1 is kept for the à-nouveaux that closing the previous fiscal year will post,
   * `fec.opening_number_unused` when that year was closed with nothing to carry forward.
   */
  warnings: { code: string; message: string }[];
}

// ---- Year close --------------------------------------------------------------------------

export interface YearCloseCheckView {
  fiscalYearId: string;
  /** true when closing can go ahead (possibly with `confirmSuspense`). */
  ready: boolean;
  /** Blocking problems (drafts, an earlier year still open, contributions in kind unbalanced...). */
  problems: { code: string; message: string }[];
  /** Suspense accounts (471x) that still hold a balance: closing needs `confirmSuspense: true`. */
  suspense: { accountNumber: string; balanceCents: number }[];
  /** Income (class 7) minus expenses (class 6): positive is a surplus (excédent). */
  resultCents: number;
  /** The opening entry (à-nouveaux) that closing will post in the next fiscal year. */
  openingLines: { accountNumber: string; debitCents: number; creditCents: number }[];
  nextFiscalYear: { startDate: string; endDate: string };
}

export const closeFiscalYearInputSchema = z
  .object({
    confirmSuspense: z.boolean().default(false),
  })
  .strict();
export type CloseFiscalYearInput = z.infer<typeof closeFiscalYearInputSchema>;

export const reopenFiscalYearInputSchema = z
  .object({
    reason: z.string().trim().min(5).max(500),
  })
  .strict();
export type ReopenFiscalYearInput = z.infer<typeof reopenFiscalYearInputSchema>;

export interface YearCloseResultView {
  fiscalYear: FiscalYearView;
  resultCents: number;
  openingEntryId: string | null;
  nextFiscalYearId: string;
}

// ---- Year-end deferral of income (produits constatés d'avance) -----------------------------

/** Income received in the year that pays for days of the next one, and its year-end entry. */
export interface DeferralsView {
  fiscalYearId: string;
  fiscalYearEnd: string;
  /** The deferred income account (487 by default, posting role `deferred_revenue`). */
  deferredAccount: string;
  /** Each sum with days after the year end: received, period, part deferred. */
  items: {
    ref: string;
    label: string;
    account: string;
    amountCents: number;
    coverStart: string;
    coverEnd: string;
    deferredCents: number;
  }[];
  byAccount: { account: string; amountCents: number }[];
  totalCents: number;
  /** The deferral in force (posted and not reversed), with its reversal on the next year's first day. */
  posted: { entryId: string; reversalEntryId: string | null; totalCents: number } | null;
  /** The fiscal year is closed: nothing can be posted in it any more. */
  closed: boolean;
}

export const cancelDeferralInputSchema = z
  .object({
    reason: z.string().trim().min(5).max(300),
  })
  .strict();
export type CancelDeferralInput = z.infer<typeof cancelDeferralInputSchema>;

// ---- Annual statements and analytic results ----------------------------------------------

export interface StatementLineView {
  key: string;
  label: string;
  amountCents: number;
  /** Same line for the previous fiscal year (null when there is none). */
  previousCents: number | null;
}

export interface StatementSectionView {
  key: string;
  label: string;
  nature: 'income' | 'expense' | 'asset' | 'liability';
  lines: StatementLineView[];
  totalCents: number;
  previousTotalCents: number | null;
}

export interface StatementView {
  fiscalYearId: string;
  startDate: string;
  endDate: string;
  /** The period shown (the whole fiscal year by default); the balance sheet is drawn at `to`. */
  from: string;
  to: string;
  /** The previous fiscal year and the same period in it (shifted by a year), when it exists. */
  previous: { fiscalYearId: string; startDate: string; endDate: string; from: string; to: string } | null;
  currency: string;
  sections: StatementSectionView[];
  /** Income statement: contributions in kind, shown at its foot. Balance sheet: empty. */
  footSections: StatementSectionView[];
  /** Excédent (positive) or déficit (negative). */
  resultCents: number;
  previousResultCents: number | null;
  /** Balance sheet: total assets and total liabilities (equal when the books balance). */
  totalAssetsCents: number | null;
  totalLiabilitiesCents: number | null;
  /** Accounts the layout does not know (a custom chart extension): listed, never dropped. */
  unclassified: { accountNumber: string; balanceCents: number }[];
  warnings: { code: string; message: string }[];
}

export const statementQuerySchema = z
  .object({
    fiscalYearId: z.uuid(),
    /**
     * Days inside the fiscal year; default its first and last days. The balance sheet is drawn at
     * `to`; the income statement covers `from`–`to`.
     */
    from: localDateSchema.optional(),
    to: localDateSchema.optional(),
    format: z.enum(['json', 'csv', 'pdf']).default('json'),
  })
  .strict();
export type StatementQuery = z.infer<typeof statementQuerySchema>;

export interface AnalyticResultView {
  fiscalYearId: string;
  from: string;
  to: string;
  currency: string;
  rows: { analytic: string | null; incomeCents: number; expenseCents: number; resultCents: number }[];
}

// ---- Attachments -------------------------------------------------------------------------

/** Files a treasurer may attach to an entry (sent as the raw request body with this type). */
export const ATTACHMENT_CONTENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/webp', 'text/plain', 'text/csv'] as const;
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

export interface AttachmentView {
  id: string;
  entryId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
}

// ---- FEC import --------------------------------------------------------------------------

export const fecImportQuerySchema = z
  .object({
    /** The fiscal year of the file when it does not follow the organization's calendar. */
    startDate: localDateSchema.optional(),
    endDate: localDateSchema.optional(),
  })
  .strict();
export type FecImportQuery = z.infer<typeof fecImportQuerySchema>;

export interface FecImportReport {
  encoding: 'utf-8' | 'iso-8859-15';
  separator: 'tab' | 'pipe';
  linesRead: number;
  entriesImported: number;
  /** Already imported by an earlier run of the same file: left as they were. */
  entriesSkipped: number;
  linesImported: number;
  rejectedLines: number;
  /** Every rejected line with its number and reason (first 1 000). */
  rejected: { line: number; code: string; message: string; entry?: string }[];
  accountsCreated: string[];
  journalsCreated: string[];
}
