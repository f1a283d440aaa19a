import { Fragment, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  reconciliationSettingsSchema,
  type ReconciliationRuleView,
  type ReconciliationSettingsView,
} from '@ruche/contracts';
import { reconciliationApi, type ReconciliationRuleBody } from '../../../api/reconciliation';
import { useResource, type Resource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { Badge } from '../../../components/Badge';
import { EmptyState } from '../../../components/EmptyState';
import { FeedbackAlert } from '../../../components/FeedbackAlert';
import { FormErrors } from '../../../components/FormErrors';
import { ResourceState } from '../../../components/ResourceState';
import { useAction } from '../../../components/useAction';
import { validationMessage } from '../../../i18n/messages';
import { RECONCILIATION_CONFIGURE_PERMISSION } from '../../../layout/navigation';
import { formatMoney, useOrgCurrency } from '../../accounting/money';
import { centsToInput, formProblems } from '../reconFormat';
import { RuleForm } from './RuleForm';

/** A rule as sent again with one change (the active toggle). */
export function ruleBody(rule: ReconciliationRuleView): ReconciliationRuleBody {
  return {
    name: rule.name,
    labelContains: rule.labelContains,
    direction: rule.direction,
    minAmount: rule.minAmountCents === null ? null : centsToInput(rule.minAmountCents),
    maxAmount: rule.maxAmountCents === null ? null : centsToInput(rule.maxAmountCents),
    accountNumber: rule.accountNumber,
    analytic: rule.analytic,
    autoApply: rule.autoApply,
    priority: rule.priority,
    active: rule.active,
  };
}

/**
 * `reconciliation/rules`: the automatic matching settings (apply alone or only suggest, the score
 * threshold, the date window) and the rules that post recurring lines (bank fees...) to an account.
 */
export function RulesTab() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const canConfigure = organization.can(RECONCILIATION_CONFIGURE_PERMISSION);
  const settings = useResource(`recon-settings:${organization.id}`, (signal) =>
    reconciliationApi.settings(organization.id, signal),
  );
  const rules = useResource(`recon-rules:${organization.id}`, (signal) =>
    reconciliationApi.rules(organization.id, signal),
  );
  return (
    <>
      <section className="panel" aria-labelledby="recon-settings-title">
        <h2 id="recon-settings-title">{t('reconciliation.settings.title')}</h2>
        <p className="muted">{t('reconciliation.settings.intro')}</p>
        <ResourceState resource={settings} />
        {settings.data && <SettingsForm initial={settings.data} readOnly={!canConfigure} />}
      </section>
      <RulesList rules={rules} canConfigure={canConfigure} />
    </>
  );
}

