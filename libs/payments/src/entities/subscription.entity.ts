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
import type { PaymentPurpose } from '@ruche/contracts';
import { ContactEntity } from '@ruche/contacts';

/**
 * A Stripe subscription that pays something again each period (a membership renewed
 * automatically). Each paid invoice becomes a payment; the owning domain says what it pays for.
 */
@Entity({ name: 'payment_subscriptions' })
@Unique('uq_payment_subscriptions_org_id', ['organizationId', 'id'])
@Index('uq_payment_subscriptions_stripe', ['organizationId', 'stripeSubscriptionId'], {
  unique: true,
})
@Index('ix_payment_subscriptions_contact', ['organizationId', 'contactId'])
@Check('ck_payment_subscriptions_interval', `"interval" IN ('year', 'month')`)
export class PaymentSubscriptionEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_payment_subscriptions' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('varchar', { length: 255 })
  stripeSubscriptionId!: string;

  @Column('varchar', { length: 255, nullable: true })
  stripeCustomerId!: string | null;

  @Column('uuid', { nullable: true })
  contactId!: string | null;

  @Column('varchar', { length: 20 })
  purpose!: PaymentPurpose;

  /** What is bought again each period: a membership plan's id... */
  @Column('uuid', { nullable: true })
  purposeRef!: string | null;

  @Column('varchar', { length: 10 })
  interval!: 'year' | 'month';

  /** Per invoice. */
  @Column('bigint')
  amountCents!: string;

  @Column('char', { length: 3 })
  currency!: string;

  /** Stripe's: incomplete, active, past_due, unpaid, canceled... */
  @Column('varchar', { length: 30 })
  status!: string;

  @Column('boolean', { default: false })
  cancelAtPeriodEnd!: boolean;

  @Column('date', { nullable: true })
  currentPeriodEnd!: string | null;

  @Column('timestamptz', { nullable: true })
  canceledAt!: Date | null;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  updatedAt!: Date;

  @ManyToOne(() => ContactEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_payment_subscriptions_contact',
    },
    { name: 'contact_id', referencedColumnName: 'id' },
  ])
  contact?: ContactEntity;
}
