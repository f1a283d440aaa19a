import { useTranslation } from 'react-i18next';
import {
  DATE_ORDERS,
  IMPORT_DELIMITERS,
  IMPORT_ENCODINGS,
  type CustomFieldDefinitionView,
  type DateOrder,
  type ImportEncoding,
  type ImportView,
  type PlanView,
} from '@ruche/contracts';
import { Alert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { FormErrors } from '../../../components/FormErrors';
import {
  CUSTOM_PREFIX,
  DELIMITER_KEYS,
  TARGET_GROUPS,
  columnCount,
  customTarget,
  duplicateColumns,
  fieldsOf,
  hasMembershipColumn,
  isDateOrder,
  isDelimiter,
  isEncoding,
  isImportField,
  targetLabel,
  type ImportDelimiter,
  type MappingDraft,
} from './importMapping';

/** How many values of each column the table shows. */
const SAMPLE_VALUES = 3;

/** The server's objections to a mapping: by setting, by column, on the columns as a whole, other. */
export interface MappingErrors {
  general: string[];
  columns: string | null;
  byColumn: Record<string, string>;
  settings: Partial<Record<'encoding' | 'delimiter' | 'dateOrder' | 'defaultPlanId', string>>;
}

export const NO_MAPPING_ERRORS: MappingErrors = {
  general: [],
  columns: null,
  byColumn: {},
  settings: {},
};

interface ImportMappingProps {
  view: ImportView;
  draft: MappingDraft;
  customFields: readonly CustomFieldDefinitionView[];
  plans: readonly PlanView[];
  errors: MappingErrors;
  /** The worker has the file: nothing can change. */
  locked: boolean;
  /** A save is under way (the form is disabled meanwhile). */
  saving: 'save' | 'refresh' | null;
  busy: boolean;
  saved: boolean;
  dirty: boolean;
  onTarget: (column: string, target: string) => void;
  onEncoding: (encoding: ImportEncoding) => void;
  onDelimiter: (delimiter: ImportDelimiter) => void;
  onDateOrder: (order: DateOrder) => void;
  onDefaultPlan: (planId: string) => void;
  onSave: () => void;
}

const errorOf = (message: string | undefined) => (message ? { message } : undefined);

/** Step 2: what each column of the file fills, and how the file is read. */
export function ImportMapping({
  view,
  draft,
  customFields,
  plans,
  errors,
  locked,
  saving,
  busy,
  saved,
  dirty,
  onTarget,
  onEncoding,
  onDelimiter,
  onDateOrder,
  onDefaultPlan,
  onSave,
}: ImportMappingProps) {
  const { t } = useTranslation();
  const count = columnCount(view);
  const columns = Array.from({ length: count }, (_, index) => String(index));
  const duplicates = duplicateColumns(draft);
  const headerOf = (column: string) =>
    view.headers[Number(column)]?.trim() ||
    t('contacts.import.mapping.columnN', { n: Number(column) + 1 });

  const activeCustom = [...customFields]
    .filter((field) => field.active)
    .sort((a, b) => a.position - b.position)
    .map((field) => ({ value: customTarget(field.key), label: field.label }));
  const mappedUnknownCustom = Object.values(draft.columns)
    .filter(
      (target) =>
        target.startsWith(CUSTOM_PREFIX) && !activeCustom.some((option) => option.value === target),
    )
    .map((target) => ({ value: target, label: targetLabel(t, target, customFields) ?? target }));
  const customOptions = [...activeCustom, ...mappedUnknownCustom];

  const showPlan = hasMembershipColumn(draft);
  const planOptions = plans.filter((plan) => plan.active || plan.id === draft.defaultPlanId);
  const columnsErrorId = 'import-columns-error';

  return (
    <section className="panel" aria-labelledby="import-mapping-title" data-testid="import-mapping">
      <h2 id="import-mapping-title">{t('contacts.import.mapping.title')}</h2>
      <p className="muted">{t('contacts.import.mapping.intro')}</p>
      {locked && <Alert kind="info">{t('contacts.import.mapping.locked')}</Alert>}
      <FormErrors messages={errors.general} testId="import-mapping-error" />
      <fieldset className="form-sections" disabled={locked || busy}>
        <fieldset className="form-section">
          <legend>{t('contacts.import.mapping.reading')}</legend>
          <div className="form-grid">
            {view.format === 'csv' && (
              <>
                <Field
                  label={t('contacts.import.mapping.encoding')}
                  hint={t('contacts.import.mapping.encodingHint')}
                  error={errorOf(errors.settings.encoding)}
                >
                  {(control) => (
                    <select
                      {...control}
                      data-testid="import-encoding"
                      value={draft.encoding ?? ''}
                      onChange={(event) => {
                        if (isEncoding(event.target.value)) onEncoding(event.target.value);
                      }}
                    >
                      {draft.encoding === null && <option value="">{t('common.choose')}</option>}
                      {IMPORT_ENCODINGS.map((encoding) => (
                        <option key={encoding} value={encoding}>
                          {t(`contacts.import.mapping.encodings.${encoding}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field
                  label={t('contacts.import.mapping.delimiter')}
                  hint={t('contacts.import.mapping.delimiterHint')}
                  error={errorOf(errors.settings.delimiter)}
                >
                  {(control) => (
                    <select
                      {...control}
                      data-testid="import-delimiter"
                      value={draft.delimiter ?? ''}
                      onChange={(event) => {
                        if (isDelimiter(event.target.value)) onDelimiter(event.target.value);
                      }}
                    >
                      {draft.delimiter === null && <option value="">{t('common.choose')}</option>}
                      {IMPORT_DELIMITERS.map((delimiter) => (
                        <option key={delimiter} value={delimiter}>
                          {t(`contacts.import.mapping.delimiters.${DELIMITER_KEYS[delimiter]}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              </>
            )}
            <Field
              label={t('contacts.import.mapping.dateOrder')}
              hint={t('contacts.import.mapping.dateOrderHint')}
              error={errorOf(errors.settings.dateOrder)}
            >
              {(control) => (
                <select
                  {...control}
                  data-testid="import-date-order"
                  value={draft.dateOrder}
                  onChange={(event) => {
                    if (isDateOrder(event.target.value)) onDateOrder(event.target.value);
                  }}
                >
                  {DATE_ORDERS.map((order) => (
                    <option key={order} value={order}>
                      {t(`contacts.import.mapping.dateOrders.${order}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {showPlan && (
              <Field
                label={t('contacts.import.mapping.defaultPlan')}
                hint={t('contacts.import.mapping.defaultPlanHint')}
                error={errorOf(errors.settings.defaultPlanId)}
              >
                {(control) => (
                  <select
                    {...control}
                    data-testid="import-default-plan"
                    value={draft.defaultPlanId}
                    onChange={(event) => onDefaultPlan(event.target.value)}
                  >
                    <option value="">{t('contacts.import.mapping.noDefaultPlan')}</option>
                    {planOptions.map((plan) => (
                      <option key={plan.id} value={plan.id}>
                        {plan.active
                          ? plan.name
                          : t('contacts.import.mapping.inactivePlan', { name: plan.name })}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
          </div>
          {saving === 'refresh' && (
            <p className="muted" role="status">
              {t('contacts.import.mapping.refreshing')}
            </p>
          )}
        </fieldset>

        <div className="table-wrap">
          <table
            className="table import-mapping"
            aria-describedby={errors.columns ? columnsErrorId : undefined}
          >
            <caption className="visually-hidden">{t('contacts.import.mapping.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('contacts.import.mapping.columns.column')}</th>
                <th scope="col">{t('contacts.import.mapping.columns.sample')}</th>
                <th scope="col">{t('contacts.import.mapping.columns.target')}</th>
              </tr>
            </thead>
            <tbody>
              {columns.map((column) => {
                const target = draft.columns[column] ?? '';
                const duplicateOf = duplicates.get(column);
                const problem =
                  duplicateOf !== undefined
                    ? t('contacts.import.mapping.duplicate', { column: headerOf(duplicateOf) })
                    : (errors.byColumn[column] ?? null);
                const problemId = `import-column-${column}-error`;
                const samples = view.sample
                  .slice(0, SAMPLE_VALUES)
                  .map((row) => row[Number(column)] ?? '');
                return (
                  <tr
                    key={column}
                    data-testid="import-column-row"
                    data-column={column}
                    className={target === '' ? 'import-mapping__ignored' : undefined}
                  >
                    <th scope="row">
                      {headerOf(column)}
                      <span className="cell-note">
                        {t('contacts.import.mapping.columnN', { n: Number(column) + 1 })}
                      </span>
                    </th>
                    <td>
                      <ul className="import-sample">
                        {samples.map((value, index) => (
                          <li key={index} className={value === '' ? 'muted' : undefined}>
                            {value === '' ? t('contacts.import.mapping.emptyValue') : value}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td className={problem ? 'field--invalid' : undefined}>
                      <select
                        data-testid={`import-column-target-${column}`}
                        aria-label={t('contacts.import.mapping.targetOf', {
                          column: headerOf(column),
                        })}
                        aria-invalid={problem !== null}
                        aria-describedby={problem ? problemId : undefined}
                        value={target}
                        onChange={(event) => onTarget(column, event.target.value)}
                      >
                        <option value="">{t('contacts.import.mapping.ignore')}</option>
                        {target !== '' &&
                          !isImportField(target) &&
                          !target.startsWith(CUSTOM_PREFIX) && (
                            <option value={target}>{target}</option>
                          )}
                        {TARGET_GROUPS.map((group) => (
                          <optgroup
                            key={group}
                            label={t(`contacts.import.mapping.groups.${group}`)}
                          >
                            {fieldsOf(group).map((field) => (
                              <option key={field} value={field}>
                                {t(`contacts.import.targets.${field}`)}
                              </option>
                            ))}
                          </optgroup>
                        ))}
                        {customOptions.length > 0 && (
                          <optgroup label={t('contacts.import.mapping.groups.custom')}>
                            {customOptions.map((option) => (
                              <option key={option.value} value={option.value}>
                                {option.label}
                              </option>
                            ))}
                          </optgroup>
                        )}
                      </select>
                      {problem && (
                        <p id={problemId} className="field__error">
                          {problem}
                        </p>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {errors.columns && (
          <p
            id={columnsErrorId}
            className="field__error"
            role="alert"
            data-testid="import-columns-error"
          >
            {errors.columns}
          </p>
        )}
        <div className="button-row">
          <button
            type="button"
            className="button"
            data-testid="import-save-mapping"
            aria-busy={saving === 'save'}
            onClick={onSave}
          >
            {saving === 'save' && <span className="spinner" aria-hidden="true" />}
            {t('contacts.import.mapping.save')}
          </button>
          {saved && !dirty && (
            <span className="muted" role="status" data-testid="import-mapping-saved">
              {t('contacts.import.mapping.saved')}
            </span>
          )}
          {dirty && !locked && (
            <span className="muted">{t('contacts.import.mapping.unsaved')}</span>
          )}
        </div>
      </fieldset>
    </section>
  );
}
