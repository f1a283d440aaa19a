import { useCallback, useState } from 'react';
import { useFieldArray, useForm, type Path } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { campaignInputSchema, type CampaignView } from '@ruche/contracts';
import { donationsApi, type CampaignBody } from '../../../api/donations';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { FormErrors } from '../../../components/FormErrors';
import { ResourceState } from '../../../components/ResourceState';
import { SubmitButton } from '../../../components/SubmitButton';
import { useFormErrors, zodIssues } from '../../../components/useFormErrors';
import { validationMessage } from '../../../i18n/messages';
import { useOrgCurrency } from '../../accounting/money';
import { centsToAmount } from '../../payments/paymentLabels';
import { amountItemsToCents, filledItems, toAmountItems, type AmountItem } from '../amounts';
import { AmountListField } from '../AmountListField';
import { GoalProgress } from '../GoalProgress';
import { useCampaigns } from '../useCampaigns';
import { DonationPageLinks } from './DonationPageLinks';

interface CampaignFormValues {
  name: string;
  description: string;
  /** As typed ("5000", "5 000,00"); empty: no goal. */
  goal: string;
  suggestedAmounts: AmountItem[];
  allowMonthly: boolean;
  revenueAccount: string;
  analytic: string;
  active: boolean;
}

const FIELDS = [
  'name',
  'description',
  'goal',
  'allowMonthly',
  'revenueAccount',
  'analytic',
  'active',
] as const satisfies readonly (keyof CampaignFormValues)[];
type CampaignField = (typeof FIELDS)[number];
const isCampaignField = (path: string): path is CampaignField =>
  FIELDS.some((field) => field === path);

function toForm(campaign: CampaignView | undefined): CampaignFormValues {
  return {
    name: campaign?.name ?? '',
    description: campaign?.description ?? '',
    goal: campaign?.goalCents ? centsToAmount(campaign.goalCents) : '',
    suggestedAmounts: toAmountItems(campaign?.suggestedAmounts ?? []),
    allowMonthly: campaign?.allowMonthly ?? true,
    revenueAccount: campaign?.revenueAccount ?? '',
    analytic: campaign?.analytic ?? '',
    active: campaign?.active ?? true,
  };
}

/**
 * `donations/campaigns/new` and `donations/campaigns/:campaignId`: a campaign (name, goal,
 * amounts suggested on its page, monthly gifts, accounts), then its public link.
 */
export function CampaignFormPage() {
  const { t } = useTranslation();
  const { campaignId } = useParams();
  const campaigns = useCampaigns();
  const campaign = campaignId
    ? campaigns.data?.find((candidate) => candidate.id === campaignId)
    : undefined;

  return (
    <section className="panel" aria-labelledby="campaign-form-title">
      <p>
        <Link to=".." relative="path" data-testid="campaign-back">
          ← {t('donations.campaigns.backToList')}
        </Link>
      </p>
      <h2 id="campaign-form-title">
        {campaign
          ? t('donations.campaigns.editTitle', { name: campaign.name })
          : t('donations.campaigns.newTitle')}
      </h2>
      {campaignId && <ResourceState resource={campaigns} />}
      {campaignId && campaigns.data && !campaign && (
        <Alert kind="error">{t('donations.campaigns.notFound')}</Alert>
      )}
      {(!campaignId || campaign) && (
        <CampaignForm key={campaign?.id ?? 'new'} campaign={campaign} onSaved={campaigns.reload} />
      )}
      {campaign && (
        <>
          <h3>{t('donations.campaigns.progressTitle')}</h3>
          <GoalProgress
            raisedCents={campaign.raisedCents}
            goalCents={campaign.goalCents}
            currency={campaign.currency}
            testId="campaign-detail-progress"
          />
          <DonationPageLinks
            campaignId={campaign.id}
            title={t('donations.links.campaignTitle')}
            testId="campaign-page-links"
          />
        </>
      )}
    </section>
  );
}

