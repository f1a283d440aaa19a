import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PlatformModule, type PlatformOptions } from '@ruche/platform';
import { OrganizationsModule } from '@ruche/organizations';
import { AccountingModule } from '@ruche/accounting';
import { ContactsModule } from '@ruche/contacts';
import { MembershipsModule } from '@ruche/memberships';
import { PaymentsModule } from '@ruche/payments';
import { ProcessingModule } from '@ruche/runtime';
import { ApiExceptionFilter } from './http/exception.filter';
import { AccessGuard } from './auth/access';
import { AuthController } from './auth/auth.controller';
import { OrganizationsController } from './organizations/organizations.controller';
import { AccountingController } from './accounting/accounting.controller';
import { ContactsController } from './contacts/contacts.controller';
import { MembershipsController } from './memberships/memberships.controller';
import { PaymentsController } from './payments/payments.controller';
import { StripeWebhookController } from './payments/stripe-webhook.controller';
import { InvoicesController } from './payments/invoices.controller';
import { JoinController } from './memberships/join.controller';
import { ImportsController } from './contacts/imports.controller';
import { MemberSpaceController } from './memberships/member-space.controller';
import { HealthController } from './platform/health.controller';
import { WebhooksController } from './platform/webhooks.controller';

import { ReceiptsModule } from '@ruche/receipts';
import { DonationsModule } from '@ruche/donations';
import { ReceiptsController } from './receipts/receipts.controller';
import { DonationsController, DonateController } from './donations/donations.controller';

import { BankController } from './reconciliation/bank.controller';
import {
  AccountReconciliationController,
  ReconciliationController,
} from './reconciliation/reconciliation.controller';
@Module({})
export class AppModule {
  static forRoot(platform: PlatformOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(platform),
        OrganizationsModule,
        AccountingModule,
        ContactsModule,
        PaymentsModule,
        MembershipsModule,
        ReceiptsModule,
        DonationsModule,
        ProcessingModule,
      ],
      controllers: [
        AuthController,
        OrganizationsController,
        AccountingController,
        ContactsController,
        ImportsController,
        MembershipsController,
        MemberSpaceController,
        PaymentsController,
        InvoicesController,
        StripeWebhookController,
        JoinController,
        WebhooksController,
        HealthController,
        ReceiptsController,
        DonationsController,
        DonateController,
        BankController,
        AccountReconciliationController,
        ReconciliationController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
    };
  }
}
