import { z } from 'zod';
import { isValidTimeZone, ROLES } from '@ruche/core';
import { blankAsNull, emailSchema, optionalText } from './common';
import isLuhnNumber from 'validator/lib/isLuhnNumber';

/**
 * Organism types of cerfa 11580*05, box "Bénéficiaire des versements" (see shared/domain/receipts.md).
 * Kept as data: receipts tick the matching box.
 */
export const ORGANISM_TYPES = [
  'rup',
  'alsace_moselle_mission',
  'university_foundation',
  'corporate_foundation',
  'general_interest',
  'musee_de_france',
  'higher_education',
  'business_creation',
  'worship_alsace_moselle',
  'festival',
  'aid_to_people_in_difficulty',
  'fondation_du_patrimoine',
  'research',
  'insertion_enterprise',
  'intermediate_association',
  'insertion_workshop',
  'adapted_enterprise',
  'anr',
  'approved_research',
  'endowment_fund',
  'eu_eea_organism',
  'other',
] as const;
export const organismTypeSchema = z.enum(ORGANISM_TYPES);
export type OrganismType = z.infer<typeof organismTypeSchema>;

export const sirenSchema = z
  .string()
  .transform((v) => v.replace(/\s/g, ''))
  .pipe(
    z
      .string()
      .regex(/^\d{9}$/, { message: 'A SIREN has 9 digits' })
      .refine((v) => isLuhnNumber(v), { message: 'Invalid SIREN (check digit)' }),
  );

export const rnaSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^W\d{9}$/, { message: 'An RNA number is W followed by 9 digits' });

export const timeZoneSchema = z
  .string()
  .max(64)
  .refine(isValidTimeZone, { message: 'Unknown IANA time zone' });

export const updateOrganizationInputSchema = z
  .object({
    name: z.string().trim().min(2).max(200),
    legalName: optionalText(200),
    addressLine1: optionalText(200),
    addressLine2: optionalText(200),
    postalCode: optionalText(20),
    city: optionalText(100),
    country: z.string().length(2).toUpperCase().default('FR'),
    siren: blankAsNull(sirenSchema),
    rna: blankAsNull(rnaSchema),
    object: optionalText(2000),
    organismType: organismTypeSchema.nullable().optional(),
    organismTypeOther: optionalText(200),
    email: blankAsNull(emailSchema),
    website: optionalText(200),
    timeZone: timeZoneSchema,
    currency: z.string().regex(/^[A-Z]{3}$/, { message: 'ISO 4217 code such as EUR' }),
    fiscalYearStartMonth: z.number().int().min(1).max(12),
    locale: z.enum(['fr', 'en']),
  })
  .strict();
export type UpdateOrganizationInput = z.infer<typeof updateOrganizationInputSchema>;

export interface OrganizationView {
  id: string;
  name: string;
  legalName: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  postalCode: string | null;
  city: string | null;
  country: string;
  siren: string | null;
  rna: string | null;
  object: string | null;
  organismType: OrganismType | null;
  organismTypeOther: string | null;
  email: string | null;
  website: string | null;
  timeZone: string;
  currency: string;
  fiscalYearStartMonth: number;
  locale: 'fr' | 'en';
  createdAt: string;
}

export const inviteUserInputSchema = z
  .object({ email: emailSchema, role: z.enum(ROLES) })
  .strict();
export type InviteUserInput = z.infer<typeof inviteUserInputSchema>;

export const changeRoleInputSchema = z.object({ role: z.enum(ROLES) }).strict();
export type ChangeRoleInput = z.infer<typeof changeRoleInputSchema>;

export interface OrganizationUserView {
  userId: string;
  email: string;
  name: string;
  role: (typeof ROLES)[number];
  joinedAt: string;
}

export interface InvitationView {
  id: string;
  email: string;
  role: (typeof ROLES)[number];
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  expiresAt: string;
  createdAt: string;
}

export interface AuditLogView {
  id: string;
  action: string;
  entityType: string;
  entityId: string | null;
  actorUserId: string | null;
  actorName: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  createdAt: string;
}

export interface OutboundEmailView {
  id: string;
  toAddress: string;
  subject: string;
  template: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  createdAt: string;
}

export interface FailedJobView {
  id: string;
  name: string;
  queue: string;
  attemptsMade: number;
  failedReason: string;
  data: unknown;
  finishedAt: string | null;
}

export interface DashboardView {
  organization: { id: string; name: string };
  users: number;
  pendingInvitations: number;
  emails: { pending: number; sent: number; failed: number };
  failedJobs: number;
  recentActivity: AuditLogView[];
}

export interface LiveEvent {
  type: string;
  organizationId: string;
  at: string;
  data: Record<string, unknown>;
}
