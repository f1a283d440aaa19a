import { AccountBalanceEntity } from './account-balance.entity';
import { AccountDailyBalanceEntity } from './account-daily-balance.entity';
import { EntryAttachmentEntity } from './entry-attachment.entity';
import { AccountEntity } from './account.entity';
import { AccountingSettingsEntity } from './accounting-settings.entity';
import { FiscalYearEntity } from './fiscal-year.entity';
import { JournalEntryLineEntity } from './journal-entry-line.entity';
import { JournalEntryEntity } from './journal-entry.entity';
import { JournalEntity } from './journal.entity';
import { PostingAccountEntity } from './posting-account.entity';

export {
  AccountBalanceEntity,
  AccountDailyBalanceEntity,
  EntryAttachmentEntity,
  AccountEntity,
  AccountingSettingsEntity,
  FiscalYearEntity,
  JournalEntryLineEntity,
  JournalEntryEntity,
  JournalEntity,
  PostingAccountEntity,
};

import { BANK_ENTITIES } from '../bank-statements/entities/bank.entities';
import { RECONCILIATION_ENTITIES } from '../reconciliation/entities/reconciliation.entities';

export const ACCOUNTING_ENTITIES = [
  AccountingSettingsEntity,
  AccountEntity,
  JournalEntity,
  FiscalYearEntity,
  PostingAccountEntity,
  JournalEntryEntity,
  JournalEntryLineEntity,
  AccountBalanceEntity,
  AccountDailyBalanceEntity,
  EntryAttachmentEntity,
  ...BANK_ENTITIES,
  ...RECONCILIATION_ENTITIES,
];
