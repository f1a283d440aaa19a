import { useTranslation } from 'react-i18next';
import type { PaymentStatus } from '@ruche/contracts';
import { Badge, type BadgeTone } from '../../components/Badge';

const TONES: Record<PaymentStatus, BadgeTone> = {
  pending: 'neutral',
  processing: 'warning',
  succeeded: 'success',
  failed: 'danger',
  cancelled: 'neutral',
  partially_refunded: 'accent',
  refunded: 'accent',
  disputed: 'danger',
};

/** A payment status in its colour; `data-status` carries the raw value (for tests). */
export function PaymentStatusBadge({ status, testId }: { status: PaymentStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span data-testid={testId} data-status={status}>
      <Badge tone={TONES[status]}>{t(`payments.statuses.${status}`)}</Badge>
    </span>
  );
}
