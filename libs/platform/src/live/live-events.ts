import { Subject, filter, type Observable } from 'rxjs';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { LiveEvent } from '@ruche/contracts';

/** Live changes for open dashboards: published after commit, fanned out to SSE connections. */
export abstract class LiveEventsPort {
  abstract publish(event: LiveEvent): Promise<void>;
  abstract stream(organizationId: string): Observable<LiveEvent>;
  abstract close(): Promise<void>;
}

export class InProcessLiveEvents extends LiveEventsPort {
  protected readonly subject = new Subject<LiveEvent>();

  async publish(event: LiveEvent): Promise<void> {
    this.subject.next(event);
  }

  stream(organizationId: string): Observable<LiveEvent> {
    return this.subject.pipe(filter((e) => e.organizationId === organizationId));
  }

  async close(): Promise<void> {
    this.subject.complete();
  }
}

/** Redis pub/sub, so that the API replicas and the worker processes share one stream. */
export class RedisLiveEvents extends InProcessLiveEvents {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly channel: string;

  constructor(url: string, prefix: string, private readonly logger: Logger) {
    super();
    this.channel = `${prefix}:live-events`;
    this.publisher = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false });
    this.subscriber = new Redis(url, { lazyConnect: false });
    void this.subscriber.subscribe(this.channel).catch((err: Error) => {
      this.logger.error({ err: err.message }, 'live events: subscribe failed');
    });
    this.subscriber.on('message', (_channel: string, message: string) => {
      try {
        this.subject.next(JSON.parse(message) as LiveEvent);
      } catch {
        this.logger.warn('live events: unreadable message');
      }
    });
  }

  override async publish(event: LiveEvent): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(event));
  }

  override async close(): Promise<void> {
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
    await super.close();
  }
}
