import { useCallback, useState } from 'react';
import { useForm, useWatch, type Path } from 'react-hook-form';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { createDonationInputSchema, DESK_DONATION_METHODS, DONATION_KINDS } from '@ruche/contracts';
import { donationsApi } from '../../../api/donations';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { FormErrors } from '../../../components/FormErrors';
import { SubmitButton } from '../../../components/SubmitButton';
import { useFormErrors, zodIssues, type FieldIssue } from '../../../components/useFormErrors';
import { validationMessage } from '../../../i18n/messages';
import { useOrgCurrency } from '../../accounting/money';
import { ContactPicker } from '../../members/detail/ContactPicker';
import { readDeskPrefill } from '../../payments/deskPrefill';
import { useCampaigns } from '../useCampaigns';
import {
  DONATION_REFERENCE_MAX,
  donationDefaults,
  isDonationField,
  shownFields,
  toDonationBody,
  type DonationFormValues,
} from './donationForm';

type TextField =
  'chequeNumber' | 'chequeBank' | 'chequeDrawer' | 'reference' | 'valuationMethod' | 'debitAccount';

/**
 * `donations/new`: a gift received at the desk: money (cheque, cash, transfer), a gift in kind or
 * expenses a volunteer renounces (abandon de frais); recorded and posted at once, then its page.
 * Opened with `?amount=…&receivedOn=…&method=transfer&reference=…&contact=…&returnTo=…` (from a
 * bank statement line), it starts with those and goes back to `returnTo` once saved.
 */
