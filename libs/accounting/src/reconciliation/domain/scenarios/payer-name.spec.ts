// The payer's name as banks print it: uppercase, no accents, first and last names swapped,
// hyphens lost, the end cut off. Found anyway. A name alone is a suggestion unless the
// treasurer accepts names alone (a namesake or someone paying for another member looks the
// same); with the member number beside it, it is applied. A relative or a namesake waiting
// too keeps it a suggestion whatever the setting.
import { DEFAULT_MATCHING, matchAll, type BankLineFacts, type Candidate } from '../matching';

const NAME_ALONE = { ...DEFAULT_MATCHING, applyOnNameAlone: true };
const transfer = (id: string, label: string): BankLineFacts => ({
  id,
  bookingDate: '2026-10-05',
  valueDate: null,
  amountCents: 3_000,
  label,
  structuredReference: null,
  endToEndId: null,
  counterpartyName: null,
});
const fee = (id: string, name: string, references: string[] = []): Candidate => ({
  id,
  kind: 'expected_payment',
  date: '2026-10-03',
  amountCents: 3_000,
  references,
  name,
});
const scores = (r: { proposals: { candidateIds: string[]; score: number }[] }) =>
  r.proposals.map((p) => [p.candidateIds[0], p.score]);

describe('scenario: payer name', () => {
  const fees = [
    fee('E-dupre', 'Dupré Jean-Marie', ['ADH00042']),
    // The member number is on each of the member's fees: a shared reference.
    { ...fee('E-dupre-next', 'Dupré Jean-Marie', ['ADH00042']), date: '2027-01-03' },
    fee('E-paul', 'Paul Martin', ['ADH00043']),
    fee('E-jean', 'Jean Roux', ['ADH00044']),
    // Other members named Jean (other amounts): "Jean" is a first name here, not a family.
    { ...fee('E-jean-2', 'Jean Petit'), amountCents: 4_000 },
    { ...fee('E-jean-3', 'Jean Morel'), amountCents: 4_000 },
  ];

  it('finds "Dupré Jean-Marie" in "VIR SEPA M JEAN-MARIE DUPRE", a first name in common aside', () => {
    const [result] = matchAll([transfer('L1', 'VIR SEPA M JEAN-MARIE DUPRE')], fees);
    expect(result).toEqual({
      lineId: 'L1',
      proposals: [
        {
          candidateIds: ['E-dupre'],
          kind: 'expected_payment',
          score: 95,
          reasons: ['amount equal', '2 day(s) apart', 'payer name', 'payer name alone: to confirm'],
        },
        {
          candidateIds: ['E-jean'],
          kind: 'expected_payment',
          score: 70,
          reasons: ['amount equal', '2 day(s) apart', 'payer name in part'],
        },
        {
          candidateIds: ['E-paul'],
          kind: 'expected_payment',
          score: 60,
          reasons: ['amount equal', '2 day(s) apart'],
        },
      ],
      auto: null,
    });
    const [accepted] = matchAll([transfer('L1', 'VIR SEPA M JEAN-MARIE DUPRE')], fees, NAME_ALONE);
    expect(accepted.auto).toEqual({
      candidateIds: ['E-dupre'],
      kind: 'expected_payment',
      score: 95,
      reasons: ['amount equal', '2 day(s) apart', 'payer name'],
    });
  });

  it('applies the name with the member number beside it', () => {
    const [result] = matchAll([transfer('L1', 'VIR SEPA DUPRE JEAN MARIE ADH 00042')], fees);
    expect(result.auto).toEqual({
      candidateIds: ['E-dupre'],
      kind: 'expected_payment',
      score: 100,
      reasons: ['amount equal', '2 day(s) apart', 'shared reference ADH00042', 'payer name'],
    });
  });

  it('only suggests while a relative of the same last name waits too: the payer may pay for her', () => {
    const family = [fee('E-dupre', 'Dupré Jean-Marie'), fee('E-claire', 'Marie-Claire Dupré')];
    const [alone] = matchAll([transfer('L1', 'VIR SEPA M JEAN-MARIE DUPRE')], family, NAME_ALONE);
    expect(alone.auto).toBeNull();
    expect(alone.proposals.map((p) => [p.candidateIds[0], p.score, p.reasons])).toEqual([
      [
        'E-dupre',
        95,
        ['amount equal', '2 day(s) apart', 'payer name', 'payer name fits E-claire in part'],
      ],
      ['E-claire', 70, ['amount equal', '2 day(s) apart', 'payer name in part']],
    ]);
    // Marie-Claire's own transfer is in the statement: each is applied to its payer.
    const both = matchAll(
      [
        transfer('L1', 'VIR SEPA M JEAN-MARIE DUPRE'),
        transfer('L2', 'VIR SEPA DUPRE MARIE CLAIRE'),
      ],
      family,
      NAME_ALONE,
    );
    expect(both.map((r) => r.auto?.candidateIds)).toEqual([['E-dupre'], ['E-claire']]);
  });

  it('reads a name the bank cut off', () => {
    const family = [fee('E-hugo', 'Hugo Dupré-Lafontaine'), fee('E-lea', 'Léa Dupré-Lafontaine')];
    const [cut] = matchAll([transfer('L1', 'VIR SEPA DUPRE-LAFONTA')], family, NAME_ALONE);
    expect(cut.auto).toBeNull();
    expect(scores(cut)).toEqual([
      ['E-hugo', 70],
      ['E-lea', 70],
    ]);
    const results = matchAll(
      [
        transfer('L1', 'VIR SEPA HUGO DUPRE-LAFONTA'),
        transfer('L2', 'VIR SEPA LEA DUPRE LAFONTAINE'),
      ],
      family,
      NAME_ALONE,
    );
    expect(results.map((r) => r.auto?.candidateIds)).toEqual([['E-hugo'], ['E-lea']]);
    expect(results[0].auto?.reasons).toEqual(['amount equal', '2 day(s) apart', 'payer name']);
  });

  it('does not choose between two members of the same name', () => {
    const [result] = matchAll(
      [transfer('L1', 'VIR SEPA M JEAN-MARIE DUPRE')],
      [fee('E-1', 'Jean-Marie Dupré'), fee('E-2', 'DUPRE Jean Marie')],
      NAME_ALONE,
    );
    expect(result.auto).toBeNull();
    expect(scores(result)).toEqual([
      ['E-1', 95],
      ['E-2', 95],
    ]);
  });

  it('does not take one word for a full name', () => {
    const [result] = matchAll(
      [transfer('L1', 'VIR SEPA MARTIN')],
      [fee('E-martin', 'Martin'), fee('E-durand', 'Paul Durand')],
      NAME_ALONE,
    );
    expect(result.auto).toBeNull();
    expect(result.proposals[0]).toMatchObject({
      score: 70,
      reasons: expect.arrayContaining(['payer name in part']),
    });
  });
});
