import { useCallback, useState } from 'react';
import { useForm, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import {
  invoiceSettingsInputSchema,
  type InvoiceSettingsInput,
  type InvoiceSettingsView,
} from '@ruche/contracts';
import { invoicesApi } from '../../../api/invoices';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { FormErrors } from '../../../components/FormErrors';
import { ResourceState } from '../../../components/ResourceState';
import { SubmitButton } from '../../../components/SubmitButton';
import { useFormErrors, zodIssues } from '../../../components/useFormErrors';

interface SettingsForm {
  vatMention: string;
  legalMention: string;
}

const FIELDS = ['vatMention', 'legalMention'] as const satisfies readonly (keyof SettingsForm)[];
const isSettingsField = (path: string): path is (typeof FIELDS)[number] =>
  FIELDS.some((field) => field === path);

const toForm = (settings: InvoiceSettingsView): SettingsForm => ({
  vatMention: settings.vatMention,
  legalMention: settings.legalMention ?? '',
});

/**
 * Settings › Factures: what invoices and credit notes print besides the sale (the VAT mention,
 * « TVA non applicable, article 261-7-1° b du CGI » by default, and a legal mention). Issued
 * documents keep what they printed.
 */
export function InvoiceSettingsTab() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const settings = useResource(`invoices:settings:${organization.id}`, (signal) =>
    invoicesApi.settings(organization.id, signal),
  );
  const readOnly = !organization.can('payments.configure');
  return (
    <section className="panel" aria-labelledby="invoice-settings-title">
      <h2 id="invoice-settings-title">{t('settings.tabs.invoices')}</h2>
      <p className="muted">{t('invoices.settings.intro')}</p>
      {readOnly && <Alert kind="info">{t('invoices.settings.readOnly')}</Alert>}
      <ResourceState resource={settings} />
      {settings.data && <InvoiceSettingsForm initial={settings.data} readOnly={readOnly} />}
    </section>
  );
}

function InvoiceSettingsForm({
  initial,
  readOnly,
}: {
  initial: InvoiceSettingsView;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const [submitting, setSubmitting] = useState(false);
  const [saved, setSaved] = useState(false);
  const {
    register,
    getValues,
    setValue,
    setError,
    clearErrors,
    reset,
    formState: { errors, isDirty },
  } = useForm<SettingsForm>({ defaultValues: toForm(initial) });
  const fieldOf = useCallback(
    (path: string): Path<SettingsForm> | null => (isSettingsField(path) ? path : null),
    [],
  );
  const labelOf = useCallback(
    (path: string) => (isSettingsField(path) ? t(`invoices.settings.fields.${path}`) : null),
    [t],
  );
  const { general, place, report, clear } = useFormErrors(setError, { fieldOf, labelOf });

  const submit = async () => {
    clear();
    clearErrors();
    setSaved(false);
    const values = getValues();
    const body: InvoiceSettingsInput = {
      vatMention: values.vatMention,
      legalMention: values.legalMention.trim() || null,
    };
    const parsed = invoiceSettingsInputSchema.safeParse(body);
    if (!parsed.success) return place(zodIssues(parsed.error));
    setSubmitting(true);
    try {
      reset(toForm(await invoicesApi.updateSettings(organization.id, parsed.data)));
      setSaved(true);
    } catch (error) {
      report(error);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <form
      className="form"
      noValidate
      data-testid="invoice-settings-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <FormErrors messages={general} testId="invoice-settings-errors" />
      {saved && !isDirty && (
        <Alert kind="success">
          <span data-testid="invoice-settings-saved">{t('invoices.settings.saved')}</span>
        </Alert>
      )}
      <fieldset disabled={readOnly} className="form-sections">
        <div className="form-grid">
          <Field
            className="form-grid__full"
            label={t('invoices.settings.fields.vatMention')}
            error={errors.vatMention}
            hint={t('invoices.settings.hints.vatMention', {
              mention: initial.defaultVatMention,
            })}
            errorTestId="invoice-settings-vatMention-error"
            required
          >
            {(controlProps) => (
              <input
                {...controlProps}
                type="text"
                maxLength={300}
                autoComplete="off"
                data-testid="invoice-settings-vatMention"
                {...register('vatMention')}
              />
            )}
          </Field>
          <Field
            className="form-grid__full"
            label={t('invoices.settings.fields.legalMention')}
            error={errors.legalMention}
            hint={t('invoices.settings.hints.legalMention')}
            errorTestId="invoice-settings-legalMention-error"
          >
            {(controlProps) => (
              <textarea
                {...controlProps}
                rows={3}
                maxLength={500}
                data-testid="invoice-settings-legalMention"
                {...register('legalMention')}
              />
            )}
          </Field>
        </div>
      </fieldset>
      {!readOnly && (
        <div className="form-actions">
          <button
            type="button"
            className="button"
            data-testid="invoice-settings-default"
            onClick={() => setValue('vatMention', initial.defaultVatMention, { shouldDirty: true })}
          >
            {t('invoices.settings.useDefault')}
          </button>
          <SubmitButton pending={submitting} testId="invoice-settings-save">
            {t('common.save')}
          </SubmitButton>
        </div>
      )}
    </form>
  );
}
