import { useCallback, useState } from 'react';
import { useFieldArray, useForm, useWatch, type Control, type Path } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  PLAN_SUBSCRIPTIONS,
  PRICING_KINDS,
  VALIDITY_KINDS,
  monthlyInstalments,
  planInputSchema,
} from '@ruche/contracts';
import { membershipsApi } from '../../../api/memberships';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Field } from '../../../components/Field';
import { FormErrors } from '../../../components/FormErrors';
import { SubmitButton } from '../../../components/SubmitButton';
import { useFormErrors, zodIssues } from '../../../components/useFormErrors';
import { validationMessage } from '../../../i18n/messages';
import { amountToCents, formatMoney, useOrgCurrency } from '../../accounting/money';
import {
  emptyTier,
  PLAN_FIELDS,
  TIER_FIELDS,
  toPlanBody,
  type PlanFormValues,
  type TierValues,
} from './planForm';

const TIER_PATH = /^tiers\.(\d+)\.(\w+)$/;

export function PlanForm({
  planId,
  defaultValues,
}: {
  planId: string | null;
  defaultValues: PlanFormValues;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const navigate = useNavigate();
  const currency = useOrgCurrency();
  const [submitting, setSubmitting] = useState(false);
  const {
    register,
    control,
    getValues,
    setError,
    clearErrors,
    formState: { errors },
  } = useForm<PlanFormValues>({ defaultValues });
  const { fields, append, remove } = useFieldArray({ control, name: 'tiers' });
  const pricingKind = useWatch({ control, name: 'pricingKind' });
  const validityKind = useWatch({ control, name: 'validityKind' });
  const tierCount = fields.length;

  const fieldOf = useCallback(
    (path: string): Path<PlanFormValues> | null => {
      const known = PLAN_FIELDS.find((field) => field === path);
      if (known) return known;
      const tier = TIER_PATH.exec(path);
      const column = TIER_FIELDS.find((field) => field === tier?.[2]);
      if (tier && column && Number(tier[1]) < tierCount) {
        return `tiers.${Number(tier[1])}.${column}`;
      }
      return null;
    },
    [tierCount],
  );
  const labelOf = useCallback(
    (path: string) => (path.startsWith('tiers') ? t('memberships.plans.form.tiers') : null),
    [t],
  );
  const { general, place, report, clear } = useFormErrors(setError, { fieldOf, labelOf });

  const submit = async () => {
    clear();
    clearErrors();
    const body = toPlanBody(getValues());
    const parsed = planInputSchema.safeParse(body);
    if (!parsed.success) return place(zodIssues(parsed.error));
    setSubmitting(true);
    try {
      if (planId) await membershipsApi.updatePlan(organization.id, planId, body);
      else await membershipsApi.createPlan(organization.id, body);
      await navigate(`/orgs/${organization.id}/memberships/plans`);
    } catch (error) {
      report(error);
    } finally {
      setSubmitting(false);
    }
  };

  const tierCell = (index: number, column: keyof TierValues, extra: object = {}) => {
    const error = errors.tiers?.[index]?.[column];
    const errorId = `plan-tier-${index}-${column}-error`;
    return (
      <td className={error ? 'field--invalid' : undefined}>
        <input
          type="text"
          aria-label={t(`memberships.plans.form.tierColumns.${column}Of`, { n: index + 1 })}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? errorId : undefined}
          data-testid={`plan-tier-${index}-${column}`}
          {...extra}
          {...register(`tiers.${index}.${column}`)}
        />
        {error && (
          <p id={errorId} className="field__error" data-testid={errorId}>
            {validationMessage(t, error.message)}
          </p>
        )}
      </td>
    );
  };

  return (
    <form
      className="form"
      noValidate
      data-testid="plan-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <FormErrors messages={general} testId="plan-form-errors" />
      <div className="form-sections">
        <fieldset className="form-section">
          <legend>{t('memberships.plans.form.general')}</legend>
          <div className="form-grid">
            <Field
              label={t('memberships.plans.form.name')}
              error={errors.name}
              errorTestId="plan-name-error"
            >
              {(controlProps) => (
                <input
                  {...controlProps}
                  type="text"
                  maxLength={100}
                  data-testid="plan-name"
                  {...register('name')}
                />
              )}
            </Field>
            <Field
              label={t('memberships.plans.form.description')}
              error={errors.description}
              className="form-grid__full"
            >
              {(controlProps) => (
                <textarea
                  {...controlProps}
                  rows={2}
                  data-testid="plan-description"
                  {...register('description')}
                />
              )}
            </Field>
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('memberships.plans.form.pricing')}</legend>
          <div className="form-grid">
            <Field label={t('memberships.plans.form.pricingKind')} error={errors.pricingKind}>
              {(controlProps) => (
                <select
                  {...controlProps}
                  data-testid="plan-pricing-kind"
                  {...register('pricingKind', {
                    onChange: (event: { target: { value: string } }) => {
                      const wanted = event.target.value === 'tiers' ? 2 : 1;
                      if (event.target.value !== 'free_amount' && fields.length < wanted) {
                        append(Array.from({ length: wanted - fields.length }, () => emptyTier()));
                      }
                    },
                  })}
                >
                  {PRICING_KINDS.map((kind) => (
                    <option key={kind} value={kind}>
                      {t(`memberships.plans.pricingKinds.${kind}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {pricingKind === 'fixed' && (
              <Field
                label={t('memberships.plans.form.price', { currency })}
                error={errors.tiers?.[0]?.amount}
                hint={t('memberships.plans.form.amountHint')}
                errorTestId="plan-price-error"
              >
                {(controlProps) => (
                  <input
                    {...controlProps}
                    type="text"
                    inputMode="decimal"
                    data-testid="plan-price"
                    {...register('tiers.0.amount')}
                  />
                )}
              </Field>
            )}
            {pricingKind === 'free_amount' && (
              <Field
                label={t('memberships.plans.form.minimumAmount', { currency })}
                error={errors.minimumAmount}
                hint={t('memberships.plans.form.minimumHint')}
                errorTestId="plan-minimum-error"
              >
                {(controlProps) => (
                  <input
                    {...controlProps}
                    type="text"
                    inputMode="decimal"
                    data-testid="plan-minimum"
                    {...register('minimumAmount')}
                  />
                )}
              </Field>
            )}
          </div>
          {pricingKind === 'tiers' && (
            <>
              <div className="table-wrap">
                <table className="table table--form" data-testid="plan-tiers">
                  <caption className="visually-hidden">{t('memberships.plans.form.tiers')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('memberships.plans.form.tierColumns.label')}</th>
                      <th scope="col">{t('memberships.plans.form.tierColumns.amount')}</th>
                      <th scope="col">{t('memberships.plans.form.tierColumns.code')}</th>
                      <th scope="col">
                        <span className="visually-hidden">{t('common.actions')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {fields.map((field, index) => (
                      <tr key={field.id} data-testid="plan-tier-row">
                        {tierCell(index, 'label')}
                        {tierCell(index, 'amount', { inputMode: 'decimal', className: 'numeric' })}
                        {tierCell(index, 'code', {
                          placeholder: t('memberships.plans.form.codeAuto'),
                          autoComplete: 'off',
                        })}
                        <td className="table__actions">
                          <button
                            type="button"
                            className="button button--small"
                            aria-label={t('memberships.plans.form.removeTier', { n: index + 1 })}
                            disabled={fields.length <= 2}
                            onClick={() => remove(index)}
                          >
                            ×
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p className="field__hint">{t('memberships.plans.form.codeHint')}</p>
              <div>
                <button
                  type="button"
                  className="button"
                  data-testid="plan-tier-add"
                  onClick={() => append(emptyTier())}
                >
                  {t('memberships.plans.form.addTier')}
                </button>
              </div>
            </>
          )}
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('memberships.plans.form.validity')}</legend>
          <div className="form-grid">
            <Field label={t('memberships.plans.form.validityKind')} error={errors.validityKind}>
              {(controlProps) => (
                <select
                  {...controlProps}
                  data-testid="plan-validity-kind"
                  {...register('validityKind')}
                >
                  {VALIDITY_KINDS.map((kind) => (
                    <option key={kind} value={kind}>
                      {t(`memberships.plans.validityKinds.${kind}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {validityKind === 'rolling_months' && (
              <Field
                label={t('memberships.plans.form.validityMonths')}
                error={errors.validityMonths}
                errorTestId="plan-validity-months-error"
              >
                {(controlProps) => (
                  <input
                    {...controlProps}
                    type="number"
                    min={1}
                    max={120}
                    data-testid="plan-validity-months"
                    {...register('validityMonths')}
                  />
                )}
              </Field>
            )}
            {validityKind === 'fixed_dates' && (
              <>
                <Field
                  label={t('memberships.plans.form.fixedStartDate')}
                  error={errors.fixedStartDate}
                  errorTestId="plan-fixed-start-error"
                >
                  {(controlProps) => (
                    <input
                      {...controlProps}
                      type="date"
                      data-testid="plan-fixed-start"
                      {...register('fixedStartDate')}
                    />
                  )}
                </Field>
                <Field
                  label={t('memberships.plans.form.fixedEndDate')}
                  error={errors.fixedEndDate}
                  errorTestId="plan-fixed-end-error"
                >
                  {(controlProps) => (
                    <input
                      {...controlProps}
                      type="date"
                      data-testid="plan-fixed-end"
                      {...register('fixedEndDate')}
                    />
                  )}
                </Field>
              </>
            )}
          </div>
          <p className="field__hint">{t(`memberships.plans.validityHints.${validityKind}`)}</p>
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('memberships.plans.form.options')}</legend>
          <div className="form-grid">
            <Field
              label={t('memberships.plans.form.subscription')}
              error={errors.subscription}
              hint={t('memberships.plans.form.subscriptionHint')}
              errorTestId="plan-subscription-error"
            >
              {(controlProps) => (
                <select
                  {...controlProps}
                  data-testid="plan-subscription"
                  {...register('subscription')}
                >
                  {PLAN_SUBSCRIPTIONS.map((subscription) => (
                    <option key={subscription} value={subscription}>
                      {t(`memberships.plans.subscriptions.${subscription}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              label={t('memberships.plans.form.revenueAccount')}
              error={errors.revenueAccount}
              hint={t('memberships.plans.form.revenueAccountHint')}
              errorTestId="plan-revenue-account-error"
            >
              {(controlProps) => (
                <input
                  {...controlProps}
                  type="text"
                  inputMode="numeric"
                  data-testid="plan-revenue-account"
                  {...register('revenueAccount')}
                />
              )}
            </Field>
            <div className="stack">
              <label className="checkbox-field">
                <input
                  type="checkbox"
                  data-testid="plan-receipt-eligible"
                  {...register('receiptEligible')}
                />
                <span>
                  {t('memberships.plans.form.receiptEligible')}
                  <span className="field__hint">
                    {t('memberships.plans.form.receiptEligibleHint')}
                  </span>
                </span>
              </label>
              <label className="checkbox-field">
                <input type="checkbox" data-testid="plan-household" {...register('household')} />
                <span>
                  {t('memberships.plans.form.household')}
                  <span className="field__hint">{t('memberships.plans.form.householdHint')}</span>
                </span>
              </label>
              <label className="checkbox-field">
                <input type="checkbox" data-testid="plan-active" {...register('active')} />
                <span>
                  {t('memberships.plans.form.active')}
                  <span className="field__hint">{t('memberships.plans.form.activeHint')}</span>
                </span>
              </label>
            </div>
          </div>
        </fieldset>
      </div>
      <PricePreview control={control} currency={currency} />
      <div className="form-actions">
        <SubmitButton pending={submitting} testId="plan-save">
          {planId ? t('common.save') : t('memberships.plans.form.create')}
        </SubmitButton>
      </div>
    </form>
  );
}

/** What members will pay, as the amounts are typed. */
function PricePreview({
  control,
  currency,
}: {
  control: Control<PlanFormValues>;
  currency: string;
}) {
  const { t } = useTranslation();
  const [pricingKind, tiers, minimum, subscription] = useWatch({
    control,
    name: ['pricingKind', 'tiers', 'minimumAmount', 'subscription'],
  });
  const text = (() => {
    switch (pricingKind) {
      case 'fixed':
        return formatMoney(amountToCents(tiers[0]?.amount), currency);
      case 'tiers':
        return tiers
          .filter((tier) => tier.label.trim())
          .map(
            (tier) => `${tier.label.trim()} ${formatMoney(amountToCents(tier.amount), currency)}`,
          )
          .join(' · ');
      case 'free_amount':
        return t('memberships.plans.freeAmountFrom', {
          amount: formatMoney(amountToCents(minimum), currency),
        });
    }
  })();
  /** Paid monthly: each tier's instalment and what twelve of them bill (the server's rounding). */
  const instalments =
    subscription === 'monthly' && pricingKind !== 'free_amount'
      ? (pricingKind === 'fixed' ? tiers.slice(0, 1) : tiers.filter((tier) => tier.label.trim()))
          .map((tier) => {
            const cents = amountToCents(tier.amount);
            if (cents <= 0 || !Number.isSafeInteger(cents)) return null;
            const { instalmentCents, yearlyTotalCents } = monthlyInstalments(cents);
            const each = t('memberships.plans.form.instalment', {
              amount: formatMoney(instalmentCents, currency),
              total: formatMoney(yearlyTotalCents, currency),
            });
            return pricingKind === 'tiers' ? `${tier.label.trim()} ${each}` : each;
          })
          .filter((line): line is string => line !== null)
          .join(' · ')
      : '';
  return text ? (
    <>
      <p className="muted" data-testid="plan-preview">
        {t('memberships.plans.form.preview', { price: text })}
      </p>
      {instalments && (
        <p className="muted" data-testid="plan-instalments">
          {t('memberships.plans.form.instalments', { instalments })}
        </p>
      )}
    </>
  ) : null;
}
