import {
  Global,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import path from 'node:path';
import { APP_CONFIG, type AppConfig } from './config/config';
import { Clock, SystemClock } from './clock/clock';
import { LOGGER } from './logging/tokens';
import { QueuePort } from './queue/jobs';
import { InProcessQueue } from './queue/in-process.queue';
import { BullMqQueue } from './queue/bullmq.queue';
import { MailTransport, OutboxMailTransport, SmtpMailTransport } from './mail/mail-transport';
import { OutboundEmailsService } from './mail/outbound-emails.service';
import { InProcessLiveEvents, LiveEventsPort, RedisLiveEvents } from './live/live-events';
import { AuditService } from './audit/audit.service';
import { HealthService } from './health/health.service';
import { SecretBox } from './crypto/tokens';
import { WebhooksService } from './webhooks/webhooks.service';

/** Closes the queue, the SMTP pool and the live-event connections when the app closes. */
@Injectable()
export class PlatformLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly queue: QueuePort,
    private readonly mail: MailTransport,
    private readonly live: LiveEventsPort,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    await Promise.allSettled([this.mail.close(), this.live.close()]);
  }
}

/** Every BullMQ queue Ruche consumes; a domain adding jobs adds its queue here. */
export const QUEUE_NAMES = [
  'platform',
  'mail',
  'webhooks',
  'memberships',
  'payments',
  'receipts',
  'reconciliation',
];

export interface PlatformOptions {
  config: AppConfig;
  logger: Logger;
  dataSource: DataSource;
  clock?: Clock;
  /** Overrides for tests (e.g. a queue with short backoff). */
  queue?: QueuePort;
  mailTransport?: MailTransport;
  liveEvents?: LiveEventsPort;
}

export function createQueue(config: AppConfig, logger: Logger): QueuePort {
  if (!config.redisUrl) return new InProcessQueue(logger);
  const url = new URL(config.redisUrl);
  return new BullMqQueue(
    {
      host: url.hostname,
      port: Number(url.port || 6379),
      username: url.username || undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
      tls: url.protocol === 'rediss:' ? {} : undefined,
      maxRetriesPerRequest: null,
    },
    config.redisPrefix,
    logger,
    QUEUE_NAMES,
    { lockMs: config.jobLockMs, sweepEveryMs: config.jobSweepMs },
  );
}

export function createMailTransport(config: AppConfig): MailTransport {
  return config.smtpUrl
    ? new SmtpMailTransport(config.smtpUrl)
    : new OutboxMailTransport(path.join(config.dataDir, 'outbox'));
}

export function createLiveEvents(config: AppConfig, logger: Logger): LiveEventsPort {
  return config.redisUrl
    ? new RedisLiveEvents(config.redisUrl, config.redisPrefix, logger)
    : new InProcessLiveEvents();
}

/** The Nest infrastructure every app shares: config, database, queue, mail, live events, audit. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const { config, logger } = options;
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: config },
      { provide: LOGGER, useValue: logger },
      { provide: Clock, useValue: options.clock ?? new SystemClock() },
      { provide: DataSource, useValue: options.dataSource },
      { provide: QueuePort, useValue: options.queue ?? createQueue(config, logger) },
      { provide: MailTransport, useValue: options.mailTransport ?? createMailTransport(config) },
      { provide: LiveEventsPort, useValue: options.liveEvents ?? createLiveEvents(config, logger) },
      {
        provide: SecretBox,
        useFactory: () => {
          if (!config.encryptionKey)
            throw new Error('RUCHE_ENCRYPTION_KEY is not set (see ensureEncryptionKey)');
          return new SecretBox(config.encryptionKey);
        },
      },
      AuditService,
      OutboundEmailsService,
      WebhooksService,
      HealthService,
      PlatformLifecycle,
    ];
    return {
      module: PlatformModule,
      providers,
      exports: providers.map((p) =>
        typeof p === 'function' ? p : (p as { provide: unknown }).provide,
      ) as never,
    };
  }
}
