import { accountIdKind, describeStatementAccount, otherAccount } from './account-identity';
import type { StatementAccountIdentity } from './statement';

/** FR76 30004 00823 00012345678 19: bank 30004, branch 00823, account 00012345678, key 19. */
const FR = 'FR7630004008230001234567819';
const id = (parts: Partial<StatementAccountIdentity>) => ({
  iban: null,
  account: { bankCode: null, branchCode: null, accountNumber: null, key: null, ...parts },
});

describe('the account a statement is for', () => {
  it('compares IBANs whole, whatever their spacing', () => {
    expect(otherAccount(FR, { iban: FR })).toBeNull();
    expect(otherAccount(FR, { iban: 'fr76 3000 4008 2300 0123 4567 819' })).toBeNull();
    expect(otherAccount(FR, { iban: 'FR7630004008230009876543229' })).toBe(
      'FR7630004008230009876543229',
    );
  });

  it('compares French bank details with the parts of a French IBAN', () => {
    const same = { bankCode: '30004', branchCode: '00823', accountNumber: '00012345678' };
    expect(otherAccount(FR, id(same))).toBeNull();
    expect(otherAccount(FR, id({ ...same, key: '19' }))).toBeNull();
    expect(otherAccount(FR, id({ ...same, accountNumber: '00098765432' }))).toBe(
      'bank 30004, branch 00823, account 00098765432',
    );
    expect(otherAccount(FR, id({ ...same, bankCode: '30003' }))).toContain('bank 30003');
    expect(otherAccount(FR, id({ ...same, branchCode: '00824' }))).toContain('branch 00824');
    expect(otherAccount(FR, id({ ...same, key: '20' }))).toContain('key 20');
    // How banks write ACCTID: with the key, the whole RIB, without leading zeros.
    for (const accountNumber of ['0001234567819', '30004008230001234567819', '12345678'])
      expect(otherAccount(FR, id({ accountNumber }))).toBeNull();
    expect(otherAccount(FR, id({ accountNumber: '0001234567820' }))).not.toBeNull();
    expect(
      otherAccount(FR, id({ bankCode: '5472369148', accountNumber: '1452687~7' })),
    ).not.toBeNull();
    // Monaco's IBAN holds a French RIB too.
    expect(
      otherAccount(
        'MC5811222000010123456789030',
        id({ bankCode: '11222', accountNumber: '01234567890' }),
      ),
    ).toBeNull();
  });

  it('compares what can be compared for a foreign IBAN', () => {
    const de = 'DE89370400440532013000'; // bank code 37040044, account 0532013000
    expect(otherAccount(de, id({ bankCode: '37040044', accountNumber: '532013000' }))).toBeNull();
    expect(otherAccount(de, id({ bankCode: '37040045', accountNumber: '532013000' }))).toContain(
      'bank 37040045',
    );
    expect(otherAccount(de, id({ accountNumber: '999999999' }))).toContain('account 999999999');
    // A bank code of another country's shape says nothing about this IBAN.
    expect(
      otherAccount(
        'GB29NWBK60161331926819',
        id({ bankCode: '5472369148', accountNumber: '1452687~7' }),
      ),
    ).toBeNull();
    expect(
      otherAccount('GB29NWBK60161331926819', id({ bankCode: 'NWBK', branchCode: '601614' })),
    ).toContain('branch 601614');
    // A bank given as a BIC is not compared, but the account still is.
    expect(
      otherAccount(
        'GB29NWBK60161331926819',
        id({ bankCode: 'NWBKGB2L', accountNumber: '31926819' }),
      ),
    ).toBeNull();
    expect(
      otherAccount(
        'GB29NWBK60161331926819',
        id({ bankCode: 'NWBKGB2L', accountNumber: '99999999' }),
      ),
    ).toContain('account 99999999');
    expect(otherAccount(FR, id({ bankCode: 'BNPAFRPP', accountNumber: '00012345678' }))).toBeNull();
    expect(otherAccount(FR, id({ bankCode: 'BNPAFRPP', accountNumber: '00098765432' }))).toContain(
      'account 00098765432',
    );
  });

  it('accepts a file that gives no account identity at all', () => {
    expect(otherAccount(FR, { iban: null, account: null })).toBeNull();
    expect(otherAccount(FR, { iban: null })).toBeNull();
    expect(otherAccount(FR, id({}))).toBeNull();
    expect(describeStatementAccount(id({}))).toBeNull();
  });

  it('tells an IBAN, an account number and a name apart in an account id', () => {
    expect(accountIdKind('NL26 VAYB 8060 4768 90')).toBe('iban');
    expect(accountIdKind('00012345678')).toBe('account');
    expect(accountIdKind('0001-234567.8')).toBe('account');
    expect(accountIdKind('Compte courant')).toBeNull();
    expect(accountIdKind('AB12')).toBeNull();
    expect(accountIdKind(null)).toBeNull();
  });
});
