import {
  CONTACT_KINDS,
  CONTACT_SORTS,
  MEMBERSHIP_STATUSES,
  type ContactFilter,
  type ContactKind,
  type MembershipStatus,
} from '@ruche/contracts';
import type { ContactFilterParams } from '../../../api/contacts';

export type ContactSortColumn = (typeof CONTACT_SORTS)[number];

/** The single-value filters kept as is in the query string. */
const TEXT_KEYS = [
  'q',
  'city',
  'postalCode',
  'planId',
  'joinedFrom',
  'joinedTo',
  'lapsedSince',
  'inactiveSince',
] as const;

/** Every query-string key of the directory filters (the sort is `sort`). */
export const FILTER_PARAMS = [
  ...TEXT_KEYS,
  'kind',
  'tagIds',
  'statuses',
  'member',
  'customField',
  'retentionDue',
] as const;

export const DEFAULT_SORT = 'name';

const isKind = (value: string | null): value is ContactKind =>
  CONTACT_KINDS.some((kind) => kind === value);
const isStatus = (value: string): value is MembershipStatus =>
  MEMBERSHIP_STATUSES.some((status) => status === value);
const isSortColumn = (value: string): value is ContactSortColumn =>
  CONTACT_SORTS.some((column) => column === value);
const list = (value: string | null) => (value ?? '').split(',').filter((item) => item !== '');

/** The filters of a directory URL (unknown values are ignored). */
export function filtersFromParams(params: URLSearchParams): ContactFilterParams {
  const filters: ContactFilterParams = {};
  for (const key of TEXT_KEYS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  const kind = params.get('kind');
  if (isKind(kind)) filters.kind = kind;
  const member = params.get('member');
  if (member === 'any' || member === 'none') filters.member = member;
  const tagIds = list(params.get('tagIds'));
  if (tagIds.length > 0) filters.tagIds = tagIds;
  const statuses = list(params.get('statuses')).filter(isStatus);
  if (statuses.length > 0) filters.statuses = statuses;
  const customField = params.getAll('customField').filter((value) => value.includes(':'));
  if (customField.length > 0) filters.customField = customField;
  if (params.get('retentionDue') === 'true') filters.retentionDue = true;
  return filters;
}

/** Whether any filter is set (the sort does not count). */
export function hasFilters(filters: ContactFilterParams): boolean {
  return Object.values(filters).some((value) =>
    Array.isArray(value) ? value.length > 0 : Boolean(value),
  );
}

/** The sort of a directory URL: a known column, "-" first for descending. */
export function sortFromParams(params: URLSearchParams): {
  column: ContactSortColumn;
  descending: boolean;
} {
  const value = params.get('sort') ?? DEFAULT_SORT;
  const column = value.replace(/^-/, '');
  return isSortColumn(column)
    ? { column, descending: value.startsWith('-') }
    : { column: DEFAULT_SORT, descending: false };
}

export function sortParam(sort: { column: ContactSortColumn; descending: boolean }): string {
  return `${sort.descending ? '-' : ''}${sort.column}`;
}

/** The query string of a saved filter, keeping the current sort. */
export function paramsFromSavedFilter(filter: ContactFilter, sort: string | null): URLSearchParams {
  const params = new URLSearchParams();
  const set = (key: string, value: string | undefined) => {
    if (value) params.set(key, value);
  };
  set('q', filter.q);
  set('kind', filter.kind);
  set('tagIds', filter.tagIds?.join(','));
  set('city', filter.city);
  set('postalCode', filter.postalCode);
  set('statuses', filter.statuses?.join(','));
  set('member', filter.member);
  set('planId', filter.planId);
  set('joinedFrom', filter.joinedFrom);
  set('joinedTo', filter.joinedTo);
  set('lapsedSince', filter.lapsedSince);
  set('inactiveSince', filter.inactiveSince);
  for (const item of filter.customField ?? [])
    params.append('customField', `${item.key}:${item.value}`);
  if (filter.retentionDue) params.set('retentionDue', 'true');
  if (sort && sort !== DEFAULT_SORT) params.set('sort', sort);
  return params;
}

/** Whether the directory shows exactly this saved filter (whatever the sort). */
export function isSameFilter(saved: ContactFilter, current: ContactFilterParams): boolean {
  return (
    JSON.stringify(filtersFromParams(paramsFromSavedFilter(saved, null))) ===
    JSON.stringify(current)
  );
}
