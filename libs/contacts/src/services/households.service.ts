import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { DomainError, newId, type OrgContext } from '@ruche/core';
import type { ContactHouseholdView, HouseholdInput } from '@ruche/contracts';
import { AuditService } from '@ruche/platform';
import { ContactEntity } from '../entities/contact.entity';
import { HouseholdEntity } from '../entities/household.entity';
import { displayName } from '../domain/normalize';

/** Family members linked together, one payer. A contact belongs to one household at most. */
@Injectable()
export class HouseholdsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(ctx: OrgContext, input: HouseholdInput): Promise<ContactHouseholdView> {
    return this.dataSource.transaction(async (m) => {
      const id = newId();
      await m.getRepository(HouseholdEntity).insert({ id, organizationId: ctx.organizationId, name: input.name, payerContactId: input.payerContactId ?? null });
      await this.setMembers(ctx, id, input.memberIds, m);
      await this.audit.record(ctx, { action: 'household.created', entityType: 'household', entityId: id, after: input }, m);
      return this.view(ctx, id, m);
    });
  }

  async update(ctx: OrgContext, id: string, input: HouseholdInput): Promise<ContactHouseholdView> {
    return this.dataSource.transaction(async (m) => {
      const before = await this.view(ctx, id, m);
      await m.getRepository(HouseholdEntity).update({ organizationId: ctx.organizationId, id }, { name: input.name, payerContactId: input.payerContactId ?? null });
      await m.query('UPDATE contacts SET household_id = NULL WHERE organization_id = $1 AND household_id = $2 AND NOT (id = ANY($3::uuid[]))', [
        ctx.organizationId,
        id,
        input.memberIds,
      ]);
      await this.setMembers(ctx, id, input.memberIds, m);
      await this.audit.record(ctx, { action: 'household.updated', entityType: 'household', entityId: id, before, after: input }, m);
      return this.view(ctx, id, m);
    });
  }

  async get(ctx: OrgContext, id: string): Promise<ContactHouseholdView> {
    return this.view(ctx, id, this.dataSource.manager);
  }

  /** Unlinks the members; the household row stays as the history of what was taken for it. */
  async dissolve(ctx: OrgContext, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const before = await this.view(ctx, id, m);
      await m.query('UPDATE contacts SET household_id = NULL WHERE organization_id = $1 AND household_id = $2', [ctx.organizationId, id]);
      await m.getRepository(HouseholdEntity).update({ organizationId: ctx.organizationId, id }, { payerContactId: null });
      await this.audit.record(ctx, { action: 'household.dissolved', entityType: 'household', entityId: id, before }, m);
    });
  }

  private async setMembers(ctx: OrgContext, id: string, memberIds: readonly string[], m: EntityManager): Promise<void> {
    const members = await m.getRepository(ContactEntity).find({ where: { organizationId: ctx.organizationId, id: In([...memberIds]) } });
    if (members.length !== new Set(memberIds).size) throw DomainError.invalid('contacts.unknown_contact', 'Some members are not contacts of this organization', 'memberIds');
    const elsewhere = members.find((c) => c.householdId && c.householdId !== id);
    if (elsewhere) throw DomainError.conflict('contacts.in_another_household', `${displayName(elsewhere)} belongs to another household`, 'memberIds');
    if (members.some((c) => c.kind !== 'person')) throw DomainError.invalid('contacts.household_people_only', 'A household groups people only', 'memberIds');
    await m.query('UPDATE contacts SET household_id = $2 WHERE organization_id = $1 AND id = ANY($3::uuid[])', [ctx.organizationId, id, memberIds]);
  }

  private async view(ctx: OrgContext, id: string, m: EntityManager): Promise<ContactHouseholdView> {
    const h = await m.getRepository(HouseholdEntity).findOne({ where: { organizationId: ctx.organizationId, id } });
    if (!h) throw DomainError.notFound('contacts.household_not_found', 'No such household');
    const members = await m.getRepository(ContactEntity).find({ where: { organizationId: ctx.organizationId, householdId: id }, order: { sortName: 'ASC' } });
    return { id: h.id, name: h.name, payerContactId: h.payerContactId, members: members.map((c) => ({ id: c.id, displayName: displayName(c) })) };
  }
}
