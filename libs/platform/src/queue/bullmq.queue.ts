import { Queue, Worker, UnrecoverableError, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from 'pino';
import {
  JOB_ATTEMPTS,
  JOB_BACKOFF_MS,
  JOB_MAX_STALLS,
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

/** Queues on Redis: one BullMQ queue per domain; failed jobs are kept for the admin. */
export class BullMqQueue extends QueuePort {
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];

  constructor(
    private readonly connection: ConnectionOptions,
    private readonly prefix: string,
    private readonly logger: Logger,
    private readonly queueNames: string[],
    private readonly options: {
      concurrency?: number;
      backoffMs?: number;
      sweepEveryMs?: number;
      lockMs?: number;
    } = {},
  ) {
    super();
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: this.connection,
        prefix: this.prefix,
        defaultJobOptions: {
          attempts: JOB_ATTEMPTS,
          backoff: { type: 'exponential', delay: this.options.backoffMs ?? JOB_BACKOFF_MS },
          removeOnComplete: { age: 3600, count: 10_000 },
          removeOnFail: false,
        },
      });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: JobOptions,
  ): Promise<void> {
    await this.queue(queueOf(name)).add(name, payload, {
      jobId: options.jobId,
      delay: options.delayMs,
    });
  }

  async enqueueMany<N extends JobName>(
    name: N,
    jobs: readonly { payload: JobPayloads[N]; options: JobOptions }[],
  ): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue(queueOf(name)).addBulk(
      jobs.map((j) => ({
        name,
        data: j.payload,
        opts: { jobId: j.options.jobId, delay: j.options.delayMs },
      })),
    );
  }

  async startProcessing(handler: JobHandler): Promise<void> {
    for (const name of this.queueNames) {
      const worker = new Worker(
        name,
        async (job: Job) => {
          try {
            await handler(job.name as JobName, job.data as never);
          } catch (error) {
            if (error instanceof UnrecoverableJobError) throw new UnrecoverableError(error.message);
            throw error;
          }
        },
        {
          connection: this.connection,
          prefix: this.prefix,
          concurrency: this.options.concurrency ?? 4,
          // A crashed worker's active jobs go back to the queue once their lock lapses.
          maxStalledCount: JOB_MAX_STALLS,
          ...(this.options.lockMs
            ? { lockDuration: this.options.lockMs, stalledInterval: this.options.lockMs }
            : {}),
        },
      );
      worker.on('failed', (job, err) =>
        this.logger.warn(
          { jobId: job?.id, attempt: job?.attemptsMade, err: err.message },
          'job failed',
        ),
      );
      worker.on('error', (err) => this.logger.error({ err: err.message }, 'worker error'));
      this.workers.push(worker);
    }
    await this.queue('platform').upsertJobScheduler(
      'platform.sweep-pending',
      { every: this.options.sweepEveryMs ?? SWEEP_EVERY_MS },
      { name: 'platform.sweep-pending', data: {} },
    );
  }

  async listFailed(organizationId: string, limit: number): Promise<FailedJob[]> {
    const result: FailedJob[] = [];
    for (const name of this.queueNames) {
      const jobs = await this.queue(name).getFailed(0, 1000);
      for (const job of jobs) {
        if ((job.data as { organizationId?: string })?.organizationId !== organizationId) continue;
        result.push({
          id: job.id ?? '',
          name: job.name as JobName,
          queue: name,
          attemptsMade: job.attemptsMade,
          failedReason: job.failedReason,
          data: job.data,
          finishedAt: job.finishedOn ? new Date(job.finishedOn) : null,
        });
      }
    }
    return result.slice(0, limit);
  }

  async retryFailed(organizationId: string, id: string): Promise<boolean> {
    for (const name of this.queueNames) {
      const job = await this.queue(name).getJob(id);
      if (job && (job.data as { organizationId?: string })?.organizationId === organizationId) {
        if (!(await job.isFailed())) return false;
        await job.retry('failed');
        return true;
      }
    }
    return false;
  }

  async ping(): Promise<boolean> {
    try {
      const client = await this.queue('platform').client;
      return (await (client as unknown as { ping(): Promise<string> }).ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async drain(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      let busy = 0;
      for (const name of this.queueNames) {
        const queue = this.queue(name);
        const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');
        busy += Object.values(counts).reduce((a, b) => a + b, 0);
        // The next run of a repeatable job (the sweep) always waits in "delayed": it is not work in flight.
        const delayed = await queue.getDelayed(0, 1000);
        busy += delayed.filter((job) => !job.repeatJobKey).length;
      }
      if (busy === 0) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('Queue did not drain in time');
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
