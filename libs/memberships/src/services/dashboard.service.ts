import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LocalDate, type OrgContext } from '@ruche/core';
import type { MembershipDashboardView, MembershipStatus } from '@ruche/contracts';
import { displayName } from '@ruche/contacts';
import { MembershipSettingsService } from './membership-settings.service';
import { DirectoryService } from './directory.service';

/** The coordinators' page: counts by standing, members in good standing month by month, the latest changes. */
@Injectable()
export class MembershipDashboardService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: MembershipSettingsService,
    private readonly directory: DirectoryService,
  ) {}

  async get(ctx: OrgContext): Promise<MembershipDashboardView> {
    const today = await this.directory.today(ctx);
    const settings = await this.settings.get(ctx);
    const monthStart = LocalDate.of(today.year, today.month, 1);
    const counts = await this.dataSource.query<{ status: MembershipStatus; n: number }[]>(
      'SELECT status, count(*)::int AS n FROM member_summaries WHERE organization_id = $1 GROUP BY status',
      [ctx.organizationId],
    );
    const by = (s: MembershipStatus) => counts.find((c) => c.status === s)?.n ?? 0;
    const [{ n: newThisMonth }] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM member_summaries WHERE organization_id = $1 AND member_since >= $2::date AND member_since <= $3::date`,
      [ctx.organizationId, monthStart.toString(), today.toString()],
    );
    // The last day of each of the 23 previous months, then today.
    const days: string[] = [];
    for (let back = 23; back >= 1; back--)
      days.push(
        monthStart
          .plusMonths(-back + 1)
          .plusDays(-1)
          .toString(),
      );
    days.push(today.toString());
    const series = await this.dataSource.query<{ day: string; active: number }[]>(
      `SELECT d::text AS day,
              (SELECT count(DISTINCT m.contact_id)::int FROM memberships m
                WHERE m.organization_id = $1 AND m.paid_on IS NOT NULL AND m.cancelled_at IS NULL
                  AND m.start_date <= d AND (m.end_date IS NULL OR m.end_date >= d)) AS active
         FROM unnest($2::date[]) d ORDER BY d`,
      [ctx.organizationId, days],
    );
    const recent = await this.dataSource.query<
      {
        id: string;
        contact_id: string;
        kind: 'person' | 'organization';
        first_name: string | null;
        last_name: string | null;
        organization_name: string | null;
        status: MembershipStatus;
        plan_name: string;
        end_date: string | null;
        status_changed_at: Date;
      }[]
    >(
      `SELECT m.id, m.contact_id, c.kind, c.first_name, c.last_name, c.organization_name, m.status, p.name AS plan_name, m.end_date::text AS end_date, m.status_changed_at
         FROM memberships m
         JOIN contacts c ON c.organization_id = m.organization_id AND c.id = m.contact_id
         JOIN membership_plans p ON p.organization_id = m.organization_id AND p.id = m.plan_id
        WHERE m.organization_id = $1
        ORDER BY m.status_changed_at DESC, m.id
        LIMIT 20`,
      [ctx.organizationId],
    );
    return {
      today: today.toString(),
      counts: {
        active: by('active') + by('expiring_soon'),
        expiringSoon: by('expiring_soon'),
        grace: by('grace'),
        lapsed: by('lapsed'),
        pendingPayment: by('pending_payment'),
        newThisMonth,
      },
      expiringSoonDays: settings.expiringSoonDays,
      activeByMonth: series.map((s) => ({ month: s.day.slice(0, 7), active: s.active })),
      recent: recent.map((r) => ({
        membershipId: r.id,
        contactId: r.contact_id,
        contactName: displayName({
          kind: r.kind,
          firstName: r.first_name,
          lastName: r.last_name,
          organizationName: r.organization_name,
        }),
        status: r.status,
        planName: r.plan_name,
        validUntil: r.end_date,
        changedAt: r.status_changed_at.toISOString(),
      })),
    };
  }
}
