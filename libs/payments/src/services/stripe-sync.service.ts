import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { DomainError, LocalDate, isUuid, newId, systemContext, type OrgContext } from '@ruche/core';
import type { StripeSyncInput, StripeSyncView } from '@ruche/contracts';
import { AuditService, Clock, LOGGER, QueuePort, jobId } from '@ruche/platform';
import { PostingAccountsService } from '@ruche/accounting';
import { StripeSyncEntity } from '../entities/stripe-sync.entity';
import { dayOfUnix } from '../domain/payment-status';
import { idOf } from '../domain/stripe-ids';
import { organizationTimeZone } from './time-zone';
import { StripeGateway, type StripeKeys } from '../stripe/stripe-gateway';
import { StripeAccountsService } from './stripe-accounts.service';
import { PaymentsService } from './payments.service';
import { SettlementsService } from './settlements.service';
import type { AfterCommit } from './payment-purposes';

/** Bounds of one backfill: enough for a year of a busy association, not an unbounded read. */
const MAX_TRANSACTIONS = 50_000;
const MAX_PAYOUTS = 2_000;

/** What the wall clock of a time zone shows at an instant, read as if it were UTC (ms). */
function wallClock(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(
    +parts['year'],
    +parts['month'] - 1,
    +parts['day'],
    +parts['hour'],
    +parts['minute'],
    +parts['second'],
  );
}

/** Midnight of a day in the organization's time zone, as Unix seconds (DST-safe: checked twice). */
export function startOfDay(day: string, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number);
  const target = Date.UTC(y, m - 1, d);
  let instant = target - (wallClock(target, timeZone) - target);
  instant += target - wallClock(instant, timeZone);
  return Math.floor(instant / 1000);
}

/**
 * Brings in Stripe history for a date range, for a treasurer who connected Stripe late: every
 * charge of the range becomes a payment (when Ruche does not know it yet) posted with Stripe's
 * own gross, fee and net; refunds follow; every payout arriving in the range is recorded with
 * what it settles and posted to the bank, ready for reconciliation. Everything is keyed by
 * Stripe's ids, so running the same range twice, or overlapping ranges, records nothing twice.
 * Charges nobody can place go to the suspense account (471) for the treasurer to reassign.
 */
