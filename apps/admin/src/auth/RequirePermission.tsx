import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Permission } from '@ruche/core';
import { Alert } from '../components/Alert';
import { useCurrentOrganization } from './CurrentOrganization';

/** Renders `children` when the user's role holds `permission`, else a notice. */
export function RequirePermission({
  permission,
  children,
}: {
  permission: Permission;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  if (!organization.can(permission)) return <Alert kind="info">{t('errors.auth.forbidden')}</Alert>;
  return children;
}
