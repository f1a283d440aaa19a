import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, canAssignRole, newId, type OrgContext, type Role } from '@ruche/core';
import type {
  AcceptInvitationInput,
  InvitationPreview,
  InvitationView,
  InviteUserInput,
  OrganizationUserView,
  Page,
} from '@ruche/contracts';
import {
  APP_CONFIG,
  AuditService,
  Clock,
  LiveEventsPort,
  OutboundEmailsService,
  hashToken,
  newSecretToken,
  type AppConfig,
} from '@ruche/platform';
import { OrganizationMemberEntity } from '../entities/organization-member.entity';
import { InvitationEntity } from '../entities/invitation.entity';
import { OrganizationEntity } from '../entities/organization.entity';
import { UserEntity } from '../entities/user.entity';
import { invitationEmail, roleLabel } from '../emails/templates';
import { hashPassword } from '../domain/passwords';
import { AuthService, type AuthenticatedSession, type RequestMeta } from './auth.service';
import { SessionCache } from './session-cache';

const INVITATION_TTL_MS = 7 * 24 * 3_600_000;

function invitationView(i: InvitationEntity, now: Date): InvitationView {
  return {
    id: i.id,
    email: i.email,
    role: i.role,
    status: i.status === 'pending' && i.expiresAt <= now ? 'expired' : i.status,
    expiresAt: i.expiresAt.toISOString(),
    createdAt: i.createdAt.toISOString(),
  };
}

