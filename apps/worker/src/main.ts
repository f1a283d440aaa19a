import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigError, loadConfig, PlatformModule, QUEUE_NAMES, type PlatformOptions } from '@ruche/platform';
import { bootInfrastructure, ProcessingModule } from '@ruche/runtime';

@Module({})
class WorkerModule {
  static forRoot(platform: PlatformOptions): DynamicModule {
    return { module: WorkerModule, imports: [PlatformModule.forRoot(platform), ProcessingModule] };
  }
}

/** The worker: no HTTP, one BullMQ consumer per queue, the repeatable sweep. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.redisUrl || !config.databaseUrl) {
    throw new ConfigError([
      { variable: config.redisUrl ? 'DATABASE_URL' : 'REDIS_URL', message: 'the separate worker needs PostgreSQL and Redis (the embedded start runs jobs in the API process)' },
    ]);
  }
  const infra = await bootInfrastructure(config, { applicationName: 'ruche-worker', migrate: false });
  const app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot({ config: infra.config, logger: infra.logger, dataSource: infra.dataSource }),
    { logger: ['error', 'warn'] },
  );
  await app.get(ProcessingModule).start();
  infra.logger.info('worker started');
  process.stdout.write(`Ruche worker is running: BullMQ queues ${QUEUE_NAMES.join(', ')} on REDIS_URL\n`);
  const shutdown = async () => {
    await app.close();
    await infra.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
