import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, MoreThan, type EntityManager } from 'typeorm';
import { DomainError, newId, type OrgContext, type Role } from '@ruche/core';
import type {
  LoginInput,
  MeView,
  RequestPasswordResetInput,
  ResetPasswordInput,
  SignupInput,
} from '@ruche/contracts';
import {
  APP_CONFIG,
  AuditService,
  Clock,
  OutboundEmailsService,
  hashToken,
  newSecretToken,
  preparedQuery,
  type AppConfig,
  type AuditActor,
} from '@ruche/platform';
import { OrganizationEntity } from '../entities/organization.entity';
import { UserEntity } from '../entities/user.entity';
import { OrganizationMemberEntity } from '../entities/organization-member.entity';
import { SessionEntity } from '../entities/session.entity';
import { PasswordResetEntity } from '../entities/password-reset.entity';
import { LoginAttemptEntity } from '../entities/login-attempt.entity';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../domain/passwords';
import { passwordResetEmail } from '../emails/templates';
import { SessionCache, type ResolvedAccess, type SessionInfo, type SessionUser } from './session-cache';

export interface RequestMeta {
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

export interface AuthenticatedSession {
  token: string;
  session: SessionEntity;
  user: UserEntity;
}

const RESET_TTL_MS = 60 * 60 * 1000;
const LAST_SEEN_EVERY_MS = 5 * 60 * 1000;

/**
 * Session, user and role in one round trip: the session by its token's hash (unique index), the
 * user by primary key, the membership by primary key ($3 null: no organization asked).
 */
const ACCESS_SQL = `SELECT s.id, s.user_id, s.csrf_token, s.expires_at, s.last_seen_at, u.email, u.name, u.locale, m.role
  FROM sessions s
  JOIN users u ON u.id = s.user_id
  LEFT JOIN organization_members m ON m.organization_id = $3::uuid AND m.user_id = s.user_id
 WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2`;

interface AccessRow {
  id: string;
  user_id: string;
  csrf_token: string;
  expires_at: Date;
  last_seen_at: Date;
  email: string;
  name: string;
  locale: 'fr' | 'en';
  role: Role | null;
}

function securityContext(userId: string | null, meta: RequestMeta): AuditActor {
  return { organizationId: null, userId, ip: meta.ip, requestId: meta.requestId };
}

@Injectable()
export class AuthService {
  /** Session lookups under way, by cache key, with the cache ticket they began with. */
  private readonly lookups = new Map<string, { ticket: number; promise: Promise<ResolvedAccess | null> }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly emails: OutboundEmailsService,
    private readonly cache: SessionCache,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates an organization, its owner and a session: the sign-up of a new association. */
  async signup(input: SignupInput, meta: RequestMeta): Promise<AuthenticatedSession> {
    const passwordHash = await hashPassword(input.password);
    return this.dataSource.transaction(async (tx) => {
      const taken = await tx.getRepository(UserEntity).exist({ where: { email: input.email } });
      if (taken) {
        throw DomainError.conflict('auth.email_taken', 'An account already uses this email; log in instead', 'email');
      }
      const now = this.clock.now();
      const organization = await this.createOrganization(tx, input.organizationName, input.locale, now);
      const user = tx.getRepository(UserEntity).create({
        id: newId(),
        email: input.email,
        name: input.name,
        passwordHash,
        locale: input.locale,
        createdAt: now,
        updatedAt: now,
      });
      await tx.insert(UserEntity, user);
      await tx.insert(OrganizationMemberEntity, {
        organizationId: organization.id,
        userId: user.id,
        role: 'owner',
        createdAt: now,
      });
      const ctx: OrgContext = {
        organizationId: organization.id,
        userId: user.id,
        role: 'owner',
        ip: meta.ip,
        requestId: meta.requestId,
      };
      await this.audit.record(ctx, { action: 'organization.created', entityType: 'organization', entityId: organization.id, after: { name: organization.name } }, tx);
      return this.createSession(tx, user, meta);
    });
  }

  async createOrganization(tx: EntityManager, name: string, locale: 'fr' | 'en', now: Date): Promise<OrganizationEntity> {
    const organization = tx.getRepository(OrganizationEntity).create({
      id: newId(),
      name,
      legalName: null,
      addressLine1: null,
      addressLine2: null,
      postalCode: null,
      city: null,
      country: 'FR',
      siren: null,
      rna: null,
      object: null,
      organismType: null,
      organismTypeOther: null,
      email: null,
      website: null,
      timeZone: 'Europe/Paris',
      currency: 'EUR',
      fiscalYearStartMonth: 1,
      locale,
      createdAt: now,
      updatedAt: now,
    });
    await tx.insert(OrganizationEntity, organization);
    return organization;
  }

