import { useTranslation } from 'react-i18next';
import type { DonationStatus } from '@ruche/contracts';
import { Badge, type BadgeTone } from '../../components/Badge';

const TONES: Record<DonationStatus, BadgeTone> = {
  pending: 'neutral',
  paid: 'success',
  failed: 'danger',
  partially_refunded: 'accent',
  refunded: 'accent',
  cancelled: 'neutral',
};

/** A gift's status in its colour; `data-status` carries the raw value (for tests). */
export function DonationStatusBadge({
  status,
  testId,
}: {
  status: DonationStatus;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <span data-testid={testId} data-status={status}>
      <Badge tone={TONES[status]}>{t(`donations.statuses.${status}`)}</Badge>
    </span>
  );
}
