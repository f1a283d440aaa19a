import { useCallback, useState } from 'react';
import { useForm, useWatch, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import {
  CUSTOM_FIELD_TYPES,
  customFieldDefinitionInputSchema,
  type CustomFieldDefinitionView,
  type CustomFieldType,
} from '@ruche/contracts';
import { contactsApi } from '../../../api/contacts';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { Badge } from '../../../components/Badge';
import { EmptyState } from '../../../components/EmptyState';
import { Field } from '../../../components/Field';
import { FormErrors } from '../../../components/FormErrors';
import { ResourceState } from '../../../components/ResourceState';
import { SubmitButton } from '../../../components/SubmitButton';
import { useFormErrors, zodIssues } from '../../../components/useFormErrors';
import { useCustomFields } from '../useContactLists';

interface CustomFieldForm {
  key: string;
  label: string;
  type: CustomFieldType;
  /** One option a line. */
  options: string;
  required: boolean;
  position: string;
  active: boolean;
}

const FIELDS = ['key', 'label', 'type', 'options', 'required', 'position', 'active'] as const;

const hasOptions = (type: CustomFieldType) => type === 'choice' || type === 'multi_choice';

function toForm(field: CustomFieldDefinitionView | null, position: number): CustomFieldForm {
  return field
    ? {
        key: field.key,
        label: field.label,
        type: field.type,
        options: field.options.join('\n'),
        required: field.required,
        position: String(field.position),
        active: field.active,
      }
    : {
        key: '',
        label: '',
        type: 'text',
        options: '',
        required: false,
        position: String(position),
        active: true,
      };
}

/** The organization's own contact fields: list, add, change (key and type are fixed once made). */
export function CustomFieldsSection() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const fields = useCustomFields();
  const canConfigure = organization.can('contacts.configure');
  const [editing, setEditing] = useState<CustomFieldDefinitionView | 'new' | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const list = [...(fields.data ?? [])].sort((a, b) => a.position - b.position);
  const nextPosition = list.reduce((max, field) => Math.max(max, field.position + 10), 0);

  return (
    <section
      className="panel"
      aria-labelledby="custom-fields-title"
      data-testid="custom-fields-section"
    >
      <div className="panel__header">
        <h2 id="custom-fields-title">{t('contacts.customFields.title')}</h2>
        {canConfigure && editing === null && (
          <button
            type="button"
            className="button button--primary"
            data-testid="custom-field-new"
            onClick={() => {
              setSaved(null);
              setEditing('new');
            }}
          >
            {t('contacts.customFields.add')}
          </button>
        )}
      </div>
      <p className="muted">{t('contacts.customFields.intro')}</p>
      {saved && <Alert kind="success">{saved}</Alert>}
      {editing !== null && (
        <CustomFieldEditor
          key={editing === 'new' ? 'new' : editing.id}
          field={editing === 'new' ? null : editing}
          position={nextPosition}
          onSaved={(field) => {
            setSaved(t('contacts.customFields.saved', { label: field.label }));
            setEditing(null);
            fields.reload();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      <ResourceState resource={fields} />
      {fields.data?.length === 0 && <EmptyState>{t('contacts.customFields.empty')}</EmptyState>}
      {list.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('contacts.customFields.columns.label')}</th>
                <th scope="col">{t('contacts.customFields.columns.key')}</th>
                <th scope="col">{t('contacts.customFields.columns.type')}</th>
                <th scope="col">{t('contacts.customFields.columns.options')}</th>
                <th scope="col">{t('contacts.customFields.columns.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((field) => (
                <tr key={field.id} data-testid="custom-field-row">
                  <td>
                    {field.label}
                    {field.required && (
                      <span className="cell-note">{t('contacts.customFields.required')}</span>
                    )}
                  </td>
                  <td>
                    <code>{field.key}</code>
                  </td>
                  <td>{t(`contacts.customFields.types.${field.type}`)}</td>
                  <td>{field.options.join(', ') || t('common.none')}</td>
                  <td>
                    <Badge tone={field.active ? 'success' : 'neutral'}>
                      {field.active ? t('common.active') : t('common.inactive')}
                    </Badge>
                  </td>
                  <td className="table__actions">
                    {canConfigure && (
                      <button
                        type="button"
                        className="button button--small"
                        data-testid="custom-field-edit"
                        onClick={() => {
                          setSaved(null);
                          setEditing(field);
                        }}
                      >
                        {t('common.edit')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function CustomFieldEditor({
  field,
  position,
  onSaved,
  onCancel,
}: {
  field: CustomFieldDefinitionView | null;
  position: number;
  onSaved: (field: CustomFieldDefinitionView) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const [submitting, setSubmitting] = useState(false);
  const {
    register,
    control,
    getValues,
    setError,
    clearErrors,
    formState: { errors },
  } = useForm<CustomFieldForm>({ defaultValues: toForm(field, position) });
  const type = useWatch({ control, name: 'type' });
  const fieldOf = useCallback(
    (path: string): Path<CustomFieldForm> | null =>
      FIELDS.find((name) => name === path.split('.')[0]) ?? null,
    [],
  );
  const { general, place, report, clear } = useFormErrors(setError, { fieldOf });

  const submit = async () => {
    clear();
    clearErrors();
    const values = { ...getValues(), ...(field ? { key: field.key, type: field.type } : {}) };
    const parsed = customFieldDefinitionInputSchema.safeParse({
      key: values.key,
      label: values.label,
      type: values.type,
      options: hasOptions(values.type)
        ? values.options
            .split('\n')
            .map((option) => option.trim())
            .filter(Boolean)
        : [],
      required: values.required,
      position: Number(values.position || '0'),
      active: values.active,
    });
    if (!parsed.success) return place(zodIssues(parsed.error));
    setSubmitting(true);
    try {
      const saved = field
        ? await contactsApi.updateCustomField(organization.id, field.id, parsed.data)
        : await contactsApi.createCustomField(organization.id, parsed.data);
      onSaved(saved);
    } catch (error) {
      report(error);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <form
      className="form panel panel--inset"
      noValidate
      data-testid="custom-field-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3>
        {field
          ? t('contacts.customFields.editTitle', { label: field.label })
          : t('contacts.customFields.newTitle')}
      </h3>
      <FormErrors messages={general} />
      <div className="form-grid">
        <Field label={t('contacts.customFields.columns.label')} error={errors.label}>
          {(controlProps) => (
            <input
              {...controlProps}
              type="text"
              maxLength={100}
              data-testid="custom-field-label"
              {...register('label')}
            />
          )}
        </Field>
        <Field
          label={t('contacts.customFields.columns.key')}
          error={errors.key}
          hint={field ? t('contacts.customFields.fixed') : t('contacts.customFields.keyHint')}
        >
          {(controlProps) => (
            <input
              {...controlProps}
              type="text"
              maxLength={40}
              readOnly={field !== null}
              data-testid="custom-field-key"
              {...register('key')}
            />
          )}
        </Field>
        <Field
          label={t('contacts.customFields.columns.type')}
          error={errors.type}
          hint={field ? t('contacts.customFields.fixed') : undefined}
        >
          {(controlProps) => (
            <select
              {...controlProps}
              disabled={field !== null}
              data-testid="custom-field-type"
              {...register('type')}
            >
              {CUSTOM_FIELD_TYPES.map((value) => (
                <option key={value} value={value}>
                  {t(`contacts.customFields.types.${value}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={t('contacts.customFields.position')}
          error={errors.position}
          hint={t('contacts.customFields.positionHint')}
        >
          {(controlProps) => (
            <input {...controlProps} type="number" min={0} max={1000} {...register('position')} />
          )}
        </Field>
        {hasOptions(type) && (
          <Field
            label={t('contacts.customFields.columns.options')}
            error={errors.options}
            hint={t('contacts.customFields.optionsHint')}
            className="form-grid__full"
          >
            {(controlProps) => (
              <textarea
                {...controlProps}
                rows={4}
                data-testid="custom-field-options"
                {...register('options')}
              />
            )}
          </Field>
        )}
        <label className="checkbox-field">
          <input type="checkbox" data-testid="custom-field-required" {...register('required')} />
          {t('contacts.customFields.required')}
        </label>
        <label className="checkbox-field">
          <input type="checkbox" {...register('active')} />
          {t('contacts.customFields.activeLabel')}
        </label>
      </div>
      <div className="form-actions button-row">
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <SubmitButton pending={submitting} testId="custom-field-save">
          {t('common.save')}
        </SubmitButton>
      </div>
    </form>
  );
}
