import { useId } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentOrganization } from '../auth/CurrentOrganization';
import { useSession } from '../auth/SessionContext';

/** Lists the user's organizations; switching keeps the current page (`/orgs/<id>/<same page>`). */
export function OrgSwitcher() {
  const { t } = useTranslation();
  const { me } = useSession();
  const organization = useCurrentOrganization();
  const location = useLocation();
  const navigate = useNavigate();
  const id = useId();
  const prefix = `/orgs/${organization.id}`;

  const switchTo = (orgId: string) => {
    const rest = location.pathname.startsWith(prefix)
      ? location.pathname.slice(prefix.length)
      : '/dashboard';
    void navigate(`/orgs/${orgId}${rest || '/dashboard'}`);
  };

  return (
    <div className="org-switcher">
      <label htmlFor={id} className="visually-hidden">
        {t('topbar.organization')}
      </label>
      <select
        id={id}
        data-testid="org-switcher"
        value={organization.id}
        onChange={(event) => switchTo(event.target.value)}
      >
        {me?.organizations.map((membership) => (
          <option key={membership.organizationId} value={membership.organizationId}>
            {membership.organizationName} — {t(`roles.${membership.role}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
