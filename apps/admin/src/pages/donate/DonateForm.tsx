import { useCallback, useId, useRef, useState } from 'react';
import { useForm, useWatch, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import {
  CIVILITIES,
  donationCostAfterTax,
  publicDonationInputSchema,
  type DonationFrequency,
  type PublicDonationFormView,
  type TransferInstructionsView,
} from '@ruche/contracts';
import { publicDonationApi } from '../../api/donations';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { FormErrors } from '../../components/FormErrors';
import { SubmitButton } from '../../components/SubmitButton';
import { useFormErrors, zodIssues, type FieldIssue } from '../../components/useFormErrors';
import { validationMessage } from '../../i18n/messages';
import { goToCheckout } from '../join/JoinForm';
import { TransferPanel, transferAmount } from '../payments/TransferPanel';
import {
  chosenCents,
  donateMethods,
  emptyDonateForm,
  isDonateField,
  monthlyAllowed,
  suggestedFor,
  toDonateBody,
  type DonateFormValues,
} from './donateForm';

interface DonateFormProps {
  orgId: string;
  view: PublicDonationFormView;
  /** In an iframe of the association's site: Checkout opens in the whole window. */
  embedded: boolean;
}

type PersonField =
  | 'companyName'
  | 'siren'
  | 'firstName'
  | 'lastName'
  | 'email'
  | 'phone'
  | 'addressLine1'
  | 'postalCode'
  | 'city'
  | 'country';

/** Cents as money for donors: whole euros without decimals ("100 €"), else "12,50 €". */
export function formatGift(cents: number, currency: string, locale: string): string {
  const whole = cents % 100 === 0;
  try {
    return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'fr-FR', {
      style: 'currency',
      currency,
      minimumFractionDigits: whole ? 0 : 2,
      maximumFractionDigits: whole ? 0 : 2,
    }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(whole ? 0 : 2)} ${currency}`;
  }
}

/** Keeps the first issue of each field (the most specific check comes first). */
function firstPerField(issues: readonly FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    if (seen.has(issue.field)) return false;
    seen.add(issue.field);
    return true;
  });
}

/**
 * The donation form: once or monthly, an amount (suggested or typed), a person or a company, the
 * donor's details, the fiscal receipt (with the cost after the tax reduction), then the payment
 * method; the browser then goes to Stripe Checkout, or for a transfer (a single gift only) the
 * account, amount and reference to use are shown here.
 */
export function DonateForm({ orgId, view, embedded }: DonateFormProps) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [submitting, setSubmitting] = useState(false);
  const [checkoutUrl, setCheckoutUrl] = useState<string | null>(null);
  const [transfer, setTransfer] = useState<TransferInstructionsView | null>(null);
  const methods = donateMethods(view);
  const {
    register,
    control,
    getValues,
    setValue,
    setError,
    clearErrors,
    formState: { errors },
  } = useForm<DonateFormValues>({ defaultValues: emptyDonateForm(view) });
  const frequency = useWatch({ control, name: 'frequency' });
  const preset = useWatch({ control, name: 'preset' });
  const typed = useWatch({ control, name: 'amount' });
  const donorKind = useWatch({ control, name: 'donorKind' });
  const wantsReceipt = useWatch({ control, name: 'wantsReceipt' });
  const method = useWatch({ control, name: 'method' });
  const byTransfer = method === 'transfer';
  const company = donorKind === 'company';
  const receiptAsked = view.receipts && wantsReceipt;
  const monthly = monthlyAllowed(view) && frequency === 'monthly';
  const suggested = suggestedFor(view, monthly ? 'monthly' : 'once');
  const cents = chosenCents({ preset, amount: typed });
  const locale = i18n.language;
  const money = (value: number) => formatGift(value, view.currency, locale);

  const fieldOf = useCallback(
    (path: string): Path<DonateFormValues> | null => {
      if (!isDonateField(path)) return null;
      if (!company && (path === 'companyName' || path === 'siren')) return null;
      if (!view.receipts && path === 'wantsReceipt') return null;
      if (!monthlyAllowed(view) && path === 'frequency') return null;
      return path;
    },
    [company, view],
  );
  const labelOf = useCallback(
    (path: string) => (isDonateField(path) ? t(`donate.fieldNames.${path}`) : null),
    [t],
  );
  const { general, place, report, clear } = useFormErrors(setError, { fieldOf, labelOf });

  const showFirstError = () =>
    window.requestAnimationFrame(() => {
      const form = formRef.current;
      const target =
        form?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
        form?.querySelector<HTMLElement>('.field__error, [role="alert"]');
      target?.scrollIntoView({ block: 'center' });
      if (target?.matches('input, select, textarea')) target.focus({ preventScroll: true });
    });

  const chooseFrequency = (next: DonationFrequency) => {
    const first = suggestedFor(view, next)[0];
    setValue('frequency', next);
    setValue('preset', first === undefined ? '' : String(first));
    setValue('amount', '');
    clearErrors(['amount', 'frequency']);
  };

  const submit = async () => {
    clear();
    clearErrors();
    const values = getValues();
    const issues: FieldIssue[] = [];
    if (!values.preset && !values.amount.trim()) {
      issues.push({ field: 'amount', message: t('donate.amount.choose') });
    }
    const body = toDonateBody(values, view, locale === 'en' ? 'en' : 'fr');
    const parsed = publicDonationInputSchema.safeParse(body);
    if (!parsed.success) issues.push(...zodIssues(parsed.error));
    else if (parsed.data.amount < view.minimumCents) {
      issues.push({
        field: 'amount',
        message: t('donate.amount.minimum', { amount: money(view.minimumCents) }),
      });
    }
    if (issues.length > 0) {
      place(firstPerField(issues));
      showFirstError();
      return;
    }
    setSubmitting(true);
    try {
      const result = await publicDonationApi.donate(orgId, body);
      if (result.transfer) {
        // No redirection: the bank details and the reference are shown here (and e-mailed).
        setTransfer(result.transfer);
        setSubmitting(false);
        return;
      }
      // Not a transfer: the gift is paid at Checkout, so an answer without its page is a failure.
      if (!result.checkoutUrl) throw new Error('Neither a Checkout page nor transfer details');
      setCheckoutUrl(result.checkoutUrl);
      goToCheckout(result.checkoutUrl, embedded);
    } catch (error) {
      report(error);
      showFirstError();
      setSubmitting(false);
    }
  };

  if (transfer) {
    return (
      <TransferPanel
        transfer={transfer}
        testIdPrefix="donate"
        title={t('donate.transfer.title')}
        intro={t('donate.transfer.intro', { amount: transferAmount(transfer) })}
        explanation={t('donate.transfer.explanation')}
      />
    );
  }

  if (checkoutUrl) {
    return (
      <section className="panel" data-testid="donate-redirecting">
        <div className="loading" role="status" aria-live="polite">
          <span className="spinner" aria-hidden="true" />
          {t('donate.redirecting')}
        </div>
        <p>
          <a href={checkoutUrl} target="_top" data-testid="donate-checkout-link">
            {t('donate.redirectLink')}
          </a>
        </p>
      </section>
    );
  }

  const hasFieldErrors = Object.keys(errors).length > 0;
  const amountId = `${id}-amount`;
  const amountErrorId = `${id}-amount-error`;
  const amountHintId = `${id}-amount-hint`;
  const receiptId = `${id}-receipt`;
  const methodErrorId = `${id}-method-error`;
  const frequencyNoteId = `${id}-frequency-note`;
  const choosePreset = (value: number) => {
    setValue('preset', String(value));
    setValue('amount', '');
    clearErrors('amount');
  };
  const amountInput = register('amount', {
    onChange: (event: { target: { value: string } }) => {
      if (event.target.value.trim() !== '') setValue('preset', '');
    },
  });

  const person = (
    name: PersonField,
    props: {
      type?: string;
      autoComplete: string;
      inputMode?: 'text' | 'tel' | 'email' | 'numeric';
      required?: boolean;
      hint?: string;
      full?: boolean;
      uppercase?: boolean;
      label?: string;
    },
  ) => (
    <Field
      label={props.label ?? t(`donate.fieldNames.${name}`)}
      error={errors[name]}
      hint={props.hint}
      required={props.required}
      alertError
      className={props.full ? 'form-grid__full' : undefined}
      errorTestId={`donate-${name}-error`}
    >
      {(controlProps) => (
        <input
          {...controlProps}
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete}
          inputMode={props.inputMode}
          data-testid={`donate-${name}`}
          {...register(
            name,
            props.uppercase ? { setValueAs: (value: string) => value.toUpperCase() } : undefined,
          )}
        />
      )}
    </Field>
  );

  let preview: string | null = null;
  if (receiptAsked && view.rates && cents !== null && cents > 0) {
    const yearly = monthly ? cents * 12 : cents;
    const { costCents } = donationCostAfterTax(yearly, donorKind, view.rates);
    const key = `donate.preview.${company ? 'company' : 'person'}${monthly ? 'Monthly' : ''}`;
    preview = t(key, { amount: money(cents), yearly: money(yearly), cost: money(costCents) });
  }

  return (
    <form
      ref={formRef}
      className="form join__form"
      noValidate
      data-testid="donate-form"
      aria-label={t('donate.formLabel')}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <p className="muted">{t('donate.requiredNote')}</p>

      <fieldset className="form-section" data-testid="donate-amounts">
        <legend>{t('donate.amount.legend')}</legend>
        {monthlyAllowed(view) && (
          <div
            className="segmented donate__frequency"
            role="group"
            aria-label={t('donate.frequency.label')}
          >
            {(['once', 'monthly'] as const).map((value) => {
              // A transfer pays a single gift: monthly is a card or a debit (the API refuses it).
              const closed = value === 'monthly' && byTransfer;
              return (
                <label key={value} className="segmented__option">
                  <input
                    type="radio"
                    name={`${id}-frequency`}
                    value={value}
                    checked={frequency === value}
                    disabled={closed}
                    aria-describedby={closed ? frequencyNoteId : undefined}
                    data-testid={`donate-frequency-${value}`}
                    onChange={() => chooseFrequency(value)}
                  />
                  {t(`donate.frequency.${value}`)}
                </label>
              );
            })}
          </div>
        )}
        {monthlyAllowed(view) && byTransfer && (
          <p id={frequencyNoteId} className="field__hint" data-testid="donate-monthly-transfer">
            {t('donate.frequency.notWithTransfer')}
          </p>
        )}
        {suggested.length > 0 && (
          <div
            className="amount-choices"
            role="group"
            aria-label={t('donate.amount.suggested')}
            data-testid="donate-suggested"
          >
            {suggested.map((value) => (
              <button
                key={value}
                type="button"
                className="amount-choice"
                aria-pressed={preset === String(value)}
                data-testid={`donate-amount-${value}`}
                onClick={() => choosePreset(value)}
              >
                {monthly ? t('donate.amount.perMonth', { amount: money(value) }) : money(value)}
              </button>
            ))}
          </div>
        )}
        <div
          className={`field field--narrow donate__other${errors.amount ? ' field--invalid' : ''}`}
        >
          <label htmlFor={amountId}>
            {suggested.length > 0
              ? t(monthly ? 'donate.amount.otherMonthly' : 'donate.amount.other', {
                  currency: view.currency,
                })
              : t(monthly ? 'donate.amount.typedMonthly' : 'donate.amount.typed', {
                  currency: view.currency,
                })}
          </label>
          <input
            id={amountId}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            aria-invalid={Boolean(errors.amount)}
            aria-describedby={`${amountHintId}${errors.amount ? ` ${amountErrorId}` : ''}`}
            data-testid="donate-amount"
            {...amountInput}
          />
          <p id={amountHintId} className="field__hint">
            {t('donate.amount.hint', { amount: money(view.minimumCents) })}
          </p>
          {errors.amount && (
            <p
              id={amountErrorId}
              className="field__error"
              role="alert"
              data-testid="donate-amount-error"
            >
              {validationMessage(t, errors.amount.message)}
            </p>
          )}
        </div>
        {errors.frequency && (
          <p className="field__error" role="alert" data-testid="donate-frequency-error">
            {validationMessage(t, errors.frequency.message)}
          </p>
        )}
      </fieldset>

      <fieldset className="form-section" data-testid="donate-person">
        <legend>{t('donate.person.legend')}</legend>
        <fieldset className="field field--group">
          <legend>{t('donate.person.donorKind')}</legend>
          <div className="segmented">
            {(['person', 'company'] as const).map((value) => (
              <label key={value} className="segmented__option">
                <input
                  type="radio"
                  value={value}
                  data-testid={`donate-donorKind-${value}`}
                  {...register('donorKind')}
                />
                {t(`donate.person.donorKinds.${value}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="form-grid">
          {company &&
            person('companyName', { autoComplete: 'organization', required: true, full: true })}
          {company &&
            person('siren', {
              autoComplete: 'off',
              inputMode: 'numeric',
              hint: t('donate.person.sirenHint'),
            })}
          {company && <p className="form-grid__full muted">{t('donate.person.companyContact')}</p>}
          <Field
            label={t('donate.fieldNames.civility')}
            error={errors.civility}
            alertError
            errorTestId="donate-civility-error"
          >
            {(controlProps) => (
              <select
                {...controlProps}
                autoComplete="honorific-prefix"
                data-testid="donate-civility"
                {...register('civility')}
              >
                <option value="">{t('join.person.civilityNone')}</option>
                {CIVILITIES.map((civility) => (
                  <option key={civility} value={civility}>
                    {t(`contacts.civilities.${civility}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {person('firstName', { autoComplete: 'given-name', required: true })}
          {person('lastName', { autoComplete: 'family-name', required: true })}
          {person('email', {
            type: 'email',
            inputMode: 'email',
            autoComplete: 'email',
            required: true,
            hint: t('donate.person.emailHint'),
          })}
          {person('phone', { type: 'tel', inputMode: 'tel', autoComplete: 'tel' })}
          {person('addressLine1', {
            autoComplete: 'address-line1',
            full: true,
            required: receiptAsked,
          })}
          {person('postalCode', { autoComplete: 'postal-code', required: receiptAsked })}
          {person('city', { autoComplete: 'address-level2', required: receiptAsked })}
          {person('country', {
            autoComplete: 'country',
            uppercase: true,
            hint: t('contacts.hints.country'),
          })}
        </div>
      </fieldset>

      {view.receipts && (
        <fieldset className="form-section" data-testid="donate-receipt">
          <legend>{t('donate.receipt.legend')}</legend>
          <div className={errors.wantsReceipt ? 'field--invalid' : undefined}>
            <div className="checkbox-field">
              <input
                id={receiptId}
                type="checkbox"
                aria-describedby={`${receiptId}-hint`}
                data-testid="donate-wantsReceipt"
                {...register('wantsReceipt')}
              />
              <label htmlFor={receiptId}>{t('donate.receipt.wants')}</label>
            </div>
            <p id={`${receiptId}-hint`} className="field__hint">
              {t('donate.receipt.hint')}
            </p>
            {errors.wantsReceipt && (
              <p className="field__error" role="alert">
                {validationMessage(t, errors.wantsReceipt.message)}
              </p>
            )}
          </div>
          {preview && (
            <p className="donate__preview" aria-live="polite" data-testid="donate-tax-preview">
              {preview}
            </p>
          )}
          {preview && <p className="field__hint">{t('donate.preview.note')}</p>}
        </fieldset>
      )}

      <fieldset className="form-section" data-testid="donate-consents">
        <legend>{t('donate.consents.legend')}</legend>
        <label className="checkbox-field">
          <input type="checkbox" data-testid="donate-newsletter" {...register('newsletter')} />
          <span>{t('memberSpace.account.consentKinds.newsletter')}</span>
        </label>
      </fieldset>

      <fieldset
        className={`form-section${errors.method ? ' field--invalid' : ''}`}
        aria-describedby={errors.method ? methodErrorId : undefined}
        data-testid="donate-methods"
      >
        <legend>{t('donate.method.legend')}</legend>
        <div className="stack">
          {methods.map((option) => {
            // A monthly gift is a Stripe subscription: not by transfer.
            const closed = option === 'transfer' && monthly;
            return (
              <label key={option} className="checkbox-field">
                <input
                  type="radio"
                  value={option}
                  disabled={closed}
                  data-testid={`donate-method-${option}`}
                  {...register('method')}
                />
                <span>
                  {t(`join.method.${option}`)}
                  {option === 'transfer' && (
                    <span className="cell-note">
                      {closed ? t('donate.method.transferOnce') : t('donate.method.transferHint')}
                    </span>
                  )}
                </span>
              </label>
            );
          })}
        </div>
        {monthly && <p className="field__hint">{t('donate.method.monthlyHint')}</p>}
        {errors.method && (
          <p
            id={methodErrorId}
            className="field__error"
            role="alert"
            data-testid="donate-method-error"
          >
            {validationMessage(t, errors.method.message)}
          </p>
        )}
      </fieldset>

      {cents !== null && cents > 0 && (
        <p className="join__total" data-testid="donate-total" data-cents={cents}>
          {monthly
            ? t('donate.totalMonthly', { amount: money(cents) })
            : t('donate.total', { amount: money(cents) })}
        </p>
      )}
      <FormErrors messages={general} testId="donate-errors" />
      {general.length === 0 && hasFieldErrors && (
        <Alert kind="error">
          <span data-testid="donate-check-fields">{t('join.checkFields')}</span>
        </Alert>
      )}
      <div className="join__submit">
        <SubmitButton pending={submitting} testId="donate-submit">
          {t('donate.submit')}
        </SubmitButton>
        <p className="field__hint">
          {byTransfer ? t('donate.submitTransferHint') : t('donate.submitHint')}
        </p>
      </div>
    </form>
  );
}
