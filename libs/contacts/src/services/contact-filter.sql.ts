import type { ContactFilter } from '@ruche/contracts';
import { escapeLike } from '@ruche/core';
import { normalizeText } from '../domain/normalize';

/**
 * SQL conditions on `contacts` (alias `c`) for the contact part of a directory filter: search
 * words, kind, tags, city, postal code, custom fields, retention. Parameters are appended to
 * `params` ($1 is the organization id, added by the caller). Membership filters are added by
 * the memberships directory, which owns that data.
 */
export function contactFilterConditions(filter: ContactFilter, params: unknown[]): string[] {
  const p = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = ['c.merged_into_id IS NULL'];
  if (!filter.includeErased) where.push('c.erased_at IS NULL');
  for (const word of normalizeText(filter.q).split(' ').filter(Boolean).slice(0, 6)) {
    where.push(`c.search_text LIKE ${p(`%${escapeLike(word)}%`)}`);
  }
  if (filter.kind) where.push(`c.kind = ${p(filter.kind)}`);
  if (filter.city) where.push(`lower(c.city) = lower(${p(filter.city)})`);
  if (filter.postalCode) where.push(`c.postal_code LIKE ${p(`${escapeLike(filter.postalCode)}%`)}`);
  for (const tagId of filter.tagIds ?? []) {
    where.push(`EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.organization_id = c.organization_id AND ct.contact_id = c.id AND ct.tag_id = ${p(tagId)})`);
  }
  for (const { key, value } of filter.customField ?? []) {
    const candidates = [value, ...typed(value)];
    const alternatives = candidates.flatMap((v) => [
      `c.custom_fields @> jsonb_build_object(${p(key)}::text, ${p(JSON.stringify(v))}::jsonb)`,
      `c.custom_fields @> jsonb_build_object(${p(key)}::text, jsonb_build_array(${p(JSON.stringify(v))}::jsonb))`,
    ]);
    where.push(`(${alternatives.join(' OR ')})`);
  }
  if (filter.inactiveSince) where.push(`c.last_activity_at < ${p(filter.inactiveSince)}::date`);
  return where;
}

/** "12" may be the number 12, "oui" the boolean true: a filter typed in a box matches both. */
function typed(value: string): (number | boolean)[] {
  const out: (number | boolean)[] = [];
  if (/^-?\d+([.,]\d+)?$/.test(value)) out.push(Number(value.replace(',', '.')));
  const lower = value.toLowerCase();
  if (['true', 'oui', 'yes'].includes(lower)) out.push(true);
  if (['false', 'non', 'no'].includes(lower)) out.push(false);
  return out;
}
