import request from 'supertest';
import type { BankAccountView } from '@ruche/contracts';
import type { TestApp, TestSession } from '@ruche/testing';

export const IBAN = 'FR7630006000011234567890189';

export interface CamtEntry {
  amount: string;
  cdi: 'CRDT' | 'DBIT';
  ref: string;
  label: string;
  day: string;
  /** Debtor (credits) or creditor (debits) name. */
  party?: string;
}

/** A CAMT.053 statement of the test account (one Stmt, the given entries and balances). */
export function camt(
  entries: CamtEntry[],
  opening: string,
  closing: string,
  closingDay = '2026-03-31',
): Buffer {
  const ntry = entries
    .map((e) => {
      const party = e.party
        ? `<RltdPties><${e.cdi === 'CRDT' ? 'Dbtr' : 'Cdtr'}><Nm>${e.party}</Nm></${e.cdi === 'CRDT' ? 'Dbtr' : 'Cdtr'}></RltdPties>`
        : '';
      return `<Ntry><Amt Ccy="EUR">${e.amount}</Amt><CdtDbtInd>${e.cdi}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>${e.day}</Dt></BookgDt><AcctSvcrRef>${e.ref}</AcctSvcrRef><NtryDtls><TxDtls>${party}<RmtInf><Ustrd>${e.label}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`;
    })
    .join('');
  const bal = (cd: string, amount: string, day: string) =>
    `<Bal><Tp><CdOrPrtry><Cd>${cd}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${day}</Dt></Dt></Bal>`;
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr><Stmt><Id>S-${opening}</Id><Acct><Id><IBAN>${IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>${bal('OPBD', opening, '2026-03-01')}${bal('CLBD', closing, closingDay)}${ntry}</Stmt></BkToCstmrStmt></Document>`,
  );
}

export async function bankAccount(
  owner: TestSession,
  accountNumber = '5121',
): Promise<BankAccountView> {
  return (
    await owner
      .post(`/api/v1/orgs/${owner.orgId}/bank-accounts`, {
        name: 'Compte courant',
        iban: 'FR76 3000 6000 0112 3456 7890 189',
        bic: 'AGRIFRPP',
        accountNumber,
      })
      .expect(201)
  ).body as BankAccountView;
}

/** Sends a statement file as the raw body, as the admin does. */
export function upload(
  t: TestApp,
  session: TestSession,
  accountId: string,
  bytes: Buffer,
  name = 'releve.xml',
): request.Test {
  return request(t.app.getHttpServer())
    .post(`/api/v1/orgs/${session.orgId}/bank-accounts/${accountId}/statements`)
    .set('cookie', session.cookie)
    .set('x-csrf-token', session.csrf)
    .set('content-type', 'application/octet-stream')
    .set('x-file-name', encodeURIComponent(name))
    .send(bytes);
}
