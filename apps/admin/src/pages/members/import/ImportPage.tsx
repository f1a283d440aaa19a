import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ImportMode, ImportView } from '@ruche/contracts';
import { ApiError } from '../../../api/client';
import { importsApi } from '../../../api/imports';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { ResourceState } from '../../../components/ResourceState';
import { useFormatters } from '../../../i18n/format';
import { errorMessage, serverMessage, validationMessage } from '../../../i18n/messages';
import { useCustomFields, usePlans } from '../useContactLists';
import {
  DELIMITER_KEYS,
  draftFromView,
  duplicateColumns,
  isDelimiter,
  isDirty,
  isInProgress,
  mappingInput,
  type MappingDraft,
} from './importMapping';
import { ImportMapping, NO_MAPPING_ERRORS, type MappingErrors } from './ImportMapping';
import { ImportStatusBadge, ImportSteps, useFileSize } from './ImportParts';
import { ImportRun } from './ImportRun';
import { useImportView } from './useImportView';

type Pending = 'save' | 'refresh' | ImportMode;

const SETTINGS = ['encoding', 'delimiter', 'dateOrder', 'defaultPlanId'] as const;
const isSetting = (field: string): field is (typeof SETTINGS)[number] =>
  SETTINGS.some((setting) => setting === field);

/** Places the server's objections to a mapping: per setting, per column, on the columns, others. */
function mappingErrors(t: TFunction, error: unknown): MappingErrors {
  const fieldErrors = error instanceof ApiError ? error.body.errors : [];
  if (fieldErrors.length === 0) return { ...NO_MAPPING_ERRORS, general: [errorMessage(t, error)] };
  const result: MappingErrors = { general: [], columns: null, byColumn: {}, settings: {} };
  const columns: string[] = [];
  for (const fieldError of fieldErrors) {
    const message = validationMessage(t, serverMessage(t, fieldError.code, fieldError.message));
    const column = /^columns\.(\d+)$/.exec(fieldError.field)?.[1];
    if (fieldError.field === 'columns') columns.push(message);
    else if (column !== undefined) result.byColumn[column] = message;
    else if (isSetting(fieldError.field)) result.settings[fieldError.field] = message;
    else result.general.push(message);
  }
  result.columns = columns.length > 0 ? columns.join(' ') : null;
  return result;
}

/** Membres › Import › one file: the column mapping (step 2), then dry run / import (step 3). */
export function ImportPage() {
  const { t } = useTranslation();
  const { importId = '' } = useParams();
  const organization = useCurrentOrganization();
  const current = useImportView(importId);
  const view = current.view;

  return (
    <section aria-labelledby="import-title" data-testid="import-page">
      <p>
        <Link to={`/orgs/${organization.id}/contacts/import`}>
          ← {t('contacts.import.backToList')}
        </Link>
      </p>
      {view ? (
        <ImportEditor key={view.id} view={view} onChange={current.replace} />
      ) : (
        <ResourceState resource={current.resource} />
      )}
    </section>
  );
}

