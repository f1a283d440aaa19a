import { firstValueFrom, filter, take, toArray, timeout } from 'rxjs';
import { AuditLogEntity, LiveEventsPort } from '@ruche/platform';
import type {
  ContactListItem,
  ContactMembershipView,
  ContactView,
  MembershipDashboardView,
  Page,
  PlanView,
} from '@ruche/contracts';
import { MembershipsService, RemindersService } from '@ruche/memberships';
import {
  FixedClock,
  addUser,
  login,
  signupOrganization,
  type TestApp,
  type TestSession,
} from '@ruche/testing';
import { createTestApi } from '../testing';

const yearly = {
  name: 'Adhésion annuelle',
  pricingKind: 'tiers',
  tiers: [
    { code: 'full', label: 'Plein tarif', amount: '30' },
    { code: 'reduced', label: 'Tarif réduit', amount: '12,50' },
  ],
  validityKind: 'calendar_year',
};

describe('memberships through the API', () => {
  let t: TestApp;
  let owner: TestSession;
  const clock = new FixedClock(new Date('2026-03-10T10:00:00Z'));
  const base = () => `/api/v1/orgs/${owner.orgId}`;

  beforeAll(async () => {
    t = await createTestApi({ clock });
  });
  beforeEach(async () => {
    clock.set(new Date('2026-03-10T10:00:00Z'));
    owner = await signupOrganization(t, 'Club de Lecture');
  });
  afterAll(() => t.close());

  async function contact(
    firstName: string,
    lastName: string,
    extra: Record<string, unknown> = {},
  ): Promise<ContactView> {
    return (await owner.post(`${base()}/contacts`, { firstName, lastName, ...extra }).expect(201))
      .body as ContactView;
  }
  async function plan(input: Record<string, unknown> = yearly): Promise<PlanView> {
    return (await owner.post(`${base()}/membership-plans`, input).expect(201)).body as PlanView;
  }
  /** Moves the fixed clock, runs the daily sweep, and logs in again (sessions follow the clock too). */
  async function travelTo(iso: string): Promise<void> {
    clock.set(new Date(iso));
    await t.app.get(MembershipsService).refreshDue();
    owner = { ...(await login(t, owner.email, owner.password)), orgId: owner.orgId };
  }
  const statusOf = async (contactId: string) =>
    ((await owner.get(`${base()}/contacts/${contactId}`).expect(200)).body as ContactView)
      .membership;

  it('validates plans with the field and the reason', async () => {
    const res = await owner
      .post(`${base()}/membership-plans`, {
        ...yearly,
        tiers: [{ code: 'full', label: 'Plein', amount: '30.555' }],
      })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'tiers.0.amount',
    ]);
    const account = await owner
      .post(`${base()}/membership-plans`, { ...yearly, revenueAccount: '512' })
      .expect(422);
    expect(account.body.errors[0]).toMatchObject({
      field: 'revenueAccount',
      code: 'memberships.not_revenue_account',
    });
    const rolling = await owner
      .post(`${base()}/membership-plans`, { ...yearly, validityKind: 'rolling_months' })
      .expect(400);
    expect(rolling.body.errors[0].field).toBe('validityMonths');
    const created = await plan({ ...yearly, revenueAccount: '7561' });
    expect(created).toMatchObject({
      tiers: [
        { code: 'full', amountCents: 3000 },
        { code: 'reduced', amountCents: 1250 },
      ],
      currency: 'EUR',
      revenueAccount: '7561',
    });
  });

  it('a cheque at the desk posts a balanced entry to the plan account and activates the membership', async () => {
    await owner
      .post(`${base()}/accounting/accounts`, { number: '75611', label: 'Cotisations adultes' })
      .expect(201);
    const p = await plan({ ...yearly, revenueAccount: '75611' });
    const jeanne = await contact('Jeanne', 'Dupré');
    const created = await owner
      .post(`${base()}/memberships`, {
        contactId: jeanne.id,
        planId: p.id,
        tierCode: 'reduced',
        payment: { method: 'cheque', paidOn: '2026-03-09', reference: 'CHQ 1234567' },
      })
      .expect(201);
    const m = created.body as ContactMembershipView;
    expect(m).toMatchObject({
      status: 'active',
      startDate: '2026-03-10',
      endDate: '2026-12-31',
      amountCents: 1250,
      tierLabel: 'Tarif réduit',
      paidOn: '2026-03-09',
      paymentMethod: 'cheque',
      contactReference: 'M000001',
    });
    const entry = await owner.get(`${base()}/accounting/entries/${m.entryId}`).expect(200);
    expect(entry.body).toMatchObject({
      status: 'posted',
      date: '2026-03-09',
      pieceRef: 'CHQ 1234567',
      source: `membership:${m.id}`,
    });
    expect(entry.body.lines).toEqual([
      expect.objectContaining({ accountNumber: '5112', debitCents: 1250, creditCents: 0 }),
      expect.objectContaining({
        accountNumber: '75611',
        debitCents: 0,
        creditCents: 1250,
        counterpartyRef: 'M000001',
      }),
    ]);
    expect(await statusOf(jeanne.id)).toEqual({
      status: 'active',
      planId: p.id,
      planName: 'Adhésion annuelle',
      memberSince: '2026-03-10',
      validUntil: '2026-12-31',
      lapsedSince: null,
    });
    // Paying twice is refused; the books keep one entry.
    await owner
      .post(`${base()}/memberships/${m.id}/payment`, { method: 'cash', paidOn: '2026-03-10' })
      .expect(409);
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM journal_entries WHERE organization_id = $1 AND source LIKE 'membership:%'`,
      [owner.orgId],
    );
    expect(n).toBe(1);
  });

  it('walks through pending, active, expiring soon, grace and lapsed as days pass, and renewal restores it', async () => {
    await owner
      .put(`${base()}/membership-settings`, {
        expiringSoonDays: 30,
        graceDays: 15,
        reminderOffsets: [-30, 7],
        remindersEnabled: true,
        retentionYears: 3,
      })
      .expect(200);
    const p = await plan();
    const paul = await contact('Paul', 'Roux');
    const pending = (
      await owner
        .post(`${base()}/memberships`, { contactId: paul.id, planId: p.id, tierCode: 'full' })
        .expect(201)
    ).body as ContactMembershipView;
    expect(pending).toMatchObject({ status: 'pending_payment', entryId: null });
    expect((await statusOf(paul.id))?.status).toBe('pending_payment');
    const paid = (
      await owner
        .post(`${base()}/memberships/${pending.id}/payment`, {
          method: 'transfer',
          paidOn: '2026-03-12',
        })
        .expect(201)
    ).body;
    expect(paid.status).toBe('active');
    await travelTo('2026-12-01T23:30:00Z'); // already Dec 2 in Paris: 30 days left
    expect((await statusOf(paul.id))?.status).toBe('expiring_soon');
    await travelTo('2027-01-05T10:00:00Z');
    expect((await statusOf(paul.id))?.status).toBe('grace');
    await travelTo('2027-01-16T10:00:00Z');
    expect(await statusOf(paul.id)).toMatchObject({
      status: 'lapsed',
      lapsedSince: '2027-01-16',
      validUntil: '2026-12-31',
    });
    // Running the sweep again changes nothing.
    expect(await t.app.get(MembershipsService).refreshDue()).toBe(0);
    const renewed = (
      await owner
        .post(`${base()}/memberships/${pending.id}/renew`, {
          payment: { method: 'cash', paidOn: '2027-01-16' },
        })
        .expect(201)
    ).body as ContactMembershipView;
    expect(renewed).toMatchObject({
      status: 'active',
      startDate: '2027-01-16',
      endDate: '2027-12-31',
      tierCode: 'full',
      amountCents: 3000,
      renewedFromId: pending.id,
    });
    expect(await statusOf(paul.id)).toMatchObject({
      status: 'active',
      memberSince: '2026-03-10',
      validUntil: '2027-12-31',
    });
    const again = await owner.post(`${base()}/memberships/${pending.id}/renew`, {}).expect(409);
    expect(again.body.code).toBe('memberships.already_renewed');
    const history = (await owner.get(`${base()}/memberships?contactId=${paul.id}`).expect(200))
      .body as Page<ContactMembershipView>;
    expect(history.items.map((h) => [h.startDate, h.status])).toEqual([
      ['2027-01-16', 'active'],
      ['2026-03-10', 'lapsed'],
    ]);
  });

  it('an early renewal starts the day after the current period and is upcoming until then', async () => {
    const p = await plan();
    const zoe = await contact('Zoé', 'Martin');
    const m = (
      await owner
        .post(`${base()}/memberships`, {
          contactId: zoe.id,
          planId: p.id,
          tierCode: 'full',
          payment: { method: 'cash', paidOn: '2026-03-10' },
        })
        .expect(201)
    ).body;
    await travelTo('2026-12-15T10:00:00Z');
    const next = (
      await owner
        .post(`${base()}/memberships/${m.id}/renew`, {
          tierCode: 'reduced',
          payment: { method: 'cash', paidOn: '2026-12-15' },
        })
        .expect(201)
    ).body;
    expect(next).toMatchObject({
      status: 'upcoming',
      startDate: '2027-01-01',
      endDate: '2027-12-31',
      amountCents: 1250,
    });
    expect(await statusOf(zoe.id)).toMatchObject({
      status: 'expiring_soon',
      validUntil: '2027-12-31',
    });
    await travelTo('2027-01-01T10:00:00Z');
    expect(await statusOf(zoe.id)).toMatchObject({ status: 'active', validUntil: '2027-12-31' });
  });

  it('directory filters by status, plan and joined dates; check-in answers good standing', async () => {
    const p = await plan();
    const other = await plan({
      ...yearly,
      name: 'Bienfaiteur',
      pricingKind: 'free_amount',
      tiers: [],
      minimumAmount: '50',
    });
    const a = await contact('Anaïs', 'Leroy');
    const b = await contact('Bruno', 'Petit');
    await contact('Chloé', 'Nivet');
    await owner
      .post(`${base()}/memberships`, {
        contactId: a.id,
        planId: p.id,
        tierCode: 'full',
        payment: { method: 'cash', paidOn: '2026-03-10' },
      })
      .expect(201);
    const low = await owner
      .post(`${base()}/memberships`, { contactId: b.id, planId: other.id, amount: '20' })
      .expect(422);
    expect(low.body.errors[0]).toMatchObject({
      field: 'amount',
      code: 'memberships.amount_below_minimum',
    });
    await owner
      .post(`${base()}/memberships`, { contactId: b.id, planId: other.id, amount: '75' })
      .expect(201);
    const names = async (qs: string) =>
      (
        (await owner.get(`${base()}/contacts?${qs}`).expect(200)).body as Page<ContactListItem>
      ).items.map((i) => i.displayName);
    expect(await names('statuses=active,expiring_soon')).toEqual(['LEROY Anaïs']);
    expect(await names('statuses=pending_payment')).toEqual(['PETIT Bruno']);
    expect(await names('member=none')).toEqual(['NIVET Chloé']);
    expect(await names(`planId=${other.id}`)).toEqual(['PETIT Bruno']);
    expect(await names('joinedFrom=2026-03-01&joinedTo=2026-03-31')).toEqual(['LEROY Anaïs']);
    expect(await names('sort=status')).toEqual(['LEROY Anaïs', 'PETIT Bruno', 'NIVET Chloé']);
    const check = await owner.get(`${base()}/members/check?q=leroy`).expect(200);
    expect(check.body).toEqual([
      expect.objectContaining({
        displayName: 'LEROY Anaïs',
        inGoodStanding: true,
        validUntil: '2026-12-31',
        status: 'active',
      }),
    ]);
    const pendingCheck = await owner.get(`${base()}/members/check?q=bruno`).expect(200);
    expect(pendingCheck.body[0]).toMatchObject({
      inGoodStanding: false,
      status: 'pending_payment',
    });
    await owner.get(`${base()}/members/check?q=a`).expect(400);
  });

  it('the dashboard counts standings, draws 24 months, and a payment is pushed live to open dashboards', async () => {
    const p = await plan();
    const a = await contact('Anaïs', 'Leroy');
    const b = await contact('Bruno', 'Petit');
    await owner
      .post(`${base()}/memberships`, {
        contactId: a.id,
        planId: p.id,
        tierCode: 'full',
        startDate: '2025-01-01',
        payment: { method: 'cash', paidOn: '2026-03-10' },
      })
      .expect(201);
    const pending = (
      await owner
        .post(`${base()}/memberships`, { contactId: b.id, planId: p.id, tierCode: 'full' })
        .expect(201)
    ).body;
    const live = t.app.get(LiveEventsPort);
    const next = firstValueFrom(
      live.stream(owner.orgId).pipe(
        filter((e) => e.type === 'membership.status_changed'),
        take(1),
        timeout(5000),
      ),
    );
    clock.advance(60_000); // a minute later: the payment is the latest change
    await owner
      .post(`${base()}/memberships/${pending.id}/payment`, {
        method: 'cheque',
        paidOn: '2026-03-10',
      })
      .expect(201);
    expect((await next).data).toMatchObject({
      membershipId: pending.id,
      contactName: 'PETIT Bruno',
      status: 'active',
      previousStatus: 'pending_payment',
    });
    const dashboard = (await owner.get(`${base()}/membership-dashboard`).expect(200))
      .body as MembershipDashboardView;
    // Anaïs's 2025 membership ended with 2025 (grace over on 2026-01-31): lapsed; Bruno joined this month.
    expect(dashboard.counts).toEqual({
      active: 1,
      expiringSoon: 0,
      grace: 0,
      lapsed: 1,
      pendingPayment: 0,
      newThisMonth: 1,
    });
    expect(dashboard.activeByMonth).toHaveLength(24);
    expect(dashboard.activeByMonth[0]).toEqual({ month: '2024-04', active: 0 });
    // Anaïs's period is calendar year 2025 (start 2025-01-01): counted at the end of each 2025 month.
    expect(dashboard.activeByMonth.find((x) => x.month === '2025-06')).toEqual({
      month: '2025-06',
      active: 1,
    });
    expect(dashboard.activeByMonth.at(-1)).toEqual({ month: '2026-03', active: 1 });
    expect(dashboard.recent[0]).toMatchObject({ contactName: 'PETIT Bruno', status: 'active' });
    const events = live.stream(owner.orgId).pipe(
      filter((e) => e.type === 'membership.status_changed'),
      take(1),
      toArray(),
      timeout(1000),
    );
    const lapsing = firstValueFrom(events);
    await travelTo('2026-03-11T10:00:00Z');
    await t.app.get(MembershipsService).refreshDue();
    await expect(lapsing).rejects.toThrow(); // nothing changed overnight: no event
  });

  it('sends each renewal reminder once per offset, in the member language, and stops once renewed', async () => {
    await owner
      .put(`${base()}/membership-settings`, {
        expiringSoonDays: 30,
        graceDays: 15,
        reminderOffsets: [-30, -7, 7],
        remindersEnabled: true,
        retentionYears: 3,
      })
      .expect(200);
    const p = await plan();
    const fr = await contact('Inès', 'Garnier', { email: 'ines.garnier@example.org' });
    const en = await contact('John', 'Smith', { email: 'john.smith@example.org', locale: 'en' });
    // Paid without the confirmation e-mail: the mailboxes below hold the reminders only.
    const mFr = (
      await owner
        .post(`${base()}/memberships`, {
          contactId: fr.id,
          planId: p.id,
          tierCode: 'full',
          payment: { method: 'cash', paidOn: '2026-03-10', notify: false },
        })
        .expect(201)
    ).body;
    await owner
      .post(`${base()}/memberships`, {
        contactId: en.id,
        planId: p.id,
        tierCode: 'full',
        payment: { method: 'cash', paidOn: '2026-03-10', notify: false },
      })
      .expect(201);
    const reminders = t.app.get(RemindersService);
    // The background sweep may run too: counts are read from the database and the SMTP sink, not from return values.
    const sentByOffset = () =>
      t.dataSource.query<{ offset_days: number; n: number }[]>(
        'SELECT r.offset_days, count(*)::int AS n FROM membership_reminders r WHERE r.organization_id = $1 GROUP BY r.offset_days ORDER BY r.offset_days',
        [owner.orgId],
      );
    clock.set(new Date('2026-12-01T10:00:00Z')); // 30 days before 2026-12-31
    await reminders.sendDue();
    await reminders.sendDue(); // twice the same day: nothing more
    expect(await sentByOffset()).toEqual([{ offset_days: -30, n: 2 }]);
    const french = await t.smtp.waitFor((m) => m.to.includes('ines.garnier@example.org'));
    expect(french.subject).toBe('Votre adhésion à Club de Lecture se termine le 31 décembre 2026');
    expect(french.text).toContain('Bonjour GARNIER Inès');
    const english = await t.smtp.waitFor((m) => m.to.includes('john.smith@example.org'));
    expect(english.subject).toBe('Your Club de Lecture membership ends on 31 December 2026');
    // Inès renews; John does not: only John hears about -7 and +7.
    owner = { ...(await login(t, owner.email, owner.password)), orgId: owner.orgId };
    await owner
      .post(`${base()}/memberships/${mFr.id}/renew`, {
        payment: { method: 'cash', paidOn: '2026-12-01', notify: false },
      })
      .expect(201);
    clock.set(new Date('2026-12-26T10:00:00Z'));
    await reminders.sendDue();
    expect(await sentByOffset()).toEqual([
      { offset_days: -30, n: 2 },
      { offset_days: -7, n: 1 },
    ]);
    clock.set(new Date('2027-01-08T10:00:00Z'));
    await Promise.all([reminders.sendDue(), reminders.sendDue()]);
    await reminders.sendDue();
    expect(await sentByOffset()).toEqual([
      { offset_days: -30, n: 2 },
      { offset_days: -7, n: 1 },
      { offset_days: 7, n: 1 },
    ]);
    await t.smtp.waitFor(
      (m) =>
        m.to.includes('john.smith@example.org') &&
        m.subject === 'Your Club de Lecture membership has expired',
    );
    await t.app.get(MembershipsService).refreshDue();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.smtp.messages.filter((m) => m.to.includes('ines.garnier@example.org'))).toHaveLength(
      1,
    );
    expect(t.smtp.messages.filter((m) => m.to.includes('john.smith@example.org'))).toHaveLength(3);
  });

  it('merges a duplicate: its memberships, tags and missing fields move to the kept contact, with an audit of both', async () => {
    const p = await plan();
    const tag = (await owner.post(`${base()}/tags`, { name: 'Chorale' }).expect(201)).body;
    const kept = await contact('Jeanne', 'Dupré', { email: 'jeanne@example.org' });
    const twin = (
      await owner
        .post(`${base()}/contacts`, {
          firstName: 'Jeanne',
          lastName: 'DUPRE',
          phone: '06 11 22 33 44',
          city: 'Lyon',
          tagIds: [tag.id],
          confirmNotDuplicate: true,
        })
        .expect(201)
    ).body as ContactView;
    await owner
      .post(`${base()}/memberships`, {
        contactId: twin.id,
        planId: p.id,
        tierCode: 'full',
        payment: { method: 'cash', paidOn: '2026-03-10' },
      })
      .expect(201);
    const merged = await owner
      .post(`${base()}/contacts/${kept.id}/merge`, { mergedContactId: twin.id })
      .expect(200);
    // The plan has counterparts: the payment's invoice follows the contact (its print stays).
    expect(merged.body.moved).toEqual({
      memberships: 1,
      payments: 1,
      invoices: 1,
      donations: 0,
      receipts: 0,
    });
    expect(merged.body.contact).toMatchObject({
      id: kept.id,
      email: 'jeanne@example.org',
      phone: '06 11 22 33 44',
      city: 'Lyon',
      tags: [expect.objectContaining({ name: 'Chorale' })],
    });
    expect(merged.body.contact.membership).toMatchObject({
      status: 'active',
      validUntil: '2026-12-31',
    });
    expect((await owner.get(`${base()}/contacts/${twin.id}`).expect(200)).body.mergedIntoId).toBe(
      kept.id,
    );
    const list = (await owner.get(`${base()}/contacts?q=dupre`).expect(200))
      .body as Page<ContactListItem>;
    expect(list.items.map((c) => c.id)).toEqual([kept.id]);
    const history = (await owner.get(`${base()}/memberships?contactId=${kept.id}`).expect(200))
      .body as Page<ContactMembershipView>;
    expect(history.total).toBe(1);
    const audit = await t.dataSource.getRepository(AuditLogEntity).findOneByOrFail({
      organizationId: owner.orgId,
      action: 'contact.merged',
      entityId: kept.id,
    });
    expect(audit.before).toMatchObject({
      kept: { email: 'jeanne@example.org', phone: null },
      merged: { id: twin.id, phone: '06 11 22 33 44' },
    });
    const again = await owner
      .post(`${base()}/contacts/${kept.id}/merge`, { mergedContactId: twin.id })
      .expect(409);
    expect(again.body.code).toBe('contacts.merged');
    await owner
      .post(`${base()}/contacts/${kept.id}/merge`, { mergedContactId: kept.id })
      .expect(422);
    const other = await signupOrganization(t, 'Ailleurs');
    const stranger = (
      await other
        .post(`/api/v1/orgs/${other.orgId}/contacts`, { firstName: 'Jeanne', lastName: 'Dupré' })
        .expect(201)
    ).body;
    await owner
      .post(`${base()}/contacts/${kept.id}/merge`, { mergedContactId: stranger.id })
      .expect(404);
    const treasurer = await addUser(t, owner, 'treasurer');
    await treasurer
      .post(`${base()}/contacts/${kept.id}/merge`, { mergedContactId: twin.id })
      .expect(403);
  });

  it('roles: coordinators take memberships but cannot record money; other organizations see nothing', async () => {
    const p = await plan();
    const jeanne = await contact('Jeanne', 'Dupré');
    const coordinator = await addUser(t, owner, 'coordinator');
    const denied = await coordinator
      .post(`${base()}/memberships`, {
        contactId: jeanne.id,
        planId: p.id,
        tierCode: 'full',
        payment: { method: 'cash', paidOn: '2026-03-10' },
      })
      .expect(403);
    expect(denied.body.code).toBe('memberships.cannot_collect');
    const m = (
      await coordinator
        .post(`${base()}/memberships`, { contactId: jeanne.id, planId: p.id, tierCode: 'full' })
        .expect(201)
    ).body;
    await coordinator
      .post(`${base()}/memberships/${m.id}/payment`, { method: 'cash', paidOn: '2026-03-10' })
      .expect(403);
    await coordinator.post(`${base()}/membership-plans`, yearly).expect(403);
    const other = await signupOrganization(t, 'Autre club');
    const otherBase = `/api/v1/orgs/${other.orgId}`;
    await other.get(`${otherBase}/memberships/${m.id}`).expect(404);
    await other
      .post(`${otherBase}/memberships/${m.id}/payment`, { method: 'cash', paidOn: '2026-03-10' })
      .expect(404);
    const otherPlan = (await other.post(`${otherBase}/membership-plans`, yearly).expect(201)).body;
    await other
      .post(`${otherBase}/memberships`, {
        contactId: jeanne.id,
        planId: otherPlan.id,
        tierCode: 'full',
      })
      .expect(404);
    await owner
      .post(`${base()}/memberships`, {
        contactId: jeanne.id,
        planId: otherPlan.id,
        tierCode: 'full',
      })
      .expect(404);
    expect((await other.get(`${otherBase}/memberships`).expect(200)).body.total).toBe(0);
    const cancelled = await owner
      .post(`${base()}/memberships/${m.id}/cancel`, { reason: 'Déménagement' })
      .expect(201);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Déménagement' });
    const audit = await t.dataSource.getRepository(AuditLogEntity).findOneByOrFail({
      organizationId: owner.orgId,
      action: 'membership.cancelled',
      entityId: m.id,
    });
    expect(audit.after).toEqual({ reason: 'Déménagement' });
  });
});
