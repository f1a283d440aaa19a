import { Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { OrgContext } from '@ruche/core';
import {
  balanceQuerySchema,
  candidateQuerySchema,
  expectedMatchInputSchema,
  lineEntryInputSchema,
  matchInputSchema,
  matchListQuerySchema,
  reasonInputSchema,
  reconciliationRuleInputSchema,
  reconciliationSettingsSchema,
  rejectionInputSchema,
  workspaceQuerySchema,
  type BalanceCheckView,
  type BankLineView,
  type CandidateQuery,
  type ExpectedMatchInput,
  type LedgerCandidateView,
  type LineEntryInput,
  type MatchInput,
  type MatchListQuery,
  type MatchView,
  type Page,
  type ReasonInput,
  type ReconciliationRuleInput,
  type ReconciliationRuleView,
  type ReconciliationRunView,
  type ReconciliationSettingsInput,
  type ReconciliationSettingsView,
  type RejectionInput,
  type RejectionView,
  type WorkspaceLineView,
  type WorkspaceQuery,
} from '@ruche/contracts';
import { ReconciliationService } from '@ruche/accounting';
import { ZodBody, ZodQuery } from '../http/zod';
import { Ctx, RequirePermission } from '../auth/access';
import { uuidParam } from '../contacts/contacts.controller';

const accountId = (value: string) =>
  uuidParam(value, 'bank.account_not_found', 'No such bank account');
const lineId = (value: string) =>
  uuidParam(value, 'reconciliation.line_not_found', 'No such bank line');

/** The reconciliation workspace of one bank account: lines, suggestions, matches, runs, balance check. */
@ApiTags('reconciliation')
@Controller('api/v1/orgs/:orgId/bank-accounts/:bankAccountId/reconciliation')
export class AccountReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Get('lines')
  @RequirePermission('reconciliation.read')
  workspace(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
    @ZodQuery(workspaceQuerySchema) query: WorkspaceQuery,
  ): Promise<Page<WorkspaceLineView>> {
    return this.reconciliation.workspace(ctx, accountId(id), query);
  }

  @Get('candidates')
  @RequirePermission('reconciliation.read')
  candidates(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
    @ZodQuery(candidateQuerySchema) query: CandidateQuery,
  ): Promise<LedgerCandidateView[]> {
    return this.reconciliation.candidates(ctx, accountId(id), query);
  }

  @Post('matches')
  @RequirePermission('reconciliation.match')
  match(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
    @ZodBody(matchInputSchema) input: MatchInput,
  ): Promise<MatchView> {
    return this.reconciliation.match(ctx, accountId(id), input);
  }

  /** The line is an announced transfer (a join paid by transfer): recorded as received and lettered. */
  @Post('expected')
  @RequirePermission('reconciliation.match')
  expected(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
    @ZodBody(expectedMatchInputSchema) input: ExpectedMatchInput,
  ): Promise<MatchView> {
    return this.reconciliation.matchExpected(ctx, accountId(id), input);
  }

  @Get('matches')
  @RequirePermission('reconciliation.read')
  matches(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
    @ZodQuery(matchListQuerySchema) query: MatchListQuery,
  ): Promise<Page<MatchView>> {
    return this.reconciliation.list(ctx, accountId(id), query);
  }

  @Post('entries')
  @RequirePermission('reconciliation.match')
  entry(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
    @ZodBody(lineEntryInputSchema) input: LineEntryInput,
  ): Promise<MatchView> {
    return this.reconciliation.createEntry(ctx, accountId(id), input);
  }

  @Post('lines/:lineId/ignore')
  @HttpCode(200)
  @RequirePermission('reconciliation.match')
  ignore(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
    @Param('lineId') line: string,
    @ZodBody(reasonInputSchema) input: ReasonInput,
  ): Promise<BankLineView> {
    return this.reconciliation.ignore(ctx, accountId(id), lineId(line), input.reason);
  }

  @Post('lines/:lineId/unignore')
  @HttpCode(200)
  @RequirePermission('reconciliation.match')
  unignore(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
    @Param('lineId') line: string,
  ): Promise<BankLineView> {
    return this.reconciliation.unignore(ctx, accountId(id), lineId(line));
  }

  /** The line is not this proposal: it is never offered again for the line. */
  @Post('lines/:lineId/rejections')
  @RequirePermission('reconciliation.match')
  reject(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
    @Param('lineId') line: string,
    @ZodBody(rejectionInputSchema) input: RejectionInput,
  ): Promise<RejectionView> {
    return this.reconciliation.reject(ctx, accountId(id), lineId(line), input);
  }

  @Delete('lines/:lineId/rejections/:rejectionId')
  @HttpCode(204)
  @RequirePermission('reconciliation.match')
  async withdrawRejection(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
    @Param('lineId') line: string,
    @Param('rejectionId') rejection: string,
  ): Promise<void> {
    await this.reconciliation.withdrawRejection(
      ctx,
      accountId(id),
      lineId(line),
      uuidParam(rejection, 'reconciliation.rejection_not_found', 'No such rejection'),
    );
  }

  @Post('runs')
  @RequirePermission('reconciliation.match')
  startRun(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
  ): Promise<ReconciliationRunView> {
    return this.reconciliation.startRun(ctx, accountId(id));
  }

  @Get('runs/latest')
  @RequirePermission('reconciliation.read')
  latestRun(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
  ): Promise<ReconciliationRunView | null> {
    return this.reconciliation.latestRun(ctx, accountId(id));
  }

  @Get('balance')
  @RequirePermission('reconciliation.read')
  balance(
    @Ctx() ctx: OrgContext,
    @Param('bankAccountId') id: string,
    @ZodQuery(balanceQuerySchema) query: { date?: string },
  ): Promise<BalanceCheckView> {
    return this.reconciliation.balance(ctx, accountId(id), query.date);
  }
}

