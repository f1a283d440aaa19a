import { useCallback, useId, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import {
  Controller,
  useForm,
  useWatch,
  type Control,
  type Path,
  type UseFormRegister,
  type UseFormRegisterReturn,
} from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import {
  CIVILITIES,
  joinInputSchema,
  monthlyInstalments,
  type CustomFieldDefinitionView,
  type PublicJoinFormView,
  type PublicPlanView,
  type TransferInstructionsView,
} from '@ruche/contracts';
import { joinApi } from '../../api/join';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { FormErrors } from '../../components/FormErrors';
import { SubmitButton } from '../../components/SubmitButton';
import { useFormErrors, zodIssues, type FieldIssue } from '../../components/useFormErrors';
import { validationMessage } from '../../i18n/messages';
import { amountToCents, formatMoney } from '../accounting/money';
import { TransferPanel, transferAmount } from '../payments/TransferPanel';
import {
  activeCustomFields,
  amountDue,
  autoRenewPossible,
  defaultTier,
  emptyJoinForm,
  isJoinField,
  isMissing,
  joinMethods,
  offersAutoRenew,
  toJoinBody,
  type JoinFormValues,
} from './joinForm';
import { usePublicPlanLabels } from './planLabels';

interface JoinFormProps {
  orgId: string;
  view: PublicJoinFormView;
  /** In an iframe of the association's site: Checkout opens in the whole window. */
  embedded: boolean;
}

type PersonField =
  | 'firstName'
  | 'lastName'
  | 'email'
  | 'birthDate'
  | 'phone'
  | 'addressLine1'
  | 'postalCode'
  | 'city'
  | 'country';

/** Sends the browser to Stripe Checkout; from an iframe, the whole window goes (Checkout refuses frames). */
export function goToCheckout(url: string, embedded: boolean): void {
  const top = window.top;
  if (embedded && top && top !== window.self) {
    try {
      top.location.href = url;
      return;
    } catch {
      // A sandboxed frame may not navigate its parent: open Checkout in the frame instead.
    }
  }
  window.location.assign(url);
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
 * The join form: plan (tier or amount), person, custom fields, consents, payment method. Then
 * Stripe Checkout, or for a transfer the account, amount and reference to use, shown here.
 */
export function JoinForm({ orgId, view, embedded }: JoinFormProps) {
  const { t, i18n } = useTranslation();
  const labels = usePublicPlanLabels();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const customFields = useMemo(() => activeCustomFields(view.customFields), [view.customFields]);
  const [submitting, setSubmitting] = useState(false);
  const [checkoutUrl, setCheckoutUrl] = useState<string | null>(null);
  const [transfer, setTransfer] = useState<TransferInstructionsView | null>(null);
  const methods = useMemo(() => joinMethods(view), [view]);
  /** Automatic renewal is a Stripe subscription: closed when Stripe is not connected. */
  const stripeOpen = view.methods.length > 0;
  const {
    register,
    control,
    getValues,
    setValue,
    setError,
    clearErrors,
    formState: { errors },
  } = useForm<JoinFormValues>({ defaultValues: emptyJoinForm(view) });
  const planId = useWatch({ control, name: 'planId' });
  const tierCode = useWatch({ control, name: 'tierCode' });
  const typedAmount = useWatch({ control, name: 'amount' });
  const method = useWatch({ control, name: 'method' });
  const autoRenew = useWatch({ control, name: 'autoRenew' });
  const plan = view.plans.find((candidate) => candidate.id === planId);
  const due = amountDue(
    plan,
    tierCode,
    typedAmount.trim() ? amountToCents(typedAmount) || null : null,
  );
  const autoRenewShown = stripeOpen && autoRenewPossible(plan, method);
  /** In twelve monthly instalments: the same rounding as the server (floor, never above the price). */
  const instalments =
    plan?.subscription === 'monthly' && due !== null && Number.isSafeInteger(due) && due > 0
      ? monthlyInstalments(due)
      : null;
  /** The member chose the monthly instalments: Checkout asks the first one now. */
  const payingMonthly = autoRenewShown && autoRenew && instalments !== null;
  /** The plan renews automatically with a card or a debit, but the member chose a transfer. */
  const autoRenewByTransfer = stripeOpen && offersAutoRenew(plan) && method === 'transfer';

  const fieldOf = useCallback(
    (path: string): Path<JoinFormValues> | null => {
      // The renewal choice is only on screen when the plan offers it; else its error goes above.
      if (path === 'autoRenew' && !autoRenewShown) return null;
      if (isJoinField(path)) return path;
      const [head, key] = path.split('.');
      if (head === 'customFields' && key && customFields.some((field) => field.key === key)) {
        return `customFields.${key}`;
      }
      return null;
    },
    [customFields, autoRenewShown],
  );
  const labelOf = useCallback(
    (path: string) => {
      const key = path.split('.')[1];
      const custom = customFields.find((field) => field.key === key);
      if (custom) return custom.label;
      return isJoinField(path) ? t(`join.fieldNames.${path}`) : null;
    },
    [customFields, t],
  );
  const { general, place, report, clear } = useFormErrors(setError, { fieldOf, labelOf });

  /** Brings the first problem into view (and focus, when it is on a control). */
  const showFirstError = () =>
    window.requestAnimationFrame(() => {
      const form = formRef.current;
      const target =
        form?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
        form?.querySelector<HTMLElement>('.field__error, [role="alert"]');
      target?.scrollIntoView({ block: 'center' });
      if (target?.matches('input, select, textarea')) target.focus({ preventScroll: true });
    });

  const submit = async () => {
    clear();
    clearErrors();
    const values = getValues();
    const chosen = view.plans.find((candidate) => candidate.id === values.planId);
    const issues: FieldIssue[] = [];
    if (!chosen) issues.push({ field: 'planId', message: t('join.plan.choose') });
    if (chosen?.pricingKind === 'tiers' && !values.tierCode) {
      issues.push({ field: 'tierCode', message: t('join.plan.chooseTier') });
    }
    if (chosen?.pricingKind === 'free_amount' && !values.amount.trim()) {
      issues.push({ field: 'amount', message: t('errors.required') });
    }
    for (const field of customFields) {
      if (isMissing(field, values.customFields[field.key])) {
        issues.push({ field: `customFields.${field.key}`, message: t('errors.required') });
      }
    }
    const locale = i18n.language === 'en' ? 'en' : 'fr';
    const body = toJoinBody(values, chosen, customFields, locale);
    const parsed = joinInputSchema.safeParse(body);
    if (!parsed.success) issues.push(...zodIssues(parsed.error));
    else if (
      chosen?.pricingKind === 'free_amount' &&
      chosen.minimumAmountCents !== null &&
      parsed.data.amount !== undefined &&
      parsed.data.amount < chosen.minimumAmountCents
    ) {
      issues.push({
        field: 'amount',
        message: t('join.plan.minimum', {
          amount: formatMoney(chosen.minimumAmountCents, chosen.currency),
        }),
      });
    }
    if (issues.length > 0) {
      place(firstPerField(issues));
      showFirstError();
      return;
    }
    setSubmitting(true);
    try {
      const result = await joinApi.join(orgId, body);
      if (result.transfer) {
        // No redirection: the bank details and the reference are shown here (and e-mailed).
        setTransfer(result.transfer);
        setSubmitting(false);
        return;
      }
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
        testIdPrefix="join"
        title={t('join.transfer.title')}
        intro={t('join.transfer.intro', { amount: transferAmount(transfer) })}
        explanation={t('join.transfer.explanation')}
      >
        <p>
          <Link to={`/espace-membre/${encodeURIComponent(orgId)}`} data-testid="join-member-space">
            {t('join.thanks.memberSpace')}
          </Link>
        </p>
      </TransferPanel>
    );
  }

  if (checkoutUrl) {
    return (
      <section className="panel" data-testid="join-redirecting">
        <div className="loading" role="status" aria-live="polite">
          <span className="spinner" aria-hidden="true" />
          {t('join.redirecting')}
        </div>
        <p>
          <a href={checkoutUrl} target="_top" data-testid="join-checkout-link">
            {t('join.redirectLink')}
          </a>
        </p>
      </section>
    );
  }

  const hasFieldErrors = Object.keys(errors).length > 0;
  const planInput = register('planId', {
    onChange: (event: { target: { value: string } }) => {
      const next = view.plans.find((other) => other.id === event.target.value);
      setValue('tierCode', defaultTier(next));
      setValue('amount', '');
      setValue('autoRenew', false);
      clearErrors(['planId', 'tierCode', 'amount', 'autoRenew']);
    },
  });
  const planErrorId = `${id}-plan-error`;
  const tierErrorId = `${id}-tier-error`;
  const termsId = `${id}-terms`;
  const termsErrorId = `${id}-terms-error`;
  const methodErrorId = `${id}-method-error`;
  const autoRenewId = `${id}-auto-renew`;
  const autoRenewErrorId = `${id}-auto-renew-error`;

  const person = (
    name: PersonField,
    props: {
      type?: string;
      autoComplete: string;
      inputMode?: 'text' | 'tel' | 'email';
      required?: boolean;
      hint?: string;
      full?: boolean;
      uppercase?: boolean;
    },
  ) => (
    <Field
      label={t(`contacts.fields.${name}`)}
      error={errors[name]}
      hint={props.hint}
      required={props.required}
      alertError
      className={props.full ? 'form-grid__full' : undefined}
      errorTestId={`join-${name}-error`}
    >
      {(controlProps) => (
        <input
          {...controlProps}
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete}
          inputMode={props.inputMode}
          data-testid={`join-${name}`}
          {...register(
            name,
            props.uppercase ? { setValueAs: (value: string) => value.toUpperCase() } : undefined,
          )}
        />
      )}
    </Field>
  );

  return (
    <form
      ref={formRef}
      className="form join__form"
      noValidate
      data-testid="join-form"
      aria-label={t('join.formLabel')}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <p className="muted">{t('join.requiredNote')}</p>

      <fieldset
        className={`form-section${errors.planId ? ' field--invalid' : ''}`}
        aria-describedby={errors.planId ? planErrorId : undefined}
        data-testid="join-plans"
      >
        <legend>{t('join.plan.legend')}</legend>
        <div className="choice-cards">
          {view.plans.map((candidate) => (
            <PlanCard
              key={candidate.id}
              plan={candidate}
              invalid={Boolean(errors.planId)}
              input={planInput}
              price={labels.price(candidate)}
              validity={labels.validity(candidate)}
              autoRenew={stripeOpen && offersAutoRenew(candidate)}
            />
          ))}
        </div>
        {errors.planId && (
          <p id={planErrorId} className="field__error" role="alert" data-testid="join-plan-error">
            {validationMessage(t, errors.planId.message)}
          </p>
        )}

        {plan?.pricingKind === 'tiers' && (
          <fieldset
            className={`field field--group join__tiers${errors.tierCode ? ' field--invalid' : ''}`}
            aria-describedby={errors.tierCode ? tierErrorId : undefined}
            data-testid="join-tiers"
          >
            <legend>{t('join.plan.tier')}</legend>
            <div className="checkbox-list checkbox-list--column">
              {plan.tiers.map((tier) => (
                <label key={tier.code} className="checkbox-field">
                  <input
                    type="radio"
                    value={tier.code}
                    aria-invalid={errors.tierCode ? true : undefined}
                    data-testid={`join-tier-${tier.code}`}
                    {...register('tierCode')}
                  />
                  <span>
                    {tier.label} — {formatMoney(tier.amountCents, plan.currency)}
                  </span>
                </label>
              ))}
            </div>
            {errors.tierCode && (
              <p
                id={tierErrorId}
                className="field__error"
                role="alert"
                data-testid="join-tierCode-error"
              >
                {validationMessage(t, errors.tierCode.message)}
              </p>
            )}
          </fieldset>
        )}

        {plan?.pricingKind === 'free_amount' && (
          <Field
            label={t('join.plan.amount', { currency: plan.currency })}
            error={errors.amount}
            required
            alertError
            className="field--narrow join__amount"
            errorTestId="join-amount-error"
            hint={
              plan.minimumAmountCents
                ? `${t('join.plan.minimum', {
                    amount: formatMoney(plan.minimumAmountCents, plan.currency),
                  })} ${t('join.plan.amountHint')}`
                : t('join.plan.amountHint')
            }
          >
            {(controlProps) => (
              <input
                {...controlProps}
                type="text"
                inputMode="decimal"
                autoComplete="off"
                data-testid="join-amount"
                {...register('amount')}
              />
            )}
          </Field>
        )}

        {plan && autoRenewShown && (
          <div
            className={`join__auto-renew${errors.autoRenew ? ' field--invalid' : ''}`}
            data-testid="join-auto-renew"
            data-subscription={plan.subscription}
          >
            <div className="checkbox-field">
              <input
                id={autoRenewId}
                type="checkbox"
                aria-invalid={errors.autoRenew ? true : undefined}
                aria-describedby={errors.autoRenew ? autoRenewErrorId : undefined}
                data-testid="join-autoRenew"
                {...register('autoRenew')}
              />
              <label htmlFor={autoRenewId}>
                {plan.subscription === 'monthly'
                  ? instalments
                    ? t('join.autoRenew.monthly', {
                        amount: formatMoney(instalments.instalmentCents, plan.currency),
                        total: formatMoney(instalments.yearlyTotalCents, plan.currency),
                      })
                    : t('join.autoRenew.monthlyNoAmount')
                  : t('join.autoRenew.yearly')}
              </label>
            </div>
            {errors.autoRenew && (
              <p
                id={autoRenewErrorId}
                className="field__error"
                role="alert"
                data-testid="join-autoRenew-error"
              >
                {validationMessage(t, errors.autoRenew.message)}
              </p>
            )}
          </div>
        )}
        {plan && autoRenewByTransfer && (
          <p className="field__hint join__auto-renew" data-testid="join-auto-renew-transfer">
            {t('join.autoRenew.notWithTransfer')}
          </p>
        )}
      </fieldset>

      <fieldset className="form-section" data-testid="join-person">
        <legend>{t('join.person.legend')}</legend>
        <div className="form-grid">
          <Field
            label={t('contacts.fields.civility')}
            error={errors.civility}
            alertError
            errorTestId="join-civility-error"
          >
            {(controlProps) => (
              <select
                {...controlProps}
                autoComplete="honorific-prefix"
                data-testid="join-civility"
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
            hint: t('join.person.emailHint'),
          })}
          {person('birthDate', { type: 'date', autoComplete: 'bday' })}
          {person('phone', { type: 'tel', inputMode: 'tel', autoComplete: 'tel' })}
          {person('addressLine1', { autoComplete: 'address-line1', full: true })}
          {person('postalCode', { autoComplete: 'postal-code' })}
          {person('city', { autoComplete: 'address-level2' })}
          {person('country', {
            autoComplete: 'country',
            uppercase: true,
            hint: t('contacts.hints.country'),
          })}
        </div>
      </fieldset>

      {customFields.length > 0 && (
        <fieldset className="form-section" data-testid="join-custom-fields">
          <legend>{t('join.more')}</legend>
          <div className="form-grid">
            {customFields.map((field) => (
              <JoinCustomField
                key={field.key}
                field={field}
                control={control}
                register={register}
                error={errors.customFields?.[field.key] as { message?: string } | undefined}
              />
            ))}
          </div>
        </fieldset>
      )}

      <fieldset className="form-section" data-testid="join-consents">
        <legend>{t('join.consents.legend')}</legend>
        <div className="stack">
          <label className="checkbox-field">
            <input type="checkbox" data-testid="join-newsletter" {...register('newsletter')} />
            <span>{t('memberSpace.account.consentKinds.newsletter')}</span>
          </label>
          <label className="checkbox-field">
            <input type="checkbox" data-testid="join-imageRights" {...register('imageRights')} />
            <span>{t('memberSpace.account.consentKinds.image_rights')}</span>
          </label>
          <div className={errors.acceptTerms ? 'field--invalid' : undefined}>
            <div className="checkbox-field">
              <input
                id={termsId}
                type="checkbox"
                aria-required
                aria-invalid={errors.acceptTerms ? true : undefined}
                aria-describedby={errors.acceptTerms ? termsErrorId : undefined}
                data-testid="join-acceptTerms"
                {...register('acceptTerms')}
              />
              <label htmlFor={termsId}>{t('join.consents.acceptTerms')}</label>
              <span className="field__required" aria-hidden="true">
                *
              </span>
            </div>
            {errors.acceptTerms && (
              <p
                id={termsErrorId}
                className="field__error"
                role="alert"
                data-testid="join-acceptTerms-error"
              >
                {validationMessage(t, errors.acceptTerms.message)}
              </p>
            )}
          </div>
        </div>
      </fieldset>

      <fieldset
        className={`form-section${errors.method ? ' field--invalid' : ''}`}
        aria-describedby={errors.method ? methodErrorId : undefined}
        data-testid="join-methods"
      >
        <legend>{t('join.method.legend')}</legend>
        <div className="stack">
          {methods.map((option) => (
            <label key={option} className="checkbox-field">
              <input
                type="radio"
                value={option}
                data-testid={`join-method-${option}`}
                {...register('method')}
              />
              <span>
                {t(`join.method.${option}`)}
                {option === 'transfer' && (
                  <span className="cell-note">{t('join.method.transferHint')}</span>
                )}
              </span>
            </label>
          ))}
        </div>
        {errors.method && (
          <p
            id={methodErrorId}
            className="field__error"
            role="alert"
            data-testid="join-method-error"
          >
            {validationMessage(t, errors.method.message)}
          </p>
        )}
      </fieldset>

      {due !== null && plan && (
        <p className="join__total" data-testid="join-total">
          {payingMonthly && instalments
            ? t('join.totalMonthly', {
                amount: formatMoney(instalments.instalmentCents, plan.currency),
              })
            : t('join.total', { amount: formatMoney(due, plan.currency) })}
        </p>
      )}
      <FormErrors messages={general} testId="join-errors" />
      {general.length === 0 && hasFieldErrors && (
        <Alert kind="error">
          <span data-testid="join-check-fields">{t('join.checkFields')}</span>
        </Alert>
      )}
      <div className="join__submit">
        <SubmitButton pending={submitting} testId="join-submit">
          {method === 'transfer' ? t('join.submitTransfer') : t('join.submit')}
        </SubmitButton>
        <p className="field__hint">
          {method === 'transfer' ? t('join.submitTransferHint') : t('join.submitHint')}
        </p>
      </div>
    </form>
  );
}

