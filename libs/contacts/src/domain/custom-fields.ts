import type { CustomFieldType, CustomFieldValue } from '@ruche/contracts';
import type { DomainErrorDetail } from '@ruche/core';

export interface CustomFieldRule {
  key: string;
  label: string;
  type: CustomFieldType;
  options: readonly string[];
  required: boolean;
  active: boolean;
}

/**
 * Checks and normalizes the custom field values of a contact against the organization's
 * definitions: unknown keys, wrong types, options not in the list and missing required values
 * each give a field error (`customFields.<key>`). Empty values are dropped. A deactivated field
 * takes no new value, and keeps the one already stored (`stored`) so that an edit loses nothing.
 */
export function checkCustomFields(
  rules: readonly CustomFieldRule[],
  values: Readonly<Record<string, unknown>>,
  stored: Readonly<Record<string, CustomFieldValue>> = {},
): { values: Record<string, CustomFieldValue>; errors: DomainErrorDetail[] } {
  const byKey = new Map(rules.map((r) => [r.key, r]));
  const out: Record<string, CustomFieldValue> = {};
  const errors: DomainErrorDetail[] = [];
  const fail = (key: string, code: string, message: string) => errors.push({ field: `customFields.${key}`, code, message });
  for (const [key, raw] of Object.entries(values)) {
    const rule = byKey.get(key);
    if (!rule) {
      fail(key, 'contacts.unknown_custom_field', `No custom field "${key}"`);
      continue;
    }
    if (!rule.active) continue;
    if (raw === null || raw === undefined || raw === '' || (Array.isArray(raw) && raw.length === 0)) continue;
    const value = coerce(rule, raw);
    if (value.error) fail(key, 'contacts.bad_custom_field', value.error);
    else out[key] = value.value as CustomFieldValue;
  }
  for (const rule of rules) {
    if (!rule.active && stored[rule.key] !== undefined) out[rule.key] = stored[rule.key];
    if (rule.active && rule.required && out[rule.key] === undefined && !errors.some((e) => e.field === `customFields.${rule.key}`)) {
      fail(rule.key, 'contacts.custom_field_required', `${rule.label} is required`);
    }
  }
  return { values: out, errors };
}

function coerce(rule: CustomFieldRule, raw: unknown): { value: CustomFieldValue; error?: undefined } | { value?: undefined; error: string } {
  switch (rule.type) {
    case 'text':
      if (typeof raw !== 'string' && typeof raw !== 'number') return { error: 'A text' };
      if (String(raw).length > 1000) return { error: 'At most 1000 characters' };
      return { value: String(raw).trim() };
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.replace(',', '.').trim()) : NaN;
      if (!Number.isFinite(n)) return { error: 'A number' };
      return { value: n };
    }
    case 'date': {
      const text = typeof raw === 'string' ? raw.trim() : '';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || !new Date(`${text}T00:00:00Z`).toISOString().startsWith(text)) return { error: 'A date as YYYY-MM-DD' };
      return { value: text };
    }
    case 'choice':
      if (typeof raw !== 'string' || !rule.options.includes(raw)) return { error: `One of: ${rule.options.join(', ')}` };
      return { value: raw };
    case 'multi_choice': {
      const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[;,]/).map((s) => s.trim()).filter(Boolean) : null;
      if (!list || list.some((v) => typeof v !== 'string' || !rule.options.includes(v))) return { error: `Some of: ${rule.options.join(', ')}` };
      return { value: [...new Set(list as string[])] };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { value: raw };
      const text = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
      if (['true', 'oui', 'yes', '1', 'o', 'y', 'x'].includes(text)) return { value: true };
      if (['false', 'non', 'no', '0', 'n'].includes(text)) return { value: false };
      return { error: 'Yes or no' };
    }
    default: {
      const never: never = rule.type;
      return { error: `Unknown type ${String(never)}` };
    }
  }
}
