import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganizationEntity } from '@ruche/organizations';
import type { StripeEventState, StripeMode } from '@ruche/contracts';

/**
 * An organization's own Stripe account. Keys are sealed with RUCHE_ENCRYPTION_KEY (AES-256-GCM)
 * and never leave the server. `connect_account_id` leaves room for Stripe Connect (platform mode).
 */
@Entity({ name: 'stripe_accounts' })
@Check('ck_stripe_accounts_mode', `"mode" IN ('test', 'live')`)
export class StripeAccountEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_stripe_accounts' })
  organizationId!: string;

  @Column('varchar', { length: 4 })
  mode!: StripeMode;

  @Column('text')
  secretKeySealed!: string;

  @Column('varchar', { length: 40 })
  secretKeyHint!: string;

  @Column('text')
  webhookSecretSealed!: string;

  @Column('varchar', { length: 255, nullable: true })
  publishableKey!: string | null;

  @Column('varchar', { length: 255, nullable: true })
  accountId!: string | null;

  @Column('varchar', { length: 255, nullable: true })
  accountName!: string | null;

  /** Stripe Connect: the connected account to act for (Stripe-Account header); null with own keys. */
  @Column('varchar', { length: 255, nullable: true })
  connectAccountId!: string | null;

  @Column('timestamptz', { nullable: true })
  lastCheckedAt!: Date | null;

  @Column('boolean', { nullable: true })
  lastCheckOk!: boolean | null;

  @Column('varchar', { length: 500, nullable: true })
  lastCheckError!: string | null;

  /** The last time Stripe's event list was read to replay events that never arrived. */
  @Column('timestamptz', { nullable: true })
  lastCatchUpAt!: Date | null;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  updatedAt!: Date;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'organization_id',
    foreignKeyConstraintName: 'fk_stripe_accounts_organization',
  })
  organization?: OrganizationEntity;
}

/**
 * Every Stripe event received, stored by its id before anything else: a duplicate delivery is
 * acknowledged and not processed twice; `state` says what became of it.
 */
@Entity({ name: 'stripe_events' })
@Index('ix_stripe_events_org_received', ['organizationId', 'receivedAt'])
@Index('ix_stripe_events_pending', ['receivedAt'], { where: `"state" = 'received'` })
@Check('ck_stripe_events_state', `"state" IN ('received', 'processed', 'ignored', 'failed')`)
export class StripeEventEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_stripe_events' })
  organizationId!: string;

  @PrimaryColumn('varchar', { length: 255, primaryKeyConstraintName: 'pk_stripe_events' })
  id!: string;

  @Column('varchar', { length: 100 })
  type!: string;

  @Column('varchar', { length: 20, nullable: true })
  apiVersion!: string | null;

  @Column('boolean')
  livemode!: boolean;

  /** Stripe Connect: the connected account the event is about. */
  @Column('varchar', { length: 255, nullable: true })
  account!: string | null;

  @Column('timestamptz')
  stripeCreatedAt!: Date;

  @Column('jsonb')
  payload!: Record<string, unknown>;

  @Column('varchar', { length: 20 })
  state!: StripeEventState;

  @Column('int', { default: 0 })
  attempts!: number;

  @Column('varchar', { length: 1000, nullable: true })
  error!: string | null;

  @Column('timestamptz')
  receivedAt!: Date;

  @Column('timestamptz', { nullable: true })
  processedAt!: Date | null;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'organization_id',
    foreignKeyConstraintName: 'fk_stripe_events_organization',
  })
  organization?: OrganizationEntity;
}
