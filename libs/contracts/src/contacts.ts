import { z } from 'zod';
import { localDateSchema } from './accounting';
import { blankAsNull, emailSchema, optionalText, paginationQuerySchema, sortSchema } from './common';
import { sirenSchema } from './organizations';

export const CONTACT_KINDS = ['person', 'organization'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

/** Mme, M., Mx (French usage); null when unknown or for legal entities. */
export const CIVILITIES = ['mme', 'm', 'mx'] as const;
export type Civility = (typeof CIVILITIES)[number];

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'choice', 'multi_choice', 'boolean'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

export type CustomFieldValue = string | number | boolean | string[] | null;

/** A phone as people type it: digits, spaces, dots, dashes, parentheses, a leading +; 6 to 15 digits. */
export const phoneSchema = z
  .string()
  .trim()
  .max(30)
  .refine((v) => /^\+?[\d\s.\-()]+$/.test(v) && /^\d{6,15}$/.test(v.replace(/\D/g, '')), {
    message: 'A phone number: digits, spaces, dots or dashes, a leading + for international (6 to 15 digits)',
  });

/** Postal codes by country; France and its overseas departments use 5 digits. */
export function postalCodeProblem(country: string, postalCode: string): string | null {
  if (country === 'FR' || country === 'MC') return /^\d{5}$/.test(postalCode) ? null : 'A French postal code has 5 digits';
  if (country === 'BE' || country === 'CH' || country === 'LU') return /^\d{4}$/.test(postalCode) ? null : 'A postal code of 4 digits';
  return /^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$/.test(postalCode) ? null : 'A postal code of 2 to 10 letters or digits';
}

const contactFields = {
  kind: z.enum(CONTACT_KINDS).default('person'),
  civility: z.enum(CIVILITIES).nullable().optional(),
  firstName: optionalText(100),
  lastName: optionalText(100),
  organizationName: optionalText(200),
  siren: blankAsNull(sirenSchema),
  birthDate: blankAsNull(localDateSchema),
  email: blankAsNull(emailSchema),
  phone: blankAsNull(phoneSchema),
  mobilePhone: blankAsNull(phoneSchema),
  addressLine1: optionalText(200),
  addressLine2: optionalText(200),
  postalCode: optionalText(10),
  city: optionalText(100),
  country: z.string().trim().length(2, { message: 'An ISO country code such as FR' }).toUpperCase().default('FR'),
  notes: optionalText(5000),
  locale: z.enum(['fr', 'en']).default('fr'),
  customFields: z.record(z.string().max(40), z.unknown()).default({}),
  tagIds: z.array(z.uuid()).max(50).default([]),
  householdId: z.uuid().nullable().optional(),
};

type ContactFieldsShape = {
  kind: ContactKind;
  firstName?: string | null;
  lastName?: string | null;
  organizationName?: string | null;
  birthDate?: string | null;
  postalCode?: string | null;
  country: string;
};

function checkContactShape(value: ContactFieldsShape, ctx: z.RefinementCtx): void {
  if (value.kind === 'person' && !value.lastName && !value.firstName) {
    ctx.addIssue({ code: 'custom', path: ['lastName'], message: 'A person needs a last name or a first name' });
  }
  if (value.kind === 'organization' && !value.organizationName) {
    ctx.addIssue({ code: 'custom', path: ['organizationName'], message: 'A legal entity needs its name' });
  }
  if (value.postalCode) {
    const problem = postalCodeProblem(value.country, value.postalCode);
    if (problem) ctx.addIssue({ code: 'custom', path: ['postalCode'], message: problem });
  }
  if (value.birthDate) {
    const year = Number(value.birthDate.slice(0, 4));
    const valid = !Number.isNaN(Date.parse(`${value.birthDate}T00:00:00Z`)) && new Date(`${value.birthDate}T00:00:00Z`).toISOString().startsWith(value.birthDate);
    if (!valid || year < 1900) ctx.addIssue({ code: 'custom', path: ['birthDate'], message: 'A real birth date, 1900 or later' });
    else if (value.birthDate > new Date().toISOString().slice(0, 10)) ctx.addIssue({ code: 'custom', path: ['birthDate'], message: 'A birth date cannot be in the future' });
  }
}

export const createContactInputSchema = z
  .object({
    ...contactFields,
    /** Set after the person saw the possible duplicates and chose to create anyway. */
    confirmNotDuplicate: z.boolean().default(false),
  })
  .strict()
  .superRefine(checkContactShape);
export type CreateContactInput = z.infer<typeof createContactInputSchema>;

export const updateContactInputSchema = z.object(contactFields).strict().superRefine(checkContactShape);
export type UpdateContactInput = z.infer<typeof updateContactInputSchema>;

export interface ContactTagView {
  id: string;
  name: string;
  color: string;
}

export interface ContactHouseholdView {
  id: string;
  name: string;
  payerContactId: string | null;
  members: { id: string; displayName: string }[];
}

/** What memberships say about a contact (null when the contact never had a membership). */
export interface ContactMembershipSummary {
  status: MembershipStatus;
  planId: string | null;
  planName: string | null;
  memberSince: string | null;
  validUntil: string | null;
  lapsedSince: string | null;
}

export interface ContactView {
  id: string;
  /** Per-organization number, printed as the member reference (e.g. M000042). */
  number: number;
  reference: string;
  kind: ContactKind;
  displayName: string;
  civility: Civility | null;
  firstName: string | null;
  lastName: string | null;
  organizationName: string | null;
  siren: string | null;
  birthDate: string | null;
  email: string | null;
  phone: string | null;
  mobilePhone: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  postalCode: string | null;
  city: string | null;
  country: string;
  notes: string | null;
  locale: 'fr' | 'en';
  customFields: Record<string, CustomFieldValue>;
  tags: ContactTagView[];
  household: ContactHouseholdView | null;
  membership: ContactMembershipSummary | null;
  erasedAt: string | null;
  /** Set when this contact was merged into another one (follow it). */
  mergedIntoId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface MergeResultView {
  contact: ContactView;
  /** References moved from the merged contact, per domain (memberships, payments...). */
  moved: Record<string, number>;
}

export type DuplicateReason = 'same_email' | 'same_name_and_birth_date' | 'same_name_and_postal_code' | 'same_siren';

export interface DuplicateCandidate {
  id: string;
  reference: string;
  displayName: string;
  email: string | null;
  city: string | null;
  reasons: DuplicateReason[];
}

// ---- Lists and filters ---------------------------------------------------------------------

export const MEMBERSHIP_STATUSES = ['pending_payment', 'upcoming', 'active', 'expiring_soon', 'grace', 'lapsed', 'cancelled'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

export const CONTACT_SORTS = ['name', 'createdAt', 'city', 'reference', 'status', 'validUntil', 'memberSince'] as const;

const csvList = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter((s) => s !== '') : v), z.array(item).max(20));

/** One filter on a custom field: "key:value" (choice, text contains, yes/no, number, date). */
const customFieldFilterSchema = z
  .string()
  .max(200)
  .regex(/^[a-z][a-z0-9_]{0,39}:.+$/, { message: 'key:value' })
  .transform((v) => ({ key: v.slice(0, v.indexOf(':')), value: v.slice(v.indexOf(':') + 1) }));

/** Filters of the contact directory; also the body of a saved filter. */
export const contactFilterSchema = z
  .object({
    q: z.string().trim().max(100).optional(),
    kind: z.enum(CONTACT_KINDS).optional(),
    tagIds: csvList(z.uuid()).optional(),
    city: z.string().trim().max(100).optional(),
    postalCode: z.string().trim().max(10).optional(),
    customField: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(customFieldFilterSchema).max(10)).optional(),
    statuses: csvList(z.enum(MEMBERSHIP_STATUSES)).optional(),
    /** "none": contacts that never held a membership. */
    member: z.enum(['any', 'none']).optional(),
    planId: z.uuid().optional(),
    joinedFrom: localDateSchema.optional(),
    joinedTo: localDateSchema.optional(),
    lapsedSince: localDateSchema.optional(),
    /** GDPR retention: contacts with no activity since this date. */
    inactiveSince: localDateSchema.optional(),
    includeErased: z.preprocess((v) => v === 'true' || v === true, z.boolean()).optional(),
    /** GDPR retention: not in good standing and no activity for the organization's retention period. */
    retentionDue: z.preprocess((v) => v === 'true' || v === true, z.boolean()).optional(),
  })
  .strict();
