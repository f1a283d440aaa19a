import { DataSource, type DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export type EntityList = NonNullable<DataSourceOptions['entities']>;
export type MigrationList = NonNullable<DataSourceOptions['migrations']>;

export function buildDataSourceOptions(input: {
  url: string;
  entities: EntityList;
  migrations: MigrationList;
  poolSize?: number;
  applicationName?: string;
}): DataSourceOptions {
  return {
    type: 'postgres',
    url: input.url,
    entities: input.entities,
    migrations: input.migrations,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    poolSize: input.poolSize ?? 10,
    applicationName: input.applicationName ?? 'ruche',
    extra: { max: input.poolSize ?? 10, connectionTimeoutMillis: 10_000 },
  };
}

export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  return dataSource;
}

/** Postgres error codes the API turns into clear answers instead of a 500. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_CHECK_VIOLATION = '23514';
export const PG_RAISE_EXCEPTION = 'P0001';

export function pgErrorCode(error: unknown): string | undefined {
  const e = error as { code?: string; driverError?: { code?: string } };
  return e?.driverError?.code ?? e?.code;
}
