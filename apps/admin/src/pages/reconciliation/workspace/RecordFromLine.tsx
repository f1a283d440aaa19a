import { Link, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { WorkspaceLineView } from '@ruche/contracts';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import {
  DONATIONS_RECORD_PERMISSION,
  PAYMENTS_COLLECT_PERMISSION,
} from '../../../layout/navigation';
import { DONATION_REFERENCE_MAX } from '../../donations/form/donationForm';
import { cut, deskPrefillSearch } from '../../payments/deskPrefill';
import { MANUAL_LABEL_MAX, MANUAL_REFERENCE_MAX } from '../../payments/manual/manualPaymentForm';
import { centsToInput } from '../reconFormat';

/** The query parameter that selects a line of the workspace when the page opens. */
export const LINE_PARAM = 'line';

/** Words of a bank's counterparty name that are no part of a name ("M OU MME DUPONT"). */
const NOT_A_NAME = new Set([
  'M',
  'MR',
  'MM',
  'MME',
  'MMES',
  'MLLE',
  'MONSIEUR',
  'MADAME',
  'MADEMOISELLE',
  'MRS',
  'MS',
  'DR',
  'OU',
  'ET',
  'OR',
  'AND',
]);

/**
 * What the donor search starts with: the counterparty's name without titles ("M.", "MME"),
 * joining words ("OU") or numbers, at most 4 words (the directory wants every word it is given).
 */
export function donorQuery(counterpartyName: string | null): string | undefined {
  if (!counterpartyName) return undefined;
  const words = counterpartyName
    .split(/[\s,;/]+/)
    .map((word) => word.replace(/^[.'-]+|[.'-]+$/g, ''))
    .filter((word) => word.length > 0 && !/\d/.test(word) && !NOT_A_NAME.has(word.toUpperCase()));
  const query = cut(words.slice(0, 4).join(' '), 100);
  return query.length >= 2 ? query : undefined;
}

/**
 * A credit waiting to be matched that is not in the books yet: "Enregistrer un don" and
 * "Enregistrer un paiement reçu" open the desk forms filled from the line (amount, day, transfer,
 * the bank label as reference, the donor search on the counterparty's name); once saved, the form
 * comes back here with the line selected, and the engine offers the new ledger line as its
 * suggestion (same amount, same day, its reference), to confirm with Enter.
 */
export function RecordFromLine({ line }: { line: WorkspaceLineView }) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const location = useLocation();
  const canGift = organization.can(DONATIONS_RECORD_PERMISSION);
  const canPay = organization.can(PAYMENTS_COLLECT_PERMISSION);
  if (line.amountCents <= 0 || line.status !== 'unmatched' || (!canGift && !canPay)) return null;

  // Back to this page, its filters kept, this line selected (and not hidden by "sans suggestion").
  const back = new URLSearchParams(location.search);
  back.set(LINE_PARAM, line.id);
  if (back.get('suggestions') === 'none') back.delete('suggestions');
  const returnTo = `${location.pathname}?${back.toString()}`;
  const common = {
    amount: centsToInput(line.amountCents),
    receivedOn: line.bookingDate.slice(0, 10),
    method: 'transfer',
    returnTo,
  };
  const base = `/orgs/${organization.id}`;
  const gift = `${base}/donations/new${deskPrefillSearch({
    ...common,
    reference: cut(line.label, DONATION_REFERENCE_MAX),
    contact: donorQuery(line.counterpartyName),
  })}`;
  const payment = `${base}/payments/new${deskPrefillSearch({
    ...common,
    label: cut(line.label, MANUAL_LABEL_MAX),
    reference: cut(line.label, MANUAL_REFERENCE_MAX),
  })}`;

  return (
    <div className="stack" data-testid="recon-record">
      <div className="button-row">
        {canGift && (
          <Link to={gift} className="button button--small" data-testid="recon-record-gift">
            {t('reconciliation.record.gift')}
          </Link>
        )}
        {canPay && (
          <Link to={payment} className="button button--small" data-testid="recon-record-payment">
            {t('reconciliation.record.payment')}
          </Link>
        )}
      </div>
      <p className="muted" data-testid="recon-record-hint">
        {t('reconciliation.record.hint')}
      </p>
    </div>
  );
}
