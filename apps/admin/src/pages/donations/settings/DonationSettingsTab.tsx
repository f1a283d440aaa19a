import { useCallback, useState } from 'react';
import { useFieldArray, useForm, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { donationSettingsInputSchema, type DonationSettingsView } from '@ruche/contracts';
import { donationsApi, type DonationSettingsBody } from '../../../api/donations';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { FormErrors } from '../../../components/FormErrors';
import { ResourceState } from '../../../components/ResourceState';
import { SubmitButton } from '../../../components/SubmitButton';
import { useFormErrors, zodIssues, type FieldIssue } from '../../../components/useFormErrors';
import { validationMessage } from '../../../i18n/messages';
import { useOrgCurrency } from '../../accounting/money';
import { centsToAmount } from '../../payments/paymentLabels';
import { amountItemsToCents, filledItems, toAmountItems, type AmountItem } from '../amounts';
import { AmountListField } from '../AmountListField';
import { DonationPageLinks } from '../campaigns/DonationPageLinks';

interface SettingsForm {
  suggestedAmounts: AmountItem[];
  monthlySuggestedAmounts: AmountItem[];
  /** As typed ("5", "5,00"). */
  minimum: string;
  expenseWaiverAccount: string;
}

type ListName = 'suggestedAmounts' | 'monthlySuggestedAmounts';
const LISTS: readonly ListName[] = ['suggestedAmounts', 'monthlySuggestedAmounts'];

const toForm = (settings: DonationSettingsView): SettingsForm => ({
  suggestedAmounts: toAmountItems(settings.suggestedAmounts),
  monthlySuggestedAmounts: toAmountItems(settings.monthlySuggestedAmounts),
  minimum: centsToAmount(settings.minimumCents),
  expenseWaiverAccount: settings.expenseWaiverAccount,
});

/** `donations/settings`: the amounts suggested on the public page, its minimum, the waiver account. */
export function DonationSettingsTab() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const settings = useResource(`donations:settings:${organization.id}`, (signal) =>
    donationsApi.settings(organization.id, signal),
  );
  return (
    <section className="panel" aria-labelledby="donation-settings-title">
      <h2 id="donation-settings-title">{t('donations.settings.title')}</h2>
      <p className="muted">{t('donations.settings.intro')}</p>
      <ResourceState resource={settings} />
      {settings.data && (
        <SettingsEditor
          initial={settings.data}
          readOnly={!organization.can('donations.configure')}
        />
      )}
      <DonationPageLinks title={t('donations.links.generalTitle')} testId="donation-page-links" />
    </section>
  );
}

