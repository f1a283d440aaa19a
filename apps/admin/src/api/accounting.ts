import type {
  AccountView,
  CreateAccountInput,
  CreateFiscalYearInput,
  CreateJournalInput,
  EntryInput,
  EntryStatus,
  EntryView,
  FiscalYearView,
  JournalView,
  Page,
  PostingAccountView,
  PostingRole,
  ReverseEntryInput,
  UpdateAccountInput,
  UpdateJournalInput,
} from '@ruche/contracts';
import { request } from './client';
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

const base = (orgId: string, path: string) =>
  `/orgs/${encodeURIComponent(orgId)}/accounting${path}`;
const segment = (value: string) => encodeURIComponent(value);
const orUndefined = (value: string | undefined) => (value ? value : undefined);

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
};
