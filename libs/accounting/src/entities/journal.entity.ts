import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import type { JournalKind } from '@ruche/contracts';
import { OrganizationEntity } from '@ruche/organizations';

@Entity({ name: 'journals' })
@Unique('uq_journals_org_code', ['organizationId', 'code'])
@Unique('uq_journals_org_id', ['organizationId', 'id'])
export class JournalEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_journals' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('varchar', { length: 8 })
  code!: string;

  @Column('varchar', { length: 100 })
  label!: string;

  @Column('varchar', { length: 20 })
  kind!: JournalKind;

  @Column('boolean', { default: true })
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_journals_organization' })
  organization?: OrganizationEntity;
}
