import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, newId, type OrgContext } from '@ruche/core';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Clock } from '../clock/clock';
import { SecretBox, newSecretToken } from '../crypto/tokens';
import { LOGGER } from '../logging/tokens';
import { AuditService } from '../audit/audit.service';
import { JOB_ATTEMPTS, QueuePort, UnrecoverableJobError, jobId, sweepRun } from '../queue/jobs';
import { signWebhook } from './webhook-signature';

/** The events an organization can subscribe to (each domain emits its own). */
export const WEBHOOK_EVENTS = ['entry.posted'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  active: boolean;
  createdAt: string;
}

export interface WebhookDeliveryView {
  id: string;
  endpointId: string;
  eventType: string;
  eventKey: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

const TIMEOUT_MS = 10_000;

/**
 * Outgoing webhooks: endpoints per organization, deliveries written in the transaction of the
 * event (so an event cannot be lost or sent twice), sent by the queue with a signature,
 * retried with backoff, failed ones kept and listed.
 */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: QueuePort,
    private readonly box: SecretBox,
    private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async listEndpoints(ctx: OrgContext): Promise<WebhookEndpointView[]> {
    const rows = await this.dataSource.query<{ id: string; url: string; description: string | null; events: string[]; active: boolean; created_at: Date }[]>(
      'SELECT id, url, description, events, active, created_at FROM webhook_endpoints WHERE organization_id = $1 ORDER BY created_at',
      [ctx.organizationId],
    );
    return rows.map((r) => ({ id: r.id, url: r.url, description: r.description, events: r.events, active: r.active, createdAt: new Date(r.created_at).toISOString() }));
  }

  /** The signing secret is shown once, here; it is stored encrypted. */
  async createEndpoint(ctx: OrgContext, input: { url: string; events: string[]; description?: string | null }): Promise<WebhookEndpointView & { secret: string }> {
    const url = this.checkUrl(input.url);
    const id = newId();
    const secret = `whsec_${newSecretToken()}`;
    await this.dataSource.transaction(async (tx) => {
      await tx.query('INSERT INTO webhook_endpoints (id, organization_id, url, description, events, secret_sealed) VALUES ($1, $2, $3, $4, $5, $6)', [
        id,
        ctx.organizationId,
        url,
        input.description ?? null,
        input.events,
        this.box.encrypt(secret),
      ]);
      await this.audit.record(ctx, { action: 'webhooks.endpoint-created', entityType: 'webhook_endpoint', entityId: id, after: { url, events: input.events } }, tx);
    });
    const [view] = (await this.listEndpoints(ctx)).filter((e) => e.id === id);
    return { ...view, secret };
  }

  async updateEndpoint(ctx: OrgContext, id: string, input: { url: string; events: string[]; active: boolean; description?: string | null }): Promise<WebhookEndpointView> {
    const url = this.checkUrl(input.url);
    await this.dataSource.transaction(async (tx) => {
      // For UPDATE, TypeORM's query() answers [rows, affected count].
      const [updated] = await tx.query<[unknown[], number]>(
        'UPDATE webhook_endpoints SET url = $3, events = $4, active = $5, description = $6 WHERE organization_id = $1 AND id = $2 RETURNING id',
        [ctx.organizationId, id, url, input.events, input.active, input.description ?? null],
      );
      if (updated.length === 0) throw DomainError.notFound('webhooks.endpoint_not_found');
      await this.audit.record(ctx, { action: 'webhooks.endpoint-updated', entityType: 'webhook_endpoint', entityId: id, after: { url, events: input.events, active: input.active } }, tx);
    });
    const found = (await this.listEndpoints(ctx)).find((e) => e.id === id);
    if (!found) throw DomainError.notFound('webhooks.endpoint_not_found');
    return found;
  }

