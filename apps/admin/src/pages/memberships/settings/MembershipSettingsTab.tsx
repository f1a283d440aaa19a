import { useCallback, useState } from 'react';
import { useForm, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { membershipSettingsInputSchema, type MembershipSettingsView } from '@ruche/contracts';
import { membershipsApi } from '../../../api/memberships';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { FormErrors } from '../../../components/FormErrors';
import { ResourceState } from '../../../components/ResourceState';
import { SubmitButton } from '../../../components/SubmitButton';
import { useFormErrors, zodIssues } from '../../../components/useFormErrors';

interface SettingsForm {
  expiringSoonDays: string;
  graceDays: string;
  /** "-30, -7, 7": days before (-) or after (+) the end date. */
  reminderOffsets: string;
  remindersEnabled: boolean;
  retentionYears: string;
}

const FIELDS = [
  'expiringSoonDays',
  'graceDays',
  'reminderOffsets',
  'remindersEnabled',
  'retentionYears',
] as const satisfies readonly (keyof SettingsForm)[];

const toForm = (settings: MembershipSettingsView): SettingsForm => ({
  expiringSoonDays: String(settings.expiringSoonDays),
  graceDays: String(settings.graceDays),
  reminderOffsets: settings.reminderOffsets.join(', '),
  remindersEnabled: settings.remindersEnabled,
  retentionYears: String(settings.retentionYears),
});

/** "-30, -7 ; 7" as numbers (a piece that is not an integer stays NaN: the schema refuses it). */
function parseOffsets(text: string): number[] {
  return text
    .split(/[,;\s]+/)
    .filter((piece) => piece !== '')
    .map((piece) => (/^[+-]?\d+$/.test(piece) ? Number(piece) : Number.NaN));
}

/** Expiry warnings, grace period, reminders and retention of the memberships. */
export function MembershipSettingsTab() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const settings = useResource(`memberships:settings:${organization.id}`, (signal) =>
    membershipsApi.settings(organization.id, signal),
  );
  return (
    <section className="panel" aria-labelledby="membership-settings-title">
      <h2 id="membership-settings-title">{t('memberships.tabs.settings')}</h2>
      <ResourceState resource={settings} />
      {settings.data && (
        <SettingsEditor
          initial={settings.data}
          readOnly={!organization.can('memberships.configure')}
        />
      )}
    </section>
  );
}

function SettingsEditor({
  initial,
  readOnly,
}: {
  initial: MembershipSettingsView;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const [submitting, setSubmitting] = useState(false);
  const [saved, setSaved] = useState(false);
  const {
    register,
    getValues,
    setError,
    clearErrors,
    reset,
    formState: { errors, isDirty },
  } = useForm<SettingsForm>({ defaultValues: toForm(initial) });
  const fieldOf = useCallback(
    (path: string): Path<SettingsForm> | null =>
      FIELDS.find((field) => field === path.split('.')[0]) ?? null,
    [],
  );
  const { general, place, report, clear } = useFormErrors(setError, { fieldOf });

  const submit = async () => {
    clear();
    clearErrors();
    setSaved(false);
    const values = getValues();
    const parsed = membershipSettingsInputSchema.safeParse({
      expiringSoonDays: Number(values.expiringSoonDays),
      graceDays: Number(values.graceDays),
      reminderOffsets: parseOffsets(values.reminderOffsets),
      remindersEnabled: values.remindersEnabled,
      retentionYears: Number(values.retentionYears),
    });
    if (!parsed.success) return place(zodIssues(parsed.error));
    setSubmitting(true);
    try {
      const updated = await membershipsApi.updateSettings(organization.id, parsed.data);
      reset(toForm(updated));
      setSaved(true);
    } catch (error) {
      report(error);
    } finally {
      setSubmitting(false);
    }
  };

  const number = (
    name: 'expiringSoonDays' | 'graceDays' | 'retentionYears',
    min: number,
    max: number,
  ) => (
    <Field
      label={t(`memberships.settings.${name}`)}
      error={errors[name]}
      hint={t(`memberships.settings.hints.${name}`)}
      errorTestId={`membership-settings-${name}-error`}
    >
      {(controlProps) => (
        <input
          {...controlProps}
          type="number"
          min={min}
          max={max}
          data-testid={`membership-settings-${name}`}
          {...register(name)}
        />
      )}
    </Field>
  );

  return (
    <form
      className="form"
      noValidate
      data-testid="membership-settings-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {readOnly && <Alert kind="info">{t('memberships.settings.readOnly')}</Alert>}
      <FormErrors messages={general} />
      {saved && !isDirty && <Alert kind="success">{t('memberships.settings.saved')}</Alert>}
      <fieldset disabled={readOnly} className="form-sections">
        <fieldset className="form-section">
          <legend>{t('memberships.settings.statuses')}</legend>
          <div className="form-grid">
            {number('expiringSoonDays', 1, 180)}
            {number('graceDays', 0, 365)}
          </div>
        </fieldset>
        <fieldset className="form-section">
          <legend>{t('memberships.settings.reminders')}</legend>
          <div className="form-grid">
            <label className="checkbox-field form-grid__full">
              <input
                type="checkbox"
                data-testid="membership-settings-reminders-enabled"
                {...register('remindersEnabled')}
              />
              {t('memberships.settings.remindersEnabled')}
            </label>
            <Field
              label={t('memberships.settings.reminderOffsets')}
              error={errors.reminderOffsets}
              hint={t('memberships.settings.hints.reminderOffsets')}
              errorTestId="membership-settings-reminderOffsets-error"
            >
              {(controlProps) => (
                <input
                  {...controlProps}
                  type="text"
                  inputMode="numeric"
                  data-testid="membership-settings-reminderOffsets"
                  {...register('reminderOffsets')}
                />
              )}
            </Field>
          </div>
        </fieldset>
        <fieldset className="form-section">
          <legend>{t('memberships.settings.privacy')}</legend>
          <div className="form-grid">{number('retentionYears', 1, 20)}</div>
        </fieldset>
      </fieldset>
      {!readOnly && (
        <div className="form-actions">
          <SubmitButton pending={submitting} testId="membership-settings-save">
            {t('common.save')}
          </SubmitButton>
        </div>
      )}
    </form>
  );
}
