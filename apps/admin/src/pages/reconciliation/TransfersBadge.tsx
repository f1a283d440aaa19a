import { useTranslation } from 'react-i18next';

/** "Virements": the account members paying by transfer are shown (one at most). */
export function TransfersBadge() {
  const { t } = useTranslation();
  return (
    <span
      className="badge badge--accent"
      title={t('reconciliation.accounts.transfersTitle')}
      data-testid="bank-account-transfers"
    >
      {t('reconciliation.accounts.transfers')}
    </span>
  );
}
