import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@ruche/migrations';

/**
 * Databases of a test run share a prefix. Set RUCHE_TEST_RUN (letters, digits) to run two jest
 * processes side by side: each gets its own template and drops only its own databases.
 */
const RUN = process.env['RUCHE_TEST_RUN'];
if (RUN !== undefined && !/^[a-z0-9]{1,20}$/.test(RUN)) throw new Error('RUCHE_TEST_RUN: 1 to 20 lowercase letters or digits');
export const TEST_DB_PREFIX = RUN ? `ruche_run_${RUN}_` : 'ruche_test_';
export const TEMPLATE_DB = `${TEST_DB_PREFIX}template`;

/** The server every test database lives on (DATABASE_URL, default the local PostgreSQL). */
export function serverUrl(database = 'postgres'): string {
  const url = new URL(process.env['TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl('postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Once per run: a template database with every migration applied. */
export async function createTemplateDatabase(): Promise<void> {
  await adminQuery(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${TEMPLATE_DB}`);
  const ds = new DataSource(dataSourceOptions(serverUrl(TEMPLATE_DB), 1, 'ruche-test-setup'));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
}

let workerDb: Promise<string> | null = null;

/** Each jest worker clones the template once; tests isolate themselves by creating their own organization. */
export function workerDatabaseUrl(): Promise<string> {
  workerDb ??= (async () => {
    const name = `${TEST_DB_PREFIX}w${process.env['JEST_WORKER_ID'] ?? '0'}_${process.pid}`;
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
    return serverUrl(name);
  })();
  return workerDb;
}

/** A fresh database of its own (for tests that need an empty one, e.g. the demo seed). */
export async function createScratchDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${TEST_DB_PREFIX}${label}_${process.pid}_${Date.now()}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  return { url: serverUrl(name), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export async function openTestDataSource(url?: string, poolSize = 5): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(url ?? (await workerDatabaseUrl()), poolSize, 'ruche-test'));
  await ds.initialize();
  return ds;
}
