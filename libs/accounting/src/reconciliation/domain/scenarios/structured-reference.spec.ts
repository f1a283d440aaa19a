// A transfer carrying the structured creditor reference (ISO 11649 "RF…") of an expected
// payment: applied by that reference whatever the payer's name; a transfer of another amount
// carrying it must not be applied to some other item that happens to have its amount.
import { matchAll, type BankLineFacts, type Candidate } from '../matching';

const transfer = (id: string, amountCents: number, structuredReference: string): BankLineFacts => ({
  id,
  bookingDate: '2026-03-13',
  valueDate: null,
  amountCents,
  label: 'VIR SEPA APE ECOLE JULES FERRY',
  structuredReference,
  endToEndId: 'NOTPROVIDED',
  counterpartyName: 'APE ECOLE JULES FERRY',
});
const expected = (id: string, amountCents: number, reference: string, name: string): Candidate => ({
  id,
  kind: 'expected_payment',
  date: '2026-03-10',
  amountCents,
  references: [reference],
  name,
});

describe('scenario: transfer by structured creditor reference', () => {
  const candidates = [
    expected('E1', 5_000, 'RF18539007547034', 'Lucie Bernard'),
    expected('E2', 5_000, 'RF71AB2026000042', 'Paul Petit'),
    expected('E3', 6_000, 'RF53AB2026000043', 'Chloé Roux'),
  ];

  it('applies the expected payment whose reference the bank gives, printed in groups of four', () => {
    const [result] = matchAll([transfer('L1', 5_000, 'RF18 5390 0754 7034')], candidates);
    expect(result.auto?.candidateIds).toEqual(['E1']);
    expect(result.proposals).toEqual([
      {
        candidateIds: ['E1'],
        kind: 'expected_payment',
        score: 90,
        // Another payer (the parents' association pays for Lucie): the reference decides.
        reasons: ['amount equal', '3 day(s) apart', 'reference RF18539007547034'],
      },
      {
        candidateIds: ['E2'],
        kind: 'expected_payment',
        score: 0,
        reasons: ['amount equal', '3 day(s) apart', 'reference of E1', 'other payer name'],
      },
    ]);
  });

  it('applies nothing when the reference belongs to an item of another amount', () => {
    const [result] = matchAll([transfer('L1', 6_000, 'RF18539007547034')], candidates);
    expect(result.auto).toBeNull();
    expect(result.proposals).toEqual([
      {
        candidateIds: ['E3'],
        kind: 'expected_payment',
        score: 0,
        reasons: ['amount equal', '3 day(s) apart', 'reference of E1', 'other payer name'],
      },
    ]);
  });
});
