import { useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ATTACHMENT_CONTENT_TYPES,
  ATTACHMENT_MAX_BYTES,
  type AttachmentView,
  type EntryView,
} from '@ruche/contracts';
import { accountingApi, accountingDownloads } from '../../../api/accounting';
import { ApiError } from '../../../api/client';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { EmptyState } from '../../../components/EmptyState';
import { FeedbackAlert } from '../../../components/FeedbackAlert';
import { ResourceState } from '../../../components/ResourceState';
import { useAction } from '../../../components/useAction';
import { useFormatters } from '../../../i18n/format';

/** A size in bytes as "850 B", "12.5 kB", "3.2 MB" in the UI language. */
function useSizeFormatter(): (bytes: number) => string {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return (bytes) => {
    const [value, unit] =
      bytes < 1024
        ? [bytes, 'byte']
        : bytes < 1024 * 1024
          ? [bytes / 1024, 'kilobyte']
          : [bytes / (1024 * 1024), 'megabyte'];
    return new Intl.NumberFormat(locale, {
      style: 'unit',
      unit,
      unitDisplay: 'short',
      maximumFractionDigits: 1,
    }).format(value);
  };
}

/**
 * Answers without an accounting code (the body limit: 413, an unknown content type: 415) read as
 * the matching attachment errors.
 */
function attachmentError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  const code =
    error.status === 413
      ? 'accounting.attachment_too_large'
      : error.status === 415
        ? 'accounting.attachment_type'
        : null;
  return code && !error.code.startsWith('accounting.')
    ? new ApiError(error.status, { ...error.body, code })
    : error;
}

/**
 * Pièces justificatives of an entry: listed with a download link; writers attach files to drafts
 * and posted entries alike, but only a draft's documents can be deleted.
 */
export function EntryAttachments({ entry }: { entry: EntryView }) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const formatters = useFormatters();
  const size = useSizeFormatter();
  const { pending, feedback, run } = useAction();
  const [tooLarge, setTooLarge] = useState<string | null>(null);
  const attachments = useResource(
    `accounting:attachments:${organization.id}:${entry.id}`,
    (signal) => accountingApi.attachments(organization.id, entry.id, signal),
  );
  const canWrite = organization.can('accounting.write');
  const canDelete = canWrite && entry.status === 'draft';
  const maxSize = size(ATTACHMENT_MAX_BYTES);

  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    setTooLarge(null);
    if (!file) return;
    if (file.size > ATTACHMENT_MAX_BYTES) {
      setTooLarge(t('accounting.entries.attachments.tooLarge', { name: file.name, max: maxSize }));
      return;
    }
    await run(
      'upload',
      async () => {
        try {
          await accountingApi.uploadAttachment(organization.id, entry.id, file);
        } catch (error) {
          throw attachmentError(error);
        }
      },
      t('accounting.entries.attachments.uploaded', { name: file.name }),
    );
    attachments.reload();
  };

  const remove = async (attachment: AttachmentView) => {
    if (
      !window.confirm(
        t('accounting.entries.attachments.confirmDelete', { name: attachment.fileName }),
      )
    )
      return;
    setTooLarge(null);
    await run(
      `delete:${attachment.id}`,
      () => accountingApi.deleteAttachment(organization.id, entry.id, attachment.id),
      t('accounting.entries.attachments.deleted'),
    );
    attachments.reload();
  };

  const list = attachments.data;

  return (
    <section className="panel" aria-labelledby="entry-attachments-title">
      <div className="panel__header">
        <h3 id="entry-attachments-title">{t('accounting.entries.attachments.title')}</h3>
      </div>
      {canWrite && (
        <label className="field">
          <span>{t('accounting.entries.attachments.add')}</span>
          <input
            type="file"
            accept={ATTACHMENT_CONTENT_TYPES.join(',')}
            disabled={pending !== null}
            aria-describedby="entry-attachments-hint"
            data-testid="attachment-input"
            onChange={(event) => void upload(event)}
          />
          <p id="entry-attachments-hint" className="field__hint">
            {t('accounting.entries.attachments.hint', { max: maxSize })}
          </p>
        </label>
      )}
      {entry.status === 'posted' && (
        <p className="muted" data-testid="attachments-posted-note">
          {t('accounting.entries.attachments.postedLocked')}
        </p>
      )}
      {tooLarge && <Alert kind="error">{tooLarge}</Alert>}
      <FeedbackAlert feedback={feedback} />
      <ResourceState resource={attachments} />
      {list?.length === 0 && <EmptyState>{t('accounting.entries.attachments.empty')}</EmptyState>}
      {list && list.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('accounting.entries.attachments.columns.name')}</th>
                <th scope="col" className="numeric">
                  {t('accounting.entries.attachments.columns.size')}
                </th>
                <th scope="col">{t('accounting.entries.attachments.columns.date')}</th>
                <th scope="col">{t('accounting.entries.attachments.columns.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((attachment) => (
                <tr key={attachment.id} data-testid="attachment-row">
                  <td>{attachment.fileName}</td>
                  <td className="numeric nowrap">{size(attachment.sizeBytes)}</td>
                  <td className="nowrap">{formatters.dateTime(attachment.createdAt)}</td>
                  <td>
                    <div className="form-actions">
                      <a
                        className="button"
                        href={accountingDownloads.attachment(
                          organization.id,
                          entry.id,
                          attachment.id,
                        )}
                        download={attachment.fileName}
                        aria-label={t('accounting.entries.attachments.downloadOf', {
                          name: attachment.fileName,
                        })}
                        data-testid="attachment-download"
                      >
                        {t('accounting.entries.attachments.download')}
                      </a>
                      {canDelete && (
                        <button
                          type="button"
                          className="button button--danger"
                          disabled={pending !== null}
                          aria-label={t('accounting.entries.attachments.deleteOf', {
                            name: attachment.fileName,
                          })}
                          data-testid="attachment-delete"
                          onClick={() => void remove(attachment)}
                        >
                          {t('accounting.entries.attachments.delete')}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
