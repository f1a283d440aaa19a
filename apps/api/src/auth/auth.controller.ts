import { Controller, Get, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '@ruche/core';
import {
  acceptInvitationInputSchema,
  loginInputSchema,
  requestPasswordResetInputSchema,
  resetPasswordInputSchema,
  signupInputSchema,
  type AcceptInvitationInput,
  type InvitationPreview,
  type LoginInput,
  type MeView,
  type RequestPasswordResetInput,
  type ResetPasswordInput,
  type SignupInput,
} from '@ruche/contracts';
import { AuthService, OrganizationUsersService, type AuthenticatedSession, type RequestMeta, type SessionInfo, type SessionUser } from '@ruche/organizations';
import { APP_CONFIG, type AppConfig } from '@ruche/platform';
import { ZodBody } from '../http/zod';
import { CurrentSession, Meta, Public, SESSION_COOKIE } from './access';

/** Per-IP limit on the credential routes; max and window come from the config (see bootstrap). */
const LOGIN_RATE_LIMIT = { rateLimit: {} };

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: OrganizationUsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('signup')
  @RouteConfig(LOGIN_RATE_LIMIT)
  async signup(
    @ZodBody(signupInputSchema) input: SignupInput,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeView> {
    return this.startSession(await this.auth.signup(input, meta), reply);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @RouteConfig(LOGIN_RATE_LIMIT)
  async login(
    @ZodBody(loginInputSchema) input: LoginInput,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeView> {
    return this.startSession(await this.auth.login(input, meta), reply);
  }

  @Post('logout')
  @HttpCode(204)
  async logout(
    @CurrentSession() current: { user: SessionUser; session: SessionInfo },
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(current.session.id, current.user.id, meta);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('me')
  async me(@CurrentSession() current: { user: SessionUser; session: SessionInfo }): Promise<MeView> {
    return this.auth.me(current.user, current.session);
  }

  @Public()
  @Post('password-reset/request')
  @HttpCode(202)
  @RouteConfig(LOGIN_RATE_LIMIT)
  async requestPasswordReset(
    @ZodBody(requestPasswordResetInputSchema) input: RequestPasswordResetInput,
    @Meta() meta: RequestMeta,
  ): Promise<{ accepted: true }> {
    await this.auth.requestPasswordReset(input, meta);
    return { accepted: true };
  }

  @Public()
  @Post('password-reset/confirm')
  @HttpCode(204)
  @RouteConfig(LOGIN_RATE_LIMIT)
  async resetPassword(@ZodBody(resetPasswordInputSchema) input: ResetPasswordInput, @Meta() meta: RequestMeta): Promise<void> {
    await this.auth.resetPassword(input, meta);
  }

  @Public()
  @Get('invitations/preview')
  async previewInvitation(@Query('token') token: string | undefined): Promise<InvitationPreview> {
    if (!token || token.length < 20 || token.length > 200) {
      throw DomainError.invalid('invitations.invalid', 'This invitation is invalid, used or expired', 'token');
    }
    return this.users.previewInvitation(token);
  }

  @Public()
  @Post('invitations/accept')
  @HttpCode(200)
  @RouteConfig(LOGIN_RATE_LIMIT)
  async acceptInvitation(
    @ZodBody(acceptInvitationInputSchema) input: AcceptInvitationInput,
    @CurrentSession() current: { user: SessionUser; session: SessionInfo } | null,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeView & { joinedOrganizationId: string }> {
    const result = await this.users.acceptInvitation(input, current?.user ?? null, meta);
    const me = result.session
      ? this.startSession(result.session, reply)
      : this.auth.me(current!.user, current!.session);
    return { ...(await me), joinedOrganizationId: result.organizationId };
  }

  private async startSession(authenticated: AuthenticatedSession, reply: FastifyReply): Promise<MeView> {
    void reply.setCookie(SESSION_COOKIE, authenticated.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.cookieSecure,
      path: '/',
      maxAge: this.config.sessionTtlHours * 3600,
    });
    return this.auth.me(authenticated.user, authenticated.session);
  }
}
