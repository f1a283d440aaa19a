import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Res, StreamableFile } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ApiTags } from '@nestjs/swagger';
import { DomainError, isUuid, type OrgContext } from '@ruche/core';
import {
  accountNumberSchema,
  createAccountInputSchema,
  createFiscalYearInputSchema,
  createJournalInputSchema,
  entryInputSchema,
  closeFiscalYearInputSchema,
  cancelDeferralInputSchema,
  reopenFiscalYearInputSchema,
  fecQuerySchema,
  fecImportQuerySchema,
  generalLedgerQuerySchema,
  journalListingQuerySchema,
  reportPeriodQuerySchema,
  statementQuerySchema,
  journalCodeSchema,
  listEntriesQuerySchema,
  reverseEntryInputSchema,
  updateAccountInputSchema,
  updateJournalInputSchema,
  updatePostingAccountsInputSchema,
  type AccountView,
  type CreateAccountInput,
  type CreateFiscalYearInput,
  type CreateJournalInput,
  type EntryInput,
  type EntryView,
  type CloseFiscalYearInput,
  type CancelDeferralInput,
  type DeferralsView,
  type ReopenFiscalYearInput,
  type YearCloseCheckView,
  type YearCloseResultView,
  type FecCheckView,
  type FecQuery,
  type FecImportQuery,
  type FecImportReport,
  type GeneralLedgerQuery,
  type GeneralLedgerView,
  type JournalListingQuery,
  type JournalListingView,
  type ReportPeriodQuery,
  type StatementQuery,
  type StatementView,
  type AnalyticResultView,
  type AttachmentView,
  type TrialBalanceView,
  type FiscalYearView,
  type JournalView,
  type ListEntriesQuery,
  type Page,
  type PostingAccountView,
  type ReverseEntryInput,
  type UpdateAccountInput,
  type UpdateJournalInput,
  type UpdatePostingAccountsInput,
} from '@ruche/contracts';
import { ChartService, ExportsService, FecService, FiscalYearsService, JournalsService, LedgerService, PostingAccountsService, ReportsService, StatementsService, YearCloseService, AttachmentsService, FecImportService, DeferralsService, type CsvFile } from '@ruche/accounting';
import { ZodBody, ZodQuery } from '../http/zod';
import { Ctx, RequirePermission } from '../auth/access';

const fiscalYearQuerySchema = z.object({ fiscalYearId: z.uuid() }).strict();

function download(file: CsvFile): StreamableFile {
  return new StreamableFile(file.stream, { type: file.contentType, disposition: `attachment; filename="${file.fileName}"` });
}

function fiscalYearId(value: string): string {
  if (!isUuid(value)) throw DomainError.notFound('accounting.fiscal_year_not_found');
  return value;
}

function entryId(value: string): string {
  if (!isUuid(value)) throw DomainError.notFound('accounting.entry_not_found', 'No such entry');
  return value;
}

function accountNumber(value: string): string {
  if (!accountNumberSchema.safeParse(value).success) throw DomainError.notFound('accounting.account_not_found', `No account ${value}`);
  return value;
}

function journalCode(value: string): string {
  const parsed = journalCodeSchema.safeParse(value);
  if (!parsed.success) throw DomainError.notFound('accounting.journal_not_found', `No journal ${value}`);
  return parsed.data;
}

/** The books: chart of accounts, journals, fiscal years, entries, posting accounts. */
@ApiTags('accounting')
@Controller('api/v1/orgs/:orgId/accounting')
export class AccountingController {
  constructor(
    private readonly chart: ChartService,
    private readonly journals: JournalsService,
    private readonly fiscalYears: FiscalYearsService,
    private readonly ledger: LedgerService,
    private readonly postingAccounts: PostingAccountsService,
    private readonly reports: ReportsService,
    private readonly fec: FecService,
    private readonly exports: ExportsService,
    private readonly yearClose: YearCloseService,
    private readonly statements: StatementsService,
    private readonly attachments: AttachmentsService,
    private readonly fecImport: FecImportService,
    private readonly deferralsService: DeferralsService,
  ) {}

  /** Imports a FEC from other software (raw body, text/plain, up to 10 MB); answers with the report of every line. */
  @Post('imports/fec')
  @HttpCode(200)
  @RequirePermission('accounting.configure')
  importFec(@Ctx() ctx: OrgContext, @ZodQuery(fecImportQuerySchema) query: FecImportQuery, @Body() body: unknown): Promise<FecImportReport> {
    if (!Buffer.isBuffer(body)) throw DomainError.invalid('accounting.fec_body', 'Send the FEC file as the raw body (Content-Type: text/plain)', 'body');
    return this.fecImport.import(ctx, body, query);
  }

