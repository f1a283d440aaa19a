import type {
  AnnualBatchView,
  CancelReceiptInput,
  Page,
  ReceiptDeclarationView,
  ReceiptGiftView,
  ReceiptSettingsInput,
  ReceiptSettingsView,
  ReceiptSignatureInput,
  ReceiptStatus,
  ReceiptView,
} from '@ruche/contracts';
import { apiUrl, request, requestBlob } from './client';
import type { PageQuery } from './orgs';

/** The filters of the receipts register (empty strings are not sent). */
export interface ReceiptFilters {
  year?: string;
  status?: ReceiptStatus | '';
  contactId?: string;
  q?: string;
}

/** The filters of the gifts to receipt. */
export interface ReceiptGiftFilters {
  state: 'waiting' | 'all';
  year?: string;
  contactId?: string;
}

const base = (orgId: string, path: string) => `/orgs/${encodeURIComponent(orgId)}${path}`;
const segment = (value: string) => encodeURIComponent(value);
const orUndefined = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/** Fiscal receipts (reçus fiscaux): the register, the gifts to receipt, the settings. */
export const receiptsApi = {
  settings: (orgId: string, signal?: AbortSignal) =>
    request<ReceiptSettingsView>('GET', base(orgId, '/receipts/settings'), { signal }),
  updateSettings: (orgId: string, input: ReceiptSettingsInput) =>
    request<ReceiptSettingsView>('PUT', base(orgId, '/receipts/settings'), { body: input }),
  /** The signature printed on receipts (PNG or JPEG, base64, 300 KB at most once decoded). */
  uploadSignature: (orgId: string, input: ReceiptSignatureInput) =>
    request<ReceiptSettingsView>('PUT', base(orgId, '/receipts/settings/signature'), {
      body: input,
    }),
  deleteSignature: (orgId: string) =>
    request<ReceiptSettingsView>('DELETE', base(orgId, '/receipts/settings/signature')),
  /** The signature image itself (for a preview through an object URL). */
  signature: (orgId: string, signal?: AbortSignal) =>
    requestBlob(base(orgId, '/receipts/settings/signature'), { signal }),

  list: (orgId: string, filters: ReceiptFilters, page: PageQuery, signal?: AbortSignal) =>
    request<Page<ReceiptView>>('GET', base(orgId, '/receipts'), {
      query: {
        year: orUndefined(filters.year),
        status: orUndefined(filters.status),
        contactId: orUndefined(filters.contactId),
        q: orUndefined(filters.q),
        ...page,
      },
      signal,
    }),
  get: (orgId: string, receiptId: string, signal?: AbortSignal) =>
    request<ReceiptView>('GET', base(orgId, `/receipts/${segment(receiptId)}`), { signal }),
  /** Cancels a receipt (its number stays in the register); `replace`: issues a corrected one. */
  cancel: (orgId: string, receiptId: string, input: CancelReceiptInput) =>
    request<ReceiptView>('POST', base(orgId, `/receipts/${segment(receiptId)}/cancel`), {
      body: input,
    }),
  /** Emails the receipt to the donor again (202). */
  resend: (orgId: string, receiptId: string) =>
    request<void>('POST', base(orgId, `/receipts/${segment(receiptId)}/resend`), { body: {} }),

  /** The yearly declaration (art. 222 bis CGI): what the receipts of a year certified. */
  declaration: (orgId: string, year: number, signal?: AbortSignal) =>
    request<ReceiptDeclarationView>('GET', base(orgId, '/receipts/declaration'), {
      query: { year },
      signal,
    }),

  gifts: (orgId: string, filters: ReceiptGiftFilters, page: PageQuery, signal?: AbortSignal) =>
    request<Page<ReceiptGiftView>>('GET', base(orgId, '/receipts/gifts'), {
      query: {
        state: filters.state,
        year: orUndefined(filters.year),
        contactId: orUndefined(filters.contactId),
        ...page,
      },
      signal,
    }),
  /** Issues the receipt of one gift now, without waiting (for the annual summary, say). */
  issueGift: (orgId: string, giftId: string) =>
    request<ReceiptView>('POST', base(orgId, `/receipts/gifts/${segment(giftId)}/issue`), {
      body: {},
    }),

  annual: (orgId: string, year: number, signal?: AbortSignal) =>
    request<AnnualBatchView>('GET', base(orgId, `/receipts/annual/${year}`), { signal }),
  /** Starts the year-end batch of annual summary receipts (it runs in the background). */
  startAnnual: (orgId: string, year: number) =>
    request<AnnualBatchView>('POST', base(orgId, '/receipts/annual'), { body: { year } }),
};

/** Files to download (plain GETs on the same origin: the session cookie authenticates them). */
export const receiptDownloads = {
  pdf: (orgId: string, receiptId: string) =>
    apiUrl(base(orgId, `/receipts/${segment(receiptId)}/pdf`)),
  registerCsv: (orgId: string, year: number) =>
    apiUrl(base(orgId, '/receipts/register.csv'), { year }),
  registerPdf: (orgId: string, year: number) =>
    apiUrl(base(orgId, '/receipts/register.pdf'), { year }),
};
