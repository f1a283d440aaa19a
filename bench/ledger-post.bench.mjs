// Posting throughput: LedgerService.post (checks, one lookup, one CTE statement, the deferred
// balance check and the monthly balances trigger) against a bare `pg` transaction inserting
// the same entry and lines (BEGIN, INSERT entry, INSERT lines, COMMIT), both on one connection,
// on a fresh database of the local PostgreSQL. Target (issue 3): the service reaches at least
// 50% of the bare transaction. Usage: npm run bench -- ledger (or node bench/ledger-post.bench.mjs).
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
require('reflect-metadata');
const { dataSourceOptions } = require(path.join(root, 'dist/server/migrations/index.js'));
const { AccountingSetupService, FiscalYearsService, PostingAccountsService, LedgerService } = require(path.join(root, 'dist/server/libs/accounting/src/index.js'));
const { AuditService, InProcessLiveEvents, InProcessQueue, SecretBox, SystemClock, WebhooksService, createLogger, loadConfig } = require(path.join(root, 'dist/server/libs/platform/src/index.js'));
const { DataSource } = require('typeorm');

const N = Number(process.env.BENCH_ENTRIES ?? 3000);
const server = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
const database = `ruche_bench_ledger_${process.pid}`;
const url = (db) => Object.assign(new URL(server), { pathname: `/${db}` }).toString();

async function admin(sql) {
  const c = new pg.Client({ connectionString: url('postgres') });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
await admin(`CREATE DATABASE ${database}`);
const ds = new DataSource(dataSourceOptions(url(database), 1, 'ruche-bench'));
await ds.initialize();
await ds.runMigrations({ transaction: 'each' });
try {
  const clock = new SystemClock();
  const audit = new AuditService(clock);
  const setup = new AccountingSetupService(ds);
  const fiscalYears = new FiscalYearsService(ds, audit);
  const postingAccounts = new PostingAccountsService(ds, setup, audit);
  const webhooks = new WebhooksService(ds, new InProcessQueue(createLogger('fatal')), new SecretBox(Buffer.alloc(32, 3).toString('base64')), audit, clock, loadConfig({}), createLogger('fatal'));
  const ledger = new LedgerService(ds, setup, fiscalYears, postingAccounts, audit, new InProcessLiveEvents(), webhooks, clock);
  const newOrg = async () => {
    const id = randomUUID();
    await ds.query('INSERT INTO organizations (id, name) VALUES ($1, $2)', [id, 'Bench']);
    return { organizationId: id, userId: null, role: 'system' };
  };
  const lines = [
    { account: '51151', debitCents: 4910, creditCents: 0 },
    { account: '627', debitCents: 90, creditCents: 0 },
    { account: '7561', debitCents: 0, creditCents: 5000 },
  ];
  const dateOf = (i) => `2026-${String((i % 12) + 1).padStart(2, '0')}-15`;

  // Both paths in alternating rounds, each in its own organization, so that neither gets the
  // colder or the bigger tables.
  const ctx = await newOrg();
  await ledger.post(ctx, { journal: 'ST', date: '2026-01-01', label: 'warm-up', source: 'warm-up', lines });
  const bareCtx = await newOrg();
  await ledger.post(bareCtx, { journal: 'ST', date: '2026-01-01', label: 'warm-up', source: 'warm-up', lines });
  const client = new pg.Client({ connectionString: url(database) });
  await client.connect();
  const [{ fy }] = (await client.query('SELECT id AS fy FROM fiscal_years WHERE organization_id = $1', [bareCtx.organizationId])).rows;
  const [{ journal }] = (await client.query(`SELECT id AS journal FROM journals WHERE organization_id = $1 AND code = 'ST'`, [bareCtx.organizationId])).rows;
  const accounts = Object.fromEntries((await client.query(`SELECT number, id FROM accounts WHERE organization_id = $1 AND number IN ('51151','627','7561')`, [bareCtx.organizationId])).rows.map((r) => [r.number, r.id]));
  const ROUNDS = 5;
  const perRound = Math.ceil(N / ROUNDS);
  let serviceSeconds = 0;
  let bareSeconds = 0;
  let posted = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let t0 = process.hrtime.bigint();
    for (let k = 0; k < perRound; k++) {
      const i = round * perRound + k;
      await ledger.post(ctx, { journal: 'ST', date: dateOf(i), label: `Cotisation ${i}`, source: `stripe:ch_${i}`, lines });
    }
    serviceSeconds += Number(process.hrtime.bigint() - t0) / 1e9;
    t0 = process.hrtime.bigint();
    for (let k = 0; k < perRound; k++) {
      const i = round * perRound + k;
      const id = randomUUID();
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO journal_entries (id, organization_id, fiscal_year_id, journal_id, number, entry_date, label, status, source, posted_at, currency, total_cents)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'posted', $8, now(), 'EUR', 5000)`,
        [id, bareCtx.organizationId, fy, journal, i + 2, dateOf(i), `Cotisation ${i}`, `stripe:ch_${i}`],
      );
      await client.query(
        `INSERT INTO journal_entry_lines (entry_id, line_no, organization_id, account_id, debit_cents, credit_cents)
         VALUES ($1, 1, $2, $3, 4910, 0), ($1, 2, $2, $4, 90, 0), ($1, 3, $2, $5, 0, 5000)`,
        [id, bareCtx.organizationId, accounts['51151'], accounts['627'], accounts['7561']],
      );
      await client.query('COMMIT');
    }
    bareSeconds += Number(process.hrtime.bigint() - t0) / 1e9;
    posted += perRound;
  }
  await client.end();

  const service = posted / serviceSeconds;
  const bare = posted / bareSeconds;
  console.log(`Node ${process.version}, ${os.cpus().length} x ${os.cpus()[0].model}, ${posted} entries of 3 lines each per path, one connection, ${ROUNDS} alternating rounds`);
  console.log(`LedgerService.post        ${service.toFixed(0).padStart(6)} entries/s`);
  console.log(`bare pg transaction       ${bare.toFixed(0).padStart(6)} entries/s  (same rows; the triggers run for both)`);
  console.log(`ratio                     ${((service / bare) * 100).toFixed(0)} %  (target >= 50 %)`);
} finally {
  await ds.destroy();
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}
