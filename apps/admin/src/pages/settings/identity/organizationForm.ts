import type {
  OrganizationView,
  UpdateOrganizationInput,
  updateOrganizationInputSchema,
} from '@ruche/contracts';
import type { z } from 'zod';

export type OrganizationForm = z.input<typeof updateOrganizationInputSchema>;

export const ORGANIZATION_FIELDS = [
  'name',
  'legalName',
  'addressLine1',
  'addressLine2',
  'postalCode',
  'city',
  'country',
  'siren',
  'rna',
  'object',
  'organismType',
  'organismTypeOther',
  'email',
  'website',
  'timeZone',
  'currency',
  'fiscalYearStartMonth',
  'locale',
] as const satisfies readonly (keyof UpdateOrganizationInput)[];

export const COMMON_TIME_ZONES = [
  'Europe/Paris',
  'Europe/Brussels',
  'Europe/Luxembourg',
  'Europe/Monaco',
  'Europe/Zurich',
  'Europe/London',
  'America/Guadeloupe',
  'America/Martinique',
  'America/Cayenne',
  'America/Miquelon',
  'Indian/Reunion',
  'Indian/Mayotte',
  'Pacific/Noumea',
  'Pacific/Tahiti',
  'Pacific/Wallis',
  'America/Toronto',
  'Africa/Dakar',
  'Africa/Abidjan',
  'UTC',
];

/** The form's starting values: empty strings for the missing texts. */
export function toFormValues(organization: OrganizationView): OrganizationForm {
  return {
    name: organization.name,
    legalName: organization.legalName ?? '',
    addressLine1: organization.addressLine1 ?? '',
    addressLine2: organization.addressLine2 ?? '',
    postalCode: organization.postalCode ?? '',
    city: organization.city ?? '',
    country: organization.country,
    siren: organization.siren ?? '',
    rna: organization.rna ?? '',
    object: organization.object ?? '',
    organismType: organization.organismType ?? undefined,
    organismTypeOther: organization.organismTypeOther ?? '',
    email: organization.email ?? '',
    website: organization.website ?? '',
    timeZone: organization.timeZone || 'Europe/Paris',
    currency: organization.currency,
    fiscalYearStartMonth: organization.fiscalYearStartMonth,
    locale: organization.locale,
  };
}
