import { contactsApi } from '../../api/contacts';
import { membershipsApi } from '../../api/memberships';
import { useResource } from '../../api/useResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';

export function useTags() {
  const organization = useCurrentOrganization();
  return useResource(`contacts:tags:${organization.id}`, (signal) =>
    contactsApi.tags(organization.id, signal),
  );
}

export function useCustomFields() {
  const organization = useCurrentOrganization();
  return useResource(`contacts:custom-fields:${organization.id}`, (signal) =>
    contactsApi.customFields(organization.id, signal),
  );
}

/** The membership plans; an empty list for roles that cannot read memberships. */
export function usePlans() {
  const organization = useCurrentOrganization();
  const allowed = organization.can('memberships.read');
  return useResource(`memberships:plans:${organization.id}:${allowed}`, (signal) =>
    allowed ? membershipsApi.plans(organization.id, signal) : Promise.resolve([]),
  );
}
