import { Module } from '@nestjs/common';
import { ContactsService } from './services/contacts.service';
import { TagsService } from './services/tags.service';
import { CustomFieldsService } from './services/custom-fields.service';
import { HouseholdsService } from './services/households.service';
import { SavedFiltersService } from './services/saved-filters.service';
import { PrivacyService } from './services/privacy.service';

const SERVICES = [ContactsService, TagsService, CustomFieldsService, HouseholdsService, SavedFiltersService, PrivacyService];

@Module({ providers: SERVICES, exports: SERVICES })
export class ContactsModule {}
