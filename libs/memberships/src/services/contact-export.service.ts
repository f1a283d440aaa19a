import { PassThrough, Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { neutralizeFormula, type OrgContext } from '@ruche/core';
import {
  contactReference,
  type CustomFieldValue,
  type ExportContactsQuery,
} from '@ruche/contracts';
import { CustomFieldDefinitionEntity } from '@ruche/contacts';
import { AuditService } from '@ruche/platform';
import { DirectoryService, SORT_SQL } from './directory.service';

export interface ExportFile {
  fileName: string;
  contentType: string;
  stream: Readable;
}

const PAGE = 2000;

export { neutralizeFormula };

interface ExportRow {
  number: number;
  kind: string;
  civility: string | null;
  last_name: string | null;
  first_name: string | null;
  organization_name: string | null;
  email: string | null;
  phone: string | null;
  mobile_phone: string | null;
  address_line1: string | null;
  address_line2: string | null;
  postal_code: string | null;
  city: string | null;
  country: string;
  birth_date: string | null;
  custom_fields: Record<string, CustomFieldValue>;
  tags: string | null;
  status: string | null;
  plan_name: string | null;
  member_since: string | null;
  valid_until: string | null;
}

/** The directory list, with the same filters and order, as CSV (UTF-8, `;`) or XLSX; streamed page by page. */
@Injectable()
export class ContactExportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: DirectoryService,
    private readonly audit: AuditService,
  ) {}

  /** Audited before the first byte leaves: personal data of many people, whatever the filters. */
  async export(ctx: OrgContext, query: ExportContactsQuery, today: string): Promise<ExportFile> {
    await this.dataSource.transaction((m) =>
      this.audit.record(
        ctx,
        { action: 'contacts.exported', entityType: 'contact', entityId: null, after: query },
        m,
      ),
    );
    const fields = await this.dataSource.getRepository(CustomFieldDefinitionEntity).find({
      where: { organizationId: ctx.organizationId },
      order: { position: 'ASC', label: 'ASC' },
    });
    const header = [
      'Référence',
      'Type',
      'Civilité',
      'Nom',
      'Prénom',
      'Raison sociale',
      'E-mail',
      'Téléphone',
      'Portable',
      'Adresse',
      "Complément d'adresse",
      'Code postal',
      'Ville',
      'Pays',
      'Date de naissance',
      'Étiquettes',
      'Statut',
      'Formule',
      'Membre depuis',
      "Valide jusqu'au",
      // Custom field labels are typed by the association: neutralized like the cells.
      ...fields.map((f) => neutralizeFormula(f.label)),
    ];
    const rows = this.rows(
      ctx,
      query,
      fields.map((f) => f.key),
    );
    if (query.format === 'csv') {
      const csv = stringify({ delimiter: ';', record_delimiter: '\r\n', bom: true });
      void (async () => {
        try {
          csv.write(header);
          for await (const row of rows)
            if (!csv.write(row)) await new Promise((r) => csv.once('drain', r));
          csv.end();
        } catch (error) {
          csv.destroy(error as Error);
        }
      })();
      return {
        fileName: `contacts-${today}.csv`,
        contentType: 'text/csv; charset=utf-8',
        stream: csv,
      };
    }
    const out = new PassThrough();
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useSharedStrings: false,
      useStyles: false,
    });
    const sheet = workbook.addWorksheet('Contacts');
    void (async () => {
      try {
        sheet.addRow(header).commit();
        for await (const row of rows) sheet.addRow(row).commit();
        sheet.commit();
        await workbook.commit();
      } catch (error) {
        out.destroy(error as Error);
      }
    })();
    return {
      fileName: `contacts-${today}.xlsx`,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      stream: out,
    };
  }

  private async *rows(
    ctx: OrgContext,
    query: ExportContactsQuery,
    customKeys: string[],
  ): AsyncGenerator<string[]> {
    const { where, params } = this.directory.conditions(ctx, query);
    const direction = query.sort.descending ? 'DESC' : 'ASC';
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.dataSource.query<ExportRow[]>(
        `SELECT c.number, c.kind, c.civility, c.last_name, c.first_name, c.organization_name, c.email, c.phone, c.mobile_phone, c.address_line1, c.address_line2,
                c.postal_code, c.city, c.country, c.birth_date::text AS birth_date, c.custom_fields,
                (SELECT string_agg(t.name, ', ' ORDER BY t.name) FROM contact_tags ct JOIN tags t ON t.organization_id = ct.organization_id AND t.id = ct.tag_id
                  WHERE ct.organization_id = c.organization_id AND ct.contact_id = c.id) AS tags,
                s.status, p.name AS plan_name, s.member_since::text AS member_since, s.valid_until::text AS valid_until
           FROM contacts c
           LEFT JOIN member_summaries s ON s.organization_id = c.organization_id AND s.contact_id = c.id
           LEFT JOIN membership_plans p ON p.organization_id = s.organization_id AND p.id = s.plan_id
          WHERE ${where}
          ORDER BY ${SORT_SQL[query.sort.column]} ${direction} NULLS LAST, c.sort_name ${direction}, c.id ${direction}
          LIMIT ${PAGE} OFFSET ${offset}`,
        params,
      );
      for (const r of page) {
        const custom = customKeys.map((k) => {
          const v = r.custom_fields[k];
          return v === undefined || v === null
            ? ''
            : Array.isArray(v)
              ? v.join(', ')
              : typeof v === 'boolean'
                ? v
                  ? 'oui'
                  : 'non'
                : String(v);
        });
        yield [
          contactReference(r.number),
          r.kind === 'organization' ? 'personne morale' : 'personne',
          r.civility ?? '',
          r.last_name ?? '',
          r.first_name ?? '',
          r.organization_name ?? '',
          r.email ?? '',
          r.phone ?? '',
          r.mobile_phone ?? '',
          r.address_line1 ?? '',
          r.address_line2 ?? '',
          r.postal_code ?? '',
          r.city ?? '',
          r.country.trim(),
          r.birth_date ?? '',
          r.tags ?? '',
          r.status ?? '',
          r.plan_name ?? '',
          r.member_since ?? '',
          r.valid_until ?? '',
          ...custom,
        ].map(neutralizeFormula);
      }
      if (page.length < PAGE) return;
    }
  }
}
