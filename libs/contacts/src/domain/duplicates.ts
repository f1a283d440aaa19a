import type { DuplicateReason } from '@ruche/contracts';

/** What duplicate detection compares; built by `dedupeKeys` from a contact. */
export interface DedupeKeys {
  email: string | null;
  nameKey: string;
  birthDate: string | null;
  postalCode: string | null;
  siren: string | null;
}

/**
 * Two contacts are probably one person when they share an email, or the same name (any word
 * order, accents ignored) and the same birth date or postal code; legal entities also by SIREN.
 */
export function duplicateReasons(a: DedupeKeys, b: DedupeKeys): DuplicateReason[] {
  const reasons: DuplicateReason[] = [];
  if (a.email && b.email && a.email === b.email) reasons.push('same_email');
  if (a.siren && b.siren && a.siren === b.siren) reasons.push('same_siren');
  if (a.nameKey !== '' && a.nameKey === b.nameKey) {
    if (a.birthDate && b.birthDate && a.birthDate === b.birthDate) reasons.push('same_name_and_birth_date');
    if (a.postalCode && b.postalCode && a.postalCode.replace(/\s/g, '') === b.postalCode.replace(/\s/g, '')) reasons.push('same_name_and_postal_code');
  }
  return reasons;
}
