import type { BankLineFacts } from './matching';
import {
  labelSignature,
  learnedSuggestion,
  ruleFor,
  type LabelRule,
  type LearnedExample,
} from './rules';

const line = (label: string, amountCents = -850): BankLineFacts => ({
  id: 'L1',
  bookingDate: '2026-03-31',
  valueDate: null,
  amountCents,
  label,
  structuredReference: null,
  endToEndId: null,
  counterpartyName: null,
});
const rule = (over: Partial<LabelRule> & Pick<LabelRule, 'id'>): LabelRule => ({
  name: over.id,
  labelContains: 'FRAIS',
  direction: 'out',
  accountNumber: '627',
  autoApply: true,
  priority: 10,
  ...over,
});

describe('label rules', () => {
  it('matches the label without accents, case or spaces', () => {
    const fees = rule({ id: 'fees', labelContains: 'frais  tenue de compte' });
    expect(ruleFor(line('FRAIS TENUE DE COMPTE MARS'), [fees])).toBe(fees);
    expect(ruleFor(line('FRAISTENUE  DE  COMPTE'), [fees])).toBe(fees);
    const insurance = rule({ id: 'maif', labelContains: 'Prélèvement MAÏF' });
    expect(ruleFor(line('PRELEVEMENT MAIF 0326'), [insurance])).toBe(insurance);
    expect(ruleFor(line('VIR SEPA DUPRE'), [fees, insurance])).toBeNull();
  });

  it('checks the direction and the bounds of the absolute amount', () => {
    const out = rule({ id: 'out', minAmountCents: 100, maxAmountCents: 5_000 });
    const incoming = rule({ id: 'in', direction: 'in', accountNumber: '7788' });
    const any = rule({ id: 'any', direction: 'any', accountNumber: '471' });
    expect(ruleFor(line('FRAIS', -850), [out, incoming])).toBe(out);
    expect(ruleFor(line('FRAIS', 850), [out, incoming])).toBe(incoming);
    expect(ruleFor(line('FRAIS', -5_001), [out, incoming])).toBeNull();
    expect(ruleFor(line('FRAIS', -99), [out, incoming])).toBeNull();
    expect(ruleFor(line('FRAIS', -5_000), [out])).toBe(out);
    expect(ruleFor(line('FRAIS', 850), [any])).toBe(any);
    expect(ruleFor(line('FRAIS', -850), [any])).toBe(any);
    expect(ruleFor(line('FRAIS', 0), [out, incoming])).toBeNull();
  });

  it('takes the lowest priority number, then the longest pattern, then the smallest id', () => {
    const general = rule({ id: 'b', labelContains: 'frais', priority: 5 });
    const specific = rule({ id: 'c', labelContains: 'frais carte', priority: 5 });
    const urgent = rule({ id: 'd', labelContains: 'carte', priority: 1 });
    const twin = rule({ id: 'a', labelContains: 'frais carte', priority: 5 });
    expect(ruleFor(line('FRAIS CARTE VISA'), [general, specific])).toBe(specific);
    expect(ruleFor(line('FRAIS CARTE VISA'), [general, specific, urgent])).toBe(urgent);
    expect(ruleFor(line('FRAIS CARTE VISA'), [specific, twin, general])).toBe(twin);
  });

  it('never lets an empty pattern take every line', () => {
    expect(ruleFor(line('FRAIS'), [rule({ id: 'empty', labelContains: '  ' })])).toBeNull();
  });
});

describe('label signatures', () => {
  it.each([
    ['PRLV SEPA FREE MOBILE 12345 ECH/150326', 'prlv sepa free mobile'],
    ['PRLV SEPA FREE MOBILE 98765 ECH/150426', 'prlv sepa free mobile'],
    ['CB CARREFOUR 15/03 4974XXXXXXXX1234', 'cb carrefour'],
    ['VIR STRIPE PAYMENTS po_1NQ8ZXABC', 'vir stripe payments'],
    ['Prélèvement  Électricité-de-France', 'prelevement electricite de france'],
    ['COMMISSION M. DUPONT', 'commission dupont'],
    ['123456 01/02/2026', ''],
  ])('%s → "%s"', (label, signature) => {
    expect(labelSignature(label)).toBe(signature);
  });
});

describe('learned suggestions', () => {
  const example = (label: string, accountNumber: string, amountCents = -2_999): LearnedExample => ({
    label,
    accountNumber,
    amountCents,
  });

  it('suggests the account of two concordant past lines of the same signature and sign', () => {
    const examples = [
      example('PRLV SEPA FREE MOBILE 11111 ECH/150126', '626'),
      example('PRLV SEPA FREE MOBILE 22222 ECH/150226', '626'),
      example('PRLV SEPA FREE MOBILE 33333 ECH/150326', '7788', 2_999),
      example('PRLV SEPA ORANGE 44444', '6064'),
    ];
    expect(
      learnedSuggestion(line('PRLV SEPA FREE MOBILE 12345 ECH/150426', -3_499), examples),
    ).toEqual({
      accountNumber: '626',
      count: 2,
      signature: 'prlv sepa free mobile',
    });
    // A credit with that label: only one example of that sign.
    expect(learnedSuggestion(line('PRLV SEPA FREE MOBILE 555', 2_999), examples)).toBeNull();
  });

  it('needs two examples, and a majority of them', () => {
    const once = [example('PRLV EDF 1', '6061')];
    expect(learnedSuggestion(line('PRLV EDF 2'), once)).toBeNull();
    const split = [
      example('PRLV EDF 1', '6061'),
      example('PRLV EDF 2', '6061'),
      example('PRLV EDF 3', '615'),
      example('PRLV EDF 4', '615'),
    ];
    expect(learnedSuggestion(line('PRLV EDF 5'), split)).toBeNull();
    const majority = [...split, example('PRLV EDF 6', '6061')];
    expect(learnedSuggestion(line('PRLV EDF 7'), majority)).toEqual({
      accountNumber: '6061',
      count: 3,
      signature: 'prlv edf',
    });
  });

  it('suggests nothing for a label with no words left', () => {
    const examples = [example('12345', '627'), example('67890', '627')];
    expect(learnedSuggestion(line('11111'), examples)).toBeNull();
  });
});
