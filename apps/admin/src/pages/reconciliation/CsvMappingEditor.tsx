import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  csvMappingSchema,
  type BankAccountView,
  type CsvMappingInput,
  type CsvPreviewView,
} from '@ruche/contracts';
import { reconciliationApi } from '../../api/reconciliation';
import { useResource } from '../../api/useResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { Alert } from '../../components/Alert';
import { FormErrors } from '../../components/FormErrors';
import { ResourceState } from '../../components/ResourceState';
import { errorMessage, validationMessage } from '../../i18n/messages';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { formProblems } from './reconFormat';

const DELIMITERS = [';', ',', '\t'] as const satisfies readonly CsvMappingInput['delimiter'][];
const ENCODINGS = [
  'utf-8',
  'iso-8859-15',
  'windows-1252',
] as const satisfies readonly CsvMappingInput['encoding'][];
const DECIMALS = [',', '.'] as const satisfies readonly CsvMappingInput['decimalSeparator'][];
const DATE_FORMATS = [
  'DD/MM/YYYY',
  'YYYY-MM-DD',
  'DD/MM/YY',
  'MM/DD/YYYY',
  'DD.MM.YYYY',
] as const satisfies readonly CsvMappingInput['dateFormat'][];

const COLUMNS = [
  'bookingDate',
  'valueDate',
  'label',
  'extraLabel',
  'amount',
  'debit',
  'credit',
  'reference',
  'counterparty',
] as const;
type Column = (typeof COLUMNS)[number];
const REQUIRED_COLUMNS: readonly Column[] = ['bookingDate', 'label'];

interface CsvForm extends Record<Column, string> {
  delimiter: CsvMappingInput['delimiter'];
  encoding: CsvMappingInput['encoding'];
  decimalSeparator: CsvMappingInput['decimalSeparator'];
  dateFormat: CsvMappingInput['dateFormat'];
  skipLines: string;
  hasHeader: boolean;
  /** One signed amount column, or a debit and a credit column. */
  amountMode: 'single' | 'split';
  currency: string;
}

const FIELDS = [
  'delimiter',
  'encoding',
  'decimalSeparator',
  'dateFormat',
  'skipLines',
  'hasHeader',
  ...COLUMNS,
  'currency',
] as const;
type FormField = (typeof FIELDS)[number];

function toForm(mapping: CsvMappingInput | null, currency: string): CsvForm {
  const column = (value: string | null | undefined) => value ?? '';
  return {
    delimiter: mapping?.delimiter ?? ';',
    encoding: mapping?.encoding ?? 'utf-8',
    decimalSeparator: mapping?.decimalSeparator ?? ',',
    dateFormat: mapping?.dateFormat ?? 'DD/MM/YYYY',
    skipLines: String(mapping?.skipLines ?? 0),
    hasHeader: mapping?.hasHeader ?? true,
    bookingDate: column(mapping?.bookingDate),
    valueDate: column(mapping?.valueDate),
    label: column(mapping?.label),
    extraLabel: column(mapping?.extraLabel),
    amount: column(mapping?.amount),
    debit: column(mapping?.debit),
    credit: column(mapping?.credit),
    reference: column(mapping?.reference),
    counterparty: column(mapping?.counterparty),
    amountMode:
      mapping && !mapping.amount && (mapping.debit || mapping.credit) ? 'split' : 'single',
    currency: mapping?.currency ?? currency,
  };
}

function toBody(form: CsvForm): unknown {
  const column = (value: string) => (value.trim() ? value.trim() : null);
  const single = form.amountMode === 'single';
  return {
    delimiter: form.delimiter,
    encoding: form.encoding,
    decimalSeparator: form.decimalSeparator,
    dateFormat: form.dateFormat,
    skipLines: /^\d+$/.test(form.skipLines.trim()) ? Number(form.skipLines.trim()) : Number.NaN,
    hasHeader: form.hasHeader,
    bookingDate: form.bookingDate.trim(),
    valueDate: column(form.valueDate),
    label: form.label.trim(),
    extraLabel: column(form.extraLabel),
    amount: single ? column(form.amount) : null,
    debit: single ? null : column(form.debit),
    credit: single ? null : column(form.credit),
    reference: column(form.reference),
    counterparty: column(form.counterparty),
    currency: form.currency.trim().toUpperCase(),
  };
}

