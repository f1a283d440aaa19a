import { Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '@ruche/core';
import { StripeEventsService } from '@ruche/payments';
import { RequestValidationError } from '../http/zod';
import { Public } from '../auth/access';

/** The raw body of a Stripe webhook, kept by the JSON parser for this route only (see bootstrap). */
export type RawBodyRequest = FastifyRequest & { rawBody?: Buffer };
export const STRIPE_WEBHOOK_PATH = '/api/v1/webhooks/stripe/';

/**
 * Stripe -> verify the signature on the raw body -> store the event by its id -> enqueue -> 200.
 * Bad signature: 400 and nothing stored; unknown organization: 404; a duplicate: 200, not twice.
 */
@ApiExcludeController()
@Public()
@Controller('api/v1/webhooks/stripe')
export class StripeWebhookController {
  constructor(private readonly events: StripeEventsService) {}

  @Post(':orgId')
  @HttpCode(200)
  // A machine-to-machine JSON answer: the browser security headers are not needed here.
  @RouteConfig({ helmet: { skipRoute: true } })
  async receive(
    @Param('orgId') orgId: string,
    @Req() request: RawBodyRequest,
    @Headers('stripe-signature') signature: string | undefined,
  ): Promise<{ received: true; duplicate: boolean }> {
    try {
      const result = await this.events.receive(orgId, request.rawBody, signature);
      return { received: true, duplicate: result.duplicate };
    } catch (error) {
      // A bad signature or payload is a bad request (400), as Stripe's own docs expect.
      if (error instanceof DomainError && error.kind === 'invalid')
        throw new RequestValidationError(error.details);
      throw error;
    }
  }
}
