import { Controller, Delete, Get, HttpCode, Param, Post, Put, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DomainError, isUuid, type OrgContext } from '@ruche/core';
import {
  contactReference,
  createContactInputSchema,
  exportContactsQuerySchema,
  customFieldDefinitionInputSchema,
  householdInputSchema,
  consentInputSchema,
  eraseContactInputSchema,
  personalDataQuerySchema,
  mergeContactsInputSchema,
  listContactsQuerySchema,
  savedFilterInputSchema,
  tagInputSchema,
  updateContactInputSchema,
  type ContactHouseholdView,
  type ContactListItem,
  type ContactView,
  type CreateContactInput,
  type CustomFieldDefinitionInput,
  type CustomFieldDefinitionView,
  type DuplicateCandidate,
  type ExportContactsQuery,
  type HouseholdInput,
  type ConsentInput,
  type ContactConsentsView,
  type EraseContactInput,
  type PersonalDataQuery,
  type MergeContactsInput,
  type MergeResultView,
  type ListContactsQuery,
  type Page,
  type SavedFilterInput,
  type SavedFilterView,
  type TagInput,
  type TagView,
  type UpdateContactInput,
} from '@ruche/contracts';
import { ContactsService, CustomFieldsService, HouseholdsService, PrivacyService, SavedFiltersService, TagsService, displayName, type ContactRecord } from '@ruche/contacts';
import { ContactExportService, DirectoryService } from '@ruche/memberships';
import { ZodBody, ZodQuery } from '../http/zod';
import { Ctx, RequirePermission } from '../auth/access';

export function uuidParam(value: string, code: string, message: string): string {
  if (!isUuid(value)) throw DomainError.notFound(code, message);
  return value;
}

const contactId = (value: string) => uuidParam(value, 'contacts.not_found', 'No such contact');

/** Contacts: the directory, each contact, tags, custom fields, households, saved filters. */
@ApiTags('contacts')
@Controller('api/v1/orgs/:orgId')
export class ContactsController {
  constructor(
    private readonly contacts: ContactsService,
    private readonly directory: DirectoryService,
    private readonly exporter: ContactExportService,
    private readonly tags: TagsService,
    private readonly customFields: CustomFieldsService,
    private readonly households: HouseholdsService,
    private readonly savedFilters: SavedFiltersService,
    private readonly privacy: PrivacyService,
  ) {}

  /** The directory: filters, sort (`name`, `-validUntil`...), pagination. */
  @Get('contacts')
  @RequirePermission('contacts.read')
  list(@Ctx() ctx: OrgContext, @ZodQuery(listContactsQuerySchema) query: ListContactsQuery): Promise<Page<ContactListItem>> {
    return this.directory.list(ctx, query);
  }

  /** The directory list with the same filters and order, as CSV (UTF-8, `;`) or XLSX; formula-like cells are neutralized. */
  @Get('contacts/export')
  @RequirePermission('contacts.export')
  async export(@Ctx() ctx: OrgContext, @ZodQuery(exportContactsQuerySchema) query: ExportContactsQuery): Promise<StreamableFile> {
    const file = await this.exporter.export(ctx, query, (await this.directory.today(ctx)).toString());
    return new StreamableFile(file.stream, { type: file.contentType, disposition: `attachment; filename="${file.fileName}"` });
  }

  /** Creates a contact; 409 `contacts.possible_duplicate` lists the probable duplicates unless `confirmNotDuplicate`. */
  @Post('contacts')
  @RequirePermission('contacts.write')
  async create(@Ctx() ctx: OrgContext, @ZodBody(createContactInputSchema) input: CreateContactInput): Promise<ContactView> {
    return this.view(ctx, await this.contacts.create(ctx, input));
  }

  /** The probable duplicates of a contact being typed (same email; same name and birth date or postal code; same SIREN). */
  @Post('contacts/duplicates')
  @HttpCode(200)
  @RequirePermission('contacts.read')
  duplicates(@Ctx() ctx: OrgContext, @ZodBody(createContactInputSchema) input: CreateContactInput): Promise<DuplicateCandidate[]> {
    return this.contacts.findDuplicates(ctx, input, null);
  }

  @Get('contacts/:contactId')
  @RequirePermission('contacts.read')
  async get(@Ctx() ctx: OrgContext, @Param('contactId') id: string): Promise<ContactView> {
    return this.view(ctx, await this.contacts.get(ctx, contactId(id)));
  }

