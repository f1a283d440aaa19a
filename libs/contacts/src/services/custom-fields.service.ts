import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, newId, type OrgContext } from '@ruche/core';
import type { CustomFieldDefinitionInput, CustomFieldDefinitionView } from '@ruche/contracts';
import { AuditService } from '@ruche/platform';
import { CustomFieldDefinitionEntity } from '../entities/custom-field-definition.entity';

function toView(d: CustomFieldDefinitionEntity): CustomFieldDefinitionView {
  return { id: d.id, key: d.key, label: d.label, type: d.type, options: d.options, required: d.required, position: d.position, active: d.active };
}

/** Fields an organization adds to its contacts. A key and a type never change once created (values depend on them). */
@Injectable()
export class CustomFieldsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: OrgContext): Promise<CustomFieldDefinitionView[]> {
    const rows = await this.dataSource.getRepository(CustomFieldDefinitionEntity).find({
      where: { organizationId: ctx.organizationId },
      order: { position: 'ASC', label: 'ASC' },
    });
    return rows.map(toView);
  }

  async create(ctx: OrgContext, input: CustomFieldDefinitionInput): Promise<CustomFieldDefinitionView> {
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(CustomFieldDefinitionEntity);
      if (await repo.findOne({ where: { organizationId: ctx.organizationId, key: input.key } })) {
        throw DomainError.conflict('contacts.custom_field_exists', `A field "${input.key}" exists already`, 'key');
      }
      const row = repo.create({ id: newId(), organizationId: ctx.organizationId, ...input });
      await repo.insert(row);
      await this.audit.record(ctx, { action: 'custom_field.created', entityType: 'custom_field', entityId: row.id, after: input }, m);
      return toView(row);
    });
  }

  async update(ctx: OrgContext, id: string, input: CustomFieldDefinitionInput): Promise<CustomFieldDefinitionView> {
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(CustomFieldDefinitionEntity);
      const before = await repo.findOne({ where: { organizationId: ctx.organizationId, id } });
      if (!before) throw DomainError.notFound('contacts.custom_field_not_found', 'No such custom field');
      if (before.key !== input.key) throw DomainError.invalid('contacts.custom_field_key_fixed', 'The key of a field cannot change', 'key');
      if (before.type !== input.type) throw DomainError.invalid('contacts.custom_field_type_fixed', 'The type of a field cannot change; create another field', 'type');
      const removed = before.options.filter((o) => !input.options.includes(o));
      if (removed.length > 0) {
        const [{ n }] = await m.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM contacts WHERE organization_id = $1
             AND (custom_fields -> $2 = ANY (SELECT to_jsonb(x) FROM unnest($3::text[]) x)
                  OR EXISTS (SELECT 1 FROM unnest($3::text[]) x WHERE jsonb_typeof(custom_fields -> $2) = 'array' AND jsonb_exists(custom_fields -> $2, x)))`,
          [ctx.organizationId, before.key, removed],
        );
        if (n > 0) throw DomainError.conflict('contacts.custom_field_option_used', `${n} contacts use the options ${removed.join(', ')}`, 'options');
      }
      const changes = { label: input.label, options: input.options, required: input.required, position: input.position, active: input.active };
      await repo.update({ organizationId: ctx.organizationId, id }, changes);
      await this.audit.record(ctx, { action: 'custom_field.updated', entityType: 'custom_field', entityId: id, before: toView(before), after: input }, m);
      return toView({ ...before, ...changes });
    });
  }
}
