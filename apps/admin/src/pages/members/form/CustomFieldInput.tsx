import { Controller, type Control, type UseFormRegister } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { CustomFieldDefinitionView } from '@ruche/contracts';
import { Field } from '../../../components/Field';
import { validationMessage } from '../../../i18n/messages';
import type { ContactFormValues } from './contactForm';

interface CustomFieldInputProps {
  field: CustomFieldDefinitionView;
  register: UseFormRegister<ContactFormValues>;
  control: Control<ContactFormValues>;
  error: { message?: string } | undefined;
}

/** One custom field of the contact form, rendered by its type. */
export function CustomFieldInput({ field, register, control, error }: CustomFieldInputProps) {
  const { t } = useTranslation();
  const name = `customFields.${field.key}` as const;
  const label = field.required
    ? t('contacts.form.requiredLabel', { label: field.label })
    : field.label;
  const testId = `contact-custom-${field.key}`;
  const type = field.type;

  if (type === 'multi_choice') {
    const errorId = `${testId}-error`;
    return (
      <fieldset
        className={`field field--group form-grid__full${error ? ' field--invalid' : ''}`}
        aria-describedby={error ? errorId : undefined}
        data-testid={testId}
      >
        <legend>{label}</legend>
        <Controller
          control={control}
          name={name}
          render={({ field: input }) => {
            const selected = Array.isArray(input.value) ? input.value : [];
            return (
              <div className="checkbox-list">
                {field.options.map((option) => (
                  <label key={option} className="checkbox-field">
                    <input
                      type="checkbox"
                      name={input.name}
                      value={option}
                      checked={selected.includes(option)}
                      onBlur={input.onBlur}
                      onChange={(event) =>
                        input.onChange(
                          event.target.checked
                            ? [...selected.filter((value) => value !== option), option]
                            : selected.filter((value) => value !== option),
                        )
                      }
                    />
                    {option}
                  </label>
                ))}
              </div>
            );
          }}
        />
        {error && (
          <p id={errorId} className="field__error" data-testid={errorId}>
            {validationMessage(t, error.message)}
          </p>
        )}
      </fieldset>
    );
  }

  return (
    <Field label={label} error={error} errorTestId={`${testId}-error`}>
      {(controlProps) => {
        switch (type) {
          case 'text':
            return <input {...controlProps} type="text" data-testid={testId} {...register(name)} />;
          case 'number':
            return (
              <input
                {...controlProps}
                type="text"
                inputMode="decimal"
                data-testid={testId}
                {...register(name)}
              />
            );
          case 'date':
            return <input {...controlProps} type="date" data-testid={testId} {...register(name)} />;
          case 'choice':
            return (
              <select {...controlProps} data-testid={testId} {...register(name)}>
                <option value="">{t('common.none')}</option>
                {field.options.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
            );
          case 'boolean':
            return (
              <select {...controlProps} data-testid={testId} {...register(name)}>
                <option value="">{t('common.unknown')}</option>
                <option value="true">{t('common.yes')}</option>
                <option value="false">{t('common.no')}</option>
              </select>
            );
        }
      }}
    </Field>
  );
}
