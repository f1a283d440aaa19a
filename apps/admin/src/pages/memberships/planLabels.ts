import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanView } from '@ruche/contracts';
import { formatMoney, useDayFormatter } from '../accounting/money';

/** How a plan's price and validity read in lists and selects. */
export function usePlanLabels() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  return useMemo(
    () => ({
      price: (plan: PlanView): string => {
        switch (plan.pricingKind) {
          case 'fixed':
            return formatMoney(plan.tiers[0]?.amountCents ?? 0, plan.currency);
          case 'tiers':
            return plan.tiers
              .map((tier) => `${tier.label} ${formatMoney(tier.amountCents, plan.currency)}`)
              .join(' · ');
          case 'free_amount':
            return plan.minimumAmountCents
              ? t('memberships.plans.freeAmountFrom', {
                  amount: formatMoney(plan.minimumAmountCents, plan.currency),
                })
              : t('memberships.plans.freeAmount');
        }
      },
      validity: (plan: PlanView): string => {
        switch (plan.validityKind) {
          case 'calendar_year':
            return t('memberships.plans.validity.calendar_year');
          case 'fiscal_year':
            return t('memberships.plans.validity.fiscal_year');
          case 'rolling_months':
            return t('memberships.plans.validity.months', { count: plan.validityMonths ?? 0 });
          case 'fixed_dates':
            return t('memberships.plans.validity.range', {
              start: day(plan.fixedStartDate),
              end: day(plan.fixedEndDate),
            });
          case 'lifetime':
            return t('memberships.plans.validity.lifetime');
        }
      },
    }),
    [t, day],
  );
}
