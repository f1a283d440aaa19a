import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import {
  APP_CONFIG,
  LOGGER,
  type AppConfig,
  OutboundEmailsService,
  UnrecoverableJobError,
  WebhooksService,
  type JobName,
  type JobPayloads,
} from '@ruche/platform';
import { ImportsService, MembershipsService, RemindersService } from '@ruche/memberships';
import { StripeEventsService, StripeSyncService } from '@ruche/payments';
import { ReconciliationService } from '@ruche/accounting';
import { ReceiptsService } from '@ruche/receipts';

/**
 * The worker's one switch: each typed job name calls one service method. Exhaustive: a new job
 * name that is not routed here does not compile.
 */
@Injectable()
export class JobRouter {
  constructor(
    private readonly emails: OutboundEmailsService,
    private readonly webhooks: WebhooksService,
    private readonly memberships: MembershipsService,
    private readonly reminders: RemindersService,
    private readonly imports: ImportsService,
    private readonly stripeEvents: StripeEventsService,
    private readonly stripeSync: StripeSyncService,
    private readonly receipts: ReceiptsService,
    private readonly reconciliation: ReconciliationService,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<void> {
    const job = { name, payload } as {
      [K in JobName]: { name: K; payload: JobPayloads[K] };
    }[JobName];
    switch (job.name) {
      case 'mail.send-email':
        return this.emails.send(job.payload.organizationId, job.payload.emailId);
      case 'platform.sweep-pending':
        await this.emails.sweepPending();
        await this.webhooks.sweepPending(30_000);
        await this.memberships.refreshDue();
        await this.reminders.sendDue();
        await this.stripeEvents.sweepPending(30_000);
        await this.stripeEvents.catchUpDue(this.config.stripeCatchUpMinutes);
        await this.receipts.sweepWaiting(30_000);
        return;
      case 'memberships.run-import':
        return this.imports.process(
          job.payload.organizationId,
          job.payload.importId,
          job.payload.runSeq,
        );
      case 'payments.process-stripe-event':
        return this.stripeEvents.process(job.payload.organizationId, job.payload.eventId);
      case 'payments.fan-out-stripe-events':
        return this.stripeEvents.fanOut(job.payload.organizationId, job.payload.eventIds);
      case 'payments.stripe-sync':
        return this.stripeSync.process(job.payload.organizationId, job.payload.syncId);
      case 'receipts.issue-receipt':
        return this.receipts.issueForGift(job.payload.organizationId, job.payload.giftId);
      case 'receipts.annual-batch':
        await this.receipts.runAnnualBatch(job.payload.organizationId, job.payload.year);
        return;
      case 'reconciliation.auto-match':
        return this.reconciliation.processRun(job.payload.organizationId, job.payload.runId);
      case 'webhooks.deliver':
        return this.webhooks.deliver(job.payload.organizationId, job.payload.deliveryId);
      default: {
        const unknown: never = job;
        this.logger.error({ job: unknown }, 'unknown job');
        throw new UnrecoverableJobError(`Unknown job ${String(name)}`);
      }
    }
  }
}