function SettingsEditor({
  initial,
  readOnly,
}: {
  initial: DonationSettingsView;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const currency = useOrgCurrency();
  const [submitting, setSubmitting] = useState(false);
  const [saved, setSaved] = useState(false);
  const {
    register,
    control,
    getValues,
    setError,
    clearErrors,
    reset,
    formState: { errors, isDirty },
  } = useForm<SettingsForm>({ defaultValues: toForm(initial) });
  const once = useFieldArray({ control, name: 'suggestedAmounts' });
  const monthly = useFieldArray({ control, name: 'monthlySuggestedAmounts' });
  const arrays = { suggestedAmounts: once, monthlySuggestedAmounts: monthly };

  const fieldOf = useCallback((path: string): Path<SettingsForm> | null => {
    const [head, index] = path.split('.');
    if (head === 'minimum' || head === 'expenseWaiverAccount') return head;
    const list = LISTS.find((name) => name === head);
    if (!list) return null;
    return index !== undefined && /^\d+$/.test(index) ? `${list}.${Number(index)}.amount` : list;
  }, []);
  const labelOf = useCallback(
    (path: string) => {
      const head = path.split('.')[0];
      return head ? t(`donations.settings.fields.${head}`, { defaultValue: head }) : null;
    },
    [t],
  );
  const { general, place, report, clear } = useFormErrors(setError, { fieldOf, labelOf });

  const submit = async () => {
    clear();
    clearErrors();
    setSaved(false);
    const issues: FieldIssue[] = [];
    const cents: Record<ListName, number[]> = { suggestedAmounts: [], monthlySuggestedAmounts: [] };
    for (const name of LISTS) {
      const items = filledItems(getValues(name));
      arrays[name].replace(items);
      const result = amountItemsToCents(items, name);
      cents[name] = result.cents;
      issues.push(...result.issues);
    }
    if (issues.length > 0) return place(issues);
    const values = getValues();
    const body: DonationSettingsBody = {
      suggestedAmounts: cents.suggestedAmounts,
      monthlySuggestedAmounts: cents.monthlySuggestedAmounts,
      minimum: values.minimum.trim(),
      expenseWaiverAccount: values.expenseWaiverAccount,
    };
    const parsed = donationSettingsInputSchema.safeParse(body);
    if (!parsed.success) return place(zodIssues(parsed.error));
    setSubmitting(true);
    try {
      const updated = await donationsApi.updateSettings(organization.id, body);
      reset(toForm(updated));
      setSaved(true);
    } catch (error) {
      report(error);
    } finally {
      setSubmitting(false);
    }
  };

  const list = (name: ListName) => {
    const listErrors = errors[name];
    const listError = listErrors?.message ?? listErrors?.root?.message;
    return (
      <AmountListField
        legend={t(`donations.settings.fields.${name}`)}
        hint={t(`donations.settings.hints.${name}`)}
        currency={currency}
        rows={arrays[name].fields}
        register={(index) => register(`${name}.${index}.amount`)}
        errorAt={(index) => {
          const message = listErrors?.[index]?.amount?.message;
          return message === undefined ? undefined : validationMessage(t, message);
        }}
        error={listError ? validationMessage(t, listError) : undefined}
        onAdd={() => arrays[name].append({ amount: '' })}
        onRemove={(index) => arrays[name].remove(index)}
        disabled={readOnly}
        testId={`donation-settings-${name}`}
      />
    );
  };

  return (
    <form
      className="form"
      noValidate
      data-testid="donation-settings-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {readOnly && <Alert kind="info">{t('donations.settings.readOnly')}</Alert>}
      <FormErrors messages={general} testId="donation-settings-errors" />
      {saved && !isDirty && (
        <Alert kind="success">
          <span data-testid="donation-settings-saved">{t('donations.settings.saved')}</span>
        </Alert>
      )}
      <fieldset disabled={readOnly} className="form-sections">
        <fieldset className="form-section">
          <legend>{t('donations.settings.sections.page')}</legend>
          <div className="form-grid">
            {list('suggestedAmounts')}
            {list('monthlySuggestedAmounts')}
            <Field
              label={t('donations.settings.fields.minimumWithCurrency', { currency })}
              error={errors.minimum}
              hint={t('donations.settings.hints.minimum')}
              required
              className="field--narrow"
              errorTestId="donation-settings-minimum-error"
            >
              {(controlProps) => (
                <input
                  {...controlProps}
                  type="text"
                  inputMode="decimal"
                  autoComplete="off"
                  data-testid="donation-settings-minimum"
                  {...register('minimum')}
                />
              )}
            </Field>
          </div>
        </fieldset>
        <fieldset className="form-section">
          <legend>{t('donations.settings.sections.accounting')}</legend>
          <div className="form-grid">
            <Field
              label={t('donations.settings.fields.expenseWaiverAccount')}
              error={errors.expenseWaiverAccount}
              hint={t('donations.settings.hints.expenseWaiverAccount')}
              required
              errorTestId="donation-settings-expenseWaiverAccount-error"
            >
              {(controlProps) => (
                <input
                  {...controlProps}
                  type="text"
                  inputMode="numeric"
                  maxLength={12}
                  autoComplete="off"
                  data-testid="donation-settings-expenseWaiverAccount"
                  {...register('expenseWaiverAccount')}
                />
              )}
            </Field>
          </div>
        </fieldset>
      </fieldset>
      {!readOnly && (
        <div className="form-actions">
          <SubmitButton pending={submitting} testId="donation-settings-save">
            {t('common.save')}
          </SubmitButton>
        </div>
      )}
    </form>
  );
}
