import { CHART_FR_PCA_2018 } from './chart-fr-pca-2018';
import { BALANCE_SHEET, INCOME_STATEMENT, buildStatement } from './statements';

describe('annual statements layout', () => {
  it('feeds each account to its longest matching prefix: a gift is generosity, not "other income"', () => {
    const { sections } = buildStatement(INCOME_STATEMENT, [
      { accountNumber: '75411', balanceCents: -1000 },
      { accountNumber: '758', balanceCents: -200 },
      { accountNumber: '6064', balanceCents: 300 },
    ]);
    const income = sections.find((s) => s.key === 'operating_income');
    expect(income?.lines.find((l) => l.key === 'generosity')?.amountCents).toBe(1000);
    expect(income?.lines.find((l) => l.key === 'other_income')?.amountCents).toBe(200);
    expect(income?.totalCents).toBe(1200);
  });

  it('puts a bank account in credit among the debts, and one in debit among the cash', () => {
    const { sections } = buildStatement(BALANCE_SHEET, [
      { accountNumber: '5121', balanceCents: -500 },
      { accountNumber: '5122', balanceCents: 800 },
      { accountNumber: '411', balanceCents: -50 },
    ]);
    const line = (s: string, l: string) => sections.find((x) => x.key === s)?.lines.find((y) => y.key === l)?.amountCents;
    expect(line('current_assets', 'cash')).toBe(800);
    expect(line('debts', 'bank_overdrafts')).toBe(500);
    expect(line('debts', 'other_debts')).toBe(50);
  });

  it('classifies every account of classes 1 to 7 of the seeded chart, whatever its side', () => {
    for (const [number] of CHART_FR_PCA_2018.filter(([n]) => /^[1-5]/.test(n) && n.length >= 3)) {
      for (const balanceCents of [100, -100]) {
        expect([number, buildStatement(BALANCE_SHEET, [{ accountNumber: number, balanceCents }]).unclassified]).toEqual([number, []]);
      }
    }
    for (const [number] of CHART_FR_PCA_2018.filter(([n]) => /^[67]/.test(n) && n.length >= 3)) {
      expect([number, buildStatement(INCOME_STATEMENT, [{ accountNumber: number, balanceCents: 100 }]).unclassified]).toEqual([number, []]);
    }
  });
});