/**
 * Format CSV: how the account's bank CSV exports read (separator, encoding, decimals, dates, the
 * lines before the header, the columns). A sample file shows its first rows and what the saved
 * (or guessed) format reads from it; "Enregistrer" saves the format, reads the sample again and,
 * when the editor was opened by an import that needed it, sends that file again.
 */
export function CsvMappingEditor({
  account,
  initialFile,
  fromImport,
  canConfigure,
  canPreview,
  onClose,
  onReimport,
}: {
  account: BankAccountView;
  initialFile: File | null;
  fromImport: boolean;
  canConfigure: boolean;
  canPreview: boolean;
  onClose: () => void;
  onReimport: (file: File) => void;
}) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const id = useId();
  const saved = useResource(`recon-csv-mapping:${organization.id}:${account.id}`, (signal) =>
    reconciliationApi.csvMapping(organization.id, account.id, signal),
  );
  const [file, setFile] = useState<File | null>(initialFile);
  const [preview, setPreview] = useState<CsvPreviewView | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [form, setForm] = useState<CsvForm | null>(null);
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<FormField, string>>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const started = useRef(false);

  // The saved format fills the form until a sample says more.
  if (form === null && saved.data) setForm(toForm(saved.data.mapping, account.currency));

  const read = async (chosen: File, after?: (view: CsvPreviewView) => void) => {
    setPreviewing(true);
    setPreviewError(null);
    try {
      const view = await reconciliationApi.csvPreview(organization.id, account.id, chosen);
      setPreview(view);
      if (view.mapping) {
        setForm(toForm(view.mapping, account.currency));
        setDirty(false);
      }
      after?.(view);
    } catch (error) {
      setPreview(null);
      setPreviewError(errorMessage(t, error));
    } finally {
      setPreviewing(false);
    }
  };

  // The file of a failed import is read at once.
  useEffect(() => {
    if (started.current || !initialFile || !canPreview) return;
    started.current = true;
    void read(initialFile);
    // Once, for the file the editor was opened with (the parent mounts a new editor for another).
  }, []);

  const update = <K extends keyof CsvForm>(name: K, value: CsvForm[K]) => {
    setForm((previous) => (previous ? { ...previous, [name]: value } : previous));
    setDirty(true);
    setOutcome(null);
  };

  const save = async () => {
    if (!form) return;
    setErrors({});
    setGeneral([]);
    setOutcome(null);
    const parsed = csvMappingSchema.safeParse(toBody(form));
    if (!parsed.success) {
      const next: Partial<Record<FormField, string>> = {};
      const rest: string[] = [];
      for (const issue of parsed.error.issues) {
        const field = FIELDS.find((name) => name === issue.path.map(String).join('.'));
        const required = REQUIRED_COLUMNS.find((column) => column === field);
        const message =
          required && !form[required].trim()
            ? t('errors.required')
            : field === 'amount' || field === 'debit'
              ? t('reconciliation.csv.amountColumns')
              : validationMessage(t, issue.message);
        if (field) next[field] ??= message;
        else rest.push(message);
      }
      setErrors(next);
      setGeneral(rest);
      return;
    }
    setSaving(true);
    try {
      const result = await reconciliationApi.saveCsvMapping(
        organization.id,
        account.id,
        parsed.data,
      );
      setForm(toForm(result.mapping, account.currency));
      setDirty(false);
      saved.reload();
      if (file && canPreview) {
        await read(file, (view) => {
          if (fromImport && !view.error && view.lines.length > 0) {
            setOutcome(t('reconciliation.csv.reimporting', { name: file.name }));
            onReimport(file);
          } else if (fromImport) setOutcome(t('reconciliation.csv.savedCheck'));
          else setOutcome(t('reconciliation.csv.saved'));
        });
      } else setOutcome(t('reconciliation.csv.saved'));
    } catch (error) {
      const split = formProblems(t, error, FIELDS);
      setErrors(split.byField);
      setGeneral(split.general);
    } finally {
      setSaving(false);
    }
  };

  // The columns a select offers: the header's names, else the positions ("1", "2"...).
  const width = Math.max(
    preview?.headers.length ?? 0,
    ...(preview?.sample ?? []).map((r) => r.length),
  );
  const columnOptions: { value: string; label: string }[] | null =
    preview && width > 0
      ? form?.hasHeader && preview.headers.length > 0
        ? preview.headers.map((header) => ({ value: header, label: header }))
        : Array.from({ length: width }, (_, index) => ({
            value: String(index + 1),
            label: t('reconciliation.csv.position', {
              position: index + 1,
              example: preview.sample[0]?.[index] ?? '',
            }),
          }))
      : null;

  const field = (
    name: FormField,
    label: string,
    control: (props: ControlProps) => ReactNode,
    hint?: string,
  ) => (
    <CsvField
      key={name}
      id={`${id}-${name}`}
      name={name}
      label={label}
      hint={hint}
      error={errors[name]}
      required={name === 'bookingDate' || name === 'label'}
      control={control}
    />
  );

  const columnField = (name: Column) =>
    field(name, t(`reconciliation.csv.columns.${name}`), (props) =>
      columnOptions ? (
        <select
          {...props}
          value={form?.[name] ?? ''}
          onChange={(event) => update(name, event.target.value)}
        >
          <option value="">
            {REQUIRED_COLUMNS.includes(name)
              ? t('reconciliation.csv.chooseColumn')
              : t('reconciliation.csv.noColumn')}
          </option>
          {form?.[name] && !columnOptions.some((option) => option.value === form[name]) && (
            <option value={form[name]}>{form[name]}</option>
          )}
          {columnOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...props}
          type="text"
          maxLength={100}
          value={form?.[name] ?? ''}
          onChange={(event) => update(name, event.target.value)}
        />
      ),
    );

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="recon-csv">
      <div className="panel__header">
        <h2 id={`${id}-title`}>{t('reconciliation.csv.title')}</h2>
        <button
          type="button"
          className="button button--small"
          data-testid="recon-csv-close"
          onClick={onClose}
        >
          {t('reconciliation.csv.close')}
        </button>
      </div>
      <p className="muted">{t('reconciliation.csv.intro')}</p>
      {fromImport && initialFile && (
        <Alert kind="info">
          <span data-testid="recon-csv-from-import">
            {t('reconciliation.csv.fromImport', { name: initialFile.name })}
          </span>
        </Alert>
      )}
      {!canConfigure && <Alert kind="info">{t('reconciliation.csv.readOnly')}</Alert>}
      {canPreview && (
        <div className="field">
          <label htmlFor={`${id}-file`}>{t('reconciliation.csv.sample')}</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,.txt,text/csv,text/plain"
            disabled={previewing || saving}
            aria-describedby={`${id}-file-hint`}
            data-testid="recon-csv-file"
            onChange={(event) => {
              const chosen = event.target.files?.[0] ?? null;
              setFile(chosen);
              setOutcome(null);
              if (chosen) void read(chosen);
            }}
          />
          <p id={`${id}-file-hint`} className="field__hint">
            {t('reconciliation.csv.sampleHint')}
          </p>
        </div>
      )}
      {previewing && (
        <p className="loading" role="status">
          <span className="spinner" aria-hidden="true" />
          {t('reconciliation.csv.reading')}
        </p>
      )}
      {previewError && (
        <Alert kind="error">
          <span data-testid="recon-csv-error">{previewError}</span>
        </Alert>
      )}
      {preview && (
        <div className="stack">
          <h3>{t('reconciliation.csv.sampleTitle', { name: file?.name ?? '' })}</h3>
          <p className="muted" data-testid="recon-csv-mapping-origin" data-saved={preview.saved}>
            {preview.saved
              ? t('reconciliation.csv.usingSaved')
              : preview.mapping
                ? t('reconciliation.csv.usingGuess')
                : t('reconciliation.csv.noGuess')}
          </p>
          <div className="table-wrap">
            <table className="table recon-csv-sample" data-testid="recon-csv-sample">
              <caption className="visually-hidden">
                {t('reconciliation.csv.sampleTitle', { name: file?.name ?? '' })}
              </caption>
              <thead>
                <tr>
                  {Array.from({ length: width }, (_, index) => (
                    <th key={index} scope="col">
                      {preview.headers[index] ??
                        t('reconciliation.csv.columnNumber', { position: index + 1 })}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.sample.map((row, rowIndex) => (
                  <tr key={rowIndex}>
                    {Array.from({ length: width }, (_, index) => (
                      <td key={index}>{row[index] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      <ResourceState resource={saved} />
      {form && (
        <form
          className="form"
          noValidate
          data-testid="recon-csv-form"
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <FormErrors messages={general} testId="recon-csv-errors" />
          <fieldset disabled={!canConfigure || saving} className="form-sections">
            <fieldset className="form-section">
              <legend>{t('reconciliation.csv.fileTitle')}</legend>
              <div className="form-grid">
                {field('delimiter', t('reconciliation.csv.fields.delimiter'), (props) => (
                  <select
                    {...props}
                    value={form.delimiter}
                    onChange={(event) => {
                      const next = DELIMITERS.find((option) => option === event.target.value);
                      if (next) update('delimiter', next);
                    }}
                  >
                    {DELIMITERS.map((option) => (
                      <option key={option} value={option}>
                        {t(
                          `reconciliation.csv.delimiters.${option === '\t' ? 'tab' : option === ';' ? 'semicolon' : 'comma'}`,
                        )}
                      </option>
                    ))}
                  </select>
                ))}
                {field('encoding', t('reconciliation.csv.fields.encoding'), (props) => (
                  <select
                    {...props}
                    value={form.encoding}
                    onChange={(event) => {
                      const next = ENCODINGS.find((option) => option === event.target.value);
                      if (next) update('encoding', next);
                    }}
                  >
                    {ENCODINGS.map((option) => (
                      <option key={option} value={option}>
                        {t(`reconciliation.csv.encodings.${option}`)}
                      </option>
                    ))}
                  </select>
                ))}
                {field(
                  'decimalSeparator',
                  t('reconciliation.csv.fields.decimalSeparator'),
                  (props) => (
                    <select
                      {...props}
                      value={form.decimalSeparator}
                      onChange={(event) => {
                        const next = DECIMALS.find((option) => option === event.target.value);
                        if (next) update('decimalSeparator', next);
                      }}
                    >
                      {DECIMALS.map((option) => (
                        <option key={option} value={option}>
                          {t(`reconciliation.csv.decimals.${option === ',' ? 'comma' : 'dot'}`)}
                        </option>
                      ))}
                    </select>
                  ),
                )}
                {field('dateFormat', t('reconciliation.csv.fields.dateFormat'), (props) => (
                  <select
                    {...props}
                    value={form.dateFormat}
                    onChange={(event) => {
                      const next = DATE_FORMATS.find((option) => option === event.target.value);
                      if (next) update('dateFormat', next);
                    }}
                  >
                    {DATE_FORMATS.map((option) => (
                      <option key={option} value={option}>
                        {t(`reconciliation.csv.dateFormats.${option}`)}
                      </option>
                    ))}
                  </select>
                ))}
                {field(
                  'skipLines',
                  t('reconciliation.csv.fields.skipLines'),
                  (props) => (
                    <input
                      {...props}
                      type="number"
                      min={0}
                      max={50}
                      value={form.skipLines}
                      onChange={(event) => update('skipLines', event.target.value)}
                    />
                  ),
                  t('reconciliation.csv.hints.skipLines'),
                )}
                {field('currency', t('reconciliation.csv.fields.currency'), (props) => (
                  <input
                    {...props}
                    type="text"
                    maxLength={3}
                    value={form.currency}
                    onChange={(event) => update('currency', event.target.value)}
                  />
                ))}
                <label className="checkbox-field form-grid__full">
                  <input
                    type="checkbox"
                    checked={form.hasHeader}
                    data-testid="recon-csv-hasHeader"
                    onChange={(event) => update('hasHeader', event.target.checked)}
                  />
                  {t('reconciliation.csv.fields.hasHeader')}
                </label>
              </div>
            </fieldset>
            <fieldset className="form-section">
              <legend>{t('reconciliation.csv.columnsTitle')}</legend>
              <p className="field__hint">
                {form.hasHeader
                  ? t('reconciliation.csv.hints.columnsByName')
                  : t('reconciliation.csv.hints.columnsByPosition')}
              </p>
              <div className="form-grid">
                {columnField('bookingDate')}
                {columnField('valueDate')}
                {columnField('label')}
                {columnField('extraLabel')}
                <fieldset className="form-grid__full recon-csv-amount">
                  <legend>{t('reconciliation.csv.amountTitle')}</legend>
                  <div className="segmented">
                    {(['single', 'split'] as const).map((mode) => (
                      <label key={mode} className="segmented__option">
                        <input
                          type="radio"
                          name={`${id}-amount-mode`}
                          value={mode}
                          checked={form.amountMode === mode}
                          data-testid={`recon-csv-amountMode-${mode}`}
                          onChange={() => update('amountMode', mode)}
                        />
                        {t(`reconciliation.csv.amountModes.${mode}`)}
                      </label>
                    ))}
                  </div>
                </fieldset>
                {form.amountMode === 'single' ? (
                  columnField('amount')
                ) : (
                  <>
                    {columnField('debit')}
                    {columnField('credit')}
                  </>
                )}
                {columnField('reference')}
                {columnField('counterparty')}
              </div>
            </fieldset>
          </fieldset>
          {outcome && (
            <Alert kind="success">
              <span data-testid="recon-csv-saved">{outcome}</span>
            </Alert>
          )}
          {canConfigure && (
            <div className="form-actions button-row">
              <button
                type="submit"
                className="button button--primary"
                disabled={saving}
                aria-busy={saving}
                data-testid="recon-csv-save"
              >
                {saving && <span className="spinner spinner--light" aria-hidden="true" />}
                {fromImport && file ? t('reconciliation.csv.saveAndImport') : t('common.save')}
              </button>
            </div>
          )}
        </form>
      )}
      {preview && (
        <div className="stack">
          <h3>{t('reconciliation.csv.linesTitle')}</h3>
          {dirty && <p className="muted">{t('reconciliation.csv.dirty')}</p>}
          {preview.error ? (
            <Alert kind="warning">
              <span data-testid="recon-csv-preview-error">
                {t('reconciliation.csv.previewError', { error: preview.error })}
              </span>
            </Alert>
          ) : preview.lines.length === 0 ? (
            <p className="empty">{t('reconciliation.csv.noLines')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="recon-csv-lines">
                <caption className="visually-hidden">{t('reconciliation.csv.linesTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('reconciliation.csv.columns.bookingDate')}</th>
                    <th scope="col">{t('reconciliation.csv.columns.valueDate')}</th>
                    <th scope="col">{t('reconciliation.csv.columns.label')}</th>
                    <th scope="col" className="numeric">
                      {t('reconciliation.csv.columns.amount')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {preview.lines.map((line, index) => (
                    <tr key={index} data-testid="recon-csv-line">
                      <td className="nowrap">{day(line.bookingDate)}</td>
                      <td className="nowrap">{day(line.valueDate)}</td>
                      <td>{line.label}</td>
                      <td
                        className={`numeric nowrap amount ${line.amountCents >= 0 ? 'amount--credit' : 'amount--debit'}`}
                      >
                        {formatMoney(line.amountCents, account.currency)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

interface ControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
  'aria-required'?: boolean;
  'data-testid': string;
}

/** A labelled control of the CSV form with its hint and error (test ids `recon-csv-<name>`). */
function CsvField({
  id,
  name,
  label,
  hint,
  error,
  required,
  control,
}: {
  id: string;
  name: FormField;
  label: string;
  hint?: string;
  error?: string;
  required: boolean;
  control: (props: ControlProps) => ReactNode;
}) {
  const describedBy =
    [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      {required ? (
        <span className="field__label">
          <label htmlFor={id}>{label}</label>
          <span className="field__required" aria-hidden="true">
            *
          </span>
        </span>
      ) : (
        <label htmlFor={id}>{label}</label>
      )}
      {control({
        id,
        'aria-invalid': Boolean(error),
        'aria-describedby': describedBy,
        ...(required ? { 'aria-required': true } : {}),
        'data-testid': `recon-csv-${name}`,
      })}
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p
          id={`${id}-error`}
          className="field__error"
          role="alert"
          data-testid={`recon-csv-${name}-error`}
        >
          {error}
        </p>
      )}
    </div>
  );
}
