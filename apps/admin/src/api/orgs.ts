import type {
  AuditLogView,
  DashboardView,
  FailedJobView,
  InvitationView,
  InviteUserInput,
  OrganizationUserView,
  OrganizationView,
  OutboundEmailView,
  Page,
  UpdateOrganizationInput,
} from '@ruche/contracts';
import type { Role } from '@ruche/core';
import { apiUrl, request } from './client';

export interface PageQuery {
  limit: number;
  offset: number;
}

const org = (orgId: string, path = '') => `/orgs/${encodeURIComponent(orgId)}${path}`;

export const orgsApi = {
  get: (orgId: string, signal?: AbortSignal) =>
    request<OrganizationView>('GET', org(orgId), { signal }),
  update: (orgId: string, input: UpdateOrganizationInput) =>
    request<OrganizationView>('PUT', org(orgId), { body: input }),
  dashboard: (orgId: string, signal?: AbortSignal) =>
    request<DashboardView>('GET', org(orgId, '/dashboard'), { signal }),

  users: (orgId: string, page: PageQuery, signal?: AbortSignal) =>
    request<Page<OrganizationUserView>>('GET', org(orgId, '/users'), {
      query: { ...page },
      signal,
    }),
  changeRole: (orgId: string, userId: string, role: Role) =>
    request<OrganizationUserView>('PUT', org(orgId, `/users/${encodeURIComponent(userId)}/role`), {
      body: { role },
    }),
  removeUser: (orgId: string, userId: string) =>
    request<void>('DELETE', org(orgId, `/users/${encodeURIComponent(userId)}`)),

  invitations: (orgId: string, signal?: AbortSignal) =>
    request<InvitationView[]>('GET', org(orgId, '/invitations'), { signal }),
  invite: (orgId: string, input: InviteUserInput) =>
    request<InvitationView>('POST', org(orgId, '/invitations'), { body: input }),
  revokeInvitation: (orgId: string, invitationId: string) =>
    request<void>('DELETE', org(orgId, `/invitations/${encodeURIComponent(invitationId)}`)),

  auditLog: (orgId: string, page: PageQuery, signal?: AbortSignal) =>
    request<Page<AuditLogView>>('GET', org(orgId, '/audit-log'), { query: { ...page }, signal }),

  emails: (orgId: string, page: PageQuery, signal?: AbortSignal) =>
    request<Page<OutboundEmailView>>('GET', org(orgId, '/emails'), { query: { ...page }, signal }),
  resendEmail: (orgId: string, emailId: string) =>
    request<void>('POST', org(orgId, `/emails/${encodeURIComponent(emailId)}/resend`)),

  failedJobs: (orgId: string, signal?: AbortSignal) =>
    request<FailedJobView[]>('GET', org(orgId, '/jobs/failed'), { signal }),
  retryJob: (orgId: string, jobId: string) =>
    request<void>('POST', org(orgId, `/jobs/failed/${encodeURIComponent(jobId)}/retry`)),

  eventsUrl: (orgId: string) => apiUrl(org(orgId, '/events')),
};
