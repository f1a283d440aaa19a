import { useTranslation } from 'react-i18next';
import type { TaxRatesView } from '@ruche/contracts';
import { formatMoney, useDayFormatter } from '../../accounting/money';

/** Basis points as a percentage in the UI language (6600 → "66 %"). */
export function usePercent(): (bp: number) => string {
  const { i18n } = useTranslation();
  const formatter = new Intl.NumberFormat(i18n.language, {
    style: 'percent',
    maximumFractionDigits: 2,
  });
  return (bp) => formatter.format(bp / 10_000);
}

/** The tax reduction rates in force for the organization (what the donation page previews). */
export function TaxRatesPanel({ rates }: { rates: TaxRatesView }) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const percent = usePercent();
  return (
    <section className="panel" aria-labelledby="tax-rates-title" data-testid="tax-rates">
      <h2 id="tax-rates-title">{t('receipts.rates.title')}</h2>
      <p className="muted">{t('receipts.rates.intro', { date: day(rates.validOn) })}</p>
      <dl className="details">
        <dt>{t('receipts.rates.individual')}</dt>
        <dd data-testid="tax-rate-individual">{percent(rates.individualRateBp)}</dd>
        {rates.individualHigherRate && (
          <>
            <dt>{t('receipts.rates.higher')}</dt>
            <dd data-testid="tax-rate-higher">
              {t('receipts.rates.higherValue', {
                rate: percent(rates.individualHigherRate.rateBp),
                ceiling: formatMoney(rates.individualHigherRate.ceilingCents, 'EUR'),
              })}
            </dd>
          </>
        )}
        <dt>{t('receipts.rates.company')}</dt>
        <dd data-testid="tax-rate-company">{percent(rates.companyRateBp)}</dd>
      </dl>
    </section>
  );
}
