import { useTranslation } from 'react-i18next';
import type { StripeSettingsView } from '@ruche/contracts';
import { CopyButton } from '../../../components/CopyButton';

/** How to declare Ruche's webhook endpoint in the Stripe dashboard: its URL and its events. */
export function StripeWebhookPanel({ settings }: { settings: StripeSettingsView }) {
  const { t } = useTranslation();
  return (
    <section className="panel" aria-labelledby="stripe-webhook-title" data-testid="stripe-webhook">
      <h2 id="stripe-webhook-title">{t('stripe.webhook.title')}</h2>
      <p className="muted">{t('stripe.webhook.intro')}</p>
      <ol className="steps">
        <li>{t('stripe.webhook.step1')}</li>
        <li>
          {t('stripe.webhook.step2')}
          <div className="copy-field">
            <code className="copy-field__value" data-testid="stripe-webhook-url">
              {settings.webhookUrl}
            </code>
            <CopyButton
              value={settings.webhookUrl}
              label={t('stripe.webhook.copyUrl')}
              testId="stripe-webhook-url-copy"
            />
          </div>
        </li>
        <li>
          {t('stripe.webhook.step3')}
          <ul className="plain-list copy-list" data-testid="stripe-webhook-events">
            {settings.webhookEvents.map((event) => (
              <li key={event} className="copy-field">
                <code className="copy-field__value" data-testid="stripe-webhook-event">
                  {event}
                </code>
                <CopyButton value={event} label={t('stripe.webhook.copyEvent', { event })} />
              </li>
            ))}
          </ul>
          {settings.webhookEvents.length > 1 && (
            <CopyButton
              value={settings.webhookEvents.join('\n')}
              label={t('stripe.webhook.copyAllEvents')}
              testId="stripe-webhook-events-copy"
            />
          )}
        </li>
        <li>{t('stripe.webhook.step4')}</li>
      </ol>
    </section>
  );
}