@Injectable()
export class OrganizationUsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly emails: OutboundEmailsService,
    private readonly live: LiveEventsPort,
    private readonly auth: AuthService,
    private readonly sessions: SessionCache,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(ctx: OrgContext, limit = 200, offset = 0): Promise<Page<OrganizationUserView>> {
    const [rows, total] = await this.dataSource.getRepository(OrganizationMemberEntity).findAndCount({
      where: { organizationId: ctx.organizationId },
      relations: { user: true },
      order: { createdAt: 'ASC' },
      take: limit,
      skip: offset,
    });
    return {
      items: rows.map((m) => ({
        userId: m.userId,
        email: m.user?.email ?? '',
        name: m.user?.name ?? '',
        role: m.role,
        joinedAt: m.createdAt.toISOString(),
      })),
      total,
      limit,
      offset,
    };
  }

  async invite(ctx: OrgContext, input: InviteUserInput): Promise<InvitationView> {
    if (ctx.role === 'system' || !canAssignRole(ctx.role, null, input.role)) {
      throw DomainError.forbidden('users.role_not_assignable', `You cannot invite someone as ${input.role}`);
    }
    const token = newSecretToken();
    const now = this.clock.now();
    const { invitation, emailId } = await this.dataSource.transaction(async (tx) => {
      const existingUser = await tx.getRepository(UserEntity).findOne({ where: { email: input.email } });
      if (existingUser) {
        const member = await tx.getRepository(OrganizationMemberEntity).exist({
          where: { organizationId: ctx.organizationId, userId: existingUser.id },
        });
        if (member) throw DomainError.conflict('users.already_member', 'This person is already a user of the organization', 'email');
      }
      await tx.update(
        InvitationEntity,
        { organizationId: ctx.organizationId, email: input.email, status: 'pending' },
        { status: 'revoked' },
      );
      const invitation = tx.getRepository(InvitationEntity).create({
        id: newId(),
        organizationId: ctx.organizationId,
        email: input.email,
        role: input.role,
        tokenHash: hashToken(token),
        invitedByUserId: ctx.userId,
        status: 'pending',
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
        acceptedAt: null,
        createdAt: now,
      });
      await tx.insert(InvitationEntity, invitation);
      const organization = await tx.getRepository(OrganizationEntity).findOneOrFail({ where: { id: ctx.organizationId } });
      const inviter = ctx.userId ? await tx.getRepository(UserEntity).findOne({ where: { id: ctx.userId } }) : null;
      const locale = existingUser?.locale ?? organization.locale;
      const rendered = invitationEmail(locale, {
        organizationName: organization.name,
        inviterName: inviter?.name ?? organization.name,
        role: roleLabel(locale, input.role),
        url: `${this.config.publicUrl}/invitations/accept?token=${encodeURIComponent(token)}`,
      });
      const emailId = await this.emails.queueEmail(
        ctx,
        { ...rendered, to: input.email, template: 'users.invitation', idempotencyKey: `invitation:${invitation.id}` },
        tx,
      );
      await this.audit.record(ctx, { action: 'users.invited', entityType: 'invitation', entityId: invitation.id, after: { email: input.email, role: input.role } }, tx);
      return { invitation, emailId };
    });
    await this.emails.dispatch(ctx.organizationId, emailId);
    await this.publish(ctx, 'users.invited', { email: input.email, role: input.role });
    return invitationView(invitation, now);
  }

  async listInvitations(ctx: OrgContext): Promise<InvitationView[]> {
    const rows = await this.dataSource.getRepository(InvitationEntity).find({
      where: { organizationId: ctx.organizationId },
      order: { createdAt: 'DESC' },
      take: 200,
    });
    const now = this.clock.now();
    return rows.map((r) => invitationView(r, now));
  }

  async revokeInvitation(ctx: OrgContext, invitationId: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const invitation = await tx.getRepository(InvitationEntity).findOne({
        where: { id: invitationId, organizationId: ctx.organizationId },
      });
      if (!invitation) throw DomainError.notFound('invitations.not_found');
      if (invitation.status !== 'pending') {
        throw DomainError.conflict('invitations.not_pending', 'Only a pending invitation can be revoked');
      }
      await tx.update(InvitationEntity, { id: invitation.id, organizationId: ctx.organizationId }, { status: 'revoked' });
      await this.audit.record(ctx, { action: 'users.invitation-revoked', entityType: 'invitation', entityId: invitation.id }, tx);
    });
  }

  private async findUsableInvitation(tx: EntityManager, token: string): Promise<InvitationEntity> {
    const invitation = await tx.getRepository(InvitationEntity).findOne({
      where: { tokenHash: hashToken(token) },
      relations: { organization: true },
    });
    if (!invitation || invitation.status !== 'pending' || invitation.expiresAt <= this.clock.now()) {
      throw DomainError.invalid('invitations.invalid', 'This invitation is invalid, used or expired', 'token');
    }
    return invitation;
  }

  async previewInvitation(token: string): Promise<InvitationPreview> {
    return this.dataSource.transaction(async (tx) => {
      const invitation = await this.findUsableInvitation(tx, token);
      const userExists = await tx.getRepository(UserEntity).exist({ where: { email: invitation.email } });
      return {
        organizationName: invitation.organization?.name ?? '',
        email: invitation.email,
        role: invitation.role,
        userExists,
      };
    });
  }

  /**
   * Accepts an invitation: a logged-in user with the invited e-mail joins at once; a new person
   * gives a name and a password and gets an account and a session.
   */
  async acceptInvitation(
    input: AcceptInvitationInput,
    currentUser: { id: string } | null,
    meta: RequestMeta,
  ): Promise<{ organizationId: string; session: AuthenticatedSession | null }> {
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    return this.dataSource.transaction(async (tx) => {
      const invitation = await this.findUsableInvitation(tx, input.token);
      const now = this.clock.now();
      let user = await tx.getRepository(UserEntity).findOne({ where: { email: invitation.email } });
      let session: AuthenticatedSession | null = null;
      if (user) {
        if (!currentUser || currentUser.id !== user.id) {
          throw DomainError.forbidden('invitations.login_required', 'Log in with the invited e-mail address to accept');
        }
      } else {
        if (!input.name || !passwordHash) {
          throw new DomainError('invalid', 'invitations.account_required', 'Choose a name and a password', {
            details: [
              ...(!input.name ? [{ field: 'name', code: 'required', message: 'Required' }] : []),
              ...(!passwordHash ? [{ field: 'password', code: 'required', message: 'Required' }] : []),
            ],
          });
        }
        user = tx.getRepository(UserEntity).create({
          id: newId(),
          email: invitation.email,
          name: input.name,
          passwordHash,
          locale: invitation.organization?.locale ?? 'fr',
          createdAt: now,
          updatedAt: now,
        });
        await tx.insert(UserEntity, user);
        session = await this.auth.createSession(tx, user, meta);
      }
      await tx
        .createQueryBuilder()
        .insert()
        .into(OrganizationMemberEntity)
        .values({ organizationId: invitation.organizationId, userId: user.id, role: invitation.role, createdAt: now })
        .orIgnore()
        .execute();
      await tx.update(InvitationEntity, { id: invitation.id, organizationId: invitation.organizationId }, { status: 'accepted', acceptedAt: now });
      const ctx = { organizationId: invitation.organizationId, userId: user.id, ip: meta.ip, requestId: meta.requestId };
      await this.audit.record(ctx, { action: 'users.joined', entityType: 'user', entityId: user.id, after: { role: invitation.role } }, tx);
      return { organizationId: invitation.organizationId, session };
    });
  }

  async changeRole(ctx: OrgContext, userId: string, role: Role): Promise<OrganizationUserView> {
    const view = await this.dataSource.transaction(async (tx) => {
      const member = await this.lockMember(tx, ctx, userId);
      if (ctx.role === 'system' || !canAssignRole(ctx.role, member.role, role)) {
        throw DomainError.forbidden('users.role_not_assignable', 'You cannot change this role');
      }
      if (member.role === 'owner' && role !== 'owner') await this.assertAnotherOwner(tx, ctx, userId);
      await tx.update(OrganizationMemberEntity, { organizationId: ctx.organizationId, userId }, { role });
      await this.audit.record(ctx, { action: 'users.role-changed', entityType: 'user', entityId: userId, before: { role: member.role }, after: { role } }, tx);
      return {
        userId,
        email: member.user?.email ?? '',
        name: member.user?.name ?? '',
        role,
        joinedAt: member.createdAt.toISOString(),
      };
    });
    // The new role applies from the user's very next request, whichever process serves it.
    await this.sessions.invalidateUser(userId);
    await this.publish(ctx, 'users.role-changed', { userId, role });
    return view;
  }

  async remove(ctx: OrgContext, userId: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const member = await this.lockMember(tx, ctx, userId);
      if (ctx.role === 'system' || !canAssignRole(ctx.role, member.role, member.role)) {
        throw DomainError.forbidden('users.not_removable', 'You cannot remove this user');
      }
      if (member.role === 'owner') await this.assertAnotherOwner(tx, ctx, userId);
      await tx.delete(OrganizationMemberEntity, { organizationId: ctx.organizationId, userId });
      await this.audit.record(ctx, { action: 'users.removed', entityType: 'user', entityId: userId, before: { role: member.role } }, tx);
    });
    await this.sessions.invalidateUser(userId);
    await this.publish(ctx, 'users.removed', { userId });
  }

  private async lockMember(tx: EntityManager, ctx: OrgContext, userId: string): Promise<OrganizationMemberEntity> {
    const member = await tx.getRepository(OrganizationMemberEntity).findOne({
      where: { organizationId: ctx.organizationId, userId },
      lock: { mode: 'pessimistic_write', tables: ['organization_members'] },
      relations: { user: true },
    });
    if (!member) throw DomainError.notFound('users.not_found');
    return member;
  }

  private async assertAnotherOwner(tx: EntityManager, ctx: OrgContext, userId: string): Promise<void> {
    const owners = await tx.getRepository(OrganizationMemberEntity).count({
      where: { organizationId: ctx.organizationId, role: 'owner' },
    });
    if (owners <= 1) {
      throw DomainError.conflict('users.last_owner', `The organization must keep at least one owner; make someone else owner first (user ${userId})`);
    }
  }

  private async publish(ctx: OrgContext, type: string, data: Record<string, unknown>): Promise<void> {
    await this.live.publish({ type, organizationId: ctx.organizationId, at: this.clock.now().toISOString(), data });
  }
}
