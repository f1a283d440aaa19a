import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { firstValueFrom, take, timeout } from 'rxjs';
import { redisUrl } from '@ruche/testing';
import { createLogger } from '../logging/logger';
import { InProcessLiveEvents, RedisLiveEvents, type CacheInvalidation } from './live-events';

const logger = createLogger('fatal');

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('live events bus: cache invalidations', () => {
  it('in one process: delivered to the listeners before invalidate() returns', async () => {
    const bus = new InProcessLiveEvents();
    const seen: (CacheInvalidation | null)[] = [];
    const stop = bus.onInvalidation((m) => seen.push(m));
    const sent = bus.invalidate({ topic: 't', key: 'k' });
    expect(seen).toEqual([{ topic: 't', key: 'k' }]);
    await sent;
    stop();
    await bus.invalidate({ topic: 't', key: 'other' });
    expect(seen).toHaveLength(1);
    expect(bus.invalidationsDelivered()).toBe(true);
    await bus.close();
  });

  describe('over Redis, between processes', () => {
    const prefix = `ruche-test-${randomUUID().slice(0, 8)}`;
    let a: RedisLiveEvents;
    let b: RedisLiveEvents;

    beforeEach(async () => {
      a = new RedisLiveEvents(redisUrl(), prefix, logger);
      b = new RedisLiveEvents(redisUrl(), prefix, logger);
      await until(
        () => a.invalidationsDelivered() && b.invalidationsDelivered(),
        'both subscribers',
      );
    });
    afterEach(async () => {
      await Promise.all([a.close(), b.close()]);
    });

    it('reaches the publisher at once and the other process through Redis; live events still flow', async () => {
      const onA: (CacheInvalidation | null)[] = [];
      const onB: (CacheInvalidation | null)[] = [];
      a.onInvalidation((m) => onA.push(m));
      b.onInvalidation((m) => onB.push(m));
      const sent = a.invalidate({ topic: 'auth.user', key: 'u1' });
      expect(onA).toEqual([{ topic: 'auth.user', key: 'u1' }]);
      await sent;
      await until(() => onB.length > 0, 'the invalidation on B');
      expect(onB).toEqual([{ topic: 'auth.user', key: 'u1' }]);
      const orgId = randomUUID();
      const event = firstValueFrom(b.stream(orgId).pipe(take(1), timeout(5000)));
      await a.publish({
        type: 'x.changed',
        organizationId: orgId,
        at: new Date().toISOString(),
        data: {},
      });
      expect((await event).type).toBe('x.changed');
    });

    it('says when it cannot promise delivery: a lost subscriber empties the caches, and again once back', async () => {
      const onB: (CacheInvalidation | null)[] = [];
      b.onInvalidation((m) => onB.push(m));
      const redis = new Redis(redisUrl());
      try {
        const lines = String(await redis.call('CLIENT', 'LIST'))
          .split('\n')
          .filter((line) => line.includes(` name=${prefix}:live-events `));
        expect(lines).toHaveLength(2);
        for (const line of lines)
          await redis.call('CLIENT', 'KILL', 'ID', /id=(\d+)/.exec(line)![1]);
      } finally {
        redis.disconnect();
      }
      await until(() => onB.length > 0, 'the loss on B');
      expect(onB[0]).toBeNull();
      await until(() => b.invalidationsDelivered() && onB.length >= 2, 'B subscribed again');
      expect(onB).toEqual([null, null]);
      const sent = a.invalidate({ topic: 'auth.user', key: 'u2' });
      await sent;
      await until(() => onB.length >= 3, 'the invalidation after the reconnection');
      expect(onB[2]).toEqual({ topic: 'auth.user', key: 'u2' });
    });
  });
});
