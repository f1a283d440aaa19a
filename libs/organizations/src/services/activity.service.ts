import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { OrgContext } from '@ruche/core';
import type { AuditLogView, DashboardView, OutboundEmailView, Page } from '@ruche/contracts';
import { AuditLogEntity, OutboundEmailEntity, OutboundEmailsService, QueuePort } from '@ruche/platform';
import { UserEntity } from '../entities/user.entity';
import { OrganizationEntity } from '../entities/organization.entity';
import { OrganizationMemberEntity } from '../entities/organization-member.entity';
import { InvitationEntity } from '../entities/invitation.entity';

export function toEmailView(e: OutboundEmailEntity): OutboundEmailView {
  return {
    id: e.id,
    toAddress: e.toAddress,
    subject: e.subject,
    template: e.template,
    status: e.status,
    attempts: e.attempts,
    lastError: e.lastError,
    sentAt: e.sentAt?.toISOString() ?? null,
    createdAt: e.createdAt.toISOString(),
  };
}

/** What happened in an organization: audit trail, outgoing e-mails, failed jobs, dashboard counts. */
/**
 * What an organization's audit log shows: its own entries, and the sign-in entries (logins,
 * failed logins, logouts, password resets: written with no organization, a user may belong to
 * several) of the people who are its members today.
 */
const VISIBLE = `(a.organization_id = :org OR (a.organization_id IS NULL AND a.action LIKE 'auth.%' AND EXISTS (
   SELECT 1 FROM organization_members m
    WHERE m.organization_id = :org AND (m.user_id = a.actor_user_id OR (a.entity_type = 'user' AND a.entity_id = m.user_id::text)))))`;

@Injectable()
export class ActivityService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly emails: OutboundEmailsService,
    private readonly queue: QueuePort,
  ) {}

  async auditLog(ctx: OrgContext, limit: number, offset: number): Promise<Page<AuditLogView>> {
    const qb = this.dataSource
      .getRepository(AuditLogEntity)
      .createQueryBuilder('a')
      .leftJoin(UserEntity, 'u', 'u.id = a.actor_user_id')
      .select(['a.id', 'a.action', 'a.entityType', 'a.entityId', 'a.actorUserId', 'a.before', 'a.after', 'a.requestId', 'a.createdAt'])
      .addSelect('u.name', 'actor_name')
      .where(VISIBLE, { org: ctx.organizationId })
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(limit)
      .offset(offset);
    const [{ entities, raw }, total] = await Promise.all([
      qb.getRawAndEntities(),
      this.dataSource.getRepository(AuditLogEntity).createQueryBuilder('a').where(VISIBLE, { org: ctx.organizationId }).getCount(),
    ]);
    return {
      items: entities.map((a, i) => ({
        id: a.id,
        action: a.action,
        entityType: a.entityType,
        entityId: a.entityId,
        actorUserId: a.actorUserId,
        actorName: (raw[i] as { actor_name?: string | null })?.actor_name ?? null,
        before: a.before,
        after: a.after,
        requestId: a.requestId,
        createdAt: a.createdAt.toISOString(),
      })),
      total,
      limit,
      offset,
    };
  }

  async outboundEmails(ctx: OrgContext, limit: number, offset: number): Promise<Page<OutboundEmailView>> {
    const { items, total } = await this.emails.list(ctx, limit, offset);
    return { items: items.map(toEmailView), total, limit, offset };
  }

  async dashboard(ctx: OrgContext): Promise<DashboardView> {
    const org = await this.dataSource.getRepository(OrganizationEntity).findOneOrFail({ where: { id: ctx.organizationId } });
    const [users, pendingInvitations, emailCounts, failed, recent] = await Promise.all([
      this.dataSource.getRepository(OrganizationMemberEntity).count({ where: { organizationId: ctx.organizationId } }),
      this.dataSource.getRepository(InvitationEntity).count({ where: { organizationId: ctx.organizationId, status: 'pending' } }),
      this.dataSource
        .getRepository(OutboundEmailEntity)
        .createQueryBuilder('e')
        .select('e.status', 'status')
        .addSelect('count(*)::int', 'count')
        .where('e.organization_id = :org', { org: ctx.organizationId })
        .groupBy('e.status')
        .getRawMany<{ status: string; count: number }>(),
      this.queue.listFailed(ctx.organizationId, 1000),
      this.auditLog(ctx, 10, 0),
    ]);
    const emails = { pending: 0, sent: 0, failed: 0 };
    for (const row of emailCounts) if (row.status in emails) emails[row.status as keyof typeof emails] = row.count;
    return {
      organization: { id: org.id, name: org.name },
      users,
      pendingInvitations,
      emails,
      failedJobs: failed.length,
      recentActivity: recent.items,
    };
  }
}
