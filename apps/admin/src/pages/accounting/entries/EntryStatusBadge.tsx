import { useTranslation } from 'react-i18next';
import type { EntryView } from '@ruche/contracts';
import { Badge } from '../../../components/Badge';

export function EntryStatusBadge({ entry }: { entry: EntryView }) {
  const { t } = useTranslation();
  return (
    <>
      <Badge tone={entry.status === 'posted' ? 'success' : 'warning'}>
        {t(`accounting.entries.status.${entry.status}`)}
      </Badge>
      {entry.reversedById && (
        <>
          {' '}
          <Badge tone="neutral">{t('accounting.entries.reversed')}</Badge>
        </>
      )}
      {entry.reversalOfId && (
        <>
          {' '}
          <Badge tone="accent">{t('accounting.entries.reversal')}</Badge>
        </>
      )}
    </>
  );
}
