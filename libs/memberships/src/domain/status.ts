import { LocalDate } from '@ruche/core';
import type { MembershipStatus } from '@ruche/contracts';

export interface StatusSettings {
  /** "Expiring soon" starts this many days before the end date. */
  expiringSoonDays: number;
  /** After the end date, this many days of grace before "lapsed". */
  graceDays: number;
}

export interface MembershipFacts {
  startDate: string;
  /** null: lifetime. */
  endDate: string | null;
  paid: boolean;
  cancelled: boolean;
}

export interface StatusResult {
  status: MembershipStatus;
  /** The first day the status will be different without anything happening (null: never). */
  nextChangeOn: string | null;
}

/**
 * The one place where a membership's status is decided, from its dates, payment and
 * cancellation, on a given day of the organization's calendar:
 *
 *   cancelled                                   cancelled
 *   not paid, period not over (+ grace)         pending_payment
 *   not paid, period and grace over             lapsed
 *   paid, before the start                      upcoming
 *   paid, lifetime or far from the end          active
 *   paid, the last `expiringSoonDays` days      expiring_soon
 *   paid, up to `graceDays` after the end       grace
 *   paid, later                                 lapsed
 */
export function membershipStatus(m: MembershipFacts, today: LocalDate, settings: StatusSettings): StatusResult {
  if (m.cancelled) return { status: 'cancelled', nextChangeOn: null };
  const day = today.toString();
  const end = m.endDate ? LocalDate.parse(m.endDate) : null;
  const lapsesOn = end ? end.plusDays(settings.graceDays + 1).toString() : null;
  if (!m.paid) {
    if (lapsesOn && day >= lapsesOn) return { status: 'lapsed', nextChangeOn: null };
    return { status: 'pending_payment', nextChangeOn: lapsesOn };
  }
  if (day < m.startDate) return { status: 'upcoming', nextChangeOn: m.startDate };
  if (!end) return { status: 'active', nextChangeOn: null };
  const expiringFrom = end.plusDays(1 - settings.expiringSoonDays).toString();
  const afterEnd = end.plusDays(1).toString();
  if (day < expiringFrom) return { status: 'active', nextChangeOn: expiringFrom };
  if (day < afterEnd) return { status: 'expiring_soon', nextChangeOn: afterEnd };
  if (lapsesOn && day < lapsesOn) return { status: 'grace', nextChangeOn: lapsesOn };
  return { status: 'lapsed', nextChangeOn: null };
}

/** Statuses in which the holder is a member in good standing (may vote, enter, borrow...). */
export const GOOD_STANDING: readonly MembershipStatus[] = ['active', 'expiring_soon', 'grace'];

const RANK: Record<MembershipStatus, number> = {
  active: 0,
  expiring_soon: 0,
  grace: 1,
  upcoming: 2,
  pending_payment: 3,
  lapsed: 4,
  cancelled: 5,
};

export interface SummarizedMembership extends MembershipFacts {
  id: string;
  planId: string;
  status: MembershipStatus;
}

export interface MemberSummary {
  membershipId: string;
  planId: string;
  status: MembershipStatus;
  /** First day of the first paid membership. */
  memberSince: string | null;
  /** Last day covered by paid memberships (renewals included); null for lifetime or none. */
  validUntil: string | null;
  /** First day without cover, when lapsed. */
  lapsedSince: string | null;
}

/**
 * A contact's standing from all their memberships: the best current one decides the status
 * (an active membership beats a pending renewal, which beats a lapsed one).
 */
export function summarize(memberships: readonly SummarizedMembership[], settings: StatusSettings): MemberSummary | null {
  if (memberships.length === 0) return null;
  const sorted = [...memberships].sort(
    (a, b) => RANK[a.status] - RANK[b.status] || compareEnd(b.endDate, a.endDate) || (a.startDate < b.startDate ? 1 : -1),
  );
  const current = sorted[0];
  const paid = memberships.filter((m) => m.paid && !m.cancelled);
  const memberSince = paid.length > 0 ? paid.map((m) => m.startDate).sort()[0] : null;
  const lifetime = paid.some((m) => m.endDate === null);
  const lastEnd = paid.map((m) => m.endDate).filter((d): d is string => d !== null).sort().at(-1) ?? null;
  const validUntil = lifetime ? null : lastEnd;
  const lapsedSince = current.status === 'lapsed' && lastEnd ? LocalDate.parse(lastEnd).plusDays(settings.graceDays + 1).toString() : null;
  return { membershipId: current.id, planId: current.planId, status: current.status, memberSince, validUntil, lapsedSince };
}

function compareEnd(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
