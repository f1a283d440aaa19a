import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { isRole } from '@ruche/core';
import { EmptyState } from '../../components/EmptyState';
import { useFormatters } from '../../i18n/format';
import { actionLabel } from '../../i18n/messages';
import type { LiveEntry, LiveStatus } from './useLiveEvents';

/** "email: a@b.fr, role: Trésorier": the simple values of an event's data. */
function describe(t: TFunction, data: Record<string, unknown>): string {
  return Object.entries(data)
    .filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value))
    .map(([key, value]) => {
      const text = String(value);
      return `${key}: ${key === 'role' && isRole(text) ? t(`roles.${text}`) : text}`;
    })
    .join(', ');
}

export function LivePanel({ status, events }: { status: LiveStatus; events: LiveEntry[] }) {
  const { t } = useTranslation();
  const format = useFormatters();
  return (
    <section className="panel" aria-labelledby="live-title">
      <div className="panel__header">
        <h2 id="live-title">{t('dashboard.live.title')}</h2>
        <span className={`live live--${status}`} data-testid="live-status" role="status">
          <span aria-hidden="true">{status === 'live' ? '●' : '○'}</span>{' '}
          {t(`dashboard.live.${status}`)}
        </span>
      </div>
      {events.length === 0 ? (
        <EmptyState>{t('dashboard.live.empty')}</EmptyState>
      ) : (
        <ul className="feed" aria-live="polite">
          {events.map((event) => (
            <li key={event.seq}>
              <time dateTime={event.at}>{format.time(event.at)}</time>
              <span className="feed__label">{actionLabel(t, event.type)}</span>
              <span className="feed__meta">{describe(t, event.data)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
