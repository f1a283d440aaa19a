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
  InvoiceKind,
  InvoiceSourceKind,
  InvoiceStatus,
  PaymentMethod,
} from '@ruche/contracts';
import { ContactEntity } from '@ruche/contacts';
import { OrganizationEntity } from '@ruche/organizations';
import { PaymentEntity } from '../../entities/payment.entity';
import { PaymentDisputeEntity, PaymentRefundEntity } from '../../entities/settlement.entities';

/** Per organization: what its invoices print (an organization without a row uses the defaults). */
@Entity({ name: 'invoice_settings' })
export class InvoiceSettingsEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_invoice_settings' })
  organizationId!: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'organization_id',
    foreignKeyConstraintName: 'fk_invoice_settings_organization',
  })
  organization?: OrganizationEntity;

  @Column('varchar', { length: 300 })
  vatMention!: string;

  @Column('varchar', { length: 500, nullable: true })
  legalMention!: string | null;

  @Column('timestamptz')
  updatedAt!: Date;
}

/**
 * The counter of invoice (or credit note) numbers per organization, kind and calendar year,
 * locked FOR UPDATE in the issuing transaction (never a PostgreSQL SEQUENCE, which skips values
 * on rollback).
 */
@Entity({ name: 'invoice_sequences' })
@Check('ck_invoice_sequences_kind', `"kind" IN ('invoice', 'credit_note')`)
export class InvoiceSequenceEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_invoice_sequences' })
  organizationId!: string;

  @PrimaryColumn('varchar', { length: 12, primaryKeyConstraintName: 'pk_invoice_sequences' })
  kind!: InvoiceKind;

  @PrimaryColumn('int', { primaryKeyConstraintName: 'pk_invoice_sequences' })
  year!: number;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'organization_id',
    foreignKeyConstraintName: 'fk_invoice_sequences_organization',
  })
  organization?: OrganizationEntity;

  @Column('int')
  lastNumber!: number;
}

/**
 * An issued invoice or credit note: numbered, frozen (seller, buyer and lines as snapshots, the
 * PDF bytes and their SHA-256). Append-only: a trigger refuses DELETE and any UPDATE other than
 * crediting an invoice (its credited total, then its cancellation) and a contact merge.
 * One invoice per payment (each monthly instalment has its own), one credit note per refund.
 */
@Entity({ name: 'invoices' })
@Unique('uq_invoices_org_id', ['organizationId', 'id'])
@Unique('uq_invoices_number', ['organizationId', 'kind', 'year', 'number'])
@Index('uq_invoices_payment', ['organizationId', 'paymentId'], {
  unique: true,
  where: `"kind" = 'invoice'`,
})
@Index('uq_invoices_refund', ['organizationId', 'refundId'], {
  unique: true,
  where: '"refund_id" IS NOT NULL',
})
@Index('uq_invoices_dispute', ['organizationId', 'disputeId'], {
  unique: true,
  where: '"dispute_id" IS NOT NULL',
})
@Index('ix_invoices_org_contact', ['organizationId', 'contactId'])
@Index('ix_invoices_org_issued', ['organizationId', 'issuedOn'])
@Index('ix_invoices_org_source', ['organizationId', 'sourceKind', 'sourceId'])
@Check('ck_invoices_number', '"number" > 0')
@Check('ck_invoices_kind', `"kind" IN ('invoice', 'credit_note')`)
@Check('ck_invoices_status', `"status" IN ('issued', 'cancelled')`)
@Check('ck_invoices_source', `"source_kind" IN ('membership')`)
@Check(
  'ck_invoices_amounts',
  '"total_cents" > 0 AND "credited_cents" >= 0 AND "credited_cents" <= "total_cents"',
)
@Check('ck_invoices_cancelled', `("status" = 'cancelled') = ("cancelled_at" IS NOT NULL)`)
@Check(
  'ck_invoices_credit_note',
  `("kind" = 'credit_note') = ("credited_invoice_id" IS NOT NULL) AND num_nonnulls("refund_id", "dispute_id") = CASE WHEN "kind" = 'credit_note' THEN 1 ELSE 0 END`,
)
export class InvoiceEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_invoices' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('varchar', { length: 12 })
  kind!: InvoiceKind;

  @Column('int')
  year!: number;

  @Column('int')
  number!: number;

  @Column('varchar', { length: 20 })
  reference!: string;

  /** The day of issue in the organization's time zone. */
  @Column('date')
  issuedOn!: string;

  @Column('timestamptz')
  issuedAt!: Date;

  @Column('uuid', { nullable: true })
  issuedBy!: string | null;

  @Column('uuid')
  contactId!: string;

  @ManyToOne(() => ContactEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_invoices_contact',
    },
    { name: 'contact_id', referencedColumnName: 'id' },
  ])
  contact?: ContactEntity;

  @Column('varchar', { length: 20 })
  sourceKind!: InvoiceSourceKind;

  @Column('uuid')
  sourceId!: string;

  @Column('uuid')
  paymentId!: string;

  @ManyToOne(() => PaymentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_invoices_payment',
    },
    { name: 'payment_id', referencedColumnName: 'id' },
  ])
  payment?: PaymentEntity;

  /** Credit notes: the refund they record. */
  @Column('uuid', { nullable: true })
  refundId!: string | null;

  @ManyToOne(() => PaymentRefundEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_invoices_refund',
    },
    { name: 'refund_id', referencedColumnName: 'id' },
  ])
  refund?: PaymentRefundEntity;

  /** Credit notes: the lost dispute they record (a credit note records a refund or a dispute). */
  @Column('uuid', { nullable: true })
  disputeId!: string | null;

  @ManyToOne(() => PaymentDisputeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_invoices_dispute',
    },
    { name: 'dispute_id', referencedColumnName: 'id' },
  ])
  dispute?: PaymentDisputeEntity;

  /** Credit notes: the invoice they credit. */
  @Column('uuid', { nullable: true })
  creditedInvoiceId!: string | null;

  @ManyToOne(() => InvoiceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_invoices_credited_invoice',
    },
    { name: 'credited_invoice_id', referencedColumnName: 'id' },
  ])
  creditedInvoice?: InvoiceEntity;

  /** The seller as printed: legal name, address lines, SIREN. */
  @Column('jsonb')
  seller!: Record<string, unknown>;

  /** The buyer as printed: name, address lines, member reference. */
  @Column('jsonb')
  buyer!: Record<string, unknown>;

  /** The lines as printed: description and amount (cents). */
  @Column('jsonb')
  lines!: Record<string, unknown>[];

  @Column('varchar', { length: 250 })
  buyerName!: string;

  /** Always positive: a credit note states the amount it credits. */
  @Column('bigint')
  totalCents!: string;

  @Column('char', { length: 3 })
  currency!: string;

  @Column('varchar', { length: 300 })
  vatMention!: string;

  /** Invoices: the day the payment was received; credit notes: the day of the refund. */
  @Column('date', { nullable: true })
  paidOn!: string | null;

  @Column('varchar', { length: 20, nullable: true })
  paymentMethod!: PaymentMethod | null;

  @Column('bytea', { select: false })
  pdf?: Buffer;

  @Column('char', { length: 64 })
  pdfSha256!: string;

  @Column('varchar', { length: 10 })
  status!: InvoiceStatus;

  /** Invoices: the total of their credit notes. */
  @Column('bigint', { default: 0 })
  creditedCents!: string;

  @Column('timestamptz', { nullable: true })
  cancelledAt!: Date | null;
}

export const INVOICES_ENTITIES = [InvoiceSettingsEntity, InvoiceSequenceEntity, InvoiceEntity];
