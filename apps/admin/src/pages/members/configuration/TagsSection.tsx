import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { tagInputSchema, type TagInput, type TagView } from '@ruche/contracts';
import { contactsApi } from '../../../api/contacts';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { EmptyState } from '../../../components/EmptyState';
import { FeedbackAlert } from '../../../components/FeedbackAlert';
import { ResourceState } from '../../../components/ResourceState';
import { useAction } from '../../../components/useAction';
import { useFormatters } from '../../../i18n/format';
import { validationMessage } from '../../../i18n/messages';
import { useTags } from '../useContactLists';

const DEFAULT_COLOR = '#64748b';

/** Tags: colour, name, how many contacts carry each; add, rename, recolour, delete. */
export function TagsSection() {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const tags = useTags();
  const { pending, feedback, run } = useAction();
  const [editing, setEditing] = useState<(TagInput & { id: string }) | null>(null);
  const [draft, setDraft] = useState<TagInput>({ name: '', color: DEFAULT_COLOR });
  const [problem, setProblem] = useState<string | null>(null);
  const canConfigure = organization.can('contacts.configure');

  const check = (input: TagInput): TagInput | null => {
    const parsed = tagInputSchema.safeParse(input);
    if (parsed.success) {
      setProblem(null);
      return parsed.data;
    }
    setProblem(validationMessage(t, parsed.error.issues[0]?.message));
    return null;
  };

  const create = async () => {
    const input = check(draft);
    if (!input) return;
    const done = await run(
      'create',
      () => contactsApi.createTag(organization.id, input),
      t('contacts.tags.created', { name: input.name }),
    );
    if (done) setDraft({ name: '', color: draft.color });
    tags.reload();
  };

  const update = async () => {
    if (!editing) return;
    const input = check({ name: editing.name, color: editing.color });
    if (!input) return;
    const done = await run(
      editing.id,
      () => contactsApi.updateTag(organization.id, editing.id, input),
      t('contacts.tags.saved', { name: input.name }),
    );
    if (done) setEditing(null);
    tags.reload();
  };

  const remove = async (tag: TagView) => {
    const question =
      tag.contactCount > 0
        ? t('contacts.tags.confirmDeleteUsed', { name: tag.name, count: tag.contactCount })
        : t('contacts.tags.confirmDelete', { name: tag.name });
    if (!window.confirm(question)) return;
    await run(
      tag.id,
      () => contactsApi.deleteTag(organization.id, tag.id),
      t('contacts.tags.deleted', { name: tag.name }),
    );
    tags.reload();
  };

  return (
    <section className="panel" aria-labelledby="tags-title" data-testid="tags-section">
      <h2 id="tags-title">{t('contacts.tags.title')}</h2>
      <p className="muted">{t('contacts.tags.intro')}</p>
      <FeedbackAlert feedback={feedback} />
      {problem && (
        <p className="field__error" role="alert">
          {problem}
        </p>
      )}
      <ResourceState resource={tags} />
      {tags.data?.length === 0 && <EmptyState>{t('contacts.tags.empty')}</EmptyState>}
      {tags.data && tags.data.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('contacts.tags.columns.name')}</th>
                <th scope="col" className="numeric">
                  {t('contacts.tags.columns.contacts')}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tags.data.map((tag) => {
                const isEditing = editing?.id === tag.id;
                return (
                  <tr key={tag.id} data-testid="tag-row">
                    <td>
                      {isEditing ? (
                        <div className="inline-inputs">
                          <input
                            type="color"
                            className="color-input"
                            aria-label={t('contacts.tags.colorOf', { name: tag.name })}
                            value={editing.color}
                            onChange={(event) =>
                              setEditing({ ...editing, color: event.target.value })
                            }
                          />
                          <input
                            type="text"
                            maxLength={60}
                            aria-label={t('contacts.tags.nameOf', { name: tag.name })}
                            value={editing.name}
                            onChange={(event) =>
                              setEditing({ ...editing, name: event.target.value })
                            }
                          />
                        </div>
                      ) : (
                        <span className="chip">
                          <span
                            className="chip__dot"
                            aria-hidden="true"
                            style={{ backgroundColor: tag.color }}
                          />
                          {tag.name}
                        </span>
                      )}
                    </td>
                    <td className="numeric">{format.number(tag.contactCount)}</td>
                    <td className="table__actions">
                      {canConfigure && isEditing && (
                        <div className="button-row button-row--end">
                          <button
                            type="button"
                            className="button button--small button--primary"
                            disabled={pending === tag.id}
                            onClick={() => void update()}
                          >
                            {t('common.save')}
                          </button>
                          <button
                            type="button"
                            className="button button--small"
                            onClick={() => setEditing(null)}
                          >
                            {t('common.cancel')}
                          </button>
                        </div>
                      )}
                      {canConfigure && !isEditing && (
                        <div className="button-row button-row--end">
                          <button
                            type="button"
                            className="button button--small"
                            onClick={() =>
                              setEditing({ id: tag.id, name: tag.name, color: tag.color })
                            }
                          >
                            {t('common.edit')}
                          </button>
                          <button
                            type="button"
                            className="button button--small button--danger"
                            disabled={pending === tag.id}
                            data-testid="tag-delete"
                            onClick={() => void remove(tag)}
                          >
                            {t('common.delete')}
                          </button>
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {canConfigure && (
        <form
          className="form-row"
          data-testid="tag-form"
          aria-label={t('contacts.tags.add')}
          onSubmit={(event) => {
            event.preventDefault();
            void create();
          }}
        >
          <label className="field field--narrow">
            <span>{t('contacts.tags.color')}</span>
            <input
              type="color"
              className="color-input"
              value={draft.color}
              onChange={(event) => setDraft({ ...draft, color: event.target.value })}
            />
          </label>
          <label className="field">
            <span>{t('contacts.tags.name')}</span>
            <input
              type="text"
              maxLength={60}
              value={draft.name}
              data-testid="tag-name"
              onChange={(event) => setDraft({ ...draft, name: event.target.value })}
            />
          </label>
          <button
            type="submit"
            className="button button--primary"
            disabled={pending === 'create' || !draft.name.trim()}
            data-testid="tag-add"
          >
            {t('contacts.tags.add')}
          </button>
        </form>
      )}
    </section>
  );
}
