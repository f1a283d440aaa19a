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
  const dataSource = await openDataSource(dataSourceOptions(url, config.databasePoolSize, options.applicationName));
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
