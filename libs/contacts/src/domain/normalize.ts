import type { ContactKind } from '@ruche/contracts';

/** Lower case, accents and punctuation removed, spaces collapsed: "Éloïse  D'Aubigné" -> "eloise d aubigne". */
export function normalizeText(value: string | null | undefined): string {
  if (!value) return '';
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9@.]+/g, ' ')
    .trim();
}

export interface NamedContact {
  kind: ContactKind;
  firstName?: string | null;
  lastName?: string | null;
  organizationName?: string | null;
}

/**
 * The key two spellings of one name share: normalized words in alphabetical order, so that
 * "MARTIN Jean-Luc" and "Jean Luc Martin" match.
 */
export function nameKey(contact: NamedContact): string {
  const raw = contact.kind === 'organization' ? contact.organizationName : `${contact.firstName ?? ''} ${contact.lastName ?? ''}`;
  return normalizeText(raw).replace(/[@.]/g, ' ').split(' ').filter(Boolean).sort().join(' ');
}

/** How lists show a contact: "MARTIN Jeanne" for people (French usage), the name for legal entities. */
export function displayName(contact: NamedContact): string {
  if (contact.kind === 'organization') return contact.organizationName ?? '';
  const last = contact.lastName?.toLocaleUpperCase('fr-FR') ?? '';
  return [last, contact.firstName ?? ''].filter(Boolean).join(' ');
}

/** Sort key for lists: last name then first name, without accents. */
export function sortName(contact: NamedContact): string {
  if (contact.kind === 'organization') return normalizeText(contact.organizationName);
  return normalizeText(`${contact.lastName ?? ''} ${contact.firstName ?? ''}`);
}

/** What the search box looks in: names, email, phone digits, city, postal code, reference. */
export function searchText(
  contact: NamedContact & { email?: string | null; city?: string | null; postalCode?: string | null; phone?: string | null; mobilePhone?: string | null },
  reference: string,
): string {
  const phones = [contact.phone, contact.mobilePhone].filter(Boolean).map((p) => (p as string).replace(/\D/g, ''));
  return normalizeText(
    [contact.firstName, contact.lastName, contact.organizationName, contact.email, contact.city, contact.postalCode, reference.toLowerCase(), ...phones]
      .filter(Boolean)
      .join(' '),
  );
}
