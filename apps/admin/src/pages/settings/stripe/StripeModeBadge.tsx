import { useTranslation } from 'react-i18next';
import type { StripeMode } from '@ruche/contracts';
import { Badge } from '../../../components/Badge';

/** Test mode in orange (no real money), production in green. */
export function StripeModeBadge({ mode, testId }: { mode: StripeMode; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span data-testid={testId} data-mode={mode}>
      <Badge tone={mode === 'live' ? 'success' : 'accent'}>{t(`stripe.mode.${mode}`)}</Badge>
    </span>
  );
}
