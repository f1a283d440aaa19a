import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, newId, type OrgContext } from '@ruche/core';
import type { TagInput, TagView } from '@ruche/contracts';
import { AuditService } from '@ruche/platform';
import { TagEntity } from '../entities/tag.entity';

@Injectable()
export class TagsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: OrgContext): Promise<TagView[]> {
    const rows = await this.dataSource.query<{ id: string; name: string; color: string; contact_count: number }[]>(
      `SELECT t.id, t.name, t.color,
              (SELECT count(*)::int FROM contact_tags ct WHERE ct.organization_id = t.organization_id AND ct.tag_id = t.id) AS contact_count
         FROM tags t WHERE t.organization_id = $1 ORDER BY lower(t.name)`,
      [ctx.organizationId],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, color: r.color.trim(), contactCount: r.contact_count }));
  }

  async create(ctx: OrgContext, input: TagInput): Promise<TagView> {
    return this.dataSource.transaction(async (m) => {
      await this.assertNameFree(ctx, input.name, null, m);
      const tag = { id: newId(), organizationId: ctx.organizationId, name: input.name, color: input.color };
      await m.getRepository(TagEntity).insert(tag);
      await this.audit.record(ctx, { action: 'tag.created', entityType: 'tag', entityId: tag.id, after: input }, m);
      return { id: tag.id, name: tag.name, color: tag.color, contactCount: 0 };
    });
  }

  async update(ctx: OrgContext, id: string, input: TagInput): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const before = await m.getRepository(TagEntity).findOne({ where: { organizationId: ctx.organizationId, id } });
      if (!before) throw DomainError.notFound('contacts.tag_not_found', 'No such tag');
      await this.assertNameFree(ctx, input.name, id, m);
      await m.getRepository(TagEntity).update({ organizationId: ctx.organizationId, id }, { name: input.name, color: input.color });
      await this.audit.record(ctx, { action: 'tag.updated', entityType: 'tag', entityId: id, before: { name: before.name, color: before.color }, after: input }, m);
    });
  }

  /** Removing a tag untags its contacts (the contacts stay). */
  async remove(ctx: OrgContext, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const before = await m.getRepository(TagEntity).findOne({ where: { organizationId: ctx.organizationId, id } });
      if (!before) throw DomainError.notFound('contacts.tag_not_found', 'No such tag');
      await m.query('DELETE FROM contact_tags WHERE organization_id = $1 AND tag_id = $2', [ctx.organizationId, id]);
      await m.getRepository(TagEntity).delete({ organizationId: ctx.organizationId, id });
      await this.audit.record(ctx, { action: 'tag.deleted', entityType: 'tag', entityId: id, before: { name: before.name } }, m);
    });
  }

  private async assertNameFree(ctx: OrgContext, name: string, exceptId: string | null, m: import('typeorm').EntityManager): Promise<void> {
    const rows = await m.query<{ id: string }[]>('SELECT id FROM tags WHERE organization_id = $1 AND lower(name) = lower($2)', [ctx.organizationId, name]);
    if (rows.some((r) => r.id !== exceptId)) throw DomainError.conflict('contacts.tag_exists', `A tag "${name}" exists already`, 'name');
  }
}
