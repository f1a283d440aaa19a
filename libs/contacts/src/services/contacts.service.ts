import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, type EntityManager } from 'typeorm';
import { DomainError, newId, type DomainErrorDetail, type OrgContext } from '@ruche/core';
import {
  contactReference,
  type ContactHouseholdView,
  type ContactTagView,
  type CreateContactInput,
  type CustomFieldValue,
  type DuplicateCandidate,
  type UpdateContactInput,
} from '@ruche/contracts';
import { AuditService, Clock } from '@ruche/platform';
import { ContactEntity } from '../entities/contact.entity';
import { ContactTagEntity, TagEntity } from '../entities/tag.entity';
import { HouseholdEntity } from '../entities/household.entity';
import { CustomFieldDefinitionEntity } from '../entities/custom-field-definition.entity';
import { checkCustomFields } from '../domain/custom-fields';
import { displayName, nameKey, searchText, sortName } from '../domain/normalize';
import { duplicateReasons, type DedupeKeys } from '../domain/duplicates';

/**
 * A domain that holds references to contacts (memberships, payments, donations, receipts) and
 * moves them when two contacts are merged, inside the merge's transaction.
 */
export interface ContactMergeParticipant {
  readonly name: string;
  moveReferences(ctx: OrgContext, fromContactId: string, toContactId: string, m: EntityManager): Promise<number>;
}

/** A contact with what the admin shows next to it (memberships add their summary in the API). */
export interface ContactRecord {
  contact: ContactEntity;
  tags: ContactTagView[];
  household: ContactHouseholdView | null;
}

export type ContactFields = Omit<UpdateContactInput, 'tagIds'> & { tagIds: string[] };

const MAX_DUPLICATES = 10;

export function contactDisplayName(c: Pick<ContactEntity, 'kind' | 'firstName' | 'lastName' | 'organizationName'>): string {
  return displayName(c);
}

