import { Column, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { PaymentStatus } from '@ruche/contracts';
import { PaymentEntity } from './payment.entity';

/** The status history of a payment (append-only): what changed, when, and what caused it. */
@Entity({ name: 'payment_status_changes' })
@Index('ix_payment_status_changes_payment', ['organizationId', 'paymentId', 'seq'])
export class PaymentStatusChangeEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_payment_status_changes' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  paymentId!: string;

  @Column('varchar', { length: 20 })
  status!: PaymentStatus;

  /** A Stripe event id, `checkout`, `staff`... */
  @Column('varchar', { length: 255 })
  cause!: string;

  @Column('varchar', { length: 500, nullable: true })
  note!: string | null;

  @Column('timestamptz')
  at!: Date;

  /** The order of the changes (several may share a timestamp). */
  @Column('bigint')
  @Generated('increment')
  seq!: string;

  @ManyToOne(() => PaymentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_payment_status_changes_payment',
    },
    { name: 'payment_id', referencedColumnName: 'id' },
  ])
  payment?: PaymentEntity;
}
