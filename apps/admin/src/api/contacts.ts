import type {
  ConsentInput,
  ContactConsentsView,
  ContactHouseholdView,
  ContactKind,
  ContactListItem,
  ContactView,
  CreateContactInput,
  CustomFieldDefinitionInput,
  CustomFieldDefinitionView,
  DuplicateCandidate,
  EraseContactInput,
  HouseholdInput,
  MembershipStatus,
  MergeResultView,
  Page,
  PersonalDataQuery,
  SavedFilterView,
  TagInput,
  TagView,
  UpdateContactInput,
} from '@ruche/contracts';
import { apiUrl, request } from './client';
import type { PageQuery } from './orgs';

/**
 * The filters of the contact directory, as the API takes them (all optional; empty values are
 * not sent). Also the body of a saved filter.
 */
export interface ContactFilterParams {
  q?: string;
  kind?: ContactKind;
  tagIds?: string[];
  city?: string;
  postalCode?: string;
  /** "key:value" filters on custom fields. */
  customField?: string[];
  statuses?: MembershipStatus[];
  /** "none": contacts that never held a membership. */
  member?: 'any' | 'none';
  planId?: string;
  joinedFrom?: string;
  joinedTo?: string;
  lapsedSince?: string;
  inactiveSince?: string;
  /** GDPR: not in good standing and no activity for the organization's retention period. */
  retentionDue?: boolean;
}

export interface SavedFilterBody {
  name: string;
  filter: ContactFilterParams;
  shared: boolean;
}

const base = (orgId: string, path: string) => `/orgs/${encodeURIComponent(orgId)}${path}`;
const segment = (value: string) => encodeURIComponent(value);
const orUndefined = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
const listOrUndefined = (values: readonly string[] | undefined) =>
  values && values.length > 0 ? values.join(',') : undefined;

/** The filters as query parameters (lists joined with commas, custom fields repeated). */
export function contactFilterQuery(filters: ContactFilterParams) {
  return {
    q: orUndefined(filters.q),
    kind: filters.kind,
    tagIds: listOrUndefined(filters.tagIds),
    city: orUndefined(filters.city),
    postalCode: orUndefined(filters.postalCode),
    customField: filters.customField?.length ? filters.customField : undefined,
    statuses: listOrUndefined(filters.statuses),
    member: filters.member,
    planId: orUndefined(filters.planId),
    joinedFrom: orUndefined(filters.joinedFrom),
    joinedTo: orUndefined(filters.joinedTo),
    lapsedSince: orUndefined(filters.lapsedSince),
    inactiveSince: orUndefined(filters.inactiveSince),
    retentionDue: filters.retentionDue ? 'true' : undefined,
  };
}

