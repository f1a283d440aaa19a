/**
 * Typed job names and payloads. Each domain adds its jobs by declaration merging from its own
 * `src/jobs/` folder:
 *
 *   declare module '@ruche/platform' { interface JobPayloads { 'receipts.issue-receipt': { ... } } }
 *
 * Payloads carry ids only; the state lives in tables.
 */
 
export interface JobPayloads {
  'mail.send-email': { organizationId: string | null; emailId: string };
  'platform.sweep-pending': Record<string, never>;
  'webhooks.deliver': { organizationId: string; deliveryId: string };
}

export type JobName = keyof JobPayloads;

export interface JobOptions {
  /** Deterministic id (`<job-name>#<entity-id>`): enqueuing twice runs the job once. */
  jobId: string;
  delayMs?: number;
}

/**
 * The run a sweep gives to work left pending: a new one each minute (and per attempt count, when
 * there is one). A job that used up its retries, or died while the database was unreachable so
 * that its failures could not be counted, then cannot block the work for good; work still waiting
 * in the queue just runs twice, which every job allows.
 */
export function sweepRun(now: Date, attempts?: number): string {
  const minute = Math.floor(now.getTime() / 60_000);
  return attempts === undefined ? `sweep-${minute}` : `${attempts}-sweep-${minute}`;
}

export function jobId(name: JobName, entityId: string): string {
  // BullMQ refuses ':' in custom ids, hence '#'.
  return `${name}#${entityId}`;
}

/** The queue a job goes to: its domain (`mail.send-email` -> `mail`). */
export function queueOf(name: JobName): string {
  return name.split('.')[0];
}

export interface FailedJob {
  id: string;
  name: JobName;
  queue: string;
  attemptsMade: number;
  failedReason: string;
  data: unknown;
  finishedAt: Date | null;
}

export type JobHandler = <N extends JobName>(name: N, payload: JobPayloads[N]) => Promise<void>;

/** An error that retrying cannot fix (bad payload, missing row): the job fails at once. */
export class UnrecoverableJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnrecoverableJobError';
  }
}

export const JOB_ATTEMPTS = 5;
export const JOB_BACKOFF_MS = 2_000;
export const SWEEP_EVERY_MS = 60_000;
/**
 * How many times a job may lose its worker (crash, OOM kill, deploy) and be taken over before it
 * is failed and shown in the admin. Jobs are idempotent, so a long batch killed a few times
 * simply goes on; only a job that kills its worker over and over is set aside.
 */
export const JOB_MAX_STALLS = 10;

export abstract class QueuePort {
  abstract enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: JobOptions): Promise<void>;
  /** Several jobs of one name at once (one round trip with BullMQ). */
  abstract enqueueMany<N extends JobName>(name: N, jobs: readonly { payload: JobPayloads[N]; options: JobOptions }[]): Promise<void>;
  /** Starts consuming every queue with one handler (the worker's exhaustive switch). */
  abstract startProcessing(handler: JobHandler): Promise<void>;
  abstract listFailed(organizationId: string, limit: number): Promise<FailedJob[]>;
  abstract retryFailed(organizationId: string, id: string): Promise<boolean>;
  /** True when the queue backend answers (health). */
  abstract ping(): Promise<boolean>;
  /** Resolves when nothing is waiting or running (tests and the embedded start use it). */
  abstract drain(timeoutMs?: number): Promise<void>;
  abstract close(): Promise<void>;
}
