import type {
  AccountView,
  AnalyticResultView,
  AttachmentView,
  CancelDeferralInput,
  CloseFiscalYearInput,
  CreateAccountInput,
  CreateFiscalYearInput,
  CreateJournalInput,
  DeferralsView,
  EntryInput,
  EntryStatus,
  EntryView,
  FecCheckView,
  FecImportQuery,
  FecImportReport,
  FecQuery,
  FiscalYearView,
  GeneralLedgerView,
  JournalListingView,
  JournalView,
  Page,
  PostingAccountView,
  PostingRole,
  ReopenFiscalYearInput,
  ReverseEntryInput,
  StatementView,
  TrialBalanceView,
  UpdateAccountInput,
  UpdateJournalInput,
  YearCloseCheckView,
  YearCloseResultView,
} from '@ruche/contracts';
import { apiUrl, request, uploadFile } from './client';
import type { PageQuery } from './orgs';

/** The filters of the entries list (all optional; empty strings are not sent). */
export interface EntryFilters {
  fiscalYearId?: string;
  journal?: string;
  account?: string;
  status?: EntryStatus | '';
  from?: string;
  to?: string;
  search?: string;
}

/** The period of a report: a fiscal year, optionally narrowed (empty strings are not sent). */
export interface ReportPeriod {
  fiscalYearId: string;
  from?: string;
  to?: string;
}

const base = (orgId: string, path: string) =>
  `/orgs/${encodeURIComponent(orgId)}/accounting${path}`;
const segment = (value: string) => encodeURIComponent(value);
const orUndefined = (value: string | undefined) => (value ? value : undefined);

const period = (value: ReportPeriod) => ({
  fiscalYearId: value.fiscalYearId,
  from: orUndefined(value.from),
  to: orUndefined(value.to),
});

