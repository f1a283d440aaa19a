import { useId, useState, type ChangeEvent, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { IMPORT_MAX_BYTES } from '@ruche/contracts';
import { ApiError } from '../../../api/client';
import { importsApi } from '../../../api/imports';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { errorMessage, serverMessage, validationMessage } from '../../../i18n/messages';
import { useFileSize } from './ImportParts';

/** What the file input offers (the server reads the format from the bytes anyway). */
const ACCEPT = [
  '.csv',
  '.txt',
  '.xlsx',
  'text/csv',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
].join(',');

/**
 * The message of a failed upload: the server's reasons about the file (empty, not a table...),
 * "too large" for the body limit (413), else the general error.
 */
function uploadError(t: TFunction, error: unknown, name: string, limit: string): string {
  if (error instanceof ApiError) {
    if (error.status === 413) return t('contacts.import.upload.tooLarge', { name, size: limit });
    const reasons = error.body.errors.filter(
      (fieldError) => fieldError.field === 'file' || fieldError.field === 'body',
    );
    if (reasons.length > 0) {
      return reasons
        .map((reason) => validationMessage(t, serverMessage(t, reason.code, reason.message)))
        .join(' ');
    }
  }
  return errorMessage(t, error);
}

/** Step 1: sends the chosen file, then opens its page (the mapping step). */
export function ImportUpload() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const navigate = useNavigate();
  const fileSize = useFileSize();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const limit = fileSize(IMPORT_MAX_BYTES);

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0] ?? null;
    setFile(chosen);
    setError(
      chosen && chosen.size > IMPORT_MAX_BYTES
        ? t('contacts.import.upload.tooLarge', { name: chosen.name, size: limit })
        : null,
    );
  };

  const send = async (chosen: File) => {
    setPending(true);
    setError(null);
    try {
      const created = await importsApi.upload(organization.id, chosen);
      await navigate(`/orgs/${organization.id}/contacts/import/${created.id}`);
    } catch (failure) {
      setError(uploadError(t, failure, chosen.name, limit));
      setPending(false);
    }
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!file) {
      setError(t('contacts.import.upload.chooseFirst'));
      return;
    }
    if (file.size > IMPORT_MAX_BYTES) {
      setError(t('contacts.import.upload.tooLarge', { name: file.name, size: limit }));
      return;
    }
    void send(file);
  };

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="import-upload-step">
      <h2 id={`${id}-title`}>{t('contacts.import.upload.title')}</h2>
      <p className="muted">{t('contacts.import.intro')}</p>
      <form className="form" onSubmit={submit} noValidate>
        <div className={`field${error ? ' field--invalid' : ''}`}>
          <label htmlFor={`${id}-file`}>{t('contacts.import.upload.file')}</label>
          <input
            id={`${id}-file`}
            type="file"
            accept={ACCEPT}
            data-testid="import-file"
            aria-invalid={error !== null}
            aria-describedby={error ? `${hintId} ${errorId}` : hintId}
            disabled={pending}
            onChange={choose}
          />
          <p id={hintId} className="field__hint">
            {t('contacts.import.upload.hint', { size: limit })}
          </p>
          {error && (
            <p id={errorId} className="field__error" role="alert" data-testid="import-upload-error">
              {error}
            </p>
          )}
        </div>
        <div className="button-row">
          <button
            type="submit"
            className="button button--primary"
            data-testid="import-upload"
            disabled={pending}
            aria-busy={pending}
          >
            {pending && <span className="spinner spinner--light" aria-hidden="true" />}
            {pending ? t('contacts.import.upload.sending') : t('contacts.import.upload.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