/** The organization's reconciliation settings, rules, matches by id (undo) and runs by id. */
@ApiTags('reconciliation')
@Controller('api/v1/orgs/:orgId/reconciliation')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Get('settings')
  @RequirePermission('reconciliation.read')
  settings(@Ctx() ctx: OrgContext): Promise<ReconciliationSettingsView> {
    return this.reconciliation.settings(ctx);
  }

  @Put('settings')
  @RequirePermission('reconciliation.configure')
  updateSettings(
    @Ctx() ctx: OrgContext,
    @ZodBody(reconciliationSettingsSchema) input: ReconciliationSettingsInput,
  ): Promise<ReconciliationSettingsView> {
    return this.reconciliation.updateSettings(ctx, input);
  }

  @Get('rules')
  @RequirePermission('reconciliation.read')
  rules(@Ctx() ctx: OrgContext): Promise<ReconciliationRuleView[]> {
    return this.reconciliation.rules(ctx);
  }

  @Post('rules')
  @RequirePermission('reconciliation.configure')
  createRule(
    @Ctx() ctx: OrgContext,
    @ZodBody(reconciliationRuleInputSchema) input: ReconciliationRuleInput,
  ): Promise<ReconciliationRuleView> {
    return this.reconciliation.createRule(ctx, input);
  }

  @Put('rules/:ruleId')
  @RequirePermission('reconciliation.configure')
  updateRule(
    @Ctx() ctx: OrgContext,
    @Param('ruleId') id: string,
    @ZodBody(reconciliationRuleInputSchema) input: ReconciliationRuleInput,
  ): Promise<ReconciliationRuleView> {
    return this.reconciliation.updateRule(
      ctx,
      uuidParam(id, 'reconciliation.rule_not_found', 'No such rule'),
      input,
    );
  }

  @Delete('rules/:ruleId')
  @HttpCode(204)
  @RequirePermission('reconciliation.configure')
  async deleteRule(@Ctx() ctx: OrgContext, @Param('ruleId') id: string): Promise<void> {
    await this.reconciliation.deleteRule(
      ctx,
      uuidParam(id, 'reconciliation.rule_not_found', 'No such rule'),
    );
  }

  @Get('matches/:matchId')
  @RequirePermission('reconciliation.read')
  get(@Ctx() ctx: OrgContext, @Param('matchId') id: string): Promise<MatchView> {
    return this.reconciliation.get(
      ctx,
      uuidParam(id, 'reconciliation.match_not_found', 'No such match'),
    );
  }

  @Post('matches/:matchId/undo')
  @HttpCode(200)
  @RequirePermission('reconciliation.match')
  undo(
    @Ctx() ctx: OrgContext,
    @Param('matchId') id: string,
    @ZodBody(reasonInputSchema) input: ReasonInput,
  ): Promise<MatchView> {
    return this.reconciliation.undo(
      ctx,
      uuidParam(id, 'reconciliation.match_not_found', 'No such match'),
      input.reason,
    );
  }

  @Get('runs/:runId')
  @RequirePermission('reconciliation.read')
  run(@Ctx() ctx: OrgContext, @Param('runId') id: string): Promise<ReconciliationRunView> {
    return this.reconciliation.run(
      ctx,
      uuidParam(id, 'reconciliation.run_not_found', 'No such run'),
    );
  }
}
