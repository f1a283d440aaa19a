import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, isUuid } from '@ruche/core';
import {
  memberConsentInputSchema,
  memberPayInputSchema,
  type JoinResultView,
  type MemberPayInput,
  memberDetailsInputSchema,
  memberLoginLinkInputSchema,
  memberSessionInputSchema,
  type MemberConsentInput,
  type MemberDetailsInput,
  type MemberLoginLinkInput,
  type MemberSessionInput,
  type InvoiceView,
  type MemberSpaceView,
  type ReceiptView,
} from '@ruche/contracts';
import { ReceiptsService } from '@ruche/receipts';
import { InvoicesService } from '@ruche/payments';
import { MemberSpaceService, type MemberSession } from '@ruche/memberships';
import { APP_CONFIG, type AppConfig } from '@ruche/platform';
import { ZodBody } from '../http/zod';
import { Public } from '../auth/access';
import { invoicePdfFile } from '../payments/invoices.controller';
import { attestationFile } from './memberships.controller';

export const MEMBER_COOKIE = 'ruche_member';

function organizationId(value: string): string {
  if (!isUuid(value)) throw DomainError.notFound('organizations.not_found');
  return value;
}

/**
 * The member space (public pages): login by a link sent by e-mail, then the member's own
 * standing, memberships, details, consents and renewal. The member session is its own cookie,
 * with a CSRF token on every change; staff sessions play no part here.
 */
@ApiTags('member-space')
@Public()
@Controller('api/v1/public')
export class MemberSpaceController {
  constructor(
    private readonly space: MemberSpaceService,
    private readonly receipts: ReceiptsService,
    private readonly invoices: InvoicesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Always 202: the answer never tells whether the address is known. */
  @Post('orgs/:orgId/member-space/login-link')
  @HttpCode(202)
  async requestLink(
    @Param('orgId') orgId: string,
    @ZodBody(memberLoginLinkInputSchema) input: MemberLoginLinkInput,
  ): Promise<void> {
    if (!isUuid(orgId)) return;
    await this.space.requestLink(orgId, input.email);
  }

  @Post('orgs/:orgId/member-space/session')
  @HttpCode(200)
  async startSession(
    @Param('orgId') orgId: string,
    @ZodBody(memberSessionInputSchema) input: MemberSessionInput,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MemberSpaceView> {
    const { token, view } = await this.space.startSession(organizationId(orgId), input.token);
    void reply.setCookie(MEMBER_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.cookieSecure,
      path: '/api/v1/public',
      maxAge: 30 * 24 * 3600,
    });
    return view;
  }

  @Get('member-space/me')
  async me(@Req() request: FastifyRequest): Promise<MemberSpaceView> {
    return this.space.view(await this.member(request, false));
  }

  @Put('member-space/me')
  async updateDetails(
    @Req() request: FastifyRequest,
    @ZodBody(memberDetailsInputSchema) input: MemberDetailsInput,
  ): Promise<MemberSpaceView> {
    return this.space.updateDetails(await this.member(request, true), input);
  }

  @Post('member-space/consents')
  @HttpCode(200)
  async consent(
    @Req() request: FastifyRequest,
    @ZodBody(memberConsentInputSchema) input: MemberConsentInput,
  ): Promise<MemberSpaceView> {
    return this.space.recordConsent(await this.member(request, true), input);
  }

  @Post('member-space/renew')
  @HttpCode(200)
  async renew(@Req() request: FastifyRequest): Promise<MemberSpaceView> {
    return this.space.renew(await this.member(request, true));
  }

  /** Pays a membership waiting for payment at Stripe Checkout; answers where to send the browser. */
  @Post('member-space/pay')
  async pay(
    @Req() request: FastifyRequest,
    @ZodBody(memberPayInputSchema) input: MemberPayInput,
  ): Promise<JoinResultView> {
    return this.space.pay(await this.member(request, true), input);
  }

  /** Stripe's customer portal for the member's automatic renewal (update the card or the account). */
  @Post('member-space/billing-portal')
  @HttpCode(200)
  async billingPortal(@Req() request: FastifyRequest): Promise<{ url: string }> {
    return this.space.billingPortal(await this.member(request, true));
  }

  /** The member's fiscal receipts (donor space). */
  @Get('member-space/receipts')
  async myReceipts(@Req() request: FastifyRequest): Promise<ReceiptView[]> {
    const member = await this.member(request, false);
    return this.receipts.forContact(member.ctx, member.session.contactId);
  }

  @Get('member-space/receipts/:receiptId/pdf')
  async myReceiptPdf(
    @Req() request: FastifyRequest,
    @Param('receiptId') id: string,
  ): Promise<StreamableFile> {
    const member = await this.member(request, false);
    const mine = isUuid(id)
      ? (await this.receipts.forContact(member.ctx, member.session.contactId)).find(
          (r) => r.id === id,
        )
      : undefined;
    if (!mine) throw DomainError.notFound('receipts.not_found', 'No such receipt');
    const file = await this.receipts.pdf(member.ctx, mine.id);
    return new StreamableFile(file.pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="recu-fiscal-${file.reference}.pdf"`,
    });
  }

  /** The member's invoices and credit notes (memberships with counterparts). */
  @Get('member-space/invoices')
  async myInvoices(@Req() request: FastifyRequest): Promise<InvoiceView[]> {
    const member = await this.member(request, false);
    return this.invoices.forContact(member.ctx, member.session.contactId);
  }

  @Get('member-space/invoices/:invoiceId/pdf')
  async myInvoicePdf(
    @Req() request: FastifyRequest,
    @Param('invoiceId') id: string,
  ): Promise<StreamableFile> {
    const member = await this.member(request, false);
    const mine = isUuid(id)
      ? (await this.invoices.forContact(member.ctx, member.session.contactId)).find(
          (r) => r.id === id,
        )
      : undefined;
    if (!mine) throw DomainError.notFound('invoices.not_found', 'No such invoice');
    return invoicePdfFile(await this.invoices.pdf(member.ctx, mine.id));
  }

  /** The attestation d'adhésion of one of the member's own paid memberships (another's: 404). */
  @Get('member-space/memberships/:membershipId/attestation')
  async myAttestation(
    @Req() request: FastifyRequest,
    @Param('membershipId') id: string,
  ): Promise<StreamableFile> {
    const member = await this.member(request, false);
    return attestationFile(await this.space.attestation(member, id));
  }

  @Post('member-space/logout')
  @HttpCode(204)
  async logout(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.space.logout(await this.member(request, true));
    void reply.clearCookie(MEMBER_COOKIE, { path: '/api/v1/public' });
  }

  private async member(request: FastifyRequest, change: boolean): Promise<MemberSession> {
    const member = await this.space.resolve(
      (request.cookies as Record<string, string | undefined> | undefined)?.[MEMBER_COOKIE],
    );
    if (!member)
      throw DomainError.unauthorized(
        'member_space.login_required',
        'Open the member space with the link sent by e-mail',
      );
    if (change && request.headers['x-csrf-token'] !== member.session.csrfToken) {
      throw DomainError.forbidden('auth.csrf', 'Missing or wrong x-csrf-token header');
    }
    return member;
  }
}
