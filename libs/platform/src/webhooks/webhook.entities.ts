import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';

/** Where an organization wants its events sent (its secret is stored encrypted). */
@Entity({ name: 'webhook_endpoints' })
@Unique('uq_webhook_endpoints_org_id', ['organizationId', 'id'])
@Index('ix_webhook_endpoints_org', ['organizationId'])
export class WebhookEndpointEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_webhook_endpoints' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('varchar', { length: 500 })
  url!: string;

  @Column('varchar', { length: 200, nullable: true })
  description!: string | null;

  @Column('text', { array: true })
  events!: string[];

  @Column('text')
  secretSealed!: string;

  @Column('boolean', { default: true })
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * One event for one endpoint: a row before it is sent (written in the transaction of the event
 * itself), its attempts, its outcome. Unique per endpoint and event, so an event goes out once.
 */
@Entity({ name: 'webhook_deliveries' })
@Unique('uq_webhook_deliveries_event', ['endpointId', 'eventType', 'eventKey'])
@Index('ix_webhook_deliveries_status', ['status', 'createdAt'])
@Index('ix_webhook_deliveries_org', ['organizationId', 'createdAt'])
@Check('ck_webhook_deliveries_status', `"status" IN ('pending', 'delivered', 'failed')`)
export class WebhookDeliveryEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_webhook_deliveries' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  endpointId!: string;

  @Column('varchar', { length: 100 })
  eventType!: string;

  @Column('varchar', { length: 200 })
  eventKey!: string;

  @Column('jsonb')
  payload!: unknown;

  @Column('varchar', { length: 20, default: 'pending' })
  status!: 'pending' | 'delivered' | 'failed';

  @Column('integer', { default: 0 })
  attempts!: number;

  @Column('integer', { nullable: true })
  lastStatus!: number | null;

  @Column('text', { nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  deliveredAt!: Date | null;

  @ManyToOne(() => WebhookEndpointEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_webhook_deliveries_endpoint' },
    { name: 'endpoint_id', referencedColumnName: 'id' },
  ])
  endpoint?: WebhookEndpointEntity;
}
