import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import {
  WEBHOOK_EVENT_TYPES,
  webhookEndpointInputSchema,
  type WebhookEndpointInput,
} from '@ruche/contracts';
import type { z } from 'zod';
import { webhooksApi, type CreatedWebhookEndpointView } from '../../../api/webhooks';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { SubmitButton } from '../../../components/SubmitButton';
import { useServerErrors } from '../../../components/useServerErrors';
import { validationMessage } from '../../../i18n/messages';

type EndpointForm = z.input<typeof webhookEndpointInputSchema>;
const FIELDS = ['url', 'events', 'description'] as const;
const DEFAULTS: EndpointForm = { url: '', events: [...WEBHOOK_EVENT_TYPES], description: '' };

/** Adds an endpoint, then shows its signing secret once. */
export function WebhookEndpointForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const [created, setCreated] = useState<CreatedWebhookEndpointView | null>(null);
  const {
    register,
    control,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<EndpointForm, unknown, WebhookEndpointInput>({
    resolver: zodResolver(webhookEndpointInputSchema),
    defaultValues: DEFAULTS,
  });
  const { formError, report, clear } = useServerErrors(setError, FIELDS);

  const onSubmit = async (input: WebhookEndpointInput) => {
    clear();
    setCreated(null);
    try {
      const endpoint = await webhooksApi.createEndpoint(organization.id, {
        url: input.url,
        events: input.events,
        ...(input.description ? { description: input.description } : {}),
      });
      setCreated(endpoint);
      reset(DEFAULTS);
      onCreated();
    } catch (error) {
      report(error);
    }
  };

  return (
    <section className="panel" aria-labelledby="new-webhook-title">
      <h2 id="new-webhook-title">{t('webhooks.addTitle')}</h2>
      {created && <SecretBox endpoint={created} onDismiss={() => setCreated(null)} />}
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="form">
        {formError && <Alert kind="error">{formError}</Alert>}
        <Field label={t('webhooks.fields.url')} error={errors.url} hint={t('webhooks.urlHint')}>
          {(props) => (
            <input
              {...props}
              type="url"
              autoComplete="off"
              placeholder="https://"
              data-testid="webhook-url"
              {...register('url')}
            />
          )}
        </Field>
        <fieldset className={`field${errors.events ? ' field--invalid' : ''}`}>
          <legend>{t('webhooks.fields.events')}</legend>
          <Controller
            control={control}
            name="events"
            render={({ field }) => (
              <>
                {WEBHOOK_EVENT_TYPES.map((event) => (
                  <label key={event} className="checkbox-field">
                    <input
                      type="checkbox"
                      name={field.name}
                      value={event}
                      data-testid={`webhook-event-${event}`}
                      checked={field.value.includes(event)}
                      onBlur={field.onBlur}
                      onChange={(change) =>
                        field.onChange(
                          change.target.checked
                            ? [...field.value.filter((value) => value !== event), event]
                            : field.value.filter((value) => value !== event),
                        )
                      }
                    />
                    <span>{t(`webhooks.events.${event}`)}</span>
                  </label>
                ))}
              </>
            )}
          />
          {errors.events && (
            <p className="field__error">{validationMessage(t, errors.events.message)}</p>
          )}
        </fieldset>
        <Field label={t('webhooks.fields.description')} error={errors.description}>
          {(props) => (
            <input
              {...props}
              type="text"
              data-testid="webhook-description"
              {...register('description')}
            />
          )}
        </Field>
        <div className="form-actions">
          <SubmitButton pending={isSubmitting} testId="webhook-create">
            {t('webhooks.create')}
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}

function SecretBox({
  endpoint,
  onDismiss,
}: {
  endpoint: CreatedWebhookEndpointView;
  onDismiss: () => void;
}) {
  const { t } = useTranslation();
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');

  const copySecret = async () => {
    try {
      await navigator.clipboard.writeText(endpoint.secret);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };

  return (
    <div className="alert alert--info secret-box" role="status">
      <p>
        <strong>{t('webhooks.secretTitle', { url: endpoint.url })}</strong>
      </p>
      <p>{t('webhooks.secretWarning')}</p>
      <code className="secret-box__value" data-testid="webhook-secret">
        {endpoint.secret}
      </code>
      <div className="form-actions">
        <button
          type="button"
          className="button button--small button--primary"
          data-testid="webhook-secret-copy"
          onClick={() => void copySecret()}
        >
          {copy === 'copied' ? t('webhooks.copied') : t('webhooks.copy')}
        </button>
        <button type="button" className="button button--small" onClick={onDismiss}>
          {t('webhooks.dismissSecret')}
        </button>
      </div>
      {copy === 'failed' && <p>{t('webhooks.copyFailed')}</p>}
    </div>
  );
}
