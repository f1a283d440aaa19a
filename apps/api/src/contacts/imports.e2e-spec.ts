import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import request from 'supertest';
import type { ContactListItem, ImportRowView, ImportView, Page } from '@ruche/contracts';
import { AuditLogEntity } from '@ruche/platform';
import { FixedClock, signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import { createTestApi } from '../testing';

/** A member list as French secretaries keep it: Excel's Windows-1252 CSV, `;`, dates DD/MM/YYYY, a quoted line break. */
const MESSY_CSV = [
  "Civilité;Nom;Prénom;E-mail;Date de naissance;Code postal;Ville;Taille;Groupes;Formule;Date d'adhésion;Montant",
  'Mme;Dupré;Élodie;elodie.dupre@example.org;17/05/1984;69003;Lyon;M;Bénévoles;Adhésion annuelle;15/01/2026;30,00',
  'M.;Nguyễn;Minh;minh@example.org;03/02/1990;69007;Lyon;L;;Adhésion annuelle;01/02/2026;30',
  'M;Martin;Paul;pas-un-email;01/01/1970;75011;Paris;S;;;;',
  'Mme;Leroy;Anaïs;anais.leroy@example.org;31/02/1988;69001;Lyon;;;;;',
  'M.;Roux;"Jean\nLouis";jl.roux@example.org;;13001;Marseille;L;;;;',
  'Mme;DUPRE;elodie;ELODIE.DUPRE@example.org;;;;;;;;',
  'M.;Garnier;Hugo;hugo.garnier@example.org;;38000;Grenoble;;Bénévoles, Conseil;Inconnue;01/03/2026;20',
].join('\r\n');

describe('contact imports through the API', () => {
  let t: TestApp;
  let owner: TestSession;
  const base = () => `/api/v1/orgs/${owner.orgId}`;

  beforeAll(async () => {
    t = await createTestApi({ clock: new FixedClock(new Date('2026-03-10T10:00:00Z')) });
  });
  beforeEach(async () => {
    owner = await signupOrganization(t, 'Maison des Associations');
  });
  afterAll(() => t.close());

  function upload(bytes: Buffer, fileName: string, contentType = 'text/csv') {
    return request(t.app.getHttpServer())
      .post(`${base()}/imports`)
      .set('cookie', owner.cookie)
      .set('x-csrf-token', owner.csrf)
      .set('content-type', contentType)
      .set('x-file-name', encodeURIComponent(fileName))
      .send(bytes);
  }

  async function runAndWait(id: string, mode: 'dry_run' | 'apply'): Promise<ImportView> {
    await owner.post(`${base()}/imports/${id}/run`, { mode }).expect(202);
    for (let i = 0; i < 200; i++) {
      await t.queue.drain(10_000);
      const view = (await owner.get(`${base()}/imports/${id}`).expect(200)).body as ImportView;
      if (view.status === 'done' || view.status === 'failed') return view;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('import did not finish');
  }

  const contactsCount = async () =>
    (
      await t.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM contacts WHERE organization_id = $1',
        [owner.orgId],
      )
    )[0].n;

  async function prepare(): Promise<{ planId: string }> {
    await owner
      .post(`${base()}/custom-fields`, {
        key: 'taille',
        label: 'Taille',
        type: 'choice',
        options: ['S', 'M', 'L'],
      })
      .expect(201);
    const plan = await owner
      .post(`${base()}/membership-plans`, {
        name: 'Adhésion annuelle',
        pricingKind: 'fixed',
        tiers: [{ code: 'std', label: 'Standard', amount: '30' }],
        validityKind: 'calendar_year',
      })
      .expect(201);
    return { planId: plan.body.id };
  }

  it('reads a Windows-1252 CSV, maps its columns, dry-runs without writing, then imports with a report of every row', async () => {
    await prepare();
    // Already in the books: Élodie's row completes her, it does not duplicate her.
    await owner
      .post(`${base()}/contacts`, {
        firstName: 'Élodie',
        lastName: 'Dupré',
        email: 'elodie.dupre@example.org',
      })
      .expect(201);
    const uploaded = (
      await upload(
        iconv.encode(MESSY_CSV.replace('Nguyễn', 'Nguyen'), 'windows-1252'),
        'adhérents 2026.csv',
      ).expect(201)
    ).body as ImportView;
    expect(uploaded).toMatchObject({
      fileName: 'adhérents 2026.csv',
      format: 'csv',
      encoding: 'windows-1252',
      delimiter: ';',
      rowCount: 7,
      status: 'uploaded',
    });
    expect(uploaded.headers[0]).toBe('Civilité');
    expect(uploaded.sample[4][2]).toBe('Jean\nLouis');
    expect(uploaded.suggestedColumns).toEqual({
      '0': 'civility',
      '1': 'lastName',
      '2': 'firstName',
      '3': 'email',
      '4': 'birthDate',
      '5': 'postalCode',
      '6': 'city',
      '7': 'custom:taille',
      '8': 'tags',
      '9': 'membershipPlan',
      '10': 'membershipStartDate',
      '11': 'membershipAmount',
    });
    const noName = await owner
      .put(`${base()}/imports/${uploaded.id}/mapping`, { columns: { '6': 'city' } })
      .expect(400);
    expect(noName.body.errors[0]).toMatchObject({
      field: 'columns',
      message: 'Map at least a name or an email column',
    });
    await owner
      .put(`${base()}/imports/${uploaded.id}/mapping`, {
        columns: { ...uploaded.suggestedColumns, '40': 'notes' },
      })
      .expect(422);
    await owner
      .put(`${base()}/imports/${uploaded.id}/mapping`, {
        columns: uploaded.suggestedColumns,
        dateOrder: 'dmy',
      })
      .expect(200);

    const before = await contactsCount();
    const dry = await runAndWait(uploaded.id, 'dry_run');
    expect(dry).toMatchObject({ status: 'done', mode: 'dry_run', processedRows: 7 });
    expect(dry.counts).toEqual({
      created: 2,
      updated: 1,
      duplicate: 1,
      rejected: 3,
      membershipsCreated: 2,
    });
    expect(await contactsCount()).toBe(before);

    const applied = await runAndWait(uploaded.id, 'apply');
    expect(applied.counts).toEqual({
      created: 2,
      updated: 1,
      duplicate: 1,
      rejected: 3,
      membershipsCreated: 2,
    });
    expect(await contactsCount()).toBe(before + 2);
    const report = (await owner.get(`${base()}/imports/${uploaded.id}/rows?limit=50`).expect(200))
      .body as Page<ImportRowView>;
    expect(report.items.map((r) => [r.rowNumber, r.outcome, r.label])).toEqual([
      [2, 'updated', 'Dupré Élodie'],
      [3, 'created', 'Nguyen Minh'],
      [4, 'rejected', 'Martin Paul'],
      [5, 'rejected', 'Leroy Anaïs'],
      [6, 'created', 'Roux Jean\nLouis'],
      [7, 'duplicate', 'DUPRE elodie'],
      [8, 'rejected', 'Garnier Hugo'],
    ]);
    const rejected = (
      await owner.get(`${base()}/imports/${uploaded.id}/rows?outcome=rejected`).expect(200)
    ).body as Page<ImportRowView>;
    expect(rejected.items.map((r) => [r.rowNumber, r.messages[0]])).toEqual([
      [4, { field: 'email', message: 'Invalid email address' }],
      [5, { field: 'birthDate', message: '"31/02/1988" is not a date (DD/MM/YYYY)' }],
      [8, { field: 'membershipPlan', message: 'No plan named "Inconnue"' }],
    ]);
    expect(report.total).toBe(7);
    const list = (await owner.get(`${base()}/contacts?sort=name`).expect(200))
      .body as Page<ContactListItem>;
    expect(
      list.items.map((c) => [c.displayName, c.status, c.tags.map((x) => x.name).join('|')]),
    ).toEqual([
      ['DUPRÉ Élodie', 'active', 'Bénévoles'],
      ['NGUYEN Minh', 'active', ''],
      ['ROUX Jean\nLouis', null, ''],
    ]);
    const [{ n: entries }] = await t.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM journal_entries WHERE organization_id = $1',
      [owner.orgId],
    );
    expect(entries).toBe(0); // history, not new money: the old books hold it
    const audit = await t.dataSource
      .getRepository(AuditLogEntity)
      .findOneByOrFail({
        organizationId: owner.orgId,
        action: 'contacts.imported',
        entityId: uploaded.id,
      });
    expect(audit.after).toMatchObject({ created: 2, rejected: 3 });

    // The same file again: nothing new.
    const again = await runAndWait(uploaded.id, 'apply');
    expect(again.counts).toEqual({
      created: 0,
      updated: 0,
      duplicate: 4,
      rejected: 3,
      membershipsCreated: 0,
    });
    expect(await contactsCount()).toBe(before + 2);
  });

  it('imports an XLSX sheet with real date cells and a full-name column', async () => {
    const { planId } = await prepare();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Membres');
    sheet.addRow(['Nom complet', 'Courriel', 'Adhésion le', 'Montant']);
    sheet.addRow(['MARTIN Jeanne', 'jeanne@example.org', new Date(Date.UTC(2026, 0, 20)), 30]);
    sheet.addRow(['Paul Petit', 'paul@example.org', new Date(Date.UTC(2026, 1, 3)), '30,00']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const uploaded = (
      await upload(
        bytes,
        'membres.xlsx',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ).expect(201)
    ).body as ImportView;
    expect(uploaded).toMatchObject({
      format: 'xlsx',
      encoding: null,
      rowCount: 2,
      headers: ['Nom complet', 'Courriel', 'Adhésion le', 'Montant'],
    });
    expect(uploaded.sample[0]).toEqual(['MARTIN Jeanne', 'jeanne@example.org', '2026-01-20', '30']);
    const noPlan = await owner
      .put(`${base()}/imports/${uploaded.id}/mapping`, { columns: uploaded.suggestedColumns })
      .expect(200);
    expect(noPlan.body.suggestedColumns).toEqual({
      '0': 'fullName',
      '1': 'email',
      '2': 'membershipStartDate',
      '3': 'membershipAmount',
    });
    const withoutPlan = await runAndWait(uploaded.id, 'dry_run');
    expect(withoutPlan.counts?.rejected).toBe(2);
    await owner
      .put(`${base()}/imports/${uploaded.id}/mapping`, {
        columns: uploaded.suggestedColumns,
        defaultPlanId: planId,
      })
      .expect(200);
    const done = await runAndWait(uploaded.id, 'apply');
    expect(done.counts).toEqual({
      created: 2,
      updated: 0,
      duplicate: 0,
      rejected: 0,
      membershipsCreated: 2,
    });
    const names = (
      (await owner.get(`${base()}/contacts?sort=name`).expect(200)).body as Page<ContactListItem>
    ).items.map((c) => [c.displayName, c.memberSince]);
    expect(names).toEqual([
      ['MARTIN Jeanne', '2026-01-20'],
      ['PETIT Paul', '2026-02-03'],
    ]);
  });

  it('refuses empty, header-only and non-table files with the reason on the file', async () => {
    const empty = await upload(Buffer.alloc(0), 'vide.csv').expect((res) =>
      expect([400, 422]).toContain(res.status),
    );
    expect(empty.body.errors[0].field).toMatch(/file|body/);
    const header = await upload(Buffer.from('Nom;Prénom\r\n'), 'entete.csv').expect(422);
    expect(header.body.errors[0]).toMatchObject({
      field: 'file',
      message: 'The file has a header line but no rows',
    });
    const pdf = await upload(
      Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'),
      'statuts.pdf',
      'application/octet-stream',
    ).expect(422);
    expect(pdf.body.errors[0]).toMatchObject({
      field: 'file',
      message: 'This is not a CSV or XLSX file',
    });
    const zip = await upload(
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]),
      'faux.xlsx',
      'application/octet-stream',
    ).expect(422);
    expect(zip.body.errors[0].field).toBe('file');
    // Read again with another separator: new columns, and the mapping is forgotten.
    const commas = (
      await upload(Buffer.from('Nom,Prénom\r\nDupont,Jean\r\n'), 'virgules.csv').expect(201)
    ).body as ImportView;
    expect(commas).toMatchObject({ delimiter: ',', headers: ['Nom', 'Prénom'] });
    await owner
      .put(`${base()}/imports/${commas.id}/mapping`, {
        columns: { '0': 'lastName', '1': 'firstName' },
      })
      .expect(200);
    const reread = await owner
      .put(`${base()}/imports/${commas.id}/reading`, { encoding: 'utf-8', delimiter: ';' })
      .expect(200);
    expect(reread.body).toMatchObject({
      delimiter: ';',
      headers: ['Nom,Prénom'],
      mapping: null,
      status: 'uploaded',
    });
    const other = await signupOrganization(t, 'Autre');
    const mine = (await upload(Buffer.from('Nom\r\nDupont\r\n'), 'a.csv').expect(201))
      .body as ImportView;
    await other.get(`/api/v1/orgs/${other.orgId}/imports/${mine.id}`).expect(404);
    await other
      .post(`/api/v1/orgs/${other.orgId}/imports/${mine.id}/run`, { mode: 'apply' })
      .expect(404);
  });

  it('exports the filtered list as CSV and XLSX, with formula-like cells neutralized', async () => {
    await owner
      .post(`${base()}/contacts`, {
        firstName: '=HYPERLINK("http://evil")',
        lastName: 'Piège',
        city: 'Lyon',
      })
      .expect(201);
    await owner
      .post(`${base()}/contacts`, {
        firstName: 'Zoé',
        lastName: 'Lefèvre',
        city: 'Paris',
        email: 'zoe@example.org',
      })
      .expect(201);
    const csv = await owner.get(`${base()}/contacts/export?format=csv&city=Lyon`).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(
      /attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const text = csv.text.replace(/^\uFEFF/, '');
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0].startsWith('Référence;Type;Civilité;Nom;Prénom')).toBe(true);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    const xlsx = await request(t.app.getHttpServer())
      .get(`${base()}/contacts/export?format=xlsx&sort=-name`)
      .set('cookie', owner.cookie)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const book = new ExcelJS.Workbook();
    const bytes = xlsx.body as Buffer;
    await book.xlsx.load(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    );
    const rows = book.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
    expect(rows).toHaveLength(3);
    expect(rows[1][4]).toBe('Piège');
    expect(rows[2][4]).toBe('Lefèvre');
    expect(rows[1][5]).toBe(`'=HYPERLINK("http://evil")`);
    const member = await signupOrganization(t, 'Autre encore');
    await member.get(`${base()}/contacts/export?format=csv`).expect(404);
  });
});
