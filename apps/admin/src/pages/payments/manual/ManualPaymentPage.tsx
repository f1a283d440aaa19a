import { useCallback, useState } from 'react';
import { useForm, useWatch, type Path } from 'react-hook-form';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { MANUAL_PAYMENT_METHODS, manualPaymentInputSchema } from '@ruche/contracts';
import { paymentsApi } from '../../../api/payments';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { FormErrors } from '../../../components/FormErrors';
import { SubmitButton } from '../../../components/SubmitButton';
import { useFormErrors, zodIssues } from '../../../components/useFormErrors';
import { validationMessage } from '../../../i18n/messages';
import { useOrgCurrency } from '../../accounting/money';
import { ContactPicker } from '../../members/detail/ContactPicker';
import { readDeskPrefill } from '../deskPrefill';
import {
  isManualPaymentField,
  MANUAL_LABEL_MAX,
  MANUAL_REFERENCE_MAX,
  manualPaymentDefaults,
  toManualPaymentBody,
  type ManualPaymentFormValues,
} from './manualPaymentForm';

type TextField = 'label' | 'reference' | 'chequeNumber' | 'chequeBank' | 'chequeDrawer';

/**
 * `payments/new`: money received at the desk for no membership (a sale, a contribution...):
 * cheque, cash or transfer, recorded as received and posted at once; then its page. Opened with
 * `?amount=…&receivedOn=…&method=transfer&label=…&reference=…&returnTo=…` (from a bank statement
 * line), it starts with those and goes back to `returnTo` once saved.
 */
