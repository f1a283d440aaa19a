import { useCallback, useState } from 'react';
import { Controller, useForm, useWatch, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { createMembershipInputSchema, type ContactView, type PlanView } from '@ruche/contracts';
import { membershipsApi, type CreateMembershipBody } from '../../../api/memberships';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Field } from '../../../components/Field';
import { FormErrors } from '../../../components/FormErrors';
import { SubmitButton } from '../../../components/SubmitButton';
import { useFormErrors, zodIssues } from '../../../components/useFormErrors';
import { validationMessage } from '../../../i18n/messages';
import { formatMoney } from '../../accounting/money';
import { usePlanLabels } from '../../memberships/planLabels';
import { emptyPayment, PaymentFields, toPaymentInput, type PaymentValues } from './PaymentFields';

interface MembershipFormValues {
  planId: string;
  tierCode: string;
  amount: string;
  startDate: string;
  note: string;
  paid: boolean;
  payment: PaymentValues;
}

const FIELDS = [
  'planId',
  'tierCode',
  'amount',
  'startDate',
  'note',
  'payment.method',
  'payment.paidOn',
  'payment.reference',
] as const satisfies readonly Path<MembershipFormValues>[];

interface NewMembershipFormProps {
  contact: ContactView;
  plans: readonly PlanView[];
  onCreated: () => void;
  onCancel: () => void;
}

