import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  lineEntryInputSchema,
  type AccountView,
  type BankAccountView,
  type MatchView,
  type WorkspaceLineView,
} from '@ruche/contracts';
import { reconciliationApi, type LineEntryBody } from '../../../api/reconciliation';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { FormErrors } from '../../../components/FormErrors';
import { validationMessage } from '../../../i18n/messages';
import { formProblems, labelPattern, sentenceCase } from '../reconFormat';

const FIELDS = [
  'accountNumber',
  'label',
  'analytic',
  'rememberAs.name',
  'rememberAs.labelContains',
] as const;
type EntryField = (typeof FIELDS)[number];
type FieldErrors = Partial<Record<EntryField, string>>;

/** The test id of each field (and of its error, with `-error`). */
const TEST_IDS: Record<EntryField, string> = {
  accountNumber: 'recon-entry-account',
  label: 'recon-entry-label',
  analytic: 'recon-entry-analytic',
  'rememberAs.name': 'recon-entry-rule-name',
  'rememberAs.labelContains': 'recon-entry-rule-contains',
};

/**
 * "Passer en écriture": a line with no ledger counterpart (bank fees, a subscription...) posted
 * against an account of the chart and lettered at once; "Créer une règle" also remembers the
 * label ("libellé contient") so that the next such lines are suggested, or posted by themselves.
 */
