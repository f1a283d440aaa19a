import request from 'supertest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BankAccountView, BankLineView, Page, StatementImportView } from '@ruche/contracts';
import { signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import { createTestApi } from '../testing';

const FIXTURES = join(__dirname, '../../../../libs/testing/fixtures/bank-statements');
const IBAN = 'FR7630006000011234567890189';

/** A CAMT.053 of the account: two credits and a fee, balances that add up. */
function camt(
  entries: { amount: string; cdi: 'CRDT' | 'DBIT'; ref: string; label: string; day: string }[],
  opening: string,
  closing: string,
): Buffer {
  const ntry = entries
    .map(
      (e) =>
        `<Ntry><Amt Ccy="EUR">${e.amount}</Amt><CdtDbtInd>${e.cdi}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>${e.day}</Dt></BookgDt><AcctSvcrRef>${e.ref}</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Ustrd>${e.label}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`,
    )
    .join('');
  const bal = (cd: string, amount: string) =>
    `<Bal><Tp><CdOrPrtry><Cd>${cd}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-01</Dt></Dt></Bal>`;
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr><Stmt><Id>S-${opening}</Id><Acct><Id><IBAN>${IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>${bal('OPBD', opening)}${bal('CLBD', closing)}${ntry}</Stmt></BkToCstmrStmt></Document>`,
  );
}

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

  async function account(): Promise<BankAccountView> {
    return (
      await owner
        .post(`${staff()}/bank-accounts`, {
          name: 'Compte courant',
          iban: 'FR76 3000 6000 0112 3456 7890 189',
          bic: 'AGRIFRPP',
          accountNumber: '5121',
        })
        .expect(201)
    ).body as BankAccountView;
  }

  const upload = (id: string, bytes: Buffer, name = 'releve.xml', session: TestSession = owner) =>
    request(t.app.getHttpServer())
      .post(`/api/v1/orgs/${session.orgId}/bank-accounts/${id}/statements`)
      .set('cookie', session.cookie)
      .set('x-csrf-token', session.csrf)
      .set('content-type', 'application/octet-stream')
      .set('x-file-name', encodeURIComponent(name))
      .send(bytes);

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
    const junk = await upload(
      bank.id,
      Buffer.from('Date;Libellé;Montant\n01/03/2026;X;1,00\n'),
      'x.csv',
    ).expect(422);
    expect(junk.body.code).toBe('bank.not_a_statement');
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
});
