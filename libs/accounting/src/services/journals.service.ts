import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, newId, type OrgContext } from '@ruche/core';
import type { CreateJournalInput, JournalView, UpdateJournalInput } from '@ruche/contracts';
import { AuditService } from '@ruche/platform';
import { AccountingSetupService } from './accounting-setup.service';

@Injectable()
export class JournalsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly setup: AccountingSetupService,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: OrgContext): Promise<JournalView[]> {
    await this.setup.ensure(ctx);
    return this.dataSource.query('SELECT id, code, label, kind, active FROM journals WHERE organization_id = $1 ORDER BY code', [ctx.organizationId]);
  }

  async create(ctx: OrgContext, input: CreateJournalInput): Promise<JournalView> {
    await this.setup.ensure(ctx);
    const id = newId();
    return this.dataSource.transaction(async (tx) => {
      const inserted: unknown[] = await tx.query(
        `INSERT INTO journals (id, organization_id, code, label, kind) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (organization_id, code) DO NOTHING RETURNING id`,
        [id, ctx.organizationId, input.code, input.label, input.kind],
      );
      if (inserted.length === 0) throw DomainError.conflict('accounting.journal_exists', `Journal ${input.code} already exists`, 'code');
      await this.audit.record(ctx, { action: 'accounting.journal-created', entityType: 'journal', entityId: id, after: input }, tx);
      return { id, code: input.code, label: input.label, kind: input.kind, active: true };
    });
  }

  async update(ctx: OrgContext, code: string, input: UpdateJournalInput): Promise<JournalView> {
    await this.setup.ensure(ctx);
    return this.dataSource.transaction(async (tx) => {
      const [before] = await tx.query<JournalView[]>('SELECT id, code, label, kind, active FROM journals WHERE organization_id = $1 AND code = $2 FOR UPDATE', [ctx.organizationId, code.toUpperCase()]);
      if (!before) throw DomainError.notFound('accounting.journal_not_found', `No journal ${code}`);
      await tx.query('UPDATE journals SET label = $3, active = $4 WHERE organization_id = $1 AND id = $2', [ctx.organizationId, before.id, input.label, input.active]);
      await this.audit.record(ctx, { action: 'accounting.journal-updated', entityType: 'journal', entityId: before.id, before, after: input }, tx);
      return { ...before, ...input };
    });
  }
}
