import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CONSENT_KINDS,
  eraseContactInputSchema,
  type ConsentKind,
  type ConsentSource,
  type ConsentView,
  type ContactView,
} from '@ruche/contracts';
import { contactsApi, contactsDownloads } from '../../../api/contacts';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { Badge } from '../../../components/Badge';
import { FeedbackAlert } from '../../../components/FeedbackAlert';
import { FormErrors } from '../../../components/FormErrors';
import { ResourceState } from '../../../components/ResourceState';
import { splitErrors } from '../../../components/useFormErrors';
import { useAction } from '../../../components/useAction';
import { useFormatters } from '../../../i18n/format';
import { validationMessage } from '../../../i18n/messages';

/** The sources a team member can give when recording a consent by hand. */
const MANUAL_SOURCES: readonly ConsentSource[] = ['admin', 'paper', 'form'];

/**
 * Personal data of a contact (GDPR): consents (current state, history, record a new one), export
 * of everything held about the contact, and erasure (anonymization).
 */
export function GdprPanel({ contact, onErased }: { contact: ContactView; onErased: () => void }) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const erased = contact.erasedAt !== null;
  const canGdpr = organization.can('contacts.gdpr');

  return (
    <section className="panel" aria-labelledby="gdpr-title" data-testid="gdpr-panel">
      <div className="panel__header">
        <h2 id="gdpr-title">{t('contacts.gdpr.title')}</h2>
        {canGdpr && (
          <div className="button-row" role="group" aria-label={t('contacts.gdpr.exportLabel')}>
            <a
              className="button button--small"
              href={contactsDownloads.personalData(organization.id, contact.id, 'json')}
              download
              title={t('contacts.gdpr.exportJsonTitle')}
              data-testid="gdpr-export-json"
            >
              {t('contacts.gdpr.exportJson')}
            </a>
            <a
              className="button button--small"
              href={contactsDownloads.personalData(organization.id, contact.id, 'pdf')}
              download
              title={t('contacts.gdpr.exportPdfTitle')}
              data-testid="gdpr-export-pdf"
            >
              {t('contacts.gdpr.exportPdf')}
            </a>
          </div>
        )}
      </div>
      <Consents contactId={contact.id} editable={organization.can('contacts.write') && !erased} />
      {canGdpr && !erased && <Erasure contactId={contact.id} onErased={onErased} />}
    </section>
  );
}

