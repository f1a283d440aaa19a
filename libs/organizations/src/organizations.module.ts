import { Module } from '@nestjs/common';
import { AuthService } from './services/auth.service';
import { OrganizationsService } from './services/organizations.service';
import { OrganizationUsersService } from './services/organization-users.service';
import { ActivityService } from './services/activity.service';
import { SessionCache } from './services/session-cache';

@Module({
  providers: [
    SessionCache,
    AuthService,
    OrganizationsService,
    OrganizationUsersService,
    ActivityService,
  ],
  exports: [
    SessionCache,
    AuthService,
    OrganizationsService,
    OrganizationUsersService,
    ActivityService,
  ],
})
export class OrganizationsModule {}
