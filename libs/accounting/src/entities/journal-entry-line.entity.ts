import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AccountEntity } from './account.entity';
import { JournalEntryEntity } from './journal-entry.entity';

/** A line of an entry: one account, a debit or a credit in cents (never both, never negative). */
@Entity({ name: 'journal_entry_lines' })
@Index('ix_journal_entry_lines_account', ['organizationId', 'accountId'])
@Check('ck_journal_entry_lines_one_side', '("debit_cents" > 0 AND "credit_cents" = 0) OR ("debit_cents" = 0 AND "credit_cents" > 0)')
export class JournalEntryLineEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_journal_entry_lines' })
  entryId!: string;

  @PrimaryColumn('smallint', { primaryKeyConstraintName: 'pk_journal_entry_lines' })
  lineNo!: number;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  accountId!: string;

  @Column('bigint')
  debitCents!: string;

  @Column('bigint')
  creditCents!: string;

  @Column('varchar', { length: 200, nullable: true })
  label!: string | null;

  @Column('varchar', { length: 50, nullable: true })
  analytic!: string | null;

  @Column('varchar', { length: 50, nullable: true })
  counterpartyRef!: string | null;

  @Column('varchar', { length: 200, nullable: true })
  counterpartyLabel!: string | null;

  @ManyToOne(() => JournalEntryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_journal_entry_lines_entry' },
    { name: 'entry_id', referencedColumnName: 'id' },
  ])
  entry?: JournalEntryEntity;

  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_journal_entry_lines_account' },
    { name: 'account_id', referencedColumnName: 'id' },
  ])
  account?: AccountEntity;
}
