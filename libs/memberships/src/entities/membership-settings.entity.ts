import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganizationEntity } from '@ruche/organizations';

/** Per-organization membership settings; an organization without a row uses the defaults. */
@Entity({ name: 'membership_settings' })
export class MembershipSettingsEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_membership_settings' })
  organizationId!: string;

  @Column('integer', { default: 30 })
  expiringSoonDays!: number;

  @Column('integer', { default: 30 })
  graceDays!: number;

  @Column('integer', { array: true, default: () => "'{-30,-7,7}'" })
  reminderOffsets!: number[];

  @Column('boolean', { default: true })
  remindersEnabled!: boolean;

  @Column('integer', { default: 3 })
  retentionYears!: number;

  @Column('timestamptz')
  updatedAt!: Date;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_membership_settings_organization' })
  organization?: OrganizationEntity;
}
