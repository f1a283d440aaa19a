import { PaymentEntity } from './payment.entity';
import { PaymentStatusChangeEntity } from './payment-status-change.entity';
import { StripeAccountEntity, StripeEventEntity } from './stripe.entities';
import {
  PaymentDisputeEntity,
  PaymentRefundEntity,
  PayoutEntity,
  PayoutItemEntity,
} from './settlement.entities';
import { PaymentSubscriptionEntity } from './subscription.entity';
import { ChequeDepositEntity } from './cheque-deposit.entity';
import { StripeSyncEntity } from './stripe-sync.entity';
import {
  INVOICES_ENTITIES,
  InvoiceEntity,
  InvoiceSequenceEntity,
  InvoiceSettingsEntity,
} from '../invoices/entities/invoice.entities';

export {
  PaymentEntity,
  PaymentStatusChangeEntity,
  StripeAccountEntity,
  StripeEventEntity,
  PaymentRefundEntity,
  PaymentDisputeEntity,
  PayoutEntity,
  PayoutItemEntity,
  PaymentSubscriptionEntity,
  ChequeDepositEntity,
  StripeSyncEntity,
  InvoiceEntity,
  InvoiceSequenceEntity,
  InvoiceSettingsEntity,
};
export const PAYMENTS_ENTITIES = [
  PaymentEntity,
  PaymentStatusChangeEntity,
  StripeAccountEntity,
  StripeEventEntity,
  PaymentRefundEntity,
  PaymentDisputeEntity,
  PayoutEntity,
  PayoutItemEntity,
  PaymentSubscriptionEntity,
  ChequeDepositEntity,
  StripeSyncEntity,
  ...INVOICES_ENTITIES,
];
