import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  RULE_DIRECTIONS,
  reconciliationRuleInputSchema,
  type ReconciliationRuleView,
  type RuleDirection,
} from '@ruche/contracts';
import { reconciliationApi, type ReconciliationRuleBody } from '../../../api/reconciliation';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { FormErrors } from '../../../components/FormErrors';
import { validationMessage } from '../../../i18n/messages';
import { centsToInput, formProblems } from '../reconFormat';

const FIELDS = [
  'name',
  'labelContains',
  'direction',
  'minAmount',
  'maxAmount',
  'accountNumber',
  'analytic',
  'autoApply',
  'priority',
  'active',
] as const;
type RuleField = (typeof FIELDS)[number];

interface ControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
  'data-testid': string;
}

interface RuleFormValues {
  name: string;
  labelContains: string;
  direction: RuleDirection;
  minAmount: string;
  maxAmount: string;
  accountNumber: string;
  analytic: string;
  autoApply: boolean;
  priority: string;
  active: boolean;
}

function toValues(rule: ReconciliationRuleView | null): RuleFormValues {
  return {
    name: rule?.name ?? '',
    labelContains: rule?.labelContains ?? '',
    direction: rule?.direction ?? 'any',
    minAmount: rule?.minAmountCents == null ? '' : centsToInput(rule.minAmountCents),
    maxAmount: rule?.maxAmountCents == null ? '' : centsToInput(rule.maxAmountCents),
    accountNumber: rule?.accountNumber ?? '',
    analytic: rule?.analytic ?? '',
    autoApply: rule?.autoApply ?? false,
    priority: String(rule?.priority ?? 100),
    active: rule?.active ?? true,
  };
}

/**
 * A rule: lines whose label contains a text (in a direction, within amounts) go to an account;
 * applied by the automatic pass when "auto" is on, otherwise suggested. Lower priority first.
 */
