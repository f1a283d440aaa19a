import type {
  ChequeDepositView,
  MatchView,
  Page,
  PaymentView,
  ReconciliationRunView,
  StatementImportView,
  WorkspaceLineView,
} from '@ruche/contracts';
import { signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import { createTestApi } from '../testing';
import { bankAccount, camt, upload } from './bank.test-support';

/** One item credited by the bank in several lines: offered together, lettered together, undone together. */
describe('bank reconciliation: several bank lines for one ledger line', () => {
  let t: TestApp;
  let owner: TestSession;
  const staff = () => `/api/v1/orgs/${owner.orgId}`;

  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    owner = await signupOrganization(t, 'Chorale du Vieux Port');
  });

  const cheque = async (label: string, amount: string, receivedOn: string, number: string) =>
    (
      await owner
        .post(`${staff()}/payments/manual`, {
          label,
          amount,
          method: 'cheque',
          receivedOn,
          chequeNumber: number,
        })
        .expect(201)
    ).body as PaymentView;

  const lines = async (accountId: string, query = 'status=all') =>
    (
      (
        await owner
          .get(`${staff()}/bank-accounts/${accountId}/reconciliation/lines?${query}`)
          .expect(200)
      ).body as Page<WorkspaceLineView>
    ).items;

  it('offers a deposit slip credited in two lines on both, letters it once against both, and undoes both', async () => {
    const bank = await bankAccount(owner);
    const first = await cheque('Adhésions famille Roux', '300', '2026-03-02', '0001201');
    const second = await cheque('Adhésion Nguyen', '150', '2026-03-03', '0001202');
    await owner
      .post(`${staff()}/cheque-deposits`, {
        paymentIds: [first.id, second.id],
        depositedOn: '2026-03-04',
      })
      .expect(201);
    const statement = camt(
      [
        { amount: '300.00', cdi: 'CRDT', ref: 'S1', label: 'REMISE CHEQUES', day: '2026-03-05' },
        { amount: '150.00', cdi: 'CRDT', ref: 'S2', label: 'REMISE CHEQUES', day: '2026-03-06' },
        { amount: '80.00', cdi: 'CRDT', ref: 'S3', label: 'VIR SEPA INCONNU', day: '2026-03-06' },
      ],
      '1000.00',
      '1530.00',
    );
    const imported = (await upload(t, owner, bank.id, statement).expect(201))
      .body as StatementImportView;
    await t.queue.drain();
    const run = (await owner.get(`${staff()}/reconciliation/runs/${imported.run!.id}`).expect(200))
      .body as ReconciliationRunView;
    // A group of lines without the slip number on each is never applied by the engine.
    expect(run).toMatchObject({ status: 'done', total: 3, autoMatched: 0, suggested: 2 });

    const byRef = new Map((await lines(bank.id)).map((l) => [l.bankReference, l]));
    const [s1, s2, s3] = ['S1', 'S2', 'S3'].map((ref) => byRef.get(ref)!);
    for (const [line, other] of [
      [s1, s2],
      [s2, s1],
    ]) {
      const suggestion = line.suggestions[0];
      if (suggestion?.type !== 'match') throw new Error('expected a match suggestion');
      expect(suggestion).toMatchObject({ kind: 'cheque_deposit', auto: false });
      expect(suggestion.candidates.map((c) => c.amountCents)).toEqual([45000]);
      expect(suggestion.otherBankLines.map((l) => [l.id, l.amountCents])).toEqual([
        [other.id, other.amountCents],
      ]);
      expect(suggestion.reasons).toContain('2 bank lines summed');
    }
    expect(s3.suggestions.filter((s) => s.type === 'match')).toEqual([]);
    const proposal = s1.suggestions[0];
    if (proposal.type !== 'match') throw new Error('expected a match suggestion');
    const slip = proposal.candidates.map((c) => ({ entryId: c.entryId, lineNo: c.lineNo }));

    const confirm = (bankLineIds: string[]) =>
      owner.post(`${staff()}/bank-accounts/${bank.id}/reconciliation/matches`, {
        bankLineIds,
        ledgerLines: slip,
      });
    // Bank lines that do not sum to the slip, or that are not lines of this account: 422.
    const differ = await confirm([s1.id, s3.id]).expect(422);
    expect(differ.body).toMatchObject({ code: 'reconciliation.amounts_differ' });
    expect(differ.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'bankLineIds',
      'ledgerLines',
    ]);
    const stranger = await confirm([s1.id, '6f1c1d7e-8a51-4a0e-9d55-1f1b1a0c9e01']).expect(422);
    expect(stranger.body).toMatchObject({ code: 'reconciliation.line_not_found' });
    expect(stranger.body.errors[0].field).toBe('bankLineIds');
    const other = await signupOrganization(t, 'Club de voile');
    await other
      .post(`/api/v1/orgs/${other.orgId}/bank-accounts/${bank.id}/reconciliation/matches`, {
        bankLineIds: [s1.id, s2.id],
        ledgerLines: slip,
      })
      .expect(404);

    const match = (await confirm([s1.id, s2.id]).expect(201)).body as MatchView;
    expect(match).toMatchObject({
      kind: 'cheque_deposit',
      origin: 'manual',
      amountCents: 45000,
      status: 'active',
    });
    expect(match.bankLines.map((l) => l.id).sort()).toEqual([s1.id, s2.id].sort());
    expect(match.ledgerLines).toHaveLength(1);
    expect(match.details.map((d) => d.amountCents).sort()).toEqual([15000, 30000]);
    const matched = new Map((await lines(bank.id)).map((l) => [l.bankReference, l]));
    for (const ref of ['S1', 'S2'])
      expect(matched.get(ref)).toMatchObject({
        status: 'matched',
        matchId: match.id,
        letter: match.letter,
      });
    expect(matched.get('S3')).toMatchObject({ status: 'unmatched' });
    // Lettered once: the slip is no longer a candidate.
    await confirm([s1.id, s2.id]).expect(409);

    const undone = (
      await owner
        .post(`${staff()}/reconciliation/matches/${match.id}/undo`, {
          reason: 'Remise saisie en double',
        })
        .expect(200)
    ).body as MatchView;
    expect(undone.status).toBe('undone');
    const waiting = new Map(
      (await lines(bank.id, 'status=unmatched')).map((l) => [l.bankReference, l]),
    );
    expect([...waiting.keys()].sort()).toEqual(['S1', 'S2', 'S3']);
    const again = waiting.get('S2')!.suggestions[0];
    expect(again).toMatchObject({ type: 'match', kind: 'cheque_deposit' });
    expect(again.type === 'match' && again.otherBankLines.map((l) => l.id)).toEqual([s1.id]);

    const audit = await t.dataSource.query<{ action: string; after: { bankLines?: string[] } }[]>(
      `SELECT action, after FROM audit_logs WHERE organization_id = $1 AND entity_id = $2 ORDER BY created_at`,
      [owner.orgId, match.id],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'reconciliation.matched',
      'reconciliation.match-undone',
    ]);
    expect(audit[0].after.bankLines?.sort()).toEqual([s1.id, s2.id].sort());
  });

  it('applies by itself a slip whose number the bank prints on each of its lines', async () => {
    const bank = await bankAccount(owner);
    const first = await cheque('Adhésion Petit', '120', '2026-03-02', '0003301');
    const second = await cheque('Adhésion Blanc', '80', '2026-03-02', '0003302');
    const slip = (
      await owner
        .post(`${staff()}/cheque-deposits`, {
          paymentIds: [first.id, second.id],
          depositedOn: '2026-03-04',
        })
        .expect(201)
    ).body as ChequeDepositView;
    const number = slip.reference;
    const statement = camt(
      [
        { amount: '120.00', cdi: 'CRDT', ref: 'T1', label: `REM CHQ ${number}`, day: '2026-03-05' },
        { amount: '80.00', cdi: 'CRDT', ref: 'T2', label: `REM CHQ ${number}`, day: '2026-03-05' },
      ],
      '1000.00',
      '1200.00',
    );
    const imported = (await upload(t, owner, bank.id, statement).expect(201))
      .body as StatementImportView;
    await t.queue.drain();
    expect(
      (await owner.get(`${staff()}/reconciliation/runs/${imported.run!.id}`).expect(200)).body,
    ).toMatchObject({ status: 'done', total: 2, autoMatched: 2, suggested: 0 });
    const all = await lines(bank.id);
    expect(all.map((l) => l.status)).toEqual(['matched', 'matched']);
    expect(all[0].matchId).toBe(all[1].matchId);
    const match = (
      await owner.get(`${staff()}/reconciliation/matches/${all[0].matchId}`).expect(200)
    ).body as MatchView;
    expect(match).toMatchObject({ kind: 'cheque_deposit', origin: 'auto', amountCents: 20000 });
    expect(match.bankLines).toHaveLength(2);
  });
});
