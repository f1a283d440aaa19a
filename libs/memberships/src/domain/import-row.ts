import type { DateOrder, ImportField, ImportTarget } from '@ruche/contracts';

export interface RowMessage {
  field: string;
  message: string;
}

/** Header words -> the field they usually name (French and English spreadsheets). */
const SYNONYMS: [RegExp, ImportField][] = [
  [/^(civilite|civility|titre|title)$/, 'civility'],
  [/^(prenom|first ?name|given ?name)$/, 'firstName'],
  [/^(nom( de famille)?|last ?name|surname|family ?name)$/, 'lastName'],
  [/^(nom complet|nom et prenom|prenom et nom|full ?name|name|adherent|membre|member)$/, 'fullName'],
  [/^(raison sociale|organisation|organization|societe|entreprise|company|structure)$/, 'organizationName'],
  [/^siren$/, 'siren'],
  [/^(date de naissance|naissance|ne le|nee le|birth ?date|date of birth|dob)$/, 'birthDate'],
  [/^(e ?mail|courriel|adresse e ?mail|mail)$/, 'email'],
  [/^(telephone|tel|phone|fixe|telephone fixe)$/, 'phone'],
  [/^(portable|mobile|tel portable|telephone portable|gsm|cell)$/, 'mobilePhone'],
  [/^(adresse|address|adresse 1|address 1|rue|street)$/, 'addressLine1'],
  [/^(adresse 2|complement|complement d adresse|address 2)$/, 'addressLine2'],
  [/^(code postal|cp|postal ?code|zip|zip ?code)$/, 'postalCode'],
  [/^(ville|commune|city|town|localite)$/, 'city'],
  [/^(pays|country)$/, 'country'],
  [/^(notes?|remarques?|commentaires?|comments?|observations?)$/, 'notes'],
  [/^(langue|language|locale)$/, 'locale'],
  [/^(tags?|etiquettes?|groupes?|groups?|categories?)$/, 'tags'],
  [/^(type|type de contact|personne morale)$/, 'kind'],
  [/^(formule|adhesion|type d adhesion|plan|membership|cotisation type|formule d adhesion)$/, 'membershipPlan'],
  [/^(tarif|tier|tranche)$/, 'membershipTier'],
  [/^(date d adhesion|debut|date de debut|start ?date|adhesion le|membre depuis|inscription|date d inscription)$/, 'membershipStartDate'],
  [/^(montant|cotisation|montant cotisation|amount|montant paye|paid)$/, 'membershipAmount'],
  [/^(date de paiement|paye le|paid on|payment date|date de reglement|reglement)$/, 'membershipPaidOn'],
];

