import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { AnnualBatchView } from '@ruche/contracts';
import { receiptsApi } from '../../api/receipts';
import { useResource } from '../../api/useResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { Alert } from '../../components/Alert';
import { FeedbackAlert } from '../../components/FeedbackAlert';
import { ResourceState } from '../../components/ResourceState';
import { useAction } from '../../components/useAction';
import { currentYear, YearSelect } from '../../components/YearSelect';
import { useFormatters } from '../../i18n/format';

/** While the batch runs, the status is asked again every 2 s... */
const POLL_EVERY_MS = 2_000;
/** ...until no donor waits, or nothing moved for this many rounds (blocked donors stay waiting). */
const STALL_ROUNDS = 15;

/**
 * `receipts/annual`: the year-end batch of annual summary receipts (reçus récapitulatifs): where a
 * year stands (donors and gifts waiting, receipts issued, gifts blocked and why), and the button
 * that starts it; its progress shows while it runs.
 */
export function AnnualReceiptsTab() {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const [year, setYear] = useState(String(currentYear() - 1));
  const batch = useResource(`receipts:annual:${organization.id}:${year}`, (signal) =>
    receiptsApi.annual(organization.id, Number(year), signal),
  );
  const { pending, feedback, run } = useAction();
  /** The year whose batch was started here (its progress is followed). */
  const [started, setStarted] = useState<string | null>(null);
  const [stalled, setStalled] = useState(false);
  const following = started === year && !stalled;
  const data = batch.data;
  const waiting = data?.donorsWaiting ?? 0;

  const onStall = useCallback(() => setStalled(true), []);
  useFollowBatch(following && waiting > 0 ? data : undefined, batch.reload, onStall);

  const start = async () => {
    if (!window.confirm(t('receipts.annual.confirm', { year, count: waiting }))) return;
    setStalled(false);
    const done = await run(
      'start',
      () => receiptsApi.startAnnual(organization.id, Number(year)),
      t('receipts.annual.started', { year }),
    );
    if (done) {
      setStarted(year);
      batch.reload();
    }
  };

  const running = following && waiting > 0;
  const finished = started === year && data !== undefined && waiting === 0;

  return (
    <section className="panel" aria-labelledby="annual-title">
      <h2 id="annual-title">{t('receipts.annual.title')}</h2>
      <p className="muted">{t('receipts.annual.intro')}</p>
      <div className="filter-bar">
        <YearSelect
          label={t('receipts.annual.year')}
          value={year}
          testId="annual-year"
          onChange={(next) => {
            setYear(next);
            setStalled(false);
          }}
        />
      </div>
      <FeedbackAlert feedback={feedback} />
      <ResourceState resource={batch} />
      {data && (
        <div data-testid="annual-batch" data-year={data.year} data-waiting={data.donorsWaiting}>
          <ul className="stats">
            <li className={`stat${data.donorsWaiting > 0 ? ' stat--warning' : ''}`}>
              <span className="stat__label">{t('receipts.annual.donorsWaiting')}</span>
              <span className="stat__value" data-testid="annual-donors-waiting">
                {format.number(data.donorsWaiting)}
              </span>
            </li>
            <li className="stat">
              <span className="stat__label">{t('receipts.annual.giftsWaiting')}</span>
              <span className="stat__value" data-testid="annual-gifts-waiting">
                {format.number(data.giftsWaiting)}
              </span>
            </li>
            <li className="stat">
              <span className="stat__label">{t('receipts.annual.issued')}</span>
              <span className="stat__value" data-testid="annual-issued">
                {format.number(data.issued)}
              </span>
            </li>
            <li className={`stat${data.blocked.length > 0 ? ' stat--alert' : ''}`}>
              <span className="stat__label">{t('receipts.annual.blockedCount')}</span>
              <span className="stat__value" data-testid="annual-blocked-count">
                {format.number(data.blocked.length)}
              </span>
            </li>
          </ul>
          {running && (
            <div className="loading" role="status" aria-live="polite" data-testid="annual-running">
              <span className="spinner" aria-hidden="true" />
              {t('receipts.annual.running', { count: data.donorsWaiting })}
            </div>
          )}
          {started === year && stalled && waiting > 0 && (
            <Alert kind="info">
              <span data-testid="annual-stalled">{t('receipts.annual.stalled')}</span>
              <button
                type="button"
                className="button button--small"
                onClick={() => {
                  setStalled(false);
                  batch.reload();
                }}
              >
                {t('receipts.annual.checkAgain')}
              </button>
            </Alert>
          )}
          {finished && (
            <Alert kind="success">
              <span data-testid="annual-finished">
                {t('receipts.annual.finished', { year, count: data.issued })}
              </span>
            </Alert>
          )}
          {organization.can('receipts.issue') && (
            <div className="button-row">
              <button
                type="button"
                className="button button--primary"
                disabled={pending !== null || running || data.donorsWaiting === 0}
                aria-busy={pending === 'start'}
                data-testid="annual-start"
                onClick={() => void start()}
              >
                {t('receipts.annual.start', { year })}
              </button>
              {data.donorsWaiting === 0 && !running && (
                <span className="muted">{t('receipts.annual.nothingWaiting', { year })}</span>
              )}
            </div>
          )}
          {data.blocked.length > 0 && (
            <>
              <h3 id="annual-blocked-title">{t('receipts.annual.blockedTitle')}</h3>
              <div className="table-wrap">
                <table
                  className="table"
                  aria-labelledby="annual-blocked-title"
                  data-testid="annual-blocked"
                >
                  <thead>
                    <tr>
                      <th scope="col">{t('receipts.annual.columns.donor')}</th>
                      <th scope="col">{t('receipts.annual.columns.reason')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.blocked.map((item) => (
                      <tr key={item.giftId} data-testid="annual-blocked-row">
                        <td>{item.donorName}</td>
                        <td>{item.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p>
                <Link to={`/orgs/${organization.id}/receipts/waiting?year=${year}`}>
                  {t('receipts.annual.seeWaiting', { year })}
                </Link>
              </p>
            </>
          )}
        </div>
      )}
    </section>
  );
}

/**
 * Reloads the batch every 2 s while `batch` is given (the batch runs and donors still wait);
 * calls `onStall` when the number of donors waiting has not moved for `STALL_ROUNDS` rounds.
 */
function useFollowBatch(
  batch: AnnualBatchView | undefined,
  reload: () => void,
  onStall: () => void,
) {
  const [rounds, setRounds] = useState({ waiting: -1, count: 0 });
  const waiting = batch?.donorsWaiting ?? -1;
  // A new count of donors waiting (or following stopped): the rounds start again.
  if (waiting !== rounds.waiting) setRounds({ waiting, count: 0 });

  useEffect(() => {
    if (batch === undefined) return;
    if (rounds.count >= STALL_ROUNDS) {
      onStall();
      return;
    }
    const timer = window.setTimeout(() => {
      setRounds((previous) => ({ ...previous, count: previous.count + 1 }));
      reload();
    }, POLL_EVERY_MS);
    return () => window.clearTimeout(timer);
    // `batch` changes on every reload: it restarts the timer after each answer.
  }, [batch, waiting, rounds.count, reload, onStall]);
}
