import { useCallback, useState } from 'react';
import { useForm, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import {
  RECEIPT_MODES,
  receiptSettingsInputSchema,
  type ReceiptMode,
  type ReceiptSettingsInput,
  type ReceiptSettingsView,
} from '@ruche/contracts';
import { receiptsApi } from '../../../api/receipts';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { FormErrors } from '../../../components/FormErrors';
import { SubmitButton } from '../../../components/SubmitButton';
import { useFormErrors, zodIssues } from '../../../components/useFormErrors';
import { validationMessage } from '../../../i18n/messages';

/** The settings form, every input as typed. */
interface SettingsForm {
  enabled: boolean;
  defaultMode: ReceiptMode;
  recurringMode: ReceiptMode;
  article200: boolean;
  article978: boolean;
  signerName: string;
  signerTitle: string;
  place: string;
  rupDecreeDate: string;
  rupJournalDate: string;
  sendByEmail: boolean;
}

const FIELDS = [
  'enabled',
  'defaultMode',
  'recurringMode',
  'article200',
  'article978',
  'signerName',
  'signerTitle',
  'place',
  'rupDecreeDate',
  'rupJournalDate',
  'sendByEmail',
] as const satisfies readonly (keyof SettingsForm)[];
type SettingsField = (typeof FIELDS)[number];
const isSettingsField = (path: string): path is SettingsField =>
  FIELDS.some((field) => field === path);

const toForm = (settings: ReceiptSettingsInput): SettingsForm => ({
  enabled: settings.enabled,
  defaultMode: settings.defaultMode,
  recurringMode: settings.recurringMode,
  article200: settings.article200,
  article978: settings.article978,
  signerName: settings.signerName ?? '',
  signerTitle: settings.signerTitle ?? '',
  place: settings.place ?? '',
  rupDecreeDate: settings.rupDecreeDate ?? '',
  rupJournalDate: settings.rupJournalDate ?? '',
  sendByEmail: settings.sendByEmail,
});

/** The receipts settings: whether they are issued, how, what they say and who signs them. */
export function ReceiptSettingsForm({
  initial,
  rup,
  readOnly,
  onSaved,
}: {
  initial: ReceiptSettingsView;
  /** The organization is recognised of public utility: the RUP dates are asked. */
  rup: boolean;
  readOnly: boolean;
  onSaved: (view: ReceiptSettingsView) => void;
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
    (path: string): Path<SettingsForm> | null => {
      if (!isSettingsField(path)) return null;
      if (!rup && (path === 'rupDecreeDate' || path === 'rupJournalDate')) return null;
      return path;
    },
    [rup],
  );
  const labelOf = useCallback(
    (path: string) => (isSettingsField(path) ? t(`receipts.settings.fields.${path}`) : null),
    [t],
  );
  const { general, place, report, clear } = useFormErrors(setError, { fieldOf, labelOf });

  const submit = async () => {
    clear();
    clearErrors();
    setSaved(false);
    const values = getValues();
    const text = (value: string) => value.trim() || null;
    const body: ReceiptSettingsInput = {
      enabled: values.enabled,
      defaultMode: values.defaultMode,
      recurringMode: values.recurringMode,
      article200: values.article200,
      article978: values.article978,
      signerName: text(values.signerName),
      signerTitle: text(values.signerTitle),
      place: text(values.place),
      // Not recognised of public utility: the dates have no place on its receipts.
      rupDecreeDate: rup ? text(values.rupDecreeDate) : null,
      rupJournalDate: rup ? text(values.rupJournalDate) : null,
      sendByEmail: values.sendByEmail,
    };
    const parsed = receiptSettingsInputSchema.safeParse(body);
    if (!parsed.success) return place(zodIssues(parsed.error));
    setSubmitting(true);
    try {
      const updated = await receiptsApi.updateSettings(organization.id, parsed.data);
      reset(toForm(updated));
      setSaved(true);
      onSaved(updated);
    } catch (error) {
      report(error);
    } finally {
      setSubmitting(false);
    }
  };

  const text = (
    name: 'signerName' | 'signerTitle' | 'place',
    maxLength: number,
    autoComplete?: string,
  ) => (
    <Field
      label={t(`receipts.settings.fields.${name}`)}
      error={errors[name]}
      hint={t(`receipts.settings.hints.${name}`)}
      errorTestId={`receipt-settings-${name}-error`}
    >
      {(controlProps) => (
        <input
          {...controlProps}
          type="text"
          maxLength={maxLength}
          autoComplete={autoComplete ?? 'off'}
          data-testid={`receipt-settings-${name}`}
          {...register(name)}
        />
      )}
    </Field>
  );

  const mode = (name: 'defaultMode' | 'recurringMode') => (
    <Field
      label={t(`receipts.settings.fields.${name}`)}
      error={errors[name]}
      hint={t(`receipts.settings.hints.${name}`)}
      errorTestId={`receipt-settings-${name}-error`}
    >
      {(controlProps) => (
        <select {...controlProps} data-testid={`receipt-settings-${name}`} {...register(name)}>
          {RECEIPT_MODES.map((value) => (
            <option key={value} value={value}>
              {t(`receipts.modes.${value}`)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );

  const checkbox = (name: 'enabled' | 'article200' | 'article978' | 'sendByEmail') => (
    <div className={errors[name] ? 'field--invalid' : undefined}>
      <label className="checkbox-field">
        <input type="checkbox" data-testid={`receipt-settings-${name}`} {...register(name)} />
        {t(`receipts.settings.fields.${name}`)}
      </label>
      {errors[name] && (
        <p className="field__error" data-testid={`receipt-settings-${name}-error`}>
          {validationMessage(t, errors[name].message)}
        </p>
      )}
    </div>
  );

  return (
    <form
      id="receipt-settings-form"
      className="form"
      noValidate
      data-testid="receipt-settings-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <FormErrors messages={general} testId="receipt-settings-errors" />
      {saved && !isDirty && (
        <Alert kind="success">
          <span data-testid="receipt-settings-saved">{t('receipts.settings.saved')}</span>
        </Alert>
      )}
      <fieldset disabled={readOnly} className="form-sections">
        <fieldset className="form-section">
          <legend>{t('receipts.settings.sections.issuing')}</legend>
          <div className="form-grid">
            <div className="form-grid__full">
              {checkbox('enabled')}
              <p className="field__hint">{t('receipts.settings.hints.enabled')}</p>
            </div>
            {mode('defaultMode')}
            {mode('recurringMode')}
            <div className="form-grid__full">
              {checkbox('sendByEmail')}
              <p className="field__hint">{t('receipts.settings.hints.sendByEmail')}</p>
            </div>
          </div>
        </fieldset>
        <fieldset className="form-section">
          <legend>{t('receipts.settings.sections.articles')}</legend>
          <p className="muted">{t('receipts.settings.hints.articles')}</p>
          <div className="stack">
            {checkbox('article200')}
            {checkbox('article978')}
          </div>
        </fieldset>
        <fieldset className="form-section">
          <legend>{t('receipts.settings.sections.signer')}</legend>
          <div className="form-grid">
            {text('signerName', 120, 'name')}
            {text('signerTitle', 120)}
            {text('place', 100, 'address-level2')}
          </div>
        </fieldset>
        {rup && (
          <fieldset className="form-section" data-testid="receipt-settings-rup">
            <legend>{t('receipts.settings.sections.rup')}</legend>
            <div className="form-grid">
              {(['rupDecreeDate', 'rupJournalDate'] as const).map((name) => (
                <Field
                  key={name}
                  label={t(`receipts.settings.fields.${name}`)}
                  error={errors[name]}
                  hint={t(`receipts.settings.hints.${name}`)}
                  errorTestId={`receipt-settings-${name}-error`}
                >
                  {(controlProps) => (
                    <input
                      {...controlProps}
                      type="date"
                      data-testid={`receipt-settings-${name}`}
                      {...register(name)}
                    />
                  )}
                </Field>
              ))}
            </div>
          </fieldset>
        )}
      </fieldset>
      {!readOnly && (
        <div className="form-actions">
          <SubmitButton pending={submitting} testId="receipt-settings-save">
            {t('common.save')}
          </SubmitButton>
        </div>
      )}
    </form>
  );
}
