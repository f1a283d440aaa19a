import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { DomainError, type OrgContext } from '@ruche/core';
import {
  bankAccountInputSchema,
  bankLineListQuerySchema,
  csvMappingSchema,
  type CsvMappingInput,
  type CsvPreviewView,
  type BankAccountInput,
  type BankAccountView,
  type BankLineListQuery,
  type BankLineView,
  type BankStatementView,
  type Page,
  type StatementImportView,
} from '@ruche/contracts';
import { BankStatementsService } from '@ruche/accounting';
import { ZodBody, ZodQuery } from '../http/zod';
import { Ctx, RequirePermission } from '../auth/access';
import { uuidParam } from '../contacts/contacts.controller';

const accountId = (value: string) =>
  uuidParam(value, 'bank.account_not_found', 'No such bank account');

/** Bank accounts, their statements (CAMT.053, OFX) imported idempotently, and the lines to match. */
@ApiTags('reconciliation')
@Controller('api/v1/orgs/:orgId/bank-accounts')
export class BankController {
  constructor(private readonly bank: BankStatementsService) {}

  @Get()
  @RequirePermission('reconciliation.read')
  list(@Ctx() ctx: OrgContext): Promise<BankAccountView[]> {
    return this.bank.listAccounts(ctx);
  }

  @Post()
  @RequirePermission('reconciliation.configure')
  create(
    @Ctx() ctx: OrgContext,
    @ZodBody(bankAccountInputSchema) input: BankAccountInput,
  ): Promise<BankAccountView> {
    return this.bank.createAccount(ctx, input);
  }

  @Get(':bankAccountId')
  @RequirePermission('reconciliation.read')
  get(@Ctx() ctx: OrgContext, @Param('bankAccountId') id: string): Promise<BankAccountView> {
    return this.bank.getAccount(ctx, accountId(id));
  }

  @Put(':bankAccountId')
  @RequirePermission('reconciliation.configure')
  update(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
    @ZodBody(bankAccountInputSchema) input: BankAccountInput,
  ): Promise<BankAccountView> {
    return this.bank.updateAccount(ctx, accountId(id), input);
  }

  /**
   * The statement file is the raw body (CAMT.053 XML or OFX), its name in `x-file-name`
   * (URL-encoded). 201 when it was imported, 200 when the very same file already was.
   */
  @Post(':bankAccountId/statements')
  @RequirePermission('reconciliation.import')
  async import(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
    @Headers('x-file-name') fileName: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StatementImportView> {
    if (!Buffer.isBuffer(body))
      throw DomainError.invalid(
        'bank.no_file',
        'Send the statement file as the raw body (Content-Type: application/octet-stream)',
        'file',
      );
    let name = 'releve';
    try {
      name = decodeURIComponent(fileName ?? 'releve');
    } catch {
      name = fileName ?? 'releve';
    }
    const result = await this.bank.importFile(
      ctx,
      accountId(id),
      name.replace(/[\\/]/g, '_'),
      body,
    );
    if (result.alreadyImported) void reply.status(200);
    return result;
  }

  @Get(':bankAccountId/statements')
  @RequirePermission('reconciliation.read')
  statements(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
  ): Promise<BankStatementView[]> {
    return this.bank.statements(ctx, accountId(id));
  }

  @Get(':bankAccountId/csv-mapping')
  @RequirePermission('reconciliation.read')
  csvMapping(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
  ): Promise<{ mapping: CsvMappingInput | null }> {
    return this.bank.csvMapping(ctx, accountId(id));
  }

  @Put(':bankAccountId/csv-mapping')
  @RequirePermission('reconciliation.configure')
  saveCsvMapping(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
    @ZodBody(csvMappingSchema) mapping: CsvMappingInput,
  ): Promise<{ mapping: CsvMappingInput | null }> {
    return this.bank.saveCsvMapping(ctx, accountId(id), mapping);
  }

  /** A CSV sample as the raw body: its rows, and what the saved (or guessed) mapping reads. */
  @Post(':bankAccountId/csv-preview')
  @HttpCode(200)
  @RequirePermission('reconciliation.import')
  csvPreview(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
    @Body() body: unknown,
  ): Promise<CsvPreviewView> {
    if (!Buffer.isBuffer(body))
      throw DomainError.invalid(
        'bank.no_file',
        'Send the CSV file as the raw body (Content-Type: application/octet-stream)',
        'file',
      );
    return this.bank.csvPreview(ctx, accountId(id), body);
  }

  @Get(':bankAccountId/lines')
  @RequirePermission('reconciliation.read')
  lines(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
    @ZodQuery(bankLineListQuerySchema) query: BankLineListQuery,
  ): Promise<Page<BankLineView>> {
    return this.bank.lines(ctx, accountId(id), query);
  }
}
