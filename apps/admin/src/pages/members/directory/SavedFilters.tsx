import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SavedFilterView } from '@ruche/contracts';
import { contactsApi, type ContactFilterParams } from '../../../api/contacts';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { FeedbackAlert } from '../../../components/FeedbackAlert';
import { useAction } from '../../../components/useAction';
import { isSameFilter } from './contactFilters';

interface SavedFiltersProps {
  filters: ContactFilterParams;
  active: boolean;
  onApply: (filter: SavedFilterView) => void;
}

/** Saved filters of the directory: apply one, save the current filters, delete one's own. */
export function SavedFilters({ filters, active, onApply }: SavedFiltersProps) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const saved = useResource(`contacts:saved-filters:${organization.id}`, (signal) =>
    contactsApi.savedFilters(organization.id, signal),
  );
  const { pending, feedback, run } = useAction();
  const [selectedId, setSelectedId] = useState('');
  const [saving, setSaving] = useState<{ name: string; shared: boolean } | null>(null);
  const selected = saved.data?.find(
    (filter) => filter.id === selectedId && isSameFilter(filter.filter, filters),
  );

  const apply = (id: string) => {
    setSelectedId(id);
    const filter = saved.data?.find((candidate) => candidate.id === id);
    if (filter) onApply(filter);
  };

  const save = async () => {
    if (!saving?.name.trim()) return;
    const name = saving.name.trim();
    const done = await run(
      'save',
      async () => {
        const created = await contactsApi.createSavedFilter(organization.id, {
          name,
          filter: filters,
          shared: saving.shared,
        });
        setSelectedId(created.id);
      },
      t('contacts.savedFilters.saved', { name }),
    );
    if (done) {
      setSaving(null);
      saved.reload();
    }
  };

  const remove = async (filter: SavedFilterView) => {
    if (!window.confirm(t('contacts.savedFilters.confirmDelete', { name: filter.name }))) return;
    const done = await run(
      'delete',
      () => contactsApi.deleteSavedFilter(organization.id, filter.id),
      t('contacts.savedFilters.deleted', { name: filter.name }),
    );
    if (done) setSelectedId('');
    saved.reload();
  };

  return (
    <div className="saved-filters">
      <div className="filter-bar">
        <label className="field">
          <span>{t('contacts.savedFilters.label')}</span>
          <select
            value={selected?.id ?? ''}
            data-testid="saved-filter-select"
            onChange={(event) => apply(event.target.value)}
          >
            <option value="">
              {saved.data?.length === 0
                ? t('contacts.savedFilters.none')
                : t('contacts.savedFilters.choose')}
            </option>
            {saved.data?.map((filter) => (
              <option key={filter.id} value={filter.id}>
                {filter.shared && !filter.mine
                  ? t('contacts.savedFilters.sharedName', { name: filter.name })
                  : filter.name}
              </option>
            ))}
          </select>
        </label>
        <div className="filter-bar__actions">
          {selected?.mine && (
            <button
              type="button"
              className="button button--danger"
              disabled={pending !== null}
              data-testid="saved-filter-delete"
              onClick={() => void remove(selected)}
            >
              {t('contacts.savedFilters.delete')}
            </button>
          )}
          {saving === null && (
            <button
              type="button"
              className="button"
              disabled={!active}
              title={active ? undefined : t('contacts.savedFilters.nothingToSave')}
              data-testid="saved-filter-new"
              onClick={() => setSaving({ name: '', shared: true })}
            >
              {t('contacts.savedFilters.save')}
            </button>
          )}
        </div>
      </div>
      {saving !== null && (
        <form
          className="filter-bar panel panel--inset"
          data-testid="saved-filter-form"
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <label className="field">
            <span>{t('contacts.savedFilters.name')}</span>
            <input
              type="text"
              required
              maxLength={100}
              value={saving.name}
              data-testid="saved-filter-name"
              onChange={(event) => setSaving({ ...saving, name: event.target.value })}
            />
          </label>
          <label className="checkbox-field filter-bar__check">
            <input
              type="checkbox"
              checked={saving.shared}
              onChange={(event) => setSaving({ ...saving, shared: event.target.checked })}
            />
            {t('contacts.savedFilters.shared')}
          </label>
          <div className="filter-bar__actions">
            <button
              type="submit"
              className="button button--primary"
              disabled={pending !== null || !saving.name.trim()}
              data-testid="saved-filter-save"
            >
              {t('common.save')}
            </button>
            <button type="button" className="button" onClick={() => setSaving(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      <FeedbackAlert feedback={feedback} />
    </div>
  );
}
