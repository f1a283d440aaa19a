import type { Type } from '@nestjs/common';
import { LocalDate, systemContext } from '@ruche/core';
import { BankStatementsService, ReconciliationService } from '@ruche/accounting';

type Resolve = <T>(type: Type<T>) => T;

const DEMO_IBAN = 'FR7630001007941234567890185';

interface DemoLine {
  day: string;
  cents: number;
  label: string;
  party: string | null;
}

/** A CAMT.053 statement as the bank would send it (one statement, booked entries). */
function camtStatement(lines: DemoLine[], openingCents: number, from: string, to: string): Buffer {
  const amount = (cents: number) => (Math.abs(cents) / 100).toFixed(2);
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const closing = lines.reduce((sum, l) => sum + l.cents, openingCents);
  const balance = (code: string, cents: number, day: string) =>
    `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${amount(cents)}</Amt><CdtDbtInd>${cents < 0 ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>${day}</Dt></Dt></Bal>`;
  const entries = lines
    .map((l, i) => {
      const side = l.cents > 0 ? 'Dbtr' : 'Cdtr';
      const party = l.party
        ? `<RltdPties><${side}><Nm>${escape(l.party)}</Nm></${side}></RltdPties>`
        : '';
      return `<Ntry><Amt Ccy="EUR">${amount(l.cents)}</Amt><CdtDbtInd>${l.cents > 0 ? 'CRDT' : 'DBIT'}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>${l.day}</Dt></BookgDt><ValDt><Dt>${l.day}</Dt></ValDt><AcctSvcrRef>DEMO-${from}-${i + 1}</AcctSvcrRef><NtryDtls><TxDtls>${party}<RmtInf><Ustrd>${escape(l.label)}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`;
    })
    .join('');
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>DEMO-${from}</MsgId><CreDtTm>${to}T18:00:00</CreDtTm></GrpHdr><Stmt><Id>DEMO-${from}-${to}</Id><CreDtTm>${to}T18:00:00</CreDtTm><Acct><Id><IBAN>${DEMO_IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>${balance('OPBD', openingCents, from)}${balance('CLBD', closing, to)}${entries}</Stmt></BkToCstmrStmt></Document>`,
  );
}

/**
 * The demo association's bank: its current account, a rule for the bank's fees, and a statement
 * holding the transfers the demo recorded at the desk, a fee and a transfer nobody recorded.
 * The import starts the automatic matching like a real one: the newcomer finds lines already
 * lettered, one posted by the rule, and one waiting in the workspace.
 */
export async function seedDemoBank(
  resolve: Resolve,
  organizationId: string,
  today: LocalDate,
): Promise<void> {
  const ctx = systemContext(organizationId);
  const bank = resolve(BankStatementsService);
  const reconciliation = resolve(ReconciliationService);
  const account = await bank.createAccount(ctx, {
    name: 'Compte courant Crédit Coopératif',
    iban: DEMO_IBAN,
    bic: 'CCOPFRPP',
    accountNumber: '5121',
    currency: 'EUR',
    active: true,
    // Shown on the join page: members may pay their fee by transfer with their reference.
    acceptTransfers: true,
  });
  await reconciliation.createRule(ctx, {
    name: 'Frais de tenue de compte',
    labelContains: 'FRAIS TENUE DE COMPTE',
    direction: 'out',
    minAmount: null,
    maxAmount: null,
    accountNumber: '627',
    analytic: null,
    autoApply: true,
    priority: 100,
    active: true,
  });
  // The same days as the demo gifts (see demo-donations), booked by the bank a day or two later.
  const day = (offset: number) => {
    const d = LocalDate.of(today.year, 1, 20).plusDays(offset);
    return (d.isAfter(today) ? today : d).toString();
  };
  const lines: DemoLine[] = [
    { day: day(1), cents: 5000, label: 'VIR SEPA VIR DUPRE DON RENOVATION', party: 'DUPRE JEANNE' },
    { day: day(10), cents: -840, label: 'FRAIS TENUE DE COMPTE', party: null },
    { day: day(62), cents: 12000, label: 'VIR SEPA VIR FONTAINE', party: 'M FONTAINE' },
    { day: day(70), cents: 3000, label: 'VIR SEPA COTISATION', party: 'MME LECLERC SYLVIE' },
  ];
  const from = day(0);
  const to = lines.reduce((max, l) => (l.day > max ? l.day : max), from);
  await bank.importFile(
    ctx,
    account.id,
    `releve-demo-${from}.xml`,
    camtStatement(lines, 0, from, to),
  );
}
