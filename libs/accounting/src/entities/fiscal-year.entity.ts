import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import type { FiscalYearStatus } from '@ruche/contracts';
import { OrganizationEntity } from '@ruche/organizations';

/**
 * A fiscal year (exercice). `last_entry_number` hands out the gapless EcritureNum of its posted
 * entries; a closed year accepts no posting (a trigger checks it). A year opened right after
 * another one keeps number 1 for its opening entry (`opening_entry_number`, set by a trigger):
 * ordinary postings start at 2.
 */
@Entity({ name: 'fiscal_years' })
@Unique('uq_fiscal_years_org_id', ['organizationId', 'id'])
@Unique('uq_fiscal_years_org_start', ['organizationId', 'startDate'])
@Check('ck_fiscal_years_dates', '"end_date" > "start_date"')
@Check('ck_fiscal_years_opening_entry_number', '"opening_entry_number" IS NULL OR ("opening_entry_number" = 1 AND "last_entry_number" >= 1)')
@Check('ck_fiscal_years_status', `"status" IN ('open', 'closed')`)
export class FiscalYearEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_fiscal_years' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('date')
  startDate!: string;

  @Column('date')
  endDate!: string;

  @Column('varchar', { length: 10, default: 'open' })
  status!: FiscalYearStatus;

  @Column('integer', { default: 0 })
  lastEntryNumber!: number;

  /** The number kept for the opening entry (1), or null when the year reserves none. */
  @Column('integer', { nullable: true })
  openingEntryNumber!: number | null;

  @Column('timestamptz', { nullable: true })
  closedAt!: Date | null;

  @Column('uuid', { nullable: true })
  closedBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_fiscal_years_organization' })
  organization?: OrganizationEntity;
}
