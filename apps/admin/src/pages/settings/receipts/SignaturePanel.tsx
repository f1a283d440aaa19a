import { useEffect, useId, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  receiptSignatureInputSchema,
  SIGNATURE_MIME_TYPES,
  type ReceiptSettingsView,
} from '@ruche/contracts';
import { receiptsApi } from '../../../api/receipts';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { FeedbackAlert } from '../../../components/FeedbackAlert';
import { useAction } from '../../../components/useAction';
import { errorMessage, validationMessage } from '../../../i18n/messages';

/** The largest signature image accepted (300 KB once decoded, as the API checks). */
const MAX_BYTES = 300 * 1024;

type SignatureMimeType = (typeof SIGNATURE_MIME_TYPES)[number];
const isSignatureType = (type: string): type is SignatureMimeType =>
  SIGNATURE_MIME_TYPES.some((candidate) => candidate === type);

/** A file's content as base64 (without the `data:` prefix). */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const result = typeof reader.result === 'string' ? reader.result : '';
      resolve(result.slice(result.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

/**
 * The signature printed on receipts: a PNG or JPEG image (300 KB at most) with its preview;
 * replaced by choosing another file, or removed.
 */
export function SignaturePanel({
  settings,
  readOnly,
  onChange,
}: {
  settings: ReceiptSettingsView;
  readOnly: boolean;
  onChange: (view: ReceiptSettingsView) => void;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const id = useId();
  const { pending, feedback, run } = useAction();
  const [problem, setProblem] = useState<string | null>(null);
  /** Bumped on each change of the image, so that the preview is fetched again. */
  const [version, setVersion] = useState(0);
  const preview = useSignaturePreview(organization.id, settings.hasSignature, version);

  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    setProblem(null);
    if (!file) return;
    if (!isSignatureType(file.type)) {
      setProblem(t('receipts.signature.badType', { name: file.name }));
      return;
    }
    if (file.size > MAX_BYTES) {
      setProblem(t('receipts.signature.tooLarge', { name: file.name }));
      return;
    }
    let contentBase64: string;
    try {
      contentBase64 = await readBase64(file);
    } catch {
      setProblem(t('receipts.signature.unreadable', { name: file.name }));
      return;
    }
    const parsed = receiptSignatureInputSchema.safeParse({ mimeType: file.type, contentBase64 });
    if (!parsed.success) {
      setProblem(validationMessage(t, parsed.error.issues[0]?.message));
      return;
    }
    await run(
      'upload',
      async () => {
        onChange(await receiptsApi.uploadSignature(organization.id, parsed.data));
        setVersion((value) => value + 1);
      },
      t('receipts.signature.uploaded'),
    );
  };

  const remove = async () => {
    if (!window.confirm(t('receipts.signature.confirmRemove'))) return;
    setProblem(null);
    await run(
      'remove',
      async () => {
        onChange(await receiptsApi.deleteSignature(organization.id));
        setVersion((value) => value + 1);
      },
      t('receipts.signature.removed'),
    );
  };

  const inputId = `${id}-file`;
  const hintId = `${id}-hint`;
  return (
    <section
      className="panel"
      aria-labelledby="receipt-signature-title"
      data-testid="receipt-signature"
    >
      <h2 id="receipt-signature-title">{t('receipts.signature.title')}</h2>
      <p className="muted">{t('receipts.signature.intro')}</p>
      {settings.hasSignature ? (
        <div className="signature-preview" data-testid="receipt-signature-preview">
          {preview.url ? (
            <img src={preview.url} alt={t('receipts.signature.alt')} />
          ) : preview.error ? (
            <Alert kind="error">{errorMessage(t, preview.error)}</Alert>
          ) : (
            <span className="muted">{t('common.loading')}</span>
          )}
        </div>
      ) : (
        <p className="muted" data-testid="receipt-signature-none">
          {t('receipts.signature.none')}
        </p>
      )}
      <FeedbackAlert feedback={feedback} />
      {problem && (
        <Alert kind="error">
          <span data-testid="receipt-signature-problem">{problem}</span>
        </Alert>
      )}
      {!readOnly && (
        <div className="form-grid">
          <div className="field">
            <label htmlFor={inputId}>
              {settings.hasSignature
                ? t('receipts.signature.replace')
                : t('receipts.signature.add')}
            </label>
            <input
              id={inputId}
              type="file"
              accept={SIGNATURE_MIME_TYPES.join(',')}
              disabled={pending !== null}
              aria-describedby={hintId}
              data-testid="receipt-signature-input"
              onChange={(event) => void upload(event)}
            />
            <p id={hintId} className="field__hint">
              {t('receipts.signature.hint')}
            </p>
          </div>
          {settings.hasSignature && (
            <div className="button-row">
              <button
                type="button"
                className="button button--danger"
                disabled={pending !== null}
                aria-busy={pending === 'remove'}
                data-testid="receipt-signature-remove"
                onClick={() => void remove()}
              >
                {t('receipts.signature.remove')}
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

/** The signature image as an object URL (fetched with the session), released when replaced. */
function useSignaturePreview(
  orgId: string,
  hasSignature: boolean,
  version: number,
): { url: string | null; error: unknown } {
  const [state, setState] = useState<{ url: string | null; error: unknown }>({
    url: null,
    error: null,
  });
  useEffect(() => {
    setState({ url: null, error: null });
    if (!hasSignature) return;
    const controller = new AbortController();
    let url: string | null = null;
    receiptsApi.signature(orgId, controller.signal).then(
      (blob) => {
        if (controller.signal.aborted) return;
        url = URL.createObjectURL(blob);
        setState({ url, error: null });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ url: null, error });
      },
    );
    return () => {
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [orgId, hasSignature, version]);
  return state;
}
