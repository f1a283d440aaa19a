import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LocalDate, type OrgContext } from '@ruche/core';
import {
  contactReference,
  type ContactFilter,
  type ContactListItem,
  type ContactMembershipSummary,
  type ContactTagView,
  type ListContactsQuery,
  type MemberCheckView,
  type MembershipStatus,
  type Page,
} from '@ruche/contracts';
import { Clock, preparedQuery } from '@ruche/platform';
import { OrganizationEntity } from '@ruche/organizations';
import { contactFilterConditions, displayName } from '@ruche/contacts';
import { GOOD_STANDING } from '../domain/status';
import { DEFAULT_MEMBERSHIP_SETTINGS } from './membership-settings.service';

export const SORT_SQL: Record<ListContactsQuery['sort']['column'], string> = {
  name: 'c.sort_name',
  createdAt: 'c.created_at',
  city: 'lower(c.city)',
  reference: 'c.number',
  status: `CASE s.status WHEN 'active' THEN 0 WHEN 'expiring_soon' THEN 1 WHEN 'grace' THEN 2 WHEN 'upcoming' THEN 3 WHEN 'pending_payment' THEN 4 WHEN 'lapsed' THEN 5 WHEN 'cancelled' THEN 6 END`,
  validUntil: 's.valid_until',
  memberSince: 's.member_since',
};

interface DirectoryRow {
  id: string;
  number: number;
  kind: 'person' | 'organization';
  first_name: string | null;
  last_name: string | null;
  organization_name: string | null;
  email: string | null;
  phone: string | null;
  mobile_phone: string | null;
  city: string | null;
  postal_code: string | null;
  created_at: Date;
  status: MembershipStatus | null;
  plan_name: string | null;
  member_since: string | null;
  valid_until: string | null;
}

interface CheckRow {
  id: string;
  number: number;
  kind: 'person' | 'organization';
  first_name: string | null;
  last_name: string | null;
  organization_name: string | null;
  city: string | null;
  status: MembershipStatus | null;
  plan_name: string | null;
  valid_until: string | null;
}

const CHECK_COLUMNS = `c.id, c.number, c.kind, c.first_name, c.last_name, c.organization_name, c.city,
       s.status, p.name AS plan_name, s.valid_until::text AS valid_until`;
const CHECK_FROM = `FROM contacts c
  LEFT JOIN member_summaries s ON s.organization_id = c.organization_id AND s.contact_id = c.id
  LEFT JOIN membership_plans p ON p.organization_id = s.organization_id AND p.id = s.plan_id`;
const CHECK_LIVE = 'c.merged_into_id IS NULL AND c.erased_at IS NULL';
/** Best standing first, then by name: the order of the directory sorted by status. */
const CHECK_ORDER = `ORDER BY ${SORT_SQL.status} NULLS LAST, c.sort_name, c.id LIMIT 10`;
/** The organization's contact of that number (unique index on organization and number). */
const CHECK_BY_NUMBER_SQL = `SELECT ${CHECK_COLUMNS} ${CHECK_FROM}
 WHERE c.organization_id = $1 AND c.number = $2 AND ${CHECK_LIVE}`;
/** The organization's contacts of that e-mail address (index on organization and e-mail). */
const CHECK_BY_EMAIL_SQL = `SELECT ${CHECK_COLUMNS} ${CHECK_FROM}
 WHERE c.organization_id = $1 AND c.email = $2 AND ${CHECK_LIVE} ${CHECK_ORDER}`;

const REFERENCE = /^m(\d{6,9})$/i;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * The exact key a check-in query may be: a member number as printed (M000042, any case) or a
 * whole e-mail address (stored lower-cased); null for anything else (free text).
 */
export function exactMemberKey(q: string): { number: number } | { email: string } | null {
  const reference = REFERENCE.exec(q);
  if (reference) {
    const number = Number(reference[1]);
    return number <= 2_147_483_647 && contactReference(number) === q.toUpperCase()
      ? { number }
      : null;
  }
  return EMAIL.test(q) ? { email: q.toLowerCase() } : null;
}

