import type { DataSource } from 'typeorm';

/** The part of node-postgres' pool used for named statements. */
interface PgPool {
  query<R>(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
}

/**
 * Runs one read statement outside any transaction as a named (prepared) statement on a pooled
 * connection of the data source: PostgreSQL parses and plans it once per connection instead of
 * at every call, and the rows come back as node-postgres gives them (no TypeORM mapping). For the
 * hot read paths (session resolution, member status lookup). A name must always go with the same
 * text; the values are parameters, never spliced into the text.
 */
export async function preparedQuery<R>(
  dataSource: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<R[]> {
  const pool = (dataSource.driver as unknown as { master?: PgPool }).master;
  if (!pool || typeof pool.query !== 'function') return dataSource.query<R[]>(text, values);
  return (await pool.query<R>({ name, text, values })).rows;
}