@Injectable()
export class ContactsService {
  private readonly mergeParticipants: ContactMergeParticipant[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Domains that reference contacts register here (at module init) to follow merges. */
  registerMergeParticipant(participant: ContactMergeParticipant): void {
    if (!this.mergeParticipants.some((p) => p.name === participant.name)) this.mergeParticipants.push(participant);
  }

  /**
   * Merges `mergedId` into `keptId`: the kept contact takes what it lacks (fields, custom fields,
   * tags, household), every domain moves its references (memberships, payments, donations,
   * receipts), and the merged contact stays as a pointer (`merged_into_id`) so that old links
   * still resolve. Recorded in the audit log with both contacts as they were.
   */
  async merge(ctx: OrgContext, keptId: string, mergedId: string): Promise<{ kept: ContactRecord; moved: Record<string, number> }> {
    if (keptId === mergedId) throw DomainError.invalid('contacts.merge_self', 'Choose another contact to merge', 'mergedContactId');
    return this.dataSource.transaction(async (m) => {
      const [first, second] = [keptId, mergedId].sort();
      await this.lockLive(ctx, first, m);
      await this.lockLive(ctx, second, m);
      const kept = await this.lockLive(ctx, keptId, m);
      const merged = await this.lockLive(ctx, mergedId, m);
      const mergedTags = (await m.getRepository(ContactTagEntity).find({ where: { organizationId: ctx.organizationId, contactId: mergedId } })).map((t) => t.tagId);
      const keptTags = (await m.getRepository(ContactTagEntity).find({ where: { organizationId: ctx.organizationId, contactId: keptId } })).map((t) => t.tagId);
      const incoming: ContactFields = {
        kind: merged.kind,
        civility: merged.civility,
        firstName: merged.firstName,
        lastName: merged.lastName,
        organizationName: merged.organizationName,
        siren: merged.siren,
        birthDate: merged.birthDate,
        email: merged.email,
        phone: merged.phone,
        mobilePhone: merged.mobilePhone,
        addressLine1: merged.addressLine1,
        addressLine2: merged.addressLine2,
        postalCode: merged.postalCode,
        city: merged.city,
        country: merged.country.trim(),
        notes: merged.notes,
        locale: merged.locale,
        customFields: merged.customFields,
        tagIds: mergedTags,
        householdId: merged.householdId,
      };
      await this.fillBlanks(ctx, kept, incoming, merged.customFields, m);
      if (!kept.householdId && merged.householdId) {
        await m.getRepository(ContactEntity).update({ organizationId: ctx.organizationId, id: keptId }, { householdId: merged.householdId });
      }
      await m.query('DELETE FROM contact_tags WHERE organization_id = $1 AND contact_id = $2', [ctx.organizationId, mergedId]);
      await m.getRepository(ContactEntity).update(
        { organizationId: ctx.organizationId, id: mergedId },
        { mergedIntoId: keptId, householdId: null, updatedAt: this.clock.now() },
      );
      const moved: Record<string, number> = {};
      for (const participant of this.mergeParticipants) moved[participant.name] = await participant.moveReferences(ctx, mergedId, keptId, m);
      await this.audit.record(
        ctx,
        {
          action: 'contact.merged',
          entityType: 'contact',
          entityId: keptId,
          before: { kept: auditView(kept, keptTags), merged: { id: mergedId, ...auditView(merged, mergedTags) } },
          after: { keptId, mergedId, moved },
        },
        m,
      );
      const after = await m.getRepository(ContactEntity).findOneOrFail({ where: { organizationId: ctx.organizationId, id: keptId } });
      return { kept: await this.record(ctx, after, m), moved };
    });
  }

  /** Creates a contact; refuses a probable duplicate (409) unless `confirmNotDuplicate` is set. */
  async create(ctx: OrgContext, input: CreateContactInput, tx?: EntityManager): Promise<ContactRecord> {
    const run = async (m: EntityManager): Promise<ContactRecord> => {
      const fields = await this.checkFields(ctx, input, m);
      if (!input.confirmNotDuplicate) {
        const duplicates = await this.findDuplicates(ctx, input, null, m);
        if (duplicates.length > 0) throw duplicateError(duplicates);
      }
      const contact = await this.insert(ctx, fields.input, fields.customFields, m);
      await this.audit.record(ctx, { action: 'contact.created', entityType: 'contact', entityId: contact.id, after: auditView(contact, input.tagIds) }, m);
      return this.record(ctx, contact, m);
    };
    return tx ? run(tx) : this.dataSource.transaction(run);
  }

  /**
   * For imports, inside the import's transaction: the fields are checked by the caller (schema,
   * custom field rules, tags of this organization); the import writes one audit entry for the run.
   */
  async insertChecked(ctx: OrgContext, input: ContactFields, customFields: Record<string, CustomFieldValue>, m: EntityManager): Promise<ContactEntity> {
    return this.insert(ctx, input, customFields, m);
  }

  /** Many checked contacts at once (imports): numbers reserved in one statement, one multi-row insert, tags in one insert. */
  async insertManyChecked(ctx: OrgContext, items: { input: ContactFields; customFields: Record<string, CustomFieldValue> }[], m: EntityManager): Promise<ContactEntity[]> {
    if (items.length === 0) return [];
    const [{ last_number: last }] = await m.query<{ last_number: number }[]>(
      `INSERT INTO contact_counters (organization_id, last_number) VALUES ($1, $2)
       ON CONFLICT (organization_id) DO UPDATE SET last_number = contact_counters.last_number + $2
       RETURNING last_number`,
      [ctx.organizationId, items.length],
    );
    const now = this.clock.now();
    const contacts = items.map((item, i) => {
      const number = last - items.length + 1 + i;
      return m.getRepository(ContactEntity).create({
        id: newId(),
        organizationId: ctx.organizationId,
        number,
        ...this.columns(item.input, item.customFields, contactReference(number)),
        lastActivityAt: now,
        erasedAt: null,
        mergedIntoId: null,
        createdBy: ctx.userId,
        createdAt: now,
        updatedAt: now,
      });
    });
    await m.getRepository(ContactEntity).insert(contacts);
    const links = items.flatMap((item, i) => [...new Set(item.input.tagIds)].map((tagId) => ({ organizationId: ctx.organizationId, contactId: contacts[i].id, tagId })));
    if (links.length > 0) await m.getRepository(ContactTagEntity).insert(links);
    return contacts;
  }

  /** The existing contacts that may be duplicates of any of these (one query for a whole import batch). */
  async duplicateCandidates(ctx: OrgContext, keys: readonly DedupeKeys[], m: EntityManager): Promise<(DedupeKeys & { id: string })[]> {
    const emails = [...new Set(keys.map((k) => k.email).filter((e): e is string => !!e))];
    const names = [...new Set(keys.map((k) => k.nameKey).filter((n) => n !== ''))];
    const sirens = [...new Set(keys.map((k) => k.siren).filter((x): x is string => !!x))];
    if (emails.length + names.length + sirens.length === 0) return [];
    const rows = await m.query<{ id: string; email: string | null; name_key: string; birth_date: string | null; postal_code: string | null; siren: string | null }[]>(
      `SELECT id, email, name_key, birth_date::text AS birth_date, postal_code, siren FROM contacts
        WHERE organization_id = $1 AND merged_into_id IS NULL AND erased_at IS NULL
          AND (email = ANY($2::text[]) OR name_key = ANY($3::text[]) OR siren = ANY($4::text[]))`,
      [ctx.organizationId, emails, names, sirens],
    );
    return rows.map((r) => ({ id: r.id, email: r.email, nameKey: r.name_key, birthDate: r.birth_date, postalCode: r.postal_code, siren: r.siren }));
  }

  /**
   * Completes a contact with what it lacks (empty fields, custom fields, tags), never overwriting
   * what is there. Answers whether anything changed (an import's "updated" versus "duplicate").
   */
  async fillBlanks(ctx: OrgContext, contact: ContactEntity, input: ContactFields, customFields: Record<string, CustomFieldValue>, m: EntityManager): Promise<boolean> {
    const incoming = this.columns(input, customFields, contactReference(contact.number));
    const merged: ContactFields = {
      kind: contact.kind,
      civility: contact.civility ?? incoming.civility,
      firstName: contact.firstName ?? incoming.firstName,
      lastName: contact.lastName ?? incoming.lastName,
      organizationName: contact.organizationName ?? incoming.organizationName,
      siren: contact.siren ?? incoming.siren,
      birthDate: contact.birthDate ?? incoming.birthDate,
      email: contact.email ?? incoming.email,
      phone: contact.phone ?? incoming.phone,
      mobilePhone: contact.mobilePhone ?? incoming.mobilePhone,
      addressLine1: contact.addressLine1 ?? incoming.addressLine1,
      addressLine2: contact.addressLine2 ?? incoming.addressLine2,
      postalCode: contact.postalCode ?? incoming.postalCode,
      city: contact.city ?? incoming.city,
      country: contact.country.trim(),
      notes: contact.notes ?? incoming.notes,
      locale: contact.locale,
      customFields: { ...incoming.customFields, ...contact.customFields },
      tagIds: input.tagIds,
      householdId: contact.householdId,
    };
    const after = this.columns(merged, merged.customFields as Record<string, CustomFieldValue>, contactReference(contact.number));
    const same = (a: unknown, b: unknown) => stableJson(a) === stableJson(b);
    const changedFields = (Object.keys(after) as (keyof typeof after)[]).filter((k) => !same(after[k], (contact as unknown as Record<string, unknown>)[k]));
    const addedTags = input.tagIds.length === 0 ? [] : await m.query<{ tag_id: string }[]>(
      `INSERT INTO contact_tags (organization_id, contact_id, tag_id) SELECT $1, $2, unnest($3::uuid[]) ON CONFLICT DO NOTHING RETURNING tag_id`,
      [ctx.organizationId, contact.id, input.tagIds],
    );
    if (changedFields.length > 0) {
      await m.getRepository(ContactEntity).update({ organizationId: ctx.organizationId, id: contact.id }, { ...after, updatedAt: this.clock.now() });
    }
    return changedFields.length > 0 || addedTags.length > 0;
  }

  async update(ctx: OrgContext, id: string, input: UpdateContactInput): Promise<ContactRecord> {
    return this.dataSource.transaction(async (m) => {
      const before = await this.lockLive(ctx, id, m);
      const fields = await this.checkFields(ctx, input, m, before.customFields);
      const beforeTags = (await m.getRepository(ContactTagEntity).find({ where: { organizationId: ctx.organizationId, contactId: id } })).map((t) => t.tagId);
      const changes = { ...this.columns(fields.input, fields.customFields, contactReference(before.number)), lastActivityAt: this.clock.now(), updatedAt: this.clock.now() };
      await m.getRepository(ContactEntity).update({ organizationId: ctx.organizationId, id }, changes);
      await this.setTags(ctx, id, input.tagIds, m);
      const after = { ...before, ...changes };
      await this.audit.record(
        ctx,
        { action: 'contact.updated', entityType: 'contact', entityId: id, before: auditView(before, beforeTags), after: auditView(after, input.tagIds) },
        m,
      );
      return this.record(ctx, after, m);
    });
  }

  async get(ctx: OrgContext, id: string, tx?: EntityManager): Promise<ContactRecord> {
    const m = tx ?? this.dataSource.manager;
    const contact = await m.getRepository(ContactEntity).findOne({ where: { organizationId: ctx.organizationId, id } });
    if (!contact) throw DomainError.notFound('contacts.not_found', 'No such contact');
    return this.record(ctx, contact, m);
  }

  /** The contact row, locked for the caller's transaction; erased or merged contacts cannot change. */
  async lockLive(ctx: OrgContext, id: string, m: EntityManager): Promise<ContactEntity> {
    const contact = await m
      .getRepository(ContactEntity)
      .findOne({ where: { organizationId: ctx.organizationId, id }, lock: { mode: 'pessimistic_write' } });
    if (!contact) throw DomainError.notFound('contacts.not_found', 'No such contact');
    if (contact.mergedIntoId) throw DomainError.conflict('contacts.merged', 'This contact was merged into another one');
    if (contact.erasedAt) throw DomainError.conflict('contacts.erased', 'This contact was erased (GDPR)');
    return contact;
  }

  /** The contact row locked for the caller's transaction, whatever its state (merged, erased); null when absent. */
  async lock(ctx: OrgContext, id: string, m: EntityManager): Promise<ContactEntity | null> {
    return m.getRepository(ContactEntity).findOne({ where: { organizationId: ctx.organizationId, id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Marks activity (a membership, a payment): the GDPR retention clock restarts. */
  async touch(ctx: OrgContext, id: string, m: EntityManager): Promise<void> {
    await m.getRepository(ContactEntity).update({ organizationId: ctx.organizationId, id }, { lastActivityAt: this.clock.now() });
  }

  /**
   * Contacts that are probably the same as `input`: same email; same name (any order, accents
   * ignored) and same birth date or postal code; same SIREN.
   */
  async findDuplicates(
    ctx: OrgContext,
    input: Pick<CreateContactInput, 'kind' | 'firstName' | 'lastName' | 'organizationName' | 'email' | 'birthDate' | 'postalCode' | 'siren'>,
    excludeId: string | null,
    tx?: EntityManager,
  ): Promise<DuplicateCandidate[]> {
    const keys = dedupeKeys(input);
    if (!keys.email && !keys.siren && keys.nameKey === '') return [];
    const m = tx ?? this.dataSource.manager;
    const rows = await m.query<ContactRow[]>(
      `SELECT id, number, kind, first_name, last_name, organization_name, email, city, name_key, birth_date::text AS birth_date, postal_code, siren
         FROM contacts
        WHERE organization_id = $1 AND merged_into_id IS NULL AND erased_at IS NULL AND ($5::uuid IS NULL OR id <> $5)
          AND ((email = $2) OR (name_key = $3 AND name_key <> '') OR (siren = $4))
        ORDER BY number
        LIMIT 50`,
      [ctx.organizationId, keys.email, keys.nameKey, keys.siren, excludeId],
    );
    const out: DuplicateCandidate[] = [];
    for (const row of rows) {
      const reasons = duplicateReasons(keys, {
        email: row.email,
        nameKey: row.name_key,
        birthDate: row.birth_date,
        postalCode: row.postal_code,
        siren: row.siren,
      });
      if (reasons.length === 0) continue;
      out.push({
        id: row.id,
        reference: contactReference(row.number),
        displayName: displayName({ kind: row.kind, firstName: row.first_name, lastName: row.last_name, organizationName: row.organization_name }),
        email: row.email,
        city: row.city,
        reasons,
      });
      if (out.length === MAX_DUPLICATES) break;
    }
    return out;
  }

  /** Several contacts at once (ids of one organization only; unknown ids are left out). */
  async getMany(ctx: OrgContext, ids: readonly string[], tx?: EntityManager): Promise<ContactEntity[]> {
    if (ids.length === 0) return [];
    const m = tx ?? this.dataSource.manager;
    return m.getRepository(ContactEntity).find({ where: { organizationId: ctx.organizationId, id: In([...ids]) } });
  }

  private async checkFields(
    ctx: OrgContext,
    input: ContactFields,
    m: EntityManager,
    storedCustomFields: Record<string, CustomFieldValue> = {},
  ): Promise<{ input: ContactFields; customFields: Record<string, CustomFieldValue> }> {
    const errors: DomainErrorDetail[] = [];
    const rules = await m.getRepository(CustomFieldDefinitionEntity).find({ where: { organizationId: ctx.organizationId } });
    const custom = checkCustomFields(rules, input.customFields, storedCustomFields);
    errors.push(...custom.errors);
    const tagIds = [...new Set(input.tagIds)];
    if (tagIds.length > 0) {
      const found = await m.getRepository(TagEntity).count({ where: { organizationId: ctx.organizationId, id: In(tagIds) } });
      if (found !== tagIds.length) errors.push({ field: 'tagIds', code: 'contacts.unknown_tag', message: 'Some tags do not exist' });
    }
    if (input.householdId) {
      const household = await m.getRepository(HouseholdEntity).findOne({ where: { organizationId: ctx.organizationId, id: input.householdId } });
      if (!household) errors.push({ field: 'householdId', code: 'contacts.unknown_household', message: 'No such household' });
    }
    if (errors.length > 0) throw new DomainError('invalid', errors[0].code, errors[0].message, { field: errors[0].field, details: errors });
    return { input: { ...input, tagIds }, customFields: custom.values };
  }

  private columns(input: ContactFields, customFields: Record<string, CustomFieldValue>, reference: string) {
    const person = input.kind === 'person';
    const named = {
      kind: input.kind,
      firstName: person ? (input.firstName ?? null) : null,
      lastName: person ? (input.lastName ?? null) : null,
      organizationName: person ? null : (input.organizationName ?? null),
    };
    return {
      ...named,
      civility: person ? (input.civility ?? null) : null,
      siren: person ? null : (input.siren ?? null),
      birthDate: person ? (input.birthDate ?? null) : null,
      email: input.email ?? null,
      phone: input.phone ?? null,
      mobilePhone: input.mobilePhone ?? null,
      addressLine1: input.addressLine1 ?? null,
      addressLine2: input.addressLine2 ?? null,
      postalCode: input.postalCode ?? null,
      city: input.city ?? null,
      country: input.country,
      notes: input.notes ?? null,
      locale: input.locale,
      customFields,
      householdId: input.householdId ?? null,
      nameKey: nameKey(named),
      sortName: sortName(named),
      searchText: searchText({ ...named, email: input.email, city: input.city, postalCode: input.postalCode, phone: input.phone, mobilePhone: input.mobilePhone }, reference),
    };
  }

  private async insert(ctx: OrgContext, input: ContactFields, customFields: Record<string, CustomFieldValue>, m: EntityManager): Promise<ContactEntity> {
    const number = await this.nextNumber(ctx, m);
    const now = this.clock.now();
    const contact = m.getRepository(ContactEntity).create({
      id: newId(),
      organizationId: ctx.organizationId,
      number,
      ...this.columns(input, customFields, contactReference(number)),
      lastActivityAt: now,
      erasedAt: null,
      mergedIntoId: null,
      createdBy: ctx.userId,
      createdAt: now,
      updatedAt: now,
    });
    await m.getRepository(ContactEntity).insert(contact);
    await this.setTags(ctx, contact.id, input.tagIds, m);
    return contact;
  }

  private async nextNumber(ctx: OrgContext, m: EntityManager): Promise<number> {
    const rows = await m.query<{ last_number: number }[]>(
      `INSERT INTO contact_counters (organization_id, last_number) VALUES ($1, 1)
       ON CONFLICT (organization_id) DO UPDATE SET last_number = contact_counters.last_number + 1
       RETURNING last_number`,
      [ctx.organizationId],
    );
    return rows[0].last_number;
  }

  private async setTags(ctx: OrgContext, contactId: string, tagIds: readonly string[], m: EntityManager): Promise<void> {
    const repo = m.getRepository(ContactTagEntity);
    await repo.delete({ organizationId: ctx.organizationId, contactId });
    const unique = [...new Set(tagIds)];
    if (unique.length > 0) await repo.insert(unique.map((tagId) => ({ organizationId: ctx.organizationId, contactId, tagId })));
  }

  private async record(ctx: OrgContext, contact: ContactEntity, m: EntityManager): Promise<ContactRecord> {
    const tags = await m.query<ContactTagView[]>(
      `SELECT t.id, t.name, t.color FROM contact_tags ct JOIN tags t ON t.organization_id = ct.organization_id AND t.id = ct.tag_id
        WHERE ct.organization_id = $1 AND ct.contact_id = $2 ORDER BY t.name`,
      [ctx.organizationId, contact.id],
    );
    let household: ContactHouseholdView | null = null;
    if (contact.householdId) {
      const h = await m.getRepository(HouseholdEntity).findOne({ where: { organizationId: ctx.organizationId, id: contact.householdId } });
      const members = await m.getRepository(ContactEntity).find({
        where: { organizationId: ctx.organizationId, householdId: contact.householdId, mergedIntoId: IsNull() },
        order: { sortName: 'ASC' },
      });
      if (h) {
        household = {
          id: h.id,
          name: h.name,
          payerContactId: h.payerContactId,
          members: members.map((c) => ({ id: c.id, displayName: displayName(c) })),
        };
      }
    }
    return { contact, tags: tags.map((t) => ({ id: t.id, name: t.name, color: t.color.trim() })), household };
  }
}

interface ContactRow {
  id: string;
  number: number;
  kind: 'person' | 'organization';
  first_name: string | null;
  last_name: string | null;
  organization_name: string | null;
  email: string | null;
  city: string | null;
  name_key: string;
  birth_date: string | null;
  postal_code: string | null;
  siren: string | null;
}

export function dedupeKeys(input: Pick<CreateContactInput, 'kind' | 'firstName' | 'lastName' | 'organizationName' | 'email' | 'birthDate' | 'postalCode' | 'siren'>): DedupeKeys {
  return {
    email: input.email ?? null,
    nameKey: nameKey(input),
    birthDate: input.kind === 'person' ? (input.birthDate ?? null) : null,
    postalCode: input.postalCode ?? null,
    siren: input.kind === 'organization' ? (input.siren ?? null) : null,
  };
}

/** JSON with object keys in order, so that two equal objects compare equal whatever their key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

function duplicateError(duplicates: DuplicateCandidate[]): DomainError {
  const details = duplicates.map((d) => ({
    field: d.reasons.includes('same_email') ? 'email' : d.reasons.includes('same_siren') ? 'siren' : 'lastName',
    code: 'contacts.possible_duplicate',
    message: `${d.reference} ${d.displayName}: ${d.reasons.join(', ')}`,
  }));
  return new DomainError('conflict', 'contacts.possible_duplicate', 'This contact probably exists already; check the duplicates or confirm', {
    field: details[0].field,
    details,
  });
}

function auditView(c: Omit<ContactEntity, 'organization' | 'household'>, tagIds: readonly string[]) {
  return {
    kind: c.kind,
    civility: c.civility,
    firstName: c.firstName,
    lastName: c.lastName,
    organizationName: c.organizationName,
    siren: c.siren,
    birthDate: c.birthDate,
    email: c.email,
    phone: c.phone,
    mobilePhone: c.mobilePhone,
    addressLine1: c.addressLine1,
    addressLine2: c.addressLine2,
    postalCode: c.postalCode,
    city: c.city,
    country: c.country,
    locale: c.locale,
    customFields: c.customFields,
    householdId: c.householdId,
    tagIds,
  };
}
