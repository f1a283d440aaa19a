import { WEBHOOK_EVENT_TYPES } from '@ruche/contracts';

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export function isWebhookEventType(event: string): event is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(event);
}
