import { useCallback, useState } from 'react';
import { useForm, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { stripeSettingsInputSchema, type StripeSettingsView } from '@ruche/contracts';
import { stripeApi } from '../../../api/payments';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { FormErrors } from '../../../components/FormErrors';
import { SubmitButton } from '../../../components/SubmitButton';
import { useFormErrors, zodIssues } from '../../../components/useFormErrors';

interface KeysForm {
  secretKey: string;
  webhookSecret: string;
  publishableKey: string;
}

const FIELDS = [
  'secretKey',
  'webhookSecret',
  'publishableKey',
] as const satisfies readonly (keyof KeysForm)[];

/** The secrets are never shown again: the form starts empty, except the publishable key. */
const toForm = (settings: StripeSettingsView): KeysForm => ({
  secretKey: '',
  webhookSecret: '',
  publishableKey: settings.publishableKey ?? '',
});

interface StripeKeysFormProps {
  settings: StripeSettingsView;
  onSaved: () => void;
}

/** Connects the association's Stripe account, or replaces its keys (both secrets each time). */
export function StripeKeysForm({ settings, onSaved }: StripeKeysFormProps) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const [submitting, setSubmitting] = useState(false);
  const [saved, setSaved] = useState<StripeSettingsView | null>(null);
  const {
    register,
    getValues,
    setError,
    clearErrors,
    reset,
    formState: { errors },
  } = useForm<KeysForm>({ defaultValues: toForm(settings) });
  const fieldOf = useCallback(
    (path: string): Path<KeysForm> | null => FIELDS.find((field) => field === path) ?? null,
    [],
  );
  const { general, place, report, clear } = useFormErrors(setError, { fieldOf });

  const submit = async () => {
    clear();
    clearErrors();
    setSaved(null);
    const parsed = stripeSettingsInputSchema.safeParse(getValues());
    if (!parsed.success) return place(zodIssues(parsed.error));
    setSubmitting(true);
    try {
      const updated = await stripeApi.save(organization.id, parsed.data);
      reset(toForm(updated));
      setSaved(updated);
      onSaved();
    } catch (error) {
      report(error);
    } finally {
      setSubmitting(false);
    }
  };

  const secret = (name: 'secretKey' | 'webhookSecret', placeholder: string) => (
    <Field
      label={t(`stripe.keys.${name}`)}
      error={errors[name]}
      hint={t(`stripe.keys.hints.${name}`)}
      errorTestId={`stripe-${name}-error`}
      required
    >
      {(control) => (
        <input
          {...control}
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          placeholder={placeholder}
          data-testid={`stripe-${name}`}
          {...register(name)}
        />
      )}
    </Field>
  );

  return (
    <section className="panel" aria-labelledby="stripe-keys-title">
      <h2 id="stripe-keys-title">
        {settings.connected ? t('stripe.keys.replaceTitle') : t('stripe.keys.connectTitle')}
      </h2>
      <p className="muted">{t('stripe.keys.intro')}</p>
      <form
        className="form"
        noValidate
        data-testid="stripe-keys-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <FormErrors messages={general} testId="stripe-keys-errors" />
        {saved && (
          <Alert kind="success">
            <span data-testid="stripe-keys-saved">
              {saved.mode === 'live' ? t('stripe.keys.savedLive') : t('stripe.keys.savedTest')}
            </span>
          </Alert>
        )}
        <div className="form-grid">
          {secret('secretKey', 'sk_test_…')}
          {secret('webhookSecret', 'whsec_…')}
          <Field
            label={t('stripe.keys.publishableKey')}
            error={errors.publishableKey}
            hint={t('stripe.keys.hints.publishableKey')}
            errorTestId="stripe-publishableKey-error"
          >
            {(control) => (
              <input
                {...control}
                type="text"
                autoComplete="off"
                spellCheck={false}
                placeholder="pk_test_…"
                data-testid="stripe-publishableKey"
                {...register('publishableKey')}
              />
            )}
          </Field>
        </div>
        <div className="form-actions">
          <SubmitButton pending={submitting} testId="stripe-save">
            {settings.connected ? t('stripe.keys.replace') : t('stripe.keys.connect')}
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}