interface PlanCardProps {
  plan: PublicPlanView;
  invalid: boolean;
  input: UseFormRegisterReturn<'planId'>;
  price: string;
  validity: string;
  /** Automatic renewal may be chosen (the plan offers it and Stripe is connected). */
  autoRenew: boolean;
}

/** One plan as a radio card: its name is the radio's name, the rest describes it. */
function PlanCard({ plan, invalid, input, price, validity, autoRenew }: PlanCardProps) {
  const { t } = useTranslation();
  const id = useId();
  const nameId = `${id}-name`;
  const detailsId = `${id}-details`;
  return (
    <label className="choice-card" data-testid="join-plan-card">
      <input
        type="radio"
        value={plan.id}
        aria-labelledby={nameId}
        aria-describedby={detailsId}
        aria-invalid={invalid ? true : undefined}
        data-testid={`join-plan-${plan.id}`}
        {...input}
      />
      <span className="choice-card__body">
        <span id={nameId} className="choice-card__title">
          {plan.name}
        </span>
        <span id={detailsId} className="choice-card__details">
          <span className="choice-card__price" data-testid="join-plan-price">
            {price}
          </span>
          {plan.description && (
            <span className="choice-card__description pre-line">{plan.description}</span>
          )}
          <span className="choice-card__note">
            {validity}
            {plan.household && ` · ${t('join.plan.household')}`}
            {autoRenew && ` · ${t('join.plan.autoRenewOffered')}`}
          </span>
        </span>
      </span>
    </label>
  );
}

