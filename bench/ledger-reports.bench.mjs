// Reports on a large book: 1,000,000 posted entries (2 or 3 lines each) in one organization-year.
// Loads the book in bulk with SQL (triggers off for the load, then the monthly and daily balances
// are built in one statement each, as the posting trigger would have), then measures through the
// services of the built server: trial balance, income statement, FEC export (time, lines/s,
// peak memory), against a plain indexed scan of the lines as the baseline.
// Usage: npm run build && node bench/ledger-reports.bench.mjs   (BENCH_ENTRIES to change the size)
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
require('reflect-metadata');
const { dataSourceOptions } = require(path.join(root, 'dist/server/migrations/index.js'));
const acc = require(path.join(root, 'dist/server/libs/accounting/src/index.js'));
const { AuditService, SystemClock } = require(path.join(root, 'dist/server/libs/platform/src/index.js'));
const { DataSource } = require('typeorm');

const N = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const RUNS = 7;
const server = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
const database = `ruche_bench_reports_${process.pid}`;
const url = (db) => Object.assign(new URL(server), { pathname: `/${db}` }).toString();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function admin(sql) {
  const c = new pg.Client({ connectionString: url('postgres') });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function time(fn) {
  const t0 = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, result };
}

await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
await admin(`CREATE DATABASE ${database}`);
const ds = new DataSource(dataSourceOptions(url(database), 4, 'ruche-bench'));
await ds.initialize();
await ds.runMigrations({ transaction: 'each' });
try {
  const clock = new SystemClock();
  const audit = new AuditService(clock);
  const setup = new acc.AccountingSetupService(ds);
  const fiscalYears = new acc.FiscalYearsService(ds, audit);
  const reports = new acc.ReportsService(ds, fiscalYears);
  const statements = new acc.StatementsService(ds, fiscalYears, reports);
  const fec = new acc.FecService(ds, fiscalYears);
  const orgId = randomUUID();
  const ctx = { organizationId: orgId, userId: null, role: 'system' };
  await ds.query(`INSERT INTO organizations (id, name, siren) VALUES ($1, 'Grande association', '732829320')`, [orgId]);
  await setup.ensure(ctx);
  const fy = await fiscalYears.create(ctx, { startDate: '2026-01-01', endDate: '2026-12-31' });
  // A second organization with a small book in the same tables, as in real life.
  const load = await time(async () => {
    await ds.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query(
        `INSERT INTO journal_entries (id, organization_id, fiscal_year_id, journal_id, number, entry_date, label, piece_ref, status, source, posted_at, currency, total_cents)
         SELECT gen_random_uuid(), $1, $2, (SELECT id FROM journals WHERE organization_id = $1 AND code = 'ST'), g,
                DATE '2026-01-01' + (g * 365 / ($3 + 1)), 'Cotisation ' || g, 'P' || g, 'posted', 'bench:' || g,
                TIMESTAMP '2026-01-01' + (g * 365 / ($3 + 1)) * INTERVAL '1 day' + INTERVAL '12 hours', 'EUR', 1000 + (g % 9000)
           FROM generate_series(1, $3) AS g`,
        [orgId, fy.id, N],
      );
      await tx.query(
        `WITH a AS (SELECT number, id FROM accounts WHERE organization_id = $1)
         INSERT INTO journal_entry_lines (entry_id, line_no, organization_id, account_id, debit_cents, credit_cents, label)
         SELECT e.id, l.line_no, $1, l.account_id, l.debit, l.credit, NULL
           FROM journal_entries e
           CROSS JOIN LATERAL (VALUES
             (1, (SELECT id FROM a WHERE number = CASE WHEN e.number % 3 = 0 THEN '5121' ELSE '51151' END), e.total_cents - (CASE WHEN e.number % 3 = 0 THEN 0 ELSE 25 END), 0::bigint),
             (2, (SELECT id FROM a WHERE number = '627'), CASE WHEN e.number % 3 = 0 THEN 0 ELSE 25 END, 0::bigint),
             (3, (SELECT id FROM a WHERE number = CASE e.number % 4 WHEN 0 THEN '7561' WHEN 1 THEN '75411' WHEN 2 THEN '7542' ELSE '706' END), 0::bigint, e.total_cents)
           ) AS l(line_no, account_id, debit, credit)
          WHERE e.organization_id = $1 AND (l.debit > 0 OR l.credit > 0)`,
        [orgId],
      );
      await tx.query(
        `INSERT INTO account_balances (organization_id, fiscal_year_id, account_id, period_month, debit_cents, credit_cents)
         SELECT e.organization_id, e.fiscal_year_id, l.account_id, date_trunc('month', e.entry_date)::date, sum(l.debit_cents), sum(l.credit_cents)
           FROM journal_entries e JOIN journal_entry_lines l ON l.organization_id = e.organization_id AND l.entry_id = e.id
          WHERE e.organization_id = $1 GROUP BY 1, 2, 3, 4`,
        [orgId],
      );
      await tx.query(
        `INSERT INTO account_daily_balances (organization_id, fiscal_year_id, day, account_id, debit_cents, credit_cents)
         SELECT e.organization_id, e.fiscal_year_id, e.entry_date, l.account_id, sum(l.debit_cents), sum(l.credit_cents)
           FROM journal_entries e JOIN journal_entry_lines l ON l.organization_id = e.organization_id AND l.entry_id = e.id
          WHERE e.organization_id = $1 GROUP BY 1, 2, 3, 4`,
        [orgId],
      );
      await tx.query(`UPDATE fiscal_years SET last_entry_number = $2 WHERE id = $1`, [fy.id, N]);
    });
    await ds.query('VACUUM ANALYZE journal_entries');
    await ds.query('VACUUM ANALYZE journal_entry_lines');
    await ds.query('VACUUM ANALYZE account_balances');
    await ds.query('VACUUM ANALYZE account_daily_balances');
    // As autovacuum would have done on a live server: the planner needs the small tables' statistics too.
    await ds.query('ANALYZE accounts');
    await ds.query('ANALYZE journals');
    await ds.query('ANALYZE fiscal_years');
  });
  const [{ lines }] = await ds.query(`SELECT count(*)::int AS lines FROM journal_entry_lines WHERE organization_id = $1`, [orgId]);
  console.log(`Node ${process.version}, ${os.cpus().length} x ${os.cpus()[0].model}; book: ${N} entries, ${lines} lines, loaded in ${(load.ms / 1000).toFixed(1)} s`);

  const measure = async (label, fn) => {
    await fn();
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push((await time(fn)).ms);
    console.log(`${label.padEnd(52)} median ${median(runs).toFixed(1).padStart(8)} ms  (min ${Math.min(...runs).toFixed(1)}, ${RUNS} runs)`);
  };
  await measure('baseline: indexed scan of the lines, GROUP BY account', () =>
    ds.query(
      `SELECT l.account_id, sum(l.debit_cents), sum(l.credit_cents) FROM journal_entries e
         JOIN journal_entry_lines l ON l.organization_id = e.organization_id AND l.entry_id = e.id
        WHERE e.organization_id = $1 AND e.fiscal_year_id = $2 AND e.status = 'posted' GROUP BY l.account_id`,
      [orgId, fy.id],
    ),
  );
  await measure('trial balance, whole year (ReportsService)', () => reports.trialBalance(ctx, { fiscalYearId: fy.id, format: 'json' }));
  await measure('trial balance, 2026-03-15 .. 2026-09-10', () => reports.trialBalance(ctx, { fiscalYearId: fy.id, from: '2026-03-15', to: '2026-09-10', format: 'json' }));
  await measure('trial balance, 2026-06-29 .. 2026-11-30', () => reports.trialBalance(ctx, { fiscalYearId: fy.id, from: '2026-06-29', to: '2026-11-30', format: 'json' }));
  await measure('trial balance, 2026-10-02 .. 2026-10-30 (one month)', () => reports.trialBalance(ctx, { fiscalYearId: fy.id, from: '2026-10-02', to: '2026-10-30', format: 'json' }));
  await measure('income statement (StatementsService)', () => statements.incomeStatement(ctx, { fiscalYearId: fy.id, format: 'json' }));
  await measure('income statement, 2026-03-15 .. 2026-09-10', () => statements.incomeStatement(ctx, { fiscalYearId: fy.id, from: '2026-03-15', to: '2026-09-10', format: 'json' }));
  await measure('balance sheet (StatementsService)', () => statements.balanceSheet(ctx, { fiscalYearId: fy.id, format: 'json' }));
  await measure('general ledger, first page of 500 lines', () => reports.generalLedger(ctx, { fiscalYearId: fy.id, limit: 500, format: 'json' }));
  await measure('general ledger of 512x, the page after 2,000 lines', async () => {
    const first = await reports.generalLedger(ctx, { fiscalYearId: fy.id, account: '512', limit: 2000, format: 'json' });
    return reports.generalLedger(ctx, { fiscalYearId: fy.id, account: '512', limit: 500, cursor: first.nextCursor, format: 'json' });
  });

  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const rssBefore = process.memoryUsage().rss;
  let bytes = 0;
  let count = 0;
  const exported = await time(async () => {
    const file = await fec.export(ctx, { fiscalYearId: fy.id, encoding: 'iso-8859-15', separator: 'tab' });
    await pipeline(
      file.stream,
      new Writable({
        write(chunk, _enc, cb) {
          bytes += chunk.length;
          for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) count++;
          cb();
        },
      }),
    );
  });
  clearInterval(sampler);
  console.log(
    `FEC export: ${count - 1} lines, ${(bytes / 1e6).toFixed(0)} MB in ${(exported.ms / 1000).toFixed(1)} s = ${Math.round((count - 1) / (exported.ms / 1000))} lines/s; RSS ${(rssBefore / 1e6).toFixed(0)} MB before, peak ${(peak / 1e6).toFixed(0)} MB`,
  );
} finally {
  await ds.destroy();
  if (process.env.BENCH_KEEP) console.log(`kept database ${database}`);
  else await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}