  /**
   * Same answer for an unknown e-mail and a wrong password; after LOGIN_MAX_FAILURES failures in
   * LOGIN_LOCK_MINUTES for one e-mail, every try is refused until the window passes.
   */
  async login(input: LoginInput, meta: RequestMeta): Promise<AuthenticatedSession> {
    const now = this.clock.now();
    const windowStart = new Date(now.getTime() - this.config.loginLockMinutes * 60_000);
    const attempts = this.dataSource.getRepository(LoginAttemptEntity);
    const lastSuccess = await attempts.findOne({
      where: { email: input.email, succeeded: true, createdAt: MoreThan(windowStart) },
      order: { createdAt: 'DESC' },
    });
    const failures = await attempts.find({
      where: {
        email: input.email,
        succeeded: false,
        createdAt: MoreThan(lastSuccess && lastSuccess.createdAt > windowStart ? lastSuccess.createdAt : windowStart),
      },
      order: { createdAt: 'ASC' },
      take: this.config.loginMaxFailures,
    });
    if (failures.length >= this.config.loginMaxFailures) {
      const unlockAt = failures[0].createdAt.getTime() + this.config.loginLockMinutes * 60_000;
      throw new DomainError('rate_limited', 'auth.locked', 'Too many failed attempts; try again later', {
        retryAfterSeconds: Math.max(1, Math.ceil((unlockAt - now.getTime()) / 1000)),
      });
    }
    const user = await this.dataSource.getRepository(UserEntity).findOne({ where: { email: input.email } });
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
    if (!user || !ok) {
      await this.dataSource.transaction(async (tx) => {
        await tx.insert(LoginAttemptEntity, { id: newId(), email: input.email, ip: meta.ip ?? null, succeeded: false, createdAt: now });
        await this.audit.record(securityContext(null, meta), { action: 'auth.login-failed', entityType: 'user', entityId: user?.id ?? null, after: { email: input.email, ip: meta.ip ?? null } }, tx);
      });
      throw DomainError.unauthorized('auth.invalid_credentials', 'Email or password is incorrect');
    }
    return this.dataSource.transaction(async (tx) => {
      await tx.insert(LoginAttemptEntity, { id: newId(), email: input.email, ip: meta.ip ?? null, succeeded: true, createdAt: now });
      await this.audit.record(securityContext(user.id, meta), { action: 'auth.login', entityType: 'user', entityId: user.id, after: { ip: meta.ip ?? null } }, tx);
      return this.createSession(tx, user, meta);
    });
  }

  async createSession(tx: EntityManager, user: UserEntity, meta: RequestMeta): Promise<AuthenticatedSession> {
    const token = newSecretToken();
    const now = this.clock.now();
    const session = tx.getRepository(SessionEntity).create({
      id: newId(),
      tokenHash: hashToken(token),
      userId: user.id,
      csrfToken: newSecretToken(),
      expiresAt: new Date(now.getTime() + this.config.sessionTtlHours * 3_600_000),
      revokedAt: null,
      lastSeenAt: now,
      ip: meta.ip?.slice(0, 100) ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
      createdAt: now,
    });
    await tx.insert(SessionEntity, session);
    return { token, session, user };
  }

  /**
   * The session behind a cookie token with its user and, when `organizationId` is given, the
   * user's role there (null: not a member); null when the token is unknown, expired or revoked.
   * Every authenticated request runs this: answered from the session cache when it can (see
   * SessionCache for why revocation stays immediate), else by one prepared statement.
   */
  async resolveAccess(token: string, organizationId: string | null): Promise<ResolvedAccess | null> {
    if (!token || token.length > 200) return null;
    const now = this.clock.now();
    const tokenHash = hashToken(token);
    const key = organizationId === null ? tokenHash : `${tokenHash}:${organizationId}`;
    const cached = this.cache.get(key);
    if (cached && cached.value.session.expiresAt.getTime() > now.getTime()) {
      if (now.getTime() - cached.lastSeenAt > LAST_SEEN_EVERY_MS) {
        cached.lastSeenAt = now.getTime();
        await this.touch(cached.value.session.id, now);
      }
      return cached.value;
    }
    if (cached) this.cache.delete(key);
    // Requests of one session arriving together (a cold or just expired entry) share one lookup,
    // never one that began before the latest invalidation.
    const ticket = this.cache.ticket();
    let lookup = this.lookups.get(key);
    if (!lookup || lookup.ticket !== ticket) {
      const started = { ticket, promise: this.lookUp(key, tokenHash, organizationId, now, ticket) };
      const done = () => {
        if (this.lookups.get(key) === started) this.lookups.delete(key);
      };
      started.promise.then(done, done);
      this.lookups.set(key, started);
      lookup = started;
    }
    const value = await lookup.promise;
    return value && value.session.expiresAt.getTime() > now.getTime() ? value : null;
  }

