import { ContactEntity } from './entities/contact.entity';
import { ContactCounterEntity } from './entities/contact-counter.entity';
import { ContactTagEntity, TagEntity } from './entities/tag.entity';
import { HouseholdEntity } from './entities/household.entity';
import { CustomFieldDefinitionEntity } from './entities/custom-field-definition.entity';
import { SavedFilterEntity } from './entities/saved-filter.entity';
import { ContactConsentEntity } from './entities/contact-consent.entity';

export { ContactsModule } from './contacts.module';
export { ContactsService, contactDisplayName, dedupeKeys, type ContactRecord, type ContactFields, type ContactMergeParticipant } from './services/contacts.service';
export { TagsService } from './services/tags.service';
export { CustomFieldsService } from './services/custom-fields.service';
export { HouseholdsService } from './services/households.service';
export { SavedFiltersService } from './services/saved-filters.service';
export { PrivacyService, type PersonalDataContributor, type PersonalDataSection, type PersonalDataFile } from './services/privacy.service';
export { contactFilterConditions } from './services/contact-filter.sql';
export { normalizeText, nameKey, displayName, sortName, searchText } from './domain/normalize';
export { duplicateReasons, type DedupeKeys } from './domain/duplicates';
export { checkCustomFields, type CustomFieldRule } from './domain/custom-fields';
export { ContactEntity, ContactCounterEntity, ContactTagEntity, TagEntity, HouseholdEntity, CustomFieldDefinitionEntity, SavedFilterEntity, ContactConsentEntity };

export const CONTACTS_ENTITIES = [ContactEntity, ContactCounterEntity, TagEntity, ContactTagEntity, HouseholdEntity, CustomFieldDefinitionEntity, SavedFilterEntity, ContactConsentEntity];
