import { Module } from '@nestjs/common';
import { AuthService } from './services/auth.service';
import { OrganizationsService } from './services/organizations.service';
import { OrganizationUsersService } from './services/organization-users.service';
import { ActivityService } from './services/activity.service';

@Module({
  providers: [AuthService, OrganizationsService, OrganizationUsersService, ActivityService],
  exports: [AuthService, OrganizationsService, OrganizationUsersService, ActivityService],
})
export class OrganizationsModule {}
