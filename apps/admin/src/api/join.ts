import type {
  joinInputSchema,
  JoinResultView,
  PublicCheckoutStatusView,
  PublicJoinFormView,
} from '@ruche/contracts';
import type { z } from 'zod';
import { request } from './client';

/** A join request as sent: the free amount is typed as a decimal string ("25", "25,50"). */
export type JoinBody = z.input<typeof joinInputSchema>;

/**
 * The public join page: calls made without any session (no staff CSRF token, and a 401 here
 * does not end the staff session of someone who happens to be logged in).
 */
const outside = { staffSession: false, csrfToken: null } as const;
const publicOrg = (orgId: string, path: string) =>
  `/public/orgs/${encodeURIComponent(orgId)}${path}`;

export const joinApi = {
  form: (orgId: string, signal?: AbortSignal) =>
    request<PublicJoinFormView>('GET', publicOrg(orgId, '/join'), { ...outside, signal }),
  /** 201: the Stripe Checkout page to send the browser to; 400 with field errors. */
  join: (orgId: string, input: JoinBody) =>
    request<JoinResultView>('POST', publicOrg(orgId, '/join'), { ...outside, body: input }),
  /** Where the payment of a Checkout session stands (the return page polls it). */
  checkoutStatus: (orgId: string, sessionId: string, signal?: AbortSignal) =>
    request<PublicCheckoutStatusView>(
      'GET',
      publicOrg(orgId, `/checkout/${encodeURIComponent(sessionId)}`),
      { ...outside, signal },
    ),
};
