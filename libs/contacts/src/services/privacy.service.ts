import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, newId, type OrgContext } from '@ruche/core';
import {
  CONSENT_KINDS,
  contactReference,
  type ConsentInput,
  type ConsentKind,
  type ConsentSource,
  type ConsentView,
  type ContactConsentsView,
} from '@ruche/contracts';
import { AuditService, Clock, renderReportPdf, type PdfRow } from '@ruche/platform';
import { ContactEntity } from '../entities/contact.entity';
import { ContactConsentEntity } from '../entities/contact-consent.entity';
import { ContactsService } from './contacts.service';
import { displayName } from '../domain/normalize';

/** A part of what a domain holds about a contact, for the GDPR export (memberships, payments...). */
export interface PersonalDataSection {
  title: string;
  /** Rows of label and value, in reading order. */
  rows: [string, string][];
}

export interface PersonalDataContributor {
  readonly name: string;
  collect(ctx: OrgContext, contactId: string): Promise<PersonalDataSection[]>;
}

export interface PersonalDataFile {
  fileName: string;
  contentType: string;
  body: Readable | string;
}

/**
 * GDPR: consents (recorded with date and source, never edited), the export of everything held
 * about a contact (JSON or PDF, each domain contributing its part), and erasure, which
 * anonymizes the personal fields while money records stay for their legal retention.
 */
