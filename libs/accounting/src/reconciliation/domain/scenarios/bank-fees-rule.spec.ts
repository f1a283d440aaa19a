// Bank fees: no ledger line explains them; the treasurer's label rules say which account.
import { matchAll, type BankLineFacts } from '../matching';
import { ruleFor, type LabelRule } from '../rules';

const debit = (id: string, label: string, amountCents: number): BankLineFacts => ({
  id,
  bookingDate: '2026-03-31',
  valueDate: '2026-03-31',
  amountCents,
  label,
  structuredReference: null,
  endToEndId: null,
  counterpartyName: null,
});

const rules: LabelRule[] = [
  {
    id: 'fees',
    name: 'Frais bancaires',
    labelContains: 'frais',
    direction: 'out',
    accountNumber: '627',
    autoApply: true,
    priority: 10,
  },
  {
    id: 'instant',
    name: 'Commissions virement instantané',
    labelContains: 'Commission virement instantané',
    direction: 'out',
    minAmountCents: null,
    maxAmountCents: 500,
    accountNumber: '6278',
    autoApply: true,
    priority: 10,
  },
  {
    id: 'card',
    name: 'Cotisation carte',
    labelContains: 'cotis carte',
    direction: 'out',
    accountNumber: '6281',
    autoApply: false,
    priority: 1,
  },
];

describe('scenario: bank fees by rule', () => {
  const lines = [
    debit('L1', 'FRAIS TENUE DE COMPTE 03/2026', -850),
    debit('L2', 'COMMISSION VIREMENT INSTANTANE', -100),
    debit('L3', 'COMMISSION VIREMENT INSTANTANE', -12_000),
    debit('L4', 'COTIS CARTE VISA BUSINESS FRAIS ANNUELS', -4_500),
  ];

  it('leaves the engine without proposals and gives each line its rule', () => {
    expect(matchAll(lines, []).map((r) => r.proposals)).toEqual([[], [], [], []]);
    expect(lines.map((l) => ruleFor(l, rules)?.id ?? null)).toEqual([
      'fees',
      'instant',
      null,
      'card',
    ]);
  });
});
