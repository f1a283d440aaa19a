import { Inject, Injectable } from '@nestjs/common';
import { DataSource, LessThan, type EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { DomainError, newId, type OrgContext } from '@ruche/core';
import { OutboundEmailEntity, type OutboundAttachment } from './outbound-email.entity';
import { MailTransport } from './mail-transport';
import { Clock } from '../clock/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { JOB_ATTEMPTS, QueuePort, UnrecoverableJobError, jobId, sweepRun } from '../queue/jobs';

/** Three rounds of queue retries (the sweep starts a new round), then the e-mail is failed. */
export const EMAIL_MAX_ATTEMPTS = 3 * JOB_ATTEMPTS;
import { LOGGER } from '../logging/tokens';

export interface QueueEmailInput {
  to: string;
  subject: string;
  html: string;
  text: string;
  template: string;
  idempotencyKey: string;
  attachments?: OutboundAttachment[];
}

/** Resolves `ref` attachments to bytes; domains register resolvers for their documents. */
export type AttachmentResolver = (
  ref: string,
  organizationId: string | null,
) => Promise<Buffer | null>;

@Injectable()
export class OutboundEmailsService {
  private readonly resolvers = new Map<string, AttachmentResolver>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
    private readonly queue: QueuePort,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  registerAttachmentResolver(prefix: string, resolver: AttachmentResolver): void {
    this.resolvers.set(prefix, resolver);
  }

  /**
   * Records the email in the caller's transaction (same key twice: one row). Call `dispatch` with
   * the returned id after commit; the sweep re-dispatches rows left pending.
   */
  async queueEmail(
    ctx: OrgContext | null,
    input: QueueEmailInput,
    tx: EntityManager,
  ): Promise<string> {
    const id = newId();
    const result = await tx
      .createQueryBuilder()
      .insert()
      .into(OutboundEmailEntity)
      .values({
        id,
        organizationId: ctx?.organizationId ?? null,
        idempotencyKey: input.idempotencyKey,
        toAddress: input.to,
        subject: input.subject,
        html: input.html,
        text: input.text,
        template: input.template,
        attachments: input.attachments ?? [],
        status: 'pending',
        attempts: 0,
        createdAt: this.clock.now(),
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    if ((result.raw as unknown[]).length > 0) return id;
    const existing = await tx
      .getRepository(OutboundEmailEntity)
      .createQueryBuilder('e')
      .where('e.idempotency_key = :key', { key: input.idempotencyKey })
      .andWhere(ctx ? 'e.organization_id = :org' : 'e.organization_id IS NULL', {
        org: ctx?.organizationId,
      })
      .getOneOrFail();
    return existing.id;
  }

  async dispatch(organizationId: string | null, emailId: string, run = ''): Promise<void> {
    await this.queue.enqueue(
      'mail.send-email',
      { organizationId, emailId },
      { jobId: jobId('mail.send-email', run ? `${emailId}-${run}` : emailId) },
    );
  }

  /** The job: reload the row, skip if done, send, mark sent. Safe to run twice. */
  async send(organizationId: string | null, emailId: string): Promise<void> {
    // Attachments are resolved before the transaction: a resolver reads its document with a
    // connection of its own, which must not wait for the one the transaction holds (the
    // embedded database has a single connection).
    const repo = this.dataSource.getRepository(OutboundEmailEntity);
    const found = await repo.findOne({
      where: organizationId ? { id: emailId, organizationId } : { id: emailId },
    });
    if (!found || found.status === 'sent' || (!organizationId && found.organizationId !== null))
      return;
    const attachments: { filename: string; contentType: string; content: Buffer }[] = [];
    for (const a of found.attachments) {
      let content: Buffer | null = a.contentBase64 ? Buffer.from(a.contentBase64, 'base64') : null;
      if (!content && a.ref) {
        const resolver = this.resolvers.get(a.ref.split(':')[0]);
        content = resolver ? await resolver(a.ref, found.organizationId) : null;
      }
      if (!content) throw new UnrecoverableJobError(`Attachment ${a.ref ?? a.filename} not found`);
      attachments.push({ filename: a.filename, contentType: a.contentType, content });
    }
    const failure = await this.dataSource.transaction(async (tx): Promise<Error | null> => {
      const qb = tx
        .getRepository(OutboundEmailEntity)
        .createQueryBuilder('e')
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .where('e.id = :id', { id: emailId });
      if (organizationId) qb.andWhere('e.organization_id = :org', { org: organizationId });
      else qb.andWhere('e.organization_id IS NULL');
      const email = await qb.getOne();
      if (!email || email.status === 'sent') return null;
      email.attempts += 1;
      try {
        const { messageId } = await this.transport.send({
          from: this.config.mailFrom,
          to: email.toAddress,
          subject: email.subject,
          html: email.html,
          text: email.text,
          attachments,
          idempotencyKey: `${email.organizationId ?? 'global'}-${email.idempotencyKey}`,
        });
        await tx.update(
          OutboundEmailEntity,
          { id: email.id },
          {
            status: 'sent',
            sentAt: this.clock.now(),
            messageId,
            attempts: email.attempts,
            lastError: null,
          },
        );
        return null;
      } catch (error) {
        const failed = error instanceof Error ? error : new Error(String(error));
        // Committed with the attempt count, then thrown so the queue retries with backoff;
        // after EMAIL_MAX_ATTEMPTS the e-mail is failed for good (the admin can resend it).
        const final = email.attempts >= EMAIL_MAX_ATTEMPTS;
        await tx.update(
          OutboundEmailEntity,
          { id: email.id },
          {
            attempts: email.attempts,
            lastError: failed.message.slice(0, 2000),
            ...(final ? { status: 'failed' as const } : {}),
          },
        );
        return final
          ? new UnrecoverableJobError(
              `E-mail ${email.id} failed ${email.attempts} times: ${failed.message}`,
            )
          : failed;
      }
    });
    if (failure) throw failure;
  }

  /**
   * Re-dispatches e-mails left pending: a crash between commit and enqueue, or a job that used
   * up its retries while the database was unreachable (its failures could not be counted, so a
   * job id made of the e-mail alone would stay blocked by the failed job). A new run per minute
   * and attempt count; one still waiting just runs twice, safely (the row is locked, and sent
   * once).
   */
  async sweepPending(olderThanMs = 30_000): Promise<number> {
    const rows = await this.dataSource.getRepository(OutboundEmailEntity).find({
      select: { id: true, organizationId: true, attempts: true },
      where: {
        status: 'pending',
        createdAt: LessThan(new Date(this.clock.now().getTime() - olderThanMs)),
      },
      take: 1000,
      order: { createdAt: 'ASC' },
    });
    for (const row of rows)
      await this.dispatch(row.organizationId, row.id, sweepRun(this.clock.now(), row.attempts));
    if (rows.length > 0)
      this.logger.info({ count: rows.length }, 'sweep re-dispatched pending emails');
    return rows.length;
  }

  async list(
    ctx: OrgContext,
    limit: number,
    offset: number,
  ): Promise<{ items: OutboundEmailEntity[]; total: number }> {
    const [items, total] = await this.dataSource.getRepository(OutboundEmailEntity).findAndCount({
      where: { organizationId: ctx.organizationId },
      order: { createdAt: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { items, total };
  }

  async resend(ctx: OrgContext, emailId: string): Promise<void> {
    const repo = this.dataSource.getRepository(OutboundEmailEntity);
    const email = await repo.findOne({
      where: { id: emailId, organizationId: ctx.organizationId },
    });
    // Another organization's e-mail, or none: nothing is sent, and the admin is told.
    if (!email) throw DomainError.notFound('emails.not_found', 'No such e-mail');
    if (email.status === 'failed') {
      await repo.update(
        { id: email.id, organizationId: ctx.organizationId },
        { status: 'pending' },
      );
    }
    // A run of its own: the job that failed for good must not block the resend.
    if (email.status !== 'sent')
      await this.dispatch(ctx.organizationId, email.id, `resend-${this.clock.now().getTime()}`);
  }
}