/** A membership for the contact: plan, tier or amount, start, and the payment if received now. */
export function NewMembershipForm({ contact, plans, onCreated, onCancel }: NewMembershipFormProps) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const labels = usePlanLabels();
  const canCollect = organization.can('memberships.collect');
  const offered = plans.filter((plan) => plan.active);
  const first = offered.length === 1 ? offered[0] : undefined;
  const [submitting, setSubmitting] = useState(false);
  const {
    register,
    control,
    getValues,
    setValue,
    setError,
    clearErrors,
    formState: { errors },
  } = useForm<MembershipFormValues>({
    defaultValues: {
      planId: first?.id ?? '',
      tierCode: first?.tiers[0]?.code ?? '',
      amount: '',
      startDate: '',
      note: '',
      paid: false,
      payment: emptyPayment(),
    },
  });
  const planId = useWatch({ control, name: 'planId' });
  const paid = useWatch({ control, name: 'paid' });
  const plan = offered.find((candidate) => candidate.id === planId);

  const fieldOf = useCallback(
    (path: string): Path<MembershipFormValues> | null =>
      FIELDS.find((field) => field === path) ?? null,
    [],
  );
  const labelOf = useCallback(
    (path: string) => (path === 'contactId' ? t('memberships.form.contact') : null),
    [t],
  );
  const { general, place, report, clear } = useFormErrors(setError, { fieldOf, labelOf });
  const message = (text: string | undefined) => (text ? validationMessage(t, text) : undefined);

  const submit = async () => {
    clear();
    clearErrors();
    const values = getValues();
    const chosen = offered.find((candidate) => candidate.id === values.planId);
    if (!chosen) return setError('planId', { message: t('memberships.form.choosePlan') });
    const free = chosen.pricingKind === 'free_amount';
    const tiered = chosen.pricingKind === 'tiers';
    if (tiered && !values.tierCode) {
      return setError('tierCode', { message: t('memberships.form.chooseTier') });
    }
    if (free && !values.amount.trim()) {
      return setError('amount', { message: t('errors.required') });
    }
    const body: CreateMembershipBody = {
      contactId: contact.id,
      planId: chosen.id,
      tierCode: tiered ? values.tierCode : undefined,
      amount: free ? values.amount.trim() : undefined,
      startDate: values.startDate || undefined,
      note: values.note.trim() || undefined,
      payment: canCollect && values.paid ? toPaymentInput(values.payment) : undefined,
    };
    const parsed = createMembershipInputSchema.safeParse(body);
    if (!parsed.success) return place(zodIssues(parsed.error));
    setSubmitting(true);
    try {
      await membershipsApi.create(organization.id, body);
      onCreated();
    } catch (error) {
      report(error);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <form
      className="form panel panel--inset"
      noValidate
      data-testid="membership-form"
      aria-labelledby="membership-form-title"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3 id="membership-form-title">{t('memberships.form.title')}</h3>
      <FormErrors messages={general} testId="membership-form-errors" />
      <div className="form-grid">
        <Field
          label={t('memberships.form.plan')}
          error={errors.planId}
          errorTestId="membership-plan-error"
          hint={
            plan?.household && !contact.household
              ? t('memberships.form.householdPlanHint')
              : plan
                ? labels.validity(plan)
                : undefined
          }
        >
          {(controlProps) => (
            <select
              {...controlProps}
              data-testid="membership-plan"
              {...register('planId', {
                onChange: (event: { target: { value: string } }) => {
                  const next = offered.find((candidate) => candidate.id === event.target.value);
                  setValue('tierCode', next?.tiers[0]?.code ?? '');
                  setValue('amount', '');
                },
              })}
            >
              <option value="">{t('common.choose')}</option>
              {offered.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.name} — {labels.price(candidate)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {plan && plan.pricingKind === 'tiers' && (
          <Field
            label={t('memberships.form.tier')}
            error={errors.tierCode}
            errorTestId="membership-tier-error"
          >
            {(controlProps) => (
              <select {...controlProps} data-testid="membership-tier" {...register('tierCode')}>
                {plan.tiers.map((tier) => (
                  <option key={tier.code} value={tier.code}>
                    {tier.label} — {formatMoney(tier.amountCents, plan.currency)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {plan && plan.pricingKind === 'free_amount' && (
          <Field
            label={t('memberships.form.amount')}
            error={errors.amount}
            errorTestId="membership-amount-error"
            hint={
              plan.minimumAmountCents
                ? t('memberships.form.minimum', {
                    amount: formatMoney(plan.minimumAmountCents, plan.currency),
                  })
                : t('memberships.form.amountHint')
            }
          >
            {(controlProps) => (
              <input
                {...controlProps}
                type="text"
                inputMode="decimal"
                data-testid="membership-amount"
                {...register('amount')}
              />
            )}
          </Field>
        )}
        <Field
          label={t('memberships.form.startDate')}
          error={errors.startDate}
          hint={t('memberships.form.startDateHint')}
          errorTestId="membership-start-date-error"
        >
          {(controlProps) => (
            <input
              {...controlProps}
              type="date"
              data-testid="membership-start-date"
              {...register('startDate')}
            />
          )}
        </Field>
        <Field label={t('memberships.form.note')} error={errors.note}>
          {(controlProps) => (
            <input
              {...controlProps}
              type="text"
              maxLength={500}
              data-testid="membership-note"
              {...register('note')}
            />
          )}
        </Field>
      </div>
      {canCollect && (
        <fieldset className="form-section">
          <legend>{t('memberships.payment.title')}</legend>
          <label className="checkbox-field">
            <input type="checkbox" data-testid="membership-paid" {...register('paid')} />
            {t('memberships.payment.receivedNow')}
          </label>
          {paid && (
            <Controller
              control={control}
              name="payment"
              render={({ field }) => (
                <PaymentFields
                  value={field.value}
                  onChange={field.onChange}
                  testId="membership-payment"
                  recipient={contact.email}
                  errors={{
                    method: message(errors.payment?.method?.message),
                    paidOn: message(errors.payment?.paidOn?.message),
                    reference: message(errors.payment?.reference?.message),
                  }}
                />
              )}
            />
          )}
        </fieldset>
      )}
      <div className="form-actions button-row">
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <SubmitButton pending={submitting} testId="membership-save">
          {t('memberships.form.submit')}
        </SubmitButton>
      </div>
    </form>
  );
}
