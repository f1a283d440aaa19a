import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { systemContext } from '@ruche/core';
import { Clock, OutboundEmailsService } from '@ruche/platform';
import { displayName } from '@ruche/contacts';
import { membershipReminderEmail } from '../emails/reminder.email';

/** How long after its day a reminder may still go out (a sweep that did not run for a few days catches up). */
const CATCH_UP_DAYS = 6;

interface DueRow {
  organization_id: string;
  membership_id: string;
  offset_days: number;
  end_date: string;
  plan_name: string;
  email: string;
  locale: 'fr' | 'en';
  kind: 'person' | 'organization';
  first_name: string | null;
  last_name: string | null;
  organization_name: string | null;
  org_name: string;
  org_email: string | null;
}

/**
 * Renewal reminders at the organization's offsets around the end date (-30, -7, +7 days...):
 * one per membership and offset, whatever the number of runs (primary key on
 * membership_reminders); none once the holder has renewed or holds a later membership.
 */
@Injectable()
export class RemindersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly emails: OutboundEmailsService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async sendDue(batchSize = 200): Promise<number> {
    let sent = 0;
    for (;;) {
      const due = await this.dataSource.query<DueRow[]>(
        `SELECT m.organization_id, m.id AS membership_id, o.off AS offset_days, m.end_date::text AS end_date, p.name AS plan_name,
                c.email, c.locale, c.kind, c.first_name, c.last_name, c.organization_name, org.name AS org_name, org.email AS org_email
           FROM memberships m
           JOIN organizations org ON org.id = m.organization_id
           JOIN contacts c ON c.organization_id = m.organization_id AND c.id = m.contact_id
           JOIN membership_plans p ON p.organization_id = m.organization_id AND p.id = m.plan_id
           LEFT JOIN membership_settings s ON s.organization_id = m.organization_id
           CROSS JOIN LATERAL unnest(coalesce(s.reminder_offsets, ARRAY[-30, -7, 7])) AS o(off)
          WHERE coalesce(s.reminders_enabled, true)
            AND m.paid_on IS NOT NULL AND m.cancelled_at IS NULL AND m.end_date IS NOT NULL
            AND c.email IS NOT NULL AND c.erased_at IS NULL AND c.merged_into_id IS NULL
            AND (m.end_date + o.off) <= (($1::timestamptz) AT TIME ZONE org.time_zone)::date
            AND (m.end_date + o.off + ${CATCH_UP_DAYS}) >= (($1::timestamptz) AT TIME ZONE org.time_zone)::date
            AND NOT EXISTS (SELECT 1 FROM membership_reminders r
                             WHERE r.organization_id = m.organization_id AND r.membership_id = m.id AND r.offset_days = o.off)
            AND NOT EXISTS (SELECT 1 FROM memberships later
                             WHERE later.organization_id = m.organization_id AND later.contact_id = m.contact_id AND later.id <> m.id
                               AND later.cancelled_at IS NULL AND (later.end_date IS NULL OR later.end_date > m.end_date))
          ORDER BY m.organization_id, m.id, o.off
          LIMIT $2`,
        [this.clock.now().toISOString(), batchSize],
      );
      if (due.length === 0) return sent;
      const queued: { organizationId: string; emailId: string }[] = [];
      await this.dataSource.transaction(async (m) => {
        for (const row of due) {
          const inserted = await m.query<{ membership_id: string }[]>(
            `INSERT INTO membership_reminders (organization_id, membership_id, offset_days, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING RETURNING membership_id`,
            [row.organization_id, row.membership_id, row.offset_days, this.clock.now()],
          );
          if (inserted.length === 0) continue; // another run got there first
          const rendered = membershipReminderEmail(row.locale, {
            contactName: displayName({
              kind: row.kind,
              firstName: row.first_name,
              lastName: row.last_name,
              organizationName: row.organization_name,
            }),
            organizationName: row.org_name,
            organizationEmail: row.org_email,
            planName: row.plan_name,
            endDate: row.end_date,
            offsetDays: row.offset_days,
          });
          const emailId = await this.emails.queueEmail(
            systemContext(row.organization_id),
            {
              to: row.email,
              ...rendered,
              template: 'membership.reminder',
              idempotencyKey: `membership-reminder:${row.membership_id}:${row.offset_days}`,
            },
            m,
          );
          await m.query(
            'UPDATE membership_reminders SET email_id = $4 WHERE organization_id = $1 AND membership_id = $2 AND offset_days = $3',
            [row.organization_id, row.membership_id, row.offset_days, emailId],
          );
          queued.push({ organizationId: row.organization_id, emailId });
        }
      });
      for (const q of queued) await this.emails.dispatch(q.organizationId, q.emailId);
      sent += queued.length;
    }
  }
}
