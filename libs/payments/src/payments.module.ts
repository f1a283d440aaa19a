import { Module } from '@nestjs/common';
import { ContactsModule } from '@ruche/contacts';
import { AccountingModule } from '@ruche/accounting';
import { StripeGateway } from './stripe/stripe-gateway';
import { StripeAccountsService } from './services/stripe-accounts.service';
import { PaymentsService } from './services/payments.service';
import { StripeEventsService } from './services/stripe-events.service';
import { CheckoutService } from './services/checkout.service';
import { SettlementsService } from './services/settlements.service';
import { PaymentNoticesService } from './services/payment-notices.service';
import { SubscriptionsService } from './services/subscriptions.service';
import { ChequeDepositsService } from './services/cheque-deposits.service';
import { ReconciliationDetails } from './services/reconciliation-details';
import { StripeSyncService } from './services/stripe-sync.service';
import { InvoicesService } from './invoices/services/invoices.service';

const SERVICES = [
  StripeGateway,
  PaymentNoticesService,
  StripeAccountsService,
  PaymentsService,
  StripeEventsService,
  CheckoutService,
  SettlementsService,
  SubscriptionsService,
  ChequeDepositsService,
  ReconciliationDetails,
  StripeSyncService,
  InvoicesService,
];

@Module({ imports: [ContactsModule, AccountingModule], providers: SERVICES, exports: SERVICES })
export class PaymentsModule {}