export const accountingApi = {
  accounts: (orgId: string, signal?: AbortSignal) =>
    request<AccountView[]>('GET', base(orgId, '/accounts'), { signal }),
  createAccount: (orgId: string, input: CreateAccountInput) =>
    request<AccountView>('POST', base(orgId, '/accounts'), { body: input }),
  updateAccount: (orgId: string, number: string, input: UpdateAccountInput) =>
    request<AccountView>('PUT', base(orgId, `/accounts/${segment(number)}`), { body: input }),

  journals: (orgId: string, signal?: AbortSignal) =>
    request<JournalView[]>('GET', base(orgId, '/journals'), { signal }),
  createJournal: (orgId: string, input: CreateJournalInput) =>
    request<JournalView>('POST', base(orgId, '/journals'), { body: input }),
  updateJournal: (orgId: string, code: string, input: UpdateJournalInput) =>
    request<JournalView>('PUT', base(orgId, `/journals/${segment(code)}`), { body: input }),

  fiscalYears: (orgId: string, signal?: AbortSignal) =>
    request<FiscalYearView[]>('GET', base(orgId, '/fiscal-years'), { signal }),
  createFiscalYear: (orgId: string, input: CreateFiscalYearInput) =>
    request<FiscalYearView>('POST', base(orgId, '/fiscal-years'), { body: input }),
  yearCloseCheck: (orgId: string, fiscalYearId: string, signal?: AbortSignal) =>
    request<YearCloseCheckView>(
      'GET',
      base(orgId, `/fiscal-years/${segment(fiscalYearId)}/close`),
      {
        signal,
      },
    ),
  closeFiscalYear: (orgId: string, fiscalYearId: string, input: CloseFiscalYearInput) =>
    request<YearCloseResultView>(
      'POST',
      base(orgId, `/fiscal-years/${segment(fiscalYearId)}/close`),
      { body: input },
    ),
  /** Year-end deferral of income (produits constatés d'avance): what pays for the next year. */
  deferrals: (orgId: string, fiscalYearId: string, signal?: AbortSignal) =>
    request<DeferralsView>('GET', base(orgId, `/fiscal-years/${segment(fiscalYearId)}/deferrals`), {
      signal,
    }),
  /** Posts the year-end entry (D income / C 487) and its reversal on the next year's first day. */
  postDeferrals: (orgId: string, fiscalYearId: string) =>
    request<DeferralsView>(
      'POST',
      base(orgId, `/fiscal-years/${segment(fiscalYearId)}/deferrals`),
      {
        body: {},
      },
    ),
  /** Reverses the deferral in force and its reversal. */
  cancelDeferrals: (orgId: string, fiscalYearId: string, input: CancelDeferralInput) =>
    request<DeferralsView>(
      'POST',
      base(orgId, `/fiscal-years/${segment(fiscalYearId)}/deferrals/cancel`),
      { body: input },
    ),
  reopenFiscalYear: (orgId: string, fiscalYearId: string, input: ReopenFiscalYearInput) =>
    request<FiscalYearView>('POST', base(orgId, `/fiscal-years/${segment(fiscalYearId)}/reopen`), {
      body: input,
    }),

  postingAccounts: (orgId: string, signal?: AbortSignal) =>
    request<PostingAccountView[]>('GET', base(orgId, '/posting-accounts'), { signal }),
  updatePostingAccounts: (orgId: string, accounts: Partial<Record<PostingRole, string>>) =>
    request<PostingAccountView[]>('PUT', base(orgId, '/posting-accounts'), {
      body: { accounts },
    }),

  entries: (orgId: string, filters: EntryFilters, page: PageQuery, signal?: AbortSignal) =>
    request<Page<EntryView>>('GET', base(orgId, '/entries'), {
      query: {
        fiscalYearId: orUndefined(filters.fiscalYearId),
        journal: orUndefined(filters.journal),
        account: orUndefined(filters.account?.trim()),
        status: orUndefined(filters.status),
        from: orUndefined(filters.from),
        to: orUndefined(filters.to),
        search: orUndefined(filters.search?.trim()),
        ...page,
      },
      signal,
    }),
  entry: (orgId: string, entryId: string, signal?: AbortSignal) =>
    request<EntryView>('GET', base(orgId, `/entries/${segment(entryId)}`), { signal }),
  createEntry: (orgId: string, input: EntryInput) =>
    request<EntryView>('POST', base(orgId, '/entries'), { body: input }),
  updateEntry: (orgId: string, entryId: string, input: EntryInput) =>
    request<EntryView>('PUT', base(orgId, `/entries/${segment(entryId)}`), { body: input }),
  deleteEntry: (orgId: string, entryId: string) =>
    request<void>('DELETE', base(orgId, `/entries/${segment(entryId)}`)),
  postEntry: (orgId: string, entryId: string) =>
    request<EntryView>('POST', base(orgId, `/entries/${segment(entryId)}/post`)),
  reverseEntry: (orgId: string, entryId: string, input: ReverseEntryInput) =>
    request<EntryView>('POST', base(orgId, `/entries/${segment(entryId)}/reverse`), {
      body: input,
    }),

  trialBalance: (orgId: string, query: ReportPeriod, signal?: AbortSignal) =>
    request<TrialBalanceView>('GET', base(orgId, '/reports/trial-balance'), {
      query: period(query),
      signal,
    }),
  /** One page of the general ledger; `cursor`: the `nextCursor` of the page before. */
  generalLedger: (
    orgId: string,
    query: ReportPeriod,
    account: string,
    cursor: string | null,
    signal?: AbortSignal,
  ) =>
    request<GeneralLedgerView>('GET', base(orgId, '/reports/general-ledger'), {
      query: {
        ...period(query),
        account: orUndefined(account.trim()),
        cursor: cursor ?? undefined,
      },
      signal,
    }),
  journalListing: (orgId: string, query: ReportPeriod, journal: string, signal?: AbortSignal) =>
    request<JournalListingView>('GET', base(orgId, '/reports/journal'), {
      query: { ...period(query), journal: orUndefined(journal) },
      signal,
    }),
  incomeStatement: (orgId: string, query: ReportPeriod, signal?: AbortSignal) =>
    request<StatementView>('GET', base(orgId, '/reports/income-statement'), {
      query: period(query),
      signal,
    }),
  /** The balance sheet at `query.to` (`from` does not apply). */
  balanceSheet: (orgId: string, query: ReportPeriod, signal?: AbortSignal) =>
    request<StatementView>('GET', base(orgId, '/reports/balance-sheet'), {
      query: { fiscalYearId: query.fiscalYearId, to: orUndefined(query.to) },
      signal,
    }),
  analyticResults: (orgId: string, query: ReportPeriod, signal?: AbortSignal) =>
    request<AnalyticResultView>('GET', base(orgId, '/reports/analytic'), {
      query: period(query),
      signal,
    }),

  attachments: (orgId: string, entryId: string, signal?: AbortSignal) =>
    request<AttachmentView[]>('GET', base(orgId, `/entries/${segment(entryId)}/attachments`), {
      signal,
    }),
  /** Sends the file as the raw body (201: the new attachment). */
  uploadAttachment: (orgId: string, entryId: string, file: File) =>
    uploadFile<AttachmentView>(base(orgId, `/entries/${segment(entryId)}/attachments`), file),
  deleteAttachment: (orgId: string, entryId: string, attachmentId: string) =>
    request<void>(
      'DELETE',
      base(orgId, `/entries/${segment(entryId)}/attachments/${segment(attachmentId)}`),
    ),

  fecCheck: (orgId: string, fiscalYearId: string, signal?: AbortSignal) =>
    request<FecCheckView>('GET', base(orgId, '/fec/check'), { query: { fiscalYearId }, signal }),
  /**
   * Imports a FEC file sent as the raw body, always as `text/plain` (browsers label `.txt` files
   * inconsistently); the dates give the file's fiscal year when it is not the organization's.
   */
  importFec: (orgId: string, file: File, query: FecImportQuery = {}) =>
    uploadFile<FecImportReport>(base(orgId, '/imports/fec'), file, {
      contentType: 'text/plain',
      query: { startDate: orUndefined(query.startDate), endDate: orUndefined(query.endDate) },
    }),
};

