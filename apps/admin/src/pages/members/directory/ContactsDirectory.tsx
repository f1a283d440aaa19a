import { useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { SavedFilterView } from '@ruche/contracts';
import { contactsApi } from '../../../api/contacts';
import { usePagedResource } from '../../../api/usePagedResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { EmptyState } from '../../../components/EmptyState';
import { Pagination } from '../../../components/Pagination';
import { ResourceState } from '../../../components/ResourceState';
import { useFormatters } from '../../../i18n/format';
import { useDayFormatter } from '../../accounting/money';
import { MembershipStatusBadge } from '../../memberships/MembershipStatusBadge';
import { TagChips } from '../TagChips';
import { useCustomFields, usePlans, useTags } from '../useContactLists';
import {
  FILTER_PARAMS,
  filtersFromParams,
  hasFilters,
  paramsFromSavedFilter,
  sortFromParams,
  sortParam,
  type ContactSortColumn,
} from './contactFilters';
import { DirectoryFilters, type FilterParam } from './DirectoryFilters';
import { ExportButtons } from './ExportButtons';
import { SavedFilters } from './SavedFilters';

type Sort = ReturnType<typeof sortFromParams>;

export function ContactsDirectory() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tags = useTags();
  const plans = usePlans();
  const customFields = useCustomFields();
  const search = params.toString();
  const filters = useMemo(() => filtersFromParams(new URLSearchParams(search)), [search]);
  const sort = sortFromParams(params);
  const sortValue = sortParam(sort);
  const key = `contacts:list:${organization.id}:${JSON.stringify(filters)}:${sortValue}`;
  const contacts = usePagedResource(key, (page, signal) =>
    contactsApi.list(organization.id, filters, sortValue, page, signal),
  );
  const canWrite = organization.can('contacts.write');
  const active = hasFilters(filters);

  const update = (change: (next: URLSearchParams) => void) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        change(next);
        return next;
      },
      { replace: true },
    );

  const setFilter = (name: FilterParam, value: string) =>
    update((next) => {
      if (value.trim()) next.set(name, value);
      else next.delete(name);
    });

  const setCustomFields = (values: string[]) =>
    update((next) => {
      next.delete('customField');
      for (const value of values) next.append('customField', value);
    });

  const reset = () =>
    update((next) => {
      for (const name of FILTER_PARAMS) next.delete(name);
    });

  const applySaved = (filter: SavedFilterView) =>
    setParams(paramsFromSavedFilter(filter.filter, params.get('sort')), { replace: true });

  const onSort = (column: ContactSortColumn) =>
    update((next) => {
      const descending = sort.column === column ? !sort.descending : false;
      next.set('sort', sortParam({ column, descending }));
    });

  const query = search ? `?${search}` : '';
  const open = (contactId: string) => navigate(`${contactId}${query}`);

  return (
    <section aria-labelledby="contacts-title">
      <div className="panel__header">
        <h2 id="contacts-title">
          {t('contacts.directory.title')}
          {contacts.data && (
            <span className="heading-count" data-testid="contacts-total">
              {t('contacts.directory.total', { count: contacts.data.total })}
            </span>
          )}
        </h2>
        <div className="button-row">
          <ExportButtons filters={filters} sort={sortValue} />
          {canWrite && (
            <Link to={`new${query}`} className="button button--primary" data-testid="contact-new">
              {t('contacts.directory.new')}
            </Link>
          )}
        </div>
      </div>
      <SavedFilters filters={filters} active={active} onApply={applySaved} />
      <DirectoryFilters
        filters={filters}
        tags={tags.data ?? []}
        plans={plans.data ?? []}
        customFields={customFields.data ?? []}
        onChange={setFilter}
        onCustomFieldsChange={setCustomFields}
        onReset={reset}
      />
      <ResourceState resource={contacts} />
      {contacts.data?.items.length === 0 && (
        <EmptyState>
          {active ? t('contacts.directory.noMatch') : t('contacts.directory.empty')}
        </EmptyState>
      )}
      {contacts.data && contacts.data.items.length > 0 && (
        <div className="table-wrap" aria-busy={contacts.loading}>
          <table className="table" data-testid="contacts-table">
            <thead>
              <tr>
                <SortHeader
                  column="reference"
                  label={t('contacts.columns.reference')}
                  sort={sort}
                  onSort={onSort}
                />
                <SortHeader
                  column="name"
                  label={t('contacts.columns.name')}
                  sort={sort}
                  onSort={onSort}
                />
                <SortHeader
                  column="city"
                  label={t('contacts.columns.city')}
                  sort={sort}
                  onSort={onSort}
                />
                <SortHeader
                  column="status"
                  label={t('contacts.columns.status')}
                  sort={sort}
                  onSort={onSort}
                />
                <SortHeader
                  column="validUntil"
                  label={t('contacts.columns.validUntil')}
                  sort={sort}
                  onSort={onSort}
                />
                <SortHeader
                  column="memberSince"
                  label={t('contacts.columns.memberSince')}
                  sort={sort}
                  onSort={onSort}
                />
                <th scope="col">{t('contacts.columns.tags')}</th>
                <SortHeader
                  column="createdAt"
                  label={t('contacts.columns.createdAt')}
                  sort={sort}
                  onSort={onSort}
                />
              </tr>
            </thead>
            <tbody>
              {contacts.data.items.map((contact) => (
                <tr
                  key={contact.id}
                  className="table__row--link"
                  data-testid="contact-row"
                  tabIndex={0}
                  onClick={() => void open(contact.id)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') void open(contact.id);
                  }}
                >
                  <td className="nowrap">
                    <code>{contact.reference}</code>
                  </td>
                  <td>
                    <Link
                      to={`${contact.id}${query}`}
                      onClick={(event) => event.stopPropagation()}
                      data-testid="contact-name"
                    >
                      {contact.displayName}
                    </Link>
                    {contact.kind === 'organization' && (
                      <span className="cell-note">{t('contacts.kinds.organization')}</span>
                    )}
                    {(contact.email ?? contact.phone) && (
                      <span className="cell-note">{contact.email ?? contact.phone}</span>
                    )}
                  </td>
                  <td>
                    {contact.city ?? t('common.none')}
                    {contact.postalCode && <span className="cell-note">{contact.postalCode}</span>}
                  </td>
                  <td>
                    <MembershipStatusBadge status={contact.status} testId="contact-status" />
                    {contact.planName && <span className="cell-note">{contact.planName}</span>}
                  </td>
                  <td className="nowrap">{day(contact.validUntil)}</td>
                  <td className="nowrap">{day(contact.memberSince)}</td>
                  <td>
                    <TagChips tags={contact.tags} />
                  </td>
                  <td className="nowrap">{format.date(contact.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {contacts.data && <Pagination page={contacts.data} onChange={contacts.setOffset} />}
    </section>
  );
}

function SortHeader({
  column,
  label,
  sort,
  onSort,
}: {
  column: ContactSortColumn;
  label: string;
  sort: Sort;
  onSort: (column: ContactSortColumn) => void;
}) {
  const { t } = useTranslation();
  const active = sort.column === column;
  const direction = sort.descending ? 'descending' : 'ascending';
  return (
    <th scope="col" aria-sort={active ? direction : undefined}>
      <button
        type="button"
        className={`sort-button${active ? ' sort-button--active' : ''}`}
        data-testid={`contacts-sort-${column}`}
        title={t('contacts.columns.sortBy', { column: label })}
        onClick={() => onSort(column)}
      >
        {label}
        <span aria-hidden="true" className="sort-button__arrow">
          {active ? (sort.descending ? '▼' : '▲') : '↕'}
        </span>
      </button>
    </th>
  );
}
