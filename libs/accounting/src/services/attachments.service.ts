import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError, newId, sanitizeFileName, type OrgContext } from '@ruche/core';
import { ATTACHMENT_CONTENT_TYPES, ATTACHMENT_MAX_BYTES, type AttachmentView } from '@ruche/contracts';
import { AuditService } from '@ruche/platform';

interface AttachmentRow {
  id: string;
  entry_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  created_at: Date;
}

const toView = (r: AttachmentRow): AttachmentView => ({
  id: r.id,
  entryId: r.entry_id,
  fileName: r.file_name,
  contentType: r.content_type,
  sizeBytes: r.size_bytes,
  sha256: r.sha256.trim(),
  createdAt: new Date(r.created_at).toISOString(),
});

/** Supporting documents of entries: added any time, removed only while the entry is a draft. */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async add(ctx: OrgContext, entryId: string, file: { fileName: string; contentType: string; data: Buffer }): Promise<AttachmentView> {
    const contentType = file.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    if (!(ATTACHMENT_CONTENT_TYPES as readonly string[]).includes(contentType)) {
      throw DomainError.invalid('accounting.attachment_type', `Accepted files: ${ATTACHMENT_CONTENT_TYPES.join(', ')}`, 'content-type');
    }
    if (file.data.length === 0) throw DomainError.invalid('accounting.attachment_empty', 'The file is empty', 'body');
    if (file.data.length > ATTACHMENT_MAX_BYTES) throw DomainError.invalid('accounting.attachment_too_large', 'At most 10 MB per file', 'body');
    const fileName = sanitizeFileName(file.fileName, 200);
    if (!fileName) throw DomainError.invalid('accounting.attachment_name', 'Give the file a name (x-file-name header)', 'x-file-name');
    const id = newId();
    const sha256 = createHash('sha256').update(file.data).digest('hex');
    return this.dataSource.transaction(async (tx) => {
      const entry = await tx.query<unknown[]>('SELECT 1 FROM journal_entries WHERE organization_id = $1 AND id = $2', [ctx.organizationId, entryId]);
      if (entry.length === 0) throw DomainError.notFound('accounting.entry_not_found', 'No such entry');
      const [row] = await tx.query<AttachmentRow[]>(
        `INSERT INTO entry_attachments (id, organization_id, entry_id, file_name, content_type, size_bytes, sha256, data, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id, entry_id, file_name, content_type, size_bytes, sha256, created_at`,
        [id, ctx.organizationId, entryId, fileName, contentType, file.data.length, sha256, file.data, ctx.userId],
      );
      await this.audit.record(ctx, { action: 'accounting.attachment-added', entityType: 'journal_entry', entityId: entryId, after: { attachmentId: id, fileName, sha256, sizeBytes: file.data.length } }, tx);
      return toView(row);
    });
  }

  async list(ctx: OrgContext, entryId: string): Promise<AttachmentView[]> {
    const entry = await this.dataSource.query<unknown[]>('SELECT 1 FROM journal_entries WHERE organization_id = $1 AND id = $2', [ctx.organizationId, entryId]);
    if (entry.length === 0) throw DomainError.notFound('accounting.entry_not_found', 'No such entry');
    const rows = await this.dataSource.query<AttachmentRow[]>(
      `SELECT id, entry_id, file_name, content_type, size_bytes, sha256, created_at FROM entry_attachments
        WHERE organization_id = $1 AND entry_id = $2 ORDER BY created_at, id`,
      [ctx.organizationId, entryId],
    );
    return rows.map(toView);
  }

  async get(ctx: OrgContext, entryId: string, id: string): Promise<AttachmentView & { data: Buffer }> {
    const [row] = await this.dataSource.query<(AttachmentRow & { data: Buffer })[]>(
      `SELECT id, entry_id, file_name, content_type, size_bytes, sha256, created_at, data FROM entry_attachments
        WHERE organization_id = $1 AND entry_id = $2 AND id = $3`,
      [ctx.organizationId, entryId, id],
    );
    if (!row) throw DomainError.notFound('accounting.attachment_not_found', 'No such attachment');
    return { ...toView(row), data: row.data };
  }

  async remove(ctx: OrgContext, entryId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const [row] = await tx.query<{ status: string; file_name: string }[]>(
        `SELECT e.status, a.file_name FROM entry_attachments a JOIN journal_entries e ON e.organization_id = a.organization_id AND e.id = a.entry_id
          WHERE a.organization_id = $1 AND a.entry_id = $2 AND a.id = $3 FOR UPDATE OF a`,
        [ctx.organizationId, entryId, id],
      );
      if (!row) throw DomainError.notFound('accounting.attachment_not_found', 'No such attachment');
      if (row.status === 'posted') throw DomainError.conflict('accounting.entry_posted', 'The documents of a posted entry are part of the record');
      await tx.query('DELETE FROM entry_attachments WHERE organization_id = $1 AND id = $2', [ctx.organizationId, id]);
      await this.audit.record(ctx, { action: 'accounting.attachment-removed', entityType: 'journal_entry', entityId: entryId, before: { attachmentId: id, fileName: row.file_name } }, tx);
    });
  }
}
