import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, isUuid, systemContext, unstorableTexts, type OrgContext } from '@ruche/core';
import type {
  ListStripeEventsQuery,
  Page,
  PaymentMethod,
  StripeEventState,
  StripeEventView,
} from '@ruche/contracts';
import {
  APP_CONFIG,
  AuditService,
  Clock,
  LOGGER,
  QueuePort,
  UnrecoverableJobError,
  jobId,
  pgErrorCode,
  sweepRun,
  type AppConfig,
} from '@ruche/platform';
import type { Logger } from 'pino';
import { OrganizationEntity } from '@ruche/organizations';
import { StripeEventEntity } from '../entities/stripe.entities';
import {
  dayOfUnix,
  statusOfCheckoutSession,
  statusOfPaymentIntent,
} from '../domain/payment-status';
import {
  StripeGateway,
  isMissingStripeObject,
  isPermanentStripeError,
  type StripeKeys,
} from '../stripe/stripe-gateway';
import { StripeAccountsService } from './stripe-accounts.service';
import { PaymentsService, type PaymentObservation } from './payments.service';
import { SettlementsService } from './settlements.service';
import { organizationTimeZone } from './time-zone';
import { SubscriptionsService } from './subscriptions.service';
import type { AfterCommit } from './payment-purposes';

/** The id Stripe writes first in an event's JSON (`{"id": "evt_…", …`). */
const LEADING_EVENT_ID = /^\s*\{\s*"id"\s*:\s*"(evt_[A-Za-z0-9_]{1,250})"/;
/** A \u escape of U+0000 or of a surrogate: the only ways JSON text can hold what jsonb refuses. */
const MAYBE_UNSTORABLE = /\\u(?:0000|[dD][89a-fA-F])/;

/** How many stored event ids a process remembers to answer Stripe's retries without a query. */
const STORED_MEMORY = 50_000;

/** After this many failed runs an event waits for a person ("retry" in the admin). */
const MAX_ATTEMPTS = 8;

export interface ReceivedEvent {
  id: string;
  duplicate: boolean;
}

type Plan =
  | { paymentId: string; observation: PaymentObservation }
  | { ignored: string }
  /** Work that reads Stripe and writes in the event's transaction (refunds, disputes, payouts). */
  | { sync: (m: EntityManager) => Promise<AfterCommit[] | { ignored: string }> };

interface PendingEvent {
  organizationId: string;
  id: string;
  /** The event's JSON text, as signed (parsed by PostgreSQL into the jsonb column). */
  payload: string;
}

interface BatchItem {
  row: PendingEvent;
  resolve: (duplicate: boolean) => void;
  reject: (error: unknown) => void;
}

/** Year 3000: a `created` beyond is not a date (the reception time stands in). */
const MAX_UNIX_SECONDS = 32_503_680_000;

const REFUSALS: Record<string, string> = {
  body: 'The event is not a JSON object',
  id: 'The event has no valid id',
  type: 'The event has no type',
  'data.object': 'The event has no data.object',
};

function payloadRefusal(field: string, message = REFUSALS[field]): DomainError {
  return DomainError.invalid('payments.webhook_payload_invalid', message, field);
}

/**
 * The checks of an event's JSON text, in the API: for a payload that does not begin with its id
 * (Stripe's always do), and for a batch PostgreSQL could not parse, to find which payload it was.
 * Answers the event id; throws the refusal (400) otherwise.
 */
function checkedEvent(payload: string): string {
  let event: unknown;
  try {
    event = JSON.parse(payload);
  } catch {
    throw payloadRefusal('body', 'The payload is not JSON');
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    throw payloadRefusal('body');
  const e = event as { id?: unknown; type?: unknown; data?: { object?: unknown } };
  if (typeof e.id !== 'string' || !/^evt_[A-Za-z0-9_]+$/.test(e.id) || e.id.length > 255)
    throw payloadRefusal('id');
  if (typeof e.type !== 'string' || e.type.length === 0 || e.type.length > 100)
    throw payloadRefusal('type');
  if (typeof e.data?.object !== 'object' || e.data.object === null || Array.isArray(e.data.object))
    throw payloadRefusal('data.object');
  // Text PostgreSQL cannot hold in jsonb (U+0000, a lone surrogate): Stripe never sends it.
  // In JSON text both can only be written as \u escapes: the parsed event is walked only then.
  const [unstorable] = MAYBE_UNSTORABLE.test(payload) ? unstorableTexts(event, 1) : [];
  if (unstorable)
    throw payloadRefusal('body', `${unstorable.problem} (in ${unstorable.path.join('.')})`);
  return e.id;
}

/** A PostgreSQL data exception (SQLSTATE class 22): bad input in one of the batch's rows. */
const isDataException = (error: unknown) => pgErrorCode(error)?.startsWith('22') === true;

type StripeObject = Record<string, unknown> & {
  id?: string;
  object?: string;
  metadata?: Record<string, string> | null;
};

/**
 * The reliability core. `receive`: check the signature on the raw body, store the event by its
 * id (a duplicate is acknowledged, not stored twice), enqueue, answer. `process` (worker): read
 * the objects' current state from Stripe, apply it forward-only and mark the event processed
 * in one transaction — so duplicates, replays and any order give the same final state.
 */
@Injectable()
export class StripeEventsService {
  private readonly batch: BatchItem[] = [];
  private flushing = false;
  /**
   * Events this process stored and enqueued (bounded, oldest forgotten first): Stripe's next
   * delivery of one is acknowledged as a duplicate without a query. Another process, or this one
   * after a restart, asks the database (ON CONFLICT): the memory only saves work.
   */
  private readonly stored = new Set<string>();
  /** Events being written: a second delivery waits for the same write instead of another row. */
  private readonly writing = new Map<string, Promise<boolean>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: StripeAccountsService,
    private readonly gateway: StripeGateway,
    private readonly payments: PaymentsService,
    private readonly settlements: SettlementsService,
    private readonly subscriptions: SubscriptionsService,
    private readonly queue: QueuePort,
    private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async receive(
    organizationId: string,
    rawBody: Buffer | undefined,
    signature: string | undefined,
  ): Promise<ReceivedEvent> {
    if (!isUuid(organizationId))
      throw DomainError.notFound('payments.organization_unknown', 'No such organization');
    const webhookSecret = await this.accounts.webhookSecret(organizationId);
    if (!webhookSecret) {
      const org = await this.dataSource
        .getRepository(OrganizationEntity)
        .findOne({ where: { id: organizationId }, select: { id: true } });
      throw org
        ? DomainError.notFound(
            'payments.stripe_not_connected',
            'This organization has not connected Stripe',
          )
        : DomainError.notFound('payments.organization_unknown', 'No such organization');
    }
    if (!rawBody || rawBody.length === 0)
      throw DomainError.invalid('payments.webhook_body_missing', 'The request has no body', 'body');
    if (!signature)
      throw DomainError.invalid(
        'payments.webhook_signature_missing',
        'The Stripe-Signature header is missing',
        'stripe-signature',
      );
    const payload = rawBody.toString('utf8');
    try {
      this.gateway.verifySignature(
        payload,
        signature,
        webhookSecret,
        this.config.stripeWebhookToleranceSeconds,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw DomainError.invalid(
        'payments.webhook_signature_invalid',
        /timestamp/i.test(message)
          ? 'The signature is too old (timestamp outside the tolerance)'
          : 'The signature does not match',
        'stripe-signature',
      );
    }
    // Stripe's events begin with their id: a retry of an event this process stored already is
    // acknowledged without parsing it again (the signature above proved the body is Stripe's),
    // and a new one is handed to the batch as text: PostgreSQL parses it once, into jsonb, and
    // reads its type, dates and account there (see `flush`), so the API does not parse it too.
    const leading = LEADING_EVENT_ID.exec(payload);
    if (leading) {
      const key = `${organizationId}/${leading[1]}`;
      if (this.stored.has(key)) return { id: leading[1], duplicate: true };
      const writing = this.writing.get(key);
      if (writing) return writing.then(() => ({ id: leading[1], duplicate: true }));
      return {
        id: leading[1],
        duplicate: await this.store({ organizationId, id: leading[1], payload }),
      };
    }
    const id = checkedEvent(payload);
    return { id, duplicate: await this.store({ organizationId, id, payload }) };
  }

  /**
   * Stores and enqueues verified events in batches: the events that arrive while a batch is being
   * written go together in one multi-row INSERT and one queue round trip (fewer writes per event
   * under load, no wait when idle). Answers whether the event was already stored (a duplicate).
   * The caller's 2xx comes only after its row is committed and its job enqueued.
   */
  private store(row: PendingEvent): Promise<boolean> {
    const key = `${row.organizationId}/${row.id}`;
    if (this.stored.has(key)) return Promise.resolve(true);
    const pending = this.writing.get(key);
    if (pending) return pending.then(() => true);
    const written = new Promise<boolean>((resolve, reject) => {
      this.batch.push({ row, resolve, reject });
      if (!this.flushing) void this.flush();
    });
    this.writing.set(key, written);
    const forget = () => this.writing.delete(key);
    written.then(() => {
      forget();
      this.stored.add(key);
      if (this.stored.size > STORED_MEMORY) this.stored.delete(this.stored.values().next().value!);
    }, forget);
    return written;
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.batch.length > 0) await this.write(this.batch.splice(0, 500));
    } finally {
      this.flushing = false;
    }
  }

  /**
   * One batch: PostgreSQL parses each payload into jsonb and checks it (an object whose id is the
   * one read before, a type, a data.object); the rows that pass are inserted once by (organization,
   * id) and enqueued; the others are refused with their field. A payload PostgreSQL cannot even
   * parse (not JSON, a NUL or lone surrogate escape, a date out of range) fails the statement:
   * each payload of the batch is then checked here, the bad ones refused, and the rest written
   * again.
   */
  private async write(items: BatchItem[]): Promise<void> {
    let results: { organization_id: string; id: string; problem: string | null; fresh: boolean }[];
    try {
      // $1 is the reception time of the whole batch; then 3 parameters per event.
      const values: unknown[] = [this.clock.now()];
      const tuples = items.map(({ row }) => {
        const b = values.push(row.organizationId, row.id, row.payload) - 3;
        return `($${b + 1}::uuid, $${b + 2}::text, $${b + 3}::jsonb)`;
      });
      results = await this.dataSource.query(
        `WITH input (organization_id, id, p) AS (VALUES ${tuples.join(', ')}),
         checked AS (
           SELECT organization_id, id, p, CASE
               WHEN jsonb_typeof(p) IS DISTINCT FROM 'object' THEN 'body'
               WHEN (p->>'id') IS DISTINCT FROM id THEN 'id'
               WHEN jsonb_typeof(p->'type') IS DISTINCT FROM 'string'
                 OR length(p->>'type') NOT BETWEEN 1 AND 100 THEN 'type'
               WHEN jsonb_typeof(p->'data'->'object') IS DISTINCT FROM 'object' THEN 'data.object'
             END AS problem
           FROM input),
         inserted AS (
           INSERT INTO stripe_events (organization_id, id, type, api_version, livemode, account, stripe_created_at, payload, state, attempts, error, received_at, processed_at)
           SELECT organization_id, id, p->>'type',
                  CASE WHEN jsonb_typeof(p->'api_version') = 'string' THEN left(p->>'api_version', 20) END,
                  coalesce(p->'livemode' = 'true'::jsonb, false),
                  CASE WHEN jsonb_typeof(p->'account') = 'string' THEN p->>'account' END,
                  CASE WHEN jsonb_typeof(p->'created') = 'number'
                        AND (p->'created')::numeric BETWEEN 0 AND ${MAX_UNIX_SECONDS}
                       THEN to_timestamp((p->'created')::numeric::float8) ELSE $1 END,
                  p, 'received', 0, NULL, $1, NULL
           FROM checked WHERE problem IS NULL
           ON CONFLICT (organization_id, id) DO NOTHING
           RETURNING organization_id, id)
         SELECT c.organization_id, c.id, c.problem, i.id IS NOT NULL AS fresh
         FROM checked c LEFT JOIN inserted i USING (organization_id, id)`,
        values,
      );
    } catch (error) {
      if (!isDataException(error)) {
        for (const item of items) item.reject(error);
        return;
      }
      const fine = items.filter((item) => {
        try {
          checkedEvent(item.row.payload);
          return true;
        } catch (refusal) {
          item.reject(refusal);
          return false;
        }
      });
      if (fine.length < items.length) {
        if (fine.length > 0) await this.write(fine);
      } else if (items.length > 1) {
        // Not found by the checks here (a NUL in a key, a number beyond what jsonb holds):
        // halves, until the event PostgreSQL refuses is alone.
        const half = Math.ceil(items.length / 2);
        await this.write(items.slice(0, half));
        await this.write(items.slice(half));
      } else {
        items[0].reject(
          payloadRefusal('body', 'The event cannot be stored (PostgreSQL refuses its JSON)'),
        );
      }
      return;
    }
    const byKey = new Map(results.map((r) => [`${r.organization_id}/${r.id}`, r]));
    const accepted: BatchItem[] = [];
    for (const item of items) {
      const result = byKey.get(`${item.row.organizationId}/${item.row.id}`);
      if (result?.problem) item.reject(payloadRefusal(result.problem));
      else accepted.push(item);
    }
    if (accepted.length === 0) return;
    try {
      // One job for the batch (`store` joins a second delivery to the write under way, so an
      // event is in it once); the worker gives each event its job (`fanOut`). Enqueued even when
      // the row was there (another process stored it, maybe unprocessed): the job ids dedupe.
      const byOrganization = new Map<string, string[]>();
      for (const { row } of accepted)
        byOrganization.set(row.organizationId, [
          ...(byOrganization.get(row.organizationId) ?? []),
          row.id,
        ]);
      // One job per organization of the batch (listed and retried in that organization's admin).
      for (const [organizationId, eventIds] of byOrganization)
        await this.queue.enqueue(
          'payments.fan-out-stripe-events',
          { organizationId, eventIds },
          { jobId: jobId('payments.fan-out-stripe-events', randomUUID()) },
        );
    } catch (error) {
      for (const item of accepted) item.reject(error);
      return;
    }
    for (const item of accepted) {
      item.resolve(!byKey.get(`${item.row.organizationId}/${item.row.id}`)!.fresh);
    }
  }

  /** The worker's side of a stored batch: each event its own job, in its first run. */
  async fanOut(organizationId: string, eventIds: readonly string[]): Promise<void> {
    await this.queue.enqueueMany(
      'payments.process-stripe-event',
      eventIds.map((eventId) => ({
        payload: { organizationId, eventId },
        options: {
          jobId: jobId('payments.process-stripe-event', `${organizationId}.${eventId}.0`),
        },
      })),
    );
  }

  /** The job id names the run: a duplicate delivery joins the same run, a retry starts a new one. */
  async enqueue(organizationId: string, eventId: string, run: string | number = 0): Promise<void> {
    await this.queue.enqueue(
      'payments.process-stripe-event',
      { organizationId, eventId },
      { jobId: jobId('payments.process-stripe-event', `${organizationId}.${eventId}.${run}`) },
    );
  }

  /** The worker's job: idempotent, safe to run twice or in any order. */
  async process(organizationId: string, eventId: string): Promise<void> {
    const repo = this.dataSource.getRepository(StripeEventEntity);
    const event = await repo.findOne({ where: { organizationId, id: eventId } });
    if (!event) throw new UnrecoverableJobError(`No Stripe event ${eventId}`);
    if (event.state === 'processed' || event.state === 'ignored') return;
    const ctx = systemContext(organizationId);
    let after: AfterCommit[] = [];
    try {
      const keys = await this.accounts.keys(organizationId);
      if (!keys) throw new UnrecoverableJobError('Stripe is not connected any more');
      const plan = await this.plan(ctx, keys, event);
      after = await this.dataSource.transaction(async (m) => {
        const [row] = await m.query<{ state: StripeEventState }[]>(
          'SELECT state FROM stripe_events WHERE organization_id = $1 AND id = $2 FOR UPDATE',
          [organizationId, eventId],
        );
        if (!row || row.state === 'processed' || row.state === 'ignored') return [];
        let reactions: AfterCommit[] = [];
        let ignoredWhy: string | null = null;
        if ('paymentId' in plan)
          reactions = await this.payments.applyObservation(
            ctx,
            plan.paymentId,
            plan.observation,
            eventId,
            m,
          );
        else if ('ignored' in plan) ignoredWhy = plan.ignored;
        else {
          const outcome = await plan.sync(m);
          if (Array.isArray(outcome)) reactions = outcome;
          else ignoredWhy = outcome.ignored;
        }
        await m.query(
          `UPDATE stripe_events SET state = $3, processed_at = $4, attempts = attempts + 1, error = $5 WHERE organization_id = $1 AND id = $2`,
          [
            organizationId,
            eventId,
            ignoredWhy ? 'ignored' : 'processed',
            this.clock.now(),
            ignoredWhy,
          ],
        );
        return reactions;
      });
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
      if (isMissingStripeObject(error)) {
        // Not an object of this organization's Stripe account: nothing to record, and never retried.
        await this.dataSource.query(
          `UPDATE stripe_events SET state = 'ignored', processed_at = $3, attempts = attempts + 1, error = $4 WHERE organization_id = $1 AND id = $2`,
          [
            organizationId,
            eventId,
            this.clock.now(),
            `Not in this Stripe account: ${message}`.slice(0, 1000),
          ],
        );
        return;
      }
      const permanent =
        error instanceof UnrecoverableJobError ||
        (error instanceof DomainError && error.kind !== 'unavailable') ||
        isPermanentStripeError(error);
      const [{ attempts }] = await this.dataSource.query<{ attempts: number }[]>(
        `WITH failed AS (UPDATE stripe_events SET attempts = attempts + 1, error = $3,
                                state = CASE WHEN $4::boolean OR attempts + 1 >= $5 THEN 'failed' ELSE state END
                          WHERE organization_id = $1 AND id = $2 RETURNING attempts)
         SELECT coalesce(max(attempts), 0)::int AS attempts FROM failed`,
        [organizationId, eventId, message, permanent, MAX_ATTEMPTS],
      );
      this.logger.warn(
        { organizationId, eventId, type: event.type, attempts, err: message },
        'stripe event not processed',
      );
      if (permanent || attempts >= MAX_ATTEMPTS) throw new UnrecoverableJobError(message);
      throw error;
    }
    for (const run of after) {
      await run().catch((err: unknown) =>
        this.logger.error({ err, eventId }, 'after stripe event'),
      );
    }
  }

  /**
   * Replays the events Stripe sent but Ruche never stored (an outage longer than Stripe's retries,
   * a webhook endpoint misconfigured for a while): Stripe's own list of events since the last
   * catch-up (one day back the first time), stored like received ones. Idempotent by event id.
   * Asked by a person (`requestedBy`), it is audited; the scheduled catch-up is not.
   */
  async catchUp(organizationId: string, requestedBy?: OrgContext): Promise<number> {
    const keys = await this.accounts.keys(organizationId);
    if (!keys)
      throw DomainError.notFound('payments.stripe_not_connected', 'Stripe is not connected');
    const [account] = await this.dataSource.query<{ last_catch_up_at: Date | null }[]>(
      'SELECT last_catch_up_at FROM stripe_accounts WHERE organization_id = $1',
      [organizationId],
    );
    const startedAt = this.clock.now();
    // An hour of overlap: events created just before the last run may have been listed late.
    const since = Math.floor(
      ((account?.last_catch_up_at?.getTime() ?? startedAt.getTime() - 24 * 3600_000) - 3600_000) /
        1000,
    );
    const events = await this.gateway.eventsSince(keys, since, 5_000);
    let stored = 0;
    for (const event of events) {
      const duplicate = await this.store({
        organizationId,
        id: event.id,
        payload: JSON.stringify(event),
      }).catch((error: unknown) => {
        // An event Stripe lists but Ruche refuses (no type, no object) is skipped, not retried.
        if (!(error instanceof DomainError && error.kind === 'invalid')) throw error;
        this.logger.warn(
          { organizationId, eventId: event.id, err: error.message },
          'stripe event refused',
        );
        return true;
      });
      if (!duplicate) stored++;
    }
    await this.dataSource.transaction(async (m) => {
      await m.query('UPDATE stripe_accounts SET last_catch_up_at = $2 WHERE organization_id = $1', [
        organizationId,
        startedAt,
      ]);
      if (requestedBy)
        await this.audit.record(
          requestedBy,
          {
            action: 'stripe.events-caught-up',
            entityType: 'stripe_account',
            entityId: organizationId,
            after: { listed: events.length, replayed: stored },
          },
          m,
        );
    });
    if (stored > 0)
      this.logger.warn({ organizationId, stored }, 'stripe events replayed from the event list');
    return stored;
  }

  /** The sweep: a catch-up for each connected organization not caught up for `everyMinutes`. */
  async catchUpDue(everyMinutes: number, limit = 50): Promise<number> {
    const due = await this.dataSource.query<{ organization_id: string }[]>(
      `SELECT organization_id FROM stripe_accounts WHERE last_catch_up_at IS NULL OR last_catch_up_at < $1 ORDER BY last_catch_up_at NULLS FIRST LIMIT $2`,
      [new Date(this.clock.now().getTime() - everyMinutes * 60_000), limit],
    );
    let total = 0;
    for (const row of due) {
      total += await this.catchUp(row.organization_id).catch((err: unknown) => {
        this.logger.warn(
          {
            organizationId: row.organization_id,
            err: err instanceof Error ? err.message : String(err),
          },
          'stripe catch-up failed',
        );
        return 0;
      });
    }
    return total;
  }

  /**
   * Events left `received`: a crash between commit and enqueue, a queue that lost a job, or a job
   * that used up its retries while the database was unreachable (its failures could not be
   * counted, so the event's run id did not change and the failed job would block it). A new run
   * per minute: a dead job cannot hold an event back; one still waiting just runs twice, safely.
   */
  async sweepPending(olderThanMs = 30_000, limit = 500): Promise<number> {
    const rows = await this.dataSource.query<
      { organization_id: string; id: string; attempts: number }[]
    >(
      `SELECT organization_id, id, attempts FROM stripe_events WHERE state = 'received' AND received_at < $1 ORDER BY received_at LIMIT $2`,
      [new Date(this.clock.now().getTime() - olderThanMs), limit],
    );
    for (const r of rows)
      await this.enqueue(r.organization_id, r.id, sweepRun(this.clock.now(), r.attempts));
    return rows.length;
  }

  async list(ctx: OrgContext, query: ListStripeEventsQuery): Promise<Page<StripeEventView>> {
    const params: unknown[] = [ctx.organizationId];
    let where = 'organization_id = $1';
    if (query.state) {
      params.push(query.state);
      where += ' AND state = $2';
    }
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM stripe_events WHERE ${where}`,
      params,
    );
    const rows = await this.dataSource.query<
      {
        id: string;
        type: string;
        api_version: string | null;
        livemode: boolean;
        state: StripeEventState;
        received_at: Date;
        processed_at: Date | null;
        error: string | null;
      }[]
    >(
      `SELECT id, type, api_version, livemode, state, received_at, processed_at, error FROM stripe_events WHERE ${where}
        ORDER BY received_at DESC, id DESC LIMIT ${query.limit} OFFSET ${query.offset}`,
      params,
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        type: r.type,
        apiVersion: r.api_version,
        livemode: r.livemode,
        state: r.state,
        receivedAt: r.received_at.toISOString(),
        processedAt: r.processed_at?.toISOString() ?? null,
        error: r.error,
      })),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  /** A person asks to run a failed (or ignored) event again. */
  async retry(ctx: OrgContext, eventId: string): Promise<StripeEventView> {
    const n = await this.dataSource.transaction(async (m) => {
      const [{ n: reset }] = await m.query<{ n: number }[]>(
        `WITH reset AS (UPDATE stripe_events SET state = 'received', attempts = 0, error = NULL
                         WHERE organization_id = $1 AND id = $2 AND state IN ('failed', 'ignored') RETURNING 1)
         SELECT count(*)::int AS n FROM reset`,
        [ctx.organizationId, eventId],
      );
      // Running an event again can book money: who asked is kept.
      if (reset > 0)
        await this.audit.record(
          ctx,
          { action: 'stripe.event-retried', entityType: 'stripe_event', entityId: eventId },
          m,
        );
      return reset;
    });
    if (n === 0) {
      const exists = await this.dataSource
        .getRepository(StripeEventEntity)
        .exists({ where: { organizationId: ctx.organizationId, id: eventId } });
      if (!exists) throw DomainError.notFound('payments.event_not_found', 'No such Stripe event');
      throw DomainError.conflict(
        'payments.event_not_retryable',
        'Only failed or ignored events can be run again',
      );
    }
    await this.enqueue(
      ctx.organizationId,
      eventId,
      `retry-${this.clock.now().getTime()}-${Math.random().toString(36).slice(2, 8)}`,
    );
    const page = await this.list(ctx, { limit: 200, offset: 0 });
    const found = page.items.find((e) => e.id === eventId);
    if (found) return found;
    const [r] = await this.dataSource.query<
      {
        type: string;
        api_version: string | null;
        livemode: boolean;
        state: StripeEventState;
        received_at: Date;
        processed_at: Date | null;
        error: string | null;
      }[]
    >(
      'SELECT type, api_version, livemode, state, received_at, processed_at, error FROM stripe_events WHERE organization_id = $1 AND id = $2',
      [ctx.organizationId, eventId],
    );
    return {
      id: eventId,
      type: r.type,
      apiVersion: r.api_version,
      livemode: r.livemode,
      state: r.state,
      receivedAt: r.received_at.toISOString(),
      processedAt: r.processed_at?.toISOString() ?? null,
      error: r.error,
    };
  }

  // ---- routing: what an event is about, read from Stripe's current state -------------------

  private async plan(ctx: OrgContext, keys: StripeKeys, event: StripeEventEntity): Promise<Plan> {
    const object = (event.payload['data'] as { object?: StripeObject } | undefined)?.object ?? {};
    const timeZone = await organizationTimeZone(this.dataSource, ctx.organizationId);
    if (event.type.startsWith('checkout.session.')) {
      if (typeof object.id !== 'string') return { ignored: 'No checkout session id' };
      const session = await this.gateway.checkoutSession(keys, object.id);
      const payment = await this.payments.findForStripe(ctx, {
        paymentId: session.metadata?.['paymentId'] ?? session.client_reference_id,
        checkoutSessionId: session.id,
      });
      if (!payment) return { ignored: 'Not a payment asked by Ruche' };
      const invoiceId =
        typeof session.invoice === 'string' ? session.invoice : (session.invoice?.id ?? null);
      if (session.mode === 'subscription' && invoiceId) {
        return {
          sync: (m) =>
            this.subscriptions.syncInvoice(
              ctx,
              keys,
              invoiceId,
              event.id,
              (pi) => this.observePaymentIntent(keys, pi, timeZone),
              m,
            ),
        };
      }
      const piId =
        typeof session.payment_intent === 'string'
          ? session.payment_intent
          : (session.payment_intent?.id ?? null);
      if (piId)
        return {
          paymentId: payment.id,
          observation: {
            ...(await this.observePaymentIntent(keys, piId, timeZone)),
            checkoutSessionId: session.id,
          },
        };
      return {
        paymentId: payment.id,
        observation: {
          status: statusOfCheckoutSession(session),
          method: null,
          livemode: session.livemode,
          checkoutSessionId: session.id,
        },
      };
    }
    if (event.type.startsWith('invoice.')) {
      if (typeof object.id !== 'string') return { ignored: 'No invoice id' };
      const invoiceId = object.id;
      return {
        sync: (m) =>
          this.subscriptions.syncInvoice(
            ctx,
            keys,
            invoiceId,
            event.id,
            (pi) => this.observePaymentIntent(keys, pi, timeZone),
            m,
          ),
      };
    }
    if (event.type.startsWith('customer.subscription.')) {
      if (typeof object.id !== 'string') return { ignored: 'No subscription id' };
      const subscriptionId = object.id;
      return {
        sync: async (m) =>
          (await this.subscriptions.syncSubscription(ctx, keys, subscriptionId, m))
            ? []
            : { ignored: 'A subscription of another organization' },
      };
    }
    if (event.type.startsWith('payment_intent.')) {
      if (typeof object.id !== 'string') return { ignored: 'No payment intent id' };
      let payment = await this.payments.findForStripe(ctx, {
        paymentId: object.metadata?.['paymentId'],
        paymentIntentId: object.id,
      });
      if (!payment) {
        // Older API versions do not copy the metadata: find the Checkout Session that made it.
        const sessions = await this.gateway
          .client(keys)
          .checkout.sessions.list({ payment_intent: object.id, limit: 1 });
        const session = sessions.data[0];
        if (session)
          payment = await this.payments.findForStripe(ctx, {
            paymentId: session.metadata?.['paymentId'] ?? session.client_reference_id,
            checkoutSessionId: session.id,
          });
      }
      if (!payment) return { ignored: 'Not a payment asked by Ruche' };
      return {
        paymentId: payment.id,
        observation: await this.observePaymentIntent(keys, object.id, timeZone),
      };
    }
    if (
      event.type === 'charge.refunded' ||
      event.type === 'charge.refund.updated' ||
      event.type.startsWith('refund.')
    ) {
      const chargeId =
        object.object === 'charge'
          ? object.id
          : (object['charge'] as string | { id: string } | null | undefined);
      const id = typeof chargeId === 'string' ? chargeId : chargeId?.id;
      if (!id) return { ignored: 'No charge id' };
      return { sync: (m) => this.settlements.syncRefunds(ctx, keys, id, event.id, m) };
    }
    if (event.type.startsWith('charge.dispute.')) {
      if (typeof object.id !== 'string') return { ignored: 'No dispute id' };
      const disputeId = object.id;
      return { sync: (m) => this.settlements.syncDispute(ctx, keys, disputeId, event.id, m) };
    }
    if (event.type.startsWith('payout.')) {
      if (typeof object.id !== 'string') return { ignored: 'No payout id' };
      const payoutId = object.id;
      return { sync: (m) => this.settlements.syncPayout(ctx, keys, payoutId, m) };
    }
    return { ignored: `Event type ${event.type} is not handled` };
  }

  private async observePaymentIntent(
    keys: StripeKeys,
    id: string,
    timeZone: string,
  ): Promise<PaymentObservation> {
    const pi = await this.gateway.paymentIntent(keys, id);
    const status = statusOfPaymentIntent(pi);
    const charge =
      typeof pi.latest_charge === 'object' && pi.latest_charge !== null ? pi.latest_charge : null;
    const methodType = charge?.payment_method_details?.type ?? pi.payment_method_types?.[0] ?? null;
    const method: PaymentMethod | null =
      methodType === 'card' || methodType === 'sepa_debit'
        ? methodType
        : methodType
          ? 'other'
          : null;
    let settlement: PaymentObservation['settlement'] = null;
    if (status === 'succeeded' && charge) {
      let bt = charge.balance_transaction;
      if (typeof bt === 'string')
        bt = await this.gateway.client(keys).balanceTransactions.retrieve(bt);
      if (bt) {
        settlement = {
          balanceTransactionId: bt.id,
          grossCents: bt.amount,
          feeCents: bt.fee,
          netCents: bt.net,
          currency: bt.currency,
          paidOn: dayOfUnix(charge.created, timeZone),
          availableOn: dayOfUnix(bt.available_on, timeZone),
        };
      }
    }
    const failure = pi.last_payment_error?.message ?? charge?.failure_message ?? null;
    return {
      status,
      method,
      livemode: pi.livemode,
      paymentIntentId: pi.id,
      chargeId: charge?.id ?? null,
      settlement,
      note: status === 'failed' ? failure : null,
    };
  }
}
