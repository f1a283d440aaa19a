import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { accountingApi } from '../../../api/accounting';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { ResourceState } from '../../../components/ResourceState';
import { today } from '../money';
import { useAccounts, useJournals } from '../useAccountingLists';
import { emptyLine, toFormValues } from './entryForm';
import { EntryForm } from './EntryForm';

/** New entry (`entries/new`) or edit of a draft (`entries/:entryId/edit`). */
export function EntryFormPage() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const { entryId } = useParams();
  const accounts = useAccounts();
  const journals = useJournals();
  const entry = useResource(`accounting:entry:${organization.id}:${entryId ?? 'new'}`, (signal) =>
    entryId ? accountingApi.entry(organization.id, entryId, signal) : Promise.resolve(null),
  );

  return (
    <section aria-labelledby="entry-form-title">
      <p>
        <Link to=".." relative="path">
          ← {entryId ? t('accounting.entries.backToEntry') : t('accounting.entries.backToList')}
        </Link>
      </p>
      <h2 id="entry-form-title">
        {entryId ? t('accounting.entries.editTitle') : t('accounting.entries.newTitle')}
      </h2>
      <ResourceState resource={entry} />
      <ResourceState resource={journals} />
      {entry.data && entry.data.status !== 'draft' && (
        <Alert kind="info">{t('accounting.entries.onlyDrafts')}</Alert>
      )}
      {entry.data !== undefined &&
        journals.data &&
        (entry.data === null || entry.data.status === 'draft') && (
          <EntryForm
            key={entry.data?.id ?? 'new'}
            entryId={entry.data?.id ?? null}
            journals={journals.data}
            accounts={accounts.data ?? []}
            defaultValues={
              entry.data
                ? toFormValues(entry.data)
                : {
                    journal: journals.data.find((journal) => journal.active)?.code ?? '',
                    date: today(),
                    label: '',
                    pieceRef: '',
                    pieceDate: '',
                    lines: [emptyLine(), emptyLine()],
                  }
            }
          />
        )}
    </section>
  );
}
