import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  StreamableFile,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { OrgContext } from '@ruche/core';
import {
  cancelReceiptInputSchema,
  receiptGiftListQuerySchema,
  receiptListQuerySchema,
  receiptSettingsInputSchema,
  receiptSignatureInputSchema,
  yearInputSchema,
  type AnnualBatchView,
  type CancelReceiptInput,
  type Page,
  type ReceiptDeclarationView,
  type ReceiptGiftListQuery,
  type ReceiptGiftView,
  type ReceiptListQuery,
  type ReceiptSettingsInput,
  type ReceiptSettingsView,
  type ReceiptSignatureInput,
  type ReceiptView,
  type YearInput,
} from '@ruche/contracts';
import { DomainError } from '@ruche/core';
import { ReceiptSettingsService, ReceiptsService } from '@ruche/receipts';
import { ZodBody, ZodQuery } from '../http/zod';
import { Ctx, RequirePermission } from '../auth/access';
import { uuidParam } from '../contacts/contacts.controller';

const receiptId = (value: string) => uuidParam(value, 'receipts.not_found', 'No such receipt');

function year(value: string): number {
  const n = Number(value);
  if (!/^\d{4}$/.test(value) || n < 2000 || n > 2100)
    throw DomainError.invalid('receipts.year_invalid', 'A year such as 2026', 'year');
  return n;
}

/** Fiscal receipts: settings, the register, cancellation and replacement, annual batch, declaration. */
@ApiTags('receipts')
@Controller('api/v1/orgs/:orgId/receipts')
export class ReceiptsController {
  constructor(
    private readonly receipts: ReceiptsService,
    private readonly settings: ReceiptSettingsService,
  ) {}

  @Get('settings')
  @RequirePermission('receipts.read')
  getSettings(@Ctx() ctx: OrgContext): Promise<ReceiptSettingsView> {
    return this.settings.view(ctx);
  }

  @Put('settings')
  @RequirePermission('receipts.configure')
  async updateSettings(
    @Ctx() ctx: OrgContext,
    @ZodBody(receiptSettingsInputSchema) input: ReceiptSettingsInput,
  ): Promise<ReceiptSettingsView> {
    const view = await this.settings.update(ctx, input);
    if (view.problems.length === 0) await this.receipts.retryWaiting(ctx);
    return view;
  }

  @Put('settings/signature')
  @RequirePermission('receipts.configure')
  async setSignature(
    @Ctx() ctx: OrgContext,
    @ZodBody(receiptSignatureInputSchema) input: ReceiptSignatureInput,
  ): Promise<ReceiptSettingsView> {
    const view = await this.settings.setSignature(ctx, input);
    if (view.problems.length === 0) await this.receipts.retryWaiting(ctx);
    return view;
  }

  @Delete('settings/signature')
  @RequirePermission('receipts.configure')
  removeSignature(@Ctx() ctx: OrgContext): Promise<ReceiptSettingsView> {
    return this.settings.removeSignature(ctx);
  }

  @Get('settings/signature')
  @RequirePermission('receipts.read')
  async signature(@Ctx() ctx: OrgContext): Promise<StreamableFile> {
    const signature = await this.settings.signature(ctx);
    if (!signature) throw DomainError.notFound('receipts.no_signature', 'No signature uploaded');
    return new StreamableFile(signature.image, { type: signature.mime });
  }

  @Get()
  @RequirePermission('receipts.read')
  list(
    @Ctx() ctx: OrgContext,
    @ZodQuery(receiptListQuerySchema) query: ReceiptListQuery,
  ): Promise<Page<ReceiptView>> {
    return this.receipts.list(ctx, query);
  }

