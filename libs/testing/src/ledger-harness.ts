import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { systemContext, type OrgContext } from '@ruche/core';
import { AuditService, InProcessLiveEvents, InProcessQueue, SecretBox, SystemClock, WebhooksService, createLogger, loadConfig, type Clock } from '@ruche/platform';
import { AccountingSetupService, FiscalYearsService, LedgerService, PostingAccountsService } from '@ruche/accounting';
import { openTestDataSource } from './database';

/**
 * The ledger's services on a real database, without HTTP: for the accounting scenario and
 * property tests. Each call makes a fresh organization (its own books).
 */
export interface LedgerHarness {
  dataSource: DataSource;
  ledger: LedgerService;
  fiscalYears: FiscalYearsService;
  postingAccounts: PostingAccountsService;
  newOrganization(options?: { fiscalYearStartMonth?: number }): Promise<OrgContext>;
  /** Sum of debits minus credits per account number over the posted lines of the organization. */
  balances(ctx: OrgContext): Promise<Map<string, number>>;
  close(): Promise<void>;
}

export async function createLedgerHarness(options: { clock?: Clock } = {}): Promise<LedgerHarness> {
  const dataSource = await openTestDataSource();
  const clock = options.clock ?? new SystemClock();
  const audit = new AuditService(clock);
  const setup = new AccountingSetupService(dataSource);
  const fiscalYears = new FiscalYearsService(dataSource, audit);
  const postingAccounts = new PostingAccountsService(dataSource, setup, audit);
  const live = new InProcessLiveEvents();
  const webhooks = new WebhooksService(dataSource, new InProcessQueue(createLogger('fatal')), new SecretBox(Buffer.alloc(32, 3).toString('base64')), audit, clock, loadConfig({}), createLogger('fatal'));
  const ledger = new LedgerService(dataSource, setup, fiscalYears, postingAccounts, audit, live, webhooks, clock);
  return {
    dataSource,
    ledger,
    fiscalYears,
    postingAccounts,
    async newOrganization({ fiscalYearStartMonth = 1 } = {}) {
      const id = randomUUID();
      await dataSource.query('INSERT INTO organizations (id, name, fiscal_year_start_month) VALUES ($1, $2, $3)', [id, `Association ${id.slice(0, 8)}`, fiscalYearStartMonth]);
      return systemContext(id);
    },
    async balances(ctx) {
      const rows: { number: string; balance: string }[] = await dataSource.query(
        `SELECT a.number, sum(l.debit_cents - l.credit_cents) AS balance
           FROM journal_entry_lines l
           JOIN journal_entries e ON e.organization_id = l.organization_id AND e.id = l.entry_id AND e.status = 'posted'
           JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
          WHERE l.organization_id = $1 GROUP BY a.number`,
        [ctx.organizationId],
      );
      return new Map(rows.map((r) => [r.number, Number(r.balance)]));
    },
    close: () => dataSource.destroy(),
  };
}
