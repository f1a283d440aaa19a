import { useTranslation } from 'react-i18next';
import type { InvitationView } from '@ruche/contracts';
import { orgsApi } from '../../../api/orgs';
import type { Resource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Badge, type BadgeTone } from '../../../components/Badge';
import { EmptyState } from '../../../components/EmptyState';
import { FeedbackAlert } from '../../../components/FeedbackAlert';
import { ResourceState } from '../../../components/ResourceState';
import { useAction } from '../../../components/useAction';
import { useFormatters } from '../../../i18n/format';

const STATUS_TONES: Record<InvitationView['status'], BadgeTone> = {
  pending: 'accent',
  accepted: 'success',
  revoked: 'neutral',
  expired: 'neutral',
};

export function InvitationsList({ invitations }: { invitations: Resource<InvitationView[]> }) {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const { pending, feedback, run } = useAction();
  const canRevoke = organization.can('users.invite');

  const revoke = async (invitation: InvitationView) => {
    if (!window.confirm(t('invitations.confirmRevoke', { email: invitation.email }))) return;
    await run(
      invitation.id,
      () => orgsApi.revokeInvitation(organization.id, invitation.id),
      t('invitations.revoked'),
    );
    invitations.reload();
  };

  return (
    <section className="panel" aria-labelledby="invitations-title">
      <h2 id="invitations-title">{t('invitations.title')}</h2>
      <FeedbackAlert feedback={feedback} />
      <ResourceState resource={invitations} />
      {invitations.data?.length === 0 && <EmptyState>{t('invitations.empty')}</EmptyState>}
      {invitations.data && invitations.data.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('invitations.columns.email')}</th>
                <th scope="col">{t('invitations.columns.role')}</th>
                <th scope="col">{t('invitations.columns.status')}</th>
                <th scope="col">{t('invitations.columns.createdAt')}</th>
                <th scope="col">{t('invitations.columns.expiresAt')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.data.map((invitation) => (
                <tr key={invitation.id}>
                  <td>{invitation.email}</td>
                  <td>{t(`roles.${invitation.role}`)}</td>
                  <td>
                    <Badge tone={STATUS_TONES[invitation.status]}>
                      {t(`invitations.status.${invitation.status}`)}
                    </Badge>
                  </td>
                  <td>{format.dateTime(invitation.createdAt)}</td>
                  <td>{format.dateTime(invitation.expiresAt)}</td>
                  <td className="table__actions">
                    {canRevoke && invitation.status === 'pending' && (
                      <button
                        type="button"
                        className="button button--small button--danger"
                        disabled={pending === invitation.id}
                        onClick={() => void revoke(invitation)}
                      >
                        {t('invitations.revoke')}
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
