import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, isUuid, newId, type OrgContext } from '@ruche/core';
import type {
  CampaignInput,
  CampaignView,
  DonationSettingsInput,
  DonationSettingsView,
} from '@ruche/contracts';
import { AuditService, Clock } from '@ruche/platform';
import { OrganizationEntity } from '@ruche/organizations';
import { ChartService } from '@ruche/accounting';
import { DonationCampaignEntity, DonationSettingsEntity } from '../entities/donation.entities';

const DEFAULT_SETTINGS: DonationSettingsView = {
  suggestedAmounts: [2000, 5000, 10000, 20000],
  monthlySuggestedAmounts: [1000, 2000, 3000],
  minimumCents: 500,
  expenseWaiverAccount: '75412',
};

/** Campaigns (goal, progress, account, analytic section) and the donation page's settings. */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly chart: ChartService,
    private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async list(ctx: OrgContext, activeOnly = false): Promise<CampaignView[]> {
    const rows = await this.dataSource.query<(Record<string, unknown> & { id: string })[]>(
      `SELECT c.*, COALESCE(t.raised, 0)::text AS raised, COALESCE(t.n, 0)::int AS n
         FROM donation_campaigns c
         LEFT JOIN (SELECT campaign_id, sum(amount_cents - refunded_cents) AS raised, count(*) AS n FROM donations
                     WHERE organization_id = $1 AND status IN ('paid', 'partially_refunded') GROUP BY campaign_id) t ON t.campaign_id = c.id
        WHERE c.organization_id = $1 ${activeOnly ? 'AND c.active' : ''} ORDER BY c.active DESC, c.created_at DESC`,
      [ctx.organizationId],
    );
    return rows.map(toView);
  }

  async get(ctx: OrgContext, id: string, m?: EntityManager): Promise<CampaignView> {
    const rows = isUuid(id)
      ? await (m ?? this.dataSource.manager).query<(Record<string, unknown> & { id: string })[]>(
          `SELECT c.*, COALESCE((SELECT sum(amount_cents - refunded_cents) FROM donations WHERE organization_id = $1 AND campaign_id = c.id AND status IN ('paid', 'partially_refunded')), 0)::text AS raised,
                  (SELECT count(*) FROM donations WHERE organization_id = $1 AND campaign_id = c.id AND status IN ('paid', 'partially_refunded'))::int AS n
             FROM donation_campaigns c WHERE c.organization_id = $1 AND c.id = $2`,
          [ctx.organizationId, id],
        )
      : [];
    if (rows.length === 0)
      throw DomainError.notFound('donations.campaign_not_found', 'No such campaign');
    return toView(rows[0]);
  }

  async entity(ctx: OrgContext, id: string, m: EntityManager): Promise<DonationCampaignEntity> {
    const row = isUuid(id)
      ? await m
          .getRepository(DonationCampaignEntity)
          .findOne({ where: { organizationId: ctx.organizationId, id } })
      : null;
    if (!row)
      throw DomainError.invalid('donations.campaign_not_found', 'No such campaign', 'campaignId');
    return row;
  }

  async create(ctx: OrgContext, input: CampaignInput): Promise<CampaignView> {
    const id = newId();
    // Checked before the transaction: the chart is read with a connection of its own.
    await this.checkAccount(ctx, input.revenueAccount ?? null);
    await this.dataSource.transaction(async (m) => {
      const org = await m
        .getRepository(OrganizationEntity)
        .findOneOrFail({ where: { id: ctx.organizationId } });
      const now = this.clock.now();
      await m.getRepository(DonationCampaignEntity).insert({
        id,
        organizationId: ctx.organizationId,
        name: input.name,
        description: input.description ?? null,
        goalCents: input.goal ? String(input.goal) : null,
        currency: org.currency,
        suggestedAmounts: input.suggestedAmounts,
        allowMonthly: input.allowMonthly,
        revenueAccount: input.revenueAccount ?? null,
        analytic: input.analytic ?? null,
        active: input.active,
        createdAt: now,
        updatedAt: now,
      });
      await this.audit.record(
        ctx,
        {
          action: 'donations.campaign-created',
          entityType: 'donation_campaign',
          entityId: id,
          after: input,
        },
        m,
      );
    });
    return this.get(ctx, id);
  }

  async update(ctx: OrgContext, id: string, input: CampaignInput): Promise<CampaignView> {
    await this.checkAccount(ctx, input.revenueAccount ?? null);
    await this.dataSource.transaction(async (m) => {
      // Not found is a 404 here (the id is in the path); any other error (an outage) stays itself.
      const before = await this.entity(ctx, id, m).catch((error: unknown) => {
        if (error instanceof DomainError && error.code === 'donations.campaign_not_found')
          throw DomainError.notFound('donations.campaign_not_found', 'No such campaign');
        throw error;
      });
      await m.getRepository(DonationCampaignEntity).update(
        { organizationId: ctx.organizationId, id },
        {
          name: input.name,
          description: input.description ?? null,
          goalCents: input.goal ? String(input.goal) : null,
          suggestedAmounts: input.suggestedAmounts,
          allowMonthly: input.allowMonthly,
          revenueAccount: input.revenueAccount ?? null,
          analytic: input.analytic ?? null,
          active: input.active,
          updatedAt: this.clock.now(),
        },
      );
      await this.audit.record(
        ctx,
        {
          action: 'donations.campaign-updated',
          entityType: 'donation_campaign',
          entityId: id,
          before,
          after: input,
        },
        m,
      );
    });
    return this.get(ctx, id);
  }

  private async checkAccount(ctx: OrgContext, account: string | null): Promise<void> {
    if (!account) return;
    const found = (await this.chart.list(ctx)).find((a) => a.number === account);
    if (!found || !found.active)
      throw DomainError.invalid(
        'donations.account_unknown',
        `Account ${account} is not in the chart (or inactive)`,
        'revenueAccount',
      );
  }

  async settings(ctx: OrgContext, m?: EntityManager): Promise<DonationSettingsView> {
    const row = await (m ?? this.dataSource.manager)
      .getRepository(DonationSettingsEntity)
      .findOne({ where: { organizationId: ctx.organizationId } });
    return row
      ? {
          suggestedAmounts: row.suggestedAmounts,
          monthlySuggestedAmounts: row.monthlySuggestedAmounts,
          minimumCents: row.minimumCents,
          expenseWaiverAccount: row.expenseWaiverAccount,
        }
      : DEFAULT_SETTINGS;
  }

  async updateSettings(
    ctx: OrgContext,
    input: DonationSettingsInput,
  ): Promise<DonationSettingsView> {
    const found = (await this.chart.list(ctx)).find((a) => a.number === input.expenseWaiverAccount);
    if (!found || !found.active)
      throw DomainError.invalid(
        'donations.account_unknown',
        `Account ${input.expenseWaiverAccount} is not in the chart (or inactive)`,
        'expenseWaiverAccount',
      );
    await this.dataSource.transaction(async (m) => {
      const before = await this.settings(ctx, m);
      await m.query(
        `INSERT INTO donation_settings (organization_id, suggested_amounts, monthly_suggested_amounts, minimum_cents, expense_waiver_account, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (organization_id) DO UPDATE SET suggested_amounts = EXCLUDED.suggested_amounts, monthly_suggested_amounts = EXCLUDED.monthly_suggested_amounts,
           minimum_cents = EXCLUDED.minimum_cents, expense_waiver_account = EXCLUDED.expense_waiver_account, updated_at = EXCLUDED.updated_at`,
        [
          ctx.organizationId,
          input.suggestedAmounts,
          input.monthlySuggestedAmounts,
          input.minimum,
          input.expenseWaiverAccount,
          this.clock.now(),
        ],
      );
      await this.audit.record(
        ctx,
        {
          action: 'donations.settings-updated',
          entityType: 'donation_settings',
          entityId: ctx.organizationId,
          before,
          after: input,
        },
        m,
      );
    });
    return this.settings(ctx);
  }
}

function toView(r: Record<string, unknown>): CampaignView {
  return {
    id: r['id'] as string,
    name: r['name'] as string,
    description: (r['description'] as string | null) ?? null,
    goalCents: r['goal_cents'] === null ? null : Number(r['goal_cents']),
    raisedCents: Number(r['raised']),
    donationCount: Number(r['n']),
    suggestedAmounts: (r['suggested_amounts'] as number[]) ?? [],
    allowMonthly: r['allow_monthly'] as boolean,
    revenueAccount: (r['revenue_account'] as string | null) ?? null,
    analytic: (r['analytic'] as string | null) ?? null,
    active: r['active'] as boolean,
    currency: r['currency'] as string,
    createdAt: (r['created_at'] as Date).toISOString(),
  };
}
