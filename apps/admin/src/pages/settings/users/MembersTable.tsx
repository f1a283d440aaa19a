import { useTranslation } from 'react-i18next';
import type { OrganizationUserView } from '@ruche/contracts';
import { canAssignRole, isRole, type Role } from '@ruche/core';
import { orgsApi } from '../../../api/orgs';
import { usePagedResource } from '../../../api/usePagedResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { useSession } from '../../../auth/SessionContext';
import { EmptyState } from '../../../components/EmptyState';
import { FeedbackAlert } from '../../../components/FeedbackAlert';
import { Pagination } from '../../../components/Pagination';
import { ResourceState } from '../../../components/ResourceState';
import { useAction } from '../../../components/useAction';
import { useFormatters } from '../../../i18n/format';
import { assignableRoles } from './assignableRoles';

export function MembersTable() {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const session = useSession();
  const users = usePagedResource(`users:${organization.id}`, (page, signal) =>
    orgsApi.users(organization.id, page, signal),
  );
  const { pending, feedback, run } = useAction();
  const selfId = session.me?.user.id;

  const changeRole = async (user: OrganizationUserView, role: Role) => {
    const done = await run(
      user.userId,
      () => orgsApi.changeRole(organization.id, user.userId, role),
      t('users.roleChanged', { name: user.name, role: t(`roles.${role}`) }),
    );
    users.reload();
    if (done && user.userId === selfId) await session.refresh();
  };

  const remove = async (user: OrganizationUserView) => {
    if (!window.confirm(t('users.confirmRemove', { name: user.name }))) return;
    await run(
      user.userId,
      () => orgsApi.removeUser(organization.id, user.userId),
      t('users.removed', { name: user.name }),
    );
    users.reload();
  };

  return (
    <section className="panel" aria-labelledby="users-title">
      <h2 id="users-title">{t('users.title')}</h2>
      <FeedbackAlert feedback={feedback} />
      <ResourceState resource={users} />
      {users.data?.items.length === 0 && <EmptyState>{t('users.empty')}</EmptyState>}
      {users.data && users.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('users.columns.name')}</th>
                <th scope="col">{t('users.columns.email')}</th>
                <th scope="col">{t('users.columns.role')}</th>
                <th scope="col">{t('users.columns.joinedAt')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((user) => {
                const roles = organization.can('users.change-role')
                  ? assignableRoles(organization.role, user.role)
                  : [];
                const removable =
                  organization.can('users.remove') &&
                  user.userId !== selfId &&
                  canAssignRole(organization.role, user.role, user.role);
                return (
                  <tr key={user.userId}>
                    <td>
                      {user.name}
                      {user.userId === selfId && <span className="muted"> ({t('users.you')})</span>}
                    </td>
                    <td>{user.email}</td>
                    <td>
                      {roles.length > 1 ? (
                        <select
                          aria-label={t('users.roleOf', { name: user.name })}
                          value={user.role}
                          disabled={pending === user.userId}
                          onChange={(event) => {
                            const role = event.target.value;
                            if (isRole(role)) void changeRole(user, role);
                          }}
                        >
                          {roles.map((role) => (
                            <option key={role} value={role}>
                              {t(`roles.${role}`)}
                            </option>
                          ))}
                        </select>
                      ) : (
                        t(`roles.${user.role}`)
                      )}
                    </td>
                    <td>{format.date(user.joinedAt)}</td>
                    <td className="table__actions">
                      {removable && (
                        <button
                          type="button"
                          className="button button--small button--danger"
                          disabled={pending === user.userId}
                          onClick={() => void remove(user)}
                        >
                          {t('users.remove')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {users.data && <Pagination page={users.data} onChange={users.setOffset} />}
    </section>
  );
}
