import { Controller, Delete, Get, HttpCode, Param, Post, Put, Sse, type MessageEvent } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Observable, interval, map, merge, takeUntil } from 'rxjs';
import { DomainError, isUuid, type OrgContext } from '@ruche/core';
import {
  changeRoleInputSchema,
  inviteUserInputSchema,
  paginationQuerySchema,
  updateOrganizationInputSchema,
  type AuditLogView,
  type ChangeRoleInput,
  type DashboardView,
  type FailedJobView,
  type InvitationView,
  type InviteUserInput,
  type OrganizationUserView,
  type OrganizationView,
  type OutboundEmailView,
  type Page,
  type PaginationQuery,
  type UpdateOrganizationInput,
} from '@ruche/contracts';
import { AUTH_USER_TOPIC, ActivityService, OrganizationUsersService, OrganizationsService } from '@ruche/organizations';
import { LiveEventsPort, OutboundEmailsService, QueuePort } from '@ruche/platform';
import { ZodBody, ZodQuery } from '../http/zod';
import { Ctx, RequirePermission } from '../auth/access';

function uuidParam(value: string, code: string): string {
  if (!isUuid(value)) throw DomainError.notFound(code);
  return value;
}

@ApiTags('organizations')
@Controller('api/v1/orgs/:orgId')
export class OrganizationsController {
  constructor(
    private readonly organizations: OrganizationsService,
    private readonly users: OrganizationUsersService,
    private readonly activity: ActivityService,
    private readonly emails: OutboundEmailsService,
    private readonly queue: QueuePort,
    private readonly live: LiveEventsPort,
  ) {}

  @Get()
  @RequirePermission('organization.read')
  get(@Ctx() ctx: OrgContext): Promise<OrganizationView> {
    return this.organizations.get(ctx);
  }

  @Put()
  @RequirePermission('organization.update')
  update(@Ctx() ctx: OrgContext, @ZodBody(updateOrganizationInputSchema) input: UpdateOrganizationInput): Promise<OrganizationView> {
    return this.organizations.update(ctx, input);
  }

  @Get('dashboard')
  @RequirePermission('dashboard.read')
  dashboard(@Ctx() ctx: OrgContext): Promise<DashboardView> {
    return this.activity.dashboard(ctx);
  }

  @Get('users')
  @RequirePermission('users.read')
  listUsers(@Ctx() ctx: OrgContext, @ZodQuery(paginationQuerySchema) page: PaginationQuery): Promise<Page<OrganizationUserView>> {
    return this.users.list(ctx, page.limit, page.offset);
  }

  @Put('users/:userId/role')
  @RequirePermission('users.change-role')
  changeRole(
    @Ctx() ctx: OrgContext,
    @Param('userId') userId: string,
    @ZodBody(changeRoleInputSchema) input: ChangeRoleInput,
  ): Promise<OrganizationUserView> {
    return this.users.changeRole(ctx, uuidParam(userId, 'users.not_found'), input.role);
  }

  @Delete('users/:userId')
  @HttpCode(204)
  @RequirePermission('users.remove')
  async removeUser(@Ctx() ctx: OrgContext, @Param('userId') userId: string): Promise<void> {
    await this.users.remove(ctx, uuidParam(userId, 'users.not_found'));
  }

  @Get('invitations')
  @RequirePermission('users.read')
  listInvitations(@Ctx() ctx: OrgContext): Promise<InvitationView[]> {
    return this.users.listInvitations(ctx);
  }

  @Post('invitations')
  @RequirePermission('users.invite')
  invite(@Ctx() ctx: OrgContext, @ZodBody(inviteUserInputSchema) input: InviteUserInput): Promise<InvitationView> {
    return this.users.invite(ctx, input);
  }

  @Delete('invitations/:invitationId')
  @HttpCode(204)
  @RequirePermission('users.invite')
  async revokeInvitation(@Ctx() ctx: OrgContext, @Param('invitationId') invitationId: string): Promise<void> {
    await this.users.revokeInvitation(ctx, uuidParam(invitationId, 'invitations.not_found'));
  }

  @Get('audit-log')
  @RequirePermission('audit.read')
  auditLog(@Ctx() ctx: OrgContext, @ZodQuery(paginationQuerySchema) page: PaginationQuery): Promise<Page<AuditLogView>> {
    return this.activity.auditLog(ctx, page.limit, page.offset);
  }

  @Get('emails')
  @RequirePermission('emails.read')
  listEmails(@Ctx() ctx: OrgContext, @ZodQuery(paginationQuerySchema) page: PaginationQuery): Promise<Page<OutboundEmailView>> {
    return this.activity.outboundEmails(ctx, page.limit, page.offset);
  }

  @Post('emails/:emailId/resend')
  @HttpCode(202)
  @RequirePermission('emails.resend')
  async resendEmail(@Ctx() ctx: OrgContext, @Param('emailId') emailId: string): Promise<{ accepted: true }> {
    await this.emails.resend(ctx, uuidParam(emailId, 'emails.not_found'));
    return { accepted: true };
  }

  @Get('jobs/failed')
  @RequirePermission('jobs.read')
  async failedJobs(@Ctx() ctx: OrgContext): Promise<FailedJobView[]> {
    const jobs = await this.queue.listFailed(ctx.organizationId, 200);
    return jobs.map((j) => ({ ...j, finishedAt: j.finishedAt?.toISOString() ?? null }));
  }

  @Post('jobs/failed/:jobId/retry')
  @HttpCode(202)
  @RequirePermission('jobs.retry')
  async retryJob(@Ctx() ctx: OrgContext, @Param('jobId') jobId: string): Promise<{ accepted: true }> {
    if (jobId.length > 300 || !(await this.queue.retryFailed(ctx.organizationId, jobId))) {
      throw DomainError.notFound('jobs.not_found');
    }
    return { accepted: true };
  }

  /**
   * Server-Sent Events: every live change of the organization as a default `message` whose data
   * is a LiveEvent (`type` inside), plus a `heartbeat` LiveEvent every 25 s.
   */
  @Sse('events')
  @RequirePermission('events.subscribe')
  events(@Ctx() ctx: OrgContext): Observable<MessageEvent> {
    const changes = this.live.stream(ctx.organizationId).pipe(map((event): MessageEvent => ({ data: event })));
    const heartbeat = interval(25_000).pipe(
      map((): MessageEvent => ({
        data: { type: 'heartbeat', organizationId: ctx.organizationId, at: new Date().toISOString(), data: {} },
      })),
    );
    // The guard ran when the stream opened: a logout, password reset, role change or removal of
    // this user (or a bus that may have missed one) ends the stream, and the browser's reconnect
    // goes through the guard again.
    const revoked = new Observable<void>((subscriber) =>
      this.live.onInvalidation((message) => {
        if (message === null || (message.topic === AUTH_USER_TOPIC && message.key === ctx.userId)) subscriber.next();
      }),
    );
    return merge(changes, heartbeat).pipe(takeUntil(revoked));
  }
}
