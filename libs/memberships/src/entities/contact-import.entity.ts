import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import type { ImportCounts, ImportEncoding, ImportMappingInput, ImportMode, ImportOutcome, ImportStatus } from '@ruche/contracts';
import { OrganizationEntity } from '@ruche/organizations';

/** An uploaded contact file, its mapping, and the state of its last run (dry run or apply). */
@Entity({ name: 'contact_imports' })
@Unique('uq_contact_imports_org_id', ['organizationId', 'id'])
@Index('ix_contact_imports_org_created', ['organizationId', 'createdAt'])
@Check('ck_contact_imports_status', `"status" IN ('uploaded', 'mapped', 'queued', 'running', 'done', 'failed')`)
export class ContactImportEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_contact_imports' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('varchar', { length: 255 })
  fileName!: string;

  @Column('varchar', { length: 10 })
  format!: 'csv' | 'xlsx';

  @Column('bytea')
  content!: Buffer;

  @Column('integer')
  sizeBytes!: number;

  @Column('varchar', { length: 20, nullable: true })
  encoding!: ImportEncoding | null;

  @Column('varchar', { length: 2, nullable: true })
  delimiter!: string | null;

  @Column('jsonb')
  headers!: string[];

  @Column('jsonb')
  sample!: string[][];

  @Column('integer')
  rowCount!: number;

  @Column('jsonb', { nullable: true })
  mapping!: ImportMappingInput | null;

  @Column('varchar', { length: 20 })
  status!: ImportStatus;

  @Column('varchar', { length: 10, nullable: true })
  mode!: ImportMode | null;

  /** Each run gets the next number: the job id, and stale jobs of earlier runs do nothing. */
  @Column('integer', { default: 0 })
  runSeq!: number;

  @Column('integer', { default: 0 })
  processedRows!: number;

  @Column('jsonb', { nullable: true })
  counts!: ImportCounts | null;

  @Column('text', { nullable: true })
  error!: string | null;

  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  finishedAt!: Date | null;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_contact_imports_organization' })
  organization?: OrganizationEntity;
}

/** The outcome of one line of a run: the import report. */
@Entity({ name: 'contact_import_rows' })
@Index('ix_contact_import_rows_outcome', ['organizationId', 'importId', 'mode', 'outcome', 'rowNumber'])
export class ContactImportRowEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_contact_import_rows' })
  organizationId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_contact_import_rows' })
  importId!: string;

  @PrimaryColumn('varchar', { length: 10, primaryKeyConstraintName: 'pk_contact_import_rows' })
  mode!: ImportMode;

  @PrimaryColumn('integer', { primaryKeyConstraintName: 'pk_contact_import_rows' })
  rowNumber!: number;

  @Column('varchar', { length: 10 })
  outcome!: ImportOutcome;

  @Column('uuid', { nullable: true })
  contactId!: string | null;

  @Column('varchar', { length: 300 })
  label!: string;

  @Column('jsonb')
  messages!: { field: string; message: string }[];

  @ManyToOne(() => ContactImportEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_contact_import_rows_import' },
    { name: 'import_id', referencedColumnName: 'id' },
  ])
  import?: ContactImportEntity;
}
