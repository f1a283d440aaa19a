import { useTranslation } from 'react-i18next';
import type { ReceiptStatus, ReceiptView } from '@ruche/contracts';
import { Badge, type BadgeTone } from '../../components/Badge';

const STATUS_TONES: Record<ReceiptStatus, BadgeTone> = { issued: 'success', cancelled: 'danger' };

/** A receipt's status in its colour; `data-status` carries the raw value (for tests). */
export function ReceiptStatusBadge({ status, testId }: { status: ReceiptStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span data-testid={testId} data-status={status}>
      <Badge tone={STATUS_TONES[status]}>{t(`receipts.statuses.${status}`)}</Badge>
    </span>
  );
}

type EmailStatus = NonNullable<ReceiptView['email']>['status'];
const EMAIL_TONES: Record<EmailStatus, BadgeTone> = {
  pending: 'neutral',
  sent: 'success',
  failed: 'danger',
};

/** Whether the receipt was emailed to the donor (or is not to be). */
export function ReceiptEmailBadge({
  email,
  testId,
}: {
  email: ReceiptView['email'];
  testId?: string;
}) {
  const { t } = useTranslation();
  const status = email?.status ?? 'none';
  return (
    <span data-testid={testId} data-email-status={status}>
      {email ? (
        <Badge tone={EMAIL_TONES[email.status]}>
          {t(`receipts.emailStatuses.${email.status}`)}
        </Badge>
      ) : (
        <span className="muted">{t('receipts.emailStatuses.none')}</span>
      )}
    </span>
  );
}
