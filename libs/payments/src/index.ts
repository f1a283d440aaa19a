import './jobs/jobs';

export * from './entities';
export { PaymentsModule } from './payments.module';
export { StripeGateway, type StripeKeys } from './stripe/stripe-gateway';
export { StripeAccountsService } from './services/stripe-accounts.service';
export {
  PaymentsService,
  type NewPaymentInput,
  type PaymentObservation,
} from './services/payments.service';
export { StripeEventsService } from './services/stripe-events.service';
export { StripeSyncService } from './services/stripe-sync.service';
export { PaymentNoticesService } from './services/payment-notices.service';
export { CheckoutService, type CheckoutOptions } from './services/checkout.service';
export { SettlementsService } from './services/settlements.service';
export { ChequeDepositsService } from './services/cheque-deposits.service';
export {
  SubscriptionsService,
  subscriptionOfInvoice,
  paymentIntentOfInvoice,
} from './services/subscriptions.service';
export type {
  PaymentPurposeHandler,
  PaymentSnapshot,
  AfterCommit,
} from './services/payment-purposes';
export * from './domain/payment-status';
export {
  InvoicesService,
  type InvoiceIssueInput,
  type IssuedInvoice,
} from './invoices/services/invoices.service';
export { invoiceReference, membershipLine } from './invoices/domain/invoice-rules';
