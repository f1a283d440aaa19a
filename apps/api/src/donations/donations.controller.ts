import { Controller, Get, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainError, isUuid, type OrgContext } from '@ruche/core';
import {
  campaignInputSchema,
  createDonationInputSchema,
  donationListQuerySchema,
  donationSettingsInputSchema,
  publicDonationInputSchema,
  yearInputSchema,
  type CampaignInput,
  type CampaignView,
  type CreateDonationInput,
  type DonationListQuery,
  type DonationSettingsInput,
  type DonationSettingsView,
  type DonationView,
  type DonorTotalView,
  type JoinResultView,
  type Page,
  type PublicDonationFormView,
  type PublicDonationInput,
  type YearInput,
} from '@ruche/contracts';
import { CampaignsService, DonationsService } from '@ruche/donations';
import { ZodBody, ZodQuery } from '../http/zod';
import { Ctx, Public, RequirePermission } from '../auth/access';
import { uuidParam } from '../contacts/contacts.controller';

/** Gifts recorded by staff and received online, campaigns, donor totals. */
@ApiTags('donations')
@Controller('api/v1/orgs/:orgId')
export class DonationsController {
  constructor(
    private readonly donations: DonationsService,
    private readonly campaigns: CampaignsService,
  ) {}

  @Get('donations')
  @RequirePermission('donations.read')
  list(
    @Ctx() ctx: OrgContext,
    @ZodQuery(donationListQuerySchema) query: DonationListQuery,
  ): Promise<Page<DonationView>> {
    return this.donations.list(ctx, query);
  }

  @Post('donations')
  @RequirePermission('donations.record')
  create(
    @Ctx() ctx: OrgContext,
    @ZodBody(createDonationInputSchema) input: CreateDonationInput,
  ): Promise<DonationView> {
    return this.donations.create(ctx, input);
  }

  @Get('donations/donors')
  @RequirePermission('donations.read')
  donors(
    @Ctx() ctx: OrgContext,
    @ZodQuery(yearInputSchema) query: YearInput,
  ): Promise<DonorTotalView[]> {
    return this.donations.donors(ctx, query.year);
  }

  @Get('donations/settings')
  @RequirePermission('donations.read')
  settings(@Ctx() ctx: OrgContext): Promise<DonationSettingsView> {
    return this.campaigns.settings(ctx);
  }

  @Put('donations/settings')
  @RequirePermission('donations.configure')
  updateSettings(
    @Ctx() ctx: OrgContext,
    @ZodBody(donationSettingsInputSchema) input: DonationSettingsInput,
  ): Promise<DonationSettingsView> {
    return this.campaigns.updateSettings(ctx, input);
  }

  @Get('donations/:donationId')
  @RequirePermission('donations.read')
  get(@Ctx() ctx: OrgContext, @Param('donationId') id: string): Promise<DonationView> {
    return this.donations.get(ctx, uuidParam(id, 'donations.not_found', 'No such donation'));
  }

  @Get('donation-campaigns')
  @RequirePermission('donations.read')
  listCampaigns(@Ctx() ctx: OrgContext): Promise<CampaignView[]> {
    return this.campaigns.list(ctx);
  }

  @Post('donation-campaigns')
  @RequirePermission('donations.configure')
  createCampaign(
    @Ctx() ctx: OrgContext,
    @ZodBody(campaignInputSchema) input: CampaignInput,
  ): Promise<CampaignView> {
    return this.campaigns.create(ctx, input);
  }

  @Get('donation-campaigns/:campaignId')
  @RequirePermission('donations.read')
  getCampaign(@Ctx() ctx: OrgContext, @Param('campaignId') id: string): Promise<CampaignView> {
    return this.campaigns.get(
      ctx,
      uuidParam(id, 'donations.campaign_not_found', 'No such campaign'),
    );
  }

  @Put('donation-campaigns/:campaignId')
  @RequirePermission('donations.configure')
  updateCampaign(
    @Ctx() ctx: OrgContext,
    @Param('campaignId') id: string,
    @ZodBody(campaignInputSchema) input: CampaignInput,
  ): Promise<CampaignView> {
    return this.campaigns.update(
      ctx,
      uuidParam(id, 'donations.campaign_not_found', 'No such campaign'),
      input,
    );
  }
}

function organizationId(value: string): string {
  if (!isUuid(value)) throw DomainError.notFound('organizations.not_found', 'No such association');
  return value;
}

/** The public donation page (embeddable): its content, and the gift itself (-> Stripe Checkout). */
@ApiTags('donate')
@Public()
@Controller('api/v1/public/orgs/:orgId')
export class DonateController {
  constructor(private readonly donations: DonationsService) {}

  @Get('donate')
  form(
    @Param('orgId') orgId: string,
    @Query('campaign') campaign?: string,
  ): Promise<PublicDonationFormView> {
    return this.donations.form(organizationId(orgId), campaign ?? null);
  }

  @Post('donate')
  donate(
    @Param('orgId') orgId: string,
    @ZodBody(publicDonationInputSchema) input: PublicDonationInput,
    @Req() request: FastifyRequest,
  ): Promise<JoinResultView> {
    return this.donations.donate(organizationId(orgId), input, {
      ip: request.ip,
      requestId: String(request.id),
    });
  }
}
