import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';

/** The contracts' own English messages, translated. Other messages come from zod's locale. */
const CONTRACT_MESSAGES: Record<string, string> = {
  'Invalid email address': 'validation.email',
  'At least 10 characters': 'validation.passwordMin',
  'At most 200 characters': 'validation.passwordMax',
  'A SIREN has 9 digits': 'validation.sirenDigits',
  'Invalid SIREN (check digit)': 'validation.sirenCheck',
  'An RNA number is W followed by 9 digits': 'validation.rna',
  'Unknown IANA time zone': 'validation.timeZone',
  'ISO 4217 code such as EUR': 'validation.currency',
};

export function validationMessage(t: TFunction, message: string | undefined): string {
  if (!message) return t('validation.invalid');
  const key = CONTRACT_MESSAGES[message];
  return key ? t(key) : message;
}

/** A user-facing message for a server error code, falling back to the server's message. */
export function serverMessage(t: TFunction, code: string, fallback: string): string {
  return t(`errors.${code}`, { defaultValue: fallback });
}

export function errorMessage(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t('errors.unexpected');
  if (error.status === 0) return t('errors.network_error');
  const fallback =
    error.status === 429
      ? t('errors.rate_limited')
      : error.status >= 500
        ? t('errors.unexpected')
        : error.message;
  return serverMessage(t, error.code, fallback);
}

/** The label of an audit action or live event type (`users.invited`), or the raw code. */
export function actionLabel(t: TFunction, action: string): string {
  return t(`actions.${action}`, { defaultValue: action });
}
