import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AccountEntity } from './account.entity';
import { FiscalYearEntity } from './fiscal-year.entity';

/**
 * Posted debits and credits per account and month, kept up to date by the posting trigger in the
 * same transaction: the trial balance and the statements read these, not every line.
 */
@Entity({ name: 'account_balances' })
export class AccountBalanceEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_account_balances' })
  organizationId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_account_balances' })
  fiscalYearId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_account_balances' })
  accountId!: string;

  /** First day of the month. */
  @PrimaryColumn('date', { primaryKeyConstraintName: 'pk_account_balances' })
  periodMonth!: string;

  @Column('bigint', { default: 0 })
  debitCents!: string;

  @Column('bigint', { default: 0 })
  creditCents!: string;

  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_account_balances_account' },
    { name: 'account_id', referencedColumnName: 'id' },
  ])
  account?: AccountEntity;

  @ManyToOne(() => FiscalYearEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_account_balances_fiscal_year' },
    { name: 'fiscal_year_id', referencedColumnName: 'id' },
  ])
  fiscalYear?: FiscalYearEntity;
}
