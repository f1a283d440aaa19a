import { openingLines, yearResultCents } from './year-close';

const accounts = { surplus: '120', deficit: '129' };

describe('year close rules', () => {
  it('computes the result as income minus expenses, ignoring the balance sheet and contributions in kind', () => {
    const balances = [
      { accountNumber: '5121', balanceCents: 145000 },
      { accountNumber: '7561', balanceCents: -60000 },
      { accountNumber: '6064', balanceCents: 15000 },
      { accountNumber: '864', balanceCents: 240000 },
      { accountNumber: '875', balanceCents: -240000 },
    ];
    expect(yearResultCents(balances)).toBe(45000);
  });

  it('carries classes 1 to 5 and puts a surplus on 120 (credit), a deficit on 129 (debit)', () => {
    expect(openingLines([{ accountNumber: '5121', balanceCents: 500 }, { accountNumber: '102', balanceCents: -300 }, { accountNumber: '7561', balanceCents: -200 }], 200, accounts)).toEqual([
      { accountNumber: '102', debitCents: 0, creditCents: 300 },
      { accountNumber: '120', debitCents: 0, creditCents: 200 },
      { accountNumber: '5121', debitCents: 500, creditCents: 0 },
    ]);
    expect(openingLines([{ accountNumber: '5121', balanceCents: -100 }, { accountNumber: '6064', balanceCents: 100 }], -100, accounts)).toEqual([
      { accountNumber: '129', debitCents: 100, creditCents: 0 },
      { accountNumber: '5121', debitCents: 0, creditCents: 100 },
    ]);
  });

  it('balances whenever the year balances', () => {
    const balances = [
      { accountNumber: '411', balanceCents: 1234 },
      { accountNumber: '487', balanceCents: -4000 },
      { accountNumber: '530', balanceCents: 999 },
      { accountNumber: '627', balanceCents: 35 },
      { accountNumber: '75411', balanceCents: 1732 },
    ];
    const lines = openingLines(balances, yearResultCents(balances), accounts);
    expect(lines.reduce((s, l) => s + l.debitCents, 0)).toBe(lines.reduce((s, l) => s + l.creditCents, 0));
  });
});
