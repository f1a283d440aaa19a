import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ContactEntity } from '@ruche/contacts';

/** A login link sent to a member by e-mail: only its hash is stored; used once, short-lived. */
@Entity({ name: 'member_login_links' })
@Index('uq_member_login_links_token', ['tokenHash'], { unique: true })
@Index('ix_member_login_links_contact', ['organizationId', 'contactId', 'createdAt'])
export class MemberLoginLinkEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_member_login_links' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  contactId!: string;

  @Column('char', { length: 64 })
  tokenHash!: string;

  @Column('timestamptz')
  expiresAt!: Date;

  @Column('timestamptz', { nullable: true })
  usedAt!: Date | null;

  @Column('timestamptz')
  createdAt!: Date;

  @ManyToOne(() => ContactEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_member_login_links_contact' },
    { name: 'contact_id', referencedColumnName: 'id' },
  ])
  contact?: ContactEntity;
}

/** A member's session in the member space (HTTP-only cookie; only the hash is stored). */
@Entity({ name: 'member_sessions' })
@Index('uq_member_sessions_token', ['tokenHash'], { unique: true })
export class MemberSessionEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_member_sessions' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  contactId!: string;

  @Column('char', { length: 64 })
  tokenHash!: string;

  @Column('varchar', { length: 64 })
  csrfToken!: string;

  @Column('timestamptz')
  expiresAt!: Date;

  @Column('timestamptz', { nullable: true })
  revokedAt!: Date | null;

  @Column('timestamptz')
  createdAt!: Date;

  @ManyToOne(() => ContactEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_member_sessions_contact' },
    { name: 'contact_id', referencedColumnName: 'id' },
  ])
  contact?: ContactEntity;
}
