import type { Permission } from '@ruche/core';

/** Modules of the sidebar that are not built yet (shown disabled, with a "soon" badge). */
export const UPCOMING_MODULES = [
  'members',
  'memberships',
  'payments',
  'donations',
  'accounting',
  'reconciliation',
] as const;

interface SettingsSection {
  path: string;
  labelKey: string;
  permission: Permission;
}

/** Sub-pages of Paramètres, in order; each is visible to the roles holding its permission. */
export const SETTINGS_SECTIONS: readonly SettingsSection[] = [
  { path: 'identity', labelKey: 'settings.tabs.identity', permission: 'organization.read' },
  { path: 'users', labelKey: 'settings.tabs.users', permission: 'users.read' },
  { path: 'emails', labelKey: 'settings.tabs.emails', permission: 'emails.read' },
  { path: 'jobs', labelKey: 'settings.tabs.jobs', permission: 'jobs.read' },
  { path: 'audit', labelKey: 'settings.tabs.audit', permission: 'audit.read' },
];