  @Put('contacts/:contactId')
  @RequirePermission('contacts.write')
  async update(@Ctx() ctx: OrgContext, @Param('contactId') id: string, @ZodBody(updateContactInputSchema) input: UpdateContactInput): Promise<ContactView> {
    return this.view(ctx, await this.contacts.update(ctx, contactId(id), input));
  }

  /** Merges another contact into this one: fields it lacks, tags, memberships and every other reference move here. */
  @Post('contacts/:contactId/merge')
  @HttpCode(200)
  @RequirePermission('contacts.merge')
  async merge(@Ctx() ctx: OrgContext, @Param('contactId') id: string, @ZodBody(mergeContactsInputSchema) input: MergeContactsInput): Promise<MergeResultView> {
    const result = await this.contacts.merge(ctx, contactId(id), input.mergedContactId);
    return { contact: await this.view(ctx, result.kept), moved: result.moved };
  }

  /** Consents (newsletter, image rights): the current state and the history, newest first. */
  @Get('contacts/:contactId/consents')
  @RequirePermission('contacts.read')
  consents(@Ctx() ctx: OrgContext, @Param('contactId') id: string): Promise<ContactConsentsView> {
    return this.privacy.consents(ctx, contactId(id));
  }

  /** Records a consent given or withdrawn, with its source; consents are never edited. */
  @Post('contacts/:contactId/consents')
  @RequirePermission('contacts.write')
  recordConsent(@Ctx() ctx: OrgContext, @Param('contactId') id: string, @ZodBody(consentInputSchema) input: ConsentInput): Promise<ContactConsentsView> {
    return this.privacy.recordConsent(ctx, contactId(id), input);
  }

  /** GDPR access: everything held about the contact, as JSON or PDF. */
  @Get('contacts/:contactId/personal-data')
  @RequirePermission('contacts.gdpr')
  async personalData(@Ctx() ctx: OrgContext, @Param('contactId') id: string, @ZodQuery(personalDataQuerySchema) query: PersonalDataQuery): Promise<StreamableFile> {
    const file = await this.privacy.export(ctx, contactId(id), query.format);
    const options = { type: file.contentType, disposition: `attachment; filename="${file.fileName}"` };
    return typeof file.body === 'string' ? new StreamableFile(Buffer.from(file.body, 'utf8'), options) : new StreamableFile(file.body, options);
  }

  /** GDPR erasure: personal fields anonymized; memberships, entries and receipts kept as the law requires. */
  @Post('contacts/:contactId/erase')
  @HttpCode(200)
  @RequirePermission('contacts.gdpr')
  async erase(@Ctx() ctx: OrgContext, @Param('contactId') id: string, @ZodBody(eraseContactInputSchema) input: EraseContactInput): Promise<ContactView> {
    await this.privacy.assertErasable(ctx, contactId(id));
    await this.privacy.erase(ctx, contactId(id), input.reason);
    return this.view(ctx, await this.contacts.get(ctx, contactId(id)));
  }

  @Get('contacts/:contactId/duplicates')
  @RequirePermission('contacts.read')
  async duplicatesOf(@Ctx() ctx: OrgContext, @Param('contactId') id: string): Promise<DuplicateCandidate[]> {
    const { contact } = await this.contacts.get(ctx, contactId(id));
    return this.contacts.findDuplicates(ctx, { ...contact }, contact.id);
  }

  @Get('tags')
  @RequirePermission('contacts.read')
  listTags(@Ctx() ctx: OrgContext): Promise<TagView[]> {
    return this.tags.list(ctx);
  }

  @Post('tags')
  @RequirePermission('contacts.configure')
  createTag(@Ctx() ctx: OrgContext, @ZodBody(tagInputSchema) input: TagInput): Promise<TagView> {
    return this.tags.create(ctx, input);
  }

  @Put('tags/:tagId')
  @HttpCode(204)
  @RequirePermission('contacts.configure')
  updateTag(@Ctx() ctx: OrgContext, @Param('tagId') id: string, @ZodBody(tagInputSchema) input: TagInput): Promise<void> {
    return this.tags.update(ctx, uuidParam(id, 'contacts.tag_not_found', 'No such tag'), input);
  }

  @Delete('tags/:tagId')
  @HttpCode(204)
  @RequirePermission('contacts.configure')
  removeTag(@Ctx() ctx: OrgContext, @Param('tagId') id: string): Promise<void> {
    return this.tags.remove(ctx, uuidParam(id, 'contacts.tag_not_found', 'No such tag'));
  }

