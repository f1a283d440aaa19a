import type {
  ChequeDepositInput,
  ChequeDepositView,
  manualPaymentInputSchema,
  Page,
  PaymentMethod,
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
  StripeSyncInput,
  StripeSyncView,
  refundInputSchema,
} from '@ruche/contracts';
import type { z } from 'zod';
import { apiUrl, request } from './client';
import type { PageQuery } from './orgs';

/** The filters of the payments list (empty strings are not sent). */
export interface PaymentFilters {
  status?: PaymentStatus | '';
  purpose?: PaymentPurpose | '';
  provider?: PaymentProvider | '';
  method?: PaymentMethod | '';
  /** Cheques not taken to the bank yet (`true`), or already deposited (`false`). */
  undeposited?: 'true' | 'false' | '';
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
        method: orUndefined(filters.method),
        undeposited: orUndefined(filters.undeposited),
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
  /**
   * Money received at the desk (cheque, cash, transfer) for no membership: recorded as received
   * and posted at once (201); 400/422 with field errors (`amount`, `contactId`, `revenueAccount`...).
   */
  createManual: (orgId: string, input: ManualPaymentBody) =>
    request<PaymentView>('POST', base(orgId, '/payments/manual'), { body: input }),
};

/** A payment received at the desk as sent: the amount typed as a decimal string ("25,50"). */
export type ManualPaymentBody = z.input<typeof manualPaymentInputSchema>;

/** The most cheques a deposit slip offers at once (the list's largest page). */
export const UNDEPOSITED_CHEQUES_LIMIT = 200;

/** Bank deposit slips (bordereaux de remise de chèques): cheques taken to the bank together. */
export const chequeDepositsApi = {
  list: (orgId: string, page: PageQuery, signal?: AbortSignal) =>
    request<Page<ChequeDepositView>>('GET', base(orgId, '/cheque-deposits'), {
      query: { ...page },
      signal,
    }),
  get: (orgId: string, depositId: string, signal?: AbortSignal) =>
    request<ChequeDepositView>('GET', base(orgId, `/cheque-deposits/${segment(depositId)}`), {
      signal,
    }),
  /** The cheques received and not taken to the bank yet (at most 200, in the server's order). */
  undepositedCheques: (orgId: string, signal?: AbortSignal) =>
    paymentsApi.list(
      orgId,
      { method: 'cheque', undeposited: 'true' },
      { limit: UNDEPOSITED_CHEQUES_LIMIT, offset: 0 },
      signal,
    ),
  /**
   * 201 with the slip; 400 on `paymentIds`/`depositedOn`, 409 `payments.cheque_already_deposited`
   * or `payments.not_a_cheque`, 422 when it cannot be posted (closed period...).
   */
  create: (orgId: string, input: ChequeDepositInput) =>
    request<ChequeDepositView>('POST', base(orgId, '/cheque-deposits'), { body: input }),
};

/** The slip as a PDF (a plain GET on the same origin: the session cookie authenticates it). */
export const chequeDepositDownloads = {
  pdf: (orgId: string, depositId: string) =>
    apiUrl(base(orgId, `/cheque-deposits/${segment(depositId)}/pdf`)),
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
  /** Reads Stripe's event list and replays the events that never reached the webhook. */
  catchUp: (orgId: string) =>
    request<{ replayed: number }>('POST', base(orgId, '/stripe-events/catch-up'), { body: {} }),

  /** The imports of Stripe history, latest first. */
  syncs: (orgId: string, signal?: AbortSignal) =>
    request<StripeSyncView[]>('GET', base(orgId, '/stripe-syncs'), { signal }),
  sync: (orgId: string, syncId: string, signal?: AbortSignal) =>
    request<StripeSyncView>('GET', base(orgId, `/stripe-syncs/${segment(syncId)}`), { signal }),
  /**
   * Imports Stripe's charges, refunds and payouts of a period, in the worker: 202 with the import
   * queued; 400 on `from` (after `to`) or `to` (more than 400 days), 409
   * `payments.stripe_not_connected`.
   */
  startSync: (orgId: string, input: StripeSyncInput) =>
    request<StripeSyncView>('POST', base(orgId, '/stripe-syncs'), { body: input }),
};
