import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { MatchDetailView, MatchView } from '@ruche/contracts';
import { reconciliationApi } from '../../api/reconciliation';
import { useCurrentOrganization, type CurrentOrganization } from '../../auth/CurrentOrganization';
import { Badge } from '../../components/Badge';
import { useFormatters } from '../../i18n/format';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { ReasonForm } from './ReasonForm';
import { signedMoney } from './reconFormat';
import { CandidateTable, Reasons, ScoreBar } from './workspace/CandidateTable';

/** The admin page a detail's `link` names (`payment:<id>`...), when the user may open it. */
function detailPath(organization: CurrentOrganization, link: string | null): string | null {
  const match = link ? /^(payment|payout|deposit):(.+)$/.exec(link) : null;
  if (!match || !organization.can('payments.read')) return null;
  const id = encodeURIComponent(match[2]);
  const base = `/orgs/${organization.id}/payments`;
  if (match[1] === 'payout') return `${base}/payouts/${id}`;
  if (match[1] === 'deposit') return `${base}/deposits/${id}`;
  return `${base}/${id}`;
}

/** The payment an expected-payment match received (its reasons end with `payment:<id>`). */
const PAYMENT_REASON = /^payment:(.+)$/;

/** The page of a ledger entry, when the user may read the books. */
export function useEntryPath(): (entryId: string | null) => string | null {
  const organization = useCurrentOrganization();
  const can = organization.can('accounting.read');
  return (entryId) =>
    entryId && can
      ? `/orgs/${organization.id}/accounting/entries/${encodeURIComponent(entryId)}`
      : null;
}

/**
 * A match: its lettering code, what it ties (kind), who made it (origin), score and reasons, the
 * ledger lines and bank lines, what stands behind a payout or a deposit slip (charges, refunds,
 * fees, cheques, with a link to each payment), and "Annuler le rapprochement" with a reason.
 */
