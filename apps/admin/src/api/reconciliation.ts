import type {
  bankAccountInputSchema,
  BalanceCheckView,
  BankAccountView,
  BankLineStatus,
  BankLineView,
  BankStatementView,
  CsvMappingInput,
  CsvPreviewView,
  ExpectedMatchInput,
  LedgerCandidateView,
  lineEntryInputSchema,
  MatchInput,
  MatchStatus,
  MatchView,
  Page,
  reconciliationRuleInputSchema,
  ReconciliationRuleView,
  ReconciliationRunView,
  ReconciliationSettingsInput,
  ReconciliationSettingsView,
  RejectionInput,
  RejectionView,
  StatementImportView,
  WorkspaceLineView,
  WorkspaceQuery,
} from '@ruche/contracts';
import type { z } from 'zod';
import { request, uploadFileWithProgress, type UploadProgress } from './client';
import type { PageQuery } from './orgs';

/** A bank account as sent: the IBAN as typed ("FR76 3000 …"), the BIC optional ('' or null). */
export type BankAccountBody = z.input<typeof bankAccountInputSchema>;

/** The filters of a bank account's lines (empty strings are not sent). */
export interface BankLineFilters {
  status?: BankLineStatus | '';
  /** First and last booking day, YYYY-MM-DD. */
  from?: string;
  to?: string;
  /** Searched in the label and the counterparty's name. */
  q?: string;
}

/** The workspace filters (empty strings are not sent; the server's defaults apply). */
export interface WorkspaceFilters {
  status: WorkspaceQuery['status'];
  suggestions: WorkspaceQuery['suggestions'];
  direction: WorkspaceQuery['direction'];
  q: string;
  /** First and last booking day, YYYY-MM-DD. */
  from: string;
  to: string;
}

/** The manual search of waiting ledger lines (amount in signed cents, as the bank shows it). */
export interface CandidateFilters {
  q?: string;
  from?: string;
  to?: string;
  amountCents?: number | null;
  limit?: number;
}

/** A line posted against an account ("Passer en écriture"), optionally remembered as a rule. */
export type LineEntryBody = z.input<typeof lineEntryInputSchema>;
/** A rule as sent: amounts as typed ("12,50") or null. */
export type ReconciliationRuleBody = z.input<typeof reconciliationRuleInputSchema>;

const base = (orgId: string, path: string) =>
  `/orgs/${encodeURIComponent(orgId)}/bank-accounts${path}`;
const org = (orgId: string, path: string) =>
  `/orgs/${encodeURIComponent(orgId)}/reconciliation${path}`;
const account = (orgId: string, bankAccountId: string, path: string) =>
  base(orgId, `/${encodeURIComponent(bankAccountId)}/reconciliation${path}`);