  /** Upload: the file is the raw body (Content-Type: application/pdf, image/png...), its name in x-file-name. */
  @Post('entries/:entryId/attachments')
  @RequirePermission('accounting.write')
  addAttachment(
    @Ctx() ctx: OrgContext,
    @Param('entryId') id: string,
    @Headers('content-type') contentType: string | undefined,
    @Headers('x-file-name') fileName: string | undefined,
    @Body() body: unknown,
  ): Promise<AttachmentView> {
    if (!Buffer.isBuffer(body)) throw DomainError.invalid('accounting.attachment_type', 'Send the file as the raw body with its content type', 'content-type');
    let name = fileName ?? '';
    try {
      name = decodeURIComponent(name);
    } catch {
      throw DomainError.invalid('accounting.attachment_name', 'x-file-name must be URL-encoded', 'x-file-name');
    }
    return this.attachments.add(ctx, entryId(id), { fileName: name, contentType: contentType ?? '', data: body });
  }

  @Get('entries/:entryId/attachments')
  @RequirePermission('accounting.read')
  listAttachments(@Ctx() ctx: OrgContext, @Param('entryId') id: string): Promise<AttachmentView[]> {
    return this.attachments.list(ctx, entryId(id));
  }

  @Get('entries/:entryId/attachments/:attachmentId')
  @RequirePermission('accounting.read')
  async downloadAttachment(@Ctx() ctx: OrgContext, @Param('entryId') id: string, @Param('attachmentId') attachmentId: string): Promise<StreamableFile> {
    if (!isUuid(attachmentId)) throw DomainError.notFound('accounting.attachment_not_found', 'No such attachment');
    const file = await this.attachments.get(ctx, entryId(id), attachmentId);
    return new StreamableFile(file.data, { type: file.contentType, disposition: `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`, length: file.sizeBytes });
  }

  @Delete('entries/:entryId/attachments/:attachmentId')
  @HttpCode(204)
  @RequirePermission('accounting.write')
  async removeAttachment(@Ctx() ctx: OrgContext, @Param('entryId') id: string, @Param('attachmentId') attachmentId: string): Promise<void> {
    if (!isUuid(attachmentId)) throw DomainError.notFound('accounting.attachment_not_found', 'No such attachment');
    await this.attachments.remove(ctx, entryId(id), attachmentId);
  }

  @Get('reports/income-statement')
  @RequirePermission('accounting.read')
  async incomeStatement(@Ctx() ctx: OrgContext, @ZodQuery(statementQuerySchema) query: StatementQuery): Promise<StatementView | StreamableFile> {
    const view = await this.statements.incomeStatement(ctx, query);
    if (query.format === 'pdf') return download(await this.exports.statementPdf(ctx, view, 'Compte de résultat', 'compte-de-resultat'));
    return query.format === 'csv' ? download(this.exports.statement(view, 'compte-de-resultat')) : view;
  }

  @Get('reports/balance-sheet')
  @RequirePermission('accounting.read')
  async balanceSheet(@Ctx() ctx: OrgContext, @ZodQuery(statementQuerySchema) query: StatementQuery): Promise<StatementView | StreamableFile> {
    const view = await this.statements.balanceSheet(ctx, query);
    if (query.format === 'pdf') return download(await this.exports.statementPdf(ctx, view, 'Bilan', 'bilan'));
    return query.format === 'csv' ? download(this.exports.statement(view, 'bilan')) : view;
  }

  @Get('reports/analytic')
  @RequirePermission('accounting.read')
  async analytic(@Ctx() ctx: OrgContext, @ZodQuery(reportPeriodQuerySchema) query: ReportPeriodQuery): Promise<AnalyticResultView | StreamableFile> {
    const view = await this.statements.analytic(ctx, query);
    return query.format === 'csv' ? download(this.exports.analytic(view)) : view;
  }

  @Get('fiscal-years/:fiscalYearId/close')
  @RequirePermission('accounting.read')
  closeCheck(@Ctx() ctx: OrgContext, @Param('fiscalYearId') id: string): Promise<YearCloseCheckView> {
    return this.yearClose.check(ctx, fiscalYearId(id));
  }

  @Post('fiscal-years/:fiscalYearId/close')
  @HttpCode(200)
  @RequirePermission('accounting.close')
  close(@Ctx() ctx: OrgContext, @Param('fiscalYearId') id: string, @ZodBody(closeFiscalYearInputSchema) input: CloseFiscalYearInput): Promise<YearCloseResultView> {
    return this.yearClose.close(ctx, fiscalYearId(id), input);
  }

