import { AuditLogEntity } from '@ruche/platform';
import type { ContactListItem, ContactView, Page } from '@ruche/contracts';
import { addUser, signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import { createTestApi } from '../testing';

const jeanne = (overrides: Record<string, unknown> = {}) => ({
  civility: 'mme',
  firstName: 'Jeanne',
  lastName: 'Dupré',
  birthDate: '1984-05-17',
  email: 'Jeanne.Dupre@Example.org',
  phone: '06 12 34 56 78',
  addressLine1: '12 rue des Lilas',
  postalCode: '69003',
  city: 'Lyon',
  ...overrides,
});

describe('contacts through the API', () => {
  let t: TestApp;
  let owner: TestSession;
  const base = () => `/api/v1/orgs/${owner.orgId}`;

  beforeAll(async () => {
    t = await createTestApi();
  });
  beforeEach(async () => {
    owner = await signupOrganization(t, 'Les Jardins Partagés');
  });
  afterAll(() => t.close());

  it('creates a person with a per-organization reference, normalized email and an audit trace', async () => {
    const created = await owner.post(`${base()}/contacts`, jeanne()).expect(201);
    const contact = created.body as ContactView;
    expect(contact).toMatchObject({ number: 1, reference: 'M000001', kind: 'person', displayName: 'DUPRÉ Jeanne', email: 'jeanne.dupre@example.org', country: 'FR', membership: null, tags: [] });
    const second = await owner.post(`${base()}/contacts`, { kind: 'organization', organizationName: 'Boulangerie Martin', siren: '732 829 320' }).expect(201);
    expect(second.body).toMatchObject({ reference: 'M000002', displayName: 'Boulangerie Martin', siren: '732829320', firstName: null });
    const audit = await t.dataSource.getRepository(AuditLogEntity).findOneByOrFail({ organizationId: owner.orgId, action: 'contact.created', entityId: contact.id });
    expect(audit.after).toMatchObject({ lastName: 'Dupré', email: 'jeanne.dupre@example.org' });
  });

  it('answers bad fields with 400, the field and the reason, and writes nothing', async () => {
    const res = await owner
      .post(`${base()}/contacts`, jeanne({ email: 'not-an-email', postalCode: '6900', birthDate: '2199-01-01', phone: 'call me', unknown: 1 }))
      .expect(400);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['birthDate', 'email', 'phone', 'postalCode', 'unknown']);
    expect(res.body.errors.find((e: { field: string }) => e.field === 'postalCode').message).toBe('A French postal code has 5 digits');
    const nameless = await owner.post(`${base()}/contacts`, { kind: 'organization' }).expect(400);
    expect(nameless.body.errors).toEqual([expect.objectContaining({ field: 'organizationName' })]);
    const [{ n }] = await t.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM contacts WHERE organization_id = $1', [owner.orgId]);
    expect(n).toBe(0);
  });

  it('detects probable duplicates at entry (email; name in any order + birth date or postal code) and creates on confirmation', async () => {
    const first = (await owner.post(`${base()}/contacts`, jeanne()).expect(201)).body as ContactView;
    const sameEmail = await owner.post(`${base()}/contacts`, { firstName: 'J.', lastName: 'D.', email: 'JEANNE.DUPRE@example.org' }).expect(409);
    expect(sameEmail.body.code).toBe('contacts.possible_duplicate');
    expect(sameEmail.body.errors[0]).toMatchObject({ field: 'email', message: expect.stringContaining('M000001 DUPRÉ Jeanne') });
    const candidates = await owner.post(`${base()}/contacts/duplicates`, { firstName: 'DUPRE', lastName: 'jeanne', postalCode: '69003' }).expect(200);
    expect(candidates.body).toEqual([expect.objectContaining({ id: first.id, reasons: ['same_name_and_postal_code'] })]);
    await owner.post(`${base()}/contacts`, { firstName: 'Dupre', lastName: 'Jeanne', birthDate: '1984-05-17' }).expect(409);
    // A homonym elsewhere is not a duplicate.
    await owner.post(`${base()}/contacts`, { firstName: 'Jeanne', lastName: 'Dupré', postalCode: '13001', city: 'Marseille' }).expect(201);
    const forced = await owner.post(`${base()}/contacts`, { ...jeanne(), confirmNotDuplicate: true }).expect(201);
    expect(forced.body.reference).toBe('M000003');
    const dupes = await owner.get(`${base()}/contacts/${first.id}/duplicates`).expect(200);
    expect(dupes.body.map((d: { id: string }) => d.id)).toEqual([forced.body.id]);
  });

  it('checks custom fields against their definitions and filters on them', async () => {
    await owner.post(`${base()}/custom-fields`, { key: 'size', label: 'Taille de t-shirt', type: 'choice', options: ['S', 'M', 'L'] }).expect(201);
    await owner.post(`${base()}/custom-fields`, { key: 'skills', label: 'Compétences', type: 'multi_choice', options: ['cuisine', 'jardinage'] }).expect(201);
    await owner.post(`${base()}/custom-fields`, { key: 'volunteer', label: 'Bénévole', type: 'boolean' }).expect(201);
    const bad = await owner.post(`${base()}/contacts`, jeanne({ customFields: { size: 'XXL', nope: 'x' } })).expect(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['customFields.nope', 'customFields.size']);
    await owner.post(`${base()}/contacts`, jeanne({ customFields: { size: 'M', skills: ['jardinage'], volunteer: true } })).expect(201);
    await owner.post(`${base()}/contacts`, { firstName: 'Paul', lastName: 'Roux', customFields: { size: 'L', skills: ['cuisine', 'jardinage'], volunteer: 'non' } }).expect(201);
    const names = async (qs: string) => ((await owner.get(`${base()}/contacts?${qs}`).expect(200)).body as Page<ContactListItem>).items.map((i) => i.displayName);
    expect(await names('customField=size:M')).toEqual(['DUPRÉ Jeanne']);
    expect(await names('customField=skills:jardinage')).toEqual(['DUPRÉ Jeanne', 'ROUX Paul']);
    expect(await names('customField=volunteer:oui')).toEqual(['DUPRÉ Jeanne']);
    expect(await names('customField=volunteer:false&customField=size:L')).toEqual(['ROUX Paul']);
    const typeChange = await owner.get(`${base()}/custom-fields`).expect(200);
    const size = typeChange.body.find((f: { key: string }) => f.key === 'size');
    const removeUsed = await owner.put(`${base()}/custom-fields/${size.id}`, { key: 'size', label: 'Taille', type: 'choice', options: ['S', 'L'] }).expect(409);
    expect(removeUsed.body.errors[0]).toMatchObject({ field: 'options', code: 'contacts.custom_field_option_used' });
    // A retired field keeps the values already stored when a contact is edited.
    await owner.put(`${base()}/custom-fields/${size.id}`, { key: 'size', label: 'Taille', type: 'choice', options: ['S', 'M', 'L'], active: false }).expect(200);
    const jeanneId = (await owner.get(`${base()}/contacts?q=jeanne`).expect(200)).body.items[0].id;
    const edited = await owner.put(`${base()}/contacts/${jeanneId}`, jeanne({ customFields: { skills: ['cuisine'], volunteer: true } })).expect(200);
    expect(edited.body.customFields).toEqual({ size: 'M', skills: ['cuisine'], volunteer: true });
  });

  it('searches without accents or case, filters by tag and city, sorts and paginates', async () => {
    const volunteers = (await owner.post(`${base()}/tags`, { name: 'Bénévoles', color: '#2f855a' }).expect(201)).body;
    await owner.post(`${base()}/tags`, { name: 'bénévoles' }).expect(409);
    await owner.post(`${base()}/contacts`, jeanne({ tagIds: [volunteers.id] })).expect(201);
    await owner.post(`${base()}/contacts`, { firstName: 'Émile', lastName: 'Zola', city: 'Paris', postalCode: '75005' }).expect(201);
    await owner.post(`${base()}/contacts`, { firstName: 'Anaïs', lastName: 'Leroy', city: 'Lyon', postalCode: '69001', tagIds: [volunteers.id] }).expect(201);
    const list = async (qs: string) => (await owner.get(`${base()}/contacts?${qs}`).expect(200)).body as Page<ContactListItem>;
    expect((await list('q=EMILE')).items.map((i) => i.displayName)).toEqual(['ZOLA Émile']);
    expect((await list('q=dupre%20lyon')).items.map((i) => i.displayName)).toEqual(['DUPRÉ Jeanne']);
    expect((await list('q=0612345678')).total).toBe(1);
    expect((await list('q=M000003')).items.map((i) => i.displayName)).toEqual(['LEROY Anaïs']);
    expect((await list(`tagIds=${volunteers.id}`)).items.map((i) => i.displayName)).toEqual(['DUPRÉ Jeanne', 'LEROY Anaïs']);
    expect((await list('city=lyon&sort=-name')).items.map((i) => i.displayName)).toEqual(['LEROY Anaïs', 'DUPRÉ Jeanne']);
    const page = await list('limit=2&offset=2&sort=name');
    expect(page).toMatchObject({ total: 3, limit: 2, offset: 2 });
    expect(page.items.map((i) => i.displayName)).toEqual(['ZOLA Émile']);
    expect((await list('q=zz%25')).total).toBe(0);
    const badSort = await owner.get(`${base()}/contacts?sort=password`).expect(400);
    expect(badSort.body.errors[0].field).toBe('sort');
    const tags = await owner.get(`${base()}/tags`).expect(200);
    expect(tags.body).toEqual([expect.objectContaining({ name: 'Bénévoles', contactCount: 2, color: '#2f855a' })]);
  });

  it('links a household with one payer, and keeps contacts out of two households', async () => {
    const a = (await owner.post(`${base()}/contacts`, jeanne()).expect(201)).body as ContactView;
    const b = (await owner.post(`${base()}/contacts`, { firstName: 'Louis', lastName: 'Dupré', postalCode: '69003' }).expect(201)).body as ContactView;
    const c = (await owner.post(`${base()}/contacts`, { firstName: 'Nina', lastName: 'Petit' }).expect(201)).body as ContactView;
    const bad = await owner.post(`${base()}/households`, { name: 'Famille Dupré', memberIds: [a.id], payerContactId: b.id }).expect(400);
    expect(bad.body.errors[0].field).toBe('payerContactId');
    const household = (await owner.post(`${base()}/households`, { name: 'Famille Dupré', memberIds: [a.id, b.id], payerContactId: a.id }).expect(201)).body;
    expect(household.members.map((m: { displayName: string }) => m.displayName)).toEqual(['DUPRÉ Jeanne', 'DUPRÉ Louis']);
    const viewB = await owner.get(`${base()}/contacts/${b.id}`).expect(200);
    expect(viewB.body.household).toMatchObject({ id: household.id, payerContactId: a.id });
    await owner.post(`${base()}/households`, { name: 'Autre', memberIds: [b.id, c.id] }).expect(409);
    await owner.delete(`${base()}/households/${household.id}`).expect(204);
    expect((await owner.get(`${base()}/contacts/${a.id}`).expect(200)).body.household).toBeNull();
  });

  it('updates a contact with an audit of before and after', async () => {
    const a = (await owner.post(`${base()}/contacts`, jeanne()).expect(201)).body as ContactView;
    const updated = await owner.put(`${base()}/contacts/${a.id}`, jeanne({ city: 'Villeurbanne', postalCode: '69100' })).expect(200);
    expect(updated.body).toMatchObject({ city: 'Villeurbanne', reference: 'M000001' });
    const audit = await t.dataSource.getRepository(AuditLogEntity).findOneByOrFail({ organizationId: owner.orgId, action: 'contact.updated', entityId: a.id });
    expect(audit.before).toMatchObject({ city: 'Lyon' });
    expect(audit.after).toMatchObject({ city: 'Villeurbanne' });
    const confirm = await owner.put(`${base()}/contacts/${a.id}`, { ...jeanne(), confirmNotDuplicate: true }).expect(400);
    expect(confirm.body.errors[0].field).toBe('confirmNotDuplicate');
  });

  it('saves filters, private or shared with the team', async () => {
    const admin = await addUser(t, owner, 'admin');
    await owner.post(`${base()}/saved-filters`, { name: 'Lyonnais', filter: { city: 'Lyon', statuses: ['active'] } }).expect(201);
    const mine = (await owner.post(`${base()}/saved-filters`, { name: 'Brouillon', filter: { q: 'x' }, shared: false }).expect(201)).body;
    const seenByAdmin = await admin.get(`${base()}/saved-filters`).expect(200);
    expect(seenByAdmin.body).toEqual([expect.objectContaining({ name: 'Lyonnais', filter: { city: 'Lyon', statuses: ['active'] }, mine: false })]);
    await admin.delete(`${base()}/saved-filters/${mine.id}`).expect(404);
    await owner.delete(`${base()}/saved-filters/${mine.id}`).expect(204);
  });

  it('keeps every organization to its own contacts, and members of the organization out', async () => {
    const a = (await owner.post(`${base()}/contacts`, jeanne()).expect(201)).body as ContactView;
    const tag = (await owner.post(`${base()}/tags`, { name: 'CA' }).expect(201)).body;
    const other = await signupOrganization(t, 'Autre association');
    const otherBase = `/api/v1/orgs/${other.orgId}`;
    await other.get(`${base()}/contacts`).expect(404);
    await other.get(`${otherBase}/contacts/${a.id}`).expect(404);
    await other.put(`${otherBase}/contacts/${a.id}`, jeanne()).expect(404);
    // Pointing at another organization's tag or household is refused.
    const stolen = await other.post(`${otherBase}/contacts`, jeanne({ tagIds: [tag.id] })).expect(422);
    expect(stolen.body.errors[0].field).toBe('tagIds');
    await other.post(`${otherBase}/households`, { name: 'X', memberIds: [a.id] }).expect(422);
    expect((await other.get(`${otherBase}/contacts`).expect(200)).body.total).toBe(0);
    const member = await addUser(t, owner, 'member');
    await member.get(`${base()}/contacts`).expect(403);
    await member.post(`${base()}/contacts`, jeanne()).expect(403);
    const coordinator = await addUser(t, owner, 'coordinator');
    await coordinator.post(`${base()}/contacts`, jeanne({ email: 'autre@example.org', confirmNotDuplicate: true })).expect(201);
  });
});
