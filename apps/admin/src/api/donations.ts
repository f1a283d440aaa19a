import type {
  campaignInputSchema,
  CampaignView,
  createDonationInputSchema,
  DonationKind,
  donationSettingsInputSchema,
  DonationSettingsView,
  DonationStatus,
  DonationView,
  DonorTotalView,
  JoinResultView,
  Page,
  PublicDonationFormView,
  publicDonationInputSchema,
} from '@ruche/contracts';
import type { z } from 'zod';
import { request } from './client';
import type { PageQuery } from './orgs';

/** The filters of the donations list (empty strings are not sent). */
export interface DonationFilters {
  year?: string;
  campaignId?: string;
  contactId?: string;
  status?: DonationStatus | '';
  kind?: DonationKind | '';
  q?: string;
}

/** A gift recorded at the desk as sent: the amount typed as a decimal string ("12,50"). */
export type DonationBody = z.input<typeof createDonationInputSchema>;
/** A campaign as sent: the goal typed as a decimal string, suggested amounts in cents. */
export type CampaignBody = z.input<typeof campaignInputSchema>;
/** The donation settings as sent: the minimum typed as a decimal string, amounts in cents. */
export type DonationSettingsBody = z.input<typeof donationSettingsInputSchema>;
/** A gift made on the public page as sent: the amount typed as a decimal string. */
export type PublicDonationBody = z.input<typeof publicDonationInputSchema>;

const base = (orgId: string, path: string) => `/orgs/${encodeURIComponent(orgId)}${path}`;
const segment = (value: string) => encodeURIComponent(value);
const orUndefined = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

export const donationsApi = {
  list: (orgId: string, filters: DonationFilters, page: PageQuery, signal?: AbortSignal) =>
    request<Page<DonationView>>('GET', base(orgId, '/donations'), {
      query: {
        year: orUndefined(filters.year),
        campaignId: orUndefined(filters.campaignId),
        contactId: orUndefined(filters.contactId),
        status: orUndefined(filters.status),
        kind: orUndefined(filters.kind),
        q: orUndefined(filters.q),
        ...page,
      },
      signal,
    }),
  get: (orgId: string, donationId: string, signal?: AbortSignal) =>
    request<DonationView>('GET', base(orgId, `/donations/${segment(donationId)}`), { signal }),
  /**
   * A gift received at the desk (cheque, cash, transfer), in kind or renounced expenses: recorded
   * and posted at once (201); 400/422 with field errors.
   */
  create: (orgId: string, input: DonationBody) =>
    request<DonationView>('POST', base(orgId, '/donations'), { body: input }),
  /** What each donor gave in a calendar year. */
  donors: (orgId: string, year: number, signal?: AbortSignal) =>
    request<DonorTotalView[]>('GET', base(orgId, '/donations/donors'), {
      query: { year },
      signal,
    }),

  settings: (orgId: string, signal?: AbortSignal) =>
    request<DonationSettingsView>('GET', base(orgId, '/donations/settings'), { signal }),
  updateSettings: (orgId: string, input: DonationSettingsBody) =>
    request<DonationSettingsView>('PUT', base(orgId, '/donations/settings'), { body: input }),

  campaigns: (orgId: string, signal?: AbortSignal) =>
    request<CampaignView[]>('GET', base(orgId, '/donation-campaigns'), { signal }),
  createCampaign: (orgId: string, input: CampaignBody) =>
    request<CampaignView>('POST', base(orgId, '/donation-campaigns'), { body: input }),
  updateCampaign: (orgId: string, campaignId: string, input: CampaignBody) =>
    request<CampaignView>('PUT', base(orgId, `/donation-campaigns/${segment(campaignId)}`), {
      body: input,
    }),
};

/**
 * The public donation page: calls made without any session (no staff CSRF token, and a 401 here
 * does not end the staff session of someone who happens to be logged in).
 */
const outside = { staffSession: false, csrfToken: null } as const;
const publicOrg = (orgId: string, path: string) =>
  `/public/orgs/${encodeURIComponent(orgId)}${path}`;

export const publicDonationApi = {
  form: (orgId: string, campaignId: string | null, signal?: AbortSignal) =>
    request<PublicDonationFormView>('GET', publicOrg(orgId, '/donate'), {
      ...outside,
      query: { campaign: campaignId ?? undefined },
      signal,
    }),
  /** 201: the Stripe Checkout page to send the browser to; 400 with field errors. */
  donate: (orgId: string, input: PublicDonationBody) =>
    request<JoinResultView>('POST', publicOrg(orgId, '/donate'), {
      ...outside,
      body: input,
    }),
};

/** The public donation page of the organization (of a campaign), as a full URL on this site. */
export function donationPageUrl(orgId: string, campaignId?: string | null): string {
  const path = `/don/${encodeURIComponent(orgId)}`;
  const query = campaignId ? `?campagne=${encodeURIComponent(campaignId)}` : '';
  return `${window.location.origin}${path}${query}`;
}

/** The HTML snippet that embeds the donation page in the association's site (like the join page). */
export function donationEmbedSnippet(url: string, title: string): string {
  const src = `${url}${url.includes('?') ? '&' : '?'}embed=1`;
  const escapedTitle = title.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<iframe src="${src}" title="${escapedTitle}" style="width:100%;min-height:1000px;border:0" loading="lazy"></iframe>`;
}