export type ContactFilter = z.infer<typeof contactFilterSchema>;

export const listContactsQuerySchema = paginationQuerySchema
  .extend(contactFilterSchema.shape)
  .extend({ sort: sortSchema(CONTACT_SORTS).prefault('name') })
  .strict();
export type ListContactsQuery = z.infer<typeof listContactsQuerySchema>;

export interface ContactListItem {
  id: string;
  reference: string;
  kind: ContactKind;
  displayName: string;
  email: string | null;
  phone: string | null;
  city: string | null;
  postalCode: string | null;
  tags: ContactTagView[];
  status: MembershipStatus | null;
  planName: string | null;
  memberSince: string | null;
  validUntil: string | null;
  createdAt: string;
}

export const exportContactsQuerySchema = contactFilterSchema
  .extend({ sort: sortSchema(CONTACT_SORTS).prefault('name'), format: z.enum(['csv', 'xlsx']).default('csv') })
  .strict();
export type ExportContactsQuery = z.infer<typeof exportContactsQuerySchema>;

// ---- Custom fields, tags, households, saved filters -----------------------------------------

export const customFieldKeySchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, { message: 'Lower-case letters, digits and _, starting with a letter (40 at most)' });

export const customFieldDefinitionInputSchema = z
  .object({
    key: customFieldKeySchema,
    label: z.string().trim().min(1).max(100),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
    required: z.boolean().default(false),
    position: z.number().int().min(0).max(1000).default(0),
    active: z.boolean().default(true),
  })
  .strict()
  .superRefine((v, ctx) => {
    const needsOptions = v.type === 'choice' || v.type === 'multi_choice';
    if (needsOptions && v.options.length === 0) ctx.addIssue({ code: 'custom', path: ['options'], message: 'A choice needs at least one option' });
    if (!needsOptions && v.options.length > 0) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Only choices have options' });
    if (new Set(v.options).size !== v.options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Options must differ' });
  });
export type CustomFieldDefinitionInput = z.infer<typeof customFieldDefinitionInputSchema>;

export interface CustomFieldDefinitionView {
  id: string;
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  required: boolean;
  position: number;
  active: boolean;
}

export const tagInputSchema = z
  .object({
    name: z.string().trim().min(1).max(60),
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, { message: 'A colour such as #2f855a' })
      .default('#64748b'),
  })
  .strict();
