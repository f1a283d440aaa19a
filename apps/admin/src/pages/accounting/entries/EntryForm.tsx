import { useState } from 'react';
import { useFieldArray, useForm, useWatch } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { AccountView, EntryView, JournalView } from '@ruche/contracts';
import { accountingApi } from '../../../api/accounting';
import { ApiError } from '../../../api/client';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { errorMessage, serverMessage, validationMessage } from '../../../i18n/messages';
import { amountToCents, formatMoney, useOrgCurrency } from '../money';
import {
  emptyLine,
  entryFormSchema,
  placeError,
  toEntryInput,
  type EntryFormValues,
  type LineField,
} from './entryForm';

interface EntryFormProps {
  entryId: string | null;
  journals: JournalView[];
  accounts: AccountView[];
  defaultValues: EntryFormValues;
}

const DATALIST_ID = 'accounting-active-accounts';

export function EntryForm({ entryId, journals, accounts, defaultValues }: EntryFormProps) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const navigate = useNavigate();
  const currency = useOrgCurrency();
  const [generalErrors, setGeneralErrors] = useState<string[]>([]);
  const [rowErrors, setRowErrors] = useState<Record<number, string[]>>({});
  const {
    register,
    handleSubmit,
    setError,
    control,
    formState: { errors, isSubmitting },
  } = useForm<EntryFormValues>({
    resolver: zodResolver(entryFormSchema),
    defaultValues,
  });
  const { fields, append, remove } = useFieldArray({ control, name: 'lines' });
  const lines = useWatch({ control, name: 'lines' });
  const totalDebit = lines.reduce((sum, line) => sum + amountToCents(line.debit), 0);
  const totalCredit = lines.reduce((sum, line) => sum + amountToCents(line.credit), 0);
  const difference = totalDebit - totalCredit;
  const activeAccounts = accounts.filter((account) => account.active);
  const usableJournals = journals.filter(
    (journal) => journal.active || journal.code === defaultValues.journal,
  );

  const fieldLabel = (field: string) => {
    const known: Record<string, string> = {
      lines: t('accounting.lines.title'),
      date: t('accounting.entries.columns.date'),
      journal: t('accounting.entries.columns.journal'),
      label: t('accounting.entries.columns.label'),
      pieceRef: t('accounting.entries.pieceRef'),
      pieceDate: t('accounting.entries.pieceDate'),
    };
    return known[field] ?? field;
  };

  const save = async (values: EntryFormValues, post: boolean) => {
    setGeneralErrors([]);
    setRowErrors({});
    const input = toEntryInput(values, post);
    try {
      const saved: EntryView = entryId
        ? await accountingApi.updateEntry(organization.id, entryId, input)
        : await accountingApi.createEntry(organization.id, input);
      void navigate(`/orgs/${organization.id}/accounting/entries/${saved.id}`);
    } catch (error) {
      const fieldErrors = error instanceof ApiError ? error.body.errors : [];
      const general: string[] = [];
      const rows: Record<number, string[]> = {};
      for (const fieldError of fieldErrors) {
        const message = serverMessage(t, fieldError.code, fieldError.message);
        const place = placeError(fieldError.field, values.lines.length);
        if (place.kind === 'cell') {
          setError(`lines.${place.index}.${place.column}`, { type: 'server', message });
        } else if (place.kind === 'row') {
          rows[place.index] = [...(rows[place.index] ?? []), message];
        } else {
          general.push(fieldError.field ? `${fieldLabel(fieldError.field)} : ${message}` : message);
        }
      }
      if (fieldErrors.length === 0) general.push(errorMessage(t, error));
      setGeneralErrors(general);
      setRowErrors(rows);
    }
  };

  const cell = (index: number, column: LineField, testId?: string, extra?: object) => {
    const error = errors.lines?.[index]?.[column];
    const errorId = `entry-line-${index}-${column}-error`;
    return (
      <td className={error ? 'field--invalid' : undefined}>
        <input
          type="text"
          aria-label={t(`accounting.lines.${column}Of`, { n: index + 1 })}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? errorId : undefined}
          data-testid={testId}
          {...extra}
          {...register(`lines.${index}.${column}`)}
        />
        {error && (
          <p
            id={errorId}
            className="field__error"
            data-testid={testId ? `${testId}-error` : undefined}
          >
            {validationMessage(t, error.message)}
          </p>
        )}
      </td>
    );
  };

  return (
    <form className="form" noValidate onSubmit={handleSubmit((values) => save(values, false))}>
      <div className="form-grid">
        <Field label={t('accounting.entries.columns.journal')} error={errors.journal}>
          {(control) => (
            <select {...control} data-testid="entry-journal" {...register('journal')}>
              {usableJournals.map((journal) => (
                <option key={journal.code} value={journal.code}>
                  {journal.code} – {journal.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('accounting.entries.columns.date')} error={errors.date}>
          {(control) => (
            <input {...control} type="date" data-testid="entry-date" {...register('date')} />
          )}
        </Field>
        <Field
          label={t('accounting.entries.columns.label')}
          error={errors.label}
          className="form-grid__full"
        >
          {(control) => (
            <input {...control} type="text" data-testid="entry-label" {...register('label')} />
          )}
        </Field>
        <Field label={t('accounting.entries.pieceRef')} error={errors.pieceRef}>
          {(control) => (
            <input
              {...control}
              type="text"
              data-testid="entry-piece-ref"
              {...register('pieceRef')}
            />
          )}
        </Field>
        <Field label={t('accounting.entries.pieceDate')} error={errors.pieceDate}>
          {(control) => (
            <input
              {...control}
              type="date"
              data-testid="entry-piece-date"
              {...register('pieceDate')}
            />
          )}
        </Field>
      </div>

      {generalErrors.length > 0 && (
        <Alert kind="error">
          <ul className="error-list" data-testid="entry-errors">
            {generalErrors.map((message, index) => (
              <li key={index}>{message}</li>
            ))}
          </ul>
        </Alert>
      )}

      <datalist id={DATALIST_ID}>
        {activeAccounts.map((account) => (
          <option key={account.number} value={account.number}>
            {`${account.number} – ${account.label}`}
          </option>
        ))}
      </datalist>
      <div className="table-wrap">
        <table className="table table--form">
          <caption className="visually-hidden">{t('accounting.lines.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('accounting.lines.account')}</th>
              <th scope="col">{t('accounting.lines.debit')}</th>
              <th scope="col">{t('accounting.lines.credit')}</th>
              <th scope="col">{t('accounting.lines.label')}</th>
              <th scope="col">{t('accounting.lines.analytic')}</th>
              <th scope="col">{t('accounting.lines.counterparty')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field, index) => (
              <tr key={field.id} data-testid={`entry-line-${index}`}>
                {cell(index, 'account', `entry-line-${index}-account`, {
                  list: DATALIST_ID,
                  inputMode: 'numeric',
                  autoComplete: 'off',
                })}
                {cell(index, 'debit', `entry-line-${index}-debit`, {
                  inputMode: 'decimal',
                  className: 'numeric',
                })}
                {cell(index, 'credit', `entry-line-${index}-credit`, {
                  inputMode: 'decimal',
                  className: 'numeric',
                })}
                {cell(index, 'label', `entry-line-${index}-label`)}
                {cell(index, 'analytic', `entry-line-${index}-analytic`)}
                {cell(index, 'counterpartyRef', `entry-line-${index}-counterparty`)}
                <td className="table__actions">
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={t('accounting.lines.removeOf', { n: index + 1 })}
                    data-testid={`entry-line-${index}-remove`}
                    disabled={fields.length <= 1}
                    onClick={() => remove(index)}
                  >
                    ×
                  </button>
                  {rowErrors[index]?.map((message, position) => (
                    <p
                      key={position}
                      className="field__error"
                      data-testid={`entry-line-${index}-error`}
                    >
                      {message}
                    </p>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="table__total">
              <th scope="row">{t('accounting.lines.totals')}</th>
              <td className="numeric nowrap" data-testid="entry-total-debit">
                {formatMoney(totalDebit, currency)}
              </td>
              <td className="numeric nowrap" data-testid="entry-total-credit">
                {formatMoney(totalCredit, currency)}
              </td>
              <td colSpan={4}>
                <span
                  className={difference === 0 ? 'balance balance--ok' : 'balance balance--off'}
                  data-testid="entry-difference"
                  data-balanced={difference === 0}
                >
                  {difference === 0
                    ? t('accounting.lines.balanced')
                    : t('accounting.lines.difference', {
                        amount: formatMoney(Math.abs(difference), currency),
                      })}
                </span>
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      <div className="form-actions">
        <button
          type="button"
          className="button"
          data-testid="entry-add-line"
          onClick={() => append(emptyLine())}
        >
          {t('accounting.lines.add')}
        </button>
        <button
          type="button"
          className="button"
          disabled={isSubmitting}
          data-testid="entry-save-draft"
          onClick={() => void handleSubmit((values) => save(values, false))()}
        >
          {t('accounting.entries.saveDraft')}
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={isSubmitting}
          aria-busy={isSubmitting}
          data-testid="entry-post"
          onClick={() => void handleSubmit((values) => save(values, true))()}
        >
          {t('accounting.entries.postEntry')}
        </button>
      </div>
    </form>
  );
}