const segment = (value: string) => encodeURIComponent(value);
const orUndefined = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/** Rapprochement: the bank accounts, their statements (CAMT.053, OFX) and the lines to match. */
export const reconciliationApi = {
  /** Active accounts first, then by name; each with its last closing balance and unmatched lines. */
  accounts: (orgId: string, signal?: AbortSignal) =>
    request<BankAccountView[]>('GET', base(orgId, ''), { signal }),
  /**
   * 201; 400 with field errors (IBAN, BIC), 422 when the ledger account is not an active 512x one
   * of the chart, 409 when the IBAN is already one of the organization's bank accounts.
   */
  createAccount: (orgId: string, input: BankAccountBody) =>
    request<BankAccountView>('POST', base(orgId, ''), { body: input }),
  updateAccount: (orgId: string, bankAccountId: string, input: BankAccountBody) =>
    request<BankAccountView>('PUT', base(orgId, `/${segment(bankAccountId)}`), { body: input }),

  /**
   * Sends a statement file (CAMT.053 XML or OFX) as the raw body, always as
   * `application/octet-stream` (the server reads the format from the content): 201 with what was
   * imported; 422 when the file is not a statement or belongs to another account.
   */
  importStatement: (
    orgId: string,
    bankAccountId: string,
    file: File,
    onProgress?: (progress: UploadProgress) => void,
  ) =>
    uploadFileWithProgress<StatementImportView>(
      base(orgId, `/${segment(bankAccountId)}/statements`),
      file,
      { contentType: 'application/octet-stream', onProgress },
    ),
  /** The statements imported on this account, latest import first. */
  statements: (orgId: string, bankAccountId: string, signal?: AbortSignal) =>
    request<BankStatementView[]>('GET', base(orgId, `/${segment(bankAccountId)}/statements`), {
      signal,
    }),
  /** The account's lines, latest booking day first. */
  lines: (
    orgId: string,
    bankAccountId: string,
    filters: BankLineFilters,
    page: PageQuery,
    signal?: AbortSignal,
  ) =>
    request<Page<BankLineView>>('GET', base(orgId, `/${segment(bankAccountId)}/lines`), {
      query: {
        status: orUndefined(filters.status),
        from: orUndefined(filters.from),
        to: orUndefined(filters.to),
        q: orUndefined(filters.q),
        ...page,
      },
      signal,
    }),

  // ---- CSV statements: the account's column mapping -------------------------------------

  /** The saved mapping of the account's CSV exports, null when none is saved yet. */
  csvMapping: (orgId: string, bankAccountId: string, signal?: AbortSignal) =>
    request<{ mapping: CsvMappingInput | null }>(
      'GET',
      base(orgId, `/${segment(bankAccountId)}/csv-mapping`),
      { signal },
    ),
  saveCsvMapping: (orgId: string, bankAccountId: string, mapping: CsvMappingInput) =>
    request<{ mapping: CsvMappingInput | null }>(
      'PUT',
      base(orgId, `/${segment(bankAccountId)}/csv-mapping`),
      { body: mapping },
    ),
  /** A sample CSV file as the raw body: its rows and what the saved (or guessed) mapping reads. */
  csvPreview: (orgId: string, bankAccountId: string, file: File) =>
    uploadFileWithProgress<CsvPreviewView>(
      base(orgId, `/${segment(bankAccountId)}/csv-preview`),
      file,
      { contentType: 'application/octet-stream' },
    ),

  // ---- The reconciliation workspace ------------------------------------------------------

  /** Statement lines with their suggestions: the suggested ones first, best score first. */
  workspace: (
    orgId: string,
    bankAccountId: string,
    filters: WorkspaceFilters,
    page: PageQuery,
    signal?: AbortSignal,
  ) =>
    request<Page<WorkspaceLineView>>('GET', account(orgId, bankAccountId, '/lines'), {
      query: {
        status: filters.status,
        suggestions: filters.suggestions,
        direction: filters.direction,
        q: orUndefined(filters.q),
        from: orUndefined(filters.from),
        to: orUndefined(filters.to),
        ...page,
      },
      signal,
    }),
  /** Waiting ledger lines of the account's 512x (amounts signed as the bank shows them). */
  candidates: (
    orgId: string,
    bankAccountId: string,
    filters: CandidateFilters,
    signal?: AbortSignal,
  ) =>
    request<LedgerCandidateView[]>('GET', account(orgId, bankAccountId, '/candidates'), {
      query: {
        q: orUndefined(filters.q),
        from: orUndefined(filters.from),
        to: orUndefined(filters.to),
        amountCents: filters.amountCents ?? undefined,
        limit: filters.limit,
      },
      signal,
    }),
  /**
   * Letters bank lines with ledger lines (201). 422 `reconciliation.amounts_differ`, 409
   * `reconciliation.ledger_line_not_waiting` or `reconciliation.line_not_waiting`.
   */
  match: (orgId: string, bankAccountId: string, input: MatchInput) =>
    request<MatchView>('POST', account(orgId, bankAccountId, '/matches'), { body: input }),
  /**
   * The line is an announced transfer (a join paid by transfer): the payment is recorded as
   * received and the line lettered (201). 409 `payments.not_expected`, 422
   * `reconciliation.amounts_differ`.
   */
  matchExpected: (orgId: string, bankAccountId: string, input: ExpectedMatchInput) =>
    request<MatchView>('POST', account(orgId, bankAccountId, '/expected'), { body: input }),
  /** Posts a line against an account (627 bank fees...) and letters it; optionally a rule too. */
  postEntry: (orgId: string, bankAccountId: string, input: LineEntryBody) =>
    request<MatchView>('POST', account(orgId, bankAccountId, '/entries'), { body: input }),
  ignore: (orgId: string, bankAccountId: string, lineId: string, reason: string) =>
    request<BankLineView>(
      'POST',
      account(orgId, bankAccountId, `/lines/${segment(lineId)}/ignore`),
      {
        body: { reason },
      },
    ),
  unignore: (orgId: string, bankAccountId: string, lineId: string) =>
    request<BankLineView>(
      'POST',
      account(orgId, bankAccountId, `/lines/${segment(lineId)}/unignore`),
    ),
  /** The line is not this proposal (ledger lines, or an announced payment): never offered again for it. */
  reject: (orgId: string, bankAccountId: string, lineId: string, input: RejectionInput) =>
    request<RejectionView>(
      'POST',
      account(orgId, bankAccountId, `/lines/${segment(lineId)}/rejections`),
      { body: input },
    ),
  withdrawRejection: (orgId: string, bankAccountId: string, lineId: string, rejectionId: string) =>
    request<void>(
      'DELETE',
      account(orgId, bankAccountId, `/lines/${segment(lineId)}/rejections/${segment(rejectionId)}`),
    ),
  /** The account's matches, latest first. */
  matches: (
    orgId: string,
    bankAccountId: string,
    status: MatchStatus | '',
    page: PageQuery,
    signal?: AbortSignal,
  ) =>
    request<Page<MatchView>>('GET', account(orgId, bankAccountId, '/matches'), {
      query: { status: orUndefined(status), ...page },
      signal,
    }),
  matchById: (orgId: string, matchId: string, signal?: AbortSignal) =>
    request<MatchView>('GET', org(orgId, `/matches/${segment(matchId)}`), { signal }),
  /** Undoes a match (a reason of 3 characters at least); a posted entry is reversed. */
  undo: (orgId: string, matchId: string, reason: string) =>
    request<MatchView>('POST', org(orgId, `/matches/${segment(matchId)}/undo`), {
      body: { reason },
    }),

  // ---- Automatic passes ------------------------------------------------------------------

  startRun: (orgId: string, bankAccountId: string) =>
    request<ReconciliationRunView>('POST', account(orgId, bankAccountId, '/runs')),
  latestRun: (orgId: string, bankAccountId: string, signal?: AbortSignal) =>
    request<ReconciliationRunView | null>('GET', account(orgId, bankAccountId, '/runs/latest'), {
      signal,
    }),
  run: (orgId: string, runId: string, signal?: AbortSignal) =>
    request<ReconciliationRunView>('GET', org(orgId, `/runs/${segment(runId)}`), { signal }),

  // ---- Balance check, settings and rules -------------------------------------------------

  /** The état de rapprochement at a day (YYYY-MM-DD; the organization's today when left out). */
  balance: (orgId: string, bankAccountId: string, date: string, signal?: AbortSignal) =>
    request<BalanceCheckView>('GET', account(orgId, bankAccountId, '/balance'), {
      query: { date: orUndefined(date) },
      signal,
    }),
  settings: (orgId: string, signal?: AbortSignal) =>
    request<ReconciliationSettingsView>('GET', org(orgId, '/settings'), { signal }),
  saveSettings: (orgId: string, input: ReconciliationSettingsInput) =>
    request<ReconciliationSettingsView>('PUT', org(orgId, '/settings'), { body: input }),
  /** The rules, by priority. */
  rules: (orgId: string, signal?: AbortSignal) =>
    request<ReconciliationRuleView[]>('GET', org(orgId, '/rules'), { signal }),
  createRule: (orgId: string, input: ReconciliationRuleBody) =>
    request<ReconciliationRuleView>('POST', org(orgId, '/rules'), { body: input }),
  updateRule: (orgId: string, ruleId: string, input: ReconciliationRuleBody) =>
    request<ReconciliationRuleView>('PUT', org(orgId, `/rules/${segment(ruleId)}`), {
      body: input,
    }),
  deleteRule: (orgId: string, ruleId: string) =>
    request<void>('DELETE', org(orgId, `/rules/${segment(ruleId)}`)),
};
