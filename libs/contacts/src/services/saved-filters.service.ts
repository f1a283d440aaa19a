import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, newId, type OrgContext } from '@ruche/core';
import type { SavedFilterInput, SavedFilterView } from '@ruche/contracts';
import { SavedFilterEntity } from '../entities/saved-filter.entity';

@Injectable()
export class SavedFiltersService {
  constructor(private readonly dataSource: DataSource) {}

  /** The user's own filters and the ones shared with the team. */
  async list(ctx: OrgContext): Promise<SavedFilterView[]> {
    const rows = await this.dataSource.query<{ id: string; name: string; filter: SavedFilterView['filter']; shared: boolean; user_id: string | null }[]>(
      'SELECT id, name, filter, shared, user_id FROM saved_filters WHERE organization_id = $1 AND (shared OR user_id = $2) ORDER BY lower(name)',
      [ctx.organizationId, ctx.userId],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, filter: r.filter, shared: r.shared, mine: r.user_id === ctx.userId }));
  }

  async create(ctx: OrgContext, input: SavedFilterInput): Promise<SavedFilterView> {
    const row = { id: newId(), organizationId: ctx.organizationId, userId: ctx.userId, name: input.name, filter: input.filter, shared: input.shared };
    await this.dataSource.getRepository(SavedFilterEntity).insert(row);
    return { id: row.id, name: row.name, filter: row.filter, shared: row.shared, mine: true };
  }

  /** Only its author removes a filter. */
  async remove(ctx: OrgContext, id: string): Promise<void> {
    const row = await this.dataSource.getRepository(SavedFilterEntity).findOne({ where: { organizationId: ctx.organizationId, id } });
    if (!row || (!row.shared && row.userId !== ctx.userId)) throw DomainError.notFound('contacts.saved_filter_not_found', 'No such saved filter');
    if (row.userId !== ctx.userId) throw DomainError.forbidden('contacts.saved_filter_not_yours', 'Only its author removes a saved filter');
    await this.dataSource.getRepository(SavedFilterEntity).delete({ organizationId: ctx.organizationId, id });
  }
}
