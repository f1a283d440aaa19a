import { useTranslation } from 'react-i18next';
import type { OutboundEmailView } from '@ruche/contracts';
import { orgsApi } from '../../../api/orgs';
import { usePagedResource } from '../../../api/usePagedResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Badge, type BadgeTone } from '../../../components/Badge';
import { EmptyState } from '../../../components/EmptyState';
import { FeedbackAlert } from '../../../components/FeedbackAlert';
import { Pagination } from '../../../components/Pagination';
import { ResourceState } from '../../../components/ResourceState';
import { useAction } from '../../../components/useAction';
import { useFormatters } from '../../../i18n/format';

const STATUS_TONES: Record<OutboundEmailView['status'], BadgeTone> = {
  pending: 'warning',
  sent: 'success',
  failed: 'danger',
};

export function EmailsTab() {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const emails = usePagedResource(`emails:${organization.id}`, (page, signal) =>
    orgsApi.emails(organization.id, page, signal),
  );
  const { pending, feedback, run } = useAction();
  const canResend = organization.can('emails.resend');

  const resend = async (email: OutboundEmailView) => {
    await run(
      email.id,
      () => orgsApi.resendEmail(organization.id, email.id),
      t('emails.resent', { to: email.toAddress }),
    );
    emails.reload();
  };

  return (
    <section aria-labelledby="emails-title">
      <h2 id="emails-title">{t('settings.tabs.emails')}</h2>
      <FeedbackAlert feedback={feedback} />
      <ResourceState resource={emails} />
      {emails.data?.items.length === 0 && <EmptyState>{t('emails.empty')}</EmptyState>}
      {emails.data && emails.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('emails.columns.date')}</th>
                <th scope="col">{t('emails.columns.to')}</th>
                <th scope="col">{t('emails.columns.subject')}</th>
                <th scope="col">{t('emails.columns.status')}</th>
                <th scope="col">{t('emails.columns.attempts')}</th>
                <th scope="col">{t('emails.columns.lastError')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {emails.data.items.map((email) => (
                <tr key={email.id}>
                  <td className="nowrap">{format.dateTime(email.sentAt ?? email.createdAt)}</td>
                  <td>{email.toAddress}</td>
                  <td>
                    {email.subject}
                    <span className="cell-note">{email.template}</span>
                  </td>
                  <td>
                    <Badge tone={STATUS_TONES[email.status]}>
                      {t(`emails.status.${email.status}`)}
                    </Badge>
                  </td>
                  <td className="numeric">{email.attempts}</td>
                  <td className="cell-error" title={email.lastError ?? undefined}>
                    {email.lastError ?? '—'}
                  </td>
                  <td className="table__actions">
                    {canResend && email.status !== 'pending' && (
                      <button
                        type="button"
                        className="button button--small"
                        disabled={pending === email.id}
                        onClick={() => void resend(email)}
                      >
                        {t('emails.resend')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {emails.data && <Pagination page={emails.data} onChange={emails.setOffset} />}
    </section>
  );
}
