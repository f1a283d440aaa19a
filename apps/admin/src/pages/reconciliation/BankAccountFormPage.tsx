import { useCallback, useId, useState } from 'react';
import { useForm, useWatch, type Path } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { bankAccountInputSchema, type AccountView, type BankAccountView } from '@ruche/contracts';
import { reconciliationApi, type BankAccountBody } from '../../api/reconciliation';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { FormErrors } from '../../components/FormErrors';
import { ResourceState } from '../../components/ResourceState';
import { SubmitButton } from '../../components/SubmitButton';
import { useFormErrors, zodIssues } from '../../components/useFormErrors';
import { validationMessage } from '../../i18n/messages';
import { useAccounts } from '../accounting/useAccountingLists';
import { formatIban } from './bankFormat';
import { useBankAccounts } from './useBankAccounts';

interface BankAccountFormValues {
  name: string;
  /** As typed ("FR76 3000 …"): the server keeps it in electronic form. */
  iban: string;
  /** Empty: none. */
  bic: string;
  /** A 512x account of the chart. */
  accountNumber: string;
  currency: string;
  active: boolean;
  /** Shown to members paying by transfer (one account at most: choosing it releases the other). */
  acceptTransfers: boolean;
}

const FIELDS = [
  'name',
  'iban',
  'bic',
  'accountNumber',
  'currency',
  'active',
  'acceptTransfers',
] as const satisfies readonly (keyof BankAccountFormValues)[];
type BankAccountField = (typeof FIELDS)[number];
const isBankAccountField = (path: string): path is BankAccountField =>
  FIELDS.some((field) => field === path);

/** The ledger accounts a bank account may mirror: the active 512x accounts of the chart. */
const BANK_LEDGER_PREFIX = '512';

function toForm(account: BankAccountView | undefined): BankAccountFormValues {
  return {
    name: account?.name ?? '',
    iban: account ? formatIban(account.iban) : '',
    bic: account?.bic ?? '',
    accountNumber: account?.accountNumber ?? '',
    currency: account?.currency ?? 'EUR',
    active: account?.active ?? true,
    acceptTransfers: account?.acceptTransfers ?? false,
  };
}

/**
 * `reconciliation/accounts/new` and `reconciliation/accounts/:bankAccountId/edit`: a bank account
 * (name, IBAN, BIC, the 512x ledger account it mirrors, currency, active, shown to members who pay
 * by transfer).
 */
export function BankAccountFormPage() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const { bankAccountId } = useParams();
  const accounts = useBankAccounts();
  const chart = useAccounts();
  const account = bankAccountId
    ? accounts.data?.find((candidate) => candidate.id === bankAccountId)
    : undefined;
  const base = `/orgs/${organization.id}/reconciliation`;
  const back = bankAccountId ? `${base}/accounts/${bankAccountId}` : base;
  /** Null when the chart could not be read: the ledger account is then typed. */
  const ledgerAccounts = chart.data
    ? chart.data
        .filter((candidate) => candidate.active && candidate.number.startsWith(BANK_LEDGER_PREFIX))
        .sort((a, b) => a.number.localeCompare(b.number))
    : null;
  // The form waits for the chart once (its select needs the options), then stays mounted.
  const [chartSettled, setChartSettled] = useState(false);
  if (!chartSettled && (chart.data !== undefined || !chart.loading)) setChartSettled(true);

  return (
    <section className="panel" aria-labelledby="bank-account-form-title">
      <p>
        <Link to={back} data-testid="bank-account-back">
          ←{' '}
          {bankAccountId
            ? t('reconciliation.form.backToAccount')
            : t('reconciliation.form.backToList')}
        </Link>
      </p>
      <h2 id="bank-account-form-title">
        {account
          ? t('reconciliation.form.editTitle', { name: account.name })
          : t('reconciliation.form.newTitle')}
      </h2>
      {bankAccountId && <ResourceState resource={accounts} />}
      {bankAccountId && accounts.data && !account && (
        <Alert kind="error">
          <span data-testid="bank-account-not-found">{t('reconciliation.form.notFound')}</span>
        </Alert>
      )}
      <ResourceState resource={chart} />
      {ledgerAccounts?.length === 0 && (
        <Alert kind="info">
          <span data-testid="bank-account-no-ledger">
            {t('reconciliation.form.noBankAccounts')}
          </span>
          {organization.can('accounting.read') && (
            <Link to={`/orgs/${organization.id}/accounting/accounts`}>
              {t('reconciliation.form.openChart')}
            </Link>
          )}
        </Alert>
      )}
      {(!bankAccountId || account) && chartSettled && (
        <BankAccountForm
          key={account?.id ?? 'new'}
          account={account}
          ledgerAccounts={ledgerAccounts}
          transferAccount={accounts.data?.find(
            (other) => other.acceptTransfers && other.id !== account?.id,
          )}
          back={back}
          onSaved={accounts.reload}
        />
      )}
    </section>
  );
}

