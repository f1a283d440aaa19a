import {
  CanActivate,
  ExecutionContext,
  Injectable,
  SetMetadata,
  createParamDecorator,
  applyDecorators,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiCookieAuth, ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainError, isUuid, roleHasPermission, type OrgContext, type Permission } from '@ruche/core';
import { AuthService, type SessionInfo, type SessionUser } from '@ruche/organizations';
import type { RequestMeta } from '@ruche/organizations';

export const SESSION_COOKIE = 'ruche_session';
const PUBLIC = 'ruche:public';
const PERMISSION = 'ruche:permission';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface RequestState {
  user?: SessionUser;
  session?: SessionInfo;
  orgContext?: OrgContext;
}

type RucheRequest = FastifyRequest & { ruche?: RequestState };

/** No session needed (login, sign-up, public pages, webhooks). A session, if any, is still read. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC, true);

/**
 * An organization route (`:orgId` in the path) and the permission it needs (see PERMISSIONS in
 * @ruche/core). Not a member: 404. Member without the permission: 403.
 */
export const RequirePermission = (permission: Permission) =>
  applyDecorators(SetMetadata(PERMISSION, permission), ApiCookieAuth(), ApiHeader({ name: 'x-csrf-token', required: false }));

export function requestMeta(request: FastifyRequest): RequestMeta {
  return {
    ip: request.ip,
    userAgent: String(request.headers['user-agent'] ?? '').slice(0, 300),
    requestId: String(request.id),
  };
}

export function permissionOf(reflector: Reflector, context: ExecutionContext): Permission | undefined {
  return reflector.getAllAndOverride<Permission | undefined>(PERMISSION, [context.getHandler(), context.getClass()]);
}

export function isPublic(reflector: Reflector, context: ExecutionContext): boolean {
  return reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()]) === true;
}

interface RouteAccess {
  permission: Permission | undefined;
  isPublic: boolean;
}

/**
 * The one access check of the API: session from the cookie, CSRF token on unsafe methods,
 * organization membership and role permission on organization routes.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  /** Per controller class, per handler: the metadata never changes once the app is built. */
  private readonly routes = new WeakMap<object, WeakMap<object, RouteAccess>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<RucheRequest>();
    const state: RequestState = (request.ruche = {});
    const orgId = (request.params as Record<string, string> | undefined)?.['orgId'];
    const token = request.cookies?.[SESSION_COOKIE];
    // Session, user and role in the route's organization in one lookup (see AuthService.resolveAccess).
    const resolved = token
      ? await this.auth.resolveAccess(token, orgId !== undefined && isUuid(orgId) ? orgId : null)
      : null;
    if (resolved) {
      state.user = resolved.user;
      state.session = resolved.session;
    }
    const { permission, isPublic } = this.routeAccess(context);
    if (isPublic && !permission) return true;
    if (!resolved) throw DomainError.unauthorized('auth.required', 'Log in to continue');
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || sent !== resolved.session.csrfToken) {
        throw DomainError.forbidden('auth.csrf', 'Missing or wrong x-csrf-token header');
      }
    }
    if (orgId === undefined) {
      if (permission) throw DomainError.forbidden('auth.misconfigured_route', 'Organization route without :orgId');
      return true;
    }
    if (!isUuid(orgId)) throw DomainError.notFound('organizations.not_found');
    const role = resolved.role;
    if (!role) throw DomainError.notFound('organizations.not_found');
    if (!permission) throw DomainError.forbidden('auth.no_permission_declared', 'This route declares no permission');
    if (!roleHasPermission(role, permission)) {
      throw DomainError.forbidden('auth.forbidden', `Your role (${role}) does not allow ${permission}`);
    }
    state.orgContext = {
      organizationId: orgId,
      userId: resolved.user.id,
      role,
      requestId: String(request.id),
      ip: request.ip,
    };
    return true;
  }

  /** The route's declared permission and publicness, read once per handler. */
  private routeAccess(context: ExecutionContext): RouteAccess {
    const controller = context.getClass();
    const handler = context.getHandler();
    let handlers = this.routes.get(controller);
    if (!handlers) this.routes.set(controller, (handlers = new WeakMap()));
    let access = handlers.get(handler);
    if (!access) {
      access = { permission: permissionOf(this.reflector, context), isPublic: isPublic(this.reflector, context) };
      handlers.set(handler, access);
    }
    return access;
  }
}

/** The OrgContext of an organization route (set by AccessGuard). */
export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): OrgContext => {
  const ctx = context.switchToHttp().getRequest<RucheRequest>().ruche?.orgContext;
  if (!ctx) throw DomainError.forbidden('auth.no_context', 'No organization context');
  return ctx;
});

/** The logged-in user and session (null on public routes without a session). */
export const CurrentSession = createParamDecorator(
  (_: unknown, context: ExecutionContext): { user: SessionUser; session: SessionInfo } | null => {
    const state = context.switchToHttp().getRequest<RucheRequest>().ruche;
    return state?.user && state.session ? { user: state.user, session: state.session } : null;
  },
);

export const Meta = createParamDecorator((_: unknown, context: ExecutionContext): RequestMeta =>
  requestMeta(context.switchToHttp().getRequest<FastifyRequest>()),
);