export type TagInput = z.infer<typeof tagInputSchema>;

export interface TagView extends ContactTagView {
  contactCount: number;
}

export const householdInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    memberIds: z.array(z.uuid()).min(1).max(20),
    payerContactId: z.uuid().nullable().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.payerContactId && !v.memberIds.includes(v.payerContactId)) {
      ctx.addIssue({ code: 'custom', path: ['payerContactId'], message: 'The payer must be a member of the household' });
    }
  });
export type HouseholdInput = z.infer<typeof householdInputSchema>;

export const savedFilterInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    filter: contactFilterSchema,
    shared: z.boolean().default(true),
  })
  .strict();
export type SavedFilterInput = z.infer<typeof savedFilterInputSchema>;

export interface SavedFilterView {
  id: string;
  name: string;
  filter: ContactFilter;
  shared: boolean;
  mine: boolean;
}

export const mergeContactsInputSchema = z
  .object({
    /** The contact that disappears into the one in the path. */
    mergedContactId: z.uuid(),
  })
  .strict();
export type MergeContactsInput = z.infer<typeof mergeContactsInputSchema>;

export function contactReference(number: number): string {
  return `M${String(number).padStart(6, '0')}`;
}

// ---- GDPR ----------------------------------------------------------------------------------

export const CONSENT_KINDS = ['newsletter', 'image_rights'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];
export const CONSENT_SOURCES = ['admin', 'member_space', 'form', 'import', 'paper'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

export const consentInputSchema = z
  .object({
    kind: z.enum(CONSENT_KINDS),
    granted: z.boolean(),
    source: z.enum(CONSENT_SOURCES).default('admin'),
  })
  .strict();
export type ConsentInput = z.infer<typeof consentInputSchema>;

export interface ConsentView {
  kind: ConsentKind;
  granted: boolean;
  source: ConsentSource;
  recordedAt: string;
  /** The name of the user who recorded it (null: the system, or a form). */
  recordedBy: string | null;
}

export interface ContactConsentsView {
  current: Record<ConsentKind, ConsentView | null>;
  /** Newest first: consents are recorded, never edited. */
  history: ConsentView[];
}

export const eraseContactInputSchema = z
  .object({
    reason: z.string().trim().min(1).max(500),
    confirm: z.literal(true, { message: 'Confirm the erasure' }),
  })
  .strict();
export type EraseContactInput = z.infer<typeof eraseContactInputSchema>;

export const personalDataQuerySchema = z.object({ format: z.enum(['json', 'pdf']).default('json') }).strict();
export type PersonalDataQuery = z.infer<typeof personalDataQuerySchema>;
