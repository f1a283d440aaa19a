import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DomainError, type OrgContext } from '@ruche/core';
import {
  importMappingInputSchema,
  importReadingInputSchema,
  importRowsQuerySchema,
  runImportInputSchema,
  type ImportMappingInput,
  type ImportMode,
  type ImportReadingInput,
  type ImportRowView,
  type ImportRowsQuery,
  type ImportView,
  type Page,
} from '@ruche/contracts';
import { ImportsService } from '@ruche/memberships';
import { ZodBody, ZodQuery } from '../http/zod';
import { Ctx, RequirePermission } from '../auth/access';
import { uuidParam } from './contacts.controller';

const importId = (value: string) => uuidParam(value, 'imports.not_found', 'No such import');

/** Contact and membership imports: upload a CSV/XLSX, map its columns, dry run, apply in the worker. */
@ApiTags('contacts')
@Controller('api/v1/orgs/:orgId/imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  /** The file is the raw body (text/csv or an .xlsx type), its name in `x-file-name` (URL-encoded). */
  @Post()
  @RequirePermission('contacts.write')
  upload(@Ctx() ctx: OrgContext, @Headers('x-file-name') fileName: string | undefined, @Body() body: unknown): Promise<ImportView> {
    if (!Buffer.isBuffer(body)) throw DomainError.invalid('imports.no_file', 'Send the file as the raw body (Content-Type: text/csv or an .xlsx type)', 'file');
    let name = 'import';
    try {
      name = decodeURIComponent(fileName ?? 'import');
    } catch {
      name = fileName ?? 'import';
    }
    return this.imports.upload(ctx, name.replace(/[\\/]/g, '_'), body);
  }

  @Get()
  @RequirePermission('contacts.write')
  list(@Ctx() ctx: OrgContext): Promise<ImportView[]> {
    return this.imports.list(ctx);
  }

  @Get(':importId')
  @RequirePermission('contacts.write')
  get(@Ctx() ctx: OrgContext, @Param('importId') id: string): Promise<ImportView> {
    return this.imports.get(ctx, importId(id));
  }

  @Put(':importId/mapping')
  @RequirePermission('contacts.write')
  setMapping(@Ctx() ctx: OrgContext, @Param('importId') id: string, @ZodBody(importMappingInputSchema) input: ImportMappingInput): Promise<ImportView> {
    return this.imports.setMapping(ctx, importId(id), input);
  }

  /** A CSV read again with another encoding or separator (a new separator forgets the mapping). */
  @Put(':importId/reading')
  @RequirePermission('contacts.write')
  setReading(@Ctx() ctx: OrgContext, @Param('importId') id: string, @ZodBody(importReadingInputSchema) input: ImportReadingInput): Promise<ImportView> {
    return this.imports.setReading(ctx, importId(id), input);
  }

  /** Queues a dry run (`mode: dry_run`, writes nothing) or the import (`apply`); progress comes as `import.progress` live events. */
  @Post(':importId/run')
  @HttpCode(202)
  @RequirePermission('contacts.write')
  run(@Ctx() ctx: OrgContext, @Param('importId') id: string, @ZodBody(runImportInputSchema) input: { mode: ImportMode }): Promise<ImportView> {
    return this.imports.run(ctx, importId(id), input.mode);
  }

  /** The report: one line per row of the file with its outcome and reasons. */
  @Get(':importId/rows')
  @RequirePermission('contacts.write')
  rows(@Ctx() ctx: OrgContext, @Param('importId') id: string, @ZodQuery(importRowsQuerySchema) query: ImportRowsQuery): Promise<Page<ImportRowView>> {
    return this.imports.rows(ctx, importId(id), query);
  }
}
