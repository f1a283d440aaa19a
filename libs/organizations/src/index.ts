export * from './organizations.module';
export * from './services/auth.service';
export * from './services/organizations.service';
export * from './services/organization-users.service';
export * from './services/activity.service';
export * from './services/session-cache';
export * from './entities/organization.entity';
export * from './entities/user.entity';
export * from './entities/organization-member.entity';
export * from './entities/session.entity';
export * from './entities/invitation.entity';
export * from './entities/password-reset.entity';
export * from './entities/login-attempt.entity';
export { hashPassword } from './domain/passwords';
export { escapeHtml, type RenderedEmail } from './emails/templates';

import { OrganizationEntity } from './entities/organization.entity';
import { UserEntity } from './entities/user.entity';
import { OrganizationMemberEntity } from './entities/organization-member.entity';
import { SessionEntity } from './entities/session.entity';
import { InvitationEntity } from './entities/invitation.entity';
import { PasswordResetEntity } from './entities/password-reset.entity';
import { LoginAttemptEntity } from './entities/login-attempt.entity';

export const ORGANIZATIONS_ENTITIES = [
  OrganizationEntity,
  UserEntity,
  OrganizationMemberEntity,
  SessionEntity,
  InvitationEntity,
  PasswordResetEntity,
  LoginAttemptEntity,
];
