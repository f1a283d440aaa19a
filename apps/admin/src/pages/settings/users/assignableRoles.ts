import { canAssignRole, ROLES, type Role } from '@ruche/core';

/** The roles `actor` may give to someone who has `from` (null: a new invitee). */
export function assignableRoles(actor: Role, from: Role | null): Role[] {
  return ROLES.filter((role) => role === from || canAssignRole(actor, from, role));
}