  @Get('register.csv')
  @RequirePermission('receipts.read')
  async registerCsv(
    @Ctx() ctx: OrgContext,
    @ZodQuery(yearInputSchema) query: YearInput,
  ): Promise<StreamableFile> {
    const file = await this.receipts.registerCsv(ctx, query.year);
    return new StreamableFile(file.body, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${file.fileName}"`,
    });
  }

  @Get('register.pdf')
  @RequirePermission('receipts.read')
  async registerPdf(
    @Ctx() ctx: OrgContext,
    @ZodQuery(yearInputSchema) query: YearInput,
  ): Promise<StreamableFile> {
    const file = await this.receipts.registerPdf(ctx, query.year);
    return new StreamableFile(file.stream, {
      type: 'application/pdf',
      disposition: `attachment; filename="${file.fileName}"`,
    });
  }

  /** The yearly declaration of receipted gifts (art. 222 bis CGI). */
  @Get('declaration')
  @RequirePermission('receipts.read')
  declaration(
    @Ctx() ctx: OrgContext,
    @ZodQuery(yearInputSchema) query: YearInput,
  ): Promise<ReceiptDeclarationView> {
    return this.receipts.declaration(ctx, query.year);
  }

  @Get('gifts')
  @RequirePermission('receipts.read')
  gifts(
    @Ctx() ctx: OrgContext,
    @ZodQuery(receiptGiftListQuerySchema) query: ReceiptGiftListQuery,
  ): Promise<Page<ReceiptGiftView>> {
    return this.receipts.gifts(ctx, query);
  }

  /** Issues the receipt of a waiting gift now (422 with what is missing when it cannot). */
  @Post('gifts/:giftId/issue')
  @HttpCode(201)
  @RequirePermission('receipts.issue')
  issue(@Ctx() ctx: OrgContext, @Param('giftId') giftId: string): Promise<ReceiptView> {
    return this.receipts.issueNow(
      ctx,
      uuidParam(giftId, 'receipts.gift_not_found', 'No such gift'),
    );
  }

  /** Queues again every gift waiting for its receipt (after a fix of the settings or a donor). */
  @Post('gifts/retry')
  @HttpCode(202)
  @RequirePermission('receipts.issue')
  async retry(@Ctx() ctx: OrgContext): Promise<{ queued: number }> {
    return { queued: await this.receipts.retryWaiting(ctx) };
  }

  @Get('annual/:year')
  @RequirePermission('receipts.read')
  annualStatus(@Ctx() ctx: OrgContext, @Param('year') value: string): Promise<AnnualBatchView> {
    return this.receipts.annualStatus(ctx, year(value));
  }

  /** Starts the year-end batch of annual summary receipts (a job). */
  @Post('annual')
  @HttpCode(202)
  @RequirePermission('receipts.issue')
  startAnnual(
    @Ctx() ctx: OrgContext,
    @ZodBody(yearInputSchema) input: YearInput,
  ): Promise<AnnualBatchView> {
    return this.receipts.startAnnual(ctx, input.year);
  }

  @Get(':receiptId')
  @RequirePermission('receipts.read')
  get(@Ctx() ctx: OrgContext, @Param('receiptId') id: string): Promise<ReceiptView> {
    return this.receipts.get(ctx, receiptId(id));
  }

  /** The PDF exactly as issued (the stored bytes, never rendered again). */
  @Get(':receiptId/pdf')
  @RequirePermission('receipts.read')
  async pdf(@Ctx() ctx: OrgContext, @Param('receiptId') id: string): Promise<StreamableFile> {
    const file = await this.receipts.pdf(ctx, receiptId(id));
    return new StreamableFile(file.pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="recu-fiscal-${file.reference}.pdf"`,
    });
  }

  @Post(':receiptId/cancel')
  @HttpCode(200)
  @RequirePermission('receipts.cancel')
  cancel(
    @Ctx() ctx: OrgContext,
    @Param('receiptId') id: string,
    @ZodBody(cancelReceiptInputSchema) input: CancelReceiptInput,
  ): Promise<ReceiptView> {
    return this.receipts.cancel(ctx, receiptId(id), input);
  }

  @Post(':receiptId/resend')
  @HttpCode(202)
  @RequirePermission('receipts.issue')
  async resend(@Ctx() ctx: OrgContext, @Param('receiptId') id: string): Promise<void> {
    await this.receipts.resend(ctx, receiptId(id));
  }
}
