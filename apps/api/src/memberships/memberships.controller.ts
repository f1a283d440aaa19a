import { Controller, Get, Param, Post, Put, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DomainError, roleHasPermission, type OrgContext } from '@ruche/core';
import {
  cancelMembershipInputSchema,
  checkMemberQuerySchema,
  createMembershipInputSchema,
  listMembershipsQuerySchema,
  membershipSettingsInputSchema,
  paymentInputSchema,
  planInputSchema,
  renewMembershipInputSchema,
  type CancelMembershipInput,
  type ContactMembershipView,
  type CreateMembershipInput,
  type ListMembershipsQuery,
  type MemberCheckView,
  type MembershipDashboardView,
  type MembershipSettingsInput,
  type MembershipSettingsView,
  type Page,
  type PaymentInput,
  type PlanInput,
  type PlanView,
  type RenewMembershipInput,
} from '@ruche/contracts';
import {
  DirectoryService,
  MembershipDashboardService,
  MembershipSettingsService,
  MembershipsService,
  PlansService,
  toPlanView,
} from '@ruche/memberships';
import { ZodBody, ZodQuery } from '../http/zod';
import { Ctx, RequirePermission } from '../auth/access';
import { uuidParam } from '../contacts/contacts.controller';

const membershipId = (value: string) =>
  uuidParam(value, 'memberships.not_found', 'No such membership');
const planId = (value: string) =>
  uuidParam(value, 'memberships.plan_not_found', 'No such membership plan');

/** The attestation d'adhésion as a PDF to download, named after the member and the year. */
export function attestationFile(file: { filename: string; pdf: Buffer }): StreamableFile {
  return new StreamableFile(file.pdf, {
    type: 'application/pdf',
    disposition: `attachment; filename="${file.filename}"`,
  });
}

/** Money taken at the desk posts journal entries: only roles that may collect can record it. */
function assertMayCollect(ctx: OrgContext, payment: unknown): void {
  if (payment && ctx.role !== 'system' && !roleHasPermission(ctx.role, 'memberships.collect')) {
    throw DomainError.forbidden('memberships.cannot_collect', 'Your role cannot record payments');
  }
}

/** Membership plans, memberships, renewals, desk payments, settings, the coordinators' dashboard. */
@ApiTags('memberships')
@Controller('api/v1/orgs/:orgId')
export class MembershipsController {
  constructor(
    private readonly plans: PlansService,
    private readonly memberships: MembershipsService,
    private readonly settings: MembershipSettingsService,
    private readonly directory: DirectoryService,
    private readonly dashboard: MembershipDashboardService,
  ) {}

  @Get('membership-plans')
  @RequirePermission('memberships.read')
  listPlans(@Ctx() ctx: OrgContext): Promise<PlanView[]> {
    return this.plans.list(ctx);
  }

  @Get('membership-plans/:planId')
  @RequirePermission('memberships.read')
  async getPlan(@Ctx() ctx: OrgContext, @Param('planId') id: string): Promise<PlanView> {
    return toPlanView(await this.plans.get(ctx, planId(id)));
  }

  @Post('membership-plans')
  @RequirePermission('memberships.configure')
  createPlan(
    @Ctx() ctx: OrgContext,
    @ZodBody(planInputSchema) input: PlanInput,
  ): Promise<PlanView> {
    return this.plans.create(ctx, input);
  }

  @Put('membership-plans/:planId')
  @RequirePermission('memberships.configure')
  updatePlan(
    @Ctx() ctx: OrgContext,
    @Param('planId') id: string,
    @ZodBody(planInputSchema) input: PlanInput,
  ): Promise<PlanView> {
    return this.plans.update(ctx, planId(id), input);
  }

  @Get('memberships')
  @RequirePermission('memberships.read')
  list(
    @Ctx() ctx: OrgContext,
    @ZodQuery(listMembershipsQuerySchema) query: ListMembershipsQuery,
  ): Promise<Page<ContactMembershipView>> {
    return this.memberships.list(ctx, query);
  }

