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
import { PaymentEntity } from './payment.entity';

/** A refund of a payment, full or partial: asked from the admin or seen on Stripe. */
@Entity({ name: 'payment_refunds' })
@Unique('uq_payment_refunds_org_id', ['organizationId', 'id'])
@Index('ix_payment_refunds_payment', ['organizationId', 'paymentId'])
@Index('uq_payment_refunds_stripe', ['organizationId', 'stripeRefundId'], {
  unique: true,
  where: '"stripe_refund_id" IS NOT NULL',
})
@Check('ck_payment_refunds_amount', '"amount_cents" > 0')
@Check('ck_payment_refunds_status', `"status" IN ('pending', 'succeeded', 'failed', 'canceled')`)
export class PaymentRefundEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_payment_refunds' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  paymentId!: string;

  @Column('varchar', { length: 255, nullable: true })
  stripeRefundId!: string | null;

  @Column('bigint')
  amountCents!: string;

  @Column('char', { length: 3 })
  currency!: string;

  @Column('varchar', { length: 20 })
  status!: 'pending' | 'succeeded' | 'failed' | 'canceled';

  @Column('varchar', { length: 500, nullable: true })
  reason!: string | null;

  @Column('date', { nullable: true })
  refundedOn!: string | null;

  @Column('uuid', { nullable: true })
  entryId!: string | null;

  @Column('uuid', { nullable: true })
  requestedBy!: string | null;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  updatedAt!: Date;

  @ManyToOne(() => PaymentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_payment_refunds_payment',
    },
    { name: 'payment_id', referencedColumnName: 'id' },
  ])
  payment?: PaymentEntity;
}

/** A chargeback: the payer's bank takes the money back; Stripe's balance transactions say how much. */
@Entity({ name: 'payment_disputes' })
@Unique('uq_payment_disputes_org_id', ['organizationId', 'id'])
@Index('ix_payment_disputes_payment', ['organizationId', 'paymentId'])
@Index('uq_payment_disputes_stripe', ['organizationId', 'stripeDisputeId'], { unique: true })
export class PaymentDisputeEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_payment_disputes' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  paymentId!: string;

  @Column('varchar', { length: 255 })
  stripeDisputeId!: string;

  @Column('bigint')
  amountCents!: string;

  /** Stripe's dispute fee, from the withdrawal's balance transaction. */
  @Column('bigint', { default: 0 })
  feeCents!: string;

  @Column('char', { length: 3 })
  currency!: string;

  /** Stripe's status: warning_needs_response, needs_response, under_review, won, lost... */
  @Column('varchar', { length: 40 })
  status!: string;

  @Column('varchar', { length: 100, nullable: true })
  reason!: string | null;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  updatedAt!: Date;

  @ManyToOne(() => PaymentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_payment_disputes_payment',
    },
    { name: 'payment_id', referencedColumnName: 'id' },
  ])
  payment?: PaymentEntity;
}

/** Money leaving Stripe for the bank, with the balance transactions it settles. */
@Entity({ name: 'payouts' })
@Unique('uq_payouts_org_id', ['organizationId', 'id'])
@Index('uq_payouts_stripe', ['organizationId', 'stripePayoutId'], { unique: true })
@Index('ix_payouts_org_arrival', ['organizationId', 'arrivalDate'])
export class PayoutEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_payouts' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('varchar', { length: 255 })
  stripePayoutId!: string;

  /** Signed: what reaches the bank. */
  @Column('bigint')
  amountCents!: string;

  @Column('char', { length: 3 })
  currency!: string;

  /** pending, in_transit, paid, failed, canceled (Stripe's). */
  @Column('varchar', { length: 20 })
  status!: string;

  @Column('date')
  arrivalDate!: string;

  @Column('varchar', { length: 100, nullable: true })
  statementDescriptor!: string | null;

  /** Σ net of the settled balance transactions; differs from the amount only when something is off. */
  @Column('bigint', { default: 0 })
  itemsNetCents!: string;

  @Column('int', { default: 0 })
  itemCount!: number;

  @Column('uuid', { nullable: true })
  entryId!: string | null;

  @Column('uuid', { nullable: true })
  reversalEntryId!: string | null;

  @Column('varchar', { length: 500, nullable: true })
  failureMessage!: string | null;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  updatedAt!: Date;
}

@Entity({ name: 'payout_items' })
@Index('ix_payout_items_source', ['organizationId', 'source'])
@Check('ck_payout_items_net', '"net_cents" = "amount_cents" - "fee_cents"')
export class PayoutItemEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_payout_items' })
  organizationId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_payout_items' })
  payoutId!: string;

  @PrimaryColumn('varchar', { length: 255, primaryKeyConstraintName: 'pk_payout_items' })
  balanceTransactionId!: string;

  @Column('varchar', { length: 40 })
  type!: string;

  @Column('varchar', { length: 40 })
  reportingCategory!: string;

  /** ch_, re_, dp_... the object that moved the money. */
  @Column('varchar', { length: 255, nullable: true })
  source!: string | null;

  @Column('bigint')
  amountCents!: string;

  @Column('bigint')
  feeCents!: string;

  @Column('bigint')
  netCents!: string;

  @Column('uuid', { nullable: true })
  paymentId!: string | null;

  @ManyToOne(() => PayoutEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_payout_items_payout',
    },
    { name: 'payout_id', referencedColumnName: 'id' },
  ])
  payout?: PayoutEntity;
}