interface JoinCustomFieldProps {
  field: CustomFieldDefinitionView;
  control: Control<JoinFormValues>;
  register: UseFormRegister<JoinFormValues>;
  error: { message?: string } | undefined;
}

/** One of the association's custom fields, rendered by its type. */
function JoinCustomField({ field, control, register, error }: JoinCustomFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const name = `customFields.${field.key}` as const;
  const testId = `join-custom-${field.key}`;
  const errorId = `${id}-error`;
  const type = field.type;
  const errorText = error && (
    <p id={errorId} className="field__error" role="alert" data-testid={`${testId}-error`}>
      {validationMessage(t, error.message)}
    </p>
  );

  if (type === 'multi_choice') {
    return (
      <fieldset
        className={`field field--group form-grid__full${error ? ' field--invalid' : ''}`}
        aria-describedby={error ? errorId : undefined}
        aria-required={field.required || undefined}
        data-testid={testId}
      >
        <legend>
          {field.label}
          {field.required && (
            <span className="field__required" aria-hidden="true">
              *
            </span>
          )}
        </legend>
        <Controller
          control={control}
          name={name}
          render={({ field: input }) => {
            const selected = Array.isArray(input.value) ? input.value : [];
            return (
              <div className="checkbox-list">
                {field.options.map((option) => (
                  <label key={option} className="checkbox-field">
                    <input
                      type="checkbox"
                      name={input.name}
                      value={option}
                      checked={selected.includes(option)}
                      aria-invalid={error ? true : undefined}
                      onBlur={input.onBlur}
                      onChange={(event) =>
                        input.onChange(
                          event.target.checked
                            ? [...selected.filter((value) => value !== option), option]
                            : selected.filter((value) => value !== option),
                        )
                      }
                    />
                    <span>{option}</span>
                  </label>
                ))}
              </div>
            );
          }}
        />
        {errorText}
      </fieldset>
    );
  }

  if (type === 'boolean') {
    return (
      <div className={`form-grid__full${error ? ' field--invalid' : ''}`}>
        <label className="checkbox-field">
          <input
            type="checkbox"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            data-testid={testId}
            {...register(name)}
          />
          <span>{field.label}</span>
        </label>
        {errorText}
      </div>
    );
  }

  return (
    <Field
      label={field.label}
      error={error}
      required={field.required}
      alertError
      errorTestId={`${testId}-error`}
    >
      {(controlProps) => {
        switch (type) {
          case 'text':
            return <input {...controlProps} type="text" data-testid={testId} {...register(name)} />;
          case 'number':
            return (
              <input
                {...controlProps}
                type="text"
                inputMode="decimal"
                data-testid={testId}
                {...register(name)}
              />
            );
          case 'date':
            return <input {...controlProps} type="date" data-testid={testId} {...register(name)} />;
          case 'choice':
            return (
              <select {...controlProps} data-testid={testId} {...register(name)}>
                <option value="">{t('common.choose')}</option>
                {field.options.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
            );
        }
      }}
    </Field>
  );
}
