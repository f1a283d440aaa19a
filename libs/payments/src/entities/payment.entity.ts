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
  PaymentMethod,
  PaymentProvider,
  PaymentPurpose,
  PaymentStatus,
  PostingRole,
} from '@ruche/contracts';
import { ContactEntity } from '@ruche/contacts';

/**
 * Money that arrives (or was asked for): online through Stripe, or at the desk. It knows its
 * purpose only as a reference (`purpose`, `purpose_id`): the owning domain reacts to it.
 * Gross, fee and net come from Stripe's balance transaction, never computed here.
 */
@Entity({ name: 'payments' })
@Unique('uq_payments_org_id', ['organizationId', 'id'])
@Index('ix_payments_org_created', ['organizationId', 'createdAt'])
@Index('ix_payments_org_contact', ['organizationId', 'contactId'])
@Index('ix_payments_org_purpose', ['organizationId', 'purpose', 'purposeId'])
@Index('uq_payments_checkout_session', ['organizationId', 'checkoutSessionId'], {
  unique: true,
  where: '"checkout_session_id" IS NOT NULL',
})
@Index('uq_payments_payment_intent', ['organizationId', 'paymentIntentId'], {
  unique: true,
  where: '"payment_intent_id" IS NOT NULL',
})
@Index('uq_payments_charge', ['organizationId', 'chargeId'], {
  unique: true,
  where: '"charge_id" IS NOT NULL',
})
@Check(
  'ck_payments_amount',
  '"amount_cents" > 0 AND "refunded_cents" >= 0 AND "refunded_cents" <= "amount_cents"',
)
@Check(
  'ck_payments_fee',
  '"fee_cents" IS NULL OR ("fee_cents" >= 0 AND "net_cents" = "amount_cents" - "fee_cents")',
)
@Check(
  'ck_payments_status',
  `"status" IN ('pending', 'processing', 'succeeded', 'failed', 'cancelled', 'partially_refunded', 'refunded', 'disputed')`,
)
@Check('ck_payments_purpose', `"purpose" IN ('membership', 'donation', 'other')`)
@Check('ck_payments_provider', `"provider" IN ('stripe', 'manual')`)
export class PaymentEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_payments' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid', { nullable: true })
  contactId!: string | null;

  @Column('varchar', { length: 20 })
  purpose!: PaymentPurpose;

  @Column('uuid', { nullable: true })
  purposeId!: string | null;

  @Column('varchar', { length: 200 })
  label!: string;

  @Column('varchar', { length: 20, nullable: true })
  method!: PaymentMethod | null;

  @Column('varchar', { length: 20 })
  provider!: PaymentProvider;

  @Column('varchar', { length: 20 })
  status!: PaymentStatus;

  @Column('bigint')
  amountCents!: string;

  @Column('bigint', { nullable: true })
  feeCents!: string | null;

  @Column('bigint', { nullable: true })
  netCents!: string | null;

  @Column('bigint', { default: 0 })
  refundedCents!: string;

  @Column('char', { length: 3 })
  currency!: string;

  @Column('date', { nullable: true })
  paidOn!: string | null;

  @Column('date', { nullable: true })
  availableOn!: string | null;

  /** The revenue the entry credits: a posting role, or the plan's/campaign's own account. */
  @Column('varchar', { length: 40 })
  revenueRole!: Extract<PostingRole, `${string}_revenue`>;

  @Column('varchar', { length: 20, nullable: true })
  revenueAccount!: string | null;

  @Column('varchar', { length: 40, nullable: true })
  analytic!: string | null;

  @Column('varchar', { length: 255, nullable: true })
  checkoutSessionId!: string | null;

  @Column('varchar', { length: 255, nullable: true })
  paymentIntentId!: string | null;

  @Column('varchar', { length: 255, nullable: true })
  chargeId!: string | null;

  @Column('varchar', { length: 255, nullable: true })
  balanceTransactionId!: string | null;

  @Column('boolean', { nullable: true })
  livemode!: boolean | null;

  /** A payment of a subscription: the Stripe invoice it pays. */
  @Column('varchar', { length: 255, nullable: true })
  stripeInvoiceId!: string | null;

  @Column('uuid', { nullable: true })
  subscriptionId!: string | null;

  /** Transfer reference, cash receipt number, cheque number... */
  @Column('varchar', { length: 100, nullable: true })
  reference!: string | null;

  @Column('varchar', { length: 100, nullable: true })
  chequeBank!: string | null;

  @Column('varchar', { length: 200, nullable: true })
  chequeDrawer!: string | null;

  /** The deposit slip that took this cheque to the bank. */
  @Column('uuid', { nullable: true })
  depositId!: string | null;

  @Column('uuid', { nullable: true })
  entryId!: string | null;

  @Column('varchar', { length: 2, default: 'fr' })
  locale!: 'fr' | 'en';

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  updatedAt!: Date;

  @ManyToOne(() => ContactEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_payments_contact',
    },
    { name: 'contact_id', referencedColumnName: 'id' },
  ])
  contact?: ContactEntity;
}
