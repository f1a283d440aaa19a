import type { TFunction } from 'i18next';
import type { GiftMethod, ReceiptLineView } from '@ruche/contracts';

/** The label of a money gift's method on a receipt (cash, cheque, transfer/card/debit), or a dash. */
export function giftMethodLabel(t: TFunction, method: GiftMethod | null): string {
  return method ? t(`receipts.giftMethods.${method}`) : t('common.none');
}

/** The staff page of what a receipt line certifies (a gift's page, or the contact's memberships). */
export function lineSourcePath(
  orgId: string,
  line: Pick<ReceiptLineView, 'sourceKind' | 'sourceId'>,
  contactId: string,
): string {
  return line.sourceKind === 'donation'
    ? `/orgs/${orgId}/donations/${line.sourceId}`
    : `/orgs/${orgId}/contacts/${contactId}`;
}