export function DonationFormPage() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const navigate = useNavigate();
  const currency = useOrgCurrency();
  const campaigns = useCampaigns();
  const [params] = useSearchParams();
  // Read once: the form keeps what the URL gave it when it opened.
  const [prefill] = useState(() => readDeskPrefill(params));
  const returnTo = prefill.returnTo;
  /** Back and "Annuler": where the form came from, else the list. */
  const back = returnTo ? { to: returnTo } : ({ to: '..', relative: 'path' } as const);
  const [submitting, setSubmitting] = useState(false);
  const [donor, setDonor] = useState<{ id: string; displayName: string } | null>(null);
  const {
    register,
    control,
    getValues,
    setValue,
    setError,
    clearErrors,
    formState: { errors },
  } = useForm<DonationFormValues>({ defaultValues: donationDefaults(prefill) });
  const kind = useWatch({ control, name: 'kind' });
  const method = useWatch({ control, name: 'method' });
  const campaignId = useWatch({ control, name: 'campaignId' });
  const money = kind === 'money';
  const offeredCampaigns =
    campaigns.data?.filter((campaign) => campaign.active || campaign.id === campaignId) ?? [];

  const fieldOf = useCallback(
    (path: string): Path<DonationFormValues> | null =>
      isDonationField(path) && shownFields(kind, method).has(path) ? path : null,
    [kind, method],
  );
  const labelOf = useCallback(
    (path: string) => (isDonationField(path) ? t(`donations.form.fields.${path}`) : null),
    [t],
  );
  const { general, place, report, clear } = useFormErrors(setError, { fieldOf, labelOf });

  const pickDonor = (picked: { id: string; displayName: string } | null) => {
    setDonor(picked);
    setValue('contactId', picked?.id ?? '');
    clearErrors('contactId');
  };

  const submit = async () => {
    clear();
    clearErrors();
    const values = getValues();
    const body = toDonationBody(values);
    const issues: FieldIssue[] = [];
    if (!values.contactId)
      issues.push({ field: 'contactId', message: t('donations.form.chooseDonor') });
    const parsed = createDonationInputSchema.safeParse(body);
    if (!parsed.success)
      issues.push(
        ...zodIssues(parsed.error).filter(
          (issue) => issue.field !== 'contactId' || Boolean(values.contactId),
        ),
      );
    if (issues.length > 0) return place(issues);
    setSubmitting(true);
    try {
      const donation = await donationsApi.create(organization.id, body);
      await navigate(returnTo ?? `/orgs/${organization.id}/donations/${donation.id}`);
    } catch (error) {
      report(error);
      setSubmitting(false);
    }
  };

  const text = (
    name: TextField,
    props: { maxLength: number; hint?: string; required?: boolean; numeric?: boolean },
  ) => (
    <Field
      label={t(`donations.form.fields.${name}`)}
      error={errors[name]}
      hint={props.hint}
      required={props.required}
      errorTestId={`donation-${name}-error`}
    >
      {(controlProps) => (
        <input
          {...controlProps}
          type="text"
          inputMode={props.numeric ? 'numeric' : undefined}
          maxLength={props.maxLength}
          autoComplete="off"
          data-testid={`donation-${name}`}
          {...register(name)}
        />
      )}
    </Field>
  );

  return (
    <section className="panel" aria-labelledby="donation-form-title">
      <p>
        <Link {...back} data-testid="donation-form-back">
          ← {returnTo ? t('donations.form.backToReturn') : t('donations.detail.backToList')}
        </Link>
      </p>
      <h2 id="donation-form-title">{t('donations.form.title')}</h2>
      <p className="muted">{t('donations.form.intro')}</p>
      {returnTo && (
        <Alert kind="info">
          <span data-testid="donation-form-return">{t('donations.form.returnNotice')}</span>
        </Alert>
      )}
      <form
        className="form"
        noValidate
        data-testid="donation-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <FormErrors messages={general} testId="donation-form-errors" />
        <div className="form-sections">
          <fieldset className="form-section">
            <legend>{t('donations.form.gift')}</legend>
            <div className="form-grid">
              <div className="form-grid__full">
                {donor ? (
                  <div className="field">
                    <span>{t('donations.form.fields.contactId')}</span>
                    <p className="button-row" data-testid="donation-donor-selected">
                      <strong>{donor.displayName}</strong>
                      <button
                        type="button"
                        className="button button--small"
                        data-testid="donation-donor-clear"
                        aria-label={t('donations.form.donorClear', { name: donor.displayName })}
                        onClick={() => pickDonor(null)}
                      >
                        ×
                      </button>
                    </p>
                    {errors.contactId && (
                      <p className="field__error" data-testid="donation-contactId-error">
                        {validationMessage(t, errors.contactId.message)}
                      </p>
                    )}
                  </div>
                ) : (
                  <ContactPicker
                    label={t('donations.form.fields.contactId')}
                    excluded={[]}
                    kind="any"
                    testId="donation-donor"
                    initialQuery={prefill.contact}
                    error={
                      errors.contactId ? validationMessage(t, errors.contactId.message) : undefined
                    }
                    onPick={(picked) =>
                      pickDonor({ id: picked.id, displayName: picked.displayName })
                    }
                  />
                )}
                <p className="field__hint">{t('donations.form.donorHint')}</p>
              </div>
              <fieldset
                className={`field field--group form-grid__full${errors.kind ? ' field--invalid' : ''}`}
                aria-describedby={errors.kind ? 'donation-kind-error' : undefined}
              >
                <legend>{t('donations.form.fields.kind')}</legend>
                <div className="segmented">
                  {DONATION_KINDS.map((value) => (
                    <label key={value} className="segmented__option">
                      <input
                        type="radio"
                        value={value}
                        data-testid={`donation-kind-${value}`}
                        {...register('kind')}
                      />
                      {t(`donations.kinds.${value}`)}
                    </label>
                  ))}
                </div>
                {errors.kind && (
                  <p
                    id="donation-kind-error"
                    className="field__error"
                    data-testid="donation-kind-error"
                  >
                    {validationMessage(t, errors.kind.message)}
                  </p>
                )}
              </fieldset>
              <Field
                label={t(`donations.form.amountLabels.${kind}`, { currency })}
                error={errors.amount}
                hint={t('donations.form.amountHint')}
                required
                className="field--narrow"
                errorTestId="donation-amount-error"
              >
                {(controlProps) => (
                  <input
                    {...controlProps}
                    type="text"
                    inputMode="decimal"
                    autoComplete="off"
                    data-testid="donation-amount"
                    {...register('amount')}
                  />
                )}
              </Field>
              <Field
                label={t('donations.form.fields.receivedOn')}
                error={errors.receivedOn}
                required
                errorTestId="donation-receivedOn-error"
              >
                {(controlProps) => (
                  <input
                    {...controlProps}
                    type="date"
                    data-testid="donation-receivedOn"
                    {...register('receivedOn')}
                  />
                )}
              </Field>
              {money && (
                <fieldset
                  className={`field field--group form-grid__full${errors.method ? ' field--invalid' : ''}`}
                  aria-describedby={errors.method ? 'donation-method-error' : undefined}
                >
                  <legend>{t('donations.form.fields.method')}</legend>
                  <div className="segmented">
                    {DESK_DONATION_METHODS.map((value) => (
                      <label key={value} className="segmented__option">
                        <input
                          type="radio"
                          value={value}
                          data-testid={`donation-method-${value}`}
                          {...register('method')}
                        />
                        {t(`memberships.payment.methods.${value}`)}
                      </label>
                    ))}
                  </div>
                  {errors.method && (
                    <p
                      id="donation-method-error"
                      className="field__error"
                      data-testid="donation-method-error"
                    >
                      {validationMessage(t, errors.method.message)}
                    </p>
                  )}
                </fieldset>
              )}
            </div>
          </fieldset>

          {money && method === 'cheque' && (
            <fieldset className="form-section" data-testid="donation-cheque">
              <legend>{t('donations.form.cheque')}</legend>
              <div className="form-grid">
                {text('chequeNumber', { maxLength: 30 })}
                {text('chequeBank', { maxLength: 100 })}
                {text('chequeDrawer', {
                  maxLength: 100,
                  hint: t('donations.form.chequeDrawerHint'),
                })}
              </div>
            </fieldset>
          )}
          {money && method === 'transfer' && (
            <fieldset className="form-section" data-testid="donation-transfer">
              <legend>{t('donations.form.transfer')}</legend>
              <div className="form-grid">
                {text('reference', {
                  maxLength: DONATION_REFERENCE_MAX,
                  hint: t('donations.form.referenceHint'),
                })}
              </div>
            </fieldset>
          )}
          {!money && (
            <fieldset className="form-section" data-testid="donation-in-kind">
              <legend>{t(`donations.form.nonMoney.${kind}`)}</legend>
              <p className="muted">{t(`donations.form.nonMoneyIntro.${kind}`)}</p>
              <div className="form-grid">
                <Field
                  label={t('donations.form.fields.description')}
                  error={errors.description}
                  hint={t('donations.form.descriptionHint')}
                  required
                  className="form-grid__full"
                  errorTestId="donation-description-error"
                >
                  {(controlProps) => (
                    <textarea
                      {...controlProps}
                      rows={3}
                      maxLength={500}
                      data-testid="donation-description"
                      {...register('description')}
                    />
                  )}
                </Field>
                {text('debitAccount', {
                  maxLength: 12,
                  numeric: true,
                  required: true,
                  hint: t(`donations.form.debitAccountHint.${kind}`),
                })}
                {kind === 'in_kind' &&
                  text('valuationMethod', {
                    maxLength: 300,
                    hint: t('donations.form.valuationMethodHint'),
                  })}
              </div>
            </fieldset>
          )}

          <fieldset className="form-section">
            <legend>{t('donations.form.more')}</legend>
            <div className="form-grid">
              <Field
                label={t('donations.form.fields.campaignId')}
                error={errors.campaignId}
                errorTestId="donation-campaignId-error"
              >
                {(controlProps) => (
                  <select
                    {...controlProps}
                    data-testid="donation-campaign"
                    {...register('campaignId')}
                  >
                    <option value="">{t('donations.form.noCampaign')}</option>
                    {offeredCampaigns.map((campaign) => (
                      <option key={campaign.id} value={campaign.id}>
                        {campaign.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <div className="form-grid__full">
                <label className="checkbox-field">
                  <input
                    type="checkbox"
                    data-testid="donation-wantsReceipt"
                    {...register('wantsReceipt')}
                  />
                  {t('donations.form.fields.wantsReceipt')}
                </label>
                <p className="field__hint">{t('donations.form.wantsReceiptHint')}</p>
                {errors.wantsReceipt && (
                  <p className="field__error" data-testid="donation-wantsReceipt-error">
                    {validationMessage(t, errors.wantsReceipt.message)}
                  </p>
                )}
              </div>
              <Field
                label={t('donations.form.fields.note')}
                error={errors.note}
                className="form-grid__full"
                errorTestId="donation-note-error"
              >
                {(controlProps) => (
                  <textarea
                    {...controlProps}
                    rows={2}
                    maxLength={1000}
                    data-testid="donation-note"
                    {...register('note')}
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
          <SubmitButton pending={submitting} testId="donation-submit">
            {t('donations.form.submit')}
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}
