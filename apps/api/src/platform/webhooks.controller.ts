import { Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DomainError, isUuid, type OrgContext } from '@ruche/core';
import {
  paginationQuerySchema,
  updateWebhookEndpointInputSchema,
  webhookEndpointInputSchema,
  type Page,
  type PaginationQuery,
  type UpdateWebhookEndpointInput,
  type WebhookEndpointInput,
} from '@ruche/contracts';
import { WebhooksService, type WebhookDeliveryView, type WebhookEndpointView } from '@ruche/platform';
import { ZodBody, ZodQuery } from '../http/zod';
import { Ctx, RequirePermission } from '../auth/access';

/** Outgoing webhooks of an organization: endpoints (signed with their own secret) and deliveries. */
@ApiTags('webhooks')
@Controller('api/v1/orgs/:orgId/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get('endpoints')
  @RequirePermission('webhooks.manage')
  list(@Ctx() ctx: OrgContext): Promise<WebhookEndpointView[]> {
    return this.webhooks.listEndpoints(ctx);
  }

  /** The answer carries the signing secret: it is shown this once. */
  @Post('endpoints')
  @RequirePermission('webhooks.manage')
  create(@Ctx() ctx: OrgContext, @ZodBody(webhookEndpointInputSchema) input: WebhookEndpointInput): Promise<WebhookEndpointView & { secret: string }> {
    return this.webhooks.createEndpoint(ctx, input);
  }

  @Put('endpoints/:endpointId')
  @RequirePermission('webhooks.manage')
  update(@Ctx() ctx: OrgContext, @Param('endpointId') id: string, @ZodBody(updateWebhookEndpointInputSchema) input: UpdateWebhookEndpointInput): Promise<WebhookEndpointView> {
    if (!isUuid(id)) throw DomainError.notFound('webhooks.endpoint_not_found');
    return this.webhooks.updateEndpoint(ctx, id, input);
  }

  @Get('deliveries')
  @RequirePermission('webhooks.manage')
  async deliveries(@Ctx() ctx: OrgContext, @ZodQuery(paginationQuerySchema) page: PaginationQuery): Promise<Page<WebhookDeliveryView>> {
    const { items, total } = await this.webhooks.listDeliveries(ctx, page.limit, page.offset);
    return { items, total, limit: page.limit, offset: page.offset };
  }
}