export function MatchDetails({
  match,
  currency,
  canUndo,
  showBankLines = false,
  onUndone,
}: {
  match: MatchView;
  currency: string;
  canUndo: boolean;
  showBankLines?: boolean;
  onUndone: (match: MatchView) => void;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const format = useFormatters();
  const day = useDayFormatter();
  const entryPath = useEntryPath();
  const [undoing, setUndoing] = useState(false);
  const createdEntry = entryPath(match.createdEntryId);
  const reversal = entryPath(match.reversalEntryId);
  // `payment:<id>` is a link, not a reason: shown as "Paiement reçu", the rest as chips.
  const paymentLink = match.reasons.find((reason) => PAYMENT_REASON.test(reason)) ?? null;
  const reasons = match.reasons.filter((reason) => !PAYMENT_REASON.test(reason));
  const paymentPath = detailPath(organization, paymentLink);

  return (
    <div
      className="stack recon-match"
      data-testid="recon-match"
      data-match-id={match.id}
      data-letter={match.letter}
      data-status={match.status}
      data-kind={match.kind}
      data-origin={match.origin}
    >
      <dl className="details">
        <dt>{t('reconciliation.match.letter')}</dt>
        <dd>
          <strong className="recon-letter" data-testid="recon-match-letter">
            {match.letter}
          </strong>{' '}
          <Badge tone={match.status === 'active' ? 'success' : 'neutral'}>
            {t(`reconciliation.matchStatuses.${match.status}`)}
          </Badge>
        </dd>
        <dt>{t('reconciliation.match.kind')}</dt>
        <dd data-testid="recon-match-kind">{t(`reconciliation.kinds.${match.kind}`)}</dd>
        <dt>{t('reconciliation.match.origin')}</dt>
        <dd data-testid="recon-match-origin">{t(`reconciliation.origins.${match.origin}`)}</dd>
        <dt>{t('reconciliation.match.score')}</dt>
        <dd>{match.score === null ? t('common.none') : <ScoreBar score={match.score} />}</dd>
        <dt>{t('reconciliation.match.amount')}</dt>
        <dd className="nowrap">{signedMoney(match.amountCents, currency)}</dd>
        <dt>{t('reconciliation.match.createdAt')}</dt>
        <dd>{format.dateTime(match.createdAt)}</dd>
        {match.kind === 'expected_payment' && paymentLink && (
          <>
            <dt>{t('reconciliation.match.payment')}</dt>
            <dd>
              {paymentPath ? (
                <Link to={paymentPath} data-testid="recon-match-payment-link">
                  {t('reconciliation.match.openPayment')}
                </Link>
              ) : (
                t('reconciliation.match.paymentReceived')
              )}
            </dd>
          </>
        )}
        {match.createdEntryId && (
          <>
            <dt>{t('reconciliation.match.createdEntry')}</dt>
            <dd>
              {createdEntry ? (
                <Link to={createdEntry} data-testid="recon-match-entry-link">
                  {t('reconciliation.match.openEntry')}
                </Link>
              ) : (
                t('reconciliation.match.entryPosted')
              )}
            </dd>
          </>
        )}
        {match.status === 'undone' && (
          <>
            <dt>{t('reconciliation.match.undoneAt')}</dt>
            <dd>{format.dateTime(match.undoneAt)}</dd>
            <dt>{t('reconciliation.match.undoReason')}</dt>
            <dd data-testid="recon-match-undo-reason">{match.undoReason ?? t('common.none')}</dd>
            {match.reversalEntryId && (
              <>
                <dt>{t('reconciliation.match.reversal')}</dt>
                <dd>
                  {reversal ? (
                    <Link to={reversal}>{t('reconciliation.match.openReversal')}</Link>
                  ) : (
                    t('reconciliation.match.entryPosted')
                  )}
                </dd>
              </>
            )}
          </>
        )}
      </dl>
      <Reasons reasons={reasons} testId="recon-match-reasons" />
      {showBankLines && match.bankLines.length > 0 && (
        <div className="stack">
          <h4>{t('reconciliation.match.bankLines')}</h4>
          <ul className="plain-list">
            {match.bankLines.map((line) => (
              <li key={line.id} className="recon-match__bank-line">
                <span className="nowrap">{day(line.bookingDate)}</span> <span>{line.label}</span>{' '}
                <strong className="nowrap">{signedMoney(line.amountCents, line.currency)}</strong>
              </li>
            ))}
          </ul>
        </div>
      )}
      {match.ledgerLines.length > 0 && (
        <div className="stack">
          <h4>{t('reconciliation.match.ledgerLines')}</h4>
          <CandidateTable
            candidates={match.ledgerLines}
            currency={currency}
            caption={t('reconciliation.match.ledgerLines')}
            testId="recon-match-ledger"
            link={(candidate) => {
              const path = entryPath(candidate.entryId);
              return path ? <Link to={path}>{candidate.label}</Link> : candidate.label;
            }}
          />
        </div>
      )}
      {match.details.length > 0 && (
        <MatchDetailsTable details={match.details} currency={currency} kind={match.kind} />
      )}
      {canUndo && match.status === 'active' && !undoing && (
        <div className="button-row">
          <button
            type="button"
            className="button button--danger"
            data-testid="recon-undo-open"
            onClick={() => setUndoing(true)}
          >
            {t('reconciliation.undo.open')}
          </button>
        </div>
      )}
      {canUndo && match.status === 'active' && undoing && (
        <ReasonForm
          title={t('reconciliation.undo.title', { letter: match.letter })}
          hint={
            match.createdEntryId
              ? t('reconciliation.undo.hintEntry')
              : match.kind === 'expected_payment'
                ? t('reconciliation.undo.hintExpected')
                : t('reconciliation.undo.hint')
          }
          submitLabel={t('reconciliation.undo.submit')}
          testId="recon-undo"
          danger
          autoFocus
          onCancel={() => setUndoing(false)}
          onSubmit={async (reason) => {
            const undone = await reconciliationApi.undo(organization.id, match.id, reason);
            setUndoing(false);
            onUndone(undone);
          }}
        />
      )}
    </div>
  );
}

/** What stands behind a payout (charges, refunds, fees) or a deposit slip (the cheques). */
function MatchDetailsTable({
  details,
  currency,
  kind,
}: {
  details: readonly MatchDetailView[];
  currency: string;
  kind: MatchView['kind'];
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const day = useDayFormatter();
  const title =
    kind === 'cheque_deposit'
      ? t('reconciliation.match.detailsCheques')
      : kind === 'payout'
        ? t('reconciliation.match.detailsPayout')
        : t('reconciliation.match.details');
  const total = details.reduce((sum, detail) => sum + detail.amountCents, 0);
  return (
    <div className="stack">
      <h4>{title}</h4>
      <div className="table-wrap">
        <table className="table" data-testid="recon-match-details">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reconciliation.candidates.columns.date')}</th>
              <th scope="col">{t('reconciliation.candidates.columns.label')}</th>
              <th scope="col">{t('reconciliation.match.reference')}</th>
              <th scope="col" className="numeric">
                {t('reconciliation.candidates.columns.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {details.map((detail, index) => {
              const path = detailPath(organization, detail.link);
              return (
                <tr key={index} data-testid="recon-match-detail" data-link={detail.link ?? ''}>
                  <td className="nowrap">{day(detail.date)}</td>
                  <td>
                    {path ? (
                      <Link to={path} data-testid="recon-match-detail-link">
                        {detail.label}
                      </Link>
                    ) : (
                      detail.label
                    )}
                  </td>
                  <td>{detail.reference ?? t('common.none')}</td>
                  <td className="numeric nowrap">{formatMoney(detail.amountCents, currency)}</td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr className="table__total">
              <th scope="row" colSpan={3}>
                {t('reconciliation.match.detailsTotal')}
              </th>
              <td className="numeric nowrap">{formatMoney(total, currency)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}
