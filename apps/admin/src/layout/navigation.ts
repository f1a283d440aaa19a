import type { Permission } from '@ruche/core';

/** Modules of the sidebar that are not built yet (shown disabled, with a "soon" badge). */
export const UPCOMING_MODULES: readonly string[] = [];

/** Modules of the sidebar, in order: a built one has a path and a permission, others are upcoming. */
export const MODULES: readonly {
  key: string;
  path?: string;
  permission?: Permission;
  testId?: string;
}[] = [
  { key: 'members', path: 'contacts', permission: 'contacts.read', testId: 'nav-members' },
  {
    key: 'memberships',
    path: 'memberships',
    permission: 'memberships.read',
    testId: 'nav-memberships',
  },
  { key: 'payments', path: 'payments', permission: 'payments.read', testId: 'nav-payments' },
  { key: 'invoices', path: 'invoices', permission: 'payments.read', testId: 'nav-invoices' },
  { key: 'donations', path: 'donations', permission: 'donations.read', testId: 'nav-donations' },
  { key: 'receipts', path: 'receipts', permission: 'receipts.read', testId: 'nav-receipts' },
  {
    key: 'accounting',
    path: 'accounting',
    permission: 'accounting.read',
    testId: 'nav-accounting',
  },
  {
    key: 'reconciliation',
    path: 'reconciliation',
    permission: 'reconciliation.read',
    testId: 'nav-reconciliation',
  },
];

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
  { path: 'webhooks', labelKey: 'settings.tabs.webhooks', permission: 'webhooks.manage' },
  { path: 'stripe', labelKey: 'settings.tabs.stripe', permission: 'payments.configure' },
  { path: 'receipts', labelKey: 'settings.tabs.receipts', permission: 'receipts.read' },
  { path: 'invoices', labelKey: 'settings.tabs.invoices', permission: 'payments.read' },
];

/** Tabs of Comptabilité, in order (Écritures first, the default). */
export const ACCOUNTING_SECTIONS: readonly SettingsSection[] = [
  { path: 'entries', labelKey: 'accounting.tabs.entries', permission: 'accounting.read' },
  { path: 'accounts', labelKey: 'accounting.tabs.accounts', permission: 'accounting.read' },
  { path: 'journals', labelKey: 'accounting.tabs.journals', permission: 'accounting.read' },
  { path: 'fiscal-years', labelKey: 'accounting.tabs.fiscalYears', permission: 'accounting.read' },
  {
    path: 'posting-accounts',
    labelKey: 'accounting.tabs.postingAccounts',
    permission: 'accounting.read',
  },
  { path: 'reports', labelKey: 'accounting.tabs.reports', permission: 'accounting.read' },
];

/** Who may download the directory as CSV / Excel (owner, admin, coordinator). */
export const CONTACTS_EXPORT_PERMISSION: Permission = 'contacts.export';

/** Tabs of Membres: the directory (default, with the contact pages), the import, the configuration. */
export const MEMBERS_SECTIONS: readonly SettingsSection[] = [
  { path: '', labelKey: 'contacts.tabs.directory', permission: 'contacts.read' },
  { path: 'import', labelKey: 'contacts.tabs.import', permission: 'contacts.write' },
  {
    path: 'configuration',
    labelKey: 'contacts.tabs.configuration',
    permission: 'contacts.configure',
  },
];

/** Tabs of Adhésions, in order (the coordinators' dashboard first, the default). */
export const MEMBERSHIP_SECTIONS: readonly SettingsSection[] = [
  { path: 'dashboard', labelKey: 'memberships.tabs.dashboard', permission: 'memberships.read' },
  { path: 'check', labelKey: 'memberships.tabs.check', permission: 'memberships.read' },
  { path: 'plans', labelKey: 'memberships.tabs.plans', permission: 'memberships.read' },
  {
    path: 'settings',
    labelKey: 'memberships.tabs.settings',
    permission: 'memberships.configure',
  },
];

/**
 * Tabs of Paiements: the payments (default, with each payment's page), Stripe's payouts, then the
 * cheque deposit slips.
 */
export const PAYMENTS_SECTIONS: readonly SettingsSection[] = [
  { path: '', labelKey: 'payments.tabs.payments', permission: 'payments.read' },
  { path: 'payouts', labelKey: 'payments.tabs.payouts', permission: 'payments.read' },
  { path: 'deposits', labelKey: 'payments.tabs.deposits', permission: 'payments.read' },
];

/** Who records money received at the desk and makes cheque deposit slips (owner, admin, treasurer). */
export const PAYMENTS_COLLECT_PERMISSION: Permission = 'payments.collect';

/**
 * Tabs of Dons: the gifts (default, with each gift's page and the desk form), the campaigns, the
 * donors' yearly totals, then the settings of the public donation page.
 */
export const DONATIONS_SECTIONS: readonly SettingsSection[] = [
  { path: '', labelKey: 'donations.tabs.donations', permission: 'donations.read' },
  { path: 'campaigns', labelKey: 'donations.tabs.campaigns', permission: 'donations.read' },
  { path: 'donors', labelKey: 'donations.tabs.donors', permission: 'donations.read' },
  { path: 'settings', labelKey: 'donations.tabs.settings', permission: 'donations.configure' },
];

/** Who records gifts received at the desk (owner, admin, treasurer). */
export const DONATIONS_RECORD_PERMISSION: Permission = 'donations.record';

/**
 * Tabs of Reçus fiscaux: the register (default, with each receipt's page), the gifts waiting for
 * a receipt, the year-end annual receipts, then the yearly declaration (art. 222 bis CGI).
 */
export const RECEIPTS_SECTIONS: readonly SettingsSection[] = [
  { path: '', labelKey: 'receipts.tabs.register', permission: 'receipts.read' },
  { path: 'waiting', labelKey: 'receipts.tabs.waiting', permission: 'receipts.read' },
  { path: 'annual', labelKey: 'receipts.tabs.annual', permission: 'receipts.read' },
  { path: 'declaration', labelKey: 'receipts.tabs.declaration', permission: 'receipts.read' },
];

/**
 * Tabs of Rapprochement: the bank accounts (default, with each account's page: the reconciliation
 * workspace, the balance check, the matches, statement import and statements), then the matching
 * rules and settings.
 */
export const RECONCILIATION_SECTIONS: readonly SettingsSection[] = [
  { path: '', labelKey: 'reconciliation.tabs.accounts', permission: 'reconciliation.read' },
  { path: 'rules', labelKey: 'reconciliation.tabs.rules', permission: 'reconciliation.read' },
];

/** Who matches lines, posts them, ignores them, undoes matches and starts automatic passes. */
export const RECONCILIATION_MATCH_PERMISSION: Permission = 'reconciliation.match';

/** Who imports bank statements (owner, admin, treasurer). */
export const RECONCILIATION_IMPORT_PERMISSION: Permission = 'reconciliation.import';

/** Who creates and edits bank accounts, rules, settings and CSV formats (owner, admin, treasurer). */
export const RECONCILIATION_CONFIGURE_PERMISSION: Permission = 'reconciliation.configure';