export function EntryForm({
  account,
  line,
  chart,
  canConfigure,
  initialAccount = '',
  onPosted,
}: {
  account: BankAccountView;
  line: WorkspaceLineView;
  /** The accounts offered (active, postable, not a bank account); empty when unknown. */
  chart: readonly AccountView[];
  canConfigure: boolean;
  initialAccount?: string;
  onPosted: (match: MatchView) => void;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const id = useId();
  const [accountNumber, setAccountNumber] = useState(initialAccount);
  const [label, setLabel] = useState(line.label.slice(0, 200));
  const [analytic, setAnalytic] = useState('');
  const [remember, setRemember] = useState(false);
  const [ruleName, setRuleName] = useState(sentenceCase(labelPattern(line.label)).slice(0, 120));
  const [ruleContains, setRuleContains] = useState(labelPattern(line.label).slice(0, 120));
  const [ruleAuto, setRuleAuto] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [pending, setPending] = useState(false);

  const submit = async () => {
    setErrors({});
    setGeneral([]);
    const body: LineEntryBody = {
      bankLineId: line.id,
      accountNumber: accountNumber.trim(),
      label: label.trim() || null,
      analytic: analytic.trim() || null,
      ...(remember && canConfigure
        ? { rememberAs: { name: ruleName, labelContains: ruleContains, autoApply: ruleAuto } }
        : {}),
    };
    const parsed = lineEntryInputSchema.safeParse(body);
    if (!parsed.success) {
      const next: FieldErrors = {};
      const rest: string[] = [];
      for (const issue of parsed.error.issues) {
        const path = issue.path.map(String).join('.');
        const field = FIELDS.find((name) => name === path);
        const message =
          field === 'accountNumber' && !accountNumber.trim()
            ? t('errors.required')
            : validationMessage(t, issue.message);
        if (field) next[field] ??= message;
        else rest.push(message);
      }
      setErrors(next);
      setGeneral(rest);
      return;
    }
    setPending(true);
    try {
      onPosted(await reconciliationApi.postEntry(organization.id, account.id, body));
    } catch (error) {
      const split = formProblems(t, error, FIELDS);
      setErrors(split.byField);
      setGeneral(split.general);
    } finally {
      setPending(false);
    }
  };

  const field = (
    name: EntryField,
    labelText: string,
    control: (props: {
      id: string;
      'aria-invalid': boolean;
      'aria-describedby'?: string;
      'data-testid': string;
    }) => ReactNode,
    options: { hint?: string; required?: boolean; full?: boolean } = {},
  ) => {
    const controlId = `${id}-${name}`;
    const error = errors[name];
    const describedBy =
      [options.hint ? `${controlId}-hint` : '', error ? `${controlId}-error` : '']
        .filter(Boolean)
        .join(' ') || undefined;
    return (
      <div
        className={`field${error ? ' field--invalid' : ''}${options.full ? ' form-grid__full' : ''}`}
      >
        {options.required ? (
          <span className="field__label">
            <label htmlFor={controlId}>{labelText}</label>
            <span className="field__required" aria-hidden="true">
              *
            </span>
          </span>
        ) : (
          <label htmlFor={controlId}>{labelText}</label>
        )}
        {control({
          id: controlId,
          'aria-invalid': Boolean(error),
          'aria-describedby': describedBy,
          'data-testid': TEST_IDS[name],
        })}
        {options.hint && (
          <p id={`${controlId}-hint`} className="field__hint">
            {options.hint}
          </p>
        )}
        {error && (
          <p
            id={`${controlId}-error`}
            className="field__error"
            role="alert"
            data-testid={`${TEST_IDS[name]}-error`}
          >
            {error}
          </p>
        )}
      </div>
    );
  };

  const listId = `${id}-chart`;
  return (
    <form
      className="form"
      noValidate
      data-testid="recon-entry-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <p className="muted">{t('reconciliation.entry.intro')}</p>
      <FormErrors messages={general} testId="recon-entry-errors" />
      <div className="form-grid">
        {field(
          'accountNumber',
          t('reconciliation.entry.account'),
          (props) => (
            <input
              {...props}
              type="text"
              inputMode="numeric"
              maxLength={12}
              autoComplete="off"
              list={chart.length > 0 ? listId : undefined}
              aria-required
              value={accountNumber}
              onChange={(event) => setAccountNumber(event.target.value)}
            />
          ),
          { hint: t('reconciliation.entry.accountHint'), required: true },
        )}
        {field(
          'analytic',
          t('reconciliation.entry.analytic'),
          (props) => (
            <input
              {...props}
              type="text"
              maxLength={50}
              value={analytic}
              onChange={(event) => setAnalytic(event.target.value)}
            />
          ),
          { hint: t('reconciliation.entry.analyticHint') },
        )}
        {field(
          'label',
          t('reconciliation.entry.label'),
          (props) => (
            <input
              {...props}
              type="text"
              maxLength={200}
              value={label}
              onChange={(event) => setLabel(event.target.value)}
            />
          ),
          { full: true },
        )}
        {chart.length > 0 && (
          <datalist id={listId}>
            {chart.map((ledger) => (
              <option key={ledger.number} value={ledger.number}>
                {ledger.number} — {ledger.label}
              </option>
            ))}
          </datalist>
        )}
        {canConfigure && (
          <div className="form-grid__full stack">
            <label className="checkbox-field">
              <input
                type="checkbox"
                checked={remember}
                data-testid="recon-entry-remember"
                onChange={(event) => setRemember(event.target.checked)}
              />
              {t('reconciliation.entry.remember')}
            </label>
            {remember && (
              <fieldset className="form-section" data-testid="recon-entry-rule">
                <legend>{t('reconciliation.entry.ruleTitle')}</legend>
                <div className="form-grid">
                  {field(
                    'rememberAs.name',
                    t('reconciliation.entry.ruleName'),
                    (props) => (
                      <input
                        {...props}
                        type="text"
                        maxLength={120}
                        aria-required
                        value={ruleName}
                        onChange={(event) => setRuleName(event.target.value)}
                      />
                    ),
                    { required: true },
                  )}
                  {field(
                    'rememberAs.labelContains',
                    t('reconciliation.entry.ruleContains'),
                    (props) => (
                      <input
                        {...props}
                        type="text"
                        maxLength={120}
                        aria-required
                        value={ruleContains}
                        onChange={(event) => setRuleContains(event.target.value)}
                      />
                    ),
                    { required: true, hint: t('reconciliation.entry.ruleContainsHint') },
                  )}
                  <label className="checkbox-field form-grid__full">
                    <input
                      type="checkbox"
                      checked={ruleAuto}
                      data-testid="recon-entry-rule-auto"
                      onChange={(event) => setRuleAuto(event.target.checked)}
                    />
                    {t('reconciliation.entry.ruleAuto')}
                  </label>
                </div>
              </fieldset>
            )}
          </div>
        )}
      </div>
      <div className="button-row">
        <button
          type="submit"
          className="button button--primary"
          disabled={pending}
          aria-busy={pending}
          data-testid="recon-entry-submit"
        >
          {pending && <span className="spinner spinner--light" aria-hidden="true" />}
          {remember && canConfigure
            ? t('reconciliation.entry.submitWithRule')
            : t('reconciliation.entry.submit')}
        </button>
      </div>
    </form>
  );
}
