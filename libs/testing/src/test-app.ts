import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DataSource } from 'typeorm';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { NestFastifyApplication as App } from '@nestjs/platform-fastify';
import {
  BullMqQueue,
  Clock,
  InProcessQueue,
  QUEUE_NAMES,
  SystemClock,
  createLogger,
  loadConfig,
  type AppConfig,
  type PlatformOptions,
  type QueuePort,
} from '@ruche/platform';

/** The API's app factory (apps/api/src/bootstrap.ts), passed in: a lib never imports an app. */
export type AppFactory = (platform: PlatformOptions) => Promise<App>;
import { ProcessingModule } from '@ruche/runtime';
import { openTestDataSource } from './database';
import { SmtpSink } from './smtp-sink';

export interface TestAppOptions {
  /** 'in-process' (default, fast) or 'bullmq' on the real Redis with a prefix of its own. */
  queue?: 'in-process' | 'bullmq';
  clock?: Clock;
  env?: Record<string, string>;
  /** Start the job processors in this process (default true). */
  processJobs?: boolean;
  databaseUrl?: string;
}

export interface TestApp {
  app: NestFastifyApplication;
  dataSource: DataSource;
  smtp: SmtpSink;
  queue: QueuePort;
  config: AppConfig;
  http: () => request.Agent;
  close(): Promise<void>;
}

export function redisUrl(): string {
  return process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
}

/** The whole API on a real database (a clone of the migrated template), a real SMTP sink and a real queue. */
export async function createTestApp(createApiApp: AppFactory, options: TestAppOptions = {}): Promise<TestApp> {
  const smtp = await new SmtpSink().start();
  const dataSource = await openTestDataSource(options.databaseUrl);
  const useBull = options.queue === 'bullmq';
  const prefix = `ruche-test-${randomUUID().slice(0, 8)}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'fatal',
    DATABASE_URL: 'postgresql://unused@127.0.0.1/unused',
    SMTP_URL: smtp.url,
    DATA_DIR: path.join(os.tmpdir(), `ruche-test-${prefix}`),
    RUCHE_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    PUBLIC_URL: 'http://ruche.test',
    LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
    ADMIN_DIST_DIR: process.env['ADMIN_DIST_DIR'] ?? path.resolve(__dirname, '../../../dist/admin'),
    ...(useBull ? { REDIS_URL: redisUrl(), REDIS_PREFIX: prefix } : {}),
    ...options.env,
  });
  const logger = createLogger(config.logLevel);
  const queue: QueuePort = useBull
    ? new BullMqQueue({ ...bullConnection(redisUrl()) }, prefix, logger, QUEUE_NAMES, { backoffMs: 100, sweepEveryMs: 500 })
    : new InProcessQueue(logger, { backoffMs: 50, sweepEveryMs: 500 });
  const app = await createApiApp({
    config,
    logger,
    dataSource,
    clock: options.clock ?? new SystemClock(),
    queue,
  });
  if (options.processJobs !== false) await app.get(ProcessingModule).start();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    dataSource,
    smtp,
    queue,
    config,
    http: () => request.agent(app.getHttpServer()),
    async close() {
      await app.close();
      await dataSource.destroy();
      await smtp.stop();
    },
  };
}

export function bullConnection(url: string) {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 6379), maxRetriesPerRequest: null };
}
