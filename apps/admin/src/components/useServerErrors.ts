import { useCallback, useState } from 'react';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { errorMessage, serverMessage } from '../i18n/messages';

/**
 * Maps a failed submit onto the form: server errors on a known field go under that field,
 * everything else into a general banner (`formError`).
 */
export function useServerErrors<T extends FieldValues>(
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
) {
  const { t } = useTranslation();
  const [formError, setFormError] = useState<string | null>(null);

  const report = useCallback(
    (error: unknown) => {
      const fieldErrors = error instanceof ApiError ? error.body.errors : [];
      let placed = 0;
      for (const fieldError of fieldErrors) {
        const field = fields.find((name) => name === fieldError.field);
        if (!field) continue;
        setError(field, {
          type: 'server',
          message: serverMessage(t, fieldError.code, fieldError.message),
        });
        placed += 1;
      }
      setFormError(placed > 0 && placed === fieldErrors.length ? null : errorMessage(t, error));
    },
    [fields, setError, t],
  );

  const clear = useCallback(() => setFormError(null), []);
  return { formError, report, clear };
}