  async listDeliveries(ctx: OrgContext, limit: number, offset: number): Promise<{ items: WebhookDeliveryView[]; total: number }> {
    const [{ total }] = await this.dataSource.query<{ total: number }[]>('SELECT count(*)::int AS total FROM webhook_deliveries WHERE organization_id = $1', [ctx.organizationId]);
    const rows = await this.dataSource.query<{ id: string; endpoint_id: string; event_type: string; event_key: string; status: WebhookDeliveryView['status']; attempts: number; last_status: number | null; last_error: string | null; created_at: Date; delivered_at: Date | null }[]>(
      `SELECT id, endpoint_id, event_type, event_key, status, attempts, last_status, last_error, created_at, delivered_at
         FROM webhook_deliveries WHERE organization_id = $1 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
      [ctx.organizationId, limit, offset],
    );
    return {
      total: total ?? 0,
      items: rows.map((r) => ({
        id: r.id,
        endpointId: r.endpoint_id,
        eventType: r.event_type,
        eventKey: r.event_key,
        status: r.status,
        attempts: r.attempts,
        lastStatus: r.last_status,
        lastError: r.last_error,
        createdAt: new Date(r.created_at).toISOString(),
        deliveredAt: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
      })),
    };
  }

  /** Enqueues the pending deliveries of one event (after the commit that wrote them). */
  async dispatchEvent(organizationId: string, eventType: WebhookEvent, eventKey: string, tx?: EntityManager): Promise<void> {
    const rows = await (tx ?? this.dataSource.manager).query<{ id: string }[]>(
      `SELECT id FROM webhook_deliveries WHERE organization_id = $1 AND event_type = $2 AND event_key = $3 AND status = 'pending'`,
      [organizationId, eventType, eventKey],
    );
    for (const row of rows) await this.queue.enqueue('webhooks.deliver', { organizationId, deliveryId: row.id }, { jobId: jobId('webhooks.deliver', row.id) });
  }

  /** The repeatable sweep: deliveries left pending (a crash between commit and enqueue, or posted inside another domain's transaction). */
  async sweepPending(olderThanMs = 0): Promise<number> {
    const rows = await this.dataSource.query<{ id: string; organization_id: string; attempts: number }[]>(
      `SELECT id, organization_id, attempts FROM webhook_deliveries WHERE status = 'pending' AND created_at <= $1 ORDER BY created_at LIMIT 1000`,
      [new Date(this.clock.now().getTime() - olderThanMs)],
    );
    for (const row of rows) {
      await this.queue.enqueue('webhooks.deliver', { organizationId: row.organization_id, deliveryId: row.id }, { jobId: jobId('webhooks.deliver', `${row.id}-${sweepRun(this.clock.now(), row.attempts)}`) });
    }
    return rows.length;
  }

  /** The job: one attempt. Done work returns early; a non-2xx answer is recorded, then retried. */
  async deliver(organizationId: string, deliveryId: string): Promise<void> {
    const [row] = await this.dataSource.query<{ status: string; attempts: number; event_type: string; payload: unknown; url: string; secret_sealed: string; active: boolean }[]>(
      `SELECT d.status, d.attempts, d.event_type, d.payload, e.url, e.secret_sealed, e.active
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.organization_id = d.organization_id AND e.id = d.endpoint_id
        WHERE d.organization_id = $1 AND d.id = $2`,
      [organizationId, deliveryId],
    );
    if (!row) throw new UnrecoverableJobError(`No webhook delivery ${deliveryId}`);
    if (row.status !== 'pending') return;
    const body = JSON.stringify(row.payload);
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(row.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Ruche-Webhooks/1',
          'ruche-event': row.event_type,
          'ruche-delivery': deliveryId,
          'ruche-signature': signWebhook(this.box.decrypt(row.secret_sealed), body, timestamp),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = response.status;
      await response.body?.cancel();
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const attempts = row.attempts + 1;
    const outcome = error === null ? 'delivered' : attempts >= JOB_ATTEMPTS ? 'failed' : 'pending';
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET attempts = $3::int, last_status = $4::int, last_error = $5::text, status = $6::varchar,
              delivered_at = CASE WHEN $6::varchar = 'delivered' THEN $7::timestamptz ELSE NULL END
        WHERE organization_id = $1 AND id = $2`,
      [organizationId, deliveryId, attempts, status, error, outcome, this.clock.now()],
    );
    if (outcome === 'failed') throw new UnrecoverableJobError(`Webhook ${deliveryId} failed ${attempts} times: ${error}`);
    if (error !== null) {
      this.logger.warn({ deliveryId, attempts, error }, 'webhook delivery failed, will retry');
      throw new Error(`Webhook delivery failed: ${error}`);
    }
  }

  private checkUrl(raw: string): string {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw DomainError.invalid('webhooks.url', 'Not a URL', 'url');
    }
    const allowed = this.config.env === 'production' ? ['https:'] : ['https:', 'http:'];
    if (!allowed.includes(url.protocol)) throw DomainError.invalid('webhooks.url', this.config.env === 'production' ? 'Use an https:// URL' : 'Use an http(s):// URL', 'url');
    return url.toString();
  }
}
