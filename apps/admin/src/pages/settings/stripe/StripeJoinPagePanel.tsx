import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { StripeSettingsView } from '@ruche/contracts';
import { Alert } from '../../../components/Alert';
import { CopyButton } from '../../../components/CopyButton';

/** The public join page: its link, and the HTML snippet that embeds it in the association's site. */
export function StripeJoinPagePanel({ settings }: { settings: StripeSettingsView }) {
  const { t } = useTranslation();
  const snippetId = useId();
  const hintId = `${snippetId}-hint`;
  return (
    <section className="panel" aria-labelledby="stripe-join-title" data-testid="stripe-join-page">
      <h2 id="stripe-join-title">{t('stripe.join.title')}</h2>
      {!settings.connected && <Alert kind="info">{t('stripe.join.closed')}</Alert>}
      <p className="muted">{t('stripe.join.linkIntro')}</p>
      <div className="copy-field">
        <a
          href={settings.joinUrl}
          target="_blank"
          rel="noreferrer"
          className="copy-field__value"
          data-testid="stripe-join-url"
        >
          {settings.joinUrl} <span className="visually-hidden">({t('common.newTab')})</span>
        </a>
        <CopyButton
          value={settings.joinUrl}
          label={t('stripe.join.copyLink')}
          testId="stripe-join-url-copy"
        />
      </div>
      <div className="field">
        <label htmlFor={snippetId}>{t('stripe.join.embed')}</label>
        <textarea
          id={snippetId}
          className="snippet"
          readOnly
          rows={4}
          value={settings.embedSnippet}
          aria-describedby={hintId}
          data-testid="stripe-embed-snippet"
          onFocus={(event) => event.currentTarget.select()}
        />
        <p id={hintId} className="field__hint">
          {t('stripe.join.embedHint')}
        </p>
      </div>
      <div className="button-row">
        <CopyButton
          value={settings.embedSnippet}
          label={t('stripe.join.copySnippet')}
          testId="stripe-embed-copy"
        />
      </div>
    </section>
  );
}