  /** Year-end deferral (produits constatés d'avance): what income of the year pays for the next one. */
  @Get('fiscal-years/:fiscalYearId/deferrals')
  @RequirePermission('accounting.read')
  deferrals(@Ctx() ctx: OrgContext, @Param('fiscalYearId') id: string): Promise<DeferralsView> {
    return this.deferralsService.preview(ctx, fiscalYearId(id));
  }

  @Post('fiscal-years/:fiscalYearId/deferrals')
  @HttpCode(200)
  @RequirePermission('accounting.close')
  postDeferrals(@Ctx() ctx: OrgContext, @Param('fiscalYearId') id: string): Promise<DeferralsView> {
    return this.deferralsService.post(ctx, fiscalYearId(id));
  }

  @Post('fiscal-years/:fiscalYearId/deferrals/cancel')
  @HttpCode(200)
  @RequirePermission('accounting.close')
  cancelDeferrals(@Ctx() ctx: OrgContext, @Param('fiscalYearId') id: string, @ZodBody(cancelDeferralInputSchema) input: CancelDeferralInput): Promise<DeferralsView> {
    return this.deferralsService.cancel(ctx, fiscalYearId(id), input.reason);
  }

  /** Only an owner reopens a closed year; the opening entry of the next year is reversed. */
  @Post('fiscal-years/:fiscalYearId/reopen')
  @HttpCode(200)
  @RequirePermission('accounting.reopen')
  reopen(@Ctx() ctx: OrgContext, @Param('fiscalYearId') id: string, @ZodBody(reopenFiscalYearInputSchema) input: ReopenFiscalYearInput): Promise<FiscalYearView> {
    return this.yearClose.reopen(ctx, fiscalYearId(id), input);
  }

  @Get('reports/trial-balance')
  @RequirePermission('accounting.read')
  async trialBalance(@Ctx() ctx: OrgContext, @ZodQuery(reportPeriodQuerySchema) query: ReportPeriodQuery): Promise<TrialBalanceView | StreamableFile> {
    if (query.format === 'pdf') return download(await this.exports.trialBalancePdf(ctx, query));
    return query.format === 'csv' ? download(await this.exports.trialBalance(ctx, query)) : this.reports.trialBalance(ctx, query);
  }

  @Get('reports/general-ledger')
  @RequirePermission('accounting.read')
  async generalLedger(@Ctx() ctx: OrgContext, @ZodQuery(generalLedgerQuerySchema) query: GeneralLedgerQuery): Promise<GeneralLedgerView | StreamableFile> {
    if (query.format === 'pdf') return download(await this.exports.generalLedgerPdf(ctx, query));
    return query.format === 'csv' ? download(await this.exports.generalLedger(ctx, query)) : this.reports.generalLedger(ctx, query);
  }

  /** Journal listing: the entries of a period journal by journal (or of one journal), with totals. */
  @Get('reports/journal')
  @RequirePermission('accounting.read')
  async journalListing(@Ctx() ctx: OrgContext, @ZodQuery(journalListingQuerySchema) query: JournalListingQuery): Promise<JournalListingView | StreamableFile> {
    if (query.format === 'pdf') return download(await this.exports.journalListingPdf(ctx, query));
    return query.format === 'csv' ? download(await this.exports.journalListing(ctx, query)) : this.reports.journalListing(ctx, query);
  }

  /**
   * The legal FEC file of a fiscal year (ISO-8859-15 and tabs by default). A file that is not
   * complete yet (à-nouveaux waiting for the previous year's close) says so in `X-Fec-Notice`.
   */
  @Get('fec')
  @RequirePermission('accounting.read')
  async fecExport(@Ctx() ctx: OrgContext, @ZodQuery(fecQuerySchema) query: FecQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const file = await this.fec.export(ctx, query);
    if (file.notice) void reply.header('X-Fec-Notice', encodeURIComponent(file.notice));
    return download(file);
  }

  @Get('fec/check')
  @RequirePermission('accounting.read')
  fecCheck(@Ctx() ctx: OrgContext, @ZodQuery(fiscalYearQuerySchema) query: { fiscalYearId: string }): Promise<FecCheckView> {
    return this.fec.check(ctx, query.fiscalYearId);
  }

  /** Every posted line of a fiscal year as CSV (format in libs/accounting/README.md). */
  @Get('exports/entries')
  @RequirePermission('accounting.read')
  async exportEntries(@Ctx() ctx: OrgContext, @ZodQuery(fiscalYearQuerySchema) query: { fiscalYearId: string }): Promise<StreamableFile> {
    return download(await this.exports.entries(ctx, query.fiscalYearId));
  }

