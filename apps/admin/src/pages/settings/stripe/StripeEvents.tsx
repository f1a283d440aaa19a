import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { STRIPE_EVENT_STATES, type StripeEventState } from '@ruche/contracts';
import { stripeApi } from '../../../api/payments';
import { usePagedResource } from '../../../api/usePagedResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Badge, type BadgeTone } from '../../../components/Badge';
import { EmptyState } from '../../../components/EmptyState';
import { FeedbackAlert } from '../../../components/FeedbackAlert';
import { Pagination } from '../../../components/Pagination';
import { ResourceState } from '../../../components/ResourceState';
import { useAction } from '../../../components/useAction';
import { useFormatters } from '../../../i18n/format';

const STATE_TONES: Record<StripeEventState, BadgeTone> = {
  received: 'warning',
  processed: 'success',
  ignored: 'neutral',
  failed: 'danger',
};

const isState = (value: string): value is StripeEventState =>
  STRIPE_EVENT_STATES.some((state) => state === value);

/** The latest events Stripe sent to the webhook, with what became of them; failed ones retry. */
export function StripeEvents() {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const [state, setState] = useState<StripeEventState | ''>('');
  const events = usePagedResource(`stripe-events:${organization.id}:${state}`, (page, signal) =>
    stripeApi.events(organization.id, state, page, signal),
  );
  const { pending, feedback, run } = useAction();

  const retry = async (eventId: string) => {
    const done = await run(
      `retry:${eventId}`,
      () => stripeApi.retryEvent(organization.id, eventId),
      t('stripe.events.retried', { id: eventId }),
    );
    if (done) events.reload();
  };

  const [caughtUp, setCaughtUp] = useState<number | null>(null);
  const catchUp = async () => {
    setCaughtUp(null);
    const done = await run('catch-up', async () => {
      setCaughtUp((await stripeApi.catchUp(organization.id)).replayed);
    });
    if (done) events.reload();
  };

  return (
    <section className="panel" aria-labelledby="stripe-events-title" data-testid="stripe-events">
      <div className="panel__header">
        <h2 id="stripe-events-title">{t('stripe.events.title')}</h2>
        <button type="button" className="button button--small" onClick={events.reload}>
          {t('stripe.events.refresh')}
        </button>
        <button
          type="button"
          className="button button--small"
          data-testid="stripe-events-catch-up"
          disabled={pending === 'catch-up'}
          title={t('stripe.events.catchUpHint')}
          onClick={() => void catchUp()}
        >
          {t('stripe.events.catchUp')}
        </button>
      </div>
      {caughtUp !== null && (
        <p role="status" data-testid="stripe-events-caught-up">
          {t('stripe.events.caughtUp', { count: caughtUp })}
        </p>
      )}
      <form
        className="filter-bar"
        role="search"
        aria-label={t('stripe.events.filters')}
        onSubmit={(event) => event.preventDefault()}
      >
        <label className="field">
          <span>{t('stripe.events.stateFilter')}</span>
          <select
            value={state}
            data-testid="stripe-events-state"
            onChange={(event) => setState(isState(event.target.value) ? event.target.value : '')}
          >
            <option value="">{t('payments.filters.all')}</option>
            {STRIPE_EVENT_STATES.map((option) => (
              <option key={option} value={option}>
                {t(`stripe.events.states.${option}`)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <FeedbackAlert feedback={feedback} />
      <ResourceState resource={events} />
      {events.data?.items.length === 0 && <EmptyState>{t('stripe.events.empty')}</EmptyState>}
      {events.data && events.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="stripe-events-table">
            <thead>
              <tr>
                <th scope="col">{t('stripe.events.columns.id')}</th>
                <th scope="col">{t('stripe.events.columns.type')}</th>
                <th scope="col">{t('stripe.events.columns.state')}</th>
                <th scope="col">{t('stripe.events.columns.receivedAt')}</th>
                <th scope="col">{t('stripe.events.columns.processedAt')}</th>
                <th scope="col">{t('stripe.events.columns.error')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {events.data.items.map((event) => (
                <tr
                  key={event.id}
                  data-testid="stripe-event-row"
                  data-event-id={event.id}
                  data-state={event.state}
                >
                  <td>
                    <code>{event.id}</code>
                    {!event.livemode && <span className="cell-note">{t('stripe.mode.test')}</span>}
                  </td>
                  <td>
                    <code>{event.type}</code>
                  </td>
                  <td>
                    <Badge tone={STATE_TONES[event.state]}>
                      {t(`stripe.events.states.${event.state}`)}
                    </Badge>
                  </td>
                  <td className="nowrap">{format.dateTime(event.receivedAt)}</td>
                  <td className="nowrap">{format.dateTime(event.processedAt)}</td>
                  <td className="cell-error" title={event.error ?? undefined}>
                    {event.error ?? t('common.none')}
                  </td>
                  <td className="table__actions">
                    {event.state === 'failed' && (
                      <button
                        type="button"
                        className="button button--small"
                        disabled={pending !== null}
                        aria-busy={pending === `retry:${event.id}`}
                        data-testid="stripe-event-retry"
                        onClick={() => void retry(event.id)}
                      >
                        {t('stripe.events.retry')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {events.data && <Pagination page={events.data} onChange={events.setOffset} />}
    </section>
  );
}
