import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, type DomainErrorDetail, type OrgContext } from '@ruche/core';
import { POSTING_ROLES, type PostingAccountView, type PostingRole, type UpdatePostingAccountsInput } from '@ruche/contracts';
import { AuditService } from '@ruche/platform';
import { accountNumberProblem } from '../domain/entry-rules';
import { AccountingSetupService } from './accounting-setup.service';

/** Which account each automatic posting uses, per organization (a setting of the treasurer). */
@Injectable()
export class PostingAccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly setup: AccountingSetupService,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: OrgContext): Promise<PostingAccountView[]> {
    await this.setup.ensure(ctx);
    const rows: { role: PostingRole; number: string; label: string }[] = await this.dataSource.query(
      `SELECT p.role, a.number, a.label FROM posting_accounts p
         JOIN accounts a ON a.organization_id = p.organization_id AND a.id = p.account_id
        WHERE p.organization_id = $1`,
      [ctx.organizationId],
    );
    const byRole = new Map(rows.map((r) => [r.role, r]));
    return POSTING_ROLES.flatMap((role) => {
      const row = byRole.get(role);
      return row ? [{ role, accountNumber: row.number, accountLabel: row.label }] : [];
    });
  }

  /** The account number of every role, for the posting rules (inside the caller's transaction). */
  async accounts(ctx: OrgContext, tx: EntityManager): Promise<Record<PostingRole, string>> {
    await this.setup.ensure(ctx, tx);
    const rows: { role: PostingRole; number: string }[] = await tx.query(
      `SELECT p.role, a.number FROM posting_accounts p
         JOIN accounts a ON a.organization_id = p.organization_id AND a.id = p.account_id
        WHERE p.organization_id = $1`,
      [ctx.organizationId],
    );
    const result = Object.fromEntries(rows.map((r) => [r.role, r.number])) as Partial<Record<PostingRole, string>>;
    const missing = POSTING_ROLES.filter((role) => !result[role]);
    if (missing.length > 0) throw DomainError.invalid('accounting.posting_account_missing', `No account set for ${missing.join(', ')}`);
    return result as Record<PostingRole, string>;
  }

  async update(ctx: OrgContext, input: UpdatePostingAccountsInput): Promise<PostingAccountView[]> {
    await this.setup.ensure(ctx);
    const changes = Object.entries(input.accounts) as [PostingRole, string][];
    await this.dataSource.transaction(async (tx) => {
      const problems: DomainErrorDetail[] = [];
      const before = await this.accounts(ctx, tx);
      for (const [role, number] of changes) {
        const field = `accounts.${role}`;
        const shape = accountNumberProblem(number);
        if (shape) {
          problems.push({ field, code: 'accounting.account_not_postable', message: shape });
          continue;
        }
        const [account] = await tx.query<{ id: string; active: boolean }[]>('SELECT id, active FROM accounts WHERE organization_id = $1 AND number = $2', [ctx.organizationId, number]);
        if (!account) problems.push({ field, code: 'accounting.account_unknown', message: `No account ${number} in the chart` });
        else if (!account.active) problems.push({ field, code: 'accounting.account_inactive', message: `Account ${number} is deactivated` });
        else {
          await tx.query(
            `INSERT INTO posting_accounts (organization_id, role, account_id) VALUES ($1, $2, $3)
             ON CONFLICT (organization_id, role) DO UPDATE SET account_id = EXCLUDED.account_id`,
            [ctx.organizationId, role, account.id],
          );
        }
      }
      if (problems.length > 0) throw new DomainError('invalid', 'accounting.posting_accounts_invalid', 'Some accounts cannot be used', { details: problems });
      await this.audit.record(ctx, { action: 'accounting.posting-accounts-updated', entityType: 'posting_accounts', entityId: ctx.organizationId, before, after: input.accounts }, tx);
    });
    return this.list(ctx);
  }
}
