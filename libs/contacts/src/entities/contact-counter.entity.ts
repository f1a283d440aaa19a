import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganizationEntity } from '@ruche/organizations';

/** The last contact number given in an organization (row locked while a contact is created). */
@Entity({ name: 'contact_counters' })
export class ContactCounterEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_contact_counters' })
  organizationId!: string;

  @Column('integer', { default: 0 })
  lastNumber!: number;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_contact_counters_organization' })
  organization?: OrganizationEntity;
}
