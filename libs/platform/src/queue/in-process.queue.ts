import type { Logger } from 'pino';
import {
  JOB_ATTEMPTS,
  JOB_BACKOFF_MS,
  SWEEP_EVERY_MS,
  QueuePort,
  UnrecoverableJobError,
  queueOf,
  type FailedJob,
  type JobHandler,
  type JobName,
  type JobOptions,
  type JobPayloads,
} from './jobs';

interface InProcessJob {
  id: string;
  name: JobName;
  payload: unknown;
  attemptsMade: number;
  state: 'waiting' | 'active' | 'completed' | 'failed';
  failedReason?: string;
  finishedAt?: Date;
}

/**
 * The queue of the embedded start (no Redis): the same job names, ids, retries and backoff as the
 * BullMQ driver, run in this process. PostgreSQL stays the truth; the sweep covers a restart.
 */
export class InProcessQueue extends QueuePort {
  private readonly jobs = new Map<string, InProcessJob>();
  private handler: JobHandler | null = null;
  private running = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly options: { concurrency?: number; backoffMs?: number; sweepEveryMs?: number } = {},
  ) {
    super();
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: JobOptions): Promise<void> {
    const existing = this.jobs.get(options.jobId);
    if (existing && existing.state !== 'completed') return;
    if (existing && existing.finishedAt && Date.now() - existing.finishedAt.getTime() < 60_000) return;
    const job: InProcessJob = { id: options.jobId, name, payload, attemptsMade: 0, state: 'waiting' };
    this.jobs.set(job.id, job);
    this.schedule(job, options.delayMs ?? 0);
  }

  async enqueueMany<N extends JobName>(name: N, jobs: readonly { payload: JobPayloads[N]; options: JobOptions }[]): Promise<void> {
    for (const job of jobs) await this.enqueue(name, job.payload, job.options);
  }

  async startProcessing(handler: JobHandler): Promise<void> {
    this.handler = handler;
    for (const job of this.jobs.values()) if (job.state === 'waiting') this.schedule(job, 0);
    const every = this.options.sweepEveryMs ?? SWEEP_EVERY_MS;
    this.sweepTimer = setInterval(() => {
      void this.enqueue('platform.sweep-pending', {}, { jobId: `platform.sweep-pending#${Date.now()}` });
    }, every);
    this.sweepTimer.unref();
    void this.enqueue('platform.sweep-pending', {}, { jobId: 'platform.sweep-pending#boot' });
  }

  async listFailed(organizationId: string, limit: number): Promise<FailedJob[]> {
    return [...this.jobs.values()]
      .filter((j) => j.state === 'failed' && belongsTo(j.payload, organizationId))
      .slice(0, limit)
      .map((j) => ({
        id: j.id,
        name: j.name,
        queue: queueOf(j.name),
        attemptsMade: j.attemptsMade,
        failedReason: j.failedReason ?? '',
        data: j.payload,
        finishedAt: j.finishedAt ?? null,
      }));
  }

  async retryFailed(organizationId: string, id: string): Promise<boolean> {
    const job = this.jobs.get(id);
    if (!job || job.state !== 'failed' || !belongsTo(job.payload, organizationId)) return false;
    job.state = 'waiting';
    job.attemptsMade = 0;
    this.schedule(job, 0);
    return true;
  }

  async ping(): Promise<boolean> {
    return !this.closed;
  }

  async drain(timeoutMs = 10_000): Promise<void> {
    if (this.isIdle()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Queue did not drain in time')), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private isIdle(): boolean {
    return this.running === 0 && ![...this.jobs.values()].some((j) => j.state === 'waiting' || j.state === 'active');
  }

  private schedule(job: InProcessJob, delayMs: number): void {
    if (!this.handler || this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.run(job);
    }, delayMs);
    this.timers.add(timer);
  }

  private async run(job: InProcessJob): Promise<void> {
    if (!this.handler || job.state !== 'waiting' || this.closed) return;
    if (this.running >= (this.options.concurrency ?? 4)) {
      this.schedule(job, 20);
      return;
    }
    this.running++;
    job.state = 'active';
    job.attemptsMade++;
    try {
      await this.handler(job.name, job.payload as never);
      job.state = 'completed';
      job.finishedAt = new Date();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const final = error instanceof UnrecoverableJobError || job.attemptsMade >= JOB_ATTEMPTS;
      this.logger.warn({ jobId: job.id, attempt: job.attemptsMade, err: message, final }, 'job failed');
      if (final) {
        job.state = 'failed';
        job.failedReason = message;
        job.finishedAt = new Date();
      } else {
        job.state = 'waiting';
        const base = this.options.backoffMs ?? JOB_BACKOFF_MS;
        this.schedule(job, base * 2 ** (job.attemptsMade - 1));
      }
    } finally {
      this.running--;
      if (this.isIdle()) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        waiters.forEach((w) => w());
      }
    }
  }
}

function belongsTo(payload: unknown, organizationId: string): boolean {
  return (payload as { organizationId?: string } | null)?.organizationId === organizationId;
}
