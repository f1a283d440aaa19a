import fc from 'fast-check';
import { existsSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import { createTestApi } from '../testing';
import { bankAccount, camt } from '../reconciliation/bank.test-support';
import { HOSTILE_FILE_NAMES, hostileString } from './fuzz.test-support';

/**
 * Hostile file names on every upload of the API that takes one (`x-file-name`): entry
 * attachments, contact imports, bank statements. The FEC import and the receipt signature take no
 * name. Whatever the name (traversal, absolute, NUL, CR/LF, bidi override, Windows separators,
 * very long, broken escapes), the upload is stored in the database, never as a file named by the
 * client; the name given back is a plain name; nothing appears or changes on disk.
 */

jest.setTimeout(120_000);

const SEED = process.env['FUZZ_SEED']
  ? Number(process.env['FUZZ_SEED'])
  : Math.floor(Math.random() * 2_147_483_647);

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

/** A name given back is plain: no separator, no control or bidi character, no lone surrogate, not "." or "..". */
function plainNameProblems(name: string, max: number): string[] {
  const problems: string[] = [];
  const chars = Array.from(name);
  if (name === '' || /^\.+$/.test(name)) problems.push('empty or dots only');
  if (chars.length > max) problems.push(`over ${max} characters`);
  for (const c of chars) {
    const cp = c.codePointAt(0) ?? 0;
    if (c === '/' || c === '\\') problems.push(`separator ${c}`);
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) problems.push(`control U+${cp.toString(16)}`);
    if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
      problems.push('bidi override');
    if (cp >= 0xd800 && cp <= 0xdfff) problems.push('lone surrogate');
  }
  return problems;
}

/** Where a careless server would have written each name: these must not appear, or change if they exist. */
function candidatePaths(names: readonly string[], bases: readonly string[]): string[] {
  const out = new Set<string>();
  for (const name of names)
    for (const variant of [name, name.replace(/\\/g, '/'), name.split('\u0000')[0]])
      for (const base of bases) if (variant) out.add(path.resolve(base, variant));
  return [...out].filter((p) => p.length < 4000);
}

/** What an upload answered, and what the API gives back when asked again. */
interface Uploaded {
  status: number;
  body?: Record<string, unknown>;
  name?: string;
  again?: string;
  /** Attachments only: the download's header and bytes. */
  disposition?: string;
  downloaded?: Buffer;
}

function decoded(header: string): string {
  try {
    return decodeURIComponent(header);
  } catch {
    return header;
  }
}

function stamp(file: string): string {
  if (!existsSync(file)) return 'absent';
  const s = statSync(file);
  return `${s.isDirectory() ? 'dir' : 'file'} ${s.size} ${s.mtimeMs}`;
}

