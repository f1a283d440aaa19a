import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AccountEntity } from './account.entity';
import { FiscalYearEntity } from './fiscal-year.entity';

/**
 * Posted debits and credits per account and day, kept up to date by the posting trigger in the
 * same transaction as the monthly balances: a report period that cuts a month reads its cut days
 * here instead of the lines. Day before account in the key, so the days of a period are one range.
 */
@Entity({ name: 'account_daily_balances' })
export class AccountDailyBalanceEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_account_daily_balances' })
  organizationId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_account_daily_balances' })
  fiscalYearId!: string;

  @PrimaryColumn('date', { primaryKeyConstraintName: 'pk_account_daily_balances' })
  day!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_account_daily_balances' })
  accountId!: string;

  @Column('bigint', { default: 0 })
  debitCents!: string;

  @Column('bigint', { default: 0 })
  creditCents!: string;

  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_account_daily_balances_account',
    },
    { name: 'account_id', referencedColumnName: 'id' },
  ])
  account?: AccountEntity;

  @ManyToOne(() => FiscalYearEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_account_daily_balances_fiscal_year',
    },
    { name: 'fiscal_year_id', referencedColumnName: 'id' },
  ])
  fiscalYear?: FiscalYearEntity;
}
