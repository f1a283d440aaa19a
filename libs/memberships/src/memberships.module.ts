import { Module } from '@nestjs/common';
import { ContactsModule } from '@ruche/contacts';
import { AccountingModule } from '@ruche/accounting';
import { PaymentsModule } from '@ruche/payments';
import { ReceiptsModule } from '@ruche/receipts';
import { PlansService } from './services/plans.service';
import { MembershipsService } from './services/memberships.service';
import { MembershipSettingsService } from './services/membership-settings.service';
import { DirectoryService } from './services/directory.service';
import { MembershipDashboardService } from './services/dashboard.service';
import { RemindersService } from './services/reminders.service';
import { ImportsService } from './services/imports.service';
import { ContactExportService } from './services/contact-export.service';
import { MemberSpaceService } from './services/member-space.service';
import { JoinService } from './services/join.service';
import { MembershipDeferralsService } from './services/membership-deferrals.service';

const SERVICES = [
  PlansService,
  MembershipsService,
  MembershipSettingsService,
  DirectoryService,
  MembershipDashboardService,
  RemindersService,
  ImportsService,
  ContactExportService,
  MemberSpaceService,
  JoinService,
  MembershipDeferralsService,
];

@Module({
  imports: [ContactsModule, AccountingModule, PaymentsModule, ReceiptsModule],
  providers: SERVICES,
  exports: SERVICES,
})
export class MembershipsModule {}
