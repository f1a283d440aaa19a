import type {
  InvoiceView,
  JoinResultView,
  MemberPayInput,
  MemberConsentInput,
  MemberDetailsInput,
  MemberLoginLinkInput,
  MemberSpaceView,
  ReceiptView,
} from '@ruche/contracts';
import { apiUrl, request } from './client';

/**
 * The member space: public calls, outside the staff session. The member session is an HTTP-only
 * cookie; changes carry the member's own CSRF token (`MemberSpaceView.csrfToken`), never the
 * staff one, and a 401 here does not end the staff session.
 */
const outside = { staffSession: false } as const;

export const memberSpaceApi = {
  /** Always 202: the answer never tells whether the address is known. */
  requestLoginLink: (orgId: string, input: MemberLoginLinkInput) =>
    request<void>('POST', `/public/orgs/${encodeURIComponent(orgId)}/member-space/login-link`, {
      ...outside,
      body: input,
      csrfToken: null,
    }),
  /** Exchanges the link's token for a member session (401 `member_space.link_invalid`). */
  openSession: (orgId: string, token: string) =>
    request<MemberSpaceView>(
      'POST',
      `/public/orgs/${encodeURIComponent(orgId)}/member-space/session`,
      { ...outside, body: { token }, csrfToken: null },
    ),
  /** 401 `member_space.login_required` without a member session. */
  me: (signal?: AbortSignal) =>
    request<MemberSpaceView>('GET', '/public/member-space/me', { ...outside, signal }),
  updateDetails: (csrfToken: string, input: MemberDetailsInput) =>
    request<MemberSpaceView>('PUT', '/public/member-space/me', {
      ...outside,
      body: input,
      csrfToken,
    }),
  recordConsent: (csrfToken: string, input: MemberConsentInput) =>
    request<MemberSpaceView>('POST', '/public/member-space/consents', {
      ...outside,
      body: input,
      csrfToken,
    }),
  /** Creates the renewal of `renewableMembershipId`, waiting for payment. */
  renew: (csrfToken: string) =>
    request<MemberSpaceView>('POST', '/public/member-space/renew', {
      ...outside,
      body: {},
      csrfToken,
    }),
  /** Opens Stripe Checkout for a membership waiting for payment; answers where to send the browser. */
  pay: (csrfToken: string, input: MemberPayInput) =>
    request<JoinResultView>('POST', '/public/member-space/pay', {
      ...outside,
      body: input,
      csrfToken,
    }),
  /**
   * Opens Stripe's customer portal of the member's automatic renewal (to update a card or a bank
   * account); answers where to send the browser. 404 `payments.subscription_not_found`.
   */
  billingPortal: (csrfToken: string) =>
    request<{ url: string }>('POST', '/public/member-space/billing-portal', {
      ...outside,
      body: {},
      csrfToken,
    }),
  /** The member's fiscal receipts (401 `member_space.login_required` without a member session). */
  receipts: (signal?: AbortSignal) =>
    request<ReceiptView[]>('GET', '/public/member-space/receipts', { ...outside, signal }),
  /** A receipt as a PDF (a plain GET: the member session cookie authenticates it). */
  receiptPdfUrl: (receiptId: string) =>
    apiUrl(`/public/member-space/receipts/${encodeURIComponent(receiptId)}/pdf`),
  /** The attestation d'adhésion of one of the member's own paid memberships, as a PDF. */
  attestationPdfUrl: (membershipId: string) =>
    apiUrl(`/public/member-space/memberships/${encodeURIComponent(membershipId)}/attestation`),
  /** The member's invoices and credit notes (memberships with counterparts). */
  invoices: (signal?: AbortSignal) =>
    request<InvoiceView[]>('GET', '/public/member-space/invoices', { ...outside, signal }),
  /** An invoice or credit note as a PDF (a plain GET: the member session cookie authenticates it). */
  invoicePdfUrl: (invoiceId: string) =>
    apiUrl(`/public/member-space/invoices/${encodeURIComponent(invoiceId)}/pdf`),
  logout: (csrfToken: string) =>
    request<void>('POST', '/public/member-space/logout', { ...outside, csrfToken }),
};

const LAST_ORG_KEY = 'ruche.memberSpace.orgId';

/** The organization of the last member-space page seen in this tab (to go back to its login). */
export function lastMemberSpaceOrg(): string | null {
  try {
    return sessionStorage.getItem(LAST_ORG_KEY);
  } catch {
    return null;
  }
}

export function rememberMemberSpaceOrg(orgId: string): void {
  try {
    sessionStorage.setItem(LAST_ORG_KEY, orgId);
  } catch {
    // Storage may be unavailable (private mode); the account page then shows a message instead.
  }
}
