import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { OrganizationEntity } from '@ruche/organizations';
import { ContactEntity } from './contact.entity';

/** A tag or group of contacts ("Bénévoles", "Conseil d'administration"). */
@Entity({ name: 'tags' })
@Unique('uq_tags_org_id', ['organizationId', 'id'])
@Unique('uq_tags_org_name', ['organizationId', 'name'])
export class TagEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_tags' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('varchar', { length: 60 })
  name!: string;

  @Column('char', { length: 7, default: '#64748b' })
  color!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_tags_organization' })
  organization?: OrganizationEntity;
}

@Entity({ name: 'contact_tags' })
@Index('ix_contact_tags_tag', ['organizationId', 'tagId'])
export class ContactTagEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_contact_tags' })
  organizationId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_contact_tags' })
  contactId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_contact_tags' })
  tagId!: string;

  @ManyToOne(() => ContactEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_contact_tags_contact' },
    { name: 'contact_id', referencedColumnName: 'id' },
  ])
  contact?: ContactEntity;

  @ManyToOne(() => TagEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_contact_tags_tag' },
    { name: 'tag_id', referencedColumnName: 'id' },
  ])
  tag?: TagEntity;
}