@Injectable()
export class StripeSyncService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: StripeAccountsService,
    private readonly gateway: StripeGateway,
    private readonly payments: PaymentsService,
    private readonly settlements: SettlementsService,
    private readonly postingAccounts: PostingAccountsService,
    private readonly queue: QueuePort,
    private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async start(ctx: OrgContext, input: StripeSyncInput): Promise<StripeSyncView> {
    if (!(await this.accounts.keys(ctx.organizationId)))
      throw DomainError.conflict('payments.stripe_not_connected', 'Stripe is not connected');
    const id = newId();
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(StripeSyncEntity).insert({
        id,
        organizationId: ctx.organizationId,
        fromDate: input.from,
        toDate: input.to,
        status: 'queued',
        transactions: 0,
        paymentsCreated: 0,
        refundsSynced: 0,
        payouts: 0,
        problems: [],
        error: null,
        requestedBy: ctx.userId,
        createdAt: this.clock.now(),
        finishedAt: null,
      });
      await this.audit.record(
        ctx,
        { action: 'stripe.sync-requested', entityType: 'stripe_sync', entityId: id, after: input },
        m,
      );
    });
    await this.queue.enqueue(
      'payments.stripe-sync',
      { organizationId: ctx.organizationId, syncId: id },
      { jobId: jobId('payments.stripe-sync', id) },
    );
    return this.get(ctx, id);
  }

  async get(ctx: OrgContext, id: string): Promise<StripeSyncView> {
    const row = isUuid(id)
      ? await this.dataSource
          .getRepository(StripeSyncEntity)
          .findOne({ where: { organizationId: ctx.organizationId, id } })
      : null;
    if (!row) throw DomainError.notFound('payments.sync_not_found', 'No such Stripe sync');
    return this.view(row);
  }

  async list(ctx: OrgContext): Promise<StripeSyncView[]> {
    const rows = await this.dataSource.getRepository(StripeSyncEntity).find({
      where: { organizationId: ctx.organizationId },
      order: { createdAt: 'DESC' },
      take: 50,
    });
    return rows.map((r) => this.view(r));
  }

  private view(r: StripeSyncEntity): StripeSyncView {
    return {
      id: r.id,
      from: r.fromDate,
      to: r.toDate,
      status: r.status,
      transactions: r.transactions,
      paymentsCreated: r.paymentsCreated,
      refundsSynced: r.refundsSynced,
      payouts: r.payouts,
      problems: r.problems,
      error: r.error,
      createdAt: r.createdAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
    };
  }

  /** The worker's part. A crash midway is safe: the job runs again and skips what is there. */
  async process(organizationId: string, syncId: string): Promise<void> {
    const ctx = systemContext(organizationId);
    const repo = this.dataSource.getRepository(StripeSyncEntity);
    const sync = await repo.findOne({ where: { organizationId, id: syncId } });
    if (!sync || sync.status === 'done' || sync.status === 'failed') return;
    await repo.update({ organizationId, id: syncId }, { status: 'running' });
    const problems: string[] = [];
    const counts = { transactions: 0, paymentsCreated: 0, refundsSynced: 0, payouts: 0 };
    try {
      const keys = await this.accounts.keys(organizationId);
      if (!keys)
        throw DomainError.conflict('payments.stripe_not_connected', 'Stripe is not connected');
      const timeZone = await organizationTimeZone(this.dataSource, organizationId);
      const range = {
        from: startOfDay(sync.fromDate, timeZone),
        to: startOfDay(LocalDate.parse(sync.toDate).plusDays(1).toString(), timeZone),
      };
      const history = await this.gateway.balanceHistory(keys, range, MAX_TRANSACTIONS);
      counts.transactions = history.length;
      if (history.length >= MAX_TRANSACTIONS)
        problems.push(
          `More than ${MAX_TRANSACTIONS} transactions: run a shorter range for the rest`,
        );
      // Oldest first: a refund finds its charge recorded.
      const ordered = [...history].sort((a, b) => a.created - b.created);
      const refundedCharges = new Set<string>();
      for (const bt of ordered) {
        const source = idOf(bt.source);
        if (!source) continue;
        if (
          (bt.type === 'charge' || bt.type === 'payment') &&
          (source.startsWith('ch_') || source.startsWith('py_'))
        ) {
          if (await this.recordCharge(ctx, keys, source, bt, timeZone, problems))
            counts.paymentsCreated++;
        } else if (bt.type === 'refund' || bt.type === 'payment_refund') {
          const charge = await this.chargeOfRefund(keys, source);
          if (charge && !refundedCharges.has(charge)) {
            refundedCharges.add(charge);
            const after = await this.dataSource.transaction((m) =>
              this.settlements.syncRefunds(ctx, keys, charge, 'stripe-sync', m),
            );
            if (Array.isArray(after)) {
              counts.refundsSynced++;
              await this.run(after);
            } else problems.push(`Refund ${source}: ${after.ignored}`);
          }
        }
      }
      const payouts = await this.gateway.payoutsArriving(keys, range, MAX_PAYOUTS);
      for (const payout of payouts.sort((a, b) => a.arrival_date - b.arrival_date)) {
        const after = await this.dataSource.transaction((m) =>
          this.settlements.syncPayout(ctx, keys, payout.id, m),
        );
        await this.run(after);
        counts.payouts++;
      }
      await repo.update(
        { organizationId, id: syncId },
        { status: 'done', ...counts, problems, finishedAt: this.clock.now() },
      );
    } catch (error) {
      this.logger.error({ err: error, organizationId, syncId }, 'stripe sync failed');
      const message = error instanceof Error ? error.message : String(error);
      await repo.update(
        { organizationId, id: syncId },
        {
          status: 'failed',
          ...counts,
          problems,
          error: message.slice(0, 500),
          finishedAt: this.clock.now(),
        },
      );
    }
  }

  /**
   * One charge of the history: nothing to do when Ruche knows it (the webhooks or an earlier
   * run recorded it); otherwise a payment is created for it, matched to a contact by e-mail when
   * one exists, and posted with Stripe's figures. True when a payment was created.
   */
  private async recordCharge(
    ctx: OrgContext,
    keys: StripeKeys,
    chargeId: string,
    bt: Stripe.BalanceTransaction,
    timeZone: string,
    problems: string[],
  ): Promise<boolean> {
    // Most charges of the range are known (the webhooks recorded them): no call to Stripe then.
    const [recorded] = await this.dataSource.query<{ id: string }[]>(
      'SELECT id FROM payments WHERE organization_id = $1 AND charge_id = $2 LIMIT 1',
      [ctx.organizationId, chargeId],
    );
    if (recorded) return false;
    const charge = await this.gateway.charge(keys, chargeId);
    const known = await this.payments.findForStripe(ctx, {
      chargeId: charge.id,
      paymentIntentId: idOf(charge.payment_intent),
      paymentId: charge.metadata?.['paymentId'],
    });
    if (known) return false;
    if (charge.status !== 'succeeded' || !charge.paid) return false;
    const email = charge.billing_details?.email ?? charge.receipt_email ?? null;
    const method = charge.payment_method_details?.type;
    const after: AfterCommit[] = [];
    const created = await this.dataSource.transaction(async (m) => {
      // Serialized per charge: two overlapping runs never record it twice.
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `${ctx.organizationId}:${charge.id}`,
      ]);
      const again = await m.query<{ id: string }[]>(
        'SELECT id FROM payments WHERE organization_id = $1 AND (charge_id = $2 OR payment_intent_id = $3) LIMIT 1',
        [ctx.organizationId, charge.id, idOf(charge.payment_intent) ?? ''],
      );
      if (again.length > 0) return false;
      const [contact] = email
        ? await m.query<{ id: string }[]>(
            `SELECT id FROM contacts WHERE organization_id = $1 AND lower(email) = lower($2) AND merged_into_id IS NULL AND erased_at IS NULL
              ORDER BY created_at LIMIT 1`,
            [ctx.organizationId, email],
          )
        : [];
      const posting = await this.postingAccounts.accounts(ctx, m);
      const who = charge.billing_details?.name ?? email ?? charge.id;
      const payment = await this.payments.createPending(
        ctx,
        {
          contactId: contact?.id ?? null,
          purpose: 'other',
          purposeId: null,
          label: `Paiement Stripe ${charge.description ?? ''} ${who}`.replace(/\s+/g, ' ').trim(),
          amountCents: charge.amount,
          currency: charge.currency.toUpperCase(),
          method: method === 'card' || method === 'sepa_debit' ? method : 'other',
          revenueRole: 'services_revenue',
          // Nobody said what it was for: the suspense account until the treasurer reassigns it.
          revenueAccount: posting.suspense,
          locale: 'fr',
        },
        m,
        { cause: 'stripe-sync' },
      );
      after.push(
        ...(await this.payments.applyObservation(
          ctx,
          payment.id,
          {
            status: 'succeeded',
            method: method === 'card' || method === 'sepa_debit' ? method : 'other',
            livemode: charge.livemode,
            paymentIntentId: idOf(charge.payment_intent),
            chargeId: charge.id,
            settlement: {
              balanceTransactionId: bt.id,
              grossCents: bt.amount,
              feeCents: bt.fee,
              netCents: bt.net,
              currency: bt.currency,
              paidOn: dayOfUnix(charge.created, timeZone),
              availableOn: dayOfUnix(bt.available_on, timeZone),
            },
            note: 'Imported from Stripe history',
          },
          'stripe-sync',
          m,
        )),
      );
      return true;
    });
    await this.run(after);
    if (created && !email)
      problems.push(`Charge ${charge.id}: no e-mail, recorded without a contact`);
    return created;
  }

  private async chargeOfRefund(keys: StripeKeys, refundId: string): Promise<string | null> {
    if (!refundId.startsWith('re_') && !refundId.startsWith('pyr_')) return null;
    const refund = await this.gateway.client(keys).refunds.retrieve(refundId);
    return idOf(refund.charge);
  }

  private async run(after: AfterCommit[]): Promise<void> {
    for (const task of after)
      await task().catch((err: unknown) => this.logger.error({ err }, 'after stripe sync'));
  }
}
