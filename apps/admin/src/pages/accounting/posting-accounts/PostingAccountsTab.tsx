import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { POSTING_ROLES, type PostingAccountView, type PostingRole } from '@ruche/contracts';
import { accountingApi } from '../../../api/accounting';
import { ApiError } from '../../../api/client';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { ResourceState } from '../../../components/ResourceState';
import { errorMessage, serverMessage } from '../../../i18n/messages';
import { useAccounts } from '../useAccountingLists';

type Assignment = Partial<Record<PostingRole, string>>;

const toAssignment = (rows: PostingAccountView[]): Assignment =>
  Object.fromEntries(rows.map((row) => [row.role, row.accountNumber]));

export function PostingAccountsTab() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const postingAccounts = useResource(`accounting:posting-accounts:${organization.id}`, (signal) =>
    accountingApi.postingAccounts(organization.id, signal),
  );
  const accounts = useAccounts();
  return (
    <section className="panel" aria-labelledby="posting-accounts-title">
      <h2 id="posting-accounts-title">{t('accounting.tabs.postingAccounts')}</h2>
      <p className="muted">{t('accounting.postingAccounts.intro')}</p>
      <ResourceState resource={postingAccounts} />
      <ResourceState resource={accounts} />
      {postingAccounts.data && accounts.data && (
        <PostingAccountsForm
          key={JSON.stringify(postingAccounts.data)}
          initial={toAssignment(postingAccounts.data)}
          accounts={accounts.data.filter((account) => account.number.length >= 3)}
          readOnly={!organization.can('accounting.configure')}
          onSaved={postingAccounts.reload}
        />
      )}
    </section>
  );
}

interface PostingAccountsFormProps {
  initial: Assignment;
  accounts: { number: string; label: string; active: boolean }[];
  readOnly: boolean;
  onSaved: () => void;
}

function PostingAccountsForm({ initial, accounts, readOnly, onSaved }: PostingAccountsFormProps) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const [values, setValues] = useState<Assignment>(initial);
  const [pending, setPending] = useState(false);
  const [saved, setSaved] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const save = async () => {
    setPending(true);
    setSaved(false);
    setFormError(null);
    setFieldErrors({});
    try {
      const assigned: Assignment = Object.fromEntries(
        Object.entries(values).filter(([, number]) => Boolean(number)),
      );
      await accountingApi.updatePostingAccounts(organization.id, assigned);
      setSaved(true);
      onSaved();
    } catch (error) {
      const errors = error instanceof ApiError ? error.body.errors : [];
      const byRole: Record<string, string> = {};
      for (const fieldError of errors) {
        const role = POSTING_ROLES.find(
          (name) => fieldError.field === name || fieldError.field.endsWith(`.${name}`),
        );
        if (role) byRole[role] = serverMessage(t, fieldError.code, fieldError.message);
      }
      setFieldErrors(byRole);
      setFormError(errorMessage(t, error));
    } finally {
      setPending(false);
    }
  };

  return (
    <form
      className="form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      {formError && <Alert kind="error">{formError}</Alert>}
      {saved && <Alert kind="success">{t('accounting.postingAccounts.saved')}</Alert>}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('accounting.postingAccounts.columns.role')}</th>
              <th scope="col">{t('accounting.postingAccounts.columns.account')}</th>
            </tr>
          </thead>
          <tbody>
            {POSTING_ROLES.map((role) => {
              const current = values[role] ?? '';
              const known = accounts.some((account) => account.number === current);
              return (
                <tr key={role} data-testid={`posting-role-${role}`}>
                  <th scope="row">
                    <label htmlFor={`posting-${role}`}>
                      {t(`accounting.postingAccounts.roles.${role}`)}
                    </label>
                  </th>
                  <td className={fieldErrors[role] ? 'field--invalid' : undefined}>
                    <select
                      id={`posting-${role}`}
                      value={current}
                      disabled={readOnly}
                      aria-invalid={Boolean(fieldErrors[role])}
                      onChange={(event) => setValues({ ...values, [role]: event.target.value })}
                    >
                      {!current && <option value="">{t('common.none')}</option>}
                      {!known && current && <option value={current}>{current}</option>}
                      {accounts
                        .filter((account) => account.active || account.number === current)
                        .map((account) => (
                          <option key={account.number} value={account.number}>
                            {account.number} – {account.label}
                          </option>
                        ))}
                    </select>
                    {fieldErrors[role] && <p className="field__error">{fieldErrors[role]}</p>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {!readOnly && (
        <div className="form-actions">
          <button
            type="submit"
            className="button button--primary"
            disabled={pending}
            aria-busy={pending}
            data-testid="posting-accounts-save"
          >
            {t('common.save')}
          </button>
        </div>
      )}
    </form>
  );
}
