import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import type { FiscalYearStatus } from '@ruche/contracts';
import { OrganizationEntity } from '@ruche/organizations';

/**
 * A fiscal year (exercice). `last_entry_number` hands out the gapless EcritureNum of its posted
 * entries; a closed year accepts no posting (a trigger checks it).
 */
@Entity({ name: 'fiscal_years' })
@Unique('uq_fiscal_years_org_id', ['organizationId', 'id'])
@Unique('uq_fiscal_years_org_start', ['organizationId', 'startDate'])
@Check('ck_fiscal_years_dates', '"end_date" > "start_date"')
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
