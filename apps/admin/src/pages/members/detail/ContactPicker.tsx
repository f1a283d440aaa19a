import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactKind, ContactListItem } from '@ruche/contracts';
import { contactsApi } from '../../../api/contacts';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { useDebouncedValue } from '../../../components/useDebouncedValue';

const RESULTS = 8;

/** Finds people by name, email, phone or reference (directory search) to add them somewhere. */
export function ContactPicker({
  label,
  excluded,
  onPick,
  kind = 'person',
  testId = 'contact-picker-input',
  error,
  initialQuery = '',
}: {
  label: string;
  /** Contacts already chosen: not offered. */
  excluded: readonly string[];
  onPick: (contact: ContactListItem) => void;
  /** The kind of contact offered (people by default); `any`: people and legal entities. */
  kind?: ContactKind | 'any';
  /** `data-testid` of the search input. */
  testId?: string;
  /** A validation message shown under the input. */
  error?: string;
  /** What the search starts with (a name to look for), its results shown at once. */
  initialQuery?: string;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const [query, setQuery] = useState(initialQuery);
  const q = useDebouncedValue(query.trim(), 250);
  const errorId = useId();
  const results = useResource(`contacts:picker:${organization.id}:${kind}:${q}`, (signal) =>
    q.length < 2
      ? Promise.resolve(null)
      : contactsApi.list(
          organization.id,
          { q, kind: kind === 'any' ? undefined : kind },
          'name',
          { limit: RESULTS, offset: 0 },
          signal,
        ),
  );
  const items = results.data?.items.filter((contact) => !excluded.includes(contact.id)) ?? [];

  return (
    <div className="picker">
      <label className={`field${error ? ' field--invalid' : ''}`}>
        <span>{label}</span>
        <input
          type="search"
          value={query}
          placeholder={t('contacts.picker.placeholder')}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          data-testid={testId}
          onChange={(event) => setQuery(event.target.value)}
        />
      </label>
      {error && (
        <p id={errorId} className="field__error" data-testid={`${testId}-error`}>
          {error}
        </p>
      )}
      {q.length >= 2 && results.data && (
        <ul className="picker__results" aria-live="polite">
          {items.length === 0 && <li className="muted">{t('contacts.picker.none')}</li>}
          {items.map((contact) => (
            <li key={contact.id}>
              <button
                type="button"
                className="picker__result"
                data-testid="contact-picker-result"
                onClick={() => {
                  onPick(contact);
                  setQuery('');
                }}
              >
                <span>{contact.displayName}</span>
                <span className="muted">
                  {[contact.reference, contact.city].filter(Boolean).join(' · ')}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
