import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique, Check } from 'typeorm';
import type { MembershipSource, MembershipStatus } from '@ruche/contracts';
import { ContactEntity, HouseholdEntity } from '@ruche/contacts';
import { MembershipPlanEntity } from './membership-plan.entity';

/**
 * A contact (or a household, through its payer) holding a plan for a period. `status` and
 * `next_status_change_on` are stored for queries; both come from `membershipStatus()` only.
 */
@Entity({ name: 'memberships' })
@Unique('uq_memberships_org_id', ['organizationId', 'id'])
@Index('ix_memberships_org_contact', ['organizationId', 'contactId', 'endDate'])
@Index('ix_memberships_org_status', ['organizationId', 'status'])
@Index('ix_memberships_org_period', ['organizationId', 'startDate', 'endDate'])
@Index('ix_memberships_next_change', ['nextStatusChangeOn'], { where: '"next_status_change_on" IS NOT NULL' })
@Index('ix_memberships_org_changed', ['organizationId', 'statusChangedAt'])
@Index('uq_memberships_renewed_from', ['organizationId', 'renewedFromId'], { unique: true, where: '"renewed_from_id" IS NOT NULL AND "cancelled_at" IS NULL' })
@Check('ck_memberships_period', '"end_date" IS NULL OR "end_date" >= "start_date"')
@Check('ck_memberships_amount', '"amount_cents" >= 0')
@Check('ck_memberships_status', `"status" IN ('pending_payment', 'upcoming', 'active', 'expiring_soon', 'grace', 'lapsed', 'cancelled')`)
export class MembershipEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_memberships' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  contactId!: string;

  @Column('uuid', { nullable: true })
  householdId!: string | null;

  @Column('uuid')
  planId!: string;

  @Column('varchar', { length: 30, nullable: true })
  tierCode!: string | null;

  @Column('varchar', { length: 100, nullable: true })
  tierLabel!: string | null;

  @Column('bigint')
  amountCents!: string;

  @Column('char', { length: 3 })
  currency!: string;

  @Column('date')
  startDate!: string;

  @Column('date', { nullable: true })
  endDate!: string | null;

  @Column('varchar', { length: 20 })
  status!: MembershipStatus;

  @Column('date', { nullable: true })
  nextStatusChangeOn!: string | null;

  @Column('timestamptz')
  statusChangedAt!: Date;

  /** The day the payment was received (null: not paid yet). */
  @Column('date', { nullable: true })
  paidOn!: string | null;

  @Column('varchar', { length: 20, nullable: true })
  paymentMethod!: string | null;

  @Column('varchar', { length: 100, nullable: true })
  paymentReference!: string | null;

  @Column('uuid', { nullable: true })
  entryId!: string | null;

  @Column('timestamptz', { nullable: true })
  cancelledAt!: Date | null;

  @Column('varchar', { length: 500, nullable: true })
  cancelReason!: string | null;

  @Column('uuid', { nullable: true })
  renewedFromId!: string | null;

  @Column('varchar', { length: 20 })
  source!: MembershipSource;

  @Column('varchar', { length: 500, nullable: true })
  note!: string | null;

  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz')
  updatedAt!: Date;

  @ManyToOne(() => ContactEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_memberships_contact' },
    { name: 'contact_id', referencedColumnName: 'id' },
  ])
  contact?: ContactEntity;

  @ManyToOne(() => MembershipPlanEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_memberships_plan' },
    { name: 'plan_id', referencedColumnName: 'id' },
  ])
  plan?: MembershipPlanEntity;

  @ManyToOne(() => HouseholdEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_memberships_household' },
    { name: 'household_id', referencedColumnName: 'id' },
  ])
  household?: HouseholdEntity;
}