/** The current state of each consent, buttons to record a new one, and the history. */
function Consents({ contactId, editable }: { contactId: string; editable: boolean }) {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const consents = useResource(`contacts:consents:${organization.id}:${contactId}`, (signal) =>
    contactsApi.consents(organization.id, contactId, signal),
  );
  const { pending, feedback, run } = useAction();
  const [source, setSource] = useState<ConsentSource>('admin');
  const sourceId = useId();
  const view = consents.data;

  const record = async (kind: ConsentKind, granted: boolean) => {
    const label = t(`contacts.gdpr.kinds.${kind}`);
    const done = await run(
      `${kind}:${granted}`,
      () => contactsApi.recordConsent(organization.id, contactId, { kind, granted, source }),
      granted
        ? t('contacts.gdpr.granted', { kind: label })
        : t('contacts.gdpr.withdrawn', { kind: label }),
    );
    if (done) consents.reload();
  };

  const describe = (consent: ConsentView) =>
    t('contacts.gdpr.recorded', {
      date: format.dateTime(consent.recordedAt),
      source: t(`contacts.gdpr.sources.${consent.source}`),
    });

  return (
    <div className="gdpr-consents">
      <h3>{t('contacts.gdpr.consents')}</h3>
      <ResourceState resource={consents} />
      <FeedbackAlert feedback={feedback} />
      {view && (
        <>
          <ul className="plain-list">
            {CONSENT_KINDS.map((kind) => {
              const current = view.current[kind] ?? null;
              const state = current === null ? 'unknown' : current.granted ? 'true' : 'false';
              return (
                <li
                  key={kind}
                  className="gdpr-consent"
                  data-testid={`consent-${kind}`}
                  data-granted={state}
                >
                  <div className="gdpr-consent__state">
                    <strong>{t(`contacts.gdpr.kinds.${kind}`)}</strong>{' '}
                    <Badge
                      tone={state === 'true' ? 'success' : state === 'false' ? 'danger' : 'neutral'}
                    >
                      {t(`contacts.gdpr.states.${state}`)}
                    </Badge>
                    {current && <span className="cell-note">{describe(current)}</span>}
                  </div>
                  {editable && (
                    <div className="button-row">
                      <button
                        type="button"
                        className="button button--small"
                        aria-pressed={state === 'true'}
                        disabled={pending !== null}
                        data-testid={`consent-${kind}-grant`}
                        onClick={() => void record(kind, true)}
                      >
                        {t('contacts.gdpr.grant')}
                      </button>
                      <button
                        type="button"
                        className="button button--small"
                        aria-pressed={state === 'false'}
                        disabled={pending !== null}
                        data-testid={`consent-${kind}-withdraw`}
                        onClick={() => void record(kind, false)}
                      >
                        {t('contacts.gdpr.withdraw')}
                      </button>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
          {editable && (
            <div className="field gdpr-consent__source">
              <label htmlFor={sourceId}>{t('contacts.gdpr.source')}</label>
              <select
                id={sourceId}
                value={source}
                data-testid="consent-source"
                onChange={(event) =>
                  setSource(MANUAL_SOURCES.find((item) => item === event.target.value) ?? 'admin')
                }
              >
                {MANUAL_SOURCES.map((item) => (
                  <option key={item} value={item}>
                    {t(`contacts.gdpr.sources.${item}`)}
                  </option>
                ))}
              </select>
            </div>
          )}
          <details className="gdpr-history" data-testid="consent-history">
            <summary>{t('contacts.gdpr.history', { count: view.history.length })}</summary>
            {view.history.length === 0 ? (
              <p className="muted">{t('contacts.gdpr.noHistory')}</p>
            ) : (
              <ul className="plain-list">
                {view.history.map((entry, index) => (
                  <li
                    key={`${entry.recordedAt}:${entry.kind}:${index}`}
                    data-testid="consent-history-entry"
                    data-kind={entry.kind}
                    data-granted={String(entry.granted)}
                  >
                    {t(
                      entry.granted
                        ? 'contacts.gdpr.historyGranted'
                        : 'contacts.gdpr.historyRefused',
                      { kind: t(`contacts.gdpr.kinds.${entry.kind}`) },
                    )}
                    <span className="cell-note">
                      {describe(entry)}
                      {entry.recordedBy &&
                        ` · ${t('contacts.gdpr.by', { name: entry.recordedBy })}`}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </details>
        </>
      )}
    </div>
  );
}

/** "Erase (anonymize)": an inline confirmation with the reason, then reloads the contact. */
function Erasure({ contactId, onErased }: { contactId: string; onErased: () => void }) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<{ byField: Record<string, string>; general: string[] }>({
    byField: {},
    general: [],
  });
  const reasonId = useId();

  const close = () => {
    setOpen(false);
    setReason('');
    setErrors({ byField: {}, general: [] });
  };

  const submit = async () => {
    setErrors({ byField: {}, general: [] });
    const parsed = eraseContactInputSchema.safeParse({ reason, confirm: true });
    if (!parsed.success) {
      const byField: Record<string, string> = {};
      const general: string[] = [];
      for (const issue of parsed.error.issues) {
        const message = validationMessage(t, issue.message);
        if (issue.path[0] === 'reason') byField.reason = message;
        else general.push(message);
      }
      setErrors({ byField, general });
      return;
    }
    setPending(true);
    try {
      await contactsApi.erase(organization.id, contactId, parsed.data);
      close();
      onErased();
    } catch (error) {
      setErrors(splitErrors(t, error, ['reason']));
    } finally {
      setPending(false);
    }
  };

  if (!open)
    return (
      <div className="button-row gdpr-erase">
        <button
          type="button"
          className="button button--danger"
          data-testid="gdpr-erase"
          onClick={() => setOpen(true)}
        >
          {t('contacts.gdpr.erase')}
        </button>
      </div>
    );

  return (
    <form
      className="form panel panel--inset gdpr-erase"
      noValidate
      data-testid="gdpr-erase-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3>{t('contacts.gdpr.eraseTitle')}</h3>
      <Alert kind="info">
        <span data-testid="gdpr-erase-explanation">{t('contacts.gdpr.eraseExplanation')}</span>
      </Alert>
      <FormErrors messages={errors.general} testId="gdpr-erase-errors" />
      <div className={`field${errors.byField.reason ? ' field--invalid' : ''}`}>
        <label htmlFor={reasonId}>{t('contacts.gdpr.eraseReason')}</label>
        <textarea
          id={reasonId}
          rows={3}
          maxLength={500}
          value={reason}
          aria-invalid={Boolean(errors.byField.reason)}
          aria-describedby={`${reasonId}-hint`}
          data-testid="gdpr-erase-reason"
          onChange={(event) => setReason(event.target.value)}
        />
        <p id={`${reasonId}-hint`} className="field__hint">
          {t('contacts.gdpr.eraseReasonHint')}
        </p>
        {errors.byField.reason && <p className="field__error">{errors.byField.reason}</p>}
      </div>
      <div className="button-row">
        <button
          type="submit"
          className="button button--danger"
          disabled={pending}
          aria-busy={pending}
          data-testid="gdpr-erase-confirm"
        >
          {t('contacts.gdpr.eraseConfirm')}
        </button>
        <button
          type="button"
          className="button"
          disabled={pending}
          data-testid="gdpr-erase-cancel"
          onClick={close}
        >
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
