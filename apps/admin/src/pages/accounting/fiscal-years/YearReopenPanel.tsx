import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FiscalYearView } from '@ruche/contracts';
import { accountingApi } from '../../../api/accounting';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { useDayFormatter } from '../money';
import { ErrorWithDetails, useApiErrorText } from './apiErrorText';

const REASON_MIN = 5;
const REASON_MAX = 500;

interface YearReopenPanelProps {
  year: FiscalYearView;
  onReopened: () => void;
  onCancel: () => void;
}

/** Reopens a closed fiscal year (owner only), with the reason kept in the audit trail. */
export function YearReopenPanel({ year, onReopened, onCancel }: YearReopenPanelProps) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const errorText = useApiErrorText();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ message: string; details: string[] } | null>(null);

  const trimmed = reason.trim();
  const tooShort = trimmed.length < REASON_MIN;
  const invalid = tooShort || trimmed.length > REASON_MAX;

  const submit = async () => {
    setTouched(true);
    if (invalid) return;
    setPending(true);
    setError(null);
    try {
      await accountingApi.reopenFiscalYear(organization.id, year.id, { reason: trimmed });
      onReopened();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setPending(false);
    }
  };

  const range = t('accounting.fiscalYears.range', {
    start: day(year.startDate),
    end: day(year.endDate),
  });

  return (
    <section className="panel" aria-labelledby="year-reopen-title">
      <h2 id="year-reopen-title">{t('accounting.yearReopen.title', { range })}</h2>
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {error && <ErrorWithDetails error={error} />}
        <p>{t('accounting.yearReopen.intro')}</p>
        <div className={`field${touched && invalid ? ' field--invalid' : ''}`}>
          <label htmlFor="year-reopen-reason">{t('accounting.yearReopen.reason')}</label>
          <textarea
            id="year-reopen-reason"
            rows={3}
            maxLength={REASON_MAX}
            value={reason}
            aria-invalid={touched && invalid}
            aria-describedby="year-reopen-reason-hint"
            data-testid="year-reopen-reason"
            onChange={(event) => setReason(event.target.value)}
            onBlur={() => setTouched(true)}
          />
          <span
            id="year-reopen-reason-hint"
            className={touched && invalid ? 'field__error' : 'field__hint'}
          >
            {t('accounting.yearReopen.reasonHint', { min: REASON_MIN, max: REASON_MAX })}
          </span>
        </div>
        <div className="form-actions">
          <button type="button" className="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="button button--danger"
            disabled={pending || tooShort}
            aria-busy={pending}
            data-testid="year-reopen-submit"
          >
            {pending && <span className="spinner spinner--light" aria-hidden="true" />}
            {t('accounting.yearReopen.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
