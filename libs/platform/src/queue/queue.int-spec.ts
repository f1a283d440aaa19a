import { randomUUID } from 'node:crypto';
import { createLogger } from '../logging/logger';
import { BullMqQueue } from './bullmq.queue';
import { InProcessQueue } from './in-process.queue';
import { QUEUE_NAMES } from '../platform.module';
import { UnrecoverableJobError, type QueuePort } from './jobs';
import { bullConnection, redisUrl } from '@ruche/testing';

const logger = createLogger('fatal');

type Driver = { name: string; make: () => QueuePort };
const drivers: Driver[] = [
  {
    name: 'BullMQ on Redis',
    make: () =>
      new BullMqQueue(bullConnection(redisUrl()), `ruche-test-${randomUUID().slice(0, 8)}`, logger, QUEUE_NAMES, {
        backoffMs: 20,
        sweepEveryMs: 60_000,
      }),
  },
  { name: 'in process', make: () => new InProcessQueue(logger, { backoffMs: 20, sweepEveryMs: 60_000 }) },
];

describe.each(drivers)('queue driver: $name', ({ make }) => {
  let queue: QueuePort;
  const orgId = randomUUID();

  beforeEach(() => {
    queue = make();
  });
  afterEach(() => queue.close());

  it('runs a job once per deterministic id, even when enqueued twice', async () => {
    const runs: string[] = [];
    await queue.startProcessing(async (name, payload) => {
      if (name === 'mail.send-email') runs.push((payload as { emailId: string }).emailId);
    });
    const emailId = randomUUID();
    await queue.enqueue('mail.send-email', { organizationId: orgId, emailId }, { jobId: `mail.send-email#${emailId}` });
    await queue.enqueue('mail.send-email', { organizationId: orgId, emailId }, { jobId: `mail.send-email#${emailId}` });
    await queue.drain(5000);
    expect(runs).toEqual([emailId]);
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    let attempts = 0;
    await queue.startProcessing(async (name) => {
      if (name !== 'mail.send-email') return;
      attempts++;
      if (attempts < 3) throw new Error('SMTP down');
    });
    const emailId = randomUUID();
    await queue.enqueue('mail.send-email', { organizationId: orgId, emailId }, { jobId: `mail.send-email#${emailId}` });
    await queue.drain(5000);
    expect(attempts).toBe(3);
    expect(await queue.listFailed(orgId, 10)).toEqual([]);
  });

  it('keeps a job that failed for good, lists it for its organization only, and retries it on demand', async () => {
    let fail = true;
    await queue.startProcessing(async (name) => {
      if (name !== 'mail.send-email') return;
      if (fail) throw new UnrecoverableJobError('row not found');
    });
    const emailId = randomUUID();
    const id = `mail.send-email#${emailId}`;
    await queue.enqueue('mail.send-email', { organizationId: orgId, emailId }, { jobId: id });
    await queue.drain(5000);
    const failed = await queue.listFailed(orgId, 10);
    expect(failed).toEqual([expect.objectContaining({ id, name: 'mail.send-email', attemptsMade: 1, failedReason: 'row not found' })]);
    expect(await queue.listFailed(randomUUID(), 10)).toEqual([]);
    expect(await queue.retryFailed(randomUUID(), id)).toBe(false);
    fail = false;
    expect(await queue.retryFailed(orgId, id)).toBe(true);
    await queue.drain(5000);
    expect(await queue.listFailed(orgId, 10)).toEqual([]);
  });

  it('answers the health ping', async () => {
    expect(await queue.ping()).toBe(true);
  });
});
