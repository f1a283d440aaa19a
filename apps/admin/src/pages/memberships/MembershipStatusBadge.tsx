import { useTranslation } from 'react-i18next';
import type { MembershipStatus } from '@ruche/contracts';

/** A membership status with its own colour (`status--active`, `status--lapsed`...). */
export function MembershipStatusBadge({
  status,
  testId,
}: {
  status: MembershipStatus | null;
  testId?: string;
}) {
  const { t } = useTranslation();
  if (status === null) {
    return (
      <span className="badge status status--none" data-testid={testId} data-status="none">
        {t('memberships.status.none')}
      </span>
    );
  }
  return (
    <span className={`badge status status--${status}`} data-testid={testId} data-status={status}>
      {t(`memberships.status.${status}`)}
    </span>
  );
}
