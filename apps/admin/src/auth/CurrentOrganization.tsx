import { createContext, useContext } from 'react';
import type { MembershipView } from '@ruche/contracts';
import { roleHasPermission, type Permission, type Role } from '@ruche/core';

export interface CurrentOrganization {
  id: string;
  name: string;
  role: Role;
  can: (permission: Permission) => boolean;
}

export const CurrentOrganizationContext = createContext<CurrentOrganization | null>(null);

export function toCurrentOrganization(membership: MembershipView): CurrentOrganization {
  return {
    id: membership.organizationId,
    name: membership.organizationName,
    role: membership.role,
    can: (permission) => roleHasPermission(membership.role, permission),
  };
}

/** The organization of the current `/orgs/:orgId` page, with the user's role in it. */
export function useCurrentOrganization(): CurrentOrganization {
  const organization = useContext(CurrentOrganizationContext);
  if (!organization) throw new Error('useCurrentOrganization outside an organization page');
  return organization;
}