function CampaignForm({
  campaign,
  onSaved,
}: {
  campaign: CampaignView | undefined;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const navigate = useNavigate();
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
  } = useForm<CampaignFormValues>({ defaultValues: toForm(campaign) });
  const amounts = useFieldArray({ control, name: 'suggestedAmounts' });

  const fieldOf = useCallback((path: string): Path<CampaignFormValues> | null => {
    if (isCampaignField(path)) return path;
    const [head, index] = path.split('.');
    if (head === 'suggestedAmounts') {
      return index !== undefined && /^\d+$/.test(index)
        ? `suggestedAmounts.${Number(index)}.amount`
        : 'suggestedAmounts';
    }
    return null;
  }, []);
  const labelOf = useCallback(
    (path: string) => (isCampaignField(path) ? t(`donations.campaigns.fields.${path}`) : null),
    [t],
  );
  const { general, place, report, clear } = useFormErrors(setError, { fieldOf, labelOf });

  const submit = async () => {
    clear();
    clearErrors();
    setSaved(false);
    const items = filledItems(getValues('suggestedAmounts'));
    amounts.replace(items);
    const values = getValues();
    const { cents, issues } = amountItemsToCents(items, 'suggestedAmounts');
    if (issues.length > 0) return place(issues);
    const body: CampaignBody = {
      name: values.name,
      description: values.description,
      goal: values.goal.trim(),
      suggestedAmounts: cents,
      allowMonthly: values.allowMonthly,
      revenueAccount: values.revenueAccount.trim(),
      analytic: values.analytic,
      active: values.active,
    };
    const parsed = campaignInputSchema.safeParse(body);
    if (!parsed.success) return place(zodIssues(parsed.error));
    setSubmitting(true);
    try {
      const result = campaign
        ? await donationsApi.updateCampaign(organization.id, campaign.id, body)
        : await donationsApi.createCampaign(organization.id, body);
      onSaved();
      if (campaign) {
        reset(toForm(result));
        setSaved(true);
      } else {
        await navigate(`/orgs/${organization.id}/donations/campaigns/${result.id}`);
      }
    } catch (error) {
      report(error);
    } finally {
      setSubmitting(false);
    }
  };

  const amountError = (index: number) => {
    const message = errors.suggestedAmounts?.[index]?.amount?.message;
    return message === undefined ? undefined : validationMessage(t, message);
  };
  const listError = errors.suggestedAmounts?.message ?? errors.suggestedAmounts?.root?.message;

  return (
    <form
      className="form"
      noValidate
      data-testid="campaign-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <FormErrors messages={general} testId="campaign-form-errors" />
      {saved && !isDirty && (
        <Alert kind="success">
          <span data-testid="campaign-saved">{t('donations.campaigns.saved')}</span>
        </Alert>
      )}
      <div className="form-sections">
        <fieldset className="form-section">
          <legend>{t('donations.campaigns.sections.campaign')}</legend>
          <div className="form-grid">
            <Field
              label={t('donations.campaigns.fields.name')}
              error={errors.name}
              required
              className="form-grid__full"
              errorTestId="campaign-name-error"
            >
              {(controlProps) => (
                <input
                  {...controlProps}
                  type="text"
                  maxLength={120}
                  data-testid="campaign-name"
                  {...register('name')}
                />
              )}
            </Field>
            <Field
              label={t('donations.campaigns.fields.description')}
              error={errors.description}
              hint={t('donations.campaigns.hints.description')}
              className="form-grid__full"
              errorTestId="campaign-description-error"
            >
              {(controlProps) => (
                <textarea
                  {...controlProps}
                  rows={4}
                  maxLength={2000}
                  data-testid="campaign-description"
                  {...register('description')}
                />
              )}
            </Field>
            <Field
              label={t('donations.campaigns.fields.goalWithCurrency', { currency })}
              error={errors.goal}
              hint={t('donations.campaigns.hints.goal')}
              className="field--narrow"
              errorTestId="campaign-goal-error"
            >
              {(controlProps) => (
                <input
                  {...controlProps}
                  type="text"
                  inputMode="decimal"
                  autoComplete="off"
                  data-testid="campaign-goal"
                  {...register('goal')}
                />
              )}
            </Field>
            <div className="form-grid__full stack">
              <label className="checkbox-field">
                <input type="checkbox" data-testid="campaign-active" {...register('active')} />
                {t('donations.campaigns.fields.active')}
              </label>
              <label className="checkbox-field">
                <input
                  type="checkbox"
                  data-testid="campaign-allowMonthly"
                  {...register('allowMonthly')}
                />
                {t('donations.campaigns.fields.allowMonthly')}
              </label>
            </div>
          </div>
        </fieldset>
        <fieldset className="form-section">
          <legend>{t('donations.campaigns.sections.page')}</legend>
          <div className="form-grid">
            <AmountListField
              legend={t('donations.campaigns.fields.suggestedAmounts')}
              hint={t('donations.campaigns.hints.suggestedAmounts')}
              currency={currency}
              rows={amounts.fields}
              register={(index) => register(`suggestedAmounts.${index}.amount`)}
              errorAt={amountError}
              error={listError ? validationMessage(t, listError) : undefined}
              onAdd={() => amounts.append({ amount: '' })}
              onRemove={(index) => amounts.remove(index)}
              testId="campaign-amount"
            />
          </div>
        </fieldset>
        <fieldset className="form-section">
          <legend>{t('donations.campaigns.sections.accounting')}</legend>
          <div className="form-grid">
            <Field
              label={t('donations.campaigns.fields.revenueAccount')}
              error={errors.revenueAccount}
              hint={t('donations.campaigns.hints.revenueAccount')}
              errorTestId="campaign-revenueAccount-error"
            >
              {(controlProps) => (
                <input
                  {...controlProps}
                  type="text"
                  inputMode="numeric"
                  maxLength={12}
                  autoComplete="off"
                  data-testid="campaign-revenueAccount"
                  {...register('revenueAccount')}
                />
              )}
            </Field>
            <Field
              label={t('donations.campaigns.fields.analytic')}
              error={errors.analytic}
              hint={t('donations.campaigns.hints.analytic')}
              errorTestId="campaign-analytic-error"
            >
              {(controlProps) => (
                <input
                  {...controlProps}
                  type="text"
                  maxLength={40}
                  autoComplete="off"
                  data-testid="campaign-analytic"
                  {...register('analytic')}
                />
              )}
            </Field>
          </div>
        </fieldset>
      </div>
      <div className="form-actions button-row">
        <Link to=".." relative="path" className="button">
          {t('common.cancel')}
        </Link>
        <SubmitButton pending={submitting} testId="campaign-submit">
          {campaign ? t('common.save') : t('donations.campaigns.create')}
        </SubmitButton>
      </div>
    </form>
  );
}
