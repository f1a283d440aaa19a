import type {
  CancelMembershipInput,
  ContactMembershipView,
  createMembershipInputSchema,
  MemberCheckView,
  MembershipDashboardView,
  MembershipSettingsInput,
  MembershipSettingsView,
  MembershipStatus,
  Page,
  PaymentInput,
  planInputSchema,
  PlanView,
  renewMembershipInputSchema,
} from '@ruche/contracts';
import type { z } from 'zod';
import { apiUrl, request } from './client';
import type { PageQuery } from './orgs';

/** A plan as sent: amounts are typed decimal strings ("30", "12,50"), the server makes cents. */
export type PlanBody = z.input<typeof planInputSchema>;
/** A new membership as sent (a free amount typed as a decimal string). */
export type CreateMembershipBody = z.input<typeof createMembershipInputSchema>;
export type RenewMembershipBody = z.input<typeof renewMembershipInputSchema>;

/** The filters of the memberships list (all optional). */
export interface MembershipFilters {
  contactId?: string;
  planId?: string;
  status?: MembershipStatus;
}

const base = (orgId: string, path: string) => `/orgs/${encodeURIComponent(orgId)}${path}`;
const segment = (value: string) => encodeURIComponent(value);

export const membershipsApi = {
  plans: (orgId: string, signal?: AbortSignal) =>
    request<PlanView[]>('GET', base(orgId, '/membership-plans'), { signal }),
  plan: (orgId: string, planId: string, signal?: AbortSignal) =>
    request<PlanView>('GET', base(orgId, `/membership-plans/${segment(planId)}`), { signal }),
  createPlan: (orgId: string, input: PlanBody) =>
    request<PlanView>('POST', base(orgId, '/membership-plans'), { body: input }),
  updatePlan: (orgId: string, planId: string, input: PlanBody) =>
    request<PlanView>('PUT', base(orgId, `/membership-plans/${segment(planId)}`), {
      body: input,
    }),

  list: (orgId: string, filters: MembershipFilters, page: PageQuery, signal?: AbortSignal) =>
    request<Page<ContactMembershipView>>('GET', base(orgId, '/memberships'), {
      query: { ...filters, ...page },
      signal,
    }),
  get: (orgId: string, membershipId: string, signal?: AbortSignal) =>
    request<ContactMembershipView>('GET', base(orgId, `/memberships/${segment(membershipId)}`), {
      signal,
    }),
  /** A payment in the body needs `memberships.collect`. */
  create: (orgId: string, input: CreateMembershipBody) =>
    request<ContactMembershipView>('POST', base(orgId, '/memberships'), { body: input }),
  /** One-click renewal: the next period, same plan and tier unless told otherwise. */
  renew: (orgId: string, membershipId: string, input: RenewMembershipBody = {}) =>
    request<ContactMembershipView>(
      'POST',
      base(orgId, `/memberships/${segment(membershipId)}/renew`),
      { body: input },
    ),
  /** A payment received at the desk (cheque, cash, transfer). */
  recordPayment: (orgId: string, membershipId: string, input: PaymentInput) =>
    request<ContactMembershipView>(
      'POST',
      base(orgId, `/memberships/${segment(membershipId)}/payment`),
      { body: input },
    ),
  cancel: (orgId: string, membershipId: string, input: CancelMembershipInput) =>
    request<ContactMembershipView>(
      'POST',
      base(orgId, `/memberships/${segment(membershipId)}/cancel`),
      { body: input },
    ),

  settings: (orgId: string, signal?: AbortSignal) =>
    request<MembershipSettingsView>('GET', base(orgId, '/membership-settings'), { signal }),
  updateSettings: (orgId: string, input: MembershipSettingsInput) =>
    request<MembershipSettingsView>('PUT', base(orgId, '/membership-settings'), { body: input }),

  dashboard: (orgId: string, signal?: AbortSignal) =>
    request<MembershipDashboardView>('GET', base(orgId, '/membership-dashboard'), { signal }),
  /** "Member in good standing?" by name, email, phone or reference (2 characters at least). */
  check: (orgId: string, q: string, signal?: AbortSignal) =>
    request<MemberCheckView[]>('GET', base(orgId, '/members/check'), { query: { q }, signal }),
};

/** Files to download (plain GETs on the same origin: the session cookie authenticates them). */
export const membershipDownloads = {
  /** The attestation d'adhésion of a paid membership (409 unpaid or cancelled). */
  attestation: (orgId: string, membershipId: string) =>
    apiUrl(base(orgId, `/memberships/${segment(membershipId)}/attestation`)),
};
