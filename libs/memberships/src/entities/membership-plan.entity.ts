import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, Unique, Check } from 'typeorm';
import type { PlanTierView, PricingKind, ValidityKind, PlanSubscription } from '@ruche/contracts';
import { OrganizationEntity } from '@ruche/organizations';

/** What people join: price(s), validity, receipt eligibility, the revenue account it credits. */
@Entity({ name: 'membership_plans' })
@Unique('uq_membership_plans_org_id', ['organizationId', 'id'])
@Check('ck_membership_plans_pricing', `"pricing_kind" IN ('fixed', 'tiers', 'free_amount')`)
@Check('ck_membership_plans_validity', `"validity_kind" IN ('calendar_year', 'fiscal_year', 'rolling_months', 'fixed_dates', 'lifetime')`)
export class MembershipPlanEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_membership_plans' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('varchar', { length: 100 })
  name!: string;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('varchar', { length: 20 })
  pricingKind!: PricingKind;

  /** Amounts in cents: [{ code, label, amountCents }]. */
  @Column('jsonb', { default: [] })
  tiers!: PlanTierView[];

  @Column('integer', { nullable: true })
  minimumAmountCents!: number | null;

  @Column('char', { length: 3 })
  currency!: string;

  @Column('varchar', { length: 20 })
  validityKind!: ValidityKind;

  @Column('integer', { nullable: true })
  validityMonths!: number | null;

  @Column('date', { nullable: true })
  fixedStartDate!: string | null;

  @Column('date', { nullable: true })
  fixedEndDate!: string | null;

  @Column('boolean', { default: false })
  receiptEligible!: boolean;

  @Column('varchar', { length: 12, nullable: true })
  revenueAccount!: string | null;

  @Column('boolean', { default: false })
  household!: boolean;

  /** none, yearly or monthly: whether members may renew automatically (Stripe subscription). */
  @Column('varchar', { length: 10, default: 'none' })
  subscription!: PlanSubscription;

  @Column('boolean', { default: true })
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz')
  updatedAt!: Date;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_membership_plans_organization' })
  organization?: OrganizationEntity;
}
