import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { ConsentKind, ConsentSource } from '@ruche/contracts';
import { ContactEntity } from './contact.entity';

/** A consent given or withdrawn (newsletter, image rights), with its date and source: recorded, never edited. */
@Entity({ name: 'contact_consents' })
@Index('ix_contact_consents_contact', ['organizationId', 'contactId', 'kind', 'recordedAt'])
export class ContactConsentEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_contact_consents' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  contactId!: string;

  @Column('varchar', { length: 30 })
  kind!: ConsentKind;

  @Column('boolean')
  granted!: boolean;

  @Column('varchar', { length: 20 })
  source!: ConsentSource;

  @Column('timestamptz')
  recordedAt!: Date;

  @Column('uuid', { nullable: true })
  recordedBy!: string | null;

  @ManyToOne(() => ContactEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_contact_consents_contact' },
    { name: 'contact_id', referencedColumnName: 'id' },
  ])
  contact?: ContactEntity;
}
