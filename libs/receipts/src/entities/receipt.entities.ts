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
  GiftForm,
  GiftMethod,
  GiftNature,
  ReceiptKind,
  ReceiptMode,
  ReceiptModel,
  ReceiptStatus,
  TaxArticle,
} from '@ruche/contracts';
import { ContactEntity } from '@ruche/contacts';
import { OrganizationEntity } from '@ruche/organizations';

/** Per organization: whether and how it issues receipts, and who signs them. */
@Entity({ name: 'receipt_settings' })
@Check(
  'ck_receipt_settings_modes',
  `"default_mode" IN ('per_gift', 'annual') AND "recurring_mode" IN ('per_gift', 'annual')`,
)
export class ReceiptSettingsEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_receipt_settings' })
  organizationId!: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'organization_id',
    foreignKeyConstraintName: 'fk_receipt_settings_organization',
  })
  organization?: OrganizationEntity;

  @Column('boolean', { default: false })
  enabled!: boolean;

  @Column('varchar', { length: 10, default: 'per_gift' })
  defaultMode!: ReceiptMode;

  @Column('varchar', { length: 10, default: 'annual' })
  recurringMode!: ReceiptMode;

  @Column('boolean', { default: true })
  article200!: boolean;

  @Column('boolean', { default: false })
  article978!: boolean;

  @Column('varchar', { length: 120, nullable: true })
  signerName!: string | null;

  @Column('varchar', { length: 120, nullable: true })
  signerTitle!: string | null;

  @Column('varchar', { length: 100, nullable: true })
  place!: string | null;

  @Column('date', { nullable: true })
  rupDecreeDate!: string | null;

  @Column('date', { nullable: true })
  rupJournalDate!: string | null;

  @Column('boolean', { default: true })
  sendByEmail!: boolean;

  @Column('varchar', { length: 20, nullable: true })
  signatureMime!: string | null;

  @Column('bytea', { nullable: true, select: false })
  signature?: Buffer | null;

  @Column('timestamptz')
  updatedAt!: Date;
}

/**
 * The counter of receipt numbers per organization and calendar year, locked FOR UPDATE in the
 * issuing transaction (never a PostgreSQL SEQUENCE, which skips values on rollback).
 */
@Entity({ name: 'receipt_sequences' })
export class ReceiptSequenceEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_receipt_sequences' })
  organizationId!: string;

  @PrimaryColumn('int', { primaryKeyConstraintName: 'pk_receipt_sequences' })
  year!: number;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'organization_id',
    foreignKeyConstraintName: 'fk_receipt_sequences_organization',
  })
  organization?: OrganizationEntity;

  @Column('int')
  lastNumber!: number;
}

/**
 * A gift that may be receipted, as the owning domain (donations, memberships) declared it when
 * it was paid: the facts the receipt prints. Refunds withdraw part or all of it.
 */
@Entity({ name: 'receipt_gifts' })
@Unique('uq_receipt_gifts_org_id', ['organizationId', 'id'])
@Unique('uq_receipt_gifts_source', ['organizationId', 'sourceKind', 'sourceId'])
@Index('ix_receipt_gifts_org_received', ['organizationId', 'receivedOn'])
@Index('ix_receipt_gifts_org_contact', ['organizationId', 'contactId'])
@Check(
  'ck_receipt_gifts_amount',
  '"amount_cents" > 0 AND "withdrawn_cents" >= 0 AND "withdrawn_cents" <= "amount_cents"',
)
@Check('ck_receipt_gifts_source', `"source_kind" IN ('donation', 'membership')`)
@Check('ck_receipt_gifts_mode', `"mode" IN ('per_gift', 'annual')`)
@Check(
  'ck_receipt_gifts_nature',
  `"nature" IN ('money', 'listed_shares', 'in_kind', 'expense_waiver', 'other')`,
)
@Check(
  'ck_receipt_gifts_form',
  `"form" IN ('authentic_deed', 'private_deed', 'manual_gift', 'other')`,
)
export class ReceiptGiftEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_receipt_gifts' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  contactId!: string;

  @ManyToOne(() => ContactEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_receipt_gifts_contact',
    },
    { name: 'contact_id', referencedColumnName: 'id' },
  ])
  contact?: ContactEntity;

  @Column('varchar', { length: 20 })
  sourceKind!: 'donation' | 'membership';

  @Column('uuid')
  sourceId!: string;

  @Column('date')
  receivedOn!: string;

  @Column('bigint')
  amountCents!: string;

  @Column('bigint', { default: 0 })
  withdrawnCents!: string;

  @Column('char', { length: 3 })
  currency!: string;

  @Column('varchar', { length: 20 })
  nature!: GiftNature;

  @Column('varchar', { length: 20 })
  form!: GiftForm;

  @Column('varchar', { length: 20, nullable: true })
  method!: GiftMethod | null;

  @Column('varchar', { length: 500, nullable: true })
  description!: string | null;

  @Column('varchar', { length: 300, nullable: true })
  valuationMethod!: string | null;

  @Column('varchar', { length: 10 })
  mode!: ReceiptMode;

  /** Why it could not be receipted yet (settings or donor incomplete); cleared once issued. */
  @Column('varchar', { length: 500, nullable: true })
  blockedReason!: string | null;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  updatedAt!: Date;
}

