import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  householdInputSchema,
  type ContactHouseholdView,
  type ContactView,
  type HouseholdInput,
} from '@ruche/contracts';
import { contactsApi } from '../../../api/contacts';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Badge } from '../../../components/Badge';
import { EmptyState } from '../../../components/EmptyState';
import { FeedbackAlert } from '../../../components/FeedbackAlert';
import { FormErrors } from '../../../components/FormErrors';
import { splitErrors } from '../../../components/useFormErrors';
import { useAction } from '../../../components/useAction';
import { validationMessage } from '../../../i18n/messages';
import { ContactPicker } from './ContactPicker';

interface Member {
  id: string;
  displayName: string;
}

interface HouseholdDraft {
  name: string;
  members: Member[];
  payerContactId: string | null;
}

/** The contact's household: its members and payer; create one, change it, dissolve it. */
export function HouseholdPanel({
  contact,
  onChanged,
}: {
  contact: ContactView;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const canWrite = organization.can('contacts.write');
  const [editing, setEditing] = useState(false);
  const { pending, feedback, run } = useAction();
  const household = contact.household;
  if (!household && contact.kind !== 'person') return null;

  const save = async (input: HouseholdInput) => {
    if (household) await contactsApi.updateHousehold(organization.id, household.id, input);
    else await contactsApi.createHousehold(organization.id, input);
    setEditing(false);
    onChanged();
  };

  const dissolve = async (target: ContactHouseholdView) => {
    if (!window.confirm(t('contacts.household.confirmDissolve', { name: target.name }))) return;
    const done = await run(
      'dissolve',
      () => contactsApi.dissolveHousehold(organization.id, target.id),
      t('contacts.household.dissolved'),
    );
    if (done) onChanged();
  };

  const draft: HouseholdDraft = household
    ? {
        name: household.name,
        members: household.members,
        payerContactId: household.payerContactId,
      }
    : {
        name: t('contacts.household.defaultName', {
          name: contact.lastName ?? contact.displayName,
        }),
        members: [{ id: contact.id, displayName: contact.displayName }],
        payerContactId: contact.id,
      };

  return (
    <section className="panel" aria-labelledby="household-title" data-testid="household-panel">
      <div className="panel__header">
        <h2 id="household-title">{t('contacts.household.title')}</h2>
        {canWrite && !editing && (
          <div className="button-row">
            {household ? (
              <>
                <button
                  type="button"
                  className="button button--small"
                  data-testid="household-edit"
                  onClick={() => setEditing(true)}
                >
                  {t('contacts.household.edit')}
                </button>
                <button
                  type="button"
                  className="button button--small button--danger"
                  disabled={pending !== null}
                  data-testid="household-dissolve"
                  onClick={() => void dissolve(household)}
                >
                  {t('contacts.household.dissolve')}
                </button>
              </>
            ) : (
              <button
                type="button"
                className="button button--small"
                data-testid="household-new"
                onClick={() => setEditing(true)}
              >
                {t('contacts.household.create')}
              </button>
            )}
          </div>
        )}
      </div>
      <FeedbackAlert feedback={feedback} />
      {editing ? (
        <HouseholdEditor
          initial={draft}
          isNew={!household}
          onSave={save}
          onCancel={() => setEditing(false)}
        />
      ) : household ? (
        <>
          <p className="household__name" data-testid="household-name">
            {household.name}
          </p>
          <ul className="plain-list" data-testid="household-members">
            {household.members.map((member) => (
              <li key={member.id}>
                {member.id === contact.id ? (
                  <strong>{member.displayName}</strong>
                ) : (
                  <Link to={`/orgs/${organization.id}/contacts/${member.id}`}>
                    {member.displayName}
                  </Link>
                )}
                {member.id === household.payerContactId && (
                  <>
                    {' '}
                    <Badge tone="accent">{t('contacts.household.payer')}</Badge>
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <EmptyState>{t('contacts.household.none')}</EmptyState>
      )}
    </section>
  );
}

/** Name, members (found with the picker) and payer of a new or existing household. */
function HouseholdEditor({
  initial,
  isNew,
  onSave,
  onCancel,
}: {
  initial: HouseholdDraft;
  isNew: boolean;
  onSave: (input: HouseholdInput) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(initial);
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<{ byField: Record<string, string>; general: string[] }>({
    byField: {},
    general: [],
  });

  const submit = async () => {
    setErrors({ byField: {}, general: [] });
    const input = {
      name: draft.name,
      memberIds: draft.members.map((member) => member.id),
      payerContactId: draft.payerContactId,
    };
    const parsed = householdInputSchema.safeParse(input);
    if (!parsed.success) {
      const byField: Record<string, string> = {};
      const general: string[] = [];
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        const message = validationMessage(t, issue.message);
        if (field === 'name' || field === 'payerContactId') byField[field] = message;
        else general.push(message);
      }
      setErrors({ byField, general });
      return;
    }
    setPending(true);
    try {
      await onSave(parsed.data);
    } catch (error) {
      setErrors(splitErrors(t, error, ['name', 'payerContactId']));
    } finally {
      setPending(false);
    }
  };

  const remove = (id: string) =>
    setDraft({
      ...draft,
      members: draft.members.filter((member) => member.id !== id),
      payerContactId: draft.payerContactId === id ? null : draft.payerContactId,
    });

  return (
    <form
      className="form"
      noValidate
      data-testid="household-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <FormErrors messages={errors.general} testId="household-errors" />
      <div className={`field${errors.byField.name ? ' field--invalid' : ''}`}>
        <label htmlFor="household-name">{t('contacts.household.name')}</label>
        <input
          id="household-name"
          type="text"
          maxLength={200}
          value={draft.name}
          aria-invalid={Boolean(errors.byField.name)}
          data-testid="household-name-input"
          onChange={(event) => setDraft({ ...draft, name: event.target.value })}
        />
        {errors.byField.name && <p className="field__error">{errors.byField.name}</p>}
      </div>
      <fieldset className="field field--group">
        <legend>{t('contacts.household.members')}</legend>
        <ul className="plain-list">
          {draft.members.map((member) => (
            <li key={member.id} className="household__member" data-testid="household-member">
              <span>{member.displayName}</span>
              <button
                type="button"
                className="button button--small"
                aria-label={t('contacts.household.removeMember', { name: member.displayName })}
                onClick={() => remove(member.id)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <ContactPicker
          label={t('contacts.household.addMember')}
          excluded={draft.members.map((member) => member.id)}
          onPick={(picked) =>
            setDraft({
              ...draft,
              members: [...draft.members, { id: picked.id, displayName: picked.displayName }],
            })
          }
        />
      </fieldset>
      <div className={`field${errors.byField.payerContactId ? ' field--invalid' : ''}`}>
        <label htmlFor="household-payer">{t('contacts.household.payer')}</label>
        <select
          id="household-payer"
          value={draft.payerContactId ?? ''}
          data-testid="household-payer"
          onChange={(event) => setDraft({ ...draft, payerContactId: event.target.value || null })}
        >
          <option value="">{t('common.none')}</option>
          {draft.members.map((member) => (
            <option key={member.id} value={member.id}>
              {member.displayName}
            </option>
          ))}
        </select>
        {errors.byField.payerContactId && (
          <p className="field__error">{errors.byField.payerContactId}</p>
        )}
      </div>
      <div className="button-row">
        <button
          type="submit"
          className="button button--primary"
          disabled={pending}
          aria-busy={pending}
          data-testid="household-save"
        >
          {isNew ? t('contacts.household.createSubmit') : t('common.save')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
