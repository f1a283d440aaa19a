import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import {
  JOURNAL_KINDS,
  createJournalInputSchema,
  type CreateJournalInput,
  type JournalView,
} from '@ruche/contracts';
import type { z } from 'zod';
import { accountingApi } from '../../../api/accounting';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { Badge } from '../../../components/Badge';
import { EmptyState } from '../../../components/EmptyState';
import { FeedbackAlert } from '../../../components/FeedbackAlert';
import { Field } from '../../../components/Field';
import { ResourceState } from '../../../components/ResourceState';
import { SubmitButton } from '../../../components/SubmitButton';
import { useAction } from '../../../components/useAction';
import { useServerErrors } from '../../../components/useServerErrors';
import { useJournals } from '../useAccountingLists';

type JournalForm = z.input<typeof createJournalInputSchema>;
const FIELDS = ['code', 'label', 'kind'] as const;

export function JournalsTab() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const journals = useJournals();
  const { pending, feedback, run } = useAction();
  const [editing, setEditing] = useState<{ code: string; label: string } | null>(null);
  const canConfigure = organization.can('accounting.configure');

  const update = async (journal: JournalView, label: string, active: boolean) => {
    const done = await run(
      journal.code,
      () => accountingApi.updateJournal(organization.id, journal.code, { label, active }),
      t('accounting.journals.saved', { code: journal.code }),
    );
    if (done) setEditing(null);
    journals.reload();
  };

  return (
    <>
      <section className="panel" aria-labelledby="journals-title">
        <h2 id="journals-title">{t('accounting.tabs.journals')}</h2>
        <FeedbackAlert feedback={feedback} />
        <ResourceState resource={journals} />
        {journals.data?.length === 0 && <EmptyState>{t('accounting.journals.empty')}</EmptyState>}
        {journals.data && journals.data.length > 0 && (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('accounting.journals.columns.code')}</th>
                  <th scope="col">{t('accounting.journals.columns.label')}</th>
                  <th scope="col">{t('accounting.journals.columns.kind')}</th>
                  <th scope="col">{t('accounting.journals.columns.status')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {journals.data.map((journal) => {
                  const isEditing = editing?.code === journal.code;
                  return (
                    <tr key={journal.code} data-testid="journal-row">
                      <td>
                        <code>{journal.code}</code>
                      </td>
                      <td>
                        {isEditing ? (
                          <input
                            type="text"
                            aria-label={t('accounting.journals.labelOf', { code: journal.code })}
                            value={editing.label}
                            onChange={(event) =>
                              setEditing({ code: journal.code, label: event.target.value })
                            }
                          />
                        ) : (
                          journal.label
                        )}
                      </td>
                      <td>{t(`accounting.journals.kinds.${journal.kind}`)}</td>
                      <td>
                        <Badge tone={journal.active ? 'success' : 'neutral'}>
                          {journal.active
                            ? t('accounting.journals.active')
                            : t('accounting.journals.inactive')}
                        </Badge>
                      </td>
                      <td className="table__actions">
                        {canConfigure && isEditing && (
                          <>
                            <button
                              type="button"
                              className="button button--small button--primary"
                              disabled={pending === journal.code}
                              onClick={() => void update(journal, editing.label, journal.active)}
                            >
                              {t('common.save')}
                            </button>{' '}
                            <button
                              type="button"
                              className="button button--small"
                              onClick={() => setEditing(null)}
                            >
                              {t('common.cancel')}
                            </button>
                          </>
                        )}
                        {canConfigure && !isEditing && (
                          <>
                            <button
                              type="button"
                              className="button button--small"
                              onClick={() =>
                                setEditing({ code: journal.code, label: journal.label })
                              }
                            >
                              {t('accounting.rename')}
                            </button>{' '}
                            <button
                              type="button"
                              className="button button--small"
                              disabled={pending === journal.code}
                              onClick={() => void update(journal, journal.label, !journal.active)}
                            >
                              {journal.active
                                ? t('accounting.deactivate')
                                : t('accounting.activate')}
                            </button>
                          </>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {canConfigure && <NewJournalForm onCreated={journals.reload} />}
    </>
  );
}

function NewJournalForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const [created, setCreated] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<JournalForm, unknown, CreateJournalInput>({
    resolver: zodResolver(createJournalInputSchema),
    defaultValues: { code: '', label: '', kind: 'miscellaneous' },
  });
  const { formError, report, clear } = useServerErrors(setError, FIELDS);

  const onSubmit = async (input: CreateJournalInput) => {
    clear();
    setCreated(null);
    try {
      const journal = await accountingApi.createJournal(organization.id, input);
      setCreated(t('accounting.journals.created', { code: journal.code }));
      reset({ code: '', label: '', kind: input.kind });
      onCreated();
    } catch (error) {
      report(error);
    }
  };

  return (
    <section className="panel" aria-labelledby="new-journal-title">
      <h2 id="new-journal-title">{t('accounting.journals.addTitle')}</h2>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="form">
        {formError && <Alert kind="error">{formError}</Alert>}
        {created && <Alert kind="success">{created}</Alert>}
        <div className="form-row">
          <Field label={t('accounting.journals.columns.code')} error={errors.code}>
            {(control) => (
              <input {...control} type="text" data-testid="journal-code" {...register('code')} />
            )}
          </Field>
          <Field label={t('accounting.journals.columns.label')} error={errors.label}>
            {(control) => (
              <input {...control} type="text" data-testid="journal-label" {...register('label')} />
            )}
          </Field>
          <Field label={t('accounting.journals.columns.kind')} error={errors.kind}>
            {(control) => (
              <select {...control} data-testid="journal-kind" {...register('kind')}>
                {JOURNAL_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {t(`accounting.journals.kinds.${kind}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <SubmitButton pending={isSubmitting} testId="journal-add">
            {t('accounting.journals.add')}
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}
