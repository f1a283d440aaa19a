import type request from 'supertest';
import type {
  BalanceCheckView,
  BankLineView,
  EntryView,
  LedgerCandidateView,
  MatchView,
  Page,
  PaymentView,
  GeneralLedgerView,
  ReconciliationRunView,
  RejectionView,
  StatementImportView,
  WorkspaceLineView,
} from '@ruche/contracts';
import {
  FakeStripe,
  addUser,
  signupOrganization,
  type TestApp,
  type TestSession,
} from '@ruche/testing';
import { createTestApi } from '../testing';
import { bankAccount, camt, upload } from './bank.test-support';
import { connectStripe, deliver, joinAndPay } from '../payments/stripe.test-support';

function binary(
  res: request.Response,
  callback: (error: Error | null, body: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** Statement lines find their ledger lines by themselves; the rest waits, with suggestions, for a person. */
describe('bank reconciliation', () => {
  let t: TestApp;
  let fake: FakeStripe;
  let owner: TestSession;
  const staff = () => `/api/v1/orgs/${owner.orgId}`;

  beforeAll(async () => {
    fake = await new FakeStripe().start();
    t = await createTestApi({ env: { STRIPE_API_BASE: fake.url } });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });
  beforeEach(async () => {
    owner = await signupOrganization(t, 'Amicale des jardins partagés');
  });

  const transfer = async (label: string, amount: string, receivedOn: string, reference?: string) =>
    (
      await owner
        .post(`${staff()}/payments/manual`, {
          label,
          amount,
          method: 'transfer',
          receivedOn,
          reference,
        })
        .expect(201)
    ).body as PaymentView;

  const cheque = async (label: string, amount: string, receivedOn: string) =>
    (
      await owner
        .post(`${staff()}/payments/manual`, {
          label,
          amount,
          method: 'cheque',
          receivedOn,
          chequeNumber: '000' + amount,
        })
        .expect(201)
    ).body as PaymentView;

  async function runOf(imported: StatementImportView): Promise<ReconciliationRunView> {
    expect(imported.run).not.toBeNull();
    await t.queue.drain();
    return (await owner.get(`${staff()}/reconciliation/runs/${imported.run!.id}`).expect(200))
      .body as ReconciliationRunView;
  }

  const lines = async (accountId: string, query = 'status=all') =>
    (
      (
        await owner
          .get(`${staff()}/bank-accounts/${accountId}/reconciliation/lines?${query}`)
          .expect(200)
      ).body as Page<WorkspaceLineView>
    ).items;

  it('letters what is sure by itself, leaves look-alikes to the treasurer, posts rule lines, and undoes with a reversal', async () => {
    const bank = await bankAccount(owner);
    await transfer('Cotisation Dupré', '45', '2026-03-03', 'COT-2026-017');
    const first = await cheque('Adhésion Martin', '20', '2026-03-02');
    const second = await cheque('Adhésion Lopez', '35', '2026-03-02');
    await owner
      .post(`${staff()}/cheque-deposits`, {
        paymentIds: [first.id, second.id],
        depositedOn: '2026-03-04',
      })
      .expect(201);
    await transfer('Cotisation A', '30', '2026-03-10');
    await transfer('Cotisation B', '30', '2026-03-10');
    const rule = await owner
      .post(`${staff()}/reconciliation/rules`, {
        name: 'Frais de tenue de compte',
        labelContains: 'frais tenue',
        direction: 'out',
        accountNumber: '627',
        autoApply: true,
      })
      .expect(201);
    expect(rule.body).toMatchObject({ accountNumber: '627', autoApply: true, direction: 'out' });

    const statement = camt(
      [
        {
          amount: '45.00',
          cdi: 'CRDT',
          ref: 'B1',
          label: 'VIR SEPA DUPRE JEAN MARIE COT-2026-017',
          day: '2026-03-04',
          party: 'M JEAN MARIE DUPRE',
        },
        {
          amount: '55.00',
          cdi: 'CRDT',
          ref: 'B2',
          label: 'REMISE CHEQUES 7730123',
          day: '2026-03-05',
        },
        { amount: '30.00', cdi: 'CRDT', ref: 'B3', label: 'VIR SEPA X', day: '2026-03-11' },
        { amount: '30.00', cdi: 'CRDT', ref: 'B4', label: 'VIR SEPA Y', day: '2026-03-11' },
        {
          amount: '8.40',
          cdi: 'DBIT',
          ref: 'B5',
          label: 'FRAIS TENUE DE COMPTE MARS',
          day: '2026-03-15',
        },
        { amount: '100.00', cdi: 'CRDT', ref: 'B6', label: 'VIR INCONNU', day: '2026-03-20' },
      ],
      '1000.00',
      '1251.60',
    );
    const imported = (await upload(t, owner, bank.id, statement).expect(201))
      .body as StatementImportView;
    const run = await runOf(imported);
    expect(run).toMatchObject({
      status: 'done',
      total: 6,
      processed: 6,
      autoMatched: 3,
      suggested: 2,
    });

    const all = await lines(bank.id);
    const byRef = new Map(all.map((l) => [l.bankReference, l]));
    expect(byRef.get('B1')).toMatchObject({
      status: 'matched',
      letter: expect.stringMatching(/^[A-Z]+$/),
    });
    expect(byRef.get('B2')).toMatchObject({ status: 'matched' });
    expect(byRef.get('B5')).toMatchObject({ status: 'matched' });
    // Two identical 30 € transfers: never matched crosswise by the engine, both proposed.
    for (const ref of ['B3', 'B4']) {
      const line = byRef.get(ref)!;
      expect(line.status).toBe('unmatched');
      const proposals = line.suggestions.filter((s) => s.type === 'match');
      expect(proposals).toHaveLength(2);
      expect(proposals.every((p) => p.type === 'match' && !p.auto)).toBe(true);
    }
    expect(byRef.get('B6')).toMatchObject({ status: 'unmatched', suggestions: [] });
    // Suggestions come first in the queue.
    const waiting = await lines(bank.id, 'status=unmatched');
    expect(
      waiting
        .map((l) => l.bankReference)
        .slice(0, 2)
        .sort(),
    ).toEqual(['B3', 'B4']);
    expect(waiting[2].bankReference).toBe('B6');

    // The cheque deposit match shows the cheques behind it.
    const deposit = (
      await owner.get(`${staff()}/reconciliation/matches/${byRef.get('B2')!.matchId}`).expect(200)
    ).body as MatchView;
    expect(deposit).toMatchObject({
      kind: 'cheque_deposit',
      origin: 'auto',
      amountCents: 5500,
      status: 'active',
    });
    expect(deposit.details.map((d) => d.amountCents).sort()).toEqual([2000, 3500]);
    const fee = (
      await owner.get(`${staff()}/reconciliation/matches/${byRef.get('B5')!.matchId}`).expect(200)
    ).body as MatchView;
    expect(fee).toMatchObject({
      kind: 'entry',
      origin: 'rule',
      ruleId: rule.body.id,
      amountCents: -840,
    });
    const feeEntry = (
      await owner.get(`${staff()}/accounting/entries/${fee.createdEntryId}`).expect(200)
    ).body as EntryView;
    expect(feeEntry.lines.map((l) => [l.accountNumber, l.debitCents, l.creditCents])).toEqual([
      ['5121', 0, 840],
      ['627', 840, 0],
    ]);

    // The treasurer confirms the look-alikes one by one.
    const x = byRef.get('B3')!;
    const proposalForX = x.suggestions[0];
    if (proposalForX.type !== 'match') throw new Error('expected a match proposal');
    const chosen: LedgerCandidateView = proposalForX.candidates[0];
    const confirm = (bankLineIds: string[], ledgerLines: { entryId: string; lineNo: number }[]) =>
      owner.post(`${staff()}/bank-accounts/${bank.id}/reconciliation/matches`, {
        bankLineIds,
        ledgerLines,
      });
    const mx = (
      await confirm([x.id], [{ entryId: chosen.entryId, lineNo: chosen.lineNo }]).expect(201)
    ).body as MatchView;
    expect(mx).toMatchObject({ kind: 'ledger', origin: 'manual', amountCents: 3000 });
    const y = byRef.get('B4')!;
    const taken = await confirm(
      [y.id],
      [{ entryId: chosen.entryId, lineNo: chosen.lineNo }],
    ).expect(409);
    expect(taken.body.code).toBe('reconciliation.ledger_line_not_waiting');
    const rest = (
      await owner
        .get(`${staff()}/bank-accounts/${bank.id}/reconciliation/candidates?amountCents=3000`)
        .expect(200)
    ).body as LedgerCandidateView[];
    expect(rest).toHaveLength(1);
    const unknown = byRef.get('B6')!;
    const differ = await confirm(
      [unknown.id],
      [{ entryId: rest[0].entryId, lineNo: rest[0].lineNo }],
    ).expect(422);
    expect(differ.body).toMatchObject({ code: 'reconciliation.amounts_differ' });
    expect(differ.body.errors[0].field).toBe('ledgerLines');
    await confirm([y.id], [{ entryId: rest[0].entryId, lineNo: rest[0].lineNo }]).expect(201);
    await confirm([y.id], [{ entryId: rest[0].entryId, lineNo: rest[0].lineNo }]).expect(409);

    // A line with no counterpart: posted against a chosen account, lettered at once.
    const badAccount = await owner
      .post(`${staff()}/bank-accounts/${bank.id}/reconciliation/entries`, {
        bankLineId: unknown.id,
        accountNumber: '5122',
      })
      .expect(422);
    expect(badAccount.body.errors[0].field).toBe('accountNumber');
    const donation = (
      await owner
        .post(`${staff()}/bank-accounts/${bank.id}/reconciliation/entries`, {
          bankLineId: unknown.id,
          accountNumber: '75411',
          label: 'Don par virement',
        })
        .expect(201)
    ).body as MatchView;
    expect(donation).toMatchObject({ kind: 'entry', origin: 'manual', amountCents: 10000 });

    // Everything is explained but the bank's opening balance, which the books never had.
    const balance = (
      await owner
        .get(`${staff()}/bank-accounts/${bank.id}/reconciliation/balance?date=2026-03-31`)
        .expect(200)
    ).body as BalanceCheckView;
    expect(balance).toMatchObject({
      since: '2026-03-01',
      ledgerBalanceCents: 4500 + 5500 + 3000 + 3000 - 840 + 10000,
      bankBalanceCents: 125160,
      unmatchedBankCents: 0,
      unmatchedLedgerCents: 0,
      unexplainedCents: 100000,
    });

    // Undo the rule's match: the fee entry is reversed, the line waits again, and no run re-applies it.
    const noReason = await owner
      .post(`${staff()}/reconciliation/matches/${fee.id}/undo`, {})
      .expect(400);
    expect(noReason.body.errors[0].field).toBe('reason');
    const undone = (
      await owner
        .post(`${staff()}/reconciliation/matches/${fee.id}/undo`, {
          reason: 'Frais remboursés par la banque',
        })
        .expect(200)
    ).body as MatchView;
    expect(undone).toMatchObject({
      status: 'undone',
      undoReason: 'Frais remboursés par la banque',
      reversalEntryId: expect.any(String),
    });
    await owner
      .post(`${staff()}/reconciliation/matches/${fee.id}/undo`, { reason: 'encore' })
      .expect(409);
    const reversal = (
      await owner.get(`${staff()}/accounting/entries/${undone.reversalEntryId}`).expect(200)
    ).body as EntryView;
    expect(reversal.reversalOfId).toBe(fee.createdEntryId);
    const again = (
      await owner.post(`${staff()}/bank-accounts/${bank.id}/reconciliation/runs`).expect(201)
    ).body as ReconciliationRunView;
    await t.queue.drain();
    expect(
      (await owner.get(`${staff()}/reconciliation/runs/${again.id}`).expect(200)).body,
    ).toMatchObject({ status: 'done', total: 1, autoMatched: 0, suggested: 1 });
    const feeLine = (await lines(bank.id, 'status=unmatched'))[0];
    expect(feeLine).toMatchObject({ bankReference: 'B5', status: 'unmatched' });
    expect(feeLine.suggestions[0]).toMatchObject({ type: 'rule', accountNumber: '627' });
    const after = (
      await owner
        .get(`${staff()}/bank-accounts/${bank.id}/reconciliation/balance?date=2026-03-31`)
        .expect(200)
    ).body as BalanceCheckView;
    expect(after).toMatchObject({
      unmatchedBankCents: -840,
      unmatchedBankCount: 1,
      unexplainedCents: 100000,
    });

    // Ignoring a line takes it out of the queue, with a reason; it can come back.
    const ignored = (
      await owner
        .post(`${staff()}/bank-accounts/${bank.id}/reconciliation/lines/${feeLine.id}/ignore`, {
          reason: 'Réglé hors banque',
        })
        .expect(200)
    ).body as BankLineView;
    expect(ignored.status).toBe('ignored');
    await owner
      .post(`${staff()}/bank-accounts/${bank.id}/reconciliation/lines/${feeLine.id}/unignore`)
      .expect(200);

    // The audit trail keeps every match and undo.
    const audit = await t.dataSource.query<{ action: string }[]>(
      `SELECT action FROM audit_logs WHERE organization_id = $1 AND action LIKE 'reconciliation.%' ORDER BY created_at`,
      [owner.orgId],
    );
    const actions = audit.map((a) => a.action);
    expect(actions.filter((a) => a === 'reconciliation.matched')).toHaveLength(6);
    expect(actions).toEqual(
      expect.arrayContaining([
        'reconciliation.rule-created',
        'reconciliation.match-undone',
        'reconciliation.line-ignored',
        'reconciliation.line-unignored',
      ]),
    );
    // A match is never edited nor deleted, even by SQL.
    await expect(
      t.dataSource.query('DELETE FROM reconciliation_matches WHERE id = $1', [mx.id]),
    ).rejects.toThrow(/never deleted/);
    await expect(
      t.dataSource.query(`UPDATE reconciliation_matches SET amount_cents = 1 WHERE id = $1`, [
        mx.id,
      ]),
    ).rejects.toThrow(/not edited/);
  });

  it('never proposes again what the treasurer rejected, until the rejection is withdrawn', async () => {
    const bank = await bankAccount(owner);
    const paid = await transfer('Cotisation Roux', '30', '2026-03-10');
    const settingsUrl = `${staff()}/reconciliation/settings`;
    await owner
      .put(settingsUrl, { autoApply: false, autoThreshold: 90, windowDays: 5 })
      .expect(200);
    const statement = camt(
      [{ amount: '30.00', cdi: 'CRDT', ref: 'R1', label: 'VIR SEPA ROUX', day: '2026-03-10' }],
      '0.00',
      '30.00',
    );
    await runOf(
      (await upload(t, owner, bank.id, statement).expect(201)).body as StatementImportView,
    );
    const [line] = await lines(bank.id, 'status=unmatched');
    const proposal = line.suggestions[0];
    if (proposal?.type !== 'match') throw new Error(`expected a match: ${JSON.stringify(line)}`);
    // The engine would apply it alone: only item of its amount, same day.
    expect(proposal).toMatchObject({ auto: true });
    expect(proposal.candidates.map((c) => c.entryId)).toEqual([paid.entryId]);
    const ledgerLines = proposal.candidates.map((c) => ({ entryId: c.entryId, lineNo: c.lineNo }));
    const url = `${staff()}/bank-accounts/${bank.id}/reconciliation/lines/${line.id}/rejections`;

    // Bad input: what is rejected must be said, once, and be a line of the bank account.
    expect((await owner.post(url, {}).expect(400)).body.errors[0].field).toBe('ledgerLines');
    await owner.post(url, { ledgerLines, paymentId: line.id }).expect(400);
    const unknown = await owner
      .post(url, { ledgerLines: [{ entryId: line.id, lineNo: 1 }] })
      .expect(422);
    expect(unknown.body).toMatchObject({ code: 'reconciliation.ledger_line_unknown' });
    expect(unknown.body.errors[0].field).toBe('ledgerLines');
    await owner
      .post(`${staff()}/bank-accounts/${bank.id}/reconciliation/lines/${paid.id}/rejections`, {
        ledgerLines,
      })
      .expect(404);

    const rejected = (await owner.post(url, { ledgerLines }).expect(201)).body as RejectionView;
    expect(rejected).toMatchObject({
      bankLineId: line.id,
      kind: 'ledger',
      candidateIds: [`${ledgerLines[0].entryId}:${ledgerLines[0].lineNo}`],
    });
    // Rejecting it again changes nothing.
    expect((await owner.post(url, { ledgerLines }).expect(201)).body.id).toBe(rejected.id);
    const [waiting] = await lines(bank.id, 'status=unmatched');
    expect(waiting.suggestions.filter((s) => s.type === 'match')).toEqual([]);
    expect(waiting.rejections.map((r) => r.id)).toEqual([rejected.id]);

    // An automatic run does not apply it either.
    await owner.put(settingsUrl, { autoApply: true, autoThreshold: 90, windowDays: 5 }).expect(200);
    const startRun = async () => {
      const started = (
        await owner.post(`${staff()}/bank-accounts/${bank.id}/reconciliation/runs`).expect(201)
      ).body as ReconciliationRunView;
      await t.queue.drain();
      return (await owner.get(`${staff()}/reconciliation/runs/${started.id}`).expect(200))
        .body as ReconciliationRunView;
    };
    expect(await startRun()).toMatchObject({ status: 'done', total: 1, autoMatched: 0 });

    // Others may not reject nor withdraw.
    const coordinator = await addUser(t, owner, 'coordinator');
    await coordinator.post(url, { ledgerLines }).expect(403);
    await coordinator.delete(`${url}/${rejected.id}`).expect(403);
    const stranger = await signupOrganization(t, 'Autre association');
    await stranger
      .post(
        `/api/v1/orgs/${stranger.orgId}/bank-accounts/${bank.id}/reconciliation/lines/${line.id}/rejections`,
        { ledgerLines },
      )
      .expect(404);

    // Withdrawn: proposed, and applied by the next run.
    await owner.delete(`${url}/${rejected.id}`).expect(204);
    await owner.delete(`${url}/${rejected.id}`).expect(404);
    const [back] = await lines(bank.id, 'status=unmatched');
    expect(back.rejections).toEqual([]);
    expect(back.suggestions[0]).toMatchObject({ type: 'match', auto: true });
    expect(await startRun()).toMatchObject({ status: 'done', total: 1, autoMatched: 1 });

    const audit = await t.dataSource.query<{ action: string; entity_id: string }[]>(
      `SELECT action, entity_id FROM audit_logs WHERE organization_id = $1 AND action IN ('reconciliation.proposal-rejected', 'reconciliation.rejection-withdrawn') ORDER BY created_at`,
      [owner.orgId],
    );
    expect(audit.map((a) => [a.action, a.entity_id])).toEqual([
      ['reconciliation.proposal-rejected', line.id],
      ['reconciliation.rejection-withdrawn', line.id],
    ]);
  });

  it('letters the bank ledger line in the FEC and the general ledger while the match is in force', async () => {
    const bank = await bankAccount(owner);
    const paid = await transfer('Cotisation Petit', '42', '2026-03-12');
    const statement = camt(
      [{ amount: '42.00', cdi: 'CRDT', ref: 'F1', label: 'VIR SEPA PETIT', day: '2026-03-12' }],
      '0.00',
      '42.00',
    );
    const run = await runOf(
      (await upload(t, owner, bank.id, statement).expect(201)).body as StatementImportView,
    );
    expect(run).toMatchObject({ status: 'done', autoMatched: 1 });
    const [line] = await lines(bank.id);
    const match = (await owner.get(`${staff()}/reconciliation/matches/${line.matchId}`).expect(200))
      .body as MatchView;
    const entry = (await owner.get(`${staff()}/accounting/entries/${paid.entryId}`).expect(200))
      .body as EntryView;
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' })
      .format(new Date(match.createdAt))
      .replaceAll('-', '');

    /** The FEC lines of the transfer's entry: [CompteNum, EcritureLet, DateLet]. */
    const fecLines = async () => {
      const res = await owner
        .get(`${staff()}/accounting/fec?fiscalYearId=${entry.fiscalYearId}&encoding=utf-8`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      return (res.body as Buffer)
        .toString('utf8')
        .split('\r\n')
        .slice(1, -1)
        .map((l) => l.split('\t'))
        .filter((f) => f[2] === String(entry.number))
        .map((f) => [f[4], f[13], f[14]]);
    };
    const ledgerLetters = async () => {
      const report = (
        await owner
          .get(
            `${staff()}/accounting/reports/general-ledger?fiscalYearId=${entry.fiscalYearId}&account=5121`,
          )
          .expect(200)
      ).body as GeneralLedgerView;
      return report.accounts[0].lines
        .filter((l) => l.entryId === paid.entryId)
        .map((l) => l.letter);
    };
    const otherAccount = entry.lines.find((l) => l.accountNumber !== '5121')!.accountNumber;
    const sorted = async () =>
      (await fecLines()).sort((a, b) => (a[0] === '5121' ? -1 : b[0] === '5121' ? 1 : 0));
    expect(await sorted()).toEqual([
      ['5121', match.letter, day],
      [otherAccount, '', ''],
    ]);
    expect(await ledgerLetters()).toEqual([match.letter]);
    const check = await owner
      .get(`${staff()}/accounting/fec/check?fiscalYearId=${entry.fiscalYearId}`)
      .expect(200);
    expect(check.body.problems).toEqual([]);

    // Undone: the line is no longer lettered.
    await owner
      .post(`${staff()}/reconciliation/matches/${match.id}/undo`, { reason: 'Mauvais virement' })
      .expect(200);
    expect(await sorted()).toEqual([
      ['5121', '', ''],
      [otherAccount, '', ''],
    ]);
    expect(await ledgerLetters()).toEqual([null]);
  });

  it('reconciles a Stripe payout with the whole chain behind it in one match', async () => {
    const org = await connectStripe(owner);
    const bank = await bankAccount(owner);
    const a = await joinAndPay(t, fake, org, { feeCents: 70 });
    const b = await joinAndPay(t, fake, org, { feeCents: 55 });
    const payout = fake.payout(fake.accountOf(a.stripe!.checkoutSessionId!), { stripeFeeCents: 0 });
    await deliver(t, org, fake.event('payout.paid', payout)).expect(200);
    await t.queue.drain();
    const arrival = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(
      new Date((payout['arrival_date'] as number) * 1000),
    );
    const net = ((payout['amount'] as number) / 100).toFixed(2);
    expect(net).toBe('58.75');
    const statement = camt(
      [
        {
          amount: net,
          cdi: 'CRDT',
          ref: 'P1',
          label: `VIR STRIPE PAYMENTS EUROPE ${payout.id}`,
          day: arrival,
        },
      ],
      '0.00',
      net,
      arrival,
    );
    const run = await runOf(
      (await upload(t, owner, bank.id, statement).expect(201)).body as StatementImportView,
    );
    expect(run).toMatchObject({ status: 'done', autoMatched: 1 });
    const [line] = await lines(bank.id);
    const match = (await owner.get(`${staff()}/reconciliation/matches/${line.matchId}`).expect(200))
      .body as MatchView;
    expect(match).toMatchObject({ kind: 'payout', origin: 'auto', amountCents: 5875 });
    expect(match.reasons.join(' ')).toContain(payout.id);
    expect(
      match.details
        .filter((d) => d.link)
        .map((d) => d.link)
        .sort(),
    ).toEqual([`payment:${a.id}`, `payment:${b.id}`].sort());
    expect(match.details.reduce((s, d) => s + d.amountCents, 0)).toBe(5875);

    // Another organization sees none of it; a coordinator may not reconcile.
    const stranger = await signupOrganization(t, 'Autre association');
    const other = `/api/v1/orgs/${stranger.orgId}`;
    await stranger.get(`${other}/reconciliation/matches/${match.id}`).expect(404);
    await stranger
      .post(`${other}/reconciliation/matches/${match.id}/undo`, { reason: 'pas à moi' })
      .expect(404);
    await stranger.get(`${other}/bank-accounts/${bank.id}/reconciliation/lines`).expect(404);
    await stranger.get(`${staff()}/bank-accounts/${bank.id}/reconciliation/lines`).expect(404);
    const coordinator = await addUser(t, owner, 'coordinator');
    await coordinator.get(`${staff()}/bank-accounts/${bank.id}/reconciliation/lines`).expect(403);
    await coordinator
      .post(`${staff()}/reconciliation/matches/${match.id}/undo`, { reason: 'essai' })
      .expect(403);
    expect(
      (
        (await owner.get(`${staff()}/reconciliation/matches/${match.id}`).expect(200))
          .body as MatchView
      ).status,
    ).toBe('active');
  });
});
