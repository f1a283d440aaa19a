import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicPlanView } from '@ruche/contracts';
import { formatMoney } from '../accounting/money';

/** How a plan's price and validity read on the public join page. */
export function usePublicPlanLabels() {
  const { t } = useTranslation();
  return useMemo(
    () => ({
      price: (plan: PublicPlanView): string => {
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
      validity: (plan: PublicPlanView): string => {
        switch (plan.validityKind) {
          case 'calendar_year':
            return t('join.validity.calendar_year');
          case 'fiscal_year':
            return t('join.validity.fiscal_year');
          case 'rolling_months':
            return t('join.validity.months', { count: plan.validityMonths ?? 0 });
          case 'fixed_dates':
            return t('join.validity.fixed_dates');
          case 'lifetime':
            return t('join.validity.lifetime');
        }
      },
    }),
    [t],
  );
}