  @Get('accounts')
  @RequirePermission('accounting.read')
  listAccounts(@Ctx() ctx: OrgContext): Promise<AccountView[]> {
    return this.chart.list(ctx);
  }

  @Post('accounts')
  @RequirePermission('accounting.configure')
  createAccount(@Ctx() ctx: OrgContext, @ZodBody(createAccountInputSchema) input: CreateAccountInput): Promise<AccountView> {
    return this.chart.create(ctx, input);
  }

  @Put('accounts/:number')
  @RequirePermission('accounting.configure')
  updateAccount(@Ctx() ctx: OrgContext, @Param('number') number: string, @ZodBody(updateAccountInputSchema) input: UpdateAccountInput): Promise<AccountView> {
    return this.chart.update(ctx, accountNumber(number), input);
  }

  @Get('journals')
  @RequirePermission('accounting.read')
  listJournals(@Ctx() ctx: OrgContext): Promise<JournalView[]> {
    return this.journals.list(ctx);
  }

  @Post('journals')
  @RequirePermission('accounting.configure')
  createJournal(@Ctx() ctx: OrgContext, @ZodBody(createJournalInputSchema) input: CreateJournalInput): Promise<JournalView> {
    return this.journals.create(ctx, input);
  }

  @Put('journals/:code')
  @RequirePermission('accounting.configure')
  updateJournal(@Ctx() ctx: OrgContext, @Param('code') code: string, @ZodBody(updateJournalInputSchema) input: UpdateJournalInput): Promise<JournalView> {
    return this.journals.update(ctx, journalCode(code), input);
  }

  @Get('fiscal-years')
  @RequirePermission('accounting.read')
  listFiscalYears(@Ctx() ctx: OrgContext): Promise<FiscalYearView[]> {
    return this.fiscalYears.list(ctx);
  }

  @Post('fiscal-years')
  @RequirePermission('accounting.configure')
  createFiscalYear(@Ctx() ctx: OrgContext, @ZodBody(createFiscalYearInputSchema) input: CreateFiscalYearInput): Promise<FiscalYearView> {
    return this.fiscalYears.create(ctx, input);
  }

  @Get('posting-accounts')
  @RequirePermission('accounting.read')
  listPostingAccounts(@Ctx() ctx: OrgContext): Promise<PostingAccountView[]> {
    return this.postingAccounts.list(ctx);
  }

  @Put('posting-accounts')
  @RequirePermission('accounting.configure')
  updatePostingAccounts(@Ctx() ctx: OrgContext, @ZodBody(updatePostingAccountsInputSchema) input: UpdatePostingAccountsInput): Promise<PostingAccountView[]> {
    return this.postingAccounts.update(ctx, input);
  }

  @Get('entries')
  @RequirePermission('accounting.read')
  listEntries(@Ctx() ctx: OrgContext, @ZodQuery(listEntriesQuerySchema) query: ListEntriesQuery): Promise<Page<EntryView>> {
    return this.ledger.list(ctx, query);
  }

  @Post('entries')
  @RequirePermission('accounting.write')
  createEntry(@Ctx() ctx: OrgContext, @ZodBody(entryInputSchema) input: EntryInput): Promise<EntryView> {
    return this.ledger.create(ctx, input);
  }

  @Get('entries/:entryId')
  @RequirePermission('accounting.read')
  getEntry(@Ctx() ctx: OrgContext, @Param('entryId') id: string): Promise<EntryView> {
    return this.ledger.get(ctx, entryId(id));
  }

  @Put('entries/:entryId')
  @RequirePermission('accounting.write')
  updateEntry(@Ctx() ctx: OrgContext, @Param('entryId') id: string, @ZodBody(entryInputSchema) input: EntryInput): Promise<EntryView> {
    return this.ledger.updateDraft(ctx, entryId(id), input);
  }

  @Delete('entries/:entryId')
  @HttpCode(204)
  @RequirePermission('accounting.write')
  async deleteEntry(@Ctx() ctx: OrgContext, @Param('entryId') id: string): Promise<void> {
    await this.ledger.deleteDraft(ctx, entryId(id));
  }

  @Post('entries/:entryId/post')
  @HttpCode(200)
  @RequirePermission('accounting.write')
  postEntry(@Ctx() ctx: OrgContext, @Param('entryId') id: string): Promise<EntryView> {
    return this.ledger.postDraft(ctx, entryId(id));
  }

  @Post('entries/:entryId/reverse')
  @RequirePermission('accounting.write')
  reverseEntry(@Ctx() ctx: OrgContext, @Param('entryId') id: string, @ZodBody(reverseEntryInputSchema) input: ReverseEntryInput): Promise<EntryView> {
    return this.ledger.reverse(ctx, entryId(id), input);
  }
}
