import { z } from 'zod';

export const WEBHOOK_EVENT_TYPES = ['entry.posted'] as const;

export const webhookEndpointInputSchema = z
  .object({
    url: z.string().trim().url().max(500),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(20),
    description: z.string().trim().max(200).optional(),
  })
  .strict();
export type WebhookEndpointInput = z.infer<typeof webhookEndpointInputSchema>;

export const updateWebhookEndpointInputSchema = webhookEndpointInputSchema.extend({ active: z.boolean() }).strict();
export type UpdateWebhookEndpointInput = z.infer<typeof updateWebhookEndpointInputSchema>;
