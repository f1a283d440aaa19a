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

/**
 * Codes of a database that cannot be reached right now: the socket refused, reset or timed out;
 * PostgreSQL shutting down, restarting or out of connections (57P01-57P03, 53300). Any code of
 * class 08 (connection exception) too.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/**
 * What node-postgres and its pool say, without a code, when a connection dies under a query
 * ("Connection terminated unexpectedly"), when a client whose connection failed is used again,
 * and when no connection could be had in time.
 */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|not queryable|timeout exceeded when trying to connect/i;

/**
 * True when an error says the database is unreachable for now (down, restarting, a connection
 * cut or refused): the same request may succeed later, so the API answers 503 with Retry-After.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = pgErrorCode(error);
  if (code && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  const e = error as { message?: unknown; driverError?: { message?: unknown } } | null;
  return [e?.message, e?.driverError?.message].some(
    (message) => typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message),
  );
}