function SettingsForm({
  initial,
  readOnly,
}: {
  initial: ReconciliationSettingsView;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const id = useId();
  const [autoApply, setAutoApply] = useState(initial.autoApply);
  const [threshold, setThreshold] = useState(String(initial.autoThreshold));
  const [windowDays, setWindowDays] = useState(String(initial.windowDays));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [pending, setPending] = useState(false);
  const [saved, setSaved] = useState(false);

  const integer = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);
  const submit = async () => {
    setErrors({});
    setGeneral([]);
    setSaved(false);
    const parsed = reconciliationSettingsSchema.safeParse({
      autoApply,
      autoThreshold: integer(threshold),
      windowDays: integer(windowDays),
    });
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        next[field] ??=
          field === 'autoThreshold'
            ? t('reconciliation.settings.thresholdRange')
            : field === 'windowDays'
              ? t('reconciliation.settings.windowRange')
              : validationMessage(t, issue.message);
      }
      setErrors(next);
      return;
    }
    setPending(true);
    try {
      const updated = await reconciliationApi.saveSettings(organization.id, parsed.data);
      setAutoApply(updated.autoApply);
      setThreshold(String(updated.autoThreshold));
      setWindowDays(String(updated.windowDays));
      setSaved(true);
    } catch (error) {
      const split = formProblems(t, error, ['autoApply', 'autoThreshold', 'windowDays']);
      setErrors(split.byField);
      setGeneral(split.general);
    } finally {
      setPending(false);
    }
  };

  const numberField = (
    name: 'autoThreshold' | 'windowDays',
    value: string,
    set: (value: string) => void,
    min: number,
    max: number,
  ) => {
    const controlId = `${id}-${name}`;
    const error = errors[name];
    return (
      <div className={`field${error ? ' field--invalid' : ''}`}>
        <label htmlFor={controlId}>{t(`reconciliation.settings.${name}`)}</label>
        <input
          id={controlId}
          type="number"
          min={min}
          max={max}
          value={value}
          aria-invalid={Boolean(error)}
          aria-describedby={`${controlId}-hint${error ? ` ${controlId}-error` : ''}`}
          data-testid={`recon-settings-${name}`}
          onChange={(event) => {
            set(event.target.value);
            setSaved(false);
          }}
        />
        <p id={`${controlId}-hint`} className="field__hint">
          {t(`reconciliation.settings.hints.${name}`)}
        </p>
        {error && (
          <p
            id={`${controlId}-error`}
            className="field__error"
            role="alert"
            data-testid={`recon-settings-${name}-error`}
          >
            {error}
          </p>
        )}
      </div>
    );
  };

  return (
    <form
      className="form"
      noValidate
      data-testid="recon-settings-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {readOnly && <Alert kind="info">{t('reconciliation.settings.readOnly')}</Alert>}
      <FormErrors messages={general} testId="recon-settings-errors" />
      {saved && (
        <Alert kind="success">
          <span data-testid="recon-settings-saved">{t('reconciliation.settings.saved')}</span>
        </Alert>
      )}
      <fieldset disabled={readOnly || pending} className="form-sections">
        <div className="form-grid">
          <div className="form-grid__full stack">
            <label className="checkbox-field">
              <input
                type="checkbox"
                checked={autoApply}
                aria-describedby={`${id}-autoApply-hint`}
                data-testid="recon-settings-autoApply"
                onChange={(event) => {
                  setAutoApply(event.target.checked);
                  setSaved(false);
                }}
              />
              {t('reconciliation.settings.autoApply')}
            </label>
            <p id={`${id}-autoApply-hint`} className="field__hint">
              {t('reconciliation.settings.hints.autoApply')}
            </p>
          </div>
          {numberField('autoThreshold', threshold, setThreshold, 80, 100)}
          {numberField('windowDays', windowDays, setWindowDays, 0, 31)}
        </div>
      </fieldset>
      {!readOnly && (
        <div className="form-actions">
          <button
            type="submit"
            className="button button--primary"
            disabled={pending}
            aria-busy={pending}
            data-testid="recon-settings-submit"
          >
            {pending && <span className="spinner spinner--light" aria-hidden="true" />}
            {t('common.save')}
          </button>
        </div>
      )}
    </form>
  );
}