function toCheckView(r: CheckRow): MemberCheckView {
  return {
    contactId: r.id,
    reference: contactReference(r.number),
    displayName: displayName({
      kind: r.kind,
      firstName: r.first_name,
      lastName: r.last_name,
      organizationName: r.organization_name,
    }),
    city: r.city,
    status: r.status,
    inGoodStanding: r.status !== null && GOOD_STANDING.includes(r.status),
    validUntil: r.valid_until,
    planName: r.plan_name,
  };
}

/**
 * The contact directory with each contact's standing: every filter of the list (contact fields
 * from @ruche/contacts, membership status, plan, joined between, lapsed since), sorted and
 * paginated in SQL over indexed columns.
 */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async list(ctx: OrgContext, query: ListContactsQuery): Promise<Page<ContactListItem>> {
    const { where, params } = this.conditions(ctx, query);
    const from = `FROM contacts c LEFT JOIN member_summaries s ON s.organization_id = c.organization_id AND s.contact_id = c.id`;
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total ${from} WHERE ${where}`,
      params,
    );
    const direction = query.sort.descending ? 'DESC' : 'ASC';
    const rows = await this.dataSource.query<DirectoryRow[]>(
      `SELECT c.id, c.number, c.kind, c.first_name, c.last_name, c.organization_name, c.email, c.phone, c.mobile_phone, c.city, c.postal_code, c.created_at,
              s.status, p.name AS plan_name, s.member_since::text AS member_since, s.valid_until::text AS valid_until
         ${from}
         LEFT JOIN membership_plans p ON p.organization_id = s.organization_id AND p.id = s.plan_id
        WHERE ${where}
        ORDER BY ${SORT_SQL[query.sort.column]} ${direction} NULLS LAST, c.sort_name ${direction}, c.id ${direction}
        LIMIT ${query.limit} OFFSET ${query.offset}`,
      params,
    );
    const tags = await this.tagsOf(
      ctx,
      rows.map((r) => r.id),
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        reference: contactReference(r.number),
        kind: r.kind,
        displayName: displayName({
          kind: r.kind,
          firstName: r.first_name,
          lastName: r.last_name,
          organizationName: r.organization_name,
        }),
        email: r.email,
        phone: r.phone ?? r.mobile_phone,
        city: r.city,
        postalCode: r.postal_code,
        tags: tags.get(r.id) ?? [],
        status: r.status,
        planName: r.plan_name,
        memberSince: r.member_since,
        validUntil: r.valid_until,
        createdAt: r.created_at.toISOString(),
      })),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  /** A contact's standing, or null when they never held a membership. */
  async summaryOf(ctx: OrgContext, contactId: string): Promise<ContactMembershipSummary | null> {
    const rows = await this.dataSource.query<
      {
        status: MembershipStatus;
        plan_id: string;
        plan_name: string;
        member_since: string | null;
        valid_until: string | null;
        lapsed_since: string | null;
      }[]
    >(
      `SELECT s.status, s.plan_id, p.name AS plan_name, s.member_since::text AS member_since, s.valid_until::text AS valid_until, s.lapsed_since::text AS lapsed_since
         FROM member_summaries s JOIN membership_plans p ON p.organization_id = s.organization_id AND p.id = s.plan_id
        WHERE s.organization_id = $1 AND s.contact_id = $2`,
      [ctx.organizationId, contactId],
    );
    if (rows.length === 0) return null;
    const r = rows[0];
    return {
      status: r.status,
      planId: r.plan_id,
      planName: r.plan_name,
      memberSince: r.member_since,
      validUntil: r.valid_until,
      lapsedSince: r.lapsed_since,
    };
  }

  /**
   * "Is this person a member in good standing?" for check-in at events: name, email, reference or
   * phone. A member number (M000042) or a whole e-mail address is looked up by equality on its
   * index in one prepared statement; free text (or an exact key that matches no one) goes to the
   * trigram search, in one statement too (no count, no tags: the answer has neither).
   */
  async check(ctx: OrgContext, q: string): Promise<MemberCheckView[]> {
    const key = exactMemberKey(q);
    if (key) {
      const rows =
        'number' in key
          ? await preparedQuery<CheckRow>(
              this.dataSource,
              'ruche-member-check-number',
              CHECK_BY_NUMBER_SQL,
              [ctx.organizationId, key.number],
            )
          : await preparedQuery<CheckRow>(
              this.dataSource,
              'ruche-member-check-email',
              CHECK_BY_EMAIL_SQL,
              [ctx.organizationId, key.email],
            );
      if (rows.length > 0) return rows.map(toCheckView);
    }
    const { where, params } = this.conditions(ctx, { q });
    const rows = await this.dataSource.query<CheckRow[]>(
      `SELECT ${CHECK_COLUMNS} ${CHECK_FROM} WHERE ${where} ${CHECK_ORDER}`,
      params,
    );
    return rows.map(toCheckView);
  }

  /** Today in the organization's time zone. */
  async today(ctx: OrgContext): Promise<LocalDate> {
    const org = await this.dataSource
      .getRepository(OrganizationEntity)
      .findOneOrFail({ where: { id: ctx.organizationId } });
    return LocalDate.fromInstant(this.clock.now(), org.timeZone);
  }

  /** The WHERE clause (contacts `c`, standings `s`) of a directory filter, with its parameters ($1 is the organization). */
  conditions(ctx: OrgContext, filter: ContactFilter): { where: string; params: unknown[] } {
    const params: unknown[] = [ctx.organizationId];
    const p = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = ['c.organization_id = $1', ...contactFilterConditions(filter, params)];
    if (filter.statuses && filter.statuses.length > 0)
      where.push(`s.status = ANY(${p(filter.statuses)}::varchar[])`);
    if (filter.member === 'none') where.push('s.contact_id IS NULL');
    if (filter.member === 'any') where.push('s.contact_id IS NOT NULL');
    if (filter.planId) where.push(`s.plan_id = ${p(filter.planId)}`);
    if (filter.joinedFrom) where.push(`s.member_since >= ${p(filter.joinedFrom)}::date`);
    if (filter.joinedTo) where.push(`s.member_since <= ${p(filter.joinedTo)}::date`);
    // Lapsed on or after the date: the people a win-back campaign writes to.
    if (filter.lapsedSince)
      where.push(`s.status = 'lapsed' AND s.lapsed_since >= ${p(filter.lapsedSince)}::date`);
    // GDPR retention: nobody in good standing (or about to be) is flagged, whatever their last activity.
    if (filter.retentionDue) {
      where.push(`(s.status IS NULL OR s.status IN ('lapsed', 'cancelled'))`);
      where.push(
        `c.last_activity_at < ((${p(this.clock.now().toISOString())}::timestamptz) - make_interval(years => coalesce((SELECT retention_years FROM membership_settings ms WHERE ms.organization_id = $1), ${DEFAULT_MEMBERSHIP_SETTINGS.retentionYears})))`,
      );
    }
    return { where: where.join(' AND '), params };
  }

  private async tagsOf(
    ctx: OrgContext,
    ids: readonly string[],
  ): Promise<Map<string, ContactTagView[]>> {
    const out = new Map<string, ContactTagView[]>();
    if (ids.length === 0) return out;
    const rows = await this.dataSource.query<
      { contact_id: string; id: string; name: string; color: string }[]
    >(
      `SELECT ct.contact_id, t.id, t.name, t.color FROM contact_tags ct JOIN tags t ON t.organization_id = ct.organization_id AND t.id = ct.tag_id
        WHERE ct.organization_id = $1 AND ct.contact_id = ANY($2::uuid[]) ORDER BY t.name`,
      [ctx.organizationId, ids],
    );
    for (const r of rows) {
      const list = out.get(r.contact_id) ?? [];
      list.push({ id: r.id, name: r.name, color: r.color.trim() });
      out.set(r.contact_id, list);
    }
    return out;
  }
}
