import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import {
  createAccountInputSchema,
  type AccountView,
  type CreateAccountInput,
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
import { useAccounts } from '../useAccountingLists';

type AccountForm = z.input<typeof createAccountInputSchema>;
const FIELDS = ['number', 'label'] as const;

export function AccountsTab() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const accounts = useAccounts();
  const [filter, setFilter] = useState('');
  const { pending, feedback, run } = useAction();
  const [editing, setEditing] = useState<{ number: string; label: string } | null>(null);
  const canConfigure = organization.can('accounting.configure');
  const query = filter.trim().toLowerCase();
  const visible = (accounts.data ?? []).filter(
    (account) =>
      !query || account.number.startsWith(query) || account.label.toLowerCase().includes(query),
  );

  const update = async (account: AccountView, label: string, active: boolean) => {
    const done = await run(
      account.number,
      () => accountingApi.updateAccount(organization.id, account.number, { label, active }),
      t('accounting.accounts.saved', { number: account.number }),
    );
    if (done) setEditing(null);
    accounts.reload();
  };

  return (
    <>
      {canConfigure && <NewAccountForm onCreated={accounts.reload} />}
      <section className="panel" aria-labelledby="accounts-title">
        <div className="panel__header">
          <h2 id="accounts-title">{t('accounting.tabs.accounts')}</h2>
          <label className="field">
            <span className="visually-hidden">{t('accounting.accounts.filter')}</span>
            <input
              type="search"
              placeholder={t('accounting.accounts.filter')}
              value={filter}
              data-testid="accounts-filter"
              onChange={(event) => setFilter(event.target.value)}
            />
          </label>
        </div>
        <FeedbackAlert feedback={feedback} />
        <ResourceState resource={accounts} />
        {accounts.data && visible.length === 0 && (
          <EmptyState>{t('accounting.accounts.empty')}</EmptyState>
        )}
        {visible.length > 0 && (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('accounting.accounts.columns.number')}</th>
                  <th scope="col">{t('accounting.accounts.columns.label')}</th>
                  <th scope="col">{t('accounting.accounts.columns.class')}</th>
                  <th scope="col">{t('accounting.accounts.columns.status')}</th>
                  <th scope="col">{t('accounting.accounts.columns.used')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {visible.map((account) => {
                  const isEditing = editing?.number === account.number;
                  return (
                    <tr key={account.number} data-testid="account-row">
                      <td
                        className={`nowrap account-number account-number--depth-${Math.min(account.number.length, 8)}`}
                      >
                        {account.number}
                      </td>
                      <td>
                        {isEditing ? (
                          <input
                            type="text"
                            aria-label={t('accounting.accounts.labelOf', {
                              number: account.number,
                            })}
                            value={editing.label}
                            data-testid="account-edit-label"
                            onChange={(event) =>
                              setEditing({ number: account.number, label: event.target.value })
                            }
                          />
                        ) : (
                          account.label
                        )}
                      </td>
                      <td>{account.accountClass}</td>
                      <td>
                        <Badge tone={account.active ? 'success' : 'neutral'}>
                          {account.active
                            ? t('accounting.accounts.active')
                            : t('accounting.accounts.inactive')}
                        </Badge>
                      </td>
                      <td>{account.used ? t('accounting.accounts.used') : ''}</td>
                      <td className="table__actions">
                        {canConfigure && isEditing && (
                          <>
                            <button
                              type="button"
                              className="button button--small button--primary"
                              disabled={pending === account.number}
                              onClick={() => void update(account, editing.label, account.active)}
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
                                setEditing({ number: account.number, label: account.label })
                              }
                            >
                              {t('accounting.rename')}
                            </button>{' '}
                            <button
                              type="button"
                              className="button button--small"
                              disabled={pending === account.number}
                              onClick={() => void update(account, account.label, !account.active)}
                            >
                              {account.active
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
    </>
  );
}

function NewAccountForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const [created, setCreated] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<AccountForm, unknown, CreateAccountInput>({
    resolver: zodResolver(createAccountInputSchema),
    defaultValues: { number: '', label: '' },
  });
  const { formError, report, clear } = useServerErrors(setError, FIELDS);

  const onSubmit = async (input: CreateAccountInput) => {
    clear();
    setCreated(null);
    try {
      const account = await accountingApi.createAccount(organization.id, input);
      setCreated(t('accounting.accounts.created', { number: account.number }));
      reset({ number: '', label: '' });
      onCreated();
    } catch (error) {
      report(error);
    }
  };

  return (
    <section className="panel" aria-labelledby="new-account-title">
      <h2 id="new-account-title">{t('accounting.accounts.addTitle')}</h2>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="form">
        {formError && <Alert kind="error">{formError}</Alert>}
        {created && <Alert kind="success">{created}</Alert>}
        <div className="form-row">
          <Field
            label={t('accounting.accounts.columns.number')}
            error={errors.number}
            hint={t('accounting.accounts.numberHint')}
          >
            {(control) => (
              <input
                {...control}
                type="text"
                inputMode="numeric"
                data-testid="account-number"
                {...register('number')}
              />
            )}
          </Field>
          <Field label={t('accounting.accounts.columns.label')} error={errors.label}>
            {(control) => (
              <input {...control} type="text" data-testid="account-label" {...register('label')} />
            )}
          </Field>
          <SubmitButton pending={isSubmitting} testId="account-add">
            {t('accounting.accounts.add')}
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}
