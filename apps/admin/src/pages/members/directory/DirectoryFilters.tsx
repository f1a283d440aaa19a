import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CONTACT_KINDS,
  MEMBERSHIP_STATUSES,
  type CustomFieldDefinitionView,
  type PlanView,
  type TagView,
} from '@ruche/contracts';
import type { ContactFilterParams } from '../../../api/contacts';
import { DebouncedInput } from '../../../components/DebouncedInput';
import { MultiSelect } from '../../../components/MultiSelect';

/** The query-string keys a filter control writes. */
export type FilterParam =
  | 'q'
  | 'kind'
  | 'tagIds'
  | 'city'
  | 'postalCode'
  | 'statuses'
  | 'member'
  | 'planId'
  | 'joinedFrom'
  | 'joinedTo'
  | 'lapsedSince'
  | 'retentionDue';

interface DirectoryFiltersProps {
  filters: ContactFilterParams;
  tags: readonly TagView[];
  plans: readonly PlanView[];
  customFields: readonly CustomFieldDefinitionView[];
  onChange: (key: FilterParam, value: string) => void;
  onCustomFieldsChange: (values: string[]) => void;
  onReset: () => void;
}

export function DirectoryFilters({
  filters,
  tags,
  plans,
  customFields,
  onChange,
  onCustomFieldsChange,
  onReset,
}: DirectoryFiltersProps) {
  const { t } = useTranslation();
  const [toggled, setToggled] = useState<boolean | null>(null);
  const showCustom = toggled ?? filters.customField !== undefined;
  const offerCustom =
    customFields.some((field) => field.active) || filters.customField !== undefined;
  const active = Object.values(filters).some((value) => value !== undefined);

  return (
    <form
      className="filters"
      role="search"
      aria-label={t('contacts.filters.label')}
      onSubmit={(event) => event.preventDefault()}
      data-testid="contacts-filters"
    >
      <div className="filter-bar">
        <label className="field filter-bar__search">
          <span>{t('contacts.filters.search')}</span>
          <DebouncedInput
            type="search"
            value={filters.q ?? ''}
            placeholder={t('contacts.filters.searchHint')}
            data-testid="contacts-search"
            onChange={(value) => onChange('q', value)}
          />
        </label>
        <MultiSelect
          label={t('contacts.filters.status')}
          testId="contacts-filter-statuses"
          options={MEMBERSHIP_STATUSES.map((status) => ({
            value: status,
            label: t(`memberships.status.${status}`),
          }))}
          selected={filters.statuses ?? []}
          onChange={(values) => onChange('statuses', values.join(','))}
        />
        {plans.length > 0 && (
          <label className="field">
            <span>{t('contacts.filters.plan')}</span>
            <select
              value={filters.planId ?? ''}
              data-testid="contacts-filter-plan"
              onChange={(event) => onChange('planId', event.target.value)}
            >
              <option value="">{t('common.all')}</option>
              {plans.map((plan) => (
                <option key={plan.id} value={plan.id}>
                  {plan.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {tags.length > 0 && (
          <MultiSelect
            label={t('contacts.filters.tags')}
            testId="contacts-filter-tags"
            options={tags.map((tag) => ({ value: tag.id, label: tag.name }))}
            selected={filters.tagIds ?? []}
            onChange={(values) => onChange('tagIds', values.join(','))}
          />
        )}
        <label className="field">
          <span>{t('contacts.fields.city')}</span>
          <DebouncedInput
            type="text"
            value={filters.city ?? ''}
            data-testid="contacts-filter-city"
            onChange={(value) => onChange('city', value)}
          />
        </label>
        <label className="field">
          <span>{t('contacts.fields.postalCode')}</span>
          <DebouncedInput
            type="text"
            inputMode="numeric"
            value={filters.postalCode ?? ''}
            data-testid="contacts-filter-postal-code"
            onChange={(value) => onChange('postalCode', value)}
          />
        </label>
        <label className="field">
          <span>{t('contacts.fields.kind')}</span>
          <select
            value={filters.kind ?? ''}
            data-testid="contacts-filter-kind"
            onChange={(event) => onChange('kind', event.target.value)}
          >
            <option value="">{t('common.all')}</option>
            {CONTACT_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`contacts.kinds.${kind}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('contacts.filters.member')}</span>
          <select
            value={filters.member ?? ''}
            data-testid="contacts-filter-member"
            onChange={(event) => onChange('member', event.target.value)}
          >
            <option value="">{t('common.all')}</option>
            <option value="any">{t('contacts.filters.memberAny')}</option>
            <option value="none">{t('contacts.filters.memberNone')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('contacts.filters.joinedFrom')}</span>
          <input
            type="date"
            value={filters.joinedFrom ?? ''}
            data-testid="contacts-filter-joined-from"
            onChange={(event) => onChange('joinedFrom', event.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('contacts.filters.joinedTo')}</span>
          <input
            type="date"
            value={filters.joinedTo ?? ''}
            data-testid="contacts-filter-joined-to"
            onChange={(event) => onChange('joinedTo', event.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('contacts.filters.lapsedSince')}</span>
          <input
            type="date"
            value={filters.lapsedSince ?? ''}
            data-testid="contacts-filter-lapsed-since"
            onChange={(event) => onChange('lapsedSince', event.target.value)}
          />
        </label>
        <label className="checkbox-field filter-bar__check">
          <input
            type="checkbox"
            checked={filters.retentionDue === true}
            aria-describedby="contacts-filter-retention-hint"
            data-testid="contacts-filter-retention"
            onChange={(event) => onChange('retentionDue', event.target.checked ? 'true' : '')}
          />
          <span>
            {t('contacts.filters.retentionDue')}
            <span id="contacts-filter-retention-hint" className="field__hint">
              {t('contacts.filters.retentionDueHint')}
            </span>
          </span>
        </label>
        <div className="filter-bar__actions">
          {offerCustom && (
            <button
              type="button"
              className="button"
              aria-expanded={showCustom}
              aria-controls="contacts-custom-filters"
              onClick={() => setToggled(!showCustom)}
            >
              {t('contacts.filters.customFields')}
            </button>
          )}
          {active && (
            <button
              type="button"
              className="button"
              data-testid="contacts-filters-reset"
              onClick={onReset}
            >
              {t('contacts.filters.reset')}
            </button>
          )}
        </div>
      </div>
      {showCustom && offerCustom && (
        <div id="contacts-custom-filters">
          <CustomFieldFilters
            fields={customFields}
            values={filters.customField ?? []}
            onChange={onCustomFieldsChange}
          />
        </div>
      )}
    </form>
  );
}

/** The "key:value" filters on custom fields: removable chips and a field + value to add one. */
function CustomFieldFilters({
  fields,
  values,
  onChange,
}: {
  fields: readonly CustomFieldDefinitionView[];
  values: readonly string[];
  onChange: (values: string[]) => void;
}) {
  const { t } = useTranslation();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const active = fields.filter((field) => field.active);
  const selected = active.find((field) => field.key === key);
  if (active.length === 0 && values.length === 0) return null;

  const labelOf = (item: string) => {
    const [itemKey, ...rest] = item.split(':');
    const field = fields.find((candidate) => candidate.key === itemKey);
    return `${field?.label ?? itemKey} : ${rest.join(':')}`;
  };

  const add = () => {
    if (!key || !value.trim()) return;
    onChange([...values.filter((item) => !item.startsWith(`${key}:`)), `${key}:${value.trim()}`]);
    setValue('');
  };

  return (
    <fieldset className="filter-group">
      <legend>{t('contacts.filters.customFields')}</legend>
      {values.length > 0 && (
        <ul className="chips">
          {values.map((item) => (
            <li key={item} className="chip">
              {labelOf(item)}
              <button
                type="button"
                className="chip__remove"
                aria-label={t('contacts.filters.removeFilter', { filter: labelOf(item) })}
                onClick={() => onChange(values.filter((other) => other !== item))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {active.length > 0 && (
        <div className="filter-bar">
          <label className="field">
            <span>{t('contacts.filters.customField')}</span>
            <select
              value={key}
              onChange={(event) => {
                setKey(event.target.value);
                setValue('');
              }}
            >
              <option value="">{t('common.choose')}</option>
              {active.map((field) => (
                <option key={field.id} value={field.key}>
                  {field.label}
                </option>
              ))}
            </select>
          </label>
          {selected && (
            <label className="field">
              <span>{t('contacts.filters.customValue')}</span>
              {selected.type === 'choice' ||
              selected.type === 'multi_choice' ||
              selected.type === 'boolean' ? (
                <select value={value} onChange={(event) => setValue(event.target.value)}>
                  <option value="">{t('common.choose')}</option>
                  {(selected.type === 'boolean' ? ['yes', 'no'] : selected.options).map(
                    (option) => (
                      <option key={option} value={option}>
                        {selected.type === 'boolean' ? t(`common.${option}`) : option}
                      </option>
                    ),
                  )}
                </select>
              ) : (
                <input
                  type={selected.type === 'date' ? 'date' : 'text'}
                  value={value}
                  onChange={(event) => setValue(event.target.value)}
                />
              )}
            </label>
          )}
          <button type="button" className="button" disabled={!key || !value.trim()} onClick={add}>
            {t('contacts.filters.addCustomFilter')}
          </button>
        </div>
      )}
    </fieldset>
  );
}
