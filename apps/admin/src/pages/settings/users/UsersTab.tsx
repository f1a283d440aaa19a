import { orgsApi } from '../../../api/orgs';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { InvitationsList } from './InvitationsList';
import { InviteForm } from './InviteForm';
import { MembersTable } from './MembersTable';

export function UsersTab() {
  const organization = useCurrentOrganization();
  const invitations = useResource(`invitations:${organization.id}`, (signal) =>
    orgsApi.invitations(organization.id, signal),
  );
  return (
    <>
      <MembersTable />
      {organization.can('users.invite') && <InviteForm onInvited={invitations.reload} />}
      <InvitationsList invitations={invitations} />
    </>
  );
}
