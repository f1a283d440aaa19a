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
  stripeSyncInputSchema,
  type StripeSyncInput,
  type StripeSyncView,
  chequeDepositInputSchema,
  manualPaymentInputSchema,
  paginationQuerySchema,
  type ChequeDepositInput,
  type ChequeDepositView,
  type ManualPaymentInput,
  type PaginationQuery,
  listPaymentsQuerySchema,
  listPayoutsQuerySchema,
  refundInputSchema,
  type ListPayoutsQuery,
  type PayoutView,
  type RefundInput,
  listStripeEventsQuerySchema,
  stripeSettingsInputSchema,
  type ListPaymentsQuery,
  type ListStripeEventsQuery,
  type Page,
  type PaymentView,
  type StripeConnectionCheckView,
  type StripeEventView,
  type StripeSettingsInput,
  type StripeSettingsView,
} from '@ruche/contracts';
import {
  ChequeDepositsService,
  PaymentsService,
  SettlementsService,
  StripeAccountsService,
  StripeEventsService,
  StripeSyncService,
} from '@ruche/payments';
import { ZodBody, ZodQuery } from '../http/zod';
import { Ctx, RequirePermission } from '../auth/access';
import { uuidParam } from '../contacts/contacts.controller';

const paymentId = (value: string) => uuidParam(value, 'payments.not_found', 'No such payment');