export function ManualPaymentPage() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const navigate = useNavigate();
  const currency = useOrgCurrency();
  const [params] = useSearchParams();
  // Read once: the form keeps what the URL gave it when it opened.
  const [prefill] = useState(() => readDeskPrefill(params));
  const returnTo = prefill.returnTo;
  /** Back and "Annuler": where the form came from, else the list. */
  const back = returnTo ? { to: returnTo } : ({ to: '..', relative: 'path' } as const);
  const [submitting, setSubmitting] = useState(false);
  const [contact, setContact] = useState<{ id: string; displayName: string } | null>(null);
  const {
    register,
    control,
    getValues,
    setValue,
    setError,
    clearErrors,
    formState: { errors },
  } = useForm<ManualPaymentFormValues>({ defaultValues: manualPaymentDefaults(prefill) });
  const method = useWatch({ control, name: 'method' });
  const cheque = method === 'cheque';

  const fieldOf = useCallback(
    (path: string): Path<ManualPaymentFormValues> | null => {
      if (!isManualPaymentField(path)) return null;
      // The cheque's inputs are only on screen for a cheque; else their errors go above.
      if (!cheque && (path === 'chequeNumber' || path === 'chequeBank' || path === 'chequeDrawer'))
        return null;
      return path;
    },
    [cheque],
  );
  const labelOf = useCallback(
    (path: string) => (isManualPaymentField(path) ? t(`payments.manual.fields.${path}`) : null),
    [t],
  );
  const { general, place, report, clear } = useFormErrors(setError, { fieldOf, labelOf });

  const pickContact = (picked: { id: string; displayName: string } | null) => {
    setContact(picked);
    setValue('contactId', picked?.id ?? '');
    clearErrors('contactId');
  };

  const submit = async () => {
    clear();
    clearErrors();
    const body = toManualPaymentBody(getValues());
    const parsed = manualPaymentInputSchema.safeParse(body);
    if (!parsed.success) return place(zodIssues(parsed.error));
    setSubmitting(true);
    try {
      const payment = await paymentsApi.createManual(organization.id, body);
      await navigate(returnTo ?? `/orgs/${organization.id}/payments/${payment.id}`);
    } catch (error) {
      report(error);
      setSubmitting(false);
    }
  };

  const text = (
    name: TextField,
    props: { maxLength: number; hint?: string; full?: boolean; required?: boolean },
  ) => (
    <Field
      label={t(`payments.manual.fields.${name}`)}
      error={errors[name]}
      hint={props.hint}
      required={props.required}
      className={props.full ? 'form-grid__full' : undefined}
      errorTestId={`manual-${name}-error`}
    >
      {(controlProps) => (
        <input
          {...controlProps}
          type="text"
          maxLength={props.maxLength}
          autoComplete="off"
          data-testid={`manual-${name}`}
          {...register(name)}
        />
      )}
    </Field>
  );

  return (
    <section className="panel" aria-labelledby="manual-payment-title">
      <p>
        <Link {...back} data-testid="manual-back">
          ← {returnTo ? t('payments.manual.backToReturn') : t('payments.detail.backToList')}
        </Link>
      </p>
      <h2 id="manual-payment-title">{t('payments.manual.title')}</h2>
      <p className="muted">{t('payments.manual.intro')}</p>
      {returnTo && (
        <Alert kind="info">
          <span data-testid="manual-return">{t('payments.manual.returnNotice')}</span>
        </Alert>
      )}
      <form
        className="form"
        noValidate
        data-testid="manual-payment-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <FormErrors messages={general} testId="manual-errors" />
        <div className="form-sections">
          <fieldset className="form-section">
            <legend>{t('payments.manual.payment')}</legend>
            <div className="form-grid">
              <div className="form-grid__full">
                {contact ? (
                  <div className="field">
                    <span>{t('payments.manual.fields.contactId')}</span>
                    <p className="button-row" data-testid="manual-contact-selected">
                      <strong>{contact.displayName}</strong>
                      <button
                        type="button"
                        className="button button--small"
                        data-testid="manual-contact-clear"
                        aria-label={t('payments.manual.contactClear', {
                          name: contact.displayName,
                        })}
                        onClick={() => pickContact(null)}
                      >
                        ×
                      </button>
                    </p>
                    {errors.contactId && (
                      <p className="field__error" data-testid="manual-contact-error">
                        {validationMessage(t, errors.contactId.message)}
                      </p>
                    )}
                  </div>
                ) : (
                  <ContactPicker
                    label={t('payments.manual.fields.contactId')}
                    excluded={[]}
                    kind="any"
                    testId="manual-contact"
                    error={
                      errors.contactId ? validationMessage(t, errors.contactId.message) : undefined
                    }
                    onPick={(picked) =>
                      pickContact({ id: picked.id, displayName: picked.displayName })
                    }
                  />
                )}
                <p className="field__hint">{t('payments.manual.contactHint')}</p>
              </div>
              {text('label', {
                maxLength: MANUAL_LABEL_MAX,
                hint: t('payments.manual.labelHint'),
                full: true,
                required: true,
              })}
              <Field
                label={t('payments.manual.amount', { currency })}
                error={errors.amount}
                hint={t('payments.manual.amountHint')}
                required
                className="field--narrow"
                errorTestId="manual-amount-error"
              >
                {(controlProps) => (
                  <input
                    {...controlProps}
                    type="text"
                    inputMode="decimal"
                    autoComplete="off"
                    data-testid="manual-amount"
                    {...register('amount')}
                  />
                )}
              </Field>
              <Field
                label={t('payments.manual.fields.receivedOn')}
                error={errors.receivedOn}
                required
                errorTestId="manual-receivedOn-error"
              >
                {(controlProps) => (
                  <input
                    {...controlProps}
                    type="date"
                    data-testid="manual-receivedOn"
                    {...register('receivedOn')}
                  />
                )}
              </Field>
              <fieldset
                className={`field field--group form-grid__full${errors.method ? ' field--invalid' : ''}`}
                aria-describedby={errors.method ? 'manual-method-error' : undefined}
              >
                <legend>{t('payments.manual.fields.method')}</legend>
                <div className="segmented">
                  {MANUAL_PAYMENT_METHODS.map((value) => (
                    <label key={value} className="segmented__option">
                      <input
                        type="radio"
                        value={value}
                        data-testid={`manual-method-${value}`}
                        {...register('method')}
                      />
                      {t(`memberships.payment.methods.${value}`)}
                    </label>
                  ))}
                </div>
                {errors.method && (
                  <p
                    id="manual-method-error"
                    className="field__error"
                    data-testid="manual-method-error"
                  >
                    {validationMessage(t, errors.method.message)}
                  </p>
                )}
              </fieldset>
            </div>
          </fieldset>

          {cheque && (
            <fieldset className="form-section" data-testid="manual-cheque">
              <legend>{t('payments.manual.cheque')}</legend>
              <div className="form-grid">
                {text('chequeNumber', { maxLength: 30 })}
                {text('chequeBank', { maxLength: 100 })}
                {text('chequeDrawer', {
                  maxLength: 200,
                  hint: t('payments.manual.chequeDrawerHint'),
                })}
              </div>
            </fieldset>
          )}

          <fieldset className="form-section">
            <legend>{t('payments.manual.more')}</legend>
            <div className="form-grid">
              {text('reference', {
                maxLength: MANUAL_REFERENCE_MAX,
                hint: cheque
                  ? t('payments.manual.referenceHintCheque')
                  : t('payments.manual.referenceHint'),
              })}
              <Field
                label={t('payments.manual.fields.revenueAccount')}
                error={errors.revenueAccount}
                hint={t('payments.manual.revenueAccountHint')}
                errorTestId="manual-revenueAccount-error"
              >
                {(controlProps) => (
                  <input
                    {...controlProps}
                    type="text"
                    inputMode="numeric"
                    autoComplete="off"
                    data-testid="manual-revenueAccount"
                    {...register('revenueAccount')}
                  />
                )}
              </Field>
            </div>
          </fieldset>
        </div>
        <div className="form-actions button-row">
          <Link {...back} className="button">
            {t('common.cancel')}
          </Link>
          <SubmitButton pending={submitting} testId="manual-submit">
            {t('payments.manual.submit')}
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}
