import type { Page, UpdateWebhookEndpointInput, WebhookEndpointInput } from '@ruche/contracts';
import { request } from './client';
import type { PageQuery } from './orgs';

/** An outgoing webhook endpoint, as returned by the API (its secret is never listed). */
export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  active: boolean;
  createdAt: string;
}

/** A newly created endpoint: the only time its signing secret is returned. */
export interface CreatedWebhookEndpointView extends WebhookEndpointView {
  secret: string;
}

/** One delivery of an event to an endpoint, with its outcome so far. */
export interface WebhookDeliveryView {
  id: string;
  endpointId: string;
  eventType: string;
  eventKey: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

const webhooks = (orgId: string, path: string) =>
  `/orgs/${encodeURIComponent(orgId)}/webhooks${path}`;

export const webhooksApi = {
  endpoints: (orgId: string, signal?: AbortSignal) =>
    request<WebhookEndpointView[]>('GET', webhooks(orgId, '/endpoints'), { signal }),
  createEndpoint: (orgId: string, input: WebhookEndpointInput) =>
    request<CreatedWebhookEndpointView>('POST', webhooks(orgId, '/endpoints'), { body: input }),
  updateEndpoint: (orgId: string, endpointId: string, input: UpdateWebhookEndpointInput) =>
    request<WebhookEndpointView>(
      'PUT',
      webhooks(orgId, `/endpoints/${encodeURIComponent(endpointId)}`),
      { body: input },
    ),
  deliveries: (orgId: string, page: PageQuery, signal?: AbortSignal) =>
    request<Page<WebhookDeliveryView>>('GET', webhooks(orgId, '/deliveries'), {
      query: { ...page },
      signal,
    }),
};
