import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import {
  createLogger,
  ensureEncryptionKey,
  openDataSource,
  startEmbeddedPostgres,
  type AppConfig,
  type EmbeddedPostgres,
} from '@ruche/platform';
import { dataSourceOptions } from '@ruche/migrations';

export interface Infrastructure {
  config: AppConfig;
  logger: Logger;
  dataSource: DataSource;
  embedded: EmbeddedPostgres | null;
  close(): Promise<void>;
}

/**
 * Opens what every app needs: PostgreSQL (embedded PGlite when DATABASE_URL is unset), the data
 * source, and (when asked) the pending migrations, run before anything serves.
 */
export async function bootInfrastructure(
  rawConfig: AppConfig,
  options: { applicationName: string; migrate: boolean; logger?: Logger },
): Promise<Infrastructure> {
  const config = ensureEncryptionKey(rawConfig);
  const logger = options.logger ?? createLogger(config.logLevel, config.env === 'development' && process.stdout.isTTY);
  let embedded: EmbeddedPostgres | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedDbPort);
    url = embedded.url;
    logger.info({ dataDir: config.dataDir }, 'embedded PostgreSQL (PGlite) started');
  }
  const dataSourceConfig = dataSourceOptions(url, config.databasePoolSize, options.applicationName);
  if (embedded) {
    // PGlite is one session behind every connection: keep the pool's connection open (no idle
    // close), and when a connection is replaced anyway, drop the named statements the previous
    // one prepared in that same session (the ledger's), or the new one could not prepare them.
    Object.assign(dataSourceConfig, { extra: { ...(dataSourceConfig.extra as object), idleTimeoutMillis: 0 } });
  }
  const dataSource = await openDataSource(dataSourceConfig);
  if (embedded) {
    const pool = (dataSource.driver as unknown as { master: { on(event: 'connect', cb: (client: { query(sql: string): Promise<unknown> }) => void): void } }).master;
    pool.on('connect', (client) => {
      client.query('DEALLOCATE ALL').catch((err: unknown) => logger.warn({ err }, 'DEALLOCATE ALL on a new embedded connection'));
    });
  }
  if (options.migrate) {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) logger.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  }
  return {
    config,
    logger,
    dataSource,
    embedded,
    async close() {
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
