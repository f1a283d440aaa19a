import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  stripeSyncInputSchema,
  type StripeSyncStatus,
  type StripeSyncView,
} from '@ruche/contracts';
import { stripeApi } from '../../../api/payments';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Badge, type BadgeTone } from '../../../components/Badge';
import { EmptyState } from '../../../components/EmptyState';
import { FormErrors } from '../../../components/FormErrors';
import { ResourceState } from '../../../components/ResourceState';
import { SubmitButton } from '../../../components/SubmitButton';
import { splitErrors, zodIssues } from '../../../components/useFormErrors';
import { useFormatters } from '../../../i18n/format';
import { errorMessage, validationMessage } from '../../../i18n/messages';
import { today, useDayFormatter } from '../../accounting/money';

/** How often the list is read again while an import is queued or running. */
const POLL_MS = 1000;

const STATUS_TONES: Record<StripeSyncStatus, BadgeTone> = {
  queued: 'neutral',
  running: 'warning',
  done: 'success',
  failed: 'danger',
};

type RangeField = 'from' | 'to';
const RANGE_FIELDS: readonly RangeField[] = ['from', 'to'];

const inProgress = (sync: StripeSyncView) => sync.status === 'queued' || sync.status === 'running';

/** From January 1st of the current year to today. */
const defaultRange = () => {
  const end = today();
  return { from: `${end.slice(0, 4)}-01-01`, to: end };
};

/**
 * Settings › Stripe › "Importer l'historique Stripe": for an association that connected Stripe
 * after it started taking payments, brings in the charges, refunds and payouts of a period (once,
 * however many imports), then lists the imports, read again every second while one is going on.
 */