function RulesList({
  rules,
  canConfigure,
}: {
  rules: Resource<ReconciliationRuleView[]>;
  canConfigure: boolean;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const currency = useOrgCurrency();
  const { pending, feedback, run } = useAction();
  /** 'new', a rule's id, or null. */
  const [editing, setEditing] = useState<string | null>(null);

  const toggle = (rule: ReconciliationRuleView) =>
    void run(
      `toggle:${rule.id}`,
      async () => {
        await reconciliationApi.updateRule(organization.id, rule.id, {
          ...ruleBody(rule),
          active: !rule.active,
        });
        rules.reload();
      },
      rule.active
        ? t('reconciliation.rules.deactivated', { name: rule.name })
        : t('reconciliation.rules.activated', { name: rule.name }),
    );

  const remove = (rule: ReconciliationRuleView) => {
    if (!window.confirm(t('reconciliation.rules.confirmDelete', { name: rule.name }))) return;
    void run(
      `delete:${rule.id}`,
      async () => {
        await reconciliationApi.deleteRule(organization.id, rule.id);
        if (editing === rule.id) setEditing(null);
        rules.reload();
      },
      t('reconciliation.rules.deleted', { name: rule.name }),
    );
  };

  const amountRange = (rule: ReconciliationRuleView) => {
    const money = (cents: number) => formatMoney(cents, currency);
    if (rule.minAmountCents !== null && rule.maxAmountCents !== null)
      return t('reconciliation.rules.between', {
        min: money(rule.minAmountCents),
        max: money(rule.maxAmountCents),
      });
    if (rule.minAmountCents !== null)
      return t('reconciliation.rules.atLeast', { min: money(rule.minAmountCents) });
    if (rule.maxAmountCents !== null)
      return t('reconciliation.rules.atMost', { max: money(rule.maxAmountCents) });
    return t('reconciliation.rules.anyAmount');
  };

  return (
    <section className="panel" aria-labelledby="recon-rules-title" data-testid="recon-rules">
      <div className="panel__header">
        <h2 id="recon-rules-title">{t('reconciliation.rules.title')}</h2>
        {canConfigure && editing !== 'new' && (
          <button
            type="button"
            className="button button--primary"
            data-testid="recon-rule-new"
            onClick={() => setEditing('new')}
          >
            {t('reconciliation.rules.new')}
          </button>
        )}
      </div>
      <p className="muted">{t('reconciliation.rules.intro')}</p>
      <FeedbackAlert feedback={feedback} />
      {editing === 'new' && (
        <RuleForm
          rule={null}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            rules.reload();
          }}
        />
      )}
      <ResourceState resource={rules} />
      {rules.data?.length === 0 && <EmptyState>{t('reconciliation.rules.empty')}</EmptyState>}
      {rules.data && rules.data.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="recon-rules-table">
            <caption className="visually-hidden">{t('reconciliation.rules.title')}</caption>
            <thead>
              <tr>
                <th scope="col" className="numeric">
                  {t('reconciliation.rules.columns.priority')}
                </th>
                <th scope="col">{t('reconciliation.rules.columns.name')}</th>
                <th scope="col">{t('reconciliation.rules.columns.labelContains')}</th>
                <th scope="col">{t('reconciliation.rules.columns.conditions')}</th>
                <th scope="col">{t('reconciliation.rules.columns.account')}</th>
                <th scope="col">{t('reconciliation.rules.columns.autoApply')}</th>
                <th scope="col">{t('reconciliation.rules.columns.active')}</th>
                {canConfigure && (
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {rules.data.map((rule) => (
                <Fragment key={rule.id}>
                  <tr
                    data-testid="recon-rule-row"
                    data-rule-id={rule.id}
                    data-name={rule.name}
                    data-active={rule.active}
                  >
                    <td className="numeric">{rule.priority}</td>
                    <td data-testid="recon-rule-name-cell">{rule.name}</td>
                    <td>
                      <code>{rule.labelContains}</code>
                    </td>
                    <td>
                      {t(`reconciliation.directions.${rule.direction}`)}
                      <span className="cell-note">{amountRange(rule)}</span>
                    </td>
                    <td>
                      <code data-testid="recon-rule-account-cell">{rule.accountNumber}</code>
                      {rule.analytic && (
                        <span className="cell-note">
                          {t('reconciliation.suggestions.analytic', { analytic: rule.analytic })}
                        </span>
                      )}
                    </td>
                    <td>
                      {rule.autoApply ? (
                        <Badge tone="accent">{t('reconciliation.rules.auto')}</Badge>
                      ) : (
                        <Badge>{t('reconciliation.rules.suggestOnly')}</Badge>
                      )}
                    </td>
                    <td>
                      <label className="checkbox-field">
                        <input
                          type="checkbox"
                          checked={rule.active}
                          disabled={!canConfigure || pending !== null}
                          data-testid="recon-rule-active-toggle"
                          onChange={() => toggle(rule)}
                        />
                        <span>{rule.active ? t('common.active') : t('common.inactive')}</span>
                      </label>
                    </td>
                    {canConfigure && (
                      <td className="table__actions">
                        <div className="button-row button-row--end">
                          <button
                            type="button"
                            className="button button--small"
                            aria-label={t('reconciliation.rules.editOf', { name: rule.name })}
                            data-testid="recon-rule-edit"
                            onClick={() => setEditing(editing === rule.id ? null : rule.id)}
                          >
                            {t('common.edit')}
                          </button>
                          <button
                            type="button"
                            className="button button--small button--danger"
                            aria-label={t('reconciliation.rules.deleteOf', { name: rule.name })}
                            disabled={pending !== null}
                            data-testid="recon-rule-delete"
                            onClick={() => remove(rule)}
                          >
                            {t('common.delete')}
                          </button>
                        </div>
                      </td>
                    )}
                  </tr>
                  {editing === rule.id && (
                    <tr className="table__expansion">
                      <td colSpan={canConfigure ? 8 : 7}>
                        <RuleForm
                          rule={rule}
                          onCancel={() => setEditing(null)}
                          onSaved={() => {
                            setEditing(null);
                            rules.reload();
                          }}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
