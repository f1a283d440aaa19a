import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, LocalDate, type OrgContext } from '@ruche/core';
import type {
  ReceiptSettingsInput,
  ReceiptSettingsView,
  ReceiptSignatureInput,
  TaxRatesView,
} from '@ruche/contracts';
import { AuditService, Clock } from '@ruche/platform';
import { OrganizationEntity } from '@ruche/organizations';
import { ReceiptSettingsEntity } from '../entities/receipt.entities';
import { issuerProblems } from '../domain/readiness';
import { taxRatesOn } from '../domain/tax-rules';

const DEFAULTS = {
  enabled: false,
  defaultMode: 'per_gift',
  recurringMode: 'annual',
  article200: true,
  article978: false,
  signerName: null,
  signerTitle: null,
  place: null,
  rupDecreeDate: null,
  rupJournalDate: null,
  sendByEmail: true,
  signatureMime: null,
} as const;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

/** Whether and how an organization issues receipts, who signs them, and whether it is ready. */
@Injectable()
export class ReceiptSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** The settings row (defaults when never saved). */
  async settings(ctx: OrgContext, m?: EntityManager): Promise<ReceiptSettingsEntity> {
    const row = await (m ?? this.dataSource.manager)
      .getRepository(ReceiptSettingsEntity)
      .findOne({ where: { organizationId: ctx.organizationId } });
    return (
      row ?? {
        organizationId: ctx.organizationId,
        ...DEFAULTS,
        defaultMode: 'per_gift',
        recurringMode: 'annual',
        updatedAt: new Date(0),
      }
    );
  }

  async signature(
    ctx: OrgContext,
    m?: EntityManager,
  ): Promise<{ mime: string; image: Buffer } | null> {
    const row = await (m ?? this.dataSource.manager)
      .getRepository(ReceiptSettingsEntity)
      .createQueryBuilder('s')
      .addSelect('s.signature')
      .where('s.organization_id = :org', { org: ctx.organizationId })
      .getOne();
    return row?.signature && row.signatureMime
      ? { mime: row.signatureMime, image: row.signature }
      : null;
  }

  async view(ctx: OrgContext, m?: EntityManager): Promise<ReceiptSettingsView> {
    const manager = m ?? this.dataSource.manager;
    const s = await this.settings(ctx, manager);
    const org = await manager
      .getRepository(OrganizationEntity)
      .findOneOrFail({ where: { id: ctx.organizationId } });
    return {
      enabled: s.enabled,
      defaultMode: s.defaultMode,
      recurringMode: s.recurringMode,
      article200: s.article200,
      article978: s.article978,
      signerName: s.signerName,
      signerTitle: s.signerTitle,
      place: s.place,
      rupDecreeDate: s.rupDecreeDate,
      rupJournalDate: s.rupJournalDate,
      sendByEmail: s.sendByEmail,
      hasSignature: s.signatureMime !== null,
      problems: issuerProblems(org, { ...s, hasSignature: s.signatureMime !== null }),
      rates: this.rates(org),
    };
  }

  rates(org: OrganizationEntity): TaxRatesView {
    const today = LocalDate.fromInstant(this.clock.now(), org.timeZone).toString();
    return taxRatesOn(today, org.organismType);
  }

  async update(ctx: OrgContext, input: ReceiptSettingsInput): Promise<ReceiptSettingsView> {
    await this.dataSource.transaction(async (m) => {
      const before = await this.settings(ctx, m);
      await m.query(
        `INSERT INTO receipt_settings (organization_id, enabled, default_mode, recurring_mode, article200, article978, signer_name, signer_title, place, rup_decree_date, rup_journal_date, send_by_email, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (organization_id) DO UPDATE SET enabled = EXCLUDED.enabled, default_mode = EXCLUDED.default_mode,
           recurring_mode = EXCLUDED.recurring_mode, article200 = EXCLUDED.article200, article978 = EXCLUDED.article978,
           signer_name = EXCLUDED.signer_name, signer_title = EXCLUDED.signer_title, place = EXCLUDED.place,
           rup_decree_date = EXCLUDED.rup_decree_date, rup_journal_date = EXCLUDED.rup_journal_date,
           send_by_email = EXCLUDED.send_by_email, updated_at = EXCLUDED.updated_at`,
        [
          ctx.organizationId,
          input.enabled,
          input.defaultMode,
          input.recurringMode,
          input.article200,
          input.article978,
          input.signerName ?? null,
          input.signerTitle ?? null,
          input.place ?? null,
          input.rupDecreeDate ?? null,
          input.rupJournalDate ?? null,
          input.sendByEmail,
          this.clock.now(),
        ],
      );
      const { signatureMime: _mime, updatedAt: _at, organizationId: _org, ...previous } = before;
      await this.audit.record(
        ctx,
        {
          action: 'receipts.settings-updated',
          entityType: 'receipt_settings',
          entityId: ctx.organizationId,
          before: previous,
          after: input,
        },
        m,
      );
    });
    return this.view(ctx);
  }

  async setSignature(ctx: OrgContext, input: ReceiptSignatureInput): Promise<ReceiptSettingsView> {
    const image = Buffer.from(input.contentBase64, 'base64');
    if (image.length === 0 || image.length > 300 * 1024)
      throw DomainError.invalid(
        'receipts.signature_size',
        'An image of at most 300 KB',
        'contentBase64',
      );
    const magic = input.mimeType === 'image/png' ? PNG : JPEG;
    if (!image.subarray(0, magic.length).equals(magic))
      throw DomainError.invalid(
        'receipts.signature_format',
        `The file is not a ${input.mimeType === 'image/png' ? 'PNG' : 'JPEG'} image`,
        'contentBase64',
      );
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO receipt_settings (organization_id, signature, signature_mime, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (organization_id) DO UPDATE SET signature = EXCLUDED.signature, signature_mime = EXCLUDED.signature_mime, updated_at = EXCLUDED.updated_at`,
        [ctx.organizationId, image, input.mimeType, this.clock.now()],
      );
      await this.audit.record(
        ctx,
        {
          action: 'receipts.signature-uploaded',
          entityType: 'receipt_settings',
          entityId: ctx.organizationId,
          after: { mimeType: input.mimeType, bytes: image.length },
        },
        m,
      );
    });
    return this.view(ctx);
  }

  async removeSignature(ctx: OrgContext): Promise<ReceiptSettingsView> {
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `UPDATE receipt_settings SET signature = NULL, signature_mime = NULL, updated_at = $2 WHERE organization_id = $1`,
        [ctx.organizationId, this.clock.now()],
      );
      await this.audit.record(
        ctx,
        {
          action: 'receipts.signature-removed',
          entityType: 'receipt_settings',
          entityId: ctx.organizationId,
        },
        m,
      );
    });
    return this.view(ctx);
  }
}
