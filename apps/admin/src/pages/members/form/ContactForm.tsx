import { useCallback, useState } from 'react';
import { Controller, useForm, useWatch, type Path } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  CIVILITIES,
  CONTACT_KINDS,
  createContactInputSchema,
  updateContactInputSchema,
  type ContactView,
  type CreateContactInput,
  type CustomFieldDefinitionView,
  type DuplicateCandidate,
  type TagView,
} from '@ruche/contracts';
import { ApiError } from '../../../api/client';
import { contactsApi } from '../../../api/contacts';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Field } from '../../../components/Field';
import { FormErrors } from '../../../components/FormErrors';
import { SubmitButton } from '../../../components/SubmitButton';
import { useFormErrors, zodIssues } from '../../../components/useFormErrors';
import { validationMessage } from '../../../i18n/messages';
import { CustomFieldInput } from './CustomFieldInput';
import {
  activeCustomFields,
  isContactField,
  toContactBody,
  type ContactField,
  type ContactFormValues,
} from './contactForm';
import { DuplicatesPanel } from './DuplicatesPanel';

interface ContactFormProps {
  /** null: a new contact. */
  contactId: string | null;
  /** The household of the contact being edited (kept as is). */
  householdId: string | null;
  defaultValues: ContactFormValues;
  customFields: readonly CustomFieldDefinitionView[];
  tags: readonly TagView[];
}

const toUpperCase = (value: string) => value.toUpperCase();

