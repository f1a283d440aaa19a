import { mapRow, parseAmountCents, parseDay, suggestColumns } from './import-row';

describe('import rows', () => {
  it('reads days in the order given, two-digit years, and refuses impossible days', () => {
    expect(parseDay('03/04/2026', 'dmy')).toBe('2026-04-03');
    expect(parseDay('3-4-26', 'dmy')).toBe('2026-04-03');
    expect(parseDay('03.04.85', 'dmy')).toBe('1985-04-03');
    expect(parseDay('04/03/2026', 'mdy')).toBe('2026-04-03');
    expect(parseDay('2026/04/03', 'dmy')).toBe('2026-04-03');
    expect(parseDay('2026-04-03T00:00:00', 'dmy')).toBe('2026-04-03');
    expect(parseDay('31/02/2026', 'dmy')).toBeNull();
    expect(parseDay('demain', 'dmy')).toBeNull();
  });

  it('reads amounts with a decimal comma, spaces and the euro sign; refuses the rest', () => {
    expect(parseAmountCents('1 234,50 €')).toBe(123450);
    expect(parseAmountCents('30')).toBe(3000);
    expect(parseAmountCents('12.5')).toBe(1250);
    expect(parseAmountCents('12,345')).toBeNull();
    expect(parseAmountCents('-5')).toBeNull();
  });

  it('suggests targets from French and English headers and custom field labels, each once', () => {
    expect(suggestColumns(['NOM', 'Prénom', 'E-mail', 'CP', 'Ville', 'Pointure', 'Email'], [{ key: 'pointure', label: 'Pointure' }])).toEqual({
      '0': 'lastName',
      '1': 'firstName',
      '2': 'email',
      '3': 'postalCode',
      '4': 'city',
      '5': 'custom:pointure',
    });
  });

  it('maps a line: full names in French order, civility, lost leading zeros, tags, and a message per unreadable cell', () => {
    const row = mapRow(['DUPONT Jean-Marc', 'M.', '1000', 'a; b', '12/13/2026', 'beaucoup'], { '0': 'fullName', '1': 'civility', '2': 'postalCode', '3': 'tags', '4': 'membershipStartDate', '5': 'membershipAmount' }, 'dmy');
    expect(row.contact).toEqual({ lastName: 'DUPONT', firstName: 'Jean-Marc', civility: 'm', postalCode: '01000' });
    expect(row.tags).toEqual(['a', 'b']);
    expect(row.messages).toEqual([
      { field: 'membershipStartDate', message: '"12/13/2026" is not a date (DD/MM/YYYY)' },
      { field: 'membershipAmount', message: '"beaucoup" is not an amount' },
    ]);
    expect(mapRow(['Jean Dupont'], { '0': 'fullName' }, 'dmy').contact).toEqual({ firstName: 'Jean', lastName: 'Dupont' });
    expect(mapRow(['Mairie de Lyon'], { '0': 'organizationName' }, 'dmy').contact).toEqual({ organizationName: 'Mairie de Lyon', kind: 'organization' });
  });
});
