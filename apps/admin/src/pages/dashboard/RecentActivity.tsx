import { useTranslation } from 'react-i18next';
import type { AuditLogView } from '@ruche/contracts';
import { EmptyState } from '../../components/EmptyState';
import { Loading } from '../../components/Loading';
import { useFormatters } from '../../i18n/format';
import { actionLabel } from '../../i18n/messages';

export function RecentActivity({ entries }: { entries: AuditLogView[] | undefined }) {
  const { t } = useTranslation();
  const format = useFormatters();
  return (
    <section className="panel" aria-labelledby="recent-activity-title">
      <h2 id="recent-activity-title">{t('dashboard.recentActivity')}</h2>
      {!entries && <Loading />}
      {entries?.length === 0 && <EmptyState>{t('dashboard.noActivity')}</EmptyState>}
      {entries && entries.length > 0 && (
        <ul className="feed">
          {entries.map((entry) => (
            <li key={entry.id}>
              <time dateTime={entry.createdAt}>{format.dateTime(entry.createdAt)}</time>
              <span className="feed__label">{actionLabel(t, entry.action)}</span>
              <span className="feed__meta">{entry.actorName ?? t('audit.system')}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
