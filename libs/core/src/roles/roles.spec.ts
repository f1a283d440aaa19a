import { PERMISSIONS, ROLES, canAssignRole, roleHasPermission } from './roles';

describe('roles and permissions', () => {
  it('gives the owner every permission', () => {
    for (const permission of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) {
      expect(roleHasPermission('owner', permission)).toBe(true);
    }
  });

  it('keeps members out of staff pages and coordinators out of settings changes', () => {
    expect(roleHasPermission('member', 'users.read')).toBe(false);
    expect(roleHasPermission('member', 'organization.read')).toBe(true);
    expect(roleHasPermission('coordinator', 'organization.update')).toBe(false);
    expect(roleHasPermission('treasurer', 'audit.read')).toBe(true);
  });

  it('lets only an owner make or unmake an owner', () => {
    expect(canAssignRole('owner', 'member', 'owner')).toBe(true);
    expect(canAssignRole('admin', 'member', 'owner')).toBe(false);
    expect(canAssignRole('admin', 'owner', 'member')).toBe(false);
    expect(canAssignRole('admin', 'member', 'treasurer')).toBe(true);
    for (const role of ROLES.filter((r) => r !== 'owner' && r !== 'admin')) {
      expect(canAssignRole(role, 'member', 'member')).toBe(false);
    }
  });
});
