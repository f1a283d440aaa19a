import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { MembershipStatus } from '@ruche/contracts';
import { ContactEntity } from '@ruche/contacts';

/**
 * A contact's standing, from `summarize()` over their memberships; rewritten in the same
 * transaction as any membership change, so that directory filters are plain indexed reads.
 */
@Entity({ name: 'member_summaries' })
@Index('ix_member_summaries_status', ['organizationId', 'status', 'validUntil'])
@Index('ix_member_summaries_since', ['organizationId', 'memberSince'])
@Index('ix_member_summaries_plan', ['organizationId', 'planId'])
export class MemberSummaryEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_member_summaries' })
  organizationId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_member_summaries' })
  contactId!: string;

  @Column('uuid')
  membershipId!: string;

  @Column('uuid')
  planId!: string;

  @Column('varchar', { length: 20 })
  status!: MembershipStatus;

  @Column('date', { nullable: true })
  memberSince!: string | null;

  @Column('date', { nullable: true })
  validUntil!: string | null;

  @Column('date', { nullable: true })
  lapsedSince!: string | null;

  @Column('timestamptz')
  updatedAt!: Date;

  @ManyToOne(() => ContactEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_member_summaries_contact' },
    { name: 'contact_id', referencedColumnName: 'id' },
  ])
  contact?: ContactEntity;
}
