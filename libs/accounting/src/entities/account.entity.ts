import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';
import { OrganizationEntity } from '@ruche/organizations';

/** An account of the organization's chart (number unique per organization). */
@Entity({ name: 'accounts' })
@Unique('uq_accounts_org_number', ['organizationId', 'number'])
@Unique('uq_accounts_org_id', ['organizationId', 'id'])
export class AccountEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_accounts' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('varchar', { length: 12 })
  number!: string;

  @Column('varchar', { length: 200 })
  label!: string;

  @Column('boolean', { default: true })
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_accounts_organization' })
  organization?: OrganizationEntity;
}