function listTree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe('file names of uploads: traversal, absolute paths, NUL, long, Windows separators', () => {
  let t: TestApp;
  let owner: TestSession;
  let draftId: string;
  let bankId: string;
  let statementNo = 0;
  const staff = () => `/api/v1/orgs/${owner.orgId}`;
  /** The names as the API decoded them (the raw header when it is not URL-encoded). */
  const sent: string[] = [];
  const suiteStarted = Date.now();
  let before = new Map<string, string>();
  const bases = () => [t.config.dataDir, process.cwd(), os.tmpdir(), '/'];

  beforeAll(async () => {
    t = await createTestApi();
    owner = await signupOrganization(t, 'Association des Téléversements');
    draftId = (
      (
        await owner
          .post(`${staff()}/accounting/entries`, {
            journal: 'HA',
            date: new Date().toISOString().slice(0, 10),
            label: 'Facture imprimeur',
            lines: [
              { account: '6064', debit: '120' },
              { account: '5121', credit: '120' },
            ],
            post: false,
          })
          .expect(201)
      ).body as { id: string }
    ).id;
    bankId = (await bankAccount(owner)).id;
    // Files only: directories such as /tmp change all the time on a shared machine.
    before = new Map(
      candidatePaths(HOSTILE_FILE_NAMES, bases())
        .filter((p) => !existsSync(p) || statSync(p).isFile())
        .map((p) => [p, stamp(p)]),
    );
    process.stdout.write(`upload names: seed ${SEED} (replay with FUZZ_SEED=${SEED})\n`);
  });
  afterAll(() => t.close());

  const send = (url: string, contentType: string, body: Buffer, fileName: string) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: owner.cookie,
        'x-csrf-token': owner.csrf,
        'content-type': contentType,
        'x-file-name': fileName,
      },
      payload: body,
    });

  /** The three uploads: what they answer, and the name the API gives back when asked again. */
  const targets = {
    'entry attachment': {
      max: 200,
      async upload(fileName: string): Promise<Uploaded> {
        const res = await send(
          `${staff()}/accounting/entries/${draftId}/attachments`,
          'application/pdf',
          PDF,
          fileName,
        );
        if (res.statusCode !== 201)
          return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
        const created = res.json<{ id: string; fileName: string }>();
        const listed = (
          await owner.get(`${staff()}/accounting/entries/${draftId}/attachments`).expect(200)
        ).body as { id: string; fileName: string }[];
        const download = await t.app.inject({
          method: 'GET',
          url: `${staff()}/accounting/entries/${draftId}/attachments/${created.id}`,
          headers: { cookie: owner.cookie },
        });
        return {
          status: 201,
          name: created.fileName,
          again: listed.find((a) => a.id === created.id)?.fileName,
          disposition: String(download.headers['content-disposition']),
          downloaded: download.rawPayload,
        };
      },
    },
    'contact import': {
      max: 255,
      async upload(fileName: string): Promise<Uploaded> {
        const csv = Buffer.from('Nom;Prénom;E-mail\r\nDurand;Léa;lea@example.org\r\n', 'utf8');
        const res = await send(`${staff()}/imports`, 'text/csv', csv, fileName);
        if (res.statusCode !== 201)
          return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
        const created = res.json<{ id: string; fileName: string }>();
        const again = (await owner.get(`${staff()}/imports/${created.id}`).expect(200)).body as {
          fileName: string;
        };
        return { status: 201, name: created.fileName, again: again.fileName };
      },
    },
    'bank statement': {
      max: 255,
      async upload(fileName: string): Promise<Uploaded> {
        statementNo++;
        const day = new Date().toISOString().slice(0, 10);
        const file = camt(
          [{ amount: '1.00', cdi: 'CRDT', ref: `N${statementNo}`, label: 'VIR', day }],
          `${statementNo}.00`,
          `${statementNo + 1}.00`,
          day,
        );
        const res = await send(
          `${staff()}/bank-accounts/${bankId}/statements`,
          'application/xml',
          file,
          fileName,
        );
        if (res.statusCode !== 201)
          return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
        const created = res.json<{ statements: { id: string; fileName: string }[] }>()
          .statements[0];
        const listed = (
          await owner.get(`${staff()}/bank-accounts/${bankId}/statements`).expect(200)
        ).body as { id: string; fileName: string }[];
        return {
          status: 201,
          name: created.fileName,
          again: listed.find((s) => s.id === created.id)?.fileName,
        };
      },
    },
  };

  const nameHeader = fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .constantFrom(...HOSTILE_FILE_NAMES)
        .map((n) => encodeURIComponent(n.replace(/[\uD800-\uDFFF]/g, '\uFFFD'))),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...HOSTILE_FILE_NAMES.filter((n) => /^[\x20-\x7e]*$/.test(n))),
    },
    {
      weight: 2,
      arbitrary: hostileString.map((n) =>
        encodeURIComponent(n.replace(/[\uD800-\uDFFF]/g, '\uFFFD')).slice(0, 6000),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '%',
        '%E0%A4%A',
        '%ZZ.pdf',
        '..%2F..%2Fetc%2Fpasswd',
        '%2e%2e%5c%2e%2e%5cwin.ini',
        '%C0%AE%C0%AE%2Fpasswd',
      ),
    },
  );

  it.each(Object.keys(targets) as (keyof typeof targets)[])(
    '%s: the name given back is a plain name, the same every time',
    async (target) => {
      const { max, upload } = targets[target];
      let stored = 0;
      await fc.assert(
        fc.asyncProperty(nameHeader, async (header) => {
          sent.push(decoded(header));
          const res = await upload(header);
          expect(res.status).toBeLessThan(500);
          if (res.status !== 201) {
            // Only a name that says nothing is refused, and the refusal names the header.
            expect(res).toMatchObject({
              status: 422,
              body: { errors: [expect.objectContaining({ field: 'x-file-name' })] },
            });
            return;
          }
          stored++;
          const name = res.name ?? '';
          expect({ header, problems: plainNameProblems(name, max) }).toEqual({
            header,
            problems: [],
          });
          expect(res.again).toBe(name);
          if (res.downloaded) {
            expect(res.disposition).toBe(
              `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
            );
            expect(Buffer.compare(res.downloaded, PDF)).toBe(0);
          }
        }),
        { seed: SEED, numRuns: 60 },
      );
      expect(stored).toBeGreaterThan(30);
    },
  );

  it('keeps readable names as they were, and turns the classic traversals into plain names', async () => {
    for (const [header, expected] of [
      [encodeURIComponent('Facture n°42 – imprimeur.pdf'), 'Facture n°42 – imprimeur.pdf'],
      [encodeURIComponent('../../etc/passwd'), '.._.._etc_passwd'],
      [encodeURIComponent('/etc/passwd'), '_etc_passwd'],
      [encodeURIComponent('..\\..\\windows\\win.ini'), '.._.._windows_win.ini'],
      [encodeURIComponent('C:\\Windows\\System32\\evil.pdf'), 'C:_Windows_System32_evil.pdf'],
      [encodeURIComponent('evil\u0000.pdf.exe'), 'evil.pdf.exe'],
      [encodeURIComponent('\u202Efdp.exe'), 'fdp.exe'],
      [encodeURIComponent('a'.repeat(1000)), 'a'.repeat(200)],
    ] as const) {
      const res = await targets['entry attachment'].upload(header);
      expect({ header, name: res.name }).toEqual({ header, name: expected });
    }
    const dots = await targets['entry attachment'].upload('..');
    expect(dots).toMatchObject({
      status: 422,
      body: { code: 'accounting.attachment_name', errors: [{ field: 'x-file-name' }] },
    });
    expect((await targets['contact import'].upload(encodeURIComponent('../../'))).name).toBe(
      '.._.._',
    );
    expect((await targets['bank statement'].upload(encodeURIComponent('\u0000'))).name).toBe(
      'releve',
    );
  });

  it('wrote nothing on disk: no file where the names point, nothing in the data directory', () => {
    // The fixed names: every path they point to is as it was before the uploads (/etc/passwd included).
    const changed = [...before].filter(([p, was]) => stamp(p) !== was);
    expect(changed).toEqual([]);
    // The generated names: no file at their paths younger than this test file.
    const fresh = candidatePaths(sent, bases()).filter(
      (p) => existsSync(p) && statSync(p).isFile() && statSync(p).mtimeMs >= suiteStarted,
    );
    expect(fresh).toEqual([]);
    // The uploads live in the database; the data directory holds none of them.
    expect(listTree(t.config.dataDir)).toEqual([]);
    expect(sent.length).toBeGreaterThan(150);
  });
});