/**
 * An issued receipt: numbered, frozen (the printed data as a snapshot, the PDF bytes and their
 * SHA-256). Append-only: a trigger refuses DELETE and any UPDATE other than cancelling it,
 * linking its replacement, or linking its email.
 */
@Entity({ name: 'receipts' })
@Unique('uq_receipts_org_id', ['organizationId', 'id'])
@Unique('uq_receipts_number', ['organizationId', 'year', 'number'])
@Index('ix_receipts_org_contact', ['organizationId', 'contactId'])
@Index('ix_receipts_org_issued', ['organizationId', 'issuedAt'])
@Check('ck_receipts_number', '"number" > 0')
@Check('ck_receipts_amount', '"amount_cents" > 0')
@Check('ck_receipts_status', `"status" IN ('issued', 'cancelled')`)
@Check('ck_receipts_kind', `"kind" IN ('single', 'annual')`)
@Check('ck_receipts_cancelled', `("status" = 'cancelled') = ("cancelled_at" IS NOT NULL)`)
export class ReceiptEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_receipts' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('int')
  year!: number;

  @Column('int')
  number!: number;

  @Column('varchar', { length: 20 })
  reference!: string;

  @Column('varchar', { length: 10 })
  kind!: ReceiptKind;

  @Column('varchar', { length: 20 })
  model!: ReceiptModel;

  @Column('uuid')
  contactId!: string;

  @ManyToOne(() => ContactEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_receipts_contact',
    },
    { name: 'contact_id', referencedColumnName: 'id' },
  ])
  contact?: ContactEntity;

  @Column('varchar', { length: 250 })
  donorName!: string;

  /** Everything printed, frozen at issue (issuer, donor, gifts, signer). */
  @Column('jsonb')
  snapshot!: Record<string, unknown>;

  @Column('varchar', { array: true, length: 10 })
  articles!: TaxArticle[];

  @Column('bigint')
  amountCents!: string;

  @Column('char', { length: 3 })
  currency!: string;

  @Column('date')
  periodStart!: string;

  @Column('date')
  periodEnd!: string;

  @Column('date')
  issuedOn!: string;

  @Column('timestamptz')
  issuedAt!: Date;

  @Column('uuid', { nullable: true })
  issuedBy!: string | null;

  @Column('bytea', { select: false })
  pdf?: Buffer;

  @Column('char', { length: 64 })
  pdfSha256!: string;

  @Column('varchar', { length: 10 })
  status!: ReceiptStatus;

  @Column('timestamptz', { nullable: true })
  cancelledAt!: Date | null;

  @Column('varchar', { length: 500, nullable: true })
  cancelReason!: string | null;

  @Column('uuid', { nullable: true })
  cancelledBy!: string | null;

  @Column('uuid', { nullable: true })
  replacesId!: string | null;

  @Column('uuid', { nullable: true })
  replacedById!: string | null;

  @Column('uuid', { nullable: true })
  emailId!: string | null;
}

/**
 * Which gifts a receipt certifies. A gift belongs to at most one receipt that is not cancelled
 * (unique partial index on the active lines).
 */
@Entity({ name: 'receipt_lines' })
@Index('uq_receipt_lines_active_gift', ['organizationId', 'giftId'], {
  unique: true,
  where: '"active"',
})
@Check('ck_receipt_lines_amount', '"amount_cents" > 0')
export class ReceiptLineEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_receipt_lines' })
  receiptId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_receipt_lines' })
  giftId!: string;

  @Column('uuid')
  organizationId!: string;

  @ManyToOne(() => ReceiptEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_receipt_lines_receipt',
    },
    { name: 'receipt_id', referencedColumnName: 'id' },
  ])
  receipt?: ReceiptEntity;

  @ManyToOne(() => ReceiptGiftEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_receipt_lines_gift',
    },
    { name: 'gift_id', referencedColumnName: 'id' },
  ])
  gift?: ReceiptGiftEntity;

  /** The amount certified for this gift (what is left after refunds, at issue). */
  @Column('bigint')
  amountCents!: string;

  @Column('date')
  receivedOn!: string;

  @Column('boolean', { default: true })
  active!: boolean;
}

export const RECEIPTS_ENTITIES = [
  ReceiptSettingsEntity,
  ReceiptSequenceEntity,
  ReceiptGiftEntity,
  ReceiptEntity,
  ReceiptLineEntity,
];
