import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganizationEntity } from '@ruche/organizations';

/** One row per organization once its chart, journals and posting accounts are seeded. */
@Entity({ name: 'accounting_settings' })
export class AccountingSettingsEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_accounting_settings' })
  organizationId!: string;

  @Column('varchar', { length: 30 })
  chartTemplate!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_accounting_settings_organization' })
  organization?: OrganizationEntity;
}
