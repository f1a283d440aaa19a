import { Subject, filter, type Observable } from 'rxjs';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { LiveEvent } from '@ruche/contracts';

/**
 * "Forget what you cached about `key`" (e.g. topic `auth.user`, key a user id), for every process
 * that keeps an in-memory copy of database rows (the API's session cache).
 */
export interface CacheInvalidation {
  topic: string;
  key: string;
}

/**
 * Called with each invalidation, or with null when this process may have missed some (the
 * cross-process bus lost its connection): the listener must then forget everything.
 */
export type InvalidationListener = (message: CacheInvalidation | null) => void;

/**
 * Live changes for open dashboards: published after commit, fanned out to SSE connections. The
 * same bus carries cache invalidations between processes.
 */
export abstract class LiveEventsPort {
  abstract publish(event: LiveEvent): Promise<void>;
  abstract stream(organizationId: string): Observable<LiveEvent>;
  /**
   * Tells every process to forget a cached thing. This process's listeners run synchronously,
   * before anything else; the promise settles once the bus has accepted the message for the
   * other processes (call it after the change is committed, and await it before answering).
   */
  abstract invalidate(message: CacheInvalidation): Promise<void>;
  abstract onInvalidation(listener: InvalidationListener): () => void;
  /**
   * True while every invalidation published by any process reaches this one. When false (the
   * Redis subscriber is disconnected or not yet subscribed), a cache must not answer from memory.
   */
  abstract invalidationsDelivered(): boolean;
  abstract close(): Promise<void>;
}

export class InProcessLiveEvents extends LiveEventsPort {
  protected readonly subject = new Subject<LiveEvent>();
  private readonly listeners = new Set<InvalidationListener>();

  async publish(event: LiveEvent): Promise<void> {
    this.subject.next(event);
  }

  stream(organizationId: string): Observable<LiveEvent> {
    return this.subject.pipe(filter((e) => e.organizationId === organizationId));
  }

  /** One process: the listeners are every cache there is. */
  async invalidate(message: CacheInvalidation): Promise<void> {
    this.deliver(message);
  }

  onInvalidation(listener: InvalidationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  invalidationsDelivered(): boolean {
    return true;
  }

  protected deliver(message: CacheInvalidation | null): void {
    for (const listener of this.listeners) listener(message);
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
  private readonly invalidationChannel: string;
  /** Set once the subscriber has confirmed both channels on its current connection. */
  private subscribed = false;
  /** Counts the subscriber's connections, so that a late confirmation of an old one is ignored. */
  private connection = 0;

  constructor(url: string, prefix: string, private readonly logger: Logger) {
    super();
    this.channel = `${prefix}:live-events`;
    this.invalidationChannel = `${prefix}:cache-invalidations`;
    this.publisher = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false });
    // Named, so that an operator (or a test) can tell the subscribers apart in CLIENT LIST.
    this.subscriber = new Redis(url, { lazyConnect: false, connectionName: `${prefix}:live-events` });
    // Ready again after a reconnection: subscribe (again) and trust the channels only once Redis
    // confirms. Until then, and whenever the connection drops, invalidations may be missed.
    this.subscriber.on('ready', () => this.subscribe());
    this.subscriber.on('close', () => this.lost());
    this.subscriber.on('end', () => this.lost());
    this.subscriber.on('message', (channel: string, message: string) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(message);
      } catch {
        this.logger.warn('live events: unreadable message');
        return;
      }
      if (channel === this.invalidationChannel) this.deliver(parsed as CacheInvalidation);
      else this.subject.next(parsed as LiveEvent);
    });
  }

  private subscribe(): void {
    const connection = ++this.connection;
    this.subscriber.subscribe(this.channel, this.invalidationChannel).then(
      () => {
        if (connection !== this.connection || this.subscriber.status !== 'ready') return;
        this.subscribed = true;
        // Lookups that began reading before this point may have read rows whose invalidation
        // went out while nobody here listened: listeners forget everything once more.
        this.deliver(null);
      },
      (err: Error) => {
        this.logger.error({ err: err.message }, 'live events: subscribe failed');
      },
    );
  }

  private lost(): void {
    this.connection++;
    if (!this.subscribed) return;
    this.subscribed = false;
    this.logger.warn('live events: Redis subscriber disconnected; caches emptied until it is back');
    this.deliver(null);
  }

  override invalidationsDelivered(): boolean {
    return this.subscribed;
  }

  override async publish(event: LiveEvent): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(event));
  }

  /** Here at once; the other processes when Redis has handed the message to their subscribers. */
  override async invalidate(message: CacheInvalidation): Promise<void> {
    this.deliver(message);
    await this.publisher.publish(this.invalidationChannel, JSON.stringify(message));
  }

  override async close(): Promise<void> {
    this.subscribed = false;
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
    await super.close();
  }
}
