import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique, Check } from 'typeorm';
import type { Civility, ContactKind, CustomFieldValue } from '@ruche/contracts';
import { OrganizationEntity } from '@ruche/organizations';
import { HouseholdEntity } from './household.entity';

/**
 * A person or a legal entity the association deals with: member, donor, payer. The derived
 * columns (`name_key`, `sort_name`, `search_text`) are written by the service from the same
 * pure functions that detect duplicates and sort lists.
 */
@Entity({ name: 'contacts' })
@Unique('uq_contacts_org_id', ['organizationId', 'id'])
@Unique('uq_contacts_org_number', ['organizationId', 'number'])
@Index('ix_contacts_org_sort_name', ['organizationId', 'sortName', 'id'])
@Index('ix_contacts_org_email', ['organizationId', 'email'])
@Index('ix_contacts_org_name_key', ['organizationId', 'nameKey'])
@Index('ix_contacts_org_created', ['organizationId', 'createdAt'])
@Index('ix_contacts_org_household', ['organizationId', 'householdId'], { where: '"household_id" IS NOT NULL' })
@Check('ck_contacts_kind', `"kind" IN ('person', 'organization')`)
export class ContactEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_contacts' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('integer')
  number!: number;

  @Column('varchar', { length: 20 })
  kind!: ContactKind;

  @Column('varchar', { length: 5, nullable: true })
  civility!: Civility | null;

  @Column('varchar', { length: 100, nullable: true })
  firstName!: string | null;

  @Column('varchar', { length: 100, nullable: true })
  lastName!: string | null;

  @Column('varchar', { length: 200, nullable: true })
  organizationName!: string | null;

  @Column('char', { length: 9, nullable: true })
  siren!: string | null;

  @Column('date', { nullable: true })
  birthDate!: string | null;

  @Column('varchar', { length: 254, nullable: true })
  email!: string | null;

  @Column('varchar', { length: 30, nullable: true })
  phone!: string | null;

  @Column('varchar', { length: 30, nullable: true })
  mobilePhone!: string | null;

  @Column('varchar', { length: 200, nullable: true })
  addressLine1!: string | null;

  @Column('varchar', { length: 200, nullable: true })
  addressLine2!: string | null;

  @Column('varchar', { length: 10, nullable: true })
  postalCode!: string | null;

  @Column('varchar', { length: 100, nullable: true })
  city!: string | null;

  @Column('char', { length: 2, default: 'FR' })
  country!: string;

  @Column('text', { nullable: true })
  notes!: string | null;

  @Column('varchar', { length: 2, default: 'fr' })
  locale!: 'fr' | 'en';

  @Index('ix_contacts_custom_fields', { synchronize: false })
  @Column('jsonb', { default: {} })
  customFields!: Record<string, CustomFieldValue>;

  @Column('uuid', { nullable: true })
  householdId!: string | null;

  /** Normalized words of the name in alphabetical order (duplicate detection). */
  @Column('varchar', { length: 300 })
  nameKey!: string;

  /** Last name then first name, normalized (list order). */
  @Column('varchar', { length: 300 })
  sortName!: string;

  /** Normalized names, email, phones, city, reference: the search box, with a trigram index (migration). */
  @Index('ix_contacts_search_trgm', { synchronize: false })
  @Column('text')
  searchText!: string;

  /** Last thing that happened (membership, payment, edit): GDPR retention looks at it. */
  @Column('timestamptz')
  lastActivityAt!: Date;

  /** Personal fields were anonymized (GDPR erasure); money records stay. */
  @Column('timestamptz', { nullable: true })
  erasedAt!: Date | null;

  /** The contact was merged into another one and is kept only as a pointer. */
  @Column('uuid', { nullable: true })
  mergedIntoId!: string | null;

  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz')
  updatedAt!: Date;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_contacts_organization' })
  organization?: OrganizationEntity;

  @ManyToOne(() => HouseholdEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_contacts_household' },
    { name: 'household_id', referencedColumnName: 'id' },
  ])
  household?: HouseholdEntity;
}
