import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import {
  ORGANISM_TYPES,
  updateOrganizationInputSchema,
  type OrganizationView,
  type UpdateOrganizationInput,
} from '@ruche/contracts';
import { orgsApi } from '../../../api/orgs';
import { useSession } from '../../../auth/SessionContext';
import { Alert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { SubmitButton } from '../../../components/SubmitButton';
import { useServerErrors } from '../../../components/useServerErrors';
import { LANGUAGES } from '../../../i18n';
import { useFormatters } from '../../../i18n/format';
import {
  COMMON_TIME_ZONES,
  ORGANIZATION_FIELDS,
  toFormValues,
  type OrganizationForm,
} from './organizationForm';

const toUpperCase = (value: string) => value.toUpperCase();
const MONTHS = Array.from({ length: 12 }, (_, index) => index + 1);

interface IdentityFormProps {
  organization: OrganizationView;
  readOnly: boolean;
}

export function IdentityForm({ organization, readOnly }: IdentityFormProps) {
  const { t } = useTranslation();
  const format = useFormatters();
  const session = useSession();
  const [saved, setSaved] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    watch,
    formState: { errors, isSubmitting, isDirty },
  } = useForm<OrganizationForm, unknown, UpdateOrganizationInput>({
    resolver: zodResolver(updateOrganizationInputSchema),
    defaultValues: toFormValues(organization),
  });
  const { formError, report, clear } = useServerErrors(setError, ORGANIZATION_FIELDS);
  const isOther = watch('organismType') === 'other';

  const onSubmit = async (input: UpdateOrganizationInput) => {
    clear();
    setSaved(false);
    try {
      const updated = await orgsApi.update(organization.id, {
        ...input,
        organismTypeOther: input.organismType === 'other' ? input.organismTypeOther : null,
      });
      reset(toFormValues(updated));
      setSaved(true);
      await session.refresh();
    } catch (error) {
      report(error);
    }
  };

  const text = (
    name: (typeof ORGANIZATION_FIELDS)[number],
    label: string,
    props: { autoComplete?: string; type?: string; hint?: string; uppercase?: boolean } = {},
  ) => (
    <Field label={label} error={errors[name]} hint={props.hint}>
      {(control) => (
        <input
          {...control}
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete ?? 'off'}
          {...register(name, props.uppercase ? { setValueAs: toUpperCase } : undefined)}
        />
      )}
    </Field>
  );

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="form form--wide">
      {formError && <Alert kind="error">{formError}</Alert>}
      {saved && !isDirty && <Alert kind="success">{t('identity.saved')}</Alert>}
      <fieldset disabled={readOnly} className="form-sections">
        <fieldset className="form-section">
          <legend>{t('identity.sections.identity')}</legend>
          <div className="form-grid">
            {text('name', t('identity.fields.name'), { autoComplete: 'organization' })}
            {text('legalName', t('identity.fields.legalName'))}
            {text('siren', t('identity.fields.siren'), { hint: t('identity.hints.siren') })}
            {text('rna', t('identity.fields.rna'), { hint: t('identity.hints.rna') })}
            <Field
              label={t('identity.fields.organismType')}
              error={errors.organismType}
              className="form-grid__full"
            >
              {(control) => (
                <select
                  {...control}
                  {...register('organismType', { setValueAs: (value: string) => value || null })}
                >
                  <option value="">{t('common.none')}</option>
                  {ORGANISM_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {t(`organismTypes.${type}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {isOther && (
              <Field
                label={t('identity.fields.organismTypeOther')}
                error={errors.organismTypeOther}
                className="form-grid__full"
              >
                {(control) => <input {...control} {...register('organismTypeOther')} />}
              </Field>
            )}
            <Field
              label={t('identity.fields.object')}
              error={errors.object}
              className="form-grid__full"
            >
              {(control) => <textarea {...control} rows={4} {...register('object')} />}
            </Field>
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('identity.sections.contact')}</legend>
          <div className="form-grid">
            {text('addressLine1', t('identity.fields.addressLine1'), {
              autoComplete: 'address-line1',
            })}
            {text('addressLine2', t('identity.fields.addressLine2'), {
              autoComplete: 'address-line2',
            })}
            {text('postalCode', t('identity.fields.postalCode'), { autoComplete: 'postal-code' })}
            {text('city', t('identity.fields.city'), { autoComplete: 'address-level2' })}
            {text('country', t('identity.fields.country'), {
              autoComplete: 'country',
              uppercase: true,
              hint: t('identity.hints.country'),
            })}
            {text('email', t('identity.fields.email'), { type: 'email', autoComplete: 'email' })}
            {text('website', t('identity.fields.website'), { type: 'url', autoComplete: 'url' })}
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('identity.sections.preferences')}</legend>
          <div className="form-grid">
            <Field label={t('identity.fields.timeZone')} error={errors.timeZone}>
              {(control) => (
                <input
                  {...control}
                  list="time-zones"
                  autoComplete="off"
                  {...register('timeZone')}
                />
              )}
            </Field>
            <datalist id="time-zones">
              {COMMON_TIME_ZONES.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
            {text('currency', t('identity.fields.currency'), {
              hint: t('identity.hints.currency'),
              uppercase: true,
            })}
            <Field
              label={t('identity.fields.fiscalYearStartMonth')}
              error={errors.fiscalYearStartMonth}
            >
              {(control) => (
                <select
                  {...control}
                  {...register('fiscalYearStartMonth', {
                    setValueAs: (value: string) => Number(value),
                  })}
                >
                  {MONTHS.map((month) => (
                    <option key={month} value={month}>
                      {format.monthName(month)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('identity.fields.locale')} error={errors.locale}>
              {(control) => (
                <select {...control} {...register('locale')}>
                  {LANGUAGES.map((language) => (
                    <option key={language} value={language}>
                      {t(`language.${language}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        </fieldset>
      </fieldset>
      {!readOnly && (
        <div className="form-actions">
          <SubmitButton pending={isSubmitting}>{t('common.save')}</SubmitButton>
        </div>
      )}
    </form>
  );
}