export const contactsApi = {
  list: (
    orgId: string,
    filters: ContactFilterParams,
    sort: string,
    page: PageQuery,
    signal?: AbortSignal,
  ) =>
    request<Page<ContactListItem>>('GET', base(orgId, '/contacts'), {
      query: { ...contactFilterQuery(filters), sort, ...page },
      signal,
    }),
  get: (orgId: string, contactId: string, signal?: AbortSignal) =>
    request<ContactView>('GET', base(orgId, `/contacts/${segment(contactId)}`), { signal }),
  /** 409 `contacts.possible_duplicate` unless `confirmNotDuplicate`: see `duplicates`. */
  create: (orgId: string, input: CreateContactInput) =>
    request<ContactView>('POST', base(orgId, '/contacts'), { body: input }),
  update: (orgId: string, contactId: string, input: UpdateContactInput) =>
    request<ContactView>('PUT', base(orgId, `/contacts/${segment(contactId)}`), { body: input }),
  /** Merges `mergedContactId` into `contactId` (fields it lacks, tags, memberships and other references). */
  merge: (orgId: string, contactId: string, mergedContactId: string) =>
    request<MergeResultView>('POST', base(orgId, `/contacts/${segment(contactId)}/merge`), {
      body: { mergedContactId },
    }),
  /** The probable duplicates of a contact being typed. */
  duplicates: (orgId: string, input: CreateContactInput) =>
    request<DuplicateCandidate[]>('POST', base(orgId, '/contacts/duplicates'), { body: input }),
  duplicatesOf: (orgId: string, contactId: string, signal?: AbortSignal) =>
    request<DuplicateCandidate[]>(
      'GET',
      base(orgId, `/contacts/${segment(contactId)}/duplicates`),
      {
        signal,
      },
    ),

  /** The current consents of a contact and their history (newest first). */
  consents: (orgId: string, contactId: string, signal?: AbortSignal) =>
    request<ContactConsentsView>('GET', base(orgId, `/contacts/${segment(contactId)}/consents`), {
      signal,
    }),
  /** Records a consent or its withdrawal (never edited: a new entry each time). */
  recordConsent: (orgId: string, contactId: string, input: ConsentInput) =>
    request<ContactConsentsView>('POST', base(orgId, `/contacts/${segment(contactId)}/consents`), {
      body: input,
    }),
  /**
   * GDPR erasure: anonymizes the personal fields (accounting entries and receipts are kept).
   * 409 `contacts.erased` if already done.
   */
  erase: (orgId: string, contactId: string, input: EraseContactInput) =>
    request<ContactView>('POST', base(orgId, `/contacts/${segment(contactId)}/erase`), {
      body: input,
    }),

  tags: (orgId: string, signal?: AbortSignal) =>
    request<TagView[]>('GET', base(orgId, '/tags'), { signal }),
  createTag: (orgId: string, input: TagInput) =>
    request<TagView>('POST', base(orgId, '/tags'), { body: input }),
  updateTag: (orgId: string, tagId: string, input: TagInput) =>
    request<void>('PUT', base(orgId, `/tags/${segment(tagId)}`), { body: input }),
  deleteTag: (orgId: string, tagId: string) =>
    request<void>('DELETE', base(orgId, `/tags/${segment(tagId)}`)),

  customFields: (orgId: string, signal?: AbortSignal) =>
    request<CustomFieldDefinitionView[]>('GET', base(orgId, '/custom-fields'), { signal }),
  createCustomField: (orgId: string, input: CustomFieldDefinitionInput) =>
    request<CustomFieldDefinitionView>('POST', base(orgId, '/custom-fields'), { body: input }),
  updateCustomField: (orgId: string, fieldId: string, input: CustomFieldDefinitionInput) =>
    request<CustomFieldDefinitionView>('PUT', base(orgId, `/custom-fields/${segment(fieldId)}`), {
      body: input,
    }),

  createHousehold: (orgId: string, input: HouseholdInput) =>
    request<ContactHouseholdView>('POST', base(orgId, '/households'), { body: input }),
  household: (orgId: string, householdId: string, signal?: AbortSignal) =>
    request<ContactHouseholdView>('GET', base(orgId, `/households/${segment(householdId)}`), {
      signal,
    }),
  updateHousehold: (orgId: string, householdId: string, input: HouseholdInput) =>
    request<ContactHouseholdView>('PUT', base(orgId, `/households/${segment(householdId)}`), {
      body: input,
    }),
  dissolveHousehold: (orgId: string, householdId: string) =>
    request<void>('DELETE', base(orgId, `/households/${segment(householdId)}`)),

  savedFilters: (orgId: string, signal?: AbortSignal) =>
    request<SavedFilterView[]>('GET', base(orgId, '/saved-filters'), { signal }),
  createSavedFilter: (orgId: string, input: SavedFilterBody) =>
    request<SavedFilterView>('POST', base(orgId, '/saved-filters'), {
      body: { ...input, filter: contactFilterQuery(input.filter) },
    }),
  deleteSavedFilter: (orgId: string, filterId: string) =>
    request<void>('DELETE', base(orgId, `/saved-filters/${segment(filterId)}`)),
};

/** Export formats of the directory. */
export type ContactExportFormat = 'csv' | 'xlsx';

/** Download links (plain GETs on the same origin: the session cookie authenticates them). */
export const contactsDownloads = {
  /** The directory with these filters and this sort, as a file (every page). */
  export: (
    orgId: string,
    filters: ContactFilterParams,
    sort: string,
    format: ContactExportFormat,
  ) => apiUrl(base(orgId, '/contacts/export'), { ...contactFilterQuery(filters), sort, format }),
  /** Everything held about a contact (GDPR right of access), as JSON or PDF. */
  personalData: (orgId: string, contactId: string, format: PersonalDataQuery['format']) =>
    apiUrl(base(orgId, `/contacts/${segment(contactId)}/personal-data`), { format }),
};
