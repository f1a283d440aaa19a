import type {
  InvoiceKind,
  InvoiceSettingsInput,
  InvoiceSettingsView,
  InvoiceStatus,
  InvoiceView,
  Page,
} from '@ruche/contracts';
import { apiUrl, request } from './client';
import type { PageQuery } from './orgs';

/** The filters of the invoices list (empty strings are not sent). */
export interface InvoiceFilters {
  year?: string;
  kind?: InvoiceKind | '';
  status?: InvoiceStatus | '';
  contactId?: string;
  paymentId?: string;
  sourceId?: string;
  q?: string;
}

const base = (orgId: string, path: string) => `/orgs/${encodeURIComponent(orgId)}${path}`;
const segment = (value: string) => encodeURIComponent(value);
const orUndefined = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/** Invoices (factures) and credit notes (avoirs): the register and what they print. */
export const invoicesApi = {
  list: (orgId: string, filters: InvoiceFilters, page: PageQuery, signal?: AbortSignal) =>
    request<Page<InvoiceView>>('GET', base(orgId, '/invoices'), {
      query: {
        year: orUndefined(filters.year),
        kind: orUndefined(filters.kind),
        status: orUndefined(filters.status),
        contactId: orUndefined(filters.contactId),
        paymentId: orUndefined(filters.paymentId),
        sourceId: orUndefined(filters.sourceId),
        q: orUndefined(filters.q),
        ...page,
      },
      signal,
    }),
  get: (orgId: string, invoiceId: string, signal?: AbortSignal) =>
    request<InvoiceView>('GET', base(orgId, `/invoices/${segment(invoiceId)}`), { signal }),
  settings: (orgId: string, signal?: AbortSignal) =>
    request<InvoiceSettingsView>('GET', base(orgId, '/invoices/settings'), { signal }),
  /** What the next invoices print (issued ones keep what they printed). */
  updateSettings: (orgId: string, input: InvoiceSettingsInput) =>
    request<InvoiceSettingsView>('PUT', base(orgId, '/invoices/settings'), { body: input }),
};

/** The PDF as issued (a plain GET on the same origin: the session cookie authenticates it). */
export const invoiceDownloads = {
  pdf: (orgId: string, invoiceId: string) =>
    apiUrl(base(orgId, `/invoices/${segment(invoiceId)}/pdf`)),
};
