import { useCallback, useState } from 'react';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import { ApiError } from '../api/client';
import { errorMessage, serverMessage, validationMessage } from '../i18n/messages';

/** A problem on one field, by its dotted path (`postalCode`, `customFields.size`, `tiers.0.amount`). */
export interface FieldIssue {
  field: string;
  message: string;
}

/** The issues of a failed client-side check with a contracts schema. */
export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** The field errors of a failed API call, translated (none for other failures). */
export function apiIssues(t: TFunction, error: unknown): FieldIssue[] {
  return error instanceof ApiError
    ? error.body.errors.map((fieldError) => ({
        field: fieldError.field,
        message: serverMessage(t, fieldError.code, fieldError.message),
      }))
    : [];
}

/**
 * Splits a failure for a small form kept in plain state: the messages of the given fields (the
 * server's paths, less `prefix`) and the rest, as banner lines.
 */
export function splitErrors(
  t: TFunction,
  error: unknown,
  fields: readonly string[],
  prefix = '',
): { byField: Record<string, string>; general: string[] } {
  const byField: Record<string, string> = {};
  const general: string[] = [];
  const fieldErrors = error instanceof ApiError ? error.body.errors : [];
  for (const fieldError of fieldErrors) {
    const message = validationMessage(t, serverMessage(t, fieldError.code, fieldError.message));
    const name = fieldError.field.startsWith(prefix) ? fieldError.field.slice(prefix.length) : '';
    if (fields.includes(name)) byField[name] = message;
    else general.push(message);
  }
  if (fieldErrors.length === 0) general.push(errorMessage(t, error));
  return { byField, general };
}

interface FormErrorsOptions<T extends FieldValues> {
  /** The form field that shows an issue of this path, or null: the issue goes to the banner. */
  fieldOf: (path: string) => Path<T> | null;
  /** The label of a path in the banner ("Code postal : …"). */
  labelOf?: (path: string) => string | null;
}

/**
 * Places the issues of a form (client-side schema checks or the server's field errors) under their
 * field; the others, and failures without field errors, go to a banner (`general`).
 */
export function useFormErrors<T extends FieldValues>(
  setError: UseFormSetError<T>,
  { fieldOf, labelOf }: FormErrorsOptions<T>,
) {
  const { t } = useTranslation();
  const [general, setGeneral] = useState<string[]>([]);

  const place = useCallback(
    (issues: readonly FieldIssue[]) => {
      const rest: string[] = [];
      for (const issue of issues) {
        const field = fieldOf(issue.field);
        if (field) {
          setError(field, { type: 'server', message: issue.message });
          continue;
        }
        const message = validationMessage(t, issue.message);
        const label = issue.field ? (labelOf?.(issue.field) ?? issue.field) : null;
        rest.push(label ? t('common.fieldIssue', { label, message }) : message);
      }
      setGeneral(rest);
    },
    [fieldOf, labelOf, setError, t],
  );

  const report = useCallback(
    (error: unknown) => {
      const issues = apiIssues(t, error);
      if (issues.length === 0) setGeneral([errorMessage(t, error)]);
      else place(issues);
    },
    [place, t],
  );

  const clear = useCallback(() => setGeneral([]), []);
  return { general, place, report, clear };
}
