import { useCallback, useState } from 'react';
import { useForm, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { memberDetailsInputSchema, type MemberSpaceView } from '@ruche/contracts';
import { memberSpaceApi } from '../../api/memberSpace';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { FormErrors } from '../../components/FormErrors';
import { SubmitButton } from '../../components/SubmitButton';
import { useFormErrors, zodIssues } from '../../components/useFormErrors';

const FIELDS = [
  'email',
  'phone',
  'mobilePhone',
  'addressLine1',
  'addressLine2',
  'postalCode',
  'city',
  'country',
  'locale',
] as const;
type DetailsField = (typeof FIELDS)[number];
type DetailsValues = Record<Exclude<DetailsField, 'locale'>, string> & { locale: 'fr' | 'en' };

function toValues(contact: MemberSpaceView['contact']): DetailsValues {
  return {
    email: contact.email ?? '',
    phone: contact.phone ?? '',
    mobilePhone: contact.mobilePhone ?? '',
    addressLine1: contact.addressLine1 ?? '',
    addressLine2: contact.addressLine2 ?? '',
    postalCode: contact.postalCode ?? '',
    city: contact.city ?? '',
    country: contact.country || 'FR',
    locale: contact.locale,
  };
}

const isField = (path: string): path is DetailsField => FIELDS.some((field) => field === path);
const toUpperCase = (value: string) => value.toUpperCase();

/** The contact details a member may change themselves, with the server's errors under each field. */
export function MemberDetailsForm({
  view,
  onChange,
  onFailure,
}: {
  view: MemberSpaceView;
  onChange: (view: MemberSpaceView) => void;
  /** Returns true when it handled the failure (the session is gone). */
  onFailure: (error: unknown) => boolean;
}) {
  const { t } = useTranslation();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const {
    register,
    getValues,
    setError,
    clearErrors,
    reset,
    formState: { errors },
  } = useForm<DetailsValues>({ defaultValues: toValues(view.contact) });
  const fieldOf = useCallback(
    (path: string): Path<DetailsValues> | null => (isField(path) ? path : null),
    [],
  );
  const labelOf = useCallback(
    (path: string) => (isField(path) ? t(`contacts.fields.${path}`) : null),
    [t],
  );
  const { general, place, report, clear } = useFormErrors(setError, { fieldOf, labelOf });

  const save = async () => {
    clear();
    clearErrors();
    setSaved(false);
    const parsed = memberDetailsInputSchema.safeParse(getValues());
    if (!parsed.success) {
      place(zodIssues(parsed.error));
      return;
    }
    setSaving(true);
    try {
      const next = await memberSpaceApi.updateDetails(view.csrfToken, parsed.data);
      reset(toValues(next.contact));
      setSaved(true);
      onChange(next);
    } catch (error) {
      if (!onFailure(error)) report(error);
    } finally {
      setSaving(false);
    }
  };

  const text = (
    name: Exclude<DetailsField, 'locale'>,
    props: {
      type?: string;
      autoComplete: string;
      inputMode?: 'text' | 'tel' | 'email';
      hint?: string;
      uppercase?: boolean;
      full?: boolean;
    },
  ) => (
    <Field
      label={t(`contacts.fields.${name}`)}
      error={errors[name]}
      hint={props.hint}
      className={props.full ? 'form-grid__full' : undefined}
      errorTestId={`member-${name}-error`}
    >
      {(control) => (
        <input
          {...control}
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete}
          inputMode={props.inputMode}
          data-testid={`member-${name}`}
          {...register(name, props.uppercase ? { setValueAs: toUpperCase } : undefined)}
        />
      )}
    </Field>
  );

  return (
    <section className="panel" aria-labelledby="member-details-title">
      <h2 id="member-details-title">{t('memberSpace.account.details')}</h2>
      <form
        className="form"
        noValidate
        data-testid="member-details-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
        onChange={() => setSaved(false)}
      >
        <FormErrors messages={general} testId="member-details-errors" />
        {saved && (
          <Alert kind="success">
            <span data-testid="member-details-saved">{t('memberSpace.account.detailsSaved')}</span>
          </Alert>
        )}
        <div className="form-grid">
          {text('email', { type: 'email', inputMode: 'email', autoComplete: 'email', full: true })}
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
            errorTestId="member-locale-error"
          >
            {(control) => (
              <select {...control} data-testid="member-locale" {...register('locale')}>
                <option value="fr">{t('language.fr')}</option>
                <option value="en">{t('language.en')}</option>
              </select>
            )}
          </Field>
        </div>
        <div className="button-row">
          <SubmitButton pending={saving} testId="member-details-save">
            {t('common.save')}
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}
