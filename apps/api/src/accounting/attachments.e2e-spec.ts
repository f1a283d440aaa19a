import { createHash } from 'node:crypto';
import request from 'supertest';
import { signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import { createTestApi } from '../testing';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

describe('entry attachments (supporting documents)', () => {
  let t: TestApp;
  let owner: TestSession;
  const base = () => `/api/v1/orgs/${owner.orgId}/accounting`;
  const newEntry = async (post: boolean) =>
    (
      await owner
        .post(`${base()}/entries`, { journal: 'HA', date: '2026-04-02', label: 'Facture imprimeur', lines: [{ account: '6064', debit: '120' }, { account: '5121', credit: '120' }], post })
        .expect(201)
    ).body as { id: string };
  const raw = (session: TestSession, url: string) => request(t.app.getHttpServer()).post(url).set('cookie', session.cookie).set('x-csrf-token', session.csrf);
  const upload = (entryId: string, body: Buffer, type = 'application/pdf', name = encodeURIComponent('Facture n°42 – imprimeur.pdf')) =>
    raw(owner, `${base()}/entries/${entryId}/attachments`).set('content-type', type).set('x-file-name', name).send(body);

  beforeAll(async () => {
    t = await createTestApi();
    owner = await signupOrganization(t, 'Atelier photo');
  });
  afterAll(() => t.close());

  it('stores the file with its entry and gives it back byte for byte', async () => {
    const entry = await newEntry(true);
    const res = await upload(entry.id, PDF).expect(201);
    expect(res.body).toMatchObject({ entryId: entry.id, fileName: 'Facture n°42 – imprimeur.pdf', contentType: 'application/pdf', sizeBytes: PDF.length, sha256: createHash('sha256').update(PDF).digest('hex') });
    const list = await owner.get(`${base()}/entries/${entry.id}/attachments`).expect(200);
    expect(list.body).toHaveLength(1);
    const download = await owner
      .get(`${base()}/entries/${entry.id}/attachments/${res.body.id}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('Facture n°42 – imprimeur.pdf')}`);
    expect(Buffer.compare(download.body as Buffer, PDF)).toBe(0);
  });

  it('keeps the documents of a posted entry: no deletion, not even in the database', async () => {
    const entry = await newEntry(true);
    const file = (await upload(entry.id, PDF).expect(201)).body as { id: string };
    const refused = await owner.delete(`${base()}/entries/${entry.id}/attachments/${file.id}`).expect(409);
    expect(refused.body.code).toBe('accounting.entry_posted');
    await expect(t.dataSource.query('DELETE FROM entry_attachments WHERE id = $1', [file.id])).rejects.toThrow(/part of the record/);
  });

  it('lets a draft lose a document', async () => {
    const entry = await newEntry(false);
    const file = (await upload(entry.id, Buffer.from('ticket de caisse'), 'text/plain', 'ticket.txt').expect(201)).body as { id: string };
    await owner.delete(`${base()}/entries/${entry.id}/attachments/${file.id}`).expect(204);
    expect((await owner.get(`${base()}/entries/${entry.id}/attachments`).expect(200)).body).toEqual([]);
  });

  it('refuses other file types, empty or nameless files, and files over 10 MB', async () => {
    const entry = await newEntry(false);
    await upload(entry.id, Buffer.from('<html>'), 'text/html').expect(415);
    const empty = await upload(entry.id, Buffer.alloc(0)).expect(422);
    expect(empty.body.errors[0]).toMatchObject({ field: 'body', code: 'accounting.attachment_empty' });
    const nameless = await upload(entry.id, PDF, 'application/pdf', '').expect(422);
    expect(nameless.body.errors[0]).toMatchObject({ field: 'x-file-name' });
    await upload(entry.id, Buffer.alloc(10 * 1024 * 1024 + 1, 1)).expect(413);
    const [{ n }] = await t.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM entry_attachments WHERE entry_id = $1', [entry.id]);
    expect(n).toBe(0);
  });

  it('keeps another organization out', async () => {
    const entry = await newEntry(true);
    const file = (await upload(entry.id, PDF).expect(201)).body as { id: string };
    const other = await signupOrganization(t, 'Autre atelier');
    const otherBase = `/api/v1/orgs/${other.orgId}/accounting`;
    await other.get(`${otherBase}/entries/${entry.id}/attachments`).expect(404);
    await other.get(`${otherBase}/entries/${entry.id}/attachments/${file.id}`).expect(404);
    await raw(other, `${otherBase}/entries/${entry.id}/attachments`).set('content-type', 'application/pdf').set('x-file-name', 'x.pdf').send(PDF).expect(404);
  });
});
