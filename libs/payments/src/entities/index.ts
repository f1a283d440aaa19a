import { PaymentEntity } from './payment.entity';
import { PaymentStatusChangeEntity } from './payment-status-change.entity';
import { StripeAccountEntity, StripeEventEntity } from './stripe.entities';

export { PaymentEntity, PaymentStatusChangeEntity, StripeAccountEntity, StripeEventEntity };
export const PAYMENTS_ENTITIES = [
  PaymentEntity,
  PaymentStatusChangeEntity,
  StripeAccountEntity,
  StripeEventEntity,
];
