import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { memberSpaceApi, rememberMemberSpaceOrg } from '../../api/memberSpace';
import { Alert } from '../../components/Alert';
import { errorMessage } from '../../i18n/messages';
import { AuthCard } from '../auth/AuthCard';

/**
 * `/espace-membre/:orgId/connexion?token=…`: exchanges the e-mailed token for a member session,
 * then opens the account page. The token works once, so it is sent once (even under StrictMode).
 */
export function MemberLinkPage() {
  const { t } = useTranslation();
  const { orgId = '' } = useParams();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const started = useRef(false);
  /** null: still exchanging; `invalid`: the link is unknown, used or expired; else a message. */
  const [failure, setFailure] = useState<{ invalid: boolean; message: string } | null>(
    token ? null : { invalid: true, message: '' },
  );

  useEffect(() => {
    if (!token || started.current) return;
    started.current = true;
    rememberMemberSpaceOrg(orgId);
    memberSpaceApi.openSession(orgId, token).then(
      () => void navigate('/espace-membre/compte', { replace: true }),
      (error: unknown) => {
        const invalid = error instanceof ApiError && [400, 401, 404].includes(error.status);
        setFailure({ invalid, message: invalid ? '' : errorMessage(t, error) });
      },
    );
  }, [navigate, orgId, t, token]);

  if (failure === null)
    return (
      <div className="loading" role="status" aria-live="polite" data-testid="member-link-opening">
        <span className="spinner" aria-hidden="true" />
        {t('memberSpace.link.opening')}
      </div>
    );

  return (
    <AuthCard
      title={failure.invalid ? t('memberSpace.link.invalidTitle') : t('memberSpace.title')}
      footer={
        <Link to={`/espace-membre/${encodeURIComponent(orgId)}`} data-testid="member-link-again">
          {t('memberSpace.link.askAgain')}
        </Link>
      }
    >
      <Alert kind="error">
        {failure.invalid ? (
          <span data-testid="member-link-invalid">{t('memberSpace.link.invalid')}</span>
        ) : (
          <span data-testid="member-link-error">{failure.message}</span>
        )}
      </Alert>
    </AuthCard>
  );
}
