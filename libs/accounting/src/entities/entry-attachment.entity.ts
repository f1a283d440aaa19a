import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { JournalEntryEntity } from './journal-entry.entity';

/**
 * A supporting document of an entry (a scanned invoice, a deposit slip), stored in the database
 * with the books it proves. Once its entry is posted it is part of the record: a trigger
 * refuses to change or delete it.
 */
@Entity({ name: 'entry_attachments' })
@Index('ix_entry_attachments_entry', ['organizationId', 'entryId'])
export class EntryAttachmentEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_entry_attachments' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  entryId!: string;

  @Column('varchar', { length: 200 })
  fileName!: string;

  @Column('varchar', { length: 100 })
  contentType!: string;

  @Column('integer')
  sizeBytes!: number;

  @Column('char', { length: 64 })
  sha256!: string;

  @Column('bytea', { select: false })
  data!: Buffer;

  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => JournalEntryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_entry_attachments_entry' },
    { name: 'entry_id', referencedColumnName: 'id' },
  ])
  entry?: JournalEntryEntity;
}
