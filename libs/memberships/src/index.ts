import { MembershipPlanEntity } from './entities/membership-plan.entity';
import { MembershipEntity } from './entities/membership.entity';
import { MemberSummaryEntity } from './entities/member-summary.entity';
import { MembershipSettingsEntity } from './entities/membership-settings.entity';
import { MembershipReminderEntity } from './entities/membership-reminder.entity';
import { ContactImportEntity, ContactImportRowEntity } from './entities/contact-import.entity';
import { MemberLoginLinkEntity, MemberSessionEntity } from './entities/member-space.entities';

export { MembershipsModule } from './memberships.module';
export { PlansService, toPlanView } from './services/plans.service';
export { MembershipsService } from './services/memberships.service';
export { MembershipSettingsService, DEFAULT_MEMBERSHIP_SETTINGS } from './services/membership-settings.service';
export { DirectoryService } from './services/directory.service';
export { MembershipDashboardService } from './services/dashboard.service';
export { RemindersService } from './services/reminders.service';
export { ImportsService } from './services/imports.service';
export { MemberSpaceService, type MemberSession } from './services/member-space.service';
export { JoinService } from './services/join.service';
export { ContactExportService, neutralizeFormula, type ExportFile } from './services/contact-export.service';
export * from './domain/import-row';
export * from './imports/file-reader';
import './jobs/jobs';
export { membershipReminderEmail } from './emails/reminder.email';
export * from './domain/status';
export * from './domain/period';
export * from './domain/pricing';
export { MembershipPlanEntity, MembershipEntity, MemberSummaryEntity, MembershipSettingsEntity, MembershipReminderEntity, ContactImportEntity, ContactImportRowEntity, MemberLoginLinkEntity, MemberSessionEntity };

export const MEMBERSHIPS_ENTITIES = [MembershipPlanEntity, MembershipEntity, MemberSummaryEntity, MembershipSettingsEntity, MembershipReminderEntity, ContactImportEntity, ContactImportRowEntity, MemberLoginLinkEntity, MemberSessionEntity];
