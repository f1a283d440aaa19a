import { checkCentsLines, checkLines, reverseLines } from './entry-rules';

describe('entry rules', () => {
  it('accepts a balanced entry and converts it to cents', () => {
    const { lines, problems } = checkLines([
      { account: '51151', debit: '49.10' },
      { account: '627', debit: '0,90' },
      { account: '7561', credit: 50 },
    ]);
    expect(problems).toEqual([]);
    expect(lines).toEqual([
      { account: '51151', debitCents: 4910, creditCents: 0 },
      { account: '627', debitCents: 90, creditCents: 0 },
      { account: '7561', debitCents: 0, creditCents: 5000 },
    ]);
  });

  it('reports every problem with its line', () => {
    const { problems } = checkLines([
      { account: '51', debit: '10.001' },
      { account: '7561', debit: 5, credit: 5 },
      { account: '530' },
    ]);
    expect(problems.map((p) => [p.field, p.code])).toEqual([
      ['lines.0.debit', 'amount.too_many_decimals'],
      ['lines.0.account', 'accounting.account_not_postable'],
      ['lines.1', 'accounting.both_sides'],
      ['lines.2', 'accounting.zero_line'],
    ]);
  });

  it('names the difference of an unbalanced entry', () => {
    const { problems } = checkLines([{ account: '530', debit: '20' }, { account: '7561', credit: '19.99' }]);
    expect(problems).toEqual([{ field: 'lines', code: 'accounting.unbalanced', message: 'Debits (20.00) and credits (19.99) differ by 0.01' }]);
  });

  it('needs two lines at least', () => {
    expect(checkLines([{ account: '530', debit: 1 }]).problems[0]).toMatchObject({ code: 'accounting.too_few_lines' });
    expect(checkCentsLines([])[0]).toMatchObject({ code: 'accounting.too_few_lines' });
  });

  it('checks lines in cents the same way (automatic postings)', () => {
    expect(checkCentsLines([{ account: '530', debitCents: 100, creditCents: 0 }, { account: '7561', debitCents: 0, creditCents: 100 }])).toEqual([]);
    expect(checkCentsLines([{ account: '530', debitCents: 1.5, creditCents: 0 }, { account: '7561', debitCents: 0, creditCents: 1.5 }])[0]).toMatchObject({ code: 'amount.bad_cents' });
    expect(checkCentsLines([{ account: '530', debitCents: -100, creditCents: 0 }, { account: '7561', debitCents: 0, creditCents: -100 }])[0]).toMatchObject({ code: 'amount.bad_cents' });
  });

  it('reverses by swapping sides, keeping everything else', () => {
    expect(reverseLines([{ account: '530', debitCents: 100, creditCents: 0, label: 'x' }])).toEqual([{ account: '530', debitCents: 0, creditCents: 100, label: 'x' }]);
  });
});