/** Payments (the treasurer's view), the Stripe connection and the events Stripe sent. */
@ApiTags('payments')
@Controller('api/v1/orgs/:orgId')
export class PaymentsController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly stripe: StripeAccountsService,
    private readonly events: StripeEventsService,
    private readonly settlements: SettlementsService,
    private readonly deposits: ChequeDepositsService,
    private readonly stripeSync: StripeSyncService,
  ) {}

  /** Money received at the desk for no membership (a sale, a contribution): recorded and posted. */
  @Post('payments/manual')
  @RequirePermission('payments.collect')
  createManual(
    @Ctx() ctx: OrgContext,
    @ZodBody(manualPaymentInputSchema) input: ManualPaymentInput,
  ): Promise<PaymentView> {
    return this.payments.createManual(ctx, input);
  }

  @Get('cheque-deposits')
  @RequirePermission('payments.read')
  listDeposits(
    @Ctx() ctx: OrgContext,
    @ZodQuery(paginationQuerySchema) query: PaginationQuery,
  ): Promise<Page<ChequeDepositView>> {
    return this.deposits.list(ctx, query);
  }

  /** A deposit slip: the chosen cheques go to the bank in one entry, numbered REM-<year>-<n>. */
  @Post('cheque-deposits')
  @RequirePermission('payments.collect')
  createDeposit(
    @Ctx() ctx: OrgContext,
    @ZodBody(chequeDepositInputSchema) input: ChequeDepositInput,
  ): Promise<ChequeDepositView> {
    return this.deposits.create(ctx, input);
  }

  @Get('cheque-deposits/:depositId')
  @RequirePermission('payments.read')
  getDeposit(@Ctx() ctx: OrgContext, @Param('depositId') id: string): Promise<ChequeDepositView> {
    return this.deposits.get(
      ctx,
      uuidParam(id, 'payments.deposit_not_found', 'No such deposit slip'),
    );
  }

  @Get('cheque-deposits/:depositId/pdf')
  @RequirePermission('payments.read')
  async depositPdf(
    @Ctx() ctx: OrgContext,
    @Param('depositId') id: string,
  ): Promise<StreamableFile> {
    const file = await this.deposits.pdf(
      ctx,
      uuidParam(id, 'payments.deposit_not_found', 'No such deposit slip'),
    );
    return new StreamableFile(file.body, {
      type: 'application/pdf',
      disposition: `inline; filename="${file.fileName}"`,
    });
  }

  /** A refund through Stripe (full by default); the reversing entry is posted when Stripe confirms. */
  @Post('payments/:paymentId/refunds')
  @HttpCode(201)
  @RequirePermission('payments.refund')
  refund(
    @Ctx() ctx: OrgContext,
    @Param('paymentId') id: string,
    @ZodBody(refundInputSchema) input: RefundInput,
  ): Promise<PaymentView> {
    return this.settlements.refund(ctx, paymentId(id), input);
  }

  @Get('payouts')
  @RequirePermission('payments.read')
  listPayouts(
    @Ctx() ctx: OrgContext,
    @ZodQuery(listPayoutsQuerySchema) query: ListPayoutsQuery,
  ): Promise<Page<PayoutView>> {
    return this.settlements.listPayouts(ctx, query);
  }

  @Get('payouts/:payoutId')
  @RequirePermission('payments.read')
  getPayout(@Ctx() ctx: OrgContext, @Param('payoutId') id: string): Promise<PayoutView> {
    return this.settlements.getPayout(
      ctx,
      uuidParam(id, 'payments.payout_not_found', 'No such payout'),
    );
  }

  @Get('payments')
  @RequirePermission('payments.read')
  list(
    @Ctx() ctx: OrgContext,
    @ZodQuery(listPaymentsQuerySchema) query: ListPaymentsQuery,
  ): Promise<Page<PaymentView>> {
    return this.payments.list(ctx, query);
  }

  @Get('payments/:paymentId')
  @RequirePermission('payments.read')
  get(@Ctx() ctx: OrgContext, @Param('paymentId') id: string): Promise<PaymentView> {
    return this.payments.get(ctx, paymentId(id));
  }

  @Get('settings/stripe')
  @RequirePermission('payments.configure')
  stripeSettings(@Ctx() ctx: OrgContext): Promise<StripeSettingsView> {
    return this.stripe.view(ctx);
  }

  @Put('settings/stripe')
  @RequirePermission('payments.configure')
  saveStripe(
    @Ctx() ctx: OrgContext,
    @ZodBody(stripeSettingsInputSchema) input: StripeSettingsInput,
  ): Promise<StripeSettingsView> {
    return this.stripe.save(ctx, input);
  }

  @Post('settings/stripe/check')
  @HttpCode(200)
  @RequirePermission('payments.configure')
  checkStripe(@Ctx() ctx: OrgContext): Promise<StripeConnectionCheckView> {
    return this.stripe.check(ctx);
  }

  @Delete('settings/stripe')
  @HttpCode(204)
  @RequirePermission('payments.configure')
  async disconnectStripe(@Ctx() ctx: OrgContext): Promise<void> {
    await this.stripe.disconnect(ctx);
  }

  @Get('stripe-events')
  @RequirePermission('payments.read')
  listEvents(
    @Ctx() ctx: OrgContext,
    @ZodQuery(listStripeEventsQuerySchema) query: ListStripeEventsQuery,
  ): Promise<Page<StripeEventView>> {
    return this.events.list(ctx, query);
  }

  /** Reads Stripe's event list now and replays the events never received. */
  @Post('stripe-events/catch-up')
  @HttpCode(200)
  @RequirePermission('payments.configure')
  async catchUp(@Ctx() ctx: OrgContext): Promise<{ replayed: number }> {
    return { replayed: await this.events.catchUp(ctx.organizationId, ctx) };
  }

  @Post('stripe-events/:eventId/retry')
  @HttpCode(200)
  @RequirePermission('payments.configure')
  retryEvent(@Ctx() ctx: OrgContext, @Param('eventId') eventId: string): Promise<StripeEventView> {
    return this.events.retry(ctx, eventId.slice(0, 255));
  }

  /** Backfills Stripe history (charges, refunds, payouts) for a date range, in the worker. */
  @Post('stripe-syncs')
  @HttpCode(202)
  @RequirePermission('payments.configure')
  startSync(
    @Ctx() ctx: OrgContext,
    @ZodBody(stripeSyncInputSchema) input: StripeSyncInput,
  ): Promise<StripeSyncView> {
    return this.stripeSync.start(ctx, input);
  }

  @Get('stripe-syncs')
  @RequirePermission('payments.read')
  syncs(@Ctx() ctx: OrgContext): Promise<StripeSyncView[]> {
    return this.stripeSync.list(ctx);
  }

  @Get('stripe-syncs/:syncId')
  @RequirePermission('payments.read')
  sync(@Ctx() ctx: OrgContext, @Param('syncId') id: string): Promise<StripeSyncView> {
    return this.stripeSync.get(
      ctx,
      uuidParam(id, 'payments.sync_not_found', 'No such Stripe sync'),
    );
  }
}
