import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { authApi, type AcceptedInvitation } from '../../api/auth';
import { useSession } from '../../auth/SessionContext';
import { Alert } from '../../components/Alert';
import { errorMessage } from '../../i18n/messages';

interface ExistingAccountAcceptProps {
  token: string;
  email: string;
  onAccepted: (accepted: AcceptedInvitation) => void;
}

/** The invited address already has an account: its owner logs in, then accepts. */
export function ExistingAccountAccept({ token, email, onAccepted }: ExistingAccountAcceptProps) {
  const { t } = useTranslation();
  const { me, logout } = useSession();
  const navigate = useNavigate();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const back = `/invitations/accept?token=${encodeURIComponent(token)}`;
  const loginUrl = `/login?next=${encodeURIComponent(back)}&email=${encodeURIComponent(email)}`;

  if (!me) {
    return (
      <div className="stack">
        <p>{t('invitation.loginFirst', { email })}</p>
        <Link className="button button--primary" to={loginUrl}>
          {t('invitation.login')}
        </Link>
      </div>
    );
  }

  if (me.user.email.toLowerCase() !== email.toLowerCase()) {
    const switchAccount = async () => {
      await logout();
      void navigate(loginUrl);
    };
    return (
      <div className="stack">
        <Alert kind="info">{t('invitation.wrongAccount', { current: me.user.email, email })}</Alert>
        <button
          type="button"
          className="button button--primary"
          onClick={() => void switchAccount()}
        >
          {t('invitation.switchAccount')}
        </button>
      </div>
    );
  }

  const accept = async () => {
    setPending(true);
    setError(null);
    try {
      onAccepted(await authApi.acceptInvitation({ token }));
    } catch (failure) {
      setError(errorMessage(t, failure));
      setPending(false);
    }
  };
  return (
    <div className="stack">
      {error && <Alert kind="error">{error}</Alert>}
      <button
        type="button"
        className="button button--primary"
        disabled={pending}
        onClick={() => void accept()}
      >
        {t('invitation.accept')}
      </button>
    </div>
  );
}
