import { useTranslation } from 'react-i18next';
import type { BankLineStatus } from '@ruche/contracts';
import { Badge, type BadgeTone } from '../../components/Badge';

const TONES: Record<BankLineStatus, BadgeTone> = {
  unmatched: 'warning',
  matched: 'success',
  ignored: 'neutral',
};

/** A statement line's status in its colour; `data-status` carries the raw value (for tests). */
export function BankLineStatusBadge({
  status,
  testId,
}: {
  status: BankLineStatus;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <span data-testid={testId} data-status={status}>
      <Badge tone={TONES[status]}>{t(`reconciliation.lineStatuses.${status}`)}</Badge>
    </span>
  );
}
