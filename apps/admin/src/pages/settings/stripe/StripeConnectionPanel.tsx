import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StripeConnectionCheckView, StripeSettingsView } from '@ruche/contracts';
import { stripeApi } from '../../../api/payments';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { Badge } from '../../../components/Badge';
import { FeedbackAlert } from '../../../components/FeedbackAlert';
import { useAction } from '../../../components/useAction';
import { useFormatters } from '../../../i18n/format';
import { StripeModeBadge } from './StripeModeBadge';

interface StripeConnectionPanelProps {
  settings: StripeSettingsView;
  /** The connection changed (checked, disconnected): reload the settings. */
  onChange: () => void;
}

/** Whether a Stripe account is connected, in which mode, and its last check; test or disconnect. */
export function StripeConnectionPanel({ settings, onChange }: StripeConnectionPanelProps) {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const { pending, feedback, run } = useAction();
  const [check, setCheck] = useState<StripeConnectionCheckView | null>(null);

  const test = async () => {
    setCheck(null);
    await run('check', async () => setCheck(await stripeApi.check(organization.id)));
    onChange();
  };

  const disconnect = async () => {
    if (!window.confirm(t('stripe.connection.confirmDisconnect'))) return;
    setCheck(null);
    const done = await run(
      'disconnect',
      () => stripeApi.disconnect(organization.id),
      t('stripe.connection.disconnected'),
    );
    if (done) onChange();
  };

  const account = (accountName: string | null, accountId: string | null) =>
    [accountName, accountId].filter(Boolean).join(' · ') || t('common.none');

  return (
    <section className="panel" aria-labelledby="stripe-title" data-testid="stripe-connection">
      <div className="panel__header">
        <h2 id="stripe-title">{t('settings.tabs.stripe')}</h2>
        <div className="button-row">
          <span data-testid="stripe-connected" data-connected={settings.connected}>
            <Badge tone={settings.connected ? 'success' : 'neutral'}>
              {settings.connected
                ? t('stripe.connection.connected')
                : t('stripe.connection.notConnected')}
            </Badge>
          </span>
          {settings.mode && <StripeModeBadge mode={settings.mode} testId="stripe-mode" />}
        </div>
      </div>
      <p className="muted">{t('stripe.intro')}</p>
      {settings.connected ? (
        <dl className="details" data-testid="stripe-account">
          <dt>{t('stripe.connection.account')}</dt>
          <dd data-testid="stripe-account-name">
            {account(settings.accountName, settings.accountId)}
          </dd>
          <dt>{t('stripe.connection.secretKey')}</dt>
          <dd>
            {settings.secretKeyHint ? (
              <code data-testid="stripe-key-hint">{settings.secretKeyHint}</code>
            ) : (
              t('common.none')
            )}
          </dd>
          <dt>{t('stripe.connection.publishableKey')}</dt>
          <dd>
            {settings.publishableKey ? <code>{settings.publishableKey}</code> : t('common.none')}
          </dd>
          <dt>{t('stripe.connection.webhookSecret')}</dt>
          <dd>
            {settings.webhookSecretSet
              ? t('stripe.connection.webhookSecretSet')
              : t('stripe.connection.webhookSecretMissing')}
          </dd>
          <dt>{t('stripe.connection.lastCheck')}</dt>
          <dd data-testid="stripe-last-check" data-ok={settings.lastCheckOk ?? undefined}>
            {settings.lastCheckedAt ? (
              <>
                {format.dateTime(settings.lastCheckedAt)}{' '}
                <Badge tone={settings.lastCheckOk ? 'success' : 'danger'}>
                  {settings.lastCheckOk
                    ? t('stripe.connection.checkOk')
                    : t('stripe.connection.checkFailed')}
                </Badge>
                {!settings.lastCheckOk && settings.lastCheckError && (
                  <span className="cell-error">{settings.lastCheckError}</span>
                )}
              </>
            ) : (
              t('stripe.connection.neverChecked')
            )}
          </dd>
        </dl>
      ) : (
        <Alert kind="info">
          <span data-testid="stripe-not-connected">{t('stripe.connection.notConnectedHint')}</span>
        </Alert>
      )}
      {check && (
        <Alert kind={check.ok ? 'success' : 'error'}>
          <span data-testid="stripe-check-result" data-ok={check.ok}>
            {check.ok
              ? t('stripe.connection.checkSucceeded', {
                  account: account(check.accountName, check.accountId),
                  mode: check.mode ? t(`stripe.mode.${check.mode}`) : t('common.none'),
                })
              : t('stripe.connection.checkError', {
                  error: check.error ?? t('errors.unexpected'),
                })}{' '}
            <span className="muted">({format.dateTime(check.checkedAt)})</span>
          </span>
        </Alert>
      )}
      <FeedbackAlert feedback={feedback} />
      {settings.connected && (
        <div className="button-row">
          <button
            type="button"
            className="button"
            disabled={pending !== null}
            aria-busy={pending === 'check'}
            data-testid="stripe-check"
            onClick={() => void test()}
          >
            {pending === 'check' && <span className="spinner" aria-hidden="true" />}
            {t('stripe.connection.check')}
          </button>
          <button
            type="button"
            className="button button--danger"
            disabled={pending !== null}
            aria-busy={pending === 'disconnect'}
            data-testid="stripe-disconnect"
            onClick={() => void disconnect()}
          >
            {t('stripe.connection.disconnect')}
          </button>
        </div>
      )}
    </section>
  );
}