export function StripeSyncPanel() {
  const { t } = useTranslation();
  const format = useFormatters();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const canStart = organization.can('payments.configure');
  const id = useId();
  const [range, setRange] = useState(defaultRange);
  const [submitting, setSubmitting] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const [invalid, setInvalid] = useState<readonly string[]>([]);
  const syncs = useResource(`stripe-syncs:${organization.id}`, (signal) =>
    stripeApi.syncs(organization.id, signal),
  );
  const items = syncs.data ?? [];
  const running = items.some(inProgress);

  // Read again a second after each answer (or failure) while an import is queued or running.
  const { loading, reload } = syncs;
  useEffect(() => {
    if (!running || loading) return;
    const timer = window.setTimeout(reload, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [running, loading, reload]);

  const submit = async () => {
    setProblems([]);
    setInvalid([]);
    const parsed = stripeSyncInputSchema.safeParse(range);
    if (!parsed.success) {
      const issues = zodIssues(parsed.error);
      setInvalid(issues.map((issue) => issue.field));
      setProblems(issues.map((issue) => validationMessage(t, issue.message)));
      return;
    }
    setSubmitting(true);
    try {
      await stripeApi.startSync(organization.id, parsed.data);
      syncs.reload();
    } catch (error) {
      const { byField, general } = splitErrors(t, error, RANGE_FIELDS);
      setInvalid(Object.keys(byField));
      setProblems([...Object.values(byField), ...general]);
    } finally {
      setSubmitting(false);
    }
  };

  const dateInput = (name: RangeField) => (
    <div className={`field${invalid.includes(name) ? ' field--invalid' : ''}`}>
      <label htmlFor={`${id}-${name}`}>{t(`stripe.sync.${name}`)}</label>
      <input
        id={`${id}-${name}`}
        type="date"
        required
        value={range[name]}
        min={name === 'to' ? range.from || undefined : undefined}
        max={name === 'from' ? range.to || undefined : undefined}
        aria-invalid={invalid.includes(name)}
        aria-describedby={problems.length > 0 ? `${id}-errors` : undefined}
        data-testid={`stripe-sync-${name}`}
        onChange={(event) => {
          const value = event.target.value;
          setRange((current) => ({ ...current, [name]: value }));
        }}
      />
    </div>
  );

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="stripe-sync">
      <div className="panel__header">
        <h2 id={`${id}-title`}>{t('stripe.sync.title')}</h2>
        <button type="button" className="button button--small" onClick={syncs.reload}>
          {t('stripe.sync.refresh')}
        </button>
      </div>
      <p className="muted">{t('stripe.sync.intro')}</p>
      <ul className="muted">
        <li>{t('stripe.sync.once')}</li>
        <li>{t('stripe.sync.suspense')}</li>
        <li>{t('stripe.sync.payouts')}</li>
      </ul>
      {canStart && (
        <form
          className="form"
          noValidate
          data-testid="stripe-sync-form"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <div id={`${id}-errors`}>
            <FormErrors messages={problems} testId="stripe-sync-error" />
          </div>
          <div className="form-grid">
            {dateInput('from')}
            {dateInput('to')}
          </div>
          <p className="field__hint">{t('stripe.sync.rangeHint')}</p>
          <div className="form-actions">
            <SubmitButton pending={submitting} testId="stripe-sync-submit">
              {t('stripe.sync.submit')}
            </SubmitButton>
          </div>
        </form>
      )}
      <h3>{t('stripe.sync.listTitle')}</h3>
      <ResourceState resource={syncs} />
      {syncs.data !== undefined && syncs.error !== undefined && (
        <p className="field__error" role="alert">
          {errorMessage(t, syncs.error)}
        </p>
      )}
      {syncs.data?.length === 0 && (
        <EmptyState>
          <span data-testid="stripe-sync-empty">{t('stripe.sync.empty')}</span>
        </EmptyState>
      )}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="stripe-sync-table" aria-busy={running}>
            <thead>
              <tr>
                <th scope="col">{t('stripe.sync.columns.period')}</th>
                <th scope="col">{t('stripe.sync.columns.status')}</th>
                <th scope="col" className="numeric">
                  {t('stripe.sync.columns.transactions')}
                </th>
                <th scope="col" className="numeric">
                  {t('stripe.sync.columns.paymentsCreated')}
                </th>
                <th scope="col" className="numeric">
                  {t('stripe.sync.columns.refunds')}
                </th>
                <th scope="col" className="numeric">
                  {t('stripe.sync.columns.payouts')}
                </th>
                <th scope="col">{t('stripe.sync.columns.problems')}</th>
                <th scope="col">{t('stripe.sync.columns.error')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((sync) => (
                <tr
                  key={sync.id}
                  data-testid="stripe-sync-row"
                  data-sync-id={sync.id}
                  data-status={sync.status}
                >
                  <td className="nowrap">
                    {t('stripe.sync.period', { from: day(sync.from), to: day(sync.to) })}
                    <span className="cell-note">
                      {sync.finishedAt
                        ? t('stripe.sync.finishedAt', { date: format.dateTime(sync.finishedAt) })
                        : t('stripe.sync.requestedAt', { date: format.dateTime(sync.createdAt) })}
                    </span>
                  </td>
                  <td data-testid="stripe-sync-status">
                    <Badge tone={STATUS_TONES[sync.status]}>
                      {t(`stripe.sync.statuses.${sync.status}`)}
                    </Badge>
                  </td>
                  <td className="numeric" data-testid="stripe-sync-transactions">
                    {format.number(sync.transactions)}
                  </td>
                  <td className="numeric" data-testid="stripe-sync-payments">
                    {format.number(sync.paymentsCreated)}
                  </td>
                  <td className="numeric" data-testid="stripe-sync-refunds">
                    {format.number(sync.refundsSynced)}
                  </td>
                  <td className="numeric" data-testid="stripe-sync-payouts">
                    {format.number(sync.payouts)}
                  </td>
                  <td data-testid="stripe-sync-problems" data-count={sync.problems.length}>
                    {sync.problems.length === 0 ? (
                      t('common.none')
                    ) : (
                      <details open={sync.problems.length <= 3}>
                        <summary>
                          {t('stripe.sync.problems', { count: sync.problems.length })}
                        </summary>
                        <ul className="plain-list">
                          {sync.problems.map((problem, index) => (
                            <li key={index} data-testid="stripe-sync-problem">
                              {problem}
                            </li>
                          ))}
                        </ul>
                      </details>
                    )}
                  </td>
                  <td className="cell-error" data-testid="stripe-sync-row-error">
                    {sync.error ?? t('common.none')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
