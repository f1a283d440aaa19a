import type {
  Page,
  PayoutView,
  PaymentProvider,
  PaymentPurpose,
  PaymentStatus,
  PaymentView,
  StripeConnectionCheckView,
  StripeEventState,
  StripeEventView,
  StripeSettingsInput,
  StripeSettingsView,
  refundInputSchema,
} from '@ruche/contracts';
import type { z } from 'zod';
import { request } from './client';
import type { PageQuery } from './orgs';

/** The filters of the payments list (empty strings are not sent). */
export interface PaymentFilters {
  status?: PaymentStatus | '';
  purpose?: PaymentPurpose | '';
  provider?: PaymentProvider | '';
  contactId?: string;
  from?: string;
  to?: string;
}

const base = (orgId: string, path: string) => `/orgs/${encodeURIComponent(orgId)}${path}`;
const segment = (value: string) => encodeURIComponent(value);
const orUndefined = (value: string | undefined) => (value ? value : undefined);

export const paymentsApi = {
  list: (orgId: string, filters: PaymentFilters, page: PageQuery, signal?: AbortSignal) =>
    request<Page<PaymentView>>('GET', base(orgId, '/payments'), {
      query: {
        status: orUndefined(filters.status),
        purpose: orUndefined(filters.purpose),
        provider: orUndefined(filters.provider),
        contactId: orUndefined(filters.contactId),
        from: orUndefined(filters.from),
        to: orUndefined(filters.to),
        ...page,
      },
      signal,
    }),
  get: (orgId: string, paymentId: string, signal?: AbortSignal) =>
    request<PaymentView>('GET', base(orgId, `/payments/${segment(paymentId)}`), { signal }),
  /**
   * A refund through Stripe (the whole remaining amount when `amount` is left out): 201 with the
   * payment as it now stands; 400/422 on `amount` or `reason`, 409 when it cannot be refunded.
   */
  refund: (orgId: string, paymentId: string, input: RefundBody) =>
    request<PaymentView>('POST', base(orgId, `/payments/${segment(paymentId)}/refunds`), {
      body: input,
    }),
};

/** A refund as sent: the amount typed as a decimal string ("12,50"), the server makes cents. */
export type RefundBody = z.input<typeof refundInputSchema>;

/** The filters of the payouts list (empty strings are not sent). */
export interface PayoutFilters {
  from?: string;
  to?: string;
}

/** The payouts Stripe made to the association's bank account, each with what it settled. */
export const payoutsApi = {
  list: (orgId: string, filters: PayoutFilters, page: PageQuery, signal?: AbortSignal) =>
    request<Page<PayoutView>>('GET', base(orgId, '/payouts'), {
      query: { from: orUndefined(filters.from), to: orUndefined(filters.to), ...page },
      signal,
    }),
  get: (orgId: string, payoutId: string, signal?: AbortSignal) =>
    request<PayoutView>('GET', base(orgId, `/payouts/${segment(payoutId)}`), { signal }),
};

/** The organization's own Stripe account: the keys go in, never come back (only a hint). */
export const stripeApi = {
  settings: (orgId: string, signal?: AbortSignal) =>
    request<StripeSettingsView>('GET', base(orgId, '/settings/stripe'), { signal }),
  /** 400 with field errors when a key is malformed or refused by Stripe. */
  save: (orgId: string, input: StripeSettingsInput) =>
    request<StripeSettingsView>('PUT', base(orgId, '/settings/stripe'), { body: input }),
  check: (orgId: string) =>
    request<StripeConnectionCheckView>('POST', base(orgId, '/settings/stripe/check'), {
      body: {},
    }),
  disconnect: (orgId: string) => request<void>('DELETE', base(orgId, '/settings/stripe')),

  events: (orgId: string, state: StripeEventState | '', page: PageQuery, signal?: AbortSignal) =>
    request<Page<StripeEventView>>('GET', base(orgId, '/stripe-events'), {
      query: { state: orUndefined(state), ...page },
      signal,
    }),
  retryEvent: (orgId: string, eventId: string) =>
    request<StripeEventView>('POST', base(orgId, `/stripe-events/${segment(eventId)}/retry`), {
      body: {},
    }),
};
