import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { updateWebhookEndpointInputSchema } from '@ruche/contracts';
import { ApiError } from '../../../api/client';
import type { Resource } from '../../../api/useResource';
import { webhooksApi, type WebhookEndpointView } from '../../../api/webhooks';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { EmptyState } from '../../../components/EmptyState';
import { FeedbackAlert } from '../../../components/FeedbackAlert';
import { ResourceState } from '../../../components/ResourceState';
import { useAction } from '../../../components/useAction';
import { useFormatters } from '../../../i18n/format';
import { errorMessage, serverMessage, validationMessage } from '../../../i18n/messages';
import { isWebhookEventType } from './events';

interface Editing {
  id: string;
  url: string;
  description: string;
  urlError?: string;
  descriptionError?: string;
}

/** The endpoints of the organization: toggled active in place, URL and description edited inline. */
export function WebhookEndpoints({ endpoints }: { endpoints: Resource<WebhookEndpointView[]> }) {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const { pending, feedback, run } = useAction();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [saving, setSaving] = useState(false);
  const [editError, setEditError] = useState<string | null>(null);

  const inputOf = (
    endpoint: WebhookEndpointView,
    changes: { url?: string; description?: string; active?: boolean },
  ) => {
    const description = (changes.description ?? endpoint.description ?? '').trim();
    return {
      url: changes.url ?? endpoint.url,
      events: endpoint.events.filter(isWebhookEventType),
      active: changes.active ?? endpoint.active,
      ...(description ? { description } : {}),
    };
  };

  const toggle = async (endpoint: WebhookEndpointView) => {
    const active = !endpoint.active;
    await run(
      endpoint.id,
      () => webhooksApi.updateEndpoint(organization.id, endpoint.id, inputOf(endpoint, { active })),
      t(active ? 'webhooks.activated' : 'webhooks.deactivated', { url: endpoint.url }),
    );
    endpoints.reload();
  };

  const save = async (endpoint: WebhookEndpointView, edit: Editing) => {
    setEditError(null);
    const parsed = updateWebhookEndpointInputSchema.safeParse(
      inputOf(endpoint, { url: edit.url, description: edit.description }),
    );
    if (!parsed.success) {
      const issue = (field: string) =>
        parsed.error.issues.find((candidate) => candidate.path[0] === field)?.message;
      const urlIssue = issue('url');
      const descriptionIssue = issue('description');
      setEditing({
        ...edit,
        urlError: urlIssue === undefined ? undefined : validationMessage(t, urlIssue),
        descriptionError:
          descriptionIssue === undefined ? undefined : validationMessage(t, descriptionIssue),
      });
      if (urlIssue === undefined && descriptionIssue === undefined) {
        setEditError(t('errors.validation_failed'));
      }
      return;
    }
    setSaving(true);
    try {
      await webhooksApi.updateEndpoint(organization.id, endpoint.id, parsed.data);
      setEditing(null);
      endpoints.reload();
    } catch (error) {
      const fieldErrors = error instanceof ApiError ? error.body.errors : [];
      const urlError = fieldErrors.find((fieldError) => fieldError.field === 'url');
      const descriptionError = fieldErrors.find((fieldError) => fieldError.field === 'description');
      setEditing({
        ...edit,
        urlError: urlError && serverMessage(t, urlError.code, urlError.message),
        descriptionError:
          descriptionError && serverMessage(t, descriptionError.code, descriptionError.message),
      });
      if (!urlError && !descriptionError) setEditError(errorMessage(t, error));
    } finally {
      setSaving(false);
    }
  };

  const startEditing = (endpoint: WebhookEndpointView) => {
    setEditError(null);
    setEditing({ id: endpoint.id, url: endpoint.url, description: endpoint.description ?? '' });
  };

  return (
    <>
      <h3>{t('webhooks.endpointsTitle')}</h3>
      <FeedbackAlert feedback={feedback} />
      {editError && <Alert kind="error">{editError}</Alert>}
      <ResourceState resource={endpoints} />
      {endpoints.data?.length === 0 && <EmptyState>{t('webhooks.empty')}</EmptyState>}
      {endpoints.data && endpoints.data.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('webhooks.fields.url')}</th>
                <th scope="col">{t('webhooks.fields.events')}</th>
                <th scope="col">{t('webhooks.fields.description')}</th>
                <th scope="col">{t('webhooks.columns.active')}</th>
                <th scope="col">{t('webhooks.columns.createdAt')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {endpoints.data.map((endpoint) => {
                const edit = editing?.id === endpoint.id ? editing : null;
                return (
                  <tr key={endpoint.id} data-testid="webhook-row">
                    <td>
                      {edit ? (
                        <>
                          <input
                            type="url"
                            aria-label={t('webhooks.urlOf', { url: endpoint.url })}
                            aria-invalid={Boolean(edit.urlError)}
                            data-testid="webhook-edit-url"
                            value={edit.url}
                            onChange={(event) => setEditing({ ...edit, url: event.target.value })}
                          />
                          {edit.urlError && <p className="field__error">{edit.urlError}</p>}
                        </>
                      ) : (
                        <code>{endpoint.url}</code>
                      )}
                    </td>
                    <td>
                      {endpoint.events.map((event) => (
                        <span key={event} className="cell-note">
                          {t(`webhooks.events.${event}`, { defaultValue: event })}
                        </span>
                      ))}
                    </td>
                    <td>
                      {edit ? (
                        <>
                          <input
                            type="text"
                            aria-label={t('webhooks.descriptionOf', { url: endpoint.url })}
                            aria-invalid={Boolean(edit.descriptionError)}
                            data-testid="webhook-edit-description"
                            value={edit.description}
                            onChange={(event) =>
                              setEditing({ ...edit, description: event.target.value })
                            }
                          />
                          {edit.descriptionError && (
                            <p className="field__error">{edit.descriptionError}</p>
                          )}
                        </>
                      ) : (
                        (endpoint.description ?? t('common.none'))
                      )}
                    </td>
                    <td>
                      <label className="checkbox-field">
                        <input
                          type="checkbox"
                          data-testid="webhook-active"
                          checked={endpoint.active}
                          disabled={pending === endpoint.id}
                          onChange={() => void toggle(endpoint)}
                        />
                        <span>
                          {endpoint.active ? t('webhooks.active') : t('webhooks.inactive')}
                        </span>
                      </label>
                    </td>
                    <td className="nowrap">{format.dateTime(endpoint.createdAt)}</td>
                    <td className="table__actions">
                      {edit ? (
                        <>
                          <button
                            type="button"
                            className="button button--small button--primary"
                            data-testid="webhook-save"
                            disabled={saving}
                            onClick={() => void save(endpoint, edit)}
                          >
                            {t('common.save')}
                          </button>{' '}
                          <button
                            type="button"
                            className="button button--small"
                            onClick={() => {
                              setEditError(null);
                              setEditing(null);
                            }}
                          >
                            {t('common.cancel')}
                          </button>
                        </>
                      ) : (
                        <button
                          type="button"
                          className="button button--small"
                          data-testid="webhook-edit"
                          onClick={() => startEditing(endpoint)}
                        >
                          {t('webhooks.edit')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