function BankAccountForm({
  account,
  ledgerAccounts,
  transferAccount,
  back,
  onSaved,
}: {
  account: BankAccountView | undefined;
  ledgerAccounts: AccountView[] | null;
  /** Another account shown for transfers now: choosing this one releases it. */
  transferAccount: BankAccountView | undefined;
  back: string;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const navigate = useNavigate();
  const [submitting, setSubmitting] = useState(false);
  const [saved, setSaved] = useState(false);
  const activeHintId = useId();
  const transfersHintId = useId();
  const {
    register,
    control,
    getValues,
    setError,
    clearErrors,
    reset,
    formState: { errors, isDirty },
  } = useForm<BankAccountFormValues>({ defaultValues: toForm(account) });
  const active = useWatch({ control, name: 'active' });
  const acceptTransfers = useWatch({ control, name: 'acceptTransfers' });

  const fieldOf = useCallback(
    (path: string): Path<BankAccountFormValues> | null => (isBankAccountField(path) ? path : null),
    [],
  );
  const labelOf = useCallback(
    (path: string) => (isBankAccountField(path) ? t(`reconciliation.form.fields.${path}`) : null),
    [t],
  );
  const { general, place, report, clear } = useFormErrors(setError, { fieldOf, labelOf });

  const submit = async () => {
    clear();
    clearErrors();
    setSaved(false);
    const values = getValues();
    const body: BankAccountBody = {
      name: values.name,
      iban: values.iban,
      bic: values.bic.trim() ? values.bic.trim() : null,
      accountNumber: values.accountNumber.trim(),
      currency: values.currency.trim().toUpperCase(),
      active: values.active,
      // An inactive account is never shown to payers.
      acceptTransfers: values.active && values.acceptTransfers,
    };
    const parsed = bankAccountInputSchema.safeParse(body);
    if (!parsed.success) {
      // An empty IBAN or ledger account reads "Required", not "invalid IBAN" or "digits only".
      const empty = (['iban', 'accountNumber'] as const).filter((field) => !values[field].trim());
      return place([
        ...zodIssues(parsed.error).filter((issue) => !empty.some((field) => field === issue.field)),
        ...empty.map((field) => ({ field, message: t('errors.required') })),
      ]);
    }
    setSubmitting(true);
    try {
      const result = account
        ? await reconciliationApi.updateAccount(organization.id, account.id, body)
        : await reconciliationApi.createAccount(organization.id, body);
      onSaved();
      if (account) {
        reset(toForm(result));
        setSaved(true);
      } else {
        await navigate(`/orgs/${organization.id}/reconciliation/accounts/${result.id}`);
      }
    } catch (error) {
      report(error);
    } finally {
      setSubmitting(false);
    }
  };

  const current = account?.accountNumber;
  const currentMissing =
    current !== undefined &&
    ledgerAccounts !== null &&
    !ledgerAccounts.some((candidate) => candidate.number === current);

  return (
    <form
      className="form"
      noValidate
      data-testid="bank-account-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <FormErrors messages={general} testId="bank-account-form-errors" />
      {saved && !isDirty && (
        <Alert kind="success">
          <span data-testid="bank-account-saved">{t('reconciliation.form.saved')}</span>
        </Alert>
      )}
      <div className="form-grid">
        <Field
          label={t('reconciliation.form.fields.name')}
          error={errors.name}
          hint={t('reconciliation.form.hints.name')}
          required
          className="form-grid__full"
          errorTestId="bank-account-form-name-error"
        >
          {(controlProps) => (
            <input
              {...controlProps}
              type="text"
              maxLength={120}
              data-testid="bank-account-form-name"
              {...register('name')}
            />
          )}
        </Field>
        <Field
          label={t('reconciliation.form.fields.iban')}
          error={errors.iban}
          hint={t('reconciliation.form.hints.iban')}
          required
          errorTestId="bank-account-form-iban-error"
        >
          {(controlProps) => (
            <input
              {...controlProps}
              type="text"
              maxLength={50}
              autoComplete="off"
              spellCheck={false}
              data-testid="bank-account-form-iban"
              {...register('iban')}
            />
          )}
        </Field>
        <Field
          label={t('reconciliation.form.fields.bic')}
          error={errors.bic}
          hint={t('reconciliation.form.hints.bic')}
          className="field--narrow"
          errorTestId="bank-account-form-bic-error"
        >
          {(controlProps) => (
            <input
              {...controlProps}
              type="text"
              maxLength={11}
              autoComplete="off"
              spellCheck={false}
              data-testid="bank-account-form-bic"
              {...register('bic')}
            />
          )}
        </Field>
        <Field
          label={t('reconciliation.form.fields.accountNumber')}
          error={errors.accountNumber}
          hint={t('reconciliation.form.hints.accountNumber')}
          required
          errorTestId="bank-account-form-accountNumber-error"
        >
          {(controlProps) =>
            ledgerAccounts === null ? (
              <input
                {...controlProps}
                type="text"
                inputMode="numeric"
                maxLength={12}
                autoComplete="off"
                data-testid="bank-account-form-accountNumber"
                {...register('accountNumber')}
              />
            ) : (
              <select
                {...controlProps}
                data-testid="bank-account-form-accountNumber"
                {...register('accountNumber')}
              >
                <option value="">{t('reconciliation.form.chooseAccount')}</option>
                {currentMissing && (
                  <option value={current}>
                    {t('reconciliation.form.notInChart', { number: current })}
                  </option>
                )}
                {ledgerAccounts.map((ledger) => (
                  <option key={ledger.number} value={ledger.number}>
                    {ledger.number} — {ledger.label}
                  </option>
                ))}
              </select>
            )
          }
        </Field>
        <Field
          label={t('reconciliation.form.fields.currency')}
          error={errors.currency}
          hint={t('reconciliation.form.hints.currency')}
          className="field--narrow"
          errorTestId="bank-account-form-currency-error"
        >
          {(controlProps) => (
            <input
              {...controlProps}
              type="text"
              maxLength={3}
              autoComplete="off"
              spellCheck={false}
              data-testid="bank-account-form-currency"
              {...register('currency')}
            />
          )}
        </Field>
        <div className="form-grid__full stack">
          <label className="checkbox-field">
            <input
              type="checkbox"
              aria-describedby={activeHintId}
              data-testid="bank-account-form-active"
              {...register('active')}
            />
            {t('reconciliation.form.fields.active')}
          </label>
          <p id={activeHintId} className="field__hint">
            {t('reconciliation.form.hints.active')}
          </p>
        </div>
        <div className="form-grid__full stack">
          <label className="checkbox-field">
            <input
              type="checkbox"
              aria-describedby={transfersHintId}
              aria-invalid={errors.acceptTransfers ? true : undefined}
              disabled={!active}
              data-testid="bank-account-form-accept-transfers"
              {...register('acceptTransfers')}
            />
            {t('reconciliation.form.fields.acceptTransfers')}
          </label>
          <p id={transfersHintId} className="field__hint">
            {active
              ? t('reconciliation.form.hints.acceptTransfers')
              : t('reconciliation.form.hints.acceptTransfersInactive')}
            {active && acceptTransfers && transferAccount && (
              <>
                {' '}
                <span data-testid="bank-account-form-transfer-release">
                  {t('reconciliation.form.hints.acceptTransfersRelease', {
                    name: transferAccount.name,
                  })}
                </span>
              </>
            )}
          </p>
          {errors.acceptTransfers && (
            <p
              className="field__error"
              role="alert"
              data-testid="bank-account-form-accept-transfers-error"
            >
              {validationMessage(t, errors.acceptTransfers.message)}
            </p>
          )}
        </div>
      </div>
      <div className="form-actions button-row">
        <Link to={back} className="button">
          {t('common.cancel')}
        </Link>
        <SubmitButton pending={submitting} testId="bank-account-submit">
          {account ? t('common.save') : t('reconciliation.form.create')}
        </SubmitButton>
      </div>
    </form>
  );
}
