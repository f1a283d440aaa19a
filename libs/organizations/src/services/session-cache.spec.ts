import { InProcessLiveEvents, createLogger, loadConfig } from '@ruche/platform';
import { AUTH_USER_TOPIC, SessionCache, type ResolvedAccess } from './session-cache';

function access(userId: string, role: ResolvedAccess['role'] = 'owner'): ResolvedAccess {
  const now = new Date('2026-03-02T09:00:00Z');
  return {
    session: {
      id: `s-${userId}`,
      userId,
      csrfToken: 'csrf',
      expiresAt: new Date(now.getTime() + 3_600_000),
      lastSeenAt: now,
    },
    user: { id: userId, email: `${userId}@example.org`, name: userId, locale: 'fr' },
    role,
  };
}

/** A bus whose delivery promise can be withdrawn, as when the Redis subscriber is down. */
class FlakyBus extends InProcessLiveEvents {
  delivered = true;
  override invalidationsDelivered(): boolean {
    return this.delivered;
  }
  lose(): void {
    this.delivered = false;
    this.deliver(null);
  }
}

describe('SessionCache', () => {
  let bus: FlakyBus;
  let cache: SessionCache;
  const make = (seconds: string) =>
    new SessionCache(bus, loadConfig({ SESSION_CACHE_SECONDS: seconds }), createLogger('fatal'));

  beforeEach(() => {
    bus = new FlakyBus();
    cache = make('10');
  });
  afterEach(() => {
    cache.onModuleDestroy();
    jest.restoreAllMocks();
  });

  it('keeps what was read and forgets every entry of an invalidated user, and only those', async () => {
    cache.set('a:org1', access('a'), cache.ticket(), 0);
    cache.set('a:org2', access('a'), cache.ticket(), 0);
    cache.set('b:org1', access('b'), cache.ticket(), 0);
    expect(cache.get('a:org1')?.value.user.id).toBe('a');
    await cache.invalidateUser('a');
    expect(cache.get('a:org1')).toBeUndefined();
    expect(cache.get('a:org2')).toBeUndefined();
    expect(cache.get('b:org1')?.value.user.id).toBe('b');
  });

  it('does not keep an answer read before an invalidation arrived (a lookup racing a logout)', async () => {
    const ticket = cache.ticket(); // the lookup starts reading the database...
    await bus.invalidate({ topic: AUTH_USER_TOPIC, key: 'a' }); // ...the logout commits and invalidates...
    cache.set('a:org1', access('a'), ticket, 0); // ...then the lookup's (stale) answer arrives
    expect(cache.get('a:org1')).toBeUndefined();
    cache.set('a:org1', access('a'), cache.ticket(), 0);
    expect(cache.get('a:org1')).toBeDefined();
  });

  it('serves and keeps nothing while the bus cannot promise delivery, and forgets all when it loses it', () => {
    cache.set('a:org1', access('a'), cache.ticket(), 0);
    const ticket = cache.ticket();
    bus.lose();
    expect(cache.get('a:org1')).toBeUndefined();
    cache.set('b:org1', access('b'), ticket, 0);
    cache.set('b:org1', access('b'), cache.ticket(), 0);
    expect(cache.get('b:org1')).toBeUndefined();
    bus.delivered = true;
    expect(cache.get('a:org1')).toBeUndefined(); // what was there before the loss is gone
    cache.set('b:org1', access('b'), cache.ticket(), 0);
    expect(cache.get('b:org1')).toBeDefined();
  });

  it('lets an entry live SESSION_CACHE_SECONDS at most; 0 keeps nothing', () => {
    let now = 1_000;
    jest.spyOn(performance, 'now').mockImplementation(() => now);
    cache.set('a:org1', access('a'), cache.ticket(), 0);
    now += 10_000;
    expect(cache.get('a:org1')).toBeDefined();
    now += 1;
    expect(cache.get('a:org1')).toBeUndefined();
    const off = make('0');
    off.set('a:org1', access('a'), off.ticket(), 0);
    expect(off.get('a:org1')).toBeUndefined();
    off.onModuleDestroy();
  });

  it('ignores invalidations of other topics', async () => {
    cache.set('a:org1', access('a'), cache.ticket(), 0);
    await bus.invalidate({ topic: 'something.else', key: 'a' });
    expect(cache.get('a:org1')).toBeDefined();
  });
});
