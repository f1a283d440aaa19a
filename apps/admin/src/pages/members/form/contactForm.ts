import type {
  Civility,
  ContactKind,
  ContactView,
  CustomFieldDefinitionView,
  CustomFieldValue,
} from '@ruche/contracts';

/** The contact form, every input as typed (custom fields by key: text, or a list of options). */
export interface ContactFormValues {
  kind: ContactKind;
  civility: Civility | '';
  firstName: string;
  lastName: string;
  organizationName: string;
  siren: string;
  birthDate: string;
  email: string;
  phone: string;
  mobilePhone: string;
  addressLine1: string;
  addressLine2: string;
  postalCode: string;
  city: string;
  country: string;
  locale: 'fr' | 'en';
  notes: string;
  tagIds: string[];
  customFields: Record<string, string | string[]>;
}

/** The inputs that show their own errors (the server's `errors[].field`). */
export const CONTACT_FIELDS = [
  'kind',
  'civility',
  'firstName',
  'lastName',
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
  'locale',
  'notes',
  'tagIds',
] as const satisfies readonly (keyof ContactFormValues)[];
export type ContactField = (typeof CONTACT_FIELDS)[number];

export const isContactField = (path: string): path is ContactField =>
  CONTACT_FIELDS.some((field) => field === path);

/** The custom fields offered in the form, in their order. */
export function activeCustomFields(
  fields: readonly CustomFieldDefinitionView[],
): CustomFieldDefinitionView[] {
  return fields
    .filter((field) => field.active)
    .sort((a, b) => a.position - b.position || a.label.localeCompare(b.label));
}

function customFormValue(
  field: CustomFieldDefinitionView,
  value: CustomFieldValue | undefined,
): string | string[] {
  if (field.type === 'multi_choice') return Array.isArray(value) ? value : [];
  if (value === null || value === undefined || Array.isArray(value)) return '';
  return String(value);
}

export function emptyContactForm(fields: readonly CustomFieldDefinitionView[]): ContactFormValues {
  return {
    kind: 'person',
    civility: '',
    firstName: '',
    lastName: '',
    organizationName: '',
    siren: '',
    birthDate: '',
    email: '',
    phone: '',
    mobilePhone: '',
    addressLine1: '',
    addressLine2: '',
    postalCode: '',
    city: '',
    country: 'FR',
    locale: 'fr',
    notes: '',
    tagIds: [],
    customFields: Object.fromEntries(
      activeCustomFields(fields).map((field) => [field.key, customFormValue(field, undefined)]),
    ),
  };
}

export function toContactForm(
  contact: ContactView,
  fields: readonly CustomFieldDefinitionView[],
): ContactFormValues {
  return {
    kind: contact.kind,
    civility: contact.civility ?? '',
    firstName: contact.firstName ?? '',
    lastName: contact.lastName ?? '',
    organizationName: contact.organizationName ?? '',
    siren: contact.siren ?? '',
    birthDate: contact.birthDate?.slice(0, 10) ?? '',
    email: contact.email ?? '',
    phone: contact.phone ?? '',
    mobilePhone: contact.mobilePhone ?? '',
    addressLine1: contact.addressLine1 ?? '',
    addressLine2: contact.addressLine2 ?? '',
    postalCode: contact.postalCode ?? '',
    city: contact.city ?? '',
    country: contact.country,
    locale: contact.locale,
    notes: contact.notes ?? '',
    tagIds: contact.tags.map((tag) => tag.id),
    customFields: Object.fromEntries(
      activeCustomFields(fields).map((field) => [
        field.key,
        customFormValue(field, contact.customFields[field.key]),
      ]),
    ),
  };
}

/** A custom field's typed value as the API takes it (null: none). */
function customInputValue(
  field: CustomFieldDefinitionView,
  raw: string | string[] | undefined,
): CustomFieldValue {
  if (Array.isArray(raw)) return raw.length > 0 ? raw : null;
  const text = (raw ?? '').trim();
  if (!text) return null;
  switch (field.type) {
    case 'number': {
      const value = Number(text.replace(/\s/g, '').replace(',', '.'));
      return Number.isFinite(value) ? value : text;
    }
    case 'boolean':
      return text === 'true';
    case 'multi_choice':
      return [text];
    case 'text':
    case 'date':
    case 'choice':
      return text;
  }
}

/**
 * The body for the API, before the contracts schema checks it: the fields of the other kind are
 * left out, custom fields are typed. The API replaces the whole contact, so an edit sends back
 * the household the contact belongs to (changed only from the household panel).
 */
export function toContactBody(
  values: ContactFormValues,
  fields: readonly CustomFieldDefinitionView[],
  householdId: string | null,
): Record<string, unknown> {
  const person = values.kind === 'person';
  return {
    kind: values.kind,
    civility: person && values.civility ? values.civility : null,
    firstName: person ? values.firstName : '',
    lastName: person ? values.lastName : '',
    organizationName: person ? '' : values.organizationName,
    siren: person ? '' : values.siren,
    birthDate: person ? values.birthDate : '',
    email: values.email,
    phone: values.phone,
    mobilePhone: values.mobilePhone,
    addressLine1: values.addressLine1,
    addressLine2: values.addressLine2,
    postalCode: values.postalCode,
    city: values.city,
    country: values.country,
    locale: values.locale,
    notes: values.notes,
    tagIds: values.tagIds,
    customFields: Object.fromEntries(
      activeCustomFields(fields).map((field) => [
        field.key,
        customInputValue(field, values.customFields[field.key]),
      ]),
    ),
    householdId,
  };
}