/** Download links (plain GETs on the same origin: the session cookie authenticates them). */
export const accountingDownloads = {
  trialBalanceCsv: (orgId: string, query: ReportPeriod, format: 'csv' | 'pdf' = 'csv') =>
    apiUrl(base(orgId, '/reports/trial-balance'), { ...period(query), format }),
  generalLedgerCsv: (
    orgId: string,
    query: ReportPeriod,
    account: string,
    format: 'csv' | 'pdf' = 'csv',
  ) =>
    apiUrl(base(orgId, '/reports/general-ledger'), {
      ...period(query),
      account: orUndefined(account.trim()),
      format,
    }),
  journalListingCsv: (
    orgId: string,
    query: ReportPeriod,
    journal: string,
    format: 'csv' | 'pdf' = 'csv',
  ) =>
    apiUrl(base(orgId, '/reports/journal'), {
      ...period(query),
      journal: orUndefined(journal),
      format,
    }),
  analyticCsv: (orgId: string, query: ReportPeriod) =>
    apiUrl(base(orgId, '/reports/analytic'), { ...period(query), format: 'csv' }),
  incomeStatementCsv: (orgId: string, query: ReportPeriod, format: 'csv' | 'pdf' = 'csv') =>
    apiUrl(base(orgId, '/reports/income-statement'), { ...period(query), format }),
  balanceSheetCsv: (orgId: string, query: ReportPeriod, format: 'csv' | 'pdf' = 'csv') =>
    apiUrl(base(orgId, '/reports/balance-sheet'), {
      fiscalYearId: query.fiscalYearId,
      to: orUndefined(query.to),
      format,
    }),
  attachment: (orgId: string, entryId: string, attachmentId: string) =>
    apiUrl(base(orgId, `/entries/${segment(entryId)}/attachments/${segment(attachmentId)}`)),
  fec: (orgId: string, query: FecQuery) => apiUrl(base(orgId, '/fec'), { ...query }),
  entriesCsv: (orgId: string, fiscalYearId: string) =>
    apiUrl(base(orgId, '/exports/entries'), { fiscalYearId }),
};
