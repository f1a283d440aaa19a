import type { TFunction } from 'i18next';
import {
  DATE_ORDERS,
  IMPORT_DELIMITERS,
  IMPORT_ENCODINGS,
  IMPORT_FIELDS,
  type CustomFieldDefinitionView,
  type DateOrder,
  type ImportEncoding,
  type ImportField,
  type ImportMappingInput,
  type ImportStatus,
  type ImportView,
} from '@ruche/contracts';

export type ImportDelimiter = (typeof IMPORT_DELIMITERS)[number];

/** The groups of the target select, in order; custom fields come last, in their own group. */
export const TARGET_GROUPS = ['identity', 'contact', 'address', 'membership', 'other'] as const;
export type TargetGroup = (typeof TARGET_GROUPS)[number];

/** Where each field of the contract goes in the select (a new field must be placed here). */
const FIELD_GROUPS: Record<ImportField, TargetGroup> = {
  kind: 'identity',
  civility: 'identity',
  firstName: 'identity',
  lastName: 'identity',
  fullName: 'identity',
  organizationName: 'identity',
  siren: 'identity',
  birthDate: 'identity',
  email: 'contact',
  phone: 'contact',
  mobilePhone: 'contact',
  locale: 'contact',
  addressLine1: 'address',
  addressLine2: 'address',
  postalCode: 'address',
  city: 'address',
  country: 'address',
  membershipPlan: 'membership',
  membershipTier: 'membership',
  membershipStartDate: 'membership',
  membershipAmount: 'membership',
  membershipPaidOn: 'membership',
  tags: 'other',
  notes: 'other',
};

export function fieldsOf(group: TargetGroup): ImportField[] {
  return IMPORT_FIELDS.filter((field) => FIELD_GROUPS[field] === group);
}

export const CUSTOM_PREFIX = 'custom:';

export const customTarget = (key: string) => `${CUSTOM_PREFIX}${key}`;

export function isImportField(value: string): value is ImportField {
  return IMPORT_FIELDS.some((field) => field === value);
}

/** A membership column: the default plan is offered when one is mapped. */
export function isMembershipTarget(target: string): boolean {
  return isImportField(target) && FIELD_GROUPS[target] === 'membership';
}

/** The label of a target (a field, or a custom field by its key), or null for an unknown one. */
export function targetLabel(
  t: TFunction,
  target: string,
  customFields: readonly CustomFieldDefinitionView[],
): string | null {
  if (isImportField(target)) return t(`contacts.import.targets.${target}`);
  if (!target.startsWith(CUSTOM_PREFIX)) return null;
  const key = target.slice(CUSTOM_PREFIX.length);
  const field = customFields.find((candidate) => candidate.key === key);
  return field ? field.label : t('contacts.import.mapping.unknownCustom', { key });
}

export const isEncoding = (value: string | null | undefined): value is ImportEncoding =>
  IMPORT_ENCODINGS.some((encoding) => encoding === value);
export const isDelimiter = (value: string | null | undefined): value is ImportDelimiter =>
  IMPORT_DELIMITERS.some((delimiter) => delimiter === value);
export const isDateOrder = (value: string): value is DateOrder =>
  DATE_ORDERS.some((order) => order === value);

/** The i18n key of each delimiter (`contacts.import.mapping.delimiters.<key>`). */
export const DELIMITER_KEYS: Record<ImportDelimiter, string> = {
  ';': 'semicolon',
  ',': 'comma',
  '\t': 'tab',
  '|': 'pipe',
};

/** The mapping being edited: column number (as a string) -> target; a missing column is ignored. */
export interface MappingDraft {
  columns: Record<string, string>;
  encoding: ImportEncoding | null;
  delimiter: ImportDelimiter | null;
  dateOrder: DateOrder;
  /** '' for none. */
  defaultPlanId: string;
}

/** The saved mapping of an import, else what its headers suggest (dates day first). */
export function draftFromView(view: ImportView): MappingDraft {
  const mapping = view.mapping;
  const encoding = mapping?.encoding ?? view.encoding;
  const delimiter = mapping?.delimiter ?? view.delimiter;
  return {
    columns: { ...(mapping?.columns ?? view.suggestedColumns) },
    encoding: isEncoding(encoding) ? encoding : null,
    delimiter: isDelimiter(delimiter) ? delimiter : null,
    dateOrder: mapping?.dateOrder ?? 'dmy',
    defaultPlanId: mapping?.defaultPlanId ?? '',
  };
}

export function hasMembershipColumn(draft: MappingDraft): boolean {
  return Object.values(draft.columns).some(isMembershipTarget);
}

/**
 * The body of `PUT mapping`: ignored columns left out (in column order), encoding and delimiter
 * for CSV files only, the default plan only when a membership column is mapped.
 */
export function mappingInput(
  draft: MappingDraft,
  format: ImportView['format'],
): ImportMappingInput {
  const columns: Record<string, string> = {};
  const mapped = Object.entries(draft.columns)
    .filter(([, target]) => target !== '')
    .sort(([a], [b]) => Number(a) - Number(b));
  for (const [column, target] of mapped) columns[column] = target;
  const defaultPlanId =
    hasMembershipColumn(draft) && draft.defaultPlanId !== '' ? draft.defaultPlanId : null;
  return {
    columns,
    ...(format === 'csv' && draft.encoding ? { encoding: draft.encoding } : {}),
    ...(format === 'csv' && draft.delimiter ? { delimiter: draft.delimiter } : {}),
    dateOrder: draft.dateOrder,
    defaultPlanId,
  };
}

/** Whether the draft differs from what the server holds (always true before the first save). */
export function isDirty(draft: MappingDraft, view: ImportView): boolean {
  if (view.mapping === null) return true;
  return (
    JSON.stringify(mappingInput(draft, view.format)) !==
    JSON.stringify(mappingInput(draftFromView(view), view.format))
  );
}

/** How many columns can be mapped: those of the header line (the server refuses any other). */
export function columnCount(view: ImportView): number {
  return view.headers.length;
}

/** The columns whose target is already taken by an earlier column: column -> that column. */
export function duplicateColumns(draft: MappingDraft): Map<string, string> {
  const firstOf = new Map<string, string>();
  const duplicates = new Map<string, string>();
  const mapped = Object.entries(draft.columns)
    .filter(([, target]) => target !== '')
    .sort(([a], [b]) => Number(a) - Number(b));
  for (const [column, target] of mapped) {
    const first = firstOf.get(target);
    if (first === undefined) firstOf.set(target, column);
    else duplicates.set(column, first);
  }
  return duplicates;
}

/** Queued or running: the worker has it (the mapping cannot change, a run cannot start). */
export function isInProgress(status: ImportStatus): boolean {
  return status === 'queued' || status === 'running';
}