export function ContactForm({
  contactId,
  householdId,
  defaultValues,
  customFields,
  tags,
}: ContactFormProps) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const navigate = useNavigate();
  const [submitting, setSubmitting] = useState(false);
  const [duplicates, setDuplicates] = useState<DuplicateCandidate[] | null>(null);
  const {
    register,
    control,
    getValues,
    setError,
    clearErrors,
    formState: { errors },
  } = useForm<ContactFormValues>({ defaultValues });
  const kind = useWatch({ control, name: 'kind' });
  const fields = activeCustomFields(customFields);

  const labelOf = useCallback(
    (path: string) => {
      if (isContactField(path)) return t(`contacts.fields.${path}`);
      const key = path.startsWith('customFields.') ? path.split('.')[1] : null;
      return customFields.find((field) => field.key === key)?.label ?? null;
    },
    [customFields, t],
  );
  const fieldOf = useCallback(
    (path: string): Path<ContactFormValues> | null => {
      if (isContactField(path)) return path;
      if (path.startsWith('tagIds')) return 'tagIds';
      const [root, key] = path.split('.');
      if (root === 'customFields' && fields.some((field) => field.key === key)) {
        return `customFields.${key}`;
      }
      return null;
    },
    [fields],
  );
  const { general, place, report, clear } = useFormErrors(setError, { fieldOf, labelOf });

  const goTo = (contact: ContactView) =>
    navigate(`/orgs/${organization.id}/contacts/${contact.id}`);

  const save = async (confirmNotDuplicate: boolean) => {
    clear();
    clearErrors();
    const body = toContactBody(getValues(), customFields, householdId);
    setSubmitting(true);
    try {
      if (contactId) {
        const parsed = updateContactInputSchema.safeParse(body);
        if (!parsed.success) return place(zodIssues(parsed.error));
        await goTo(await contactsApi.update(organization.id, contactId, parsed.data));
        return;
      }
      const parsed = createContactInputSchema.safeParse({ ...body, confirmNotDuplicate });
      if (!parsed.success) return place(zodIssues(parsed.error));
      try {
        await goTo(await contactsApi.create(organization.id, parsed.data));
      } catch (error) {
        if (error instanceof ApiError && error.code === 'contacts.possible_duplicate') {
          setDuplicates(await findDuplicates(parsed.data));
          return;
        }
        throw error;
      }
    } catch (error) {
      report(error);
    } finally {
      setSubmitting(false);
    }
  };

  const findDuplicates = async (input: CreateContactInput) => {
    try {
      return await contactsApi.duplicates(organization.id, input);
    } catch {
      return [];
    }
  };

  const text = (
    name: ContactField,
    props: {
      type?: string;
      autoComplete?: string;
      hint?: string;
      inputMode?: 'text' | 'numeric' | 'tel' | 'email';
      uppercase?: boolean;
      full?: boolean;
    } = {},
  ) => (
    <Field
      label={t(`contacts.fields.${name}`)}
      error={errors[name]}
      hint={props.hint}
      className={props.full ? 'form-grid__full' : undefined}
      errorTestId={`contact-${name}-error`}
    >
      {(controlProps) => (
        <input
          {...controlProps}
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete ?? 'off'}
          inputMode={props.inputMode}
          data-testid={`contact-${name}`}
          {...register(name, props.uppercase ? { setValueAs: toUpperCase } : undefined)}
        />
      )}
    </Field>
  );

  return (
    <form
      className="form"
      noValidate
      data-testid="contact-form"
      onSubmit={(event) => {
        event.preventDefault();
        setDuplicates(null);
        void save(false);
      }}
    >
      <FormErrors messages={general} testId="contact-form-errors" />
      {duplicates !== null && (
        <DuplicatesPanel
          candidates={duplicates}
          pending={submitting}
          onCreateAnyway={() => void save(true)}
          onDismiss={() => setDuplicates(null)}
        />
      )}
      <div className="form-sections">
        <fieldset className="form-section">
          <legend>{t('contacts.form.identity')}</legend>
          <div className="form-grid">
            <fieldset className="field field--group form-grid__full">
              <legend>{t('contacts.fields.kind')}</legend>
              <div className="segmented">
                {CONTACT_KINDS.map((value) => (
                  <label key={value} className="segmented__option">
                    <input
                      type="radio"
                      value={value}
                      data-testid={`contact-kind-${value}`}
                      {...register('kind')}
                    />
                    {t(`contacts.kinds.${value}`)}
                  </label>
                ))}
              </div>
            </fieldset>
            {kind === 'person' ? (
              <>
                <Field
                  label={t('contacts.fields.civility')}
                  error={errors.civility}
                  errorTestId="contact-civility-error"
                >
                  {(controlProps) => (
                    <select
                      {...controlProps}
                      data-testid="contact-civility"
                      {...register('civility')}
                    >
                      <option value="">{t('common.none')}</option>
                      {CIVILITIES.map((civility) => (
                        <option key={civility} value={civility}>
                          {t(`contacts.civilities.${civility}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                {text('firstName', { autoComplete: 'given-name' })}
                {text('lastName', { autoComplete: 'family-name' })}
                {text('birthDate', { type: 'date', autoComplete: 'bday' })}
              </>
            ) : (
              <>
                {text('organizationName', { autoComplete: 'organization' })}
                {text('siren', { inputMode: 'numeric', hint: t('contacts.hints.siren') })}
              </>
            )}
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('contacts.form.contact')}</legend>
          <div className="form-grid">
            {text('email', { type: 'email', inputMode: 'email', autoComplete: 'email' })}
            {text('phone', { type: 'tel', inputMode: 'tel', autoComplete: 'tel' })}
            {text('mobilePhone', { type: 'tel', inputMode: 'tel', autoComplete: 'mobile tel' })}
            {text('addressLine1', { autoComplete: 'address-line1', full: true })}
            {text('addressLine2', { autoComplete: 'address-line2', full: true })}
            {text('postalCode', { autoComplete: 'postal-code' })}
            {text('city', { autoComplete: 'address-level2' })}
            {text('country', {
              autoComplete: 'country',
              uppercase: true,
              hint: t('contacts.hints.country'),
            })}
            <Field
              label={t('contacts.fields.locale')}
              error={errors.locale}
              errorTestId="contact-locale-error"
            >
              {(controlProps) => (
                <select {...controlProps} data-testid="contact-locale" {...register('locale')}>
                  <option value="fr">{t('language.fr')}</option>
                  <option value="en">{t('language.en')}</option>
                </select>
              )}
            </Field>
          </div>
        </fieldset>

        {(tags.length > 0 || fields.length > 0) && (
          <fieldset className="form-section">
            <legend>{t('contacts.form.more')}</legend>
            <div className="form-grid">
              {tags.length > 0 && (
                <fieldset
                  className={`field field--group form-grid__full${errors.tagIds ? ' field--invalid' : ''}`}
                  data-testid="contact-tags"
                >
                  <legend>{t('contacts.fields.tagIds')}</legend>
                  <Controller
                    control={control}
                    name="tagIds"
                    render={({ field }) => (
                      <div className="checkbox-list">
                        {tags.map((tag) => (
                          <label key={tag.id} className="checkbox-field tag-option">
                            <input
                              type="checkbox"
                              name={field.name}
                              value={tag.id}
                              checked={field.value.includes(tag.id)}
                              onBlur={field.onBlur}
                              onChange={(event) =>
                                field.onChange(
                                  event.target.checked
                                    ? [...field.value.filter((id) => id !== tag.id), tag.id]
                                    : field.value.filter((id) => id !== tag.id),
                                )
                              }
                            />
                            <span
                              className="chip__dot"
                              aria-hidden="true"
                              style={{ backgroundColor: tag.color }}
                            />
                            {tag.name}
                          </label>
                        ))}
                      </div>
                    )}
                  />
                  {errors.tagIds && (
                    <p className="field__error">{validationMessage(t, errors.tagIds.message)}</p>
                  )}
                </fieldset>
              )}
              {fields.map((field) => (
                <CustomFieldInput
                  key={field.id}
                  field={field}
                  register={register}
                  control={control}
                  error={customFieldError(errors.customFields, field.key)}
                />
              ))}
            </div>
          </fieldset>
        )}

        <fieldset className="form-section">
          <legend>{t('contacts.fields.notes')}</legend>
          <Field label={t('contacts.fields.notes')} error={errors.notes}>
            {(controlProps) => (
              <textarea
                {...controlProps}
                rows={4}
                data-testid="contact-notes"
                {...register('notes')}
              />
            )}
          </Field>
        </fieldset>
      </div>
      <div className="form-actions">
        <SubmitButton pending={submitting} testId="contact-save">
          {contactId ? t('common.save') : t('contacts.form.create')}
        </SubmitButton>
      </div>
    </form>
  );
}

/** The error of one custom field (react-hook-form types record entries loosely). */
function customFieldError(
  errors: Record<string, unknown> | undefined,
  key: string,
): { message?: string } | undefined {
  const error = errors?.[key];
  if (typeof error !== 'object' || error === null || !('message' in error)) return undefined;
  const message = (error as { message?: unknown }).message;
  return { message: typeof message === 'string' ? message : undefined };
}
