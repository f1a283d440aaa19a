import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { EntryStatus } from '@ruche/contracts';
import { OrganizationEntity } from '@ruche/organizations';
import { FiscalYearEntity } from './fiscal-year.entity';
import { JournalEntity } from './journal.entity';

/**
 * A journal entry (écriture). Drafts may change; once posted it is numbered without gaps in its
 * fiscal year and immutable: triggers refuse UPDATE/DELETE of a posted entry and of its lines,
 * and a deferred constraint trigger refuses to commit an unbalanced posted entry.
 */
@Entity({ name: 'journal_entries' })
@Unique('uq_journal_entries_org_id', ['organizationId', 'id'])
@Index('uq_journal_entries_org_source', ['organizationId', 'source'], { unique: true, where: '"source" IS NOT NULL' })
@Index('uq_journal_entries_number', ['organizationId', 'fiscalYearId', 'number'], { unique: true, where: '"number" IS NOT NULL' })
@Index('uq_journal_entries_reversal_of', ['organizationId', 'reversalOfId'], { unique: true, where: '"reversal_of_id" IS NOT NULL' })
@Index('ix_journal_entries_org_date', ['organizationId', 'entryDate'])
@Check('ck_journal_entries_status', `"status" IN ('draft', 'posted')`)
@Check('ck_journal_entries_posted_number', `("status" = 'posted') = ("number" IS NOT NULL AND "posted_at" IS NOT NULL)`)
@Check('ck_journal_entries_total', '"total_cents" >= 0')
export class JournalEntryEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_journal_entries' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  fiscalYearId!: string;

  @Column('uuid')
  journalId!: string;

  @Column('integer', { nullable: true })
  number!: number | null;

  @Column('date')
  entryDate!: string;

  @Column('varchar', { length: 200 })
  label!: string;

  @Column('varchar', { length: 50, nullable: true })
  pieceRef!: string | null;

  @Column('date', { nullable: true })
  pieceDate!: string | null;

  @Column('varchar', { length: 10 })
  status!: EntryStatus;

  @Column('varchar', { length: 200, nullable: true })
  source!: string | null;

  @Column('timestamptz', { nullable: true })
  postedAt!: Date | null;

  @Column('uuid', { nullable: true })
  postedBy!: string | null;

  @Column('uuid', { nullable: true })
  reversalOfId!: string | null;

  @Column('char', { length: 3 })
  currency!: string;

  @Column('bigint')
  totalCents!: string;

  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_journal_entries_organization' })
  organization?: OrganizationEntity;

  @ManyToOne(() => FiscalYearEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_journal_entries_fiscal_year' },
    { name: 'fiscal_year_id', referencedColumnName: 'id' },
  ])
  fiscalYear?: FiscalYearEntity;

  @ManyToOne(() => JournalEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_journal_entries_journal' },
    { name: 'journal_id', referencedColumnName: 'id' },
  ])
  journal?: JournalEntity;

  @ManyToOne(() => JournalEntryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_journal_entries_reversal_of' },
    { name: 'reversal_of_id', referencedColumnName: 'id' },
  ])
  reversalOf?: JournalEntryEntity;
}
