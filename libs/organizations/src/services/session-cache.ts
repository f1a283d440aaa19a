import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Role } from '@ruche/core';
import type { Logger } from 'pino';
import {
  APP_CONFIG,
  LOGGER,
  LiveEventsPort,
  type AppConfig,
  type CacheInvalidation,
} from '@ruche/platform';

/** Invalidation topic: the key is a user id; everything cached about that user is forgotten. */
export const AUTH_USER_TOPIC = 'auth.user';

/** What a request knows of the logged-in user (never the password hash). */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  locale: 'fr' | 'en';
}

/** What a request knows of its session. */
export interface SessionInfo {
  id: string;
  userId: string;
  csrfToken: string;
  expiresAt: Date;
  lastSeenAt: Date;
}

/** A valid session, its user and the user's role in the organization asked for (null: none asked, or not a member). */
export interface ResolvedAccess {
  session: SessionInfo;
  user: SessionUser;
  role: Role | null;
}

export interface CachedAccess {
  readonly value: ResolvedAccess;
  /** When the session's last_seen_at was last written (ms since the epoch, the app's clock). */
  lastSeenAt: number;
}

interface Entry extends CachedAccess {
  storedAt: number;
}

const MAX_ENTRIES = 10_000;

/**
 * Resolved sessions kept in this process for SESSION_CACHE_SECONDS, keyed by the session token's
 * hash and the organization asked for, so that an authenticated request needs no database round
 * trip to know who is calling and with which role.
 *
 * Revocation stays immediate: whatever revokes a session or changes a membership (logout,
 * password reset, role change, removal) calls `invalidateUser` after its commit and before
 * answering. That empties this process's entries for the user at once, and through the live
 * events bus (Redis pub/sub when REDIS_URL is set) every other process's, before the request that
 * changed things is answered. A lookup that was already reading the database when an invalidation
 * arrived does not store its answer (generation counter). While the bus cannot promise delivery
 * (Redis subscriber disconnected or not yet subscribed) nothing is served from memory, and
 * everything cached is dropped; the age limit bounds staleness only if that link dies unnoticed.
 * Only a member's role is cached: "not a member" always asks the database.
 */
@Injectable()
export class SessionCache implements OnModuleDestroy {
  private readonly entries = new Map<string, Entry>();
  private readonly maxAgeMs: number;
  private readonly unsubscribe: () => void;
  private generation = 0;

  constructor(
    private readonly bus: LiveEventsPort,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.maxAgeMs = config.sessionCacheSeconds * 1000;
    this.unsubscribe = bus.onInvalidation((message) => this.onInvalidation(message));
  }

  onModuleDestroy(): void {
    this.unsubscribe();
    this.entries.clear();
  }

  /** The cached access for a key, if fresh and if the bus guarantees it would have been told of a change. */
  get(key: string): CachedAccess | undefined {
    if (this.maxAgeMs === 0) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (!this.bus.invalidationsDelivered()) {
      this.entries.clear();
      return undefined;
    }
    if (performance.now() - entry.storedAt > this.maxAgeMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** To pass to `set`: taken before reading the database. */
  ticket(): number {
    return this.generation;
  }

  /** Stores what was read from the database, unless an invalidation arrived since `ticket`. */
  set(key: string, value: ResolvedAccess, ticket: number, lastSeenAt: number): void {
    if (this.maxAgeMs === 0 || ticket !== this.generation || !this.bus.invalidationsDelivered())
      return;
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, lastSeenAt, storedAt: performance.now() });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /**
   * Forgets the user's sessions and roles here (at once) and in every other process (when the bus
   * has taken the message). Call after the change is committed and await it before answering.
   * The change itself is committed: if Redis refuses the message, this is logged as an error and
   * the other processes' entries for the user live at most SESSION_CACHE_SECONDS (their
   * subscribers, most likely cut off from Redis too, have then stopped answering from memory).
   */
  async invalidateUser(userId: string): Promise<void> {
    try {
      await this.bus.invalidate({ topic: AUTH_USER_TOPIC, key: userId });
    } catch (err) {
      this.logger.error(
        { err, userId },
        'session cache: the invalidation could not be sent to the other processes',
      );
    }
  }

  private onInvalidation(message: CacheInvalidation | null): void {
    this.generation++;
    if (message === null) {
      this.entries.clear();
      return;
    }
    if (message.topic !== AUTH_USER_TOPIC) return;
    for (const [key, entry] of this.entries) {
      if (entry.value.user.id === message.key) this.entries.delete(key);
    }
  }
}
