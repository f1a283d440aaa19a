import type { DataSourceOptions } from 'typeorm';
import { PLATFORM_ENTITIES, buildDataSourceOptions } from '@ruche/platform';
import { ORGANIZATIONS_ENTITIES } from '@ruche/organizations';
import { ACCOUNTING_ENTITIES } from '@ruche/accounting';
import { CONTACTS_ENTITIES } from '@ruche/contacts';
import { MEMBERSHIPS_ENTITIES } from '@ruche/memberships';
import { PAYMENTS_ENTITIES } from '@ruche/payments';
import { RECEIPTS_ENTITIES } from '@ruche/receipts';
import { DONATIONS_ENTITIES } from '@ruche/donations';
import { Foundation1732000000000 } from './1732000000000-foundation';
import { Accounting1732100000000 } from './1732100000000-accounting';
import { EntryAttachments1732200000000 } from './1732200000000-entry-attachments';
import { Webhooks1732300000000 } from './1732300000000-webhooks';
import { ContactsMemberships1732400000000 } from './1732400000000-contacts-memberships';
import { ContactImports1732500000000 } from './1732500000000-contact-imports';
import { ContactConsents1732600000000 } from './1732600000000-contact-consents';
import { MemberSpace1732700000000 } from './1732700000000-member-space';
import { Payments1732800000000 } from './1732800000000-payments';
import { StripeCatchUp1732900000000 } from './1732900000000-stripe-catch-up';
import { DonationsReceipts1733000000000 } from './1733000000000-donations-receipts';
import { BankStatements1733100000000 } from './1733100000000-bank-statements';
import { Reconciliation1733200000000 } from './1733200000000-reconciliation';
import { TransferPayments1733300000000 } from './1733300000000-transfer-payments';
import { TruncateGuards1733500000000 } from './1733500000000-truncate-guards';
import { Invoices1733600000000 } from './1733600000000-invoices';
import { ReconciliationRejections1733710000000 } from './1733710000000-reconciliation-rejections';
import { OpeningEntryNumber1733720000000 } from './1733720000000-opening-entry-number';
import { DailyBalances1733730000000 } from './1733730000000-daily-balances';
import { DisputeCreditNotes1733740000000 } from './1733740000000-dispute-credit-notes';

/** Every entity of every domain: the one list the data source, the apps and the schema check use. */
export const ALL_ENTITIES = [
  ...PLATFORM_ENTITIES,
  ...ORGANIZATIONS_ENTITIES,
  ...ACCOUNTING_ENTITIES,
  ...CONTACTS_ENTITIES,
  ...PAYMENTS_ENTITIES,
  ...MEMBERSHIPS_ENTITIES,
  ...RECEIPTS_ENTITIES,
  ...DONATIONS_ENTITIES,
];

/** In order. Generated with `npm run cli -- migration-diff`, then read and edited by hand. */
export const MIGRATIONS = [
  Foundation1732000000000,
  Accounting1732100000000,
  EntryAttachments1732200000000,
  Webhooks1732300000000,
  ContactsMemberships1732400000000,
  ContactImports1732500000000,
  ContactConsents1732600000000,
  MemberSpace1732700000000,
  Payments1732800000000,
  StripeCatchUp1732900000000,
  DonationsReceipts1733000000000,
  BankStatements1733100000000,
  Reconciliation1733200000000,
  TransferPayments1733300000000,
  TruncateGuards1733500000000,
  Invoices1733600000000,
  ReconciliationRejections1733710000000,
  OpeningEntryNumber1733720000000,
  DailyBalances1733730000000,
  DisputeCreditNotes1733740000000,
];

export function dataSourceOptions(
  url: string,
  poolSize = 10,
  applicationName = 'ruche',
): DataSourceOptions {
  return buildDataSourceOptions({
    url,
    entities: ALL_ENTITIES,
    migrations: MIGRATIONS,
    poolSize,
    applicationName,
  });
}