  @Post('memberships')
  @RequirePermission('memberships.write')
  create(
    @Ctx() ctx: OrgContext,
    @ZodBody(createMembershipInputSchema) input: CreateMembershipInput,
  ): Promise<ContactMembershipView> {
    assertMayCollect(ctx, input.payment);
    return this.memberships.create(ctx, input);
  }

  @Get('memberships/:membershipId')
  @RequirePermission('memberships.read')
  get(@Ctx() ctx: OrgContext, @Param('membershipId') id: string): Promise<ContactMembershipView> {
    return this.memberships.get(ctx, membershipId(id));
  }

  /** The attestation d'adhésion of a paid membership (409 `memberships.not_paid` or `memberships.cancelled`). */
  @Get('memberships/:membershipId/attestation')
  @RequirePermission('memberships.read')
  async attestation(
    @Ctx() ctx: OrgContext,
    @Param('membershipId') id: string,
  ): Promise<StreamableFile> {
    return attestationFile(await this.memberships.attestation(ctx, membershipId(id)));
  }

  /** One-click renewal: the next period, same plan and tier unless told otherwise. */
  @Post('memberships/:membershipId/renew')
  @RequirePermission('memberships.write')
  renew(
    @Ctx() ctx: OrgContext,
    @Param('membershipId') id: string,
    @ZodBody(renewMembershipInputSchema) input: RenewMembershipInput,
  ): Promise<ContactMembershipView> {
    assertMayCollect(ctx, input.payment);
    return this.memberships.renew(ctx, membershipId(id), input);
  }

  /** A payment received at the desk (cheque, cash, transfer): posts its entry and activates the membership. */
  @Post('memberships/:membershipId/payment')
  @RequirePermission('memberships.collect')
  pay(
    @Ctx() ctx: OrgContext,
    @Param('membershipId') id: string,
    @ZodBody(paymentInputSchema) input: PaymentInput,
  ): Promise<ContactMembershipView> {
    return this.memberships.recordPayment(ctx, membershipId(id), input);
  }

  @Post('memberships/:membershipId/cancel')
  @RequirePermission('memberships.write')
  cancel(
    @Ctx() ctx: OrgContext,
    @Param('membershipId') id: string,
    @ZodBody(cancelMembershipInputSchema) input: CancelMembershipInput,
  ): Promise<ContactMembershipView> {
    return this.memberships.cancel(ctx, membershipId(id), input);
  }

  @Get('membership-settings')
  @RequirePermission('memberships.read')
  getSettings(@Ctx() ctx: OrgContext): Promise<MembershipSettingsView> {
    return this.settings.get(ctx);
  }

  @Put('membership-settings')
  @RequirePermission('memberships.configure')
  async updateSettings(
    @Ctx() ctx: OrgContext,
    @ZodBody(membershipSettingsInputSchema) input: MembershipSettingsInput,
  ): Promise<MembershipSettingsView> {
    const saved = await this.settings.update(ctx, input);
    await this.memberships.refreshDue(ctx.organizationId);
    return saved;
  }

  /** Counts, 24 months of members in good standing, the latest changes (kept live over SSE `membership.status_changed`). */
  @Get('membership-dashboard')
  @RequirePermission('memberships.read')
  getDashboard(@Ctx() ctx: OrgContext): Promise<MembershipDashboardView> {
    return this.dashboard.get(ctx);
  }

  /** Check-in at an event: "member in good standing until <date>?" by name, email, phone or reference. */
  @Get('members/check')
  @RequirePermission('memberships.read')
  check(
    @Ctx() ctx: OrgContext,
    @ZodQuery(checkMemberQuerySchema) query: { q: string },
  ): Promise<MemberCheckView[]> {
    return this.directory.check(ctx, query.q);
  }
}
