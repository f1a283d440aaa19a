import type { Role } from '../roles/roles';

/**
 * Who acts, for which organization. First parameter of every service method: no service reads or
 * writes tenant data without one, and every query filters on `organizationId`.
 */
export interface OrgContext {
  readonly organizationId: string;
  readonly userId: string | null;
  readonly role: Role | 'system';
  readonly requestId?: string;
  readonly ip?: string;
}

export function systemContext(organizationId: string, requestId?: string): OrgContext {
  return { organizationId, userId: null, role: 'system', requestId };
}
