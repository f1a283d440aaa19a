import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

export type OutboundEmailStatus = 'pending' | 'sent' | 'failed';

export interface OutboundAttachment {
  filename: string;
  contentType: string;
  /** Where the bytes live: `<table>:<id>` of a stored document, resolved by the sender. */
  ref?: string;
  /** Small attachments may be stored inline (base64). */
  contentBase64?: string;
}

/** Every email Ruche sends is a row first: the audit trail of what went out, and the retry state. */
@Entity({ name: 'outbound_emails' })
@Unique('uq_outbound_emails_idempotency', ['organizationId', 'idempotencyKey'])
@Index('ix_outbound_emails_status', ['status', 'createdAt'])
export class OutboundEmailEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_outbound_emails' })
  id!: string;

  @Column('uuid', { nullable: true })
  organizationId!: string | null;

  @Column('varchar', { length: 200 })
  idempotencyKey!: string;

  @Column('varchar', { length: 320 })
  toAddress!: string;

  @Column('varchar', { length: 500 })
  subject!: string;

  @Column('text')
  html!: string;

  @Column('text')
  text!: string;

  @Column('varchar', { length: 100 })
  template!: string;

  @Column('jsonb')
  attachments!: OutboundAttachment[];

  @Column('varchar', { length: 20, default: 'pending' })
  status!: OutboundEmailStatus;

  @Column('int', { default: 0 })
  attempts!: number;

  @Column('text', { nullable: true })
  lastError!: string | null;

  @Column('varchar', { length: 500, nullable: true })
  messageId!: string | null;

  @Column('timestamptz', { nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