export function headerKey(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** What each column probably holds, from its header; custom fields match their key or label. */
export function suggestColumns(headers: readonly string[], customFields: readonly { key: string; label: string }[]): Record<string, ImportTarget> {
  const out: Record<string, ImportTarget> = {};
  const used = new Set<string>();
  headers.forEach((header, index) => {
    const key = headerKey(header);
    if (key === '') return;
    const custom = customFields.find((f) => headerKey(f.label) === key || f.key === key.replace(/ /g, '_'));
    const target: ImportTarget | undefined = custom ? `custom:${custom.key}` : SYNONYMS.find(([re]) => re.test(key))?.[1];
    if (target && !used.has(target)) {
      out[String(index)] = target;
      used.add(target);
    }
  });
  return out;
}

/** A day as people type it: 03/04/2026, 3-4-26, 2026-04-03, 03.04.2026 (order given), or an ISO date from a spreadsheet cell. */
export function parseDay(text: string, order: DateOrder): string | null {
  const value = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(value);
  let y: number;
  let m: number;
  let d: number;
  if (iso) {
    [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else {
    const parts = /^(\d{1,4})[/.\-\s](\d{1,2})[/.\-\s](\d{1,4})$/.exec(value);
    if (!parts) return null;
    const [a, b, c] = [parts[1], parts[2], parts[3]];
    if (order === 'ymd' || a.length === 4) [y, m, d] = [Number(a), Number(b), Number(c)];
    else if (order === 'mdy') [m, d, y] = [Number(a), Number(b), Number(c)];
    else [d, m, y] = [Number(a), Number(b), Number(c)];
    const yearText = order === 'ymd' || a.length === 4 ? a : c;
    if (yearText.length === 2) y += y > 40 ? 1900 : 2000;
    else if (yearText.length !== 4) return null;
  }
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** "1 234,50 €", "12.5", "30" -> cents; null when it is not an amount with at most 2 decimals. */
export function parseAmountCents(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0\u202f€]|EUR/gi, '');
  const match = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

const CIVILITIES: Record<string, 'mme' | 'm' | 'mx'> = { mme: 'mme', madame: 'mme', mlle: 'mme', mademoiselle: 'mme', mrs: 'mme', ms: 'mme', m: 'm', mr: 'm', monsieur: 'm', mx: 'mx' };

export interface MappedRow {
  /** Fields for the contact schema (strings as typed; the schema checks them). */
  contact: Record<string, unknown>;
  customFields: Record<string, string>;
  tags: string[];
  membership: { plan: string | null; tier: string | null; startDate: string | null; amountCents: number | null; paidOn: string | null } | null;
  messages: RowMessage[];
  /** How the report names the row. */
  label: string;
}

/**
 * One line of the file through the mapping: typed values for the contact and its membership,
 * and a message per cell that cannot be read (a date, an amount). The contact schema and the
 * custom field rules check the rest.
 */
export function mapRow(cells: readonly string[], columns: Readonly<Record<string, string>>, order: DateOrder): MappedRow {
  const contact: Record<string, unknown> = {};
  const customFields: Record<string, string> = {};
  const messages: RowMessage[] = [];
  let tags: string[] = [];
  const membership = { plan: null as string | null, tier: null as string | null, startDate: null as string | null, amountCents: null as number | null, paidOn: null as string | null };
  let hasMembership = false;
  const day = (field: string, value: string): string | null => {
    const parsed = parseDay(value, order);
    if (!parsed) messages.push({ field, message: `"${value}" is not a date (${order === 'dmy' ? 'DD/MM/YYYY' : order === 'ymd' ? 'YYYY-MM-DD' : 'MM/DD/YYYY'})` });
    return parsed;
  };
  for (const [index, target] of Object.entries(columns)) {
    const value = (cells[Number(index)] ?? '').trim();
    if (value === '') continue;
    if (target.startsWith('custom:')) {
      customFields[target.slice(7)] = value;
      continue;
    }
    switch (target as ImportField) {
      case 'kind':
        contact.kind = /^(morale|organi[sz]ation|entreprise|societe|société|association|company|pm)$/i.test(value) ? 'organization' : 'person';
        break;
      case 'civility': {
        const civility = CIVILITIES[value.toLowerCase().replace(/\./g, '')];
        if (civility) contact.civility = civility;
        else messages.push({ field: 'civility', message: `"${value}" is not Mme, M. or Mx` });
        break;
      }
      case 'fullName': {
        const words = value.split(/\s+/);
        // "DUPONT Jean" (capitals first, French usage) or "Jean Dupont".
        const capitals = words.filter((w) => w.length > 1 && w === w.toLocaleUpperCase('fr-FR') && /\p{L}/u.test(w));
        if (capitals.length > 0 && capitals.length < words.length) {
          contact.lastName = capitals.join(' ');
          contact.firstName = words.filter((w) => !capitals.includes(w)).join(' ');
        } else if (words.length > 1) {
          contact.firstName = words.slice(0, -1).join(' ');
          contact.lastName = words.at(-1);
        } else {
          contact.lastName = value;
        }
        break;
      }
      case 'birthDate': {
        const parsed = day('birthDate', value);
        if (parsed) contact.birthDate = parsed;
        break;
      }
      case 'country':
        contact.country = /^france$/i.test(value) ? 'FR' : /^belgique$/i.test(value) ? 'BE' : /^suisse$/i.test(value) ? 'CH' : value;
        break;
      case 'locale':
        contact.locale = /^(en|english|anglais)$/i.test(value) ? 'en' : 'fr';
        break;
      case 'postalCode':
        // Spreadsheets drop the leading zero of "01000".
        contact.postalCode = /^\d{4}$/.test(value) && !Object.values(columns).includes('country') ? `0${value}` : value;
        break;
      case 'tags':
        tags = value.split(/[;,|]/).map((t) => t.trim()).filter(Boolean);
        break;
      case 'membershipPlan':
        membership.plan = value;
        hasMembership = true;
        break;
      case 'membershipTier':
        membership.tier = value;
        hasMembership = true;
        break;
      case 'membershipStartDate':
        membership.startDate = day('membershipStartDate', value);
        hasMembership = true;
        break;
      case 'membershipPaidOn':
        membership.paidOn = day('membershipPaidOn', value);
        hasMembership = true;
        break;
      case 'membershipAmount': {
        const cents = parseAmountCents(value);
        if (cents === null) messages.push({ field: 'membershipAmount', message: `"${value}" is not an amount` });
        membership.amountCents = cents;
        hasMembership = true;
        break;
      }
      case 'firstName':
      case 'lastName':
      case 'organizationName':
      case 'siren':
      case 'email':
      case 'phone':
      case 'mobilePhone':
      case 'addressLine1':
      case 'addressLine2':
      case 'city':
      case 'notes':
        contact[target] = value;
        break;
      default: {
        const never: never = target as never;
        messages.push({ field: String(never), message: 'Unknown column target' });
      }
    }
  }
  if (contact.organizationName && !contact.lastName && !contact.firstName && contact.kind === undefined) contact.kind = 'organization';
  const label =
    [contact.lastName, contact.firstName].filter(Boolean).join(' ') || (contact.organizationName as string | undefined) || (contact.email as string | undefined) || '';
  return { contact, customFields, tags, membership: hasMembership ? membership : null, messages, label: String(label) };
}
