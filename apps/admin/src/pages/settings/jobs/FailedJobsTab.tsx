import { useTranslation } from 'react-i18next';
import type { FailedJobView } from '@ruche/contracts';
import { orgsApi } from '../../../api/orgs';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { EmptyState } from '../../../components/EmptyState';
import { FeedbackAlert } from '../../../components/FeedbackAlert';
import { JsonDetails } from '../../../components/JsonDetails';
import { ResourceState } from '../../../components/ResourceState';
import { useAction } from '../../../components/useAction';
import { useFormatters } from '../../../i18n/format';

export function FailedJobsTab() {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const jobs = useResource(`failed-jobs:${organization.id}`, (signal) =>
    orgsApi.failedJobs(organization.id, signal),
  );
  const { pending, feedback, run } = useAction();
  const canRetry = organization.can('jobs.retry');

  const retry = async (job: FailedJobView) => {
    await run(
      job.id,
      () => orgsApi.retryJob(organization.id, job.id),
      t('jobs.retried', { name: job.name }),
    );
    jobs.reload();
  };

  return (
    <section aria-labelledby="jobs-title">
      <h2 id="jobs-title">{t('settings.tabs.jobs')}</h2>
      <FeedbackAlert feedback={feedback} />
      <ResourceState resource={jobs} />
      {jobs.data?.length === 0 && <EmptyState>{t('jobs.empty')}</EmptyState>}
      {jobs.data && jobs.data.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('jobs.columns.failedAt')}</th>
                <th scope="col">{t('jobs.columns.name')}</th>
                <th scope="col">{t('jobs.columns.attempts')}</th>
                <th scope="col">{t('jobs.columns.reason')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.data.map((job) => (
                <tr key={job.id}>
                  <td className="nowrap">{format.dateTime(job.finishedAt)}</td>
                  <td>
                    {job.name}
                    <span className="cell-note">{job.queue}</span>
                  </td>
                  <td className="numeric">{job.attemptsMade}</td>
                  <td>
                    <span className="cell-error">{job.failedReason}</span>
                    <JsonDetails label={t('jobs.data')} value={job.data} />
                  </td>
                  <td className="table__actions">
                    {canRetry && (
                      <button
                        type="button"
                        className="button button--small"
                        disabled={pending === job.id}
                        onClick={() => void retry(job)}
                      >
                        {t('jobs.retry')}
                      </button>
                    )}
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
