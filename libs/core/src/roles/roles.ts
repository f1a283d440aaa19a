export const ROLES = ['owner', 'admin', 'treasurer', 'coordinator', 'member'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Every action a user may take, and the roles allowed to take it: the one place where rights are
 * written. Endpoints declare the permission they need; tests walk this table.
 */
export const PERMISSIONS = {
  'organization.read': ['owner', 'admin', 'treasurer', 'coordinator', 'member'],
  'organization.update': ['owner', 'admin'],
  'users.read': ['owner', 'admin', 'treasurer', 'coordinator'],
  'users.invite': ['owner', 'admin'],
  'users.change-role': ['owner', 'admin'],
  'users.remove': ['owner', 'admin'],
  'audit.read': ['owner', 'admin', 'treasurer'],
  'emails.read': ['owner', 'admin', 'treasurer', 'coordinator'],
  'emails.resend': ['owner', 'admin', 'treasurer'],
  'jobs.read': ['owner', 'admin'],
  'jobs.retry': ['owner', 'admin'],
  'dashboard.read': ['owner', 'admin', 'treasurer', 'coordinator'],
  'events.subscribe': ['owner', 'admin', 'treasurer', 'coordinator'],
  'accounting.read': ['owner', 'admin', 'treasurer'],
  'accounting.write': ['owner', 'admin', 'treasurer'],
  'accounting.configure': ['owner', 'admin', 'treasurer'],
  'accounting.close': ['owner', 'admin', 'treasurer'],
  'accounting.reopen': ['owner'],
  'webhooks.manage': ['owner', 'admin'],
  'contacts.read': ['owner', 'admin', 'treasurer', 'coordinator'],
  'contacts.write': ['owner', 'admin', 'treasurer', 'coordinator'],
  'contacts.configure': ['owner', 'admin', 'coordinator'],
  'contacts.export': ['owner', 'admin', 'coordinator'],
  'contacts.merge': ['owner', 'admin', 'coordinator'],
  'contacts.gdpr': ['owner', 'admin'],
  'memberships.read': ['owner', 'admin', 'treasurer', 'coordinator'],
  'memberships.write': ['owner', 'admin', 'treasurer', 'coordinator'],
  'memberships.collect': ['owner', 'admin', 'treasurer'],
  'memberships.configure': ['owner', 'admin', 'treasurer'],
  'payments.read': ['owner', 'admin', 'treasurer'],
  'payments.configure': ['owner', 'admin', 'treasurer'],
  'payments.refund': ['owner', 'admin', 'treasurer'],
  'payments.collect': ['owner', 'admin', 'treasurer'],
  'donations.read': ['owner', 'admin', 'treasurer'],
  'donations.record': ['owner', 'admin', 'treasurer'],
  'donations.configure': ['owner', 'admin', 'treasurer'],
  'receipts.read': ['owner', 'admin', 'treasurer'],
  'receipts.issue': ['owner', 'admin', 'treasurer'],
  'receipts.cancel': ['owner', 'admin', 'treasurer'],
  'receipts.configure': ['owner', 'admin', 'treasurer'],
  'reconciliation.read': ['owner', 'admin', 'treasurer'],
  'reconciliation.import': ['owner', 'admin', 'treasurer'],
  'reconciliation.match': ['owner', 'admin', 'treasurer'],
  'reconciliation.configure': ['owner', 'admin', 'treasurer'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Only an owner can make or unmake an owner; an admin manages every other role. */
export function canAssignRole(actor: Role, from: Role | null, to: Role): boolean {
  if (actor === 'owner') return true;
  if (actor === 'admin') return to !== 'owner' && from !== 'owner';
  return false;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
