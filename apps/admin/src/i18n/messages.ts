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
  'A date as YYYY-MM-DD': 'validation.date',
  'A person needs a last name or a first name': 'validation.personName',
  'A legal entity needs its name': 'validation.organizationName',
  'A French postal code has 5 digits': 'validation.postalCodeFr',
  'A postal code of 4 digits': 'validation.postalCode4',
  'A postal code of 2 to 10 letters or digits': 'validation.postalCode',
  'A real birth date, 1900 or later': 'validation.birthDate',
  'A birth date cannot be in the future': 'validation.birthDateFuture',
  'A phone number: digits, spaces, dots or dashes, a leading + for international (6 to 15 digits)':
    'validation.phone',
  'An ISO country code such as FR': 'validation.country',
  'Lower-case letters, digits and _, starting with a letter (40 at most)':
    'validation.customFieldKey',
  'A choice needs at least one option': 'validation.optionsNeeded',
  'Only choices have options': 'validation.optionsOnlyChoices',
  'Options must differ': 'validation.optionsDistinct',
  'A colour such as #2f855a': 'validation.color',
  'The payer must be a member of the household': 'validation.payerInHousehold',
  'Lower-case letters, digits, - and _ (30 at most)': 'validation.tierCode',
  'A fixed price has exactly one tier': 'validation.fixedOneTier',
  'Give at least two tiers': 'validation.twoTiers',
  'A free amount has no tiers, only a minimum': 'validation.freeNoTiers',
  'Give the minimum amount (0 for none)': 'validation.minimumAmount',
  'Tier codes must differ': 'validation.tierCodesDistinct',
  'How many months a membership lasts': 'validation.validityMonths',
  'The first day covered': 'validation.fixedStart',
  'The last day covered': 'validation.fixedEnd',
  'Ends before it starts': 'validation.endsBeforeStart',
  'An amount in euros with at most 2 decimals, not negative': 'validation.amount',
  'Digits only, 1 to 12 of them': 'validation.accountNumber',
  'Before (-) or after (+) the end date, not on it': 'validation.offsetNotZero',
  'Each offset once': 'validation.offsetsDistinct',
  'Map at least a name or an email column': 'validation.importNamed',
  'A field of the list, or custom:<key>': 'validation.importTarget',
  'A Stripe secret key (sk_test_..., sk_live_... or a restricted rk_ key)':
    'validation.stripeSecretKey',
  'The signing secret of the webhook endpoint (whsec_...)': 'validation.stripeWebhookSecret',
  'A Stripe publishable key (pk_test_... or pk_live_...)': 'validation.stripePublishableKey',
  'The secret key is a test key: give the test publishable key': 'validation.stripePublishableTest',
  'The secret key is a live key: give the live publishable key': 'validation.stripePublishableLive',
  'Your first name': 'validation.firstName',
  'Your last name': 'validation.lastName',
  'Accept the terms to join': 'validation.acceptTerms',
  'Say why (kept in the audit log)': 'validation.refundReason',
  'Automatic renewal needs a plan that renews (calendar, fiscal year or rolling months)':
    'validation.subscriptionRenews',
  'Monthly instalments need a fixed price': 'validation.subscriptionMonthly',
  'Monthly instalments need a 12-month rolling plan': 'validation.subscriptionMonthlyRolling',
  'A payment is more than zero': 'validation.paymentPositive',
  'A payment is a positive amount': 'validation.paymentPositive',
  'An account number of the chart': 'validation.chartAccount',
  'Choose at least one cheque': 'validation.chooseCheque',
  'A gift is a positive amount': 'validation.giftPositive',
  'How the gift was paid': 'validation.giftMethod',
  'Describe what was given': 'validation.giftDescription',
  'The account of the goods or the expense': 'validation.giftDebitAccount',
  'The company name': 'validation.companyName',
  'Needed on your tax receipt': 'validation.neededOnReceipt',
  'At most 300 KB': 'validation.signatureSize',
  'Base64 content': 'validation.base64',
  'Say why (at least 3 characters)': 'validation.cancelReason',
  'Invalid IBAN (country, length or check digits)': 'validation.iban',
  'Invalid BIC': 'validation.bic',
  'The start is after the end': 'validation.syncStartAfterEnd',
  'At most 400 days at once': 'validation.syncTooLong',
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
