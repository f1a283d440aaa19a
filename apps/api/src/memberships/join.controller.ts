import { Controller, Get, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainError, isUuid, systemContext } from '@ruche/core';
import {
  joinInputSchema,
  type JoinInput,
  type JoinResultView,
  type PublicCheckoutStatusView,
  type PublicJoinFormView,
} from '@ruche/contracts';
import { JoinService } from '@ruche/memberships';
import { CheckoutService } from '@ruche/payments';
import { ZodBody } from '../http/zod';
import { Public } from '../auth/access';

function organizationId(value: string): string {
  if (!isUuid(value)) throw DomainError.notFound('organizations.not_found', 'No such association');
  return value;
}

/** The public join page: the form's content, the join itself (-> Stripe Checkout), the return page. */
@ApiTags('join')
@Public()
@Controller('api/v1/public/orgs/:orgId')
export class JoinController {
  constructor(
    private readonly join: JoinService,
    private readonly checkout: CheckoutService,
  ) {}

  @Get('join')
  form(@Param('orgId') orgId: string): Promise<PublicJoinFormView> {
    return this.join.form(organizationId(orgId));
  }

  @Post('join')
  submit(
    @Param('orgId') orgId: string,
    @ZodBody(joinInputSchema) input: JoinInput,
    @Req() request: FastifyRequest,
  ): Promise<JoinResultView> {
    return this.join.join(organizationId(orgId), input, {
      ip: request.ip,
      requestId: String(request.id),
    });
  }

  @Get('checkout/:sessionId')
  status(
    @Param('orgId') orgId: string,
    @Param('sessionId') sessionId: string,
  ): Promise<PublicCheckoutStatusView> {
    if (!/^cs_[A-Za-z0-9_]{8,250}$/.test(sessionId))
      throw DomainError.notFound('payments.not_found', 'No such payment');
    return this.checkout.publicStatus(systemContext(organizationId(orgId)), sessionId);
  }
}
