import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { OrganizationEntity } from '@ruche/organizations';

/** Family members linked together; one of them pays (the payer). Members point here by `contacts.household_id`. */
@Entity({ name: 'households' })
@Unique('uq_households_org_id', ['organizationId', 'id'])
export class HouseholdEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_households' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('varchar', { length: 200 })
  name!: string;

  @Column('uuid', { nullable: true })
  payerContactId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_households_organization' })
  organization?: OrganizationEntity;
}
