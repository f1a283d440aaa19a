import { DomainError } from '@ruche/core';
import type { PlanTierView, PricingKind } from '@ruche/contracts';

export interface Pricing {
  pricingKind: PricingKind;
  tiers: readonly PlanTierView[];
  minimumAmountCents: number | null;
}

/** What a membership costs under a plan: the chosen tier's price, or a free amount above the minimum. */
export function priceFor(plan: Pricing, tierCode: string | undefined, amountCents: number | undefined): { amountCents: number; tier: PlanTierView | null } {
  switch (plan.pricingKind) {
    case 'fixed':
      return { amountCents: plan.tiers[0].amountCents, tier: plan.tiers[0] };
    case 'tiers': {
      if (!tierCode) throw DomainError.invalid('memberships.tier_required', `Choose one of: ${plan.tiers.map((t) => t.code).join(', ')}`, 'tierCode');
      const tier = plan.tiers.find((t) => t.code === tierCode);
      if (!tier) throw DomainError.invalid('memberships.unknown_tier', `No tier "${tierCode}" in this plan`, 'tierCode');
      return { amountCents: tier.amountCents, tier };
    }
    case 'free_amount': {
      if (amountCents === undefined) throw DomainError.invalid('memberships.amount_required', 'Give the amount paid', 'amount');
      const minimum = plan.minimumAmountCents ?? 0;
      if (amountCents < minimum) throw DomainError.invalid('memberships.amount_below_minimum', `At least ${(minimum / 100).toFixed(2)}`, 'amount');
      return { amountCents, tier: null };
    }
    default: {
      const never: never = plan.pricingKind;
      throw DomainError.invalid('memberships.bad_pricing', `Unknown pricing ${String(never)}`);
    }
  }
}
