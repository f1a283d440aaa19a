import { Controller, Get, Param, Put, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { OrgContext } from '@ruche/core';
import {
  invoiceListQuerySchema,
  invoiceSettingsInputSchema,
  type InvoiceKind,
  type InvoiceListQuery,
  type InvoiceSettingsInput,
  type InvoiceSettingsView,
  type InvoiceView,
  type Page,
} from '@ruche/contracts';
import { InvoicesService } from '@ruche/payments';
import { ZodBody, ZodQuery } from '../http/zod';
import { Ctx, RequirePermission } from '../auth/access';
import { uuidParam } from '../contacts/contacts.controller';

const invoiceId = (value: string) => uuidParam(value, 'invoices.not_found', 'No such invoice');

/** The PDF as issued (the stored bytes), named after its reference. */
export function invoicePdfFile(file: {
  reference: string;
  kind: InvoiceKind;
  pdf: Buffer;
}): StreamableFile {
  const name = `${file.kind === 'credit_note' ? 'avoir' : 'facture'}-${file.reference}.pdf`;
  return new StreamableFile(file.pdf, {
    type: 'application/pdf',
    disposition: `attachment; filename="${name}"`,
  });
}

/** Invoices and credit notes: the register, each document, its PDF, and what they print. */
@ApiTags('invoices')
@Controller('api/v1/orgs/:orgId/invoices')
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  @Get('settings')
  @RequirePermission('payments.read')
  settings(@Ctx() ctx: OrgContext): Promise<InvoiceSettingsView> {
    return this.invoices.settings(ctx);
  }

  @Put('settings')
  @RequirePermission('payments.configure')
  updateSettings(
    @Ctx() ctx: OrgContext,
    @ZodBody(invoiceSettingsInputSchema) input: InvoiceSettingsInput,
  ): Promise<InvoiceSettingsView> {
    return this.invoices.updateSettings(ctx, input);
  }

  @Get()
  @RequirePermission('payments.read')
  list(
    @Ctx() ctx: OrgContext,
    @ZodQuery(invoiceListQuerySchema) query: InvoiceListQuery,
  ): Promise<Page<InvoiceView>> {
    return this.invoices.list(ctx, query);
  }

  @Get(':invoiceId')
  @RequirePermission('payments.read')
  get(@Ctx() ctx: OrgContext, @Param('invoiceId') id: string): Promise<InvoiceView> {
    return this.invoices.get(ctx, invoiceId(id));
  }

  /** The PDF exactly as issued (never rendered again). */
  @Get(':invoiceId/pdf')
  @RequirePermission('payments.read')
  async pdf(@Ctx() ctx: OrgContext, @Param('invoiceId') id: string): Promise<StreamableFile> {
    return invoicePdfFile(await this.invoices.pdf(ctx, invoiceId(id)));
  }
}
