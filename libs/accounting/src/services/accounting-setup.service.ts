import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { newId, type OrgContext } from '@ruche/core';
import { POSTING_ROLES } from '@ruche/contracts';
import { CHART_FR_PCA_2018 } from '../domain/chart-fr-pca-2018';
import { DEFAULT_JOURNALS, DEFAULT_POSTING_ACCOUNTS } from '../domain/posting-rules';

export const CHART_TEMPLATE = 'FR_PCA_2018';

/**
 * Seeds an organization's books on first use: the ANC 2018-06 chart, the default journals and
 * the account of each posting role. Idempotent and safe under concurrency (one advisory lock
 * per organization, ON CONFLICT everywhere).
 */
@Injectable()
export class AccountingSetupService {
  private readonly ready = new Set<string>();
  /** Transactions that seeded and have not committed yet: what they see is not proof. */
  private readonly seededIn = new WeakSet<EntityManager>();

  constructor(private readonly dataSource: DataSource) {}

  async ensure(ctx: OrgContext, tx?: EntityManager): Promise<void> {
    if (this.ready.has(ctx.organizationId)) return;
    const run = async (m: EntityManager): Promise<boolean> => {
      const rows: unknown[] = await m.query(
        'SELECT 1 FROM accounting_settings WHERE organization_id = $1',
        [ctx.organizationId],
      );
      if (rows.length > 0) return true;
      await this.seed(m, ctx.organizationId);
      this.seededIn.add(m);
      return false;
    };
    // A seed written inside a caller's transaction may still roll back, and other transactions
    // do not see it before it commits: remember only what is committed (found by a transaction
    // that did not seed it, or seeded in a transaction of our own).
    if (tx) {
      if ((await run(tx)) && !this.seededIn.has(tx)) this.ready.add(ctx.organizationId);
    } else {
      await this.dataSource.transaction(run);
      this.ready.add(ctx.organizationId);
    }
  }

  private async seed(m: EntityManager, organizationId: string): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `accounting-setup:${organizationId}`,
    ]);
    const already: unknown[] = await m.query(
      'SELECT 1 FROM accounting_settings WHERE organization_id = $1',
      [organizationId],
    );
    if (already.length > 0) return;
    const numbers = CHART_FR_PCA_2018.map(([number]) => number);
    const labels = CHART_FR_PCA_2018.map(([, label]) => label);
    const ids = numbers.map(() => newId());
    await m.query(
      `INSERT INTO accounts (id, organization_id, number, label)
       SELECT id, $1, number, label FROM unnest($2::uuid[], $3::varchar[], $4::varchar[]) AS t(id, number, label)
       ON CONFLICT (organization_id, number) DO NOTHING`,
      [organizationId, ids, numbers, labels],
    );
    await m.query(
      `INSERT INTO journals (id, organization_id, code, label, kind)
       SELECT id, $1, code, label, kind FROM unnest($2::uuid[], $3::varchar[], $4::varchar[], $5::varchar[]) AS t(id, code, label, kind)
       ON CONFLICT (organization_id, code) DO NOTHING`,
      [
        organizationId,
        DEFAULT_JOURNALS.map(() => newId()),
        DEFAULT_JOURNALS.map((j) => j.code),
        DEFAULT_JOURNALS.map((j) => j.label),
        DEFAULT_JOURNALS.map((j) => j.kind),
      ],
    );
    await m.query(
      `INSERT INTO posting_accounts (organization_id, role, account_id)
       SELECT $1, t.role, a.id FROM unnest($2::varchar[], $3::varchar[]) AS t(role, number)
       JOIN accounts a ON a.organization_id = $1 AND a.number = t.number
       ON CONFLICT (organization_id, role) DO NOTHING`,
      [
        organizationId,
        [...POSTING_ROLES],
        POSTING_ROLES.map((role) => DEFAULT_POSTING_ACCOUNTS[role]),
      ],
    );
    await m.query(
      'INSERT INTO accounting_settings (organization_id, chart_template) VALUES ($1, $2)',
      [organizationId, CHART_TEMPLATE],
    );
  }
}
