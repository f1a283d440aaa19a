import { useTranslation } from 'react-i18next';
import { Badge, type BadgeTone } from '../../../components/Badge';
import { stripeLabel } from '../paymentLabels';

/** Stripe's payout statuses; another one is shown as it comes. */
const TONES: Record<string, BadgeTone> = {
  paid: 'success',
  in_transit: 'accent',
  pending: 'neutral',
  failed: 'danger',
  canceled: 'neutral',
};

/** A payout status in its colour; `data-status` carries the raw value (for tests). */
export function PayoutStatusBadge({ status, testId }: { status: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span data-testid={testId} data-status={status}>
      <Badge tone={TONES[status] ?? 'neutral'}>
        {stripeLabel(t, 'payments.payouts.statuses', status)}
      </Badge>
    </span>
  );
}

/** "Écart": the items of a payout do not add up to its amount, something needs a look. */
export function PayoutMismatchBadge() {
  const { t } = useTranslation();
  return (
    <span data-testid="payout-mismatch">
      <Badge tone="warning">{t('payments.payouts.mismatch')}</Badge>
    </span>
  );
}
