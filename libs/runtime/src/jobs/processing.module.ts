import { Module } from '@nestjs/common';
import { OrganizationsModule } from '@ruche/organizations';
import { AccountingModule } from '@ruche/accounting';
import { MembershipsModule } from '@ruche/memberships';
import { PaymentsModule } from '@ruche/payments';
import { ReceiptsModule } from '@ruche/receipts';
import { DonationsModule } from '@ruche/donations';
import { QueuePort } from '@ruche/platform';
import { JobRouter } from './job-router';

/** Consumes the queues: imported by the worker app, and by the API in the embedded start. */
@Module({
  imports: [
    OrganizationsModule,
    AccountingModule,
    MembershipsModule,
    PaymentsModule,
    ReceiptsModule,
    DonationsModule,
  ],
  providers: [JobRouter],
  exports: [JobRouter],
})
export class ProcessingModule {
  constructor(
    private readonly router: JobRouter,
    private readonly queue: QueuePort,
  ) {}

  async start(): Promise<void> {
    await this.queue.startProcessing((name, payload) => this.router.handle(name, payload));
  }
}
