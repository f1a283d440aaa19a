import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OrgContext } from '@ruche/core';
import type { PostingRole } from '@ruche/contracts';
import { DeferralsService, type DeferralItem } from '@ruche/accounting';

/**
 * Membership fees for the year-end deferral: each membership payment received in the fiscal
 * year (net of refunds) pays for its membership's period; a monthly instalment of a
 * subscription pays for the month that starts on its payment day. Lifetime memberships (no end)
 * are income of the year they are paid.
 */
@Injectable()
export class MembershipDeferralsService implements OnModuleInit {
  constructor(private readonly deferrals: DeferralsService) {}

  onModuleInit(): void {
    this.deferrals.registerSource({
      name: 'memberships',
      collect: (ctx, fy, accounts, m) => this.collect(ctx, fy, accounts, m),
    });
  }

  async collect(
    ctx: OrgContext,
    fy: { startDate: string; endDate: string },
    accounts: Record<PostingRole, string>,
    m: EntityManager,
  ): Promise<DeferralItem[]> {
    const rows = await m.query<
      {
        id: string;
        label: string;
        net: string;
        revenue_role: PostingRole;
        revenue_account: string | null;
        cover_start: string;
        cover_end: string;
      }[]
    >(
      `SELECT p.id, p.label, p.amount_cents - p.refunded_cents AS net, p.revenue_role, p.revenue_account,
              to_char(CASE WHEN s.interval = 'month' THEN p.paid_on ELSE ms.start_date END, 'YYYY-MM-DD') AS cover_start,
              to_char(CASE WHEN s.interval = 'month' THEN (p.paid_on + interval '1 month' - interval '1 day')::date ELSE ms.end_date END, 'YYYY-MM-DD') AS cover_end
         FROM payments p
         JOIN memberships ms ON ms.organization_id = p.organization_id AND ms.id = p.purpose_id
         LEFT JOIN payment_subscriptions s ON s.organization_id = p.organization_id AND s.id = p.subscription_id
        WHERE p.organization_id = $1 AND p.purpose = 'membership'
          AND p.status IN ('succeeded', 'partially_refunded')
          AND p.paid_on BETWEEN $2 AND $3
          AND ms.end_date IS NOT NULL
          AND (CASE WHEN s.interval = 'month' THEN (p.paid_on + interval '1 month' - interval '1 day')::date ELSE ms.end_date END) > $3
        ORDER BY p.paid_on, p.id`,
      [ctx.organizationId, fy.startDate, fy.endDate],
    );
    return rows.map((r) => ({
      ref: `payment:${r.id}`,
      label: r.label,
      account: r.revenue_account ?? accounts[r.revenue_role],
      amountCents: Number(r.net),
      coverStart: r.cover_start,
      coverEnd: r.cover_end,
    }));
  }
}
