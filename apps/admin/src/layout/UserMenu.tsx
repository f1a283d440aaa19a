import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { useSession } from '../auth/SessionContext';

export function UserMenu() {
  const { t } = useTranslation();
  const { me, logout } = useSession();
  const navigate = useNavigate();
  if (!me) return null;

  const onLogout = async () => {
    await logout();
    void navigate('/login', { replace: true });
  };

  return (
    <details className="user-menu">
      <summary aria-label={t('topbar.userMenu')}>
        <span className="avatar" aria-hidden="true">
          {me.user.name.trim().charAt(0).toUpperCase() || '?'}
        </span>
        <span className="user-menu__name">{me.user.name}</span>
      </summary>
      <div className="user-menu__panel">
        <p className="user-menu__identity">
          <strong>{me.user.name}</strong>
          <span>{me.user.email}</span>
        </p>
        <LanguageSwitcher />
        <button type="button" className="button button--block" onClick={() => void onLogout()}>
          {t('topbar.logout')}
        </button>
      </div>
    </details>
  );
}
