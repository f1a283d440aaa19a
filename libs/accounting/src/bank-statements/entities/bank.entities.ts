import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  Unique,
} from 'typeorm';
import type { BankLineStatus, StatementFormat } from '@ruche/contracts';

/** A bank account of the organization: its IBAN (checked) and the 512x ledger account it mirrors. */
@Entity({ name: 'bank_accounts' })
@Unique('uq_bank_accounts_org_id', ['organizationId', 'id'])
@Unique('uq_bank_accounts_iban', ['organizationId', 'iban'])
@Index('uq_bank_accounts_transfers', ['organizationId'], {
  unique: true,
  where: '"accept_transfers"',
})
export class BankAccountEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_bank_accounts' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('varchar', { length: 120 })
  name!: string;

  @Column('varchar', { length: 34 })
  iban!: string;

  @Column('varchar', { length: 11, nullable: true })
  bic!: string | null;

  @Column('varchar', { length: 20 })
  accountNumber!: string;

  @Column('char', { length: 3 })
  currency!: string;

  @Column('boolean', { default: true })
  active!: boolean;

  /** The account shown to members and donors who pay by transfer (one per organization). */
  @Column('boolean', { default: false })
  acceptTransfers!: boolean;

  /** How this bank's CSV exports read (columns, separator, encoding...), saved once by the treasurer. */
  @Column('jsonb', { nullable: true })
  csvMapping!: Record<string, unknown> | null;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  updatedAt!: Date;
}

/** One imported statement (a file may hold several): its balances and what the import found. */
@Entity({ name: 'bank_statements' })
@Unique('uq_bank_statements_org_id', ['organizationId', 'id'])
@Index('ix_bank_statements_account', ['organizationId', 'bankAccountId', 'importedAt'])
export class BankStatementEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_bank_statements' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  bankAccountId!: string;

  @ManyToOne(() => BankAccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_bank_statements_account',
    },
    { name: 'bank_account_id', referencedColumnName: 'id' },
  ])
  bankAccount?: BankAccountEntity;

  @Column('varchar', { length: 20 })
  format!: StatementFormat;

  @Column('varchar', { length: 255 })
  fileName!: string;

  @Column('char', { length: 64 })
  fileSha256!: string;

  @Column('varchar', { length: 100, nullable: true })
  statementRef!: string | null;

  @Column('bigint', { nullable: true })
  openingBalanceCents!: string | null;

  @Column('date', { nullable: true })
  openingDate!: string | null;

  @Column('bigint', { nullable: true })
  closingBalanceCents!: string | null;

  @Column('date', { nullable: true })
  closingDate!: string | null;

  @Column('int')
  lineCount!: number;

  @Column('int')
  newLineCount!: number;

  @Column('jsonb')
  problems!: string[];

  @Column('uuid', { nullable: true })
  importedBy!: string | null;

  @Column('timestamptz')
  importedAt!: Date;
}

/**
 * A line of a bank statement, stored once per (account, line identity): the bank's reference
 * when given, otherwise a hash of its content and rank. It waits in the reconciliation queue.
 */
@Entity({ name: 'bank_statement_lines' })
@Unique('uq_bank_statement_lines_org_id', ['organizationId', 'id'])
@Unique('uq_bank_statement_lines_key', ['organizationId', 'bankAccountId', 'lineKey'])
@Index('ix_bank_statement_lines_queue', [
  'organizationId',
  'bankAccountId',
  'status',
  'bookingDate',
])
@Check('ck_bank_statement_lines_status', `"status" IN ('unmatched', 'matched', 'ignored')`)
export class BankStatementLineEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_bank_statement_lines' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  bankAccountId!: string;

  @ManyToOne(() => BankAccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_bank_statement_lines_account',
    },
    { name: 'bank_account_id', referencedColumnName: 'id' },
  ])
  bankAccount?: BankAccountEntity;

  @Column('uuid')
  statementId!: string;

  @ManyToOne(() => BankStatementEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_bank_statement_lines_statement',
    },
    { name: 'statement_id', referencedColumnName: 'id' },
  ])
  statement?: BankStatementEntity;

  @Column('varchar', { length: 200 })
  lineKey!: string;

  @Column('date')
  bookingDate!: string;

  @Column('date', { nullable: true })
  valueDate!: string | null;

  @Column('bigint')
  amountCents!: string;

  @Column('char', { length: 3 })
  currency!: string;

  @Column('varchar', { length: 500 })
  label!: string;

  @Column('varchar', { length: 120, nullable: true })
  bankReference!: string | null;

  @Column('varchar', { length: 120, nullable: true })
  endToEndId!: string | null;

  @Column('varchar', { length: 120, nullable: true })
  structuredReference!: string | null;

  @Column('varchar', { length: 200, nullable: true })
  counterpartyName!: string | null;

  @Column('varchar', { length: 34, nullable: true })
  counterpartyIban!: string | null;

  @Column('varchar', { length: 40, nullable: true })
  bankTransactionCode!: string | null;

  @Column('varchar', { length: 10, default: 'unmatched' })
  status!: BankLineStatus;

  @Column('timestamptz')
  createdAt!: Date;
}

export const BANK_ENTITIES = [BankAccountEntity, BankStatementEntity, BankStatementLineEntity];
