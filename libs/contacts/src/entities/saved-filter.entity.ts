import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { ContactFilter } from '@ruche/contracts';
import { OrganizationEntity } from '@ruche/organizations';

/** A named contact filter ("Bénévoles de Lyon à jour"), private to its author or shared with the team. */
@Entity({ name: 'saved_filters' })
@Index('ix_saved_filters_org', ['organizationId', 'name'])
export class SavedFilterEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_saved_filters' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid', { nullable: true })
  userId!: string | null;

  @Column('varchar', { length: 100 })
  name!: string;

  @Column('jsonb')
  filter!: ContactFilter;

  @Column('boolean', { default: true })
  shared!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_saved_filters_organization' })
  organization?: OrganizationEntity;
}