export function RuleForm({
  rule,
  onCancel,
  onSaved,
}: {
  rule: ReconciliationRuleView | null;
  onCancel: () => void;
  onSaved: (rule: ReconciliationRuleView) => void;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const id = useId();
  const [values, setValues] = useState<RuleFormValues>(() => toValues(rule));
  const [errors, setErrors] = useState<Partial<Record<RuleField, string>>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [pending, setPending] = useState(false);

  const set = <K extends keyof RuleFormValues>(name: K, value: RuleFormValues[K]) =>
    setValues((previous) => ({ ...previous, [name]: value }));

  const submit = async () => {
    setErrors({});
    setGeneral([]);
    const priority = values.priority.trim();
    const body: ReconciliationRuleBody = {
      name: values.name,
      labelContains: values.labelContains,
      direction: values.direction,
      minAmount: values.minAmount.trim() || null,
      maxAmount: values.maxAmount.trim() || null,
      accountNumber: values.accountNumber.trim(),
      analytic: values.analytic.trim() || null,
      autoApply: values.autoApply,
      priority: /^\d+$/.test(priority) ? Number(priority) : Number.NaN,
      active: values.active,
    };
    const parsed = reconciliationRuleInputSchema.safeParse(body);
    if (!parsed.success) {
      const next: Partial<Record<RuleField, string>> = {};
      const rest: string[] = [];
      for (const issue of parsed.error.issues) {
        const field = FIELDS.find((name) => name === issue.path.map(String).join('.'));
        const empty =
          (field === 'name' || field === 'labelContains' || field === 'accountNumber') &&
          !values[field].trim();
        const message = empty
          ? t('errors.required')
          : field === 'priority'
            ? t('reconciliation.rules.priorityRange')
            : issue.message === 'The minimum is above the maximum'
              ? t('reconciliation.rules.minAboveMax')
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
      const saved = rule
        ? await reconciliationApi.updateRule(organization.id, rule.id, body)
        : await reconciliationApi.createRule(organization.id, body);
      onSaved(saved);
    } catch (error) {
      const split = formProblems(t, error, FIELDS);
      setErrors(split.byField);
      setGeneral(split.general);
    } finally {
      setPending(false);
    }
  };

  const field = (
    name: RuleField,
    control: (props: ControlProps) => ReactNode,
    options: { hint?: string; required?: boolean } = {},
  ) => {
    const controlId = `${id}-${name}`;
    const error = errors[name];
    const describedBy =
      [options.hint ? `${controlId}-hint` : '', error ? `${controlId}-error` : '']
        .filter(Boolean)
        .join(' ') || undefined;
    const label = t(`reconciliation.rules.fields.${name}`);
    return (
      <div className={`field${error ? ' field--invalid' : ''}`}>
        {options.required ? (
          <span className="field__label">
            <label htmlFor={controlId}>{label}</label>
            <span className="field__required" aria-hidden="true">
              *
            </span>
          </span>
        ) : (
          <label htmlFor={controlId}>{label}</label>
        )}
        {control({
          id: controlId,
          'aria-invalid': Boolean(error),
          'aria-describedby': describedBy,
          'data-testid': `recon-rule-${name}`,
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
            data-testid={`recon-rule-${name}-error`}
          >
            {error}
          </p>
        )}
      </div>
    );
  };

  const text =
    (name: 'name' | 'labelContains' | 'accountNumber' | 'analytic', max: number) =>
    (props: ControlProps) => (
      <input
        {...props}
        type="text"
        maxLength={max}
        value={values[name]}
        inputMode={name === 'accountNumber' ? 'numeric' : undefined}
        onChange={(event) => set(name, event.target.value)}
      />
    );
  const amount = (name: 'minAmount' | 'maxAmount') => (props: ControlProps) => (
    <input
      {...props}
      type="text"
      inputMode="decimal"
      maxLength={20}
      placeholder="0,00"
      value={values[name]}
      onChange={(event) => set(name, event.target.value)}
    />
  );

  return (
    <form
      className="form panel panel--inset"
      noValidate
      aria-labelledby={`${id}-title`}
      data-testid="recon-rule-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3 id={`${id}-title`}>
        {rule
          ? t('reconciliation.rules.editTitle', { name: rule.name })
          : t('reconciliation.rules.newTitle')}
      </h3>
      <FormErrors messages={general} testId="recon-rule-errors" />
      <fieldset disabled={pending} className="form-sections">
        <div className="form-grid">
          {field('name', text('name', 120), { required: true })}
          {field('labelContains', text('labelContains', 120), {
            required: true,
            hint: t('reconciliation.rules.hints.labelContains'),
          })}
          {field('direction', (props) => (
            <select
              {...props}
              value={values.direction}
              onChange={(event) => {
                const next = RULE_DIRECTIONS.find((option) => option === event.target.value);
                if (next) set('direction', next);
              }}
            >
              {RULE_DIRECTIONS.map((option) => (
                <option key={option} value={option}>
                  {t(`reconciliation.directions.${option}`)}
                </option>
              ))}
            </select>
          ))}
          {field('minAmount', amount('minAmount'), {
            hint: t('reconciliation.rules.hints.amount'),
          })}
          {field('maxAmount', amount('maxAmount'), {
            hint: t('reconciliation.rules.hints.amount'),
          })}
          {field('accountNumber', text('accountNumber', 12), {
            required: true,
            hint: t('reconciliation.rules.hints.accountNumber'),
          })}
          {field('analytic', text('analytic', 50))}
          {field(
            'priority',
            (props) => (
              <input
                {...props}
                type="number"
                min={0}
                max={1000}
                value={values.priority}
                onChange={(event) => set('priority', event.target.value)}
              />
            ),
            { hint: t('reconciliation.rules.hints.priority') },
          )}
          <div className="form-grid__full stack">
            <label className="checkbox-field">
              <input
                type="checkbox"
                checked={values.autoApply}
                data-testid="recon-rule-autoApply"
                onChange={(event) => set('autoApply', event.target.checked)}
              />
              {t('reconciliation.rules.fields.autoApply')}
            </label>
            <p className="field__hint">{t('reconciliation.rules.hints.autoApply')}</p>
            <label className="checkbox-field">
              <input
                type="checkbox"
                checked={values.active}
                data-testid="recon-rule-active"
                onChange={(event) => set('active', event.target.checked)}
              />
              {t('reconciliation.rules.fields.active')}
            </label>
          </div>
        </div>
      </fieldset>
      <div className="button-row">
        <button
          type="submit"
          className="button button--primary"
          disabled={pending}
          aria-busy={pending}
          data-testid="recon-rule-submit"
        >
          {pending && <span className="spinner spinner--light" aria-hidden="true" />}
          {rule ? t('common.save') : t('reconciliation.rules.create')}
        </button>
        <button
          type="button"
          className="button"
          disabled={pending}
          data-testid="recon-rule-cancel"
          onClick={onCancel}
        >
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
