import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  Unique,
} from 'typeorm';
import type {
  DonationFrequency,
  DonationKind,
  DonationStatus,
  PaymentMethod,
} from '@ruche/contracts';
import { ContactEntity } from '@ruche/contacts';
import { OrganizationEntity } from '@ruche/organizations';

/** Per organization: what the public donation page suggests, and the renounced-expenses account. */
@Entity({ name: 'donation_settings' })
export class DonationSettingsEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_donation_settings' })
  organizationId!: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'organization_id',
    foreignKeyConstraintName: 'fk_donation_settings_organization',
  })
  organization?: OrganizationEntity;

  @Column('int', { array: true })
  suggestedAmounts!: number[];

  @Column('int', { array: true })
  monthlySuggestedAmounts!: number[];

  @Column('int')
  minimumCents!: number;

  @Column('varchar', { length: 20 })
  expenseWaiverAccount!: string;

  @Column('timestamptz')
  updatedAt!: Date;
}

/** A fundraising campaign: goal, suggested amounts, the account and analytic section it credits. */
@Entity({ name: 'donation_campaigns' })
@Unique('uq_donation_campaigns_org_id', ['organizationId', 'id'])
@Check('ck_donation_campaigns_goal', '"goal_cents" IS NULL OR "goal_cents" > 0')
export class DonationCampaignEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_donation_campaigns' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'organization_id',
    foreignKeyConstraintName: 'fk_donation_campaigns_organization',
  })
  organization?: OrganizationEntity;

  @Column('varchar', { length: 120 })
  name!: string;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('bigint', { nullable: true })
  goalCents!: string | null;

  @Column('char', { length: 3 })
  currency!: string;

  @Column('int', { array: true })
  suggestedAmounts!: number[];

  @Column('boolean')
  allowMonthly!: boolean;

  @Column('varchar', { length: 20, nullable: true })
  revenueAccount!: string | null;

  @Column('varchar', { length: 40, nullable: true })
  analytic!: string | null;

  @Column('boolean')
  active!: boolean;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  updatedAt!: Date;
}

/**
 * A gift: money (paid through a payment, online or at the desk), goods or services in kind, or
 * expenses a volunteer renounces. Monthly gifts are one donation per instalment, linked to the
 * first one (`series_id`).
 */
@Entity({ name: 'donations' })
@Unique('uq_donations_org_id', ['organizationId', 'id'])
@Index('ix_donations_org_contact', ['organizationId', 'contactId'])
@Index('ix_donations_org_campaign', ['organizationId', 'campaignId'])
@Index('ix_donations_org_created', ['organizationId', 'createdAt'])
@Check(
  'ck_donations_amount',
  '"amount_cents" > 0 AND "refunded_cents" >= 0 AND "refunded_cents" <= "amount_cents"',
)
@Check('ck_donations_kind', `"kind" IN ('money', 'in_kind', 'expense_waiver')`)
@Check(
  'ck_donations_status',
  `"status" IN ('pending', 'paid', 'failed', 'partially_refunded', 'refunded', 'cancelled')`,
)
@Check('ck_donations_frequency', `"frequency" IN ('once', 'monthly')`)
@Check('ck_donations_source', `"source" IN ('desk', 'online')`)
export class DonationEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_donations' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  contactId!: string;

  @ManyToOne(() => ContactEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_donations_contact',
    },
    { name: 'contact_id', referencedColumnName: 'id' },
  ])
  contact?: ContactEntity;

  @Column('uuid', { nullable: true })
  campaignId!: string | null;

  @ManyToOne(() => DonationCampaignEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_donations_campaign',
    },
    { name: 'campaign_id', referencedColumnName: 'id' },
  ])
  campaign?: DonationCampaignEntity;

  @Column('uuid', { nullable: true })
  seriesId!: string | null;

  @Column('varchar', { length: 20 })
  kind!: DonationKind;

  @Column('varchar', { length: 10 })
  frequency!: DonationFrequency;

  @Column('varchar', { length: 10 })
  donorKind!: 'person' | 'company';

  @Column('bigint')
  amountCents!: string;

  @Column('bigint', { default: 0 })
  refundedCents!: string;

  @Column('char', { length: 3 })
  currency!: string;

  @Column('varchar', { length: 20, nullable: true })
  method!: PaymentMethod | null;

  @Column('varchar', { length: 20 })
  status!: DonationStatus;

  @Column('date', { nullable: true })
  receivedOn!: string | null;

  @Column('varchar', { length: 500, nullable: true })
  description!: string | null;

  @Column('varchar', { length: 300, nullable: true })
  valuationMethod!: string | null;

  @Column('varchar', { length: 20, nullable: true })
  debitAccount!: string | null;

  @Column('boolean')
  wantsReceipt!: boolean;

  @Column('varchar', { length: 10 })
  source!: 'desk' | 'online';

  @Column('uuid', { nullable: true })
  paymentId!: string | null;

  @Column('uuid', { nullable: true })
  entryId!: string | null;

  @Column('text', { nullable: true })
  note!: string | null;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  updatedAt!: Date;
}

export const DONATIONS_ENTITIES = [DonationSettingsEntity, DonationCampaignEntity, DonationEntity];
