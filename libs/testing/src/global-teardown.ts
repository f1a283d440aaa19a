import { Client } from 'pg';
import { serverUrl } from './database';

/** jest globalTeardown: drop the per-worker and scratch databases of this run. */
export default async function globalTeardown(): Promise<void> {
  const client = new Client({ connectionString: serverUrl('postgres') });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'ruche\\_test\\_%' AND datname <> 'ruche_test_template'",
    );
    for (const row of rows) await client.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
