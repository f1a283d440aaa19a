import { displayName, nameKey, normalizeText, searchText, sortName } from './normalize';
import { duplicateReasons } from './duplicates';
import { checkCustomFields, type CustomFieldRule } from './custom-fields';

describe('names', () => {
  it('normalizes accents, case and punctuation; the name key ignores word order', () => {
    expect(normalizeText("  Éloïse  D'Aubigné ")).toBe('eloise d aubigne');
    expect(nameKey({ kind: 'person', firstName: 'Jean-Luc', lastName: 'MARTIN' })).toBe(nameKey({ kind: 'person', firstName: 'martin', lastName: 'Jean Luc' }));
    expect(nameKey({ kind: 'organization', organizationName: 'Café Associatif' })).toBe('associatif cafe');
  });

  it('shows people as LAST First and sorts them by last name', () => {
    expect(displayName({ kind: 'person', firstName: 'Jeanne', lastName: 'Dupré' })).toBe('DUPRÉ Jeanne');
    expect(displayName({ kind: 'organization', organizationName: 'Mairie de Lyon' })).toBe('Mairie de Lyon');
    expect(sortName({ kind: 'person', firstName: 'Zoé', lastName: 'Émile' })).toBe('emile zoe');
  });

  it('searches names, email, phone digits and reference', () => {
    const text = searchText({ kind: 'person', firstName: 'Zoé', lastName: 'Lefèvre', email: 'zoe@example.org', phone: '06 12 34 56 78', city: 'Saint-Étienne' }, 'M000042');
    expect(text).toContain('lefevre');
    expect(text).toContain('0612345678');
    expect(text).toContain('m000042');
    expect(text).toContain('saint etienne');
  });
});

describe('duplicates', () => {
  const base = { email: null, nameKey: 'jeanne martin', birthDate: null, postalCode: null, siren: null };
  it('same email, or same name plus birth date or postal code, or same SIREN', () => {
    expect(duplicateReasons({ ...base, email: 'a@b.fr' }, { ...base, nameKey: 'other', email: 'a@b.fr' })).toEqual(['same_email']);
    expect(duplicateReasons({ ...base, birthDate: '1980-02-03' }, { ...base, birthDate: '1980-02-03' })).toEqual(['same_name_and_birth_date']);
    expect(duplicateReasons({ ...base, postalCode: '69001' }, { ...base, postalCode: '69 001' })).toEqual(['same_name_and_postal_code']);
    expect(duplicateReasons({ ...base, siren: '732829320' }, { ...base, nameKey: 'x', siren: '732829320' })).toEqual(['same_siren']);
  });
  it('a shared name alone is not a duplicate (homonyms exist)', () => {
    expect(duplicateReasons({ ...base, postalCode: '69001' }, { ...base, postalCode: '75011' })).toEqual([]);
    expect(duplicateReasons(base, base)).toEqual([]);
  });
});

describe('custom fields', () => {
  const rules: CustomFieldRule[] = [
    { key: 'size', label: 'Taille', type: 'choice', options: ['S', 'M', 'L'], required: false, active: true },
    { key: 'skills', label: 'Compétences', type: 'multi_choice', options: ['cuisine', 'bricolage'], required: false, active: true },
    { key: 'licence', label: 'Licence', type: 'text', options: [], required: true, active: true },
    { key: 'volunteer', label: 'Bénévole', type: 'boolean', options: [], required: false, active: true },
    { key: 'since', label: 'Depuis', type: 'date', options: [], required: false, active: true },
    { key: 'children', label: 'Enfants', type: 'number', options: [], required: false, active: true },
  ];

  it('coerces typed values and drops empty ones', () => {
    expect(checkCustomFields(rules, { size: 'M', skills: 'cuisine; bricolage', licence: 'A-12', volunteer: 'oui', since: '2020-01-31', children: '2', empty: undefined }).errors).toEqual([
      { field: 'customFields.empty', code: 'contacts.unknown_custom_field', message: 'No custom field "empty"' },
    ]);
    expect(checkCustomFields(rules, { size: 'M', skills: 'cuisine; bricolage', licence: 'A-12', volunteer: 'oui', since: '2020-01-31', children: '2' }).values).toEqual({
      size: 'M',
      skills: ['cuisine', 'bricolage'],
      licence: 'A-12',
      volunteer: true,
      since: '2020-01-31',
      children: 2,
    });
  });

  it('keeps the stored value of a deactivated field and takes no new one', () => {
    const retired: CustomFieldRule[] = [...rules.filter((r) => r.key !== 'size'), { ...rules[0], active: false }];
    const { values, errors } = checkCustomFields(retired, { size: 'S', licence: 'A-12' }, { size: 'M', licence: 'old' });
    expect(errors).toEqual([]);
    expect(values).toEqual({ size: 'M', licence: 'A-12' });
  });

  it('names the field and the reason of every bad value, and missing required ones', () => {
    const { errors } = checkCustomFields(rules, { size: 'XXL', since: '2020-02-30', children: 'deux', volunteer: 'peut-être' });
    expect(errors.map((e) => e.field).sort()).toEqual(['customFields.children', 'customFields.licence', 'customFields.since', 'customFields.size', 'customFields.volunteer']);
    expect(errors.find((e) => e.field === 'customFields.size')?.message).toBe('One of: S, M, L');
    expect(errors.find((e) => e.field === 'customFields.licence')?.code).toBe('contacts.custom_field_required');
  });
});
