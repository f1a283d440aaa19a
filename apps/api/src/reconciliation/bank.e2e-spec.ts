import request from 'supertest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  BankAccountView,
  BankLineView,
  CsvPreviewView,
  Page,
  StatementImportView,
} from '@ruche/contracts';
import { signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import { createTestApi } from '../testing';
import { IBAN, bankAccount, camt, upload as uploadTo } from './bank.test-support';

const FIXTURES = join(__dirname, '../../../../libs/testing/fixtures/bank-statements');
describe('bank accounts and statement imports', () => {
  let t: TestApp;
  let owner: TestSession;
  const staff = () => `/api/v1/orgs/${owner.orgId}`;

  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    owner = await signupOrganization(t, 'Banque alimentaire du quartier');
  });

  const account = () => bankAccount(owner);
  const upload = (id: string, bytes: Buffer, name = 'releve.xml', session: TestSession = owner) =>
    uploadTo(t, session, id, bytes, name);

  it('checks the IBAN and the ledger account of a new bank account', async () => {
    const badIban = await owner
      .post(`${staff()}/bank-accounts`, {
        name: 'Compte',
        iban: 'FR76 3000 6000 0112 3456 7890 180',
        accountNumber: '5121',
      })
      .expect(400);
    expect(badIban.body.errors[0].field).toBe('iban');
    const notBank = await owner
      .post(`${staff()}/bank-accounts`, { name: 'Compte', iban: IBAN, accountNumber: '530' })
      .expect(422);
    expect(notBank.body.errors[0].field).toBe('accountNumber');
    const created = await account();
    expect(created).toMatchObject({
      iban: IBAN,
      bic: 'AGRIFRPP',
      accountNumber: '5121',
      unmatchedLines: 0,
    });
    await owner
      .post(`${staff()}/bank-accounts`, { name: 'Doublon', iban: IBAN, accountNumber: '5121' })
      .expect(409);
  });

  it('imports a statement once: the same file again, or an overlapping one, adds nothing twice', async () => {
    const bank = await account();
    const march = camt(
      [
        {
          amount: '25.00',
          cdi: 'CRDT',
          ref: 'R1',
          label: 'VIR COTISATION MARTIN',
          day: '2026-03-02',
        },
        { amount: '50.00', cdi: 'CRDT', ref: 'R2', label: 'VIR DON DURAND', day: '2026-03-03' },
        {
          amount: '4.50',
          cdi: 'DBIT',
          ref: 'R3',
          label: 'FRAIS TENUE DE COMPTE',
          day: '2026-03-05',
        },
      ],
      '100.00',
      '170.50',
    );
    const first = (await upload(bank.id, march).expect(201)).body as StatementImportView;
    expect(first).toMatchObject({ lines: 3, newLines: 3, duplicates: 0 });
    expect(first.statements[0]).toMatchObject({
      format: 'camt.053',
      openingBalanceCents: 10000,
      closingBalanceCents: 17050,
      problems: [],
    });
    const again = (await upload(bank.id, march).expect(201)).body as StatementImportView;
    expect(again).toMatchObject({ lines: 3, newLines: 0, duplicates: 3 });
    const overlap = camt(
      [
        {
          amount: '4.50',
          cdi: 'DBIT',
          ref: 'R3',
          label: 'FRAIS TENUE DE COMPTE',
          day: '2026-03-05',
        },
        { amount: '12.00', cdi: 'CRDT', ref: 'R4', label: 'VIR DON PETIT', day: '2026-03-06' },
      ],
      '175.00',
      '182.50',
    );
    const third = (await upload(bank.id, overlap, 'releve-2.xml').expect(201))
      .body as StatementImportView;
    expect(third).toMatchObject({ lines: 2, newLines: 1, duplicates: 1 });
    const lines = (
      await owner.get(`${staff()}/bank-accounts/${bank.id}/lines?status=unmatched`).expect(200)
    ).body as Page<BankLineView>;
    expect(lines.total).toBe(4);
    expect(lines.items.map((l) => l.amountCents).sort((a, b) => a - b)).toEqual([
      -450, 1200, 2500, 5000,
    ]);
    const accounts = (await owner.get(`${staff()}/bank-accounts`).expect(200))
      .body as BankAccountView[];
    expect(accounts[0]).toMatchObject({ unmatchedLines: 4, lastClosingBalanceCents: 18250 });
    const statements = (
      await owner.get(`${staff()}/bank-accounts/${bank.id}/statements`).expect(200)
    ).body as unknown[];
    expect(statements).toHaveLength(3);
    const badDay = await owner
      .get(`${staff()}/bank-accounts/${bank.id}/lines?from=2026-02-30`)
      .expect(400);
    expect(badDay.body.errors[0].field).toBe('from');
  });

  it('reports balances that do not add up, refuses another account’s file and what is not a statement', async () => {
    const bank = await account();
    const wrong = camt(
      [{ amount: '10.00', cdi: 'CRDT', ref: 'X1', label: 'VIR', day: '2026-03-02' }],
      '100.00',
      '120.00',
    );
    const res = (await upload(bank.id, wrong).expect(201)).body as StatementImportView;
    expect(res.statements[0].problems[0]).toContain('closing balance is 12000');
    const other = Buffer.from(wrong.toString('utf8').replace(IBAN, 'DE89370400440532013000'));
    const refused = await upload(bank.id, other).expect(422);
    expect(refused.body).toMatchObject({ code: 'bank.other_account' });
    expect(refused.body.errors[0].field).toBe('file');
    const junk = await upload(bank.id, Buffer.from('bonjour\n'), 'x.txt').expect(422);
    expect(junk.body.code).toBe('bank.not_a_statement');
    const csv = await upload(
      bank.id,
      Buffer.from('Date;Libellé;Montant\n01/03/2026;X;1,00\n'),
      'x.csv',
    ).expect(422);
    expect(csv.body).toMatchObject({ code: 'bank.csv_mapping_needed' });
    expect(csv.body.errors[0].field).toBe('file');
    const empty = await upload(
      bank.id,
      readFileSync(join(FIXTURES, 'ofxparse_bank_small.ofx')),
      'empty.ofx',
    ).expect(422);
    expect(empty.body.code).toBe('bank.not_a_statement');
  });

  it('imports an OFX file, and keeps every account inside its organization', async () => {
    const usd = (
      await owner
        .post(`${staff()}/bank-accounts`, {
          name: 'Compte USD',
          iban: 'GB29NWBK60161331926819',
          accountNumber: '5121',
          currency: 'USD',
        })
        .expect(201)
    ).body as BankAccountView;
    const ofx = (
      await upload(
        usd.id,
        readFileSync(join(FIXTURES, 'ofxparse_checking.ofx')),
        'checking.ofx',
      ).expect(201)
    ).body as StatementImportView;
    expect(ofx).toMatchObject({ lines: 3, newLines: 3 });
    expect(ofx.statements[0]).toMatchObject({ format: 'ofx', closingBalanceCents: 10099 });

    const stranger = await signupOrganization(t, 'Autre association');
    const other = `/api/v1/orgs/${stranger.orgId}`;
    await stranger.get(`${other}/bank-accounts/${usd.id}`).expect(404);
    await stranger.get(`${other}/bank-accounts/${usd.id}/lines`).expect(404);
    await upload(
      usd.id,
      readFileSync(join(FIXTURES, 'ofxparse_checking.ofx')),
      'x.ofx',
      stranger,
    ).expect(404);
    expect((await stranger.get(`${other}/bank-accounts`).expect(200)).body).toEqual([]);
  });

  it('reads French CSV exports with a saved column mapping, QIF and CFONB 120 files', async () => {
    const bank = await account();
    const csv = readFileSync(join(FIXTURES, 'ruche_banque-fr_iso-8859-15.csv'));
    await upload(bank.id, csv, 'mars.csv').expect(422);
    const preview = (
      await request(t.app.getHttpServer())
        .post(`${staff()}/bank-accounts/${bank.id}/csv-preview`)
        .set('cookie', owner.cookie)
        .set('x-csrf-token', owner.csrf)
        .set('content-type', 'application/octet-stream')
        .send(csv)
        .expect(200)
    ).body as CsvPreviewView;
    expect(preview).toMatchObject({ saved: false, error: null });
    expect(preview.headers).toEqual([
      'Date opération',
      'Date valeur',
      'Libellé',
      'Débit',
      'Crédit',
      'Solde',
    ]);
    expect(preview.mapping).toMatchObject({
      delimiter: ';',
      encoding: 'iso-8859-15',
      decimalSeparator: ',',
      skipLines: 2,
      debit: 'Débit',
      credit: 'Crédit',
    });
    expect(preview.lines.map((l) => l.amountCents)).toEqual([
      4500, -123456, 125000, -250, 10000, -1230,
    ]);
    const bad = await owner
      .put(`${staff()}/bank-accounts/${bank.id}/csv-mapping`, { ...preview.mapping, debit: null })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('amount');
    await owner
      .put(`${staff()}/bank-accounts/${bank.id}/csv-mapping`, preview.mapping!)
      .expect(200);
    const imported = (await upload(bank.id, csv, 'mars.csv').expect(201))
      .body as StatementImportView;
    expect(imported).toMatchObject({ lines: 6, newLines: 6 });
    expect(imported.statements[0]).toMatchObject({
      format: 'csv',
      openingDate: '2026-03-02',
      closingDate: '2026-03-31',
    });
    expect((await upload(bank.id, csv, 'mars-bis.csv').expect(201)).body).toMatchObject({
      newLines: 0,
      duplicates: 6,
    });
    const lines = (await owner.get(`${staff()}/bank-accounts/${bank.id}/lines?q=cœurs`).expect(200))
      .body as Page<BankLineView>;
    expect(lines.items[0]).toMatchObject({
      label: "VIR DON ŒUVRE « LES P'TITS CŒURS »",
      amountCents: 10000,
      valueDate: '2026-03-21',
    });
    // A mapping that does not fit the file: refused whole, naming the column.
    await owner
      .put(`${staff()}/bank-accounts/${bank.id}/csv-mapping`, {
        ...preview.mapping,
        label: 'Intitulé',
      })
      .expect(200);
    const misfit = await upload(bank.id, csv, 'mars.csv').expect(422);
    expect(misfit.body.code).toBe('bank.not_a_statement');
    expect(misfit.body.message).toContain('Intitulé');

    const qif = (
      await upload(
        bank.id,
        readFileSync(join(FIXTURES, 'ruche_banque-fr_win1252.qif')),
        'mars.qif',
      ).expect(201)
    ).body as StatementImportView;
    expect(qif.statements[0].format).toBe('qif');
    expect(qif.newLines).toBeGreaterThan(0);
    const cfonb = (
      await upload(
        bank.id,
        readFileSync(join(FIXTURES, 'ruche_cfonb120_two-accounts.txt')),
        'releve.cfonb',
      ).expect(201)
    ).body as StatementImportView;
    expect(cfonb.statements.map((s) => s.format)).toEqual(['cfonb120', 'cfonb120']);
  });
});
