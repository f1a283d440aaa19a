import { Client } from 'pg';
import { serverUrl, TEMPLATE_DB, TEST_DB_PREFIX } from './database';

/** jest globalTeardown: drop the per-worker and scratch databases of this run. */
export default async function globalTeardown(): Promise<void> {
  const client = new Client({ connectionString: serverUrl('postgres') });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1) AND datname <> $2",
      [TEST_DB_PREFIX, TEMPLATE_DB],
    );
    for (const row of rows) await client.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
