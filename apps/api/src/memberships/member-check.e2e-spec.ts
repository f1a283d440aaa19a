import request from 'supertest';
import type { ContactView, MemberCheckView, PlanView } from '@ruche/contracts';
import {
  FixedClock,
  addUser,
  signupOrganization,
  type TestApp,
  type TestSession,
} from '@ruche/testing';
import { createTestApi } from '../testing';

const yearly = {
  name: 'Adhésion annuelle',
  pricingKind: 'fixed',
  tiers: [{ code: 'std', label: 'Standard', amount: '20' }],
  validityKind: 'calendar_year',
};

/**
 * The check-in desk's status lookup (GET …/members/check): a member number or a whole e-mail
 * address answers by equality with the standing kept in member_summaries, free text by the
 * directory search; always within the caller's organization, with memberships.read.
 */
describe('member status lookup at the check-in desk', () => {
  let t: TestApp;
  let owner: TestSession;
  const clock = new FixedClock(new Date('2026-03-10T10:00:00Z'));
  const base = () => `/api/v1/orgs/${owner.orgId}`;
  const people: Record<string, ContactView> = {};
  let plan: PlanView;

  async function contact(
    firstName: string,
    lastName: string,
    extra: Record<string, unknown> = {},
  ): Promise<ContactView> {
    return (
      await owner
        .post(`${base()}/contacts`, { firstName, lastName, confirmNotDuplicate: true, ...extra })
        .expect(201)
    ).body as ContactView;
  }
  async function join(
    c: ContactView,
    extra: Record<string, unknown> = {},
  ): Promise<{ id: string }> {
    return (
      await owner
        .post(`${base()}/memberships`, {
          contactId: c.id,
          planId: plan.id,
          tierCode: 'std',
          ...extra,
        })
        .expect(201)
    ).body as { id: string };
  }
  const check = async (who: TestSession, q: string): Promise<MemberCheckView[]> =>
    (await who.get(`${base()}/members/check?q=${encodeURIComponent(q)}`).expect(200))
      .body as MemberCheckView[];

  beforeAll(async () => {
    t = await createTestApi({ clock });
    owner = await signupOrganization(t, 'Club de randonnée');
    plan = (await owner.post(`${base()}/membership-plans`, yearly).expect(201)).body as PlanView;
    const paid = { payment: { method: 'cash', paidOn: '2026-03-10' } };
    people.active = await contact('Anaïs', 'Leroy', {
      email: 'anais.leroy@example.org',
      city: 'Lyon',
    });
    await join(people.active, paid);
    people.pending = await contact('Bruno', 'Petit', { email: 'bruno@example.org' });
    await join(people.pending);
    people.lapsed = await contact('Chloé', 'Nivet', { email: 'chloe@example.org' });
    await join(people.lapsed, { startDate: '2025-01-01', ...paid }); // 2025 ended, grace over on 2026-01-30
    people.cancelled = await contact('Denis', 'Morel', { email: 'denis@example.org' });
    const cancelled = await join(people.cancelled, paid);
    await owner
      .post(`${base()}/memberships/${cancelled.id}/cancel`, { reason: 'Déménagement' })
      .expect(201);
    people.never = await contact('Emma', 'Roux', { email: 'leroy@example.org' });
    // Same household address as Anaïs's partner: one e-mail, two people.
    people.partner = await contact('Fabien', 'Leroy', { email: 'famille@example.org' });
    people.child = await contact('Gaël', 'Leroy', { email: 'famille@example.org' });
    await join(people.child, paid);
  });
  afterAll(() => t.close());

  it('answers a member number with that member and the standing of the member summary', async () => {
    const expected: [string, string | null, boolean][] = [
      ['active', 'active', true],
      ['pending', 'pending_payment', false],
      ['lapsed', 'lapsed', false],
      ['cancelled', 'cancelled', false],
      ['never', null, false],
    ];
    for (const [who, status, inGoodStanding] of expected) {
      const summary = (
        (await owner.get(`${base()}/contacts/${people[who].id}`).expect(200)).body as ContactView
      ).membership;
      const found = await check(owner, people[who].reference);
      expect(found).toEqual([
        {
          contactId: people[who].id,
          reference: people[who].reference,
          displayName: people[who].displayName,
          city: people[who].city,
          status,
          inGoodStanding,
          validUntil: summary?.validUntil ?? null,
          planName: status === null ? null : 'Adhésion annuelle',
        },
      ]);
    }
    expect((await check(owner, people.active.reference))[0].validUntil).toBe('2026-12-31');
    expect((await check(owner, people.lapsed.reference))[0].validUntil).toBe('2025-12-31');
    // Typed in lower case at the desk: the same member.
    expect(
      (await check(owner, people.active.reference.toLowerCase())).map((r) => r.contactId),
    ).toEqual([people.active.id]);
  });

  it('answers a whole e-mail address with exactly its owners, best standing first', async () => {
    expect((await check(owner, 'Anais.Leroy@Example.org')).map((r) => r.contactId)).toEqual([
      people.active.id,
    ]);
    // "leroy@example.org" is Emma's address, and also the end of Anaïs's: only Emma is meant.
    expect((await check(owner, 'leroy@example.org')).map((r) => [r.contactId, r.status])).toEqual([
      [people.never.id, null],
    ]);
    expect((await check(owner, 'famille@example.org')).map((r) => [r.contactId, r.status])).toEqual(
      [
        [people.child.id, 'active'],
        [people.partner.id, null],
      ],
    );
  });

  it('still searches free text, and finds no one for an unknown number or address', async () => {
    // Anywhere in the name or the e-mail address (Emma's), best standing first, then by name.
    expect((await check(owner, 'leroy')).map((r) => r.contactId)).toEqual([
      people.active.id,
      people.child.id,
      people.partner.id,
      people.never.id,
    ]);
    expect((await check(owner, 'nivet chl')).map((r) => r.status)).toEqual(['lapsed']);
    expect(await check(owner, 'M999999')).toEqual([]);
    expect(await check(owner, 'personne@example.org')).toEqual([]);
    await owner.get(`${base()}/members/check?q=M`).expect(400);
  });

  it('does not answer for an erased or a merged contact', async () => {
    const erased = await contact('Hugo', 'Blanc', { email: 'hugo@example.org' });
    await join(erased);
    await owner
      .post(`${base()}/contacts/${erased.id}/erase`, { reason: 'Demande RGPD', confirm: true })
      .expect(200);
    expect(await check(owner, erased.reference)).toEqual([]);
    expect(await check(owner, 'hugo@example.org')).toEqual([]);
    const kept = await contact('Inès', 'Garnier', { email: 'ines@example.org' });
    const twin = await contact('Ines', 'GARNIER', { email: 'ines.garnier@example.org' });
    await join(twin, { payment: { method: 'cash', paidOn: '2026-03-10' } });
    await owner
      .post(`${base()}/contacts/${kept.id}/merge`, { mergedContactId: twin.id })
      .expect(200);
    expect(await check(owner, twin.reference)).toEqual([]);
    expect((await check(owner, kept.reference)).map((r) => [r.contactId, r.status])).toEqual([
      [kept.id, 'active'],
    ]);
  });

  it('stays within the organization: another one neither reaches it nor sees its members', async () => {
    const other = await signupOrganization(t, 'Autre club');
    const otherBase = `/api/v1/orgs/${other.orgId}`;
    await other.get(`${base()}/members/check?q=${people.active.reference}`).expect(404);
    await other.get(`${base()}/members/check?q=anais.leroy@example.org`).expect(404);
    // Numbers restart at M000001 in each organization: the other one's own contact answers there.
    const theirs = (
      await other
        .post(`${otherBase}/contacts`, {
          firstName: 'Zoé',
          lastName: 'Martin',
          email: 'zoe@example.org',
        })
        .expect(201)
    ).body as ContactView;
    expect(theirs.reference).toBe('M000001');
    const there = (await other.get(`${otherBase}/members/check?q=M000001`).expect(200))
      .body as MemberCheckView[];
    expect(there.map((r) => r.contactId)).toEqual([theirs.id]);
    expect(
      (await other.get(`${otherBase}/members/check?q=anais.leroy@example.org`).expect(200))
        .body as MemberCheckView[],
    ).toEqual([]);
    const here = await check(owner, 'M000001');
    expect(here.map((r) => r.contactId)).toEqual([people.active.id]);
    expect(await check(owner, 'zoe@example.org')).toEqual([]);
  });

  it('needs memberships.read: a coordinator may look up, a plain member may not, nobody without a session', async () => {
    const coordinator = await addUser(t, owner, 'coordinator');
    expect((await check(coordinator, people.active.reference)).map((r) => r.status)).toEqual([
      'active',
    ]);
    const member = await addUser(t, owner, 'member');
    const denied = await member
      .get(`${base()}/members/check?q=${people.active.reference}`)
      .expect(403);
    expect(denied.body.code).toBe('auth.forbidden');
    await request(t.app.getHttpServer())
      .get(`${base()}/members/check?q=${people.active.reference}`)
      .expect(401);
  });
});
