import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, newId, type OrgContext } from '@ruche/core';
import type { AccountView, CreateAccountInput, UpdateAccountInput } from '@ruche/contracts';
import { AuditService, Clock } from '@ruche/platform';
import { AccountingSetupService } from './accounting-setup.service';

interface AccountRow {
  id: string;
  number: string;
  label: string;
  active: boolean;
  used: boolean;
}

/** The parent of an account: the longest other number of the chart that prefixes it. */
export function parentNumberOf(number: string, all: ReadonlySet<string>): string | null {
  for (let length = number.length - 1; length >= 1; length--) {
    const candidate = number.slice(0, length);
    if (all.has(candidate)) return candidate;
  }
  return null;
}

function toView(row: AccountRow, numbers: ReadonlySet<string>): AccountView {
  return {
    id: row.id,
    number: row.number,
    label: row.label,
    accountClass: row.number.charAt(0),
    parentNumber: parentNumberOf(row.number, numbers),
    active: row.active,
    used: row.used,
  };
}

/** The chart of accounts: list, add sub-accounts, rename, deactivate; a used account stays. */
@Injectable()
export class ChartService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly setup: AccountingSetupService,
    private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  private async rows(organizationId: string, number?: string): Promise<AccountRow[]> {
    return this.dataSource.query(
      `SELECT a.id, a.number, a.label, a.active,
              EXISTS (SELECT 1 FROM journal_entry_lines l WHERE l.organization_id = a.organization_id AND l.account_id = a.id) AS used
         FROM accounts a WHERE a.organization_id = $1 ${number ? 'AND a.number = $2' : ''} ORDER BY a.number`,
      number ? [organizationId, number] : [organizationId],
    );
  }

  async list(ctx: OrgContext): Promise<AccountView[]> {
    await this.setup.ensure(ctx);
    const rows = await this.rows(ctx.organizationId);
    const numbers = new Set(rows.map((r) => r.number));
    return rows.map((r) => toView(r, numbers));
  }

  async create(ctx: OrgContext, input: CreateAccountInput): Promise<AccountView> {
    await this.setup.ensure(ctx);
    const numbers = new Set((await this.rows(ctx.organizationId)).map((r) => r.number));
    if (numbers.has(input.number)) throw DomainError.conflict('accounting.account_exists', `Account ${input.number} already exists`, 'number');
    if (!/^[1-8]/.test(input.number)) throw DomainError.invalid('accounting.account_class', 'Accounts belong to classes 1 to 8', 'number');
    const parent = parentNumberOf(input.number, numbers);
    if (!parent) throw DomainError.invalid('accounting.account_parent', 'A new account extends an account of the chart (e.g. 5122 under 512)', 'number');
    const id = newId();
    await this.dataSource.transaction(async (tx) => {
      await tx.query('INSERT INTO accounts (id, organization_id, number, label) VALUES ($1, $2, $3, $4)', [id, ctx.organizationId, input.number, input.label]);
      await this.audit.record(ctx, { action: 'accounting.account-created', entityType: 'account', entityId: id, after: input }, tx);
    });
    numbers.add(input.number);
    return toView({ id, number: input.number, label: input.label, active: true, used: false }, numbers);
  }

  async update(ctx: OrgContext, number: string, input: UpdateAccountInput): Promise<AccountView> {
    await this.setup.ensure(ctx);
    const updated = await this.dataSource.transaction(async (tx) => {
      const [before] = await tx.query<AccountRow[]>('SELECT id, number, label, active FROM accounts WHERE organization_id = $1 AND number = $2 FOR UPDATE', [ctx.organizationId, number]);
      if (!before) throw DomainError.notFound('accounting.account_not_found', `No account ${number}`);
      if (!input.active && before.active) {
        const roles: { role: string }[] = await tx.query('SELECT role FROM posting_accounts WHERE organization_id = $1 AND account_id = $2', [ctx.organizationId, before.id]);
        if (roles.length > 0) {
          throw DomainError.conflict('accounting.account_in_use', `Account ${number} is used for automatic postings (${roles.map((r) => r.role).join(', ')}): choose another account first`, 'active');
        }
      }
      await tx.query('UPDATE accounts SET label = $3, active = $4, updated_at = $5 WHERE organization_id = $1 AND id = $2', [ctx.organizationId, before.id, input.label, input.active, this.clock.now()]);
      await this.audit.record(ctx, { action: 'accounting.account-updated', entityType: 'account', entityId: before.id, before: { label: before.label, active: before.active }, after: input }, tx);
      return before.id;
    });
    const rows = await this.rows(ctx.organizationId);
    const numbers = new Set(rows.map((r) => r.number));
    const row = rows.find((r) => r.id === updated);
    if (!row) throw DomainError.notFound('accounting.account_not_found');
    return toView(row, numbers);
  }
}
