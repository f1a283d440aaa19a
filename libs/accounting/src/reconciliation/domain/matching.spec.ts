import {
  DEFAULT_MATCHING,
  dayNumber,
  matchAll,
  nameSimilarity,
  propose,
  type BankLineFacts,
  type Candidate,
} from './matching';

const NAME_ALONE = { ...DEFAULT_MATCHING, applyOnNameAlone: true };

const line = (over: Partial<BankLineFacts> = {}): BankLineFacts => ({
  id: 'L1',
  bookingDate: '2026-03-10',
  valueDate: null,
  amountCents: 48_230,
  label: 'VIR STRIPE PAYOUT po_1Nq8ZX',
  structuredReference: null,
  endToEndId: null,
  counterpartyName: 'STRIPE',
  ...over,
});
const candidate = (over: Partial<Candidate> & Pick<Candidate, 'id'>): Candidate => ({
  kind: 'ledger_line',
  date: '2026-03-10',
  amountCents: 48_230,
  references: [],
  name: null,
  ...over,
});

describe('matching bank lines', () => {
  it('applies a Stripe payout by amount, arrival date and payout id, alone', () => {
    const { proposals, auto } = propose(line(), [
      candidate({ id: 'payout', kind: 'payout', references: ['po_1Nq8ZX'] }),
      candidate({ id: 'other', kind: 'payout', amountCents: 12_000, references: ['po_2'] }),
    ]);
    expect(auto).toMatchObject({ candidateIds: ['payout'], kind: 'payout' });
    expect(auto?.reasons).toEqual(['amount equal', 'same day', 'reference po_1Nq8ZX']);
    expect(proposals).toHaveLength(1);
  });

  it('only suggests when two candidates are as good, and never outside the date window', () => {
    const twins = propose(line({ label: 'VIREMENT' }), [
      candidate({ id: 'a' }),
      candidate({ id: 'b' }),
    ]);
    expect(twins.auto).toBeNull();
    expect(twins.proposals.map((p) => p.candidateIds[0]).sort()).toEqual(['a', 'b']);
    expect(propose(line(), [candidate({ id: 'late', date: '2026-03-20' })]).proposals).toEqual([]);
  });

  it('matches a cheque deposit slip by its total and number', () => {
    const { auto } = propose(line({ amountCents: 13_500, label: 'REMISE CHEQUES REM-2026-004' }), [
      candidate({
        id: 'slip',
        kind: 'cheque_deposit',
        amountCents: 13_500,
        date: '2026-03-09',
        references: ['REM-2026-004'],
      }),
    ]);
    expect(auto?.candidateIds).toEqual(['slip']);
  });

  it('finds several expected payments summing exactly to one transfer, as a suggestion', () => {
    const { proposals, auto } = propose(
      line({ amountCents: 6_000, label: 'VIR ASSOCIATION PARENTS' }),
      [
        candidate({ id: 'm1', kind: 'expected_payment', amountCents: 2_000 }),
        candidate({ id: 'm2', kind: 'expected_payment', amountCents: 4_000 }),
        candidate({ id: 'm3', kind: 'expected_payment', amountCents: 2_500 }),
      ],
    );
    expect(proposals[0].candidateIds.sort()).toEqual(['m1', 'm2']);
    expect(auto).toBeNull();
  });

  it('reads the payer name without accents, case or word order', () => {
    expect(nameSimilarity('VIR SEPA M DUPRE JEAN MARIE COTISATION', 'Jean-Marie Dupré')).toBe(1);
    expect(nameSimilarity('VIR DUPONT', 'Jean Dupré')).toBe(0);
    const bankLine = line({
      amountCents: 3_000,
      label: 'VIR M DUPRE JEAN',
      counterpartyName: null,
    });
    const fees = [
      candidate({
        id: 'jean',
        kind: 'expected_payment',
        amountCents: 3_000,
        name: 'Jean Dupré',
        date: '2026-03-09',
      }),
      candidate({
        id: 'paul',
        kind: 'expected_payment',
        amountCents: 3_000,
        name: 'Paul Martin',
        date: '2026-03-09',
      }),
    ];
    const { auto, proposals } = propose(bankLine, fees);
    expect(auto).toBeNull();
    expect(proposals[0].reasons).toEqual([
      'amount equal',
      '1 day(s) apart',
      'payer name',
      'payer name alone: to confirm',
    ]);
    // Applied when the treasurer accepts the payer's name alone.
    expect(propose(bankLine, fees, NAME_ALONE).auto?.candidateIds).toEqual(['jean']);
  });
});

