import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** Who did what, when, with the before/after state. Append-only (a trigger refuses UPDATE/DELETE). */
@Entity({ name: 'audit_logs' })
@Index('ix_audit_logs_org_created', ['organizationId', 'createdAt'])
export class AuditLogEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_audit_logs' })
  id!: string;

  @Column('uuid', { nullable: true })
  organizationId!: string | null;

  @Column('uuid', { nullable: true })
  actorUserId!: string | null;

  @Column('varchar', { length: 100 })
  action!: string;

  @Column('varchar', { length: 100 })
  entityType!: string;

  @Column('varchar', { length: 100, nullable: true })
  entityId!: string | null;

  @Column('jsonb', { nullable: true })
  before!: unknown;

  @Column('jsonb', { nullable: true })
  after!: unknown;

  @Column('varchar', { length: 100, nullable: true })
  ip!: string | null;

  @Column('varchar', { length: 100, nullable: true })
  requestId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