function ImportEditor({
  view,
  onChange,
}: {
  view: ImportView;
  onChange: (view: ImportView) => void;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const customFields = useCustomFields();
  const plans = usePlans();
  const [draft, setDraft] = useState<MappingDraft>(() => draftFromView(view));
  const [pending, setPending] = useState<Pending | null>(null);
  const [errors, setErrors] = useState<MappingErrors>(NO_MAPPING_ERRORS);
  const [saved, setSaved] = useState(false);
  const [runError, setRunError] = useState<string | null>(null);
  const locked = isInProgress(view.status);
  const dirty = isDirty(draft, view);

  /**
   * Saves `next`; the answer (headers and sample read again) becomes the draft unless `adopt` is
   * false. Null when refused (the errors are shown).
   */
  const save = async (next: MappingDraft, adopt = true): Promise<ImportView | null> => {
    setSaved(false);
    if (duplicateColumns(next).size > 0) {
      setErrors({ ...NO_MAPPING_ERRORS, general: [t('contacts.import.mapping.fixDuplicates')] });
      return null;
    }
    setErrors(NO_MAPPING_ERRORS);
    try {
      const result = await importsApi.saveMapping(
        organization.id,
        view.id,
        mappingInput(next, view.format),
      );
      if (adopt) setDraft(draftFromView(result));
      onChange(result);
      return result;
    } catch (error) {
      setErrors(mappingErrors(t, error));
      return null;
    }
  };

  const saveNow = async (next: MappingDraft) => {
    setPending('save');
    const result = await save(next);
    setPending(null);
    if (result) setSaved(true);
  };

  const change = (update: (previous: MappingDraft) => MappingDraft) => {
    setSaved(false);
    setDraft(update);
  };

  /**
   * Encoding and separator change how the file is read: the server reads it again at once, so the
   * headers and sample refresh. A new separator splits other columns: the draft takes the
   * suggestions for the new columns.
   */
  const reread = async (next: MappingDraft, newColumns: boolean) => {
    if (next.encoding === null || next.delimiter === null) return;
    setDraft(next);
    setPending('refresh');
    setErrors(NO_MAPPING_ERRORS);
    try {
      const result = await importsApi.setReading(organization.id, view.id, {
        encoding: next.encoding,
        delimiter: next.delimiter,
      });
      onChange(result);
      setDraft({ ...next, columns: newColumns ? { ...result.suggestedColumns } : next.columns });
    } catch (error) {
      setErrors(mappingErrors(t, error));
    } finally {
      setPending(null);
    }
  };

  const start = async (mode: ImportMode) => {
    if (
      mode === 'apply' &&
      !window.confirm(
        t('contacts.import.run.confirmApply', { count: view.rowCount, name: view.fileName }),
      )
    )
      return;
    setRunError(null);
    setPending(mode);
    try {
      if (dirty) {
        const result = await save(draft);
        if (!result) {
          setRunError(t('contacts.import.run.fixMapping'));
          return;
        }
      }
      onChange(await importsApi.run(organization.id, view.id, mode));
    } catch (error) {
      setRunError(errorMessage(t, error));
    } finally {
      setPending(null);
    }
  };

  return (
    <>
      <ImportSteps current={view.status === 'uploaded' ? 'mapping' : 'run'} />
      <ImportSummary view={view} />
      <ImportMapping
        view={view}
        draft={draft}
        customFields={customFields.data ?? []}
        plans={plans.data ?? []}
        errors={errors}
        locked={locked}
        saving={pending === 'save' || pending === 'refresh' ? pending : null}
        busy={pending !== null}
        saved={saved}
        dirty={dirty}
        onTarget={(column, target) =>
          change((previous) => ({
            ...previous,
            columns: { ...previous.columns, [column]: target },
          }))
        }
        onEncoding={(encoding) => void reread({ ...draft, encoding }, false)}
        onDelimiter={(delimiter) =>
          void reread({ ...draft, delimiter }, delimiter !== draft.delimiter)
        }
        onDateOrder={(dateOrder) => change((previous) => ({ ...previous, dateOrder }))}
        onDefaultPlan={(defaultPlanId) => change((previous) => ({ ...previous, defaultPlanId }))}
        onSave={() => void saveNow(draft)}
      />
      <ImportRun
        view={view}
        starting={pending === 'dry_run' || pending === 'apply' ? pending : null}
        busy={pending !== null}
        error={runError}
        dirty={dirty}
        customFields={customFields.data ?? []}
        onRun={(mode) => void start(mode)}
      />
    </>
  );
}

/** The file: name, status, format, size, rows, how it was read. */
function ImportSummary({ view }: { view: ImportView }) {
  const { t } = useTranslation();
  const format = useFormatters();
  const fileSize = useFileSize();
  return (
    <div className="panel">
      <div className="panel__header">
        <h2 id="import-title">
          <span data-testid="import-file-name">{view.fileName}</span>
        </h2>
        <span role="status">
          <ImportStatusBadge status={view.status} mode={view.mode} testId="import-status" />
        </span>
      </div>
      <dl className="details">
        <dt>{t('contacts.import.summary.format')}</dt>
        <dd>
          {t(`contacts.import.formats.${view.format}`)} · {fileSize(view.sizeBytes)}
        </dd>
        <dt>{t('contacts.import.summary.rows')}</dt>
        <dd data-testid="import-row-count" data-value={view.rowCount}>
          {t('contacts.import.summary.rowCount', {
            count: view.rowCount,
            value: format.number(view.rowCount),
          })}
        </dd>
        {view.format === 'csv' && (
          <>
            <dt>{t('contacts.import.summary.reading')}</dt>
            <dd>
              {[
                view.encoding ? t(`contacts.import.mapping.encodings.${view.encoding}`) : null,
                isDelimiter(view.delimiter)
                  ? t(`contacts.import.mapping.delimiters.${DELIMITER_KEYS[view.delimiter]}`)
                  : null,
              ]
                .filter((part) => part !== null)
                .join(' · ') || t('common.none')}
            </dd>
          </>
        )}
        <dt>{t('contacts.import.summary.uploadedAt')}</dt>
        <dd>{format.dateTime(view.createdAt)}</dd>
      </dl>
    </div>
  );
}
