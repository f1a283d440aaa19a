import { useCallback } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { authApi, type AcceptedInvitation } from '../../api/auth';
import { useResource } from '../../api/useResource';
import { useSession } from '../../auth/SessionContext';
import { Alert } from '../../components/Alert';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { errorMessage } from '../../i18n/messages';
import { AuthCard } from './AuthCard';
import { ExistingAccountAccept } from './ExistingAccountAccept';
import { NewAccountAccept } from './NewAccountAccept';

export function AcceptInvitationPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token');
  if (!token) {
    return (
      <AuthCard
        title={t('invitation.title')}
        footer={<Link to="/login">{t('common.backToLogin')}</Link>}
      >
        <Alert kind="error">{t('errors.invitations.invalid')}</Alert>
      </AuthCard>
    );
  }
  return <InvitationCard token={token} />;
}

function InvitationCard({ token }: { token: string }) {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const navigate = useNavigate();
  const preview = useResource(`invitation:${token}`, (signal) =>
    authApi.previewInvitation(token, signal),
  );

  const onAccepted = useCallback(
    (accepted: AcceptedInvitation) => {
      signIn(accepted);
      void navigate(`/orgs/${accepted.joinedOrganizationId}/dashboard`, { replace: true });
    },
    [navigate, signIn],
  );

  if (preview.loading) return <Loading />;
  if (!preview.data) {
    return (
      <AuthCard
        title={t('invitation.title')}
        footer={<Link to="/login">{t('common.backToLogin')}</Link>}
      >
        <ErrorState message={errorMessage(t, preview.error)} />
      </AuthCard>
    );
  }
  const invitation = preview.data;
  return (
    <AuthCard
      title={t('invitation.title')}
      intro={t('invitation.intro', {
        organization: invitation.organizationName,
        role: t(`roles.${invitation.role}`),
        email: invitation.email,
      })}
    >
      {invitation.userExists ? (
        <ExistingAccountAccept token={token} email={invitation.email} onAccepted={onAccepted} />
      ) : (
        <NewAccountAccept token={token} onAccepted={onAccepted} />
      )}
    </AuthCard>
  );
}