  @Get('custom-fields')
  @RequirePermission('contacts.read')
  listCustomFields(@Ctx() ctx: OrgContext): Promise<CustomFieldDefinitionView[]> {
    return this.customFields.list(ctx);
  }

  @Post('custom-fields')
  @RequirePermission('contacts.configure')
  createCustomField(@Ctx() ctx: OrgContext, @ZodBody(customFieldDefinitionInputSchema) input: CustomFieldDefinitionInput): Promise<CustomFieldDefinitionView> {
    return this.customFields.create(ctx, input);
  }

  @Put('custom-fields/:fieldId')
  @RequirePermission('contacts.configure')
  updateCustomField(
    @Ctx() ctx: OrgContext,
    @Param('fieldId') id: string,
    @ZodBody(customFieldDefinitionInputSchema) input: CustomFieldDefinitionInput,
  ): Promise<CustomFieldDefinitionView> {
    return this.customFields.update(ctx, uuidParam(id, 'contacts.custom_field_not_found', 'No such custom field'), input);
  }

  @Post('households')
  @RequirePermission('contacts.write')
  createHousehold(@Ctx() ctx: OrgContext, @ZodBody(householdInputSchema) input: HouseholdInput): Promise<ContactHouseholdView> {
    return this.households.create(ctx, input);
  }

  @Get('households/:householdId')
  @RequirePermission('contacts.read')
  getHousehold(@Ctx() ctx: OrgContext, @Param('householdId') id: string): Promise<ContactHouseholdView> {
    return this.households.get(ctx, uuidParam(id, 'contacts.household_not_found', 'No such household'));
  }

  @Put('households/:householdId')
  @RequirePermission('contacts.write')
  updateHousehold(@Ctx() ctx: OrgContext, @Param('householdId') id: string, @ZodBody(householdInputSchema) input: HouseholdInput): Promise<ContactHouseholdView> {
    return this.households.update(ctx, uuidParam(id, 'contacts.household_not_found', 'No such household'), input);
  }

  @Delete('households/:householdId')
  @HttpCode(204)
  @RequirePermission('contacts.write')
  dissolveHousehold(@Ctx() ctx: OrgContext, @Param('householdId') id: string): Promise<void> {
    return this.households.dissolve(ctx, uuidParam(id, 'contacts.household_not_found', 'No such household'));
  }

  @Get('saved-filters')
  @RequirePermission('contacts.read')
  listSavedFilters(@Ctx() ctx: OrgContext): Promise<SavedFilterView[]> {
    return this.savedFilters.list(ctx);
  }

  @Post('saved-filters')
  @RequirePermission('contacts.read')
  createSavedFilter(@Ctx() ctx: OrgContext, @ZodBody(savedFilterInputSchema) input: SavedFilterInput): Promise<SavedFilterView> {
    return this.savedFilters.create(ctx, input);
  }

  @Delete('saved-filters/:filterId')
  @HttpCode(204)
  @RequirePermission('contacts.read')
  removeSavedFilter(@Ctx() ctx: OrgContext, @Param('filterId') id: string): Promise<void> {
    return this.savedFilters.remove(ctx, uuidParam(id, 'contacts.saved_filter_not_found', 'No such saved filter'));
  }

  private async view(ctx: OrgContext, record: ContactRecord): Promise<ContactView> {
    const c = record.contact;
    return {
      id: c.id,
      number: c.number,
      reference: contactReference(c.number),
      kind: c.kind,
      displayName: displayName(c),
      civility: c.civility,
      firstName: c.firstName,
      lastName: c.lastName,
      organizationName: c.organizationName,
      siren: c.siren,
      birthDate: c.birthDate,
      email: c.email,
      phone: c.phone,
      mobilePhone: c.mobilePhone,
      addressLine1: c.addressLine1,
      addressLine2: c.addressLine2,
      postalCode: c.postalCode,
      city: c.city,
      country: c.country.trim(),
      notes: c.notes,
      locale: c.locale,
      customFields: c.customFields,
      tags: record.tags,
      household: record.household,
      membership: await this.directory.summaryOf(ctx, c.id),
      erasedAt: c.erasedAt ? c.erasedAt.toISOString() : null,
      mergedIntoId: c.mergedIntoId,
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    };
  }
}