@Injectable()
export class PrivacyService {
  private readonly contributors: PersonalDataContributor[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly contacts: ContactsService,
    private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  registerContributor(contributor: PersonalDataContributor): void {
    if (!this.contributors.some((c) => c.name === contributor.name))
      this.contributors.push(contributor);
  }

  async consents(ctx: OrgContext, contactId: string, tx?: EntityManager): Promise<ContactConsentsView> {
    await this.contacts.get(ctx, contactId, tx);
    const rows = await (tx ?? this.dataSource.manager).query<
      {
        kind: ConsentKind;
        granted: boolean;
        source: ConsentSource;
        recorded_at: Date;
        recorder: string | null;
      }[]
    >(
      `SELECT c.kind, c.granted, c.source, c.recorded_at, u.name AS recorder
         FROM contact_consents c LEFT JOIN users u ON u.id = c.recorded_by
        WHERE c.organization_id = $1 AND c.contact_id = $2
        ORDER BY c.recorded_at DESC, c.id DESC`,
      [ctx.organizationId, contactId],
    );
    const history = rows.map((r): ConsentView => ({
      kind: r.kind,
      granted: r.granted,
      source: r.source,
      recordedAt: r.recorded_at.toISOString(),
      recordedBy: r.recorder,
    }));
    const current = Object.fromEntries(CONSENT_KINDS.map((k) => [k, null])) as Record<
      ConsentKind,
      ConsentView | null
    >;
    for (const view of history) if (current[view.kind] === null) current[view.kind] = view;
    return { current, history };
  }

  async recordConsent(
    ctx: OrgContext,
    contactId: string,
    input: ConsentInput,
    tx?: EntityManager,
  ): Promise<ContactConsentsView> {
    const run = async (m: EntityManager) => {
      await this.contacts.lockLive(ctx, contactId, m);
      const row = {
        id: newId(),
        organizationId: ctx.organizationId,
        contactId,
        kind: input.kind,
        granted: input.granted,
        source: input.source,
        recordedAt: this.clock.now(),
        recordedBy: ctx.userId,
      };
      await m.getRepository(ContactConsentEntity).insert(row);
      await this.contacts.touch(ctx, contactId, m);
      await this.audit.record(
        ctx,
        {
          action: input.granted ? 'consent.granted' : 'consent.withdrawn',
          entityType: 'contact',
          entityId: contactId,
          after: { kind: input.kind, source: input.source },
        },
        m,
      );
    };
    if (tx) {
      await run(tx);
      return this.consents(ctx, contactId, tx);
    }
    await this.dataSource.transaction(run);
    return this.consents(ctx, contactId);
  }

  /** Everything held about a contact, as JSON or a PDF; the export itself is audited. */
  async export(
    ctx: OrgContext,
    contactId: string,
    format: 'json' | 'pdf',
  ): Promise<PersonalDataFile> {
    const record = await this.contacts.get(ctx, contactId);
    const c = record.contact;
    const consents = await this.consents(ctx, contactId);
    const identity: [string, string][] = [
      ['Référence', contactReference(c.number)],
      ['Type', c.kind === 'organization' ? 'Personne morale' : 'Personne physique'],
      ['Civilité', c.civility ?? ''],
      ['Nom', c.lastName ?? ''],
      ['Prénom', c.firstName ?? ''],
      ['Raison sociale', c.organizationName ?? ''],
      ['SIREN', c.siren ?? ''],
      ['Date de naissance', c.birthDate ?? ''],
      ['E-mail', c.email ?? ''],
      ['Téléphone', c.phone ?? ''],
      ['Portable', c.mobilePhone ?? ''],
      ['Adresse', [c.addressLine1, c.addressLine2].filter(Boolean).join(', ')],
      ['Code postal et ville', [c.postalCode, c.city].filter(Boolean).join(' ')],
      ['Pays', c.country.trim()],
      ['Langue', c.locale],
      ['Notes', c.notes ?? ''],
      ['Étiquettes', record.tags.map((t) => t.name).join(', ')],
      [
        'Foyer',
        record.household
          ? `${record.household.name} (${record.household.members.map((x) => x.displayName).join(', ')})`
          : '',
      ],
      ...Object.entries(c.customFields).map(([k, v]): [string, string] => [
        k,
        Array.isArray(v) ? v.join(', ') : String(v),
      ]),
      ['Fiche créée le', c.createdAt.toISOString()],
      ['Dernière activité', c.lastActivityAt.toISOString()],
    ];
    const sections: { title: string; rows: [string, string][] }[] = [
      { title: 'Identité et coordonnées', rows: identity },
      {
        title: 'Consentements',
        rows: consents.history.map((h): [string, string] => [
          `${h.kind} (${h.recordedAt.slice(0, 10)})`,
          `${h.granted ? 'donné' : 'retiré'} — ${h.source}`,
        ]),
      },
    ];
    for (const contributor of this.contributors)
      sections.push(...(await contributor.collect(ctx, contactId)));
    await this.dataSource.transaction((m) =>
      this.audit.record(
        ctx,
        {
          action: 'contact.personal-data-exported',
          entityType: 'contact',
          entityId: contactId,
          after: { format },
        },
        m,
      ),
    );
    const base = `donnees-personnelles-${contactReference(c.number)}`;
    if (format === 'json') {
      const json = {
        generatedAt: this.clock.now().toISOString(),
        contact: { reference: contactReference(c.number), ...Object.fromEntries(identity) },
        consents: consents.history,
        sections: sections
          .slice(2)
          .map((s) => ({
            title: s.title,
            rows: s.rows.map(([label, value]) => ({ label, value })),
          })),
      };
      return {
        fileName: `${base}.json`,
        contentType: 'application/json; charset=utf-8',
        body: JSON.stringify(json, null, 2),
      };
    }
    const rows: PdfRow[] = sections.flatMap((s) => [
      { bold: true, cells: [s.title, ''] },
      ...s.rows.map(([label, value]) => ({ cells: [label, value] })),
    ]);
    const stream = renderReportPdf(
      {
        title: `Données personnelles — ${displayName(c)}`,
        subtitle: `Référence ${contactReference(c.number)}`,
        organization: '',
        columns: [
          { label: 'Rubrique', width: 1 },
          { label: 'Valeur', width: 2.5 },
        ],
        rows,
        notes: ['Export au titre du droit d’accès (RGPD, article 15).'],
      },
      this.clock.now(),
    );
    return { fileName: `${base}.pdf`, contentType: 'application/pdf', body: stream };
  }

  /**
   * Anonymizes the contact's personal fields (names become "Anonyme", contact details, birth
   * date, notes, custom fields and tags are removed); memberships, journal entries and issued
   * receipts stay, as the law requires them kept. The audit log records the erasure and its
   * reason, not the erased data.
   */
  async erase(ctx: OrgContext, contactId: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (m: EntityManager) => {
      const contact = await this.contacts.lockLive(ctx, contactId, m);
      const reference = contactReference(contact.number).toLowerCase();
      await m.query('DELETE FROM contact_tags WHERE organization_id = $1 AND contact_id = $2', [
        ctx.organizationId,
        contactId,
      ]);
      await m.getRepository(ContactEntity).update(
        { organizationId: ctx.organizationId, id: contactId },
        {
          civility: null,
          firstName: null,
          lastName: contact.kind === 'person' ? 'Anonyme' : null,
          organizationName: contact.kind === 'organization' ? 'Anonyme' : null,
          siren: null,
          birthDate: null,
          email: null,
          phone: null,
          mobilePhone: null,
          addressLine1: null,
          addressLine2: null,
          postalCode: null,
          city: null,
          notes: null,
          customFields: {},
          householdId: null,
          nameKey: '',
          sortName: 'anonyme',
          searchText: reference,
          erasedAt: this.clock.now(),
          updatedAt: this.clock.now(),
        },
      );
      await this.audit.record(
        ctx,
        {
          action: 'contact.erased',
          entityType: 'contact',
          entityId: contactId,
          after: { reference: contactReference(contact.number), reason },
        },
        m,
      );
    });
  }

  /** Checks the contact exists and is not erased already (for a clear 409 before the work). */
  async assertErasable(ctx: OrgContext, contactId: string): Promise<void> {
    const { contact } = await this.contacts.get(ctx, contactId);
    if (contact.erasedAt)
      throw DomainError.conflict('contacts.erased', 'This contact was erased already');
  }
}
