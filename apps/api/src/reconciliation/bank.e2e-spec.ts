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
    expect(first.alreadyImported).toBe(false);
    // The very same file again: the earlier import's answer, no new statement record.
    const again = (await upload(bank.id, march, 'encore.xml').expect(200))
      .body as StatementImportView;
    expect(again).toMatchObject({
      lines: 3,
      newLines: 0,
      duplicates: 3,
      run: null,
      alreadyImported: true,
    });
    expect(again.statements.map((s) => [s.id, s.fileName, s.newLineCount])).toEqual([
      [first.statements[0].id, 'releve.xml', 3],
    ]);
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
    expect(third).toMatchObject({ lines: 2, newLines: 1, duplicates: 1, alreadyImported: false });
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
    expect(statements).toHaveLength(2);
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

  it('compares the account of files without an IBAN (OFX bank details, CAMT other id) with the account’s IBAN', async () => {
    const bank = await account(); // FR76 30006 00001 12345678901 89
    const ofx = (bankId: string, branch: string, acct: string, fitid: string) =>
      Buffer.from(
        `OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nCHARSET:1252\r\n\r\n<OFX>\r\n<BANKMSGSRSV1><STMTTRNRS><STMTRS>\r\n<CURDEF>EUR\r\n<BANKACCTFROM><BANKID>${bankId}<BRANCHID>${branch}<ACCTID>${acct}<ACCTTYPE>CHECKING</BANKACCTFROM>\r\n<BANKTRANLIST>\r\n<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20260302<TRNAMT>12.00<FITID>${fitid}<NAME>VIR DON</STMTTRN>\r\n</BANKTRANLIST>\r\n<LEDGERBAL><BALAMT>112.00<DTASOF>20260302</LEDGERBAL>\r\n</STMTRS></STMTTRNRS></BANKMSGSRSV1>\r\n</OFX>\r\n`,
        'latin1',
      );
    const otherBranch = await upload(
      bank.id,
      ofx('30006', '00002', '12345678901', 'O1'),
      'x.ofx',
    ).expect(422);
    expect(otherBranch.body).toMatchObject({ code: 'bank.other_account' });
    expect(otherBranch.body.errors[0].field).toBe('file');
    expect(otherBranch.body.message).toContain('Line 7: statement 1');
    expect(otherBranch.body.message).toContain('branch 00002');
    await upload(bank.id, ofx('30006', '00001', '98765432100', 'O1'), 'x.ofx').expect(422);
    // The account number with its RIB key, as some French banks write ACCTID.
    const right = (
      await upload(bank.id, ofx('30006', '00001', '1234567890189', 'O1'), 'x.ofx').expect(201)
    ).body as StatementImportView;
    expect(right).toMatchObject({ lines: 1, newLines: 1 });

    const camtOther = (id: string) =>
      Buffer.from(
        camt(
          [{ amount: '5.00', cdi: 'CRDT', ref: `C-${id}`, label: 'VIR', day: '2026-03-02' }],
          '0.00',
          '5.00',
        )
          .toString('utf8')
          .replace(`<IBAN>${IBAN}</IBAN>`, `<Othr><Id>${id}</Id></Othr>`),
      );
    const wrongOther = await upload(bank.id, camtOther('00098765432')).expect(422);
    expect(wrongOther.body).toMatchObject({ code: 'bank.other_account' });
    expect(wrongOther.body.message).toContain('account 00098765432');
    // An IBAN written as the other id is compared as an IBAN.
    await upload(bank.id, camtOther('DE89370400440532013000')).expect(422);
    await upload(bank.id, camtOther('12345678901')).expect(201);
    // No account identity at all: accepted.
    await upload(bank.id, camtOther('Compte courant')).expect(201);
    const statements = (
      await owner.get(`${staff()}/bank-accounts/${bank.id}/statements`).expect(200)
    ).body as unknown[];
    expect(statements).toHaveLength(3);
  });

  it('refuses a malformed OFX or CAMT file whole, naming the line, and imports nothing of it', async () => {
    const bank = await account();
    const ofx = Buffer.from(
      [
        'OFXHEADER:100',
        'DATA:OFXSGML',
        'VERSION:102',
        '',
        '<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR',
        '<BANKTRANLIST>',
        '<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20260302<TRNAMT>12.00<FITID>M1<NAME>VIR A</STMTTRN>',
        '<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20260303<TRNAMT>douze<FITID>M2<NAME>VIR B</STMTTRN>',
        '<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20260304<TRNAMT>3.00<FITID>M3<NAME>VIR C</STMTTRN>',
        '</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>',
        '',
      ].join('\r\n'),
      'latin1',
    );
    const badOfx = await upload(bank.id, ofx, 'x.ofx').expect(422);
    expect(badOfx.body).toMatchObject({ code: 'bank.not_a_statement' });
    expect(badOfx.body.errors[0].field).toBe('file');
    expect(badOfx.body.message).toMatch(/^Line 8: transaction 2: "douze" is not an amount/);
    const noDate = Buffer.from(ofx.toString('latin1').replace('<DTPOSTED>20260304', ''), 'latin1');
    expect(
      (
        await upload(
          bank.id,
          Buffer.from(noDate.toString('latin1').replace('douze', '2.00'), 'latin1'),
          'x.ofx',
        ).expect(422)
      ).body.message,
    ).toMatch(/^Line 9: transaction 3: no date/);

    const good = camt(
      [
        { amount: '1.00', cdi: 'CRDT', ref: 'K1', label: 'VIR A', day: '2026-03-02' },
        { amount: '2.00', cdi: 'CRDT', ref: 'K2', label: 'VIR B', day: '2026-03-03' },
      ],
      '0.00',
      '3.00',
    )
      .toString('utf8')
      .replace(/<Ntry>/g, '\n<Ntry>');
    const badEntry = await upload(
      bank.id,
      Buffer.from(good.replace('<Amt Ccy="EUR">2.00</Amt>', '<Amt Ccy="EUR">2.O0</Amt>')),
    ).expect(422);
    expect(badEntry.body.message).toMatch(
      /^Line 3: entry 2 of statement S-0\.00: "2\.O0" is not an amount/,
    );
    const noBooking = await upload(
      bank.id,
      Buffer.from(good.replace('<BookgDt><Dt>2026-03-03</Dt></BookgDt>', '')),
    ).expect(422);
    expect(noBooking.body.message).toMatch(
      /^Line 3: entry 2 of statement S-0\.00: no booking date/,
    );
    const truncated = await upload(
      bank.id,
      Buffer.from(good.slice(0, good.lastIndexOf('<Ntry>') + 40)),
    ).expect(422);
    expect(truncated.body).toMatchObject({ code: 'bank.not_a_statement' });
    expect(truncated.body.message).toMatch(/^Line 3: the file ends before .*<Ntry>.* closed/);

    const statements = (
      await owner.get(`${staff()}/bank-accounts/${bank.id}/statements`).expect(200)
    ).body as unknown[];
    expect(statements).toEqual([]);
    expect(
      (
        (await owner.get(`${staff()}/bank-accounts/${bank.id}/lines`).expect(200))
          .body as Page<BankLineView>
      ).total,
    ).toBe(0);
    // The same file well formed: imported.
    expect((await upload(bank.id, Buffer.from(good)).expect(201)).body).toMatchObject({
      newLines: 2,
    });
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

  it('reads French CSV exports with a saved column mapping, and QIF files', async () => {
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
    expect((await upload(bank.id, csv, 'mars-bis.csv').expect(200)).body).toMatchObject({
      newLines: 0,
      duplicates: 6,
      alreadyImported: true,
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
  });

  it('imports a CFONB 120 file of the account, and refuses one that also holds another account’s statement', async () => {
    // The fixture's first block: bank 30004, branch 00823, account 00012345678 (RIB key 19).
    const bank = (
      await owner
        .post(`${staff()}/bank-accounts`, {
          name: 'Compte BNP',
          iban: 'FR76 3000 4008 2300 0123 4567 819',
          accountNumber: '5121',
        })
        .expect(201)
    ).body as BankAccountView;
    const twoAccounts = readFileSync(join(FIXTURES, 'ruche_cfonb120_two-accounts.txt'));
    const refused = await upload(bank.id, twoAccounts, 'releve.cfonb').expect(422);
    expect(refused.body).toMatchObject({ code: 'bank.other_account' });
    expect(refused.body.errors[0].field).toBe('file');
    expect(refused.body.message).toContain('Line 14: statement 2');
    expect(refused.body.message).toContain('account 00098765432');
    const nothing = (await owner.get(`${staff()}/bank-accounts/${bank.id}/statements`).expect(200))
      .body as unknown[];
    expect(nothing).toEqual([]);
    expect(
      (
        (await owner.get(`${staff()}/bank-accounts/${bank.id}/lines`).expect(200))
          .body as Page<BankLineView>
      ).total,
    ).toBe(0);

    // The same file cut to its first block (lines 1 to 13): this account's statement only.
    const own = Buffer.from(
      twoAccounts.toString('latin1').split('\r\n').slice(0, 13).join('\r\n') + '\r\n',
      'latin1',
    );
    const cfonb = (await upload(bank.id, own, 'releve.cfonb').expect(201))
      .body as StatementImportView;
    expect(cfonb).toMatchObject({ lines: 3, newLines: 3, alreadyImported: false });
    expect(cfonb.statements.map((s) => [s.format, s.statementRef])).toEqual([
      ['cfonb120', 'cfonb:300040082300012345678:2026-03-31'],
    ]);
    // Into an account of another bank: refused, naming the file's account.
    const other = await account();
    const wrong = await upload(other.id, own, 'releve.cfonb').expect(422);
    expect(wrong.body).toMatchObject({ code: 'bank.other_account' });
    expect(wrong.body.message).toContain('Line 1: statement 1');
    expect(wrong.body.message).toContain('bank 30004, branch 00823, account 00012345678');
  });
});
