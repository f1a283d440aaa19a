import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, newId, type OrgContext } from '@ruche/core';
import type { PlanInput, PlanView } from '@ruche/contracts';
import { AuditService, Clock } from '@ruche/platform';
import { ChartService } from '@ruche/accounting';
import { OrganizationEntity } from '@ruche/organizations';
import { MembershipPlanEntity } from '../entities/membership-plan.entity';

export function toPlanView(p: MembershipPlanEntity, activeMemberships = 0): PlanView {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    pricingKind: p.pricingKind,
    tiers: p.tiers,
    minimumAmountCents: p.minimumAmountCents,
    currency: p.currency,
    validityKind: p.validityKind,
    validityMonths: p.validityMonths,
    fixedStartDate: p.fixedStartDate,
    fixedEndDate: p.fixedEndDate,
    receiptEligible: p.receiptEligible,
    revenueAccount: p.revenueAccount,
    household: p.household,
    subscription: p.subscription,
    active: p.active,
    activeMemberships,
  };
}

@Injectable()
export class PlansService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly chart: ChartService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async list(ctx: OrgContext): Promise<PlanView[]> {
    const plans = await this.dataSource.getRepository(MembershipPlanEntity).find({
      where: { organizationId: ctx.organizationId },
      order: { active: 'DESC', name: 'ASC' },
    });
    const counts = await this.dataSource.query<{ plan_id: string; n: number }[]>(
      `SELECT plan_id, count(*)::int AS n FROM memberships WHERE organization_id = $1 AND status IN ('active', 'expiring_soon', 'grace') GROUP BY plan_id`,
      [ctx.organizationId],
    );
    const byPlan = new Map(counts.map((c) => [c.plan_id, c.n]));
    return plans.map((p) => toPlanView(p, byPlan.get(p.id) ?? 0));
  }

  async get(ctx: OrgContext, id: string, tx?: EntityManager): Promise<MembershipPlanEntity> {
    const plan = await (tx ?? this.dataSource.manager)
      .getRepository(MembershipPlanEntity)
      .findOne({ where: { organizationId: ctx.organizationId, id } });
    if (!plan) throw DomainError.notFound('memberships.plan_not_found', 'No such membership plan');
    return plan;
  }

  async create(ctx: OrgContext, input: PlanInput): Promise<PlanView> {
    await this.checkRevenueAccount(ctx, input.revenueAccount ?? null);
    return this.dataSource.transaction(async (m) => {
      const org = await m
        .getRepository(OrganizationEntity)
        .findOneOrFail({ where: { id: ctx.organizationId } });
      const now = this.clock.now();
      const plan = m.getRepository(MembershipPlanEntity).create({
        id: newId(),
        organizationId: ctx.organizationId,
        ...columns(input),
        currency: org.currency,
        createdAt: now,
        updatedAt: now,
      });
      await m.getRepository(MembershipPlanEntity).insert(plan);
      await this.audit.record(
        ctx,
        {
          action: 'membership_plan.created',
          entityType: 'membership_plan',
          entityId: plan.id,
          after: toPlanView(plan),
        },
        m,
      );
      return toPlanView(plan);
    });
  }

  /** Changes apply to memberships taken from now on; existing memberships keep their price and period. */
  async update(ctx: OrgContext, id: string, input: PlanInput): Promise<PlanView> {
    await this.checkRevenueAccount(ctx, input.revenueAccount ?? null);
    return this.dataSource.transaction(async (m) => {
      const before = await this.get(ctx, id, m);
      const changes = { ...columns(input), updatedAt: this.clock.now() };
      await m
        .getRepository(MembershipPlanEntity)
        .update({ organizationId: ctx.organizationId, id }, changes);
      const after = { ...before, ...changes };
      await this.audit.record(
        ctx,
        {
          action: 'membership_plan.updated',
          entityType: 'membership_plan',
          entityId: id,
          before: toPlanView(before),
          after: toPlanView(after),
        },
        m,
      );
      return toPlanView(after);
    });
  }

  private async checkRevenueAccount(ctx: OrgContext, number: string | null): Promise<void> {
    if (!number) return;
    const account = (await this.chart.list(ctx)).find((a) => a.number === number);
    if (!account)
      throw DomainError.invalid(
        'memberships.unknown_account',
        `No account ${number} in the chart`,
        'revenueAccount',
      );
    if (!account.active)
      throw DomainError.invalid(
        'memberships.inactive_account',
        `Account ${number} is deactivated`,
        'revenueAccount',
      );
    if (!number.startsWith('7'))
      throw DomainError.invalid(
        'memberships.not_revenue_account',
        'A membership credits a revenue account (class 7)',
        'revenueAccount',
      );
    if (number.length < 3)
      throw DomainError.invalid(
        'memberships.account_too_short',
        'Choose a detailed account (3 digits or more)',
        'revenueAccount',
      );
  }
}

function columns(input: PlanInput) {
  return {
    name: input.name,
    description: input.description ?? null,
    pricingKind: input.pricingKind,
    tiers: input.tiers.map((t) => ({ code: t.code, label: t.label, amountCents: t.amount })),
    minimumAmountCents: input.pricingKind === 'free_amount' ? (input.minimumAmount ?? 0) : null,
    validityKind: input.validityKind,
    validityMonths: input.validityKind === 'rolling_months' ? (input.validityMonths ?? null) : null,
    fixedStartDate: input.validityKind === 'fixed_dates' ? (input.fixedStartDate ?? null) : null,
    fixedEndDate: input.validityKind === 'fixed_dates' ? (input.fixedEndDate ?? null) : null,
    receiptEligible: input.receiptEligible,
    revenueAccount: input.revenueAccount ?? null,
    household: input.household,
    subscription: input.subscription,
    active: input.active,
  };
}
