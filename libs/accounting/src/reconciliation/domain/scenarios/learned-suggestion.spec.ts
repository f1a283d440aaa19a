// A monthly direct debit the treasurer sent twice to the same account by hand: the third month
// the engine suggests that account, the label's changing numbers aside.
import { matchAll, type BankLineFacts } from '../matching';
import { learnedSuggestion, type LearnedExample } from '../rules';

const debit = (label: string, amountCents: number): BankLineFacts => ({
  id: 'L-april',
  bookingDate: '2026-04-15',
  valueDate: null,
  amountCents,
  label,
  structuredReference: null,
  endToEndId: null,
  counterpartyName: 'FREE MOBILE',
});

describe('scenario: learned suggestion', () => {
  const history: LearnedExample[] = [
    { label: 'PRLV SEPA FREE MOBILE 10234 ECH/150126', accountNumber: '626', amountCents: -1_999 },
    { label: 'PRLV SEPA FREE MOBILE 10987 ECH/150226', accountNumber: '626', amountCents: -1_999 },
    { label: 'PRLV SEPA FREE MOBILE 11543 ECH/150326', accountNumber: '626', amountCents: -2_499 },
    // Once sent elsewhere by mistake: outvoted.
    { label: 'PRLV SEPA FREE MOBILE 09876 ECH/151225', accountNumber: '6064', amountCents: -1_999 },
    // A refund from the same company: a credit, another question.
    { label: 'VIR FREE MOBILE REMBOURSEMENT', accountNumber: '7788', amountCents: 1_999 },
  ];

  it('suggests the account most used for the same label signature and sign', () => {
    const line = debit('PRLV SEPA FREE MOBILE 12001 ECH/150426', -1_999);
    expect(matchAll([line], [])[0].proposals).toEqual([]);
    expect(learnedSuggestion(line, history)).toEqual({
      accountNumber: '626',
      count: 3,
      signature: 'prlv sepa free mobile',
    });
  });

  it('suggests nothing for a label never seen, or with only one example', () => {
    expect(learnedSuggestion(debit('PRLV SEPA ORANGE 555', -3_000), history)).toBeNull();
    expect(learnedSuggestion(debit('VIR FREE MOBILE REMBOURSEMENT', 1_999), history)).toBeNull();
  });
});
