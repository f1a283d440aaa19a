import { useTranslation } from 'react-i18next';
import type { InvoiceView } from '@ruche/contracts';
import { Badge, type BadgeTone } from '../../components/Badge';

/** What the list shows: issued, partly credited by credit notes, or cancelled (fully credited). */
export type InvoiceState = 'issued' | 'partiallyCredited' | 'cancelled' | 'creditNote';

export function invoiceState(invoice: InvoiceView): InvoiceState {
  if (invoice.kind === 'credit_note') return 'creditNote';
  if (invoice.status === 'cancelled') return 'cancelled';
  return invoice.creditedCents > 0 ? 'partiallyCredited' : 'issued';
}

const TONES: Record<InvoiceState, BadgeTone> = {
  issued: 'success',
  partiallyCredited: 'warning',
  cancelled: 'danger',
  creditNote: 'accent',
};

/** An invoice's state in its colour; `data-state` carries the value (for tests). */
export function InvoiceStateBadge({ invoice, testId }: { invoice: InvoiceView; testId?: string }) {
  const { t } = useTranslation();
  const state = invoiceState(invoice);
  return (
    <span data-testid={testId} data-state={state}>
      <Badge tone={TONES[state]}>{t(`invoices.states.${state}`)}</Badge>
    </span>
  );
}