  /** One prepared statement; the answer is kept unless an invalidation arrived meanwhile (`ticket`). */
  private async lookUp(key: string, tokenHash: string, organizationId: string | null, now: Date, ticket: number): Promise<ResolvedAccess | null> {
    const rows = await preparedQuery<AccessRow>(this.dataSource, 'ruche-auth-access', ACCESS_SQL, [tokenHash, now, organizationId]);
    const row = rows[0];
    if (!row) return null;
    const value: ResolvedAccess = Object.freeze({
      session: Object.freeze({
        id: row.id,
        userId: row.user_id,
        csrfToken: row.csrf_token,
        expiresAt: row.expires_at,
        lastSeenAt: row.last_seen_at,
      }),
      user: Object.freeze({ id: row.user_id, email: row.email, name: row.name, locale: row.locale }),
      role: row.role,
    });
    let lastSeenAt = row.last_seen_at.getTime();
    if (now.getTime() - lastSeenAt > LAST_SEEN_EVERY_MS) {
      lastSeenAt = now.getTime();
      await this.touch(row.id, now);
    }
    // "Not a member" is not kept: joining an organization then needs no invalidation.
    if (organizationId === null || row.role !== null) this.cache.set(key, value, ticket, lastSeenAt);
    return value;
  }

  private async touch(sessionId: string, now: Date): Promise<void> {
    await this.dataSource.query('UPDATE sessions SET last_seen_at = $2 WHERE id = $1', [sessionId, now]);
  }

  async logout(sessionId: string, userId: string, meta: RequestMeta): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.update(SessionEntity, { id: sessionId, userId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
      await this.audit.record(securityContext(userId, meta), { action: 'auth.logout', entityType: 'session', entityId: sessionId }, tx);
    });
    await this.cache.invalidateUser(userId);
  }

  async me(user: SessionUser, session: Pick<SessionInfo, 'csrfToken'>): Promise<MeView> {
    const memberships = await this.dataSource
      .getRepository(OrganizationMemberEntity)
      .find({ where: { userId: user.id }, relations: { organization: true }, order: { createdAt: 'ASC' } });
    return {
      user: { id: user.id, email: user.email, name: user.name, locale: user.locale },
      organizations: memberships.map((m) => ({
        organizationId: m.organizationId,
        organizationName: m.organization?.name ?? '',
        role: m.role,
      })),
      csrfToken: session.csrfToken,
    };
  }

  /** Always answers the same, whether the e-mail is known or not. */
  async requestPasswordReset(input: RequestPasswordResetInput, meta: RequestMeta): Promise<void> {
    const user = await this.dataSource.getRepository(UserEntity).findOne({ where: { email: input.email } });
    if (!user) return;
    const token = newSecretToken();
    const now = this.clock.now();
    const emailId = await this.dataSource.transaction(async (tx) => {
      const reset = { id: newId(), userId: user.id, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + RESET_TTL_MS), usedAt: null, createdAt: now };
      await tx.insert(PasswordResetEntity, reset);
      await this.audit.record(securityContext(user.id, meta), { action: 'auth.password-reset-requested', entityType: 'user', entityId: user.id }, tx);
      const rendered = passwordResetEmail(user.locale, {
        name: user.name,
        url: `${this.config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`,
      });
      return this.emails.queueEmail(null, { ...rendered, to: user.email, template: 'auth.password-reset', idempotencyKey: `password-reset:${reset.id}` }, tx);
    });
    await this.emails.dispatch(null, emailId);
  }

  async resetPassword(input: ResetPasswordInput, meta: RequestMeta): Promise<void> {
    const passwordHash = await hashPassword(input.password);
    const userId = await this.dataSource.transaction(async (tx) => {
      const now = this.clock.now();
      const reset = await tx.getRepository(PasswordResetEntity).findOne({
        where: { tokenHash: hashToken(input.token), usedAt: IsNull(), expiresAt: MoreThan(now) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!reset) {
        throw DomainError.invalid('auth.reset_token_invalid', 'This reset link is invalid or has expired', 'token');
      }
      await tx.update(PasswordResetEntity, { id: reset.id }, { usedAt: now });
      await tx.update(UserEntity, { id: reset.userId }, { passwordHash, updatedAt: now });
      await tx.update(SessionEntity, { userId: reset.userId, revokedAt: IsNull() }, { revokedAt: now });
      await this.audit.record(securityContext(reset.userId, meta), { action: 'auth.password-reset', entityType: 'user', entityId: reset.userId }, tx);
      return reset.userId;
    });
    await this.cache.invalidateUser(userId);
  }
}
