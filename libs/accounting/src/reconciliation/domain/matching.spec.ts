import { nameSimilarity, propose, type BankLineFacts, type Candidate } from './matching';

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
    const { auto } = propose(
      line({ amountCents: 3_000, label: 'VIR M DUPRE JEAN', counterpartyName: null }),
      [
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
      ],
    );
    expect(auto?.candidateIds).toEqual(['jean']);
  });
});
