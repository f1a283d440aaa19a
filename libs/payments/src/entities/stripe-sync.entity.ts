import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import type { StripeSyncStatus } from '@ruche/contracts';

/**
 * A backfill of Stripe history for a date range (a treasurer who connected Stripe late): the
 * balance transactions and payouts of the range, recorded once each whatever the number of runs.
 */
@Entity({ name: 'stripe_syncs' })
@Unique('uq_stripe_syncs_org_id', ['organizationId', 'id'])
@Index('ix_stripe_syncs_org', ['organizationId', 'createdAt'])
@Check('ck_stripe_syncs_status', `"status" IN ('queued', 'running', 'done', 'failed')`)
@Check('ck_stripe_syncs_range', `"from_date" <= "to_date"`)
export class StripeSyncEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_stripe_syncs' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('date')
  fromDate!: string;

  @Column('date')
  toDate!: string;

  @Column('varchar', { length: 10 })
  status!: StripeSyncStatus;

  /** Balance transactions read, charges recorded (new payments), refunds synced, payouts synced. */
  @Column('int', { default: 0 })
  transactions!: number;

  @Column('int', { default: 0 })
  paymentsCreated!: number;

  @Column('int', { default: 0 })
  refundsSynced!: number;

  @Column('int', { default: 0 })
  payouts!: number;

  @Column('jsonb')
  problems!: string[];

  @Column('varchar', { length: 500, nullable: true })
  error!: string | null;

  @Column('uuid', { nullable: true })
  requestedBy!: string | null;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  finishedAt!: Date | null;
}
