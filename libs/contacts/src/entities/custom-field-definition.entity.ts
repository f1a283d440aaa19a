import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import type { CustomFieldType } from '@ruche/contracts';
import { OrganizationEntity } from '@ruche/organizations';

/** A field an organization adds to its contacts (shoe size, licence number, skills...). */
@Entity({ name: 'custom_field_definitions' })
@Unique('uq_custom_field_definitions_org_key', ['organizationId', 'key'])
export class CustomFieldDefinitionEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_custom_field_definitions' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('varchar', { length: 40 })
  key!: string;

  @Column('varchar', { length: 100 })
  label!: string;

  @Column('varchar', { length: 20 })
  type!: CustomFieldType;

  @Column('jsonb', { default: [] })
  options!: string[];

  @Column('boolean', { default: false })
  required!: boolean;

  @Column('integer', { default: 0 })
  position!: number;

  @Column('boolean', { default: true })
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_custom_field_definitions_organization' })
  organization?: OrganizationEntity;
}
