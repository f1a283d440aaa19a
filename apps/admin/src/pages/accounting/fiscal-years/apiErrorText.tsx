import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { Alert } from '../../../components/Alert';
import { errorMessage, serverMessage } from '../../../i18n/messages';

/** A failed call as a message plus the details the server listed (e.g. the suspense balances). */
export function useApiErrorText() {
  const { t } = useTranslation();
  return (error: unknown): { message: string; details: string[] } => ({
    message: errorMessage(t, error),
    details:
      error instanceof ApiError
        ? error.body.errors.map((item) =>
            item.code === 'accounting.suspense_not_empty'
              ? item.message
              : serverMessage(t, item.code, item.message),
          )
        : [],
  });
}

export function ErrorWithDetails({ error }: { error: { message: string; details: string[] } }) {
  return (
    <Alert kind="error">
      <div>
        {error.message}
        {error.details.length > 0 && (
          <ul>
            {error.details.map((detail, index) => (
              <li key={index}>{detail}</li>
            ))}
          </ul>
        )}
      </div>
    </Alert>
  );
}