describe('matching a whole statement (matchAll)', () => {
  const transfer = (id: string, over: Partial<BankLineFacts> = {}) =>
    line({ id, amountCents: 3_000, label: 'VIREMENT RECU', counterpartyName: null, ...over });
  const fee = (id: string, over: Partial<Candidate> = {}) =>
    candidate({ id, kind: 'expected_payment', amountCents: 3_000, ...over });

  it('answers every line, in the input order, with the same proposals as propose', () => {
    const lines = [
      line({ id: 'b', label: 'VIR STRIPE PAYOUT po_1Nq8ZX' }),
      line({ id: 'a', amountCents: 999, label: 'INCONNU' }),
    ];
    const candidates = [candidate({ id: 'payout', kind: 'payout', references: ['po_1Nq8ZX'] })];
    const results = matchAll(lines, candidates);
    expect(results.map((r) => r.lineId)).toEqual(['b', 'a']);
    expect(results[0].auto?.candidateIds).toEqual(['payout']);
    expect(results[0].auto).toBe(results[0].proposals[0]);
    expect(results[1]).toEqual({ lineId: 'a', proposals: [], auto: null });
    // Alone, a line cannot know the other lines: the same proposal, without the uniqueness.
    expect(results[0].auto?.reasons).toEqual([
      'amount equal',
      'same day',
      'reference po_1Nq8ZX',
      'only item of this amount nearby',
    ]);
    expect(propose(lines[0], candidates).auto?.reasons).toEqual(
      results[0].auto?.reasons.slice(0, 3),
    );
  });

  it('applies the only item of an amount within two days when no other line has that amount', () => {
    const [result] = matchAll(
      [transfer('L1', { label: 'VERSEMENT ESPECES' })],
      [
        candidate({ id: 'cash', amountCents: 3_000, date: '2026-03-08' }),
        candidate({ id: 'other', amountCents: 4_000, date: '2026-03-10' }),
      ],
    );
    expect(result.auto?.candidateIds).toEqual(['cash']);
    expect(result.auto?.reasons).toEqual([
      'amount equal',
      '2 day(s) apart',
      'only item of this amount nearby',
    ]);
    expect(result.auto?.score).toBe(90);
  });

  it('does not call an item unique when it is 3 days away, another line has the amount, or propose is used alone', () => {
    const far = matchAll([transfer('L1')], [fee('e', { date: '2026-03-07' })]);
    expect(far[0].auto).toBeNull();
    expect(far[0].proposals[0].score).toBe(55);

    const twoLines = matchAll(
      [transfer('L1'), transfer('L2', { bookingDate: '2026-03-14' })],
      [fee('e', { date: '2026-03-10' })],
    );
    expect(twoLines.map((r) => r.auto)).toEqual([null, null]);
    expect(twoLines.map((r) => r.proposals.map((p) => p.candidateIds[0]))).toEqual([['e'], ['e']]);

    expect(propose(transfer('L1'), [fee('e')]).auto).toBeNull();
  });

  it('does not call an item unique when another item of the amount is in the window, even 5 days away', () => {
    const [result] = matchAll(
      [transfer('L1')],
      [fee('near', { date: '2026-03-10' }), fee('far', { date: '2026-03-15' })],
    );
    expect(result.auto).toBeNull();
    expect(result.proposals.map((p) => [p.candidateIds[0], p.score])).toEqual([
      ['near', 65],
      ['far', 55],
    ]);
  });

  it('never applies one item to two lines: both stay suggestions, saying why', () => {
    // The same transfer twice (sent again by mistake), with the item's own reference.
    const results = matchAll(
      [
        transfer('L1', { structuredReference: 'RF18539007547034' }),
        transfer('L2', { bookingDate: '2026-03-11', structuredReference: 'RF18539007547034' }),
      ],
      [fee('jean', { references: ['RF18539007547034'] })],
    );
    expect(results.map((r) => r.auto)).toEqual([null, null]);
    expect(results[0].proposals[0].reasons).toContain('also fits line L2');
    expect(results[1].proposals[0].reasons).toContain('also fits line L1');
  });

  it('keeps a line from being applied when its item is a high proposal of another line', () => {
    const results = matchAll(
      [
        transfer('L1', { counterpartyName: 'JEAN DUPRE' }),
        // Jean's name and Paul's: high for both items, so not applied, and it blocks L1.
        transfer('L2', { counterpartyName: 'JEAN DUPRE OU PAUL MARTIN' }),
      ],
      [fee('jean', { name: 'Jean Dupré' }), fee('paul', { name: 'Paul Martin' })],
      NAME_ALONE,
    );
    expect(results.map((r) => r.auto)).toEqual([null, null]);
    expect(results[1].proposals.map((p) => p.score)).toEqual([100, 100]);
    expect(results[0].proposals[0].reasons).toContain('also fits line L2');
  });

  it('lowers an item when the line carries the reference of another one', () => {
    const [result] = matchAll(
      [transfer('L1', { label: 'VIR COTISATION ADH-2026-0042' })],
      [
        fee('e41', { references: ['ADH-2026-0041'], date: '2026-03-10' }),
        fee('e42', { references: ['ADH-2026-0042'], amountCents: 5_000 }),
      ],
    );
    expect(result.auto).toBeNull();
    expect(result.proposals).toEqual([
      {
        candidateIds: ['e41'],
        kind: 'expected_payment',
        score: 25,
        reasons: ['amount equal', 'same day', 'reference of e42'],
      },
    ]);
  });

  it('counts a reference shared by several items as a hint, not as evidence', () => {
    const [result] = matchAll(
      [line({ id: 'L1', label: 'VIR STRIPE RUCHE ASSO' })],
      [
        candidate({ id: 'p1', kind: 'payout', references: ['RUCHE ASSO'] }),
        candidate({ id: 'p2', kind: 'payout', amountCents: 1_000, references: ['RUCHE ASSO'] }),
        candidate({ id: 'ledger', date: '2026-03-09' }),
      ],
    );
    expect(result.auto).toBeNull();
    expect(result.proposals.map((p) => [p.candidateIds[0], p.score, p.reasons.at(-1)])).toEqual([
      ['p1', 70, 'shared reference RUCHE ASSO'],
      // The line names the payouts: a ledger line of the same net is lowered.
      ['ledger', 20, 'reference of p1'],
    ]);
  });

  it('lowers a payer-name match when the line carries the member number of another item', () => {
    // Anne-Sophie Perrin pays for Anne-Sophie Couraud with Couraud's member number.
    const [result] = matchAll(
      [transfer('L1', { label: 'VIR PERM ANNE-SOPHIE PERRIN ADH02888' })],
      [
        fee('perrin', { name: 'Anne-Sophie Perrin', references: ['ADH01232'] }),
        fee('couraud', { name: 'Anne-Sophie Couraud', references: ['ADH02888'] }),
        fee('couraud-next-month', {
          name: 'Anne-Sophie Couraud',
          references: ['ADH02888'],
          date: '2026-04-10',
        }),
      ],
    );
    expect(result.auto).toBeNull();
    expect(result.proposals.map((p) => [p.candidateIds[0], p.score, p.reasons.slice(2)])).toEqual([
      ['couraud', 80, ['shared reference ADH02888', 'payer name in part']],
      ['perrin', 60, ['reference of couraud', 'payer name']],
    ]);
  });

  it('does not read a surname as the cut beginning of a first name', () => {
    expect(nameSimilarity('VIR PERM L MARTIN', 'Martine Martin')).toBe(0.5);
    expect(nameSimilarity('VIR SEPA HUGO DUPRE-LAFONTA', 'Hugo Dupré-Lafontaine')).toBe(1);
    // Only the last word of a text may have been cut.
    expect(nameSimilarity('VIR LAFONTA HUGO DUPRE', 'Hugo Dupré-Lafontaine')).toBeCloseTo(2 / 3);
  });

  it('finds references on word boundaries only, spaces and punctuation aside', () => {
    const slip = candidate({ id: 'slip', kind: 'cheque_deposit', references: ['0001234'] });
    const inside = matchAll([line({ id: 'L1', label: 'REMISE 00012345' })], [slip]);
    expect(inside[0].proposals[0].reasons).not.toContain('reference 0001234');
    const spaced = matchAll(
      [line({ id: 'L1', label: 'VIR', structuredReference: 'RF18 5390 0754 7034' })],
      [candidate({ id: 'rf', references: ['RF18539007547034'] })],
    );
    expect(spaced[0].auto?.reasons).toContain('reference RF18539007547034');
    // Short references and short numbers are ignored: too many labels hold them by chance.
    const short = matchAll(
      [line({ id: 'L1', label: 'COTIS 2026 ABC' })],
      [candidate({ id: 'x', references: ['2026', 'ABC'] })],
    );
    expect(short[0].proposals[0].reasons.filter((r) => r.includes('reference'))).toEqual([]);
  });

  it('marks a payer that shares no word with the expected name as a conflict', () => {
    const [result] = matchAll(
      [transfer('L1', { counterpartyName: 'MME CLAIRE DURAND' })],
      [fee('jean', { name: 'Jean Dupré' })],
    );
    expect(result.auto).toBeNull();
    expect(result.proposals[0]).toMatchObject({
      score: 50,
      reasons: expect.arrayContaining(['other payer name']),
    });
  });

  it('reads the value date as well as the booking date', () => {
    const [result] = matchAll(
      [line({ id: 'L1', bookingDate: '2026-03-10', valueDate: '2026-03-06', label: 'X' })],
      [candidate({ id: 'c', date: '2026-03-02', references: ['po_ABCDEF'] })],
    );
    expect(result.proposals[0].reasons[1]).toBe('4 day(s) apart');
  });

  it('never matches a credit with a debit, nor sums payouts or deposit slips', () => {
    const [debit] = matchAll([line({ id: 'L1', amountCents: -48_230 })], [candidate({ id: 'c' })]);
    expect(debit.proposals).toEqual([]);
    const [sum] = matchAll(
      [line({ id: 'L1', amountCents: 3_000, label: 'VIR' })],
      [
        candidate({ id: 'p1', kind: 'payout', amountCents: 1_000 }),
        candidate({ id: 'p2', kind: 'payout', amountCents: 2_000 }),
        candidate({ id: 's1', kind: 'cheque_deposit', amountCents: 1_000 }),
        candidate({ id: 'l1', kind: 'ledger_line', amountCents: 2_000, date: '2026-03-12' }),
        candidate({ id: 'l2', kind: 'ledger_line', amountCents: 1_000, date: '2026-03-08' }),
      ],
    );
    expect(sum.auto).toBeNull();
    expect(sum.proposals.map((p) => [...p.candidateIds].sort())).toEqual([['l1', 'l2']]);
    expect(sum.proposals[0].reasons).toEqual(['amount equal', '2 day(s) apart', '2 items summed']);
  });

  it('leaves out of the sums the items another line claims', () => {
    const items = [
      candidate({ id: 'a', amountCents: 1_000, references: ['RF18539007547034'] }),
      candidate({ id: 'b', amountCents: 2_000 }),
      candidate({ id: 'c', amountCents: 1_000, date: '2026-03-11' }),
    ];
    const lines = [
      line({ id: 'L1', amountCents: 3_000, label: 'VERSEMENT ESPECES' }),
      line({ id: 'L2', amountCents: 1_000, label: 'VIR', structuredReference: 'RF18539007547034' }),
    ];
    const [sum, claim] = matchAll(lines, items);
    expect(claim.auto?.candidateIds).toEqual(['a']);
    expect(sum.proposals.map((p) => p.candidateIds)).toEqual([['c', 'b']]);
    // Alone, the line cannot know: both sums.
    expect(propose(lines[0], items).proposals.map((p) => p.candidateIds)).toEqual([
      ['a', 'b'],
      ['c', 'b'],
    ]);
  });

  it('bounds the sums: at most maxGroupSize items among the maxGroupCandidates nearest', () => {
    const pieces = Array.from({ length: 8 }, (_, i) =>
      candidate({ id: `c${i}`, amountCents: 1_000, date: i < 4 ? '2026-03-10' : '2026-03-14' }),
    );
    const options = { ...DEFAULT_MATCHING, maxGroupSize: 3, maxGroupCandidates: 4 };
    const tooMany = matchAll([line({ id: 'L1', amountCents: 4_000 })], pieces, options);
    expect(tooMany[0].proposals).toEqual([]);
    const [three] = matchAll([line({ id: 'L1', amountCents: 3_000 })], pieces, options);
    expect(three.proposals.length).toBeGreaterThan(0);
    for (const p of three.proposals) {
      expect(p.candidateIds.every((id) => ['c0', 'c1', 'c2', 'c3'].includes(id))).toBe(true);
    }
  });

  it('in a crowded window, scores the items the line names and the nearest, and still finds the payer', () => {
    const crowd = Array.from({ length: 200 }, (_, i) =>
      fee(`m${i}`, {
        name: `Membre${i} Numero${i}`,
        date: `2026-03-${String(6 + (i % 9)).padStart(2, '0')}`,
      }),
    );
    crowd.push(fee('jean', { name: 'Jean Dupré', date: '2026-03-14' }));
    const [result] = matchAll(
      [transfer('L1', { counterpartyName: 'DUPRE JEAN' })],
      crowd,
      NAME_ALONE,
    );
    expect(result.auto?.candidateIds).toEqual(['jean']);
    expect(result.proposals).toHaveLength(DEFAULT_MATCHING.maxProposals);
    expect(result.proposals.slice(1).every((p) => p.score <= 65)).toBe(true);
  });

  it('ignores lines and items whose dates cannot be read', () => {
    expect(dayNumber('2026-03-10')).toBe(dayNumber('2026-03-09') + 1);
    expect(dayNumber('10/03/2026')).toBeNaN();
    const results = matchAll(
      [line({ id: 'L1', bookingDate: 'hier' }), line({ id: 'L2' })],
      [candidate({ id: 'c', date: '' })],
    );
    expect(results.map((r) => r.proposals)).toEqual([[], []]);
  });
});
