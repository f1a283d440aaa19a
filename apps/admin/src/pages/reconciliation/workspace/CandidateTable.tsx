import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { LedgerCandidateView } from '@ruche/contracts';
import { formatMoney, useDayFormatter } from '../../accounting/money';
import { reasonLabel } from '../reconFormat';

/** The key of a ledger line (entry and line number). */
export const candidateKey = (candidate: { entryId: string; lineNo: number }) =>
  `${candidate.entryId}:${candidate.lineNo}`;

/** "BQ 42" (journal and entry number), or the journal alone for a draft. */
export function entryRef(candidate: LedgerCandidateView): string {
  return candidate.entryNumber === null
    ? candidate.journalCode
    : `${candidate.journalCode} ${candidate.entryNumber}`;
}

/**
 * Ledger lines of the bank's 512x (signed as the bank shows them): day, journal and number,
 * label, piece reference, amount; `select` adds a checkbox column, `link` a link per line.
 */
export function CandidateTable({
  candidates,
  currency,
  caption,
  testId,
  select,
  link,
}: {
  candidates: readonly LedgerCandidateView[];
  currency: string;
  caption: string;
  testId?: string;
  select?: {
    selected: (candidate: LedgerCandidateView) => boolean;
    toggle: (candidate: LedgerCandidateView) => void;
    disabled?: boolean;
  };
  link?: (candidate: LedgerCandidateView) => ReactNode;
}) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  return (
    <div className="table-wrap">
      <table className="table recon-candidates" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {select && (
              <th scope="col">
                <span className="visually-hidden">{t('reconciliation.candidates.select')}</span>
              </th>
            )}
            <th scope="col">{t('reconciliation.candidates.columns.date')}</th>
            <th scope="col">{t('reconciliation.candidates.columns.entry')}</th>
            <th scope="col">{t('reconciliation.candidates.columns.label')}</th>
            <th scope="col">{t('reconciliation.candidates.columns.piece')}</th>
            <th scope="col" className="numeric">
              {t('reconciliation.candidates.columns.amount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {candidates.map((candidate) => {
            const key = candidateKey(candidate);
            const checked = select?.selected(candidate) ?? false;
            return (
              <tr
                key={key}
                data-testid="recon-candidate"
                data-entry-id={candidate.entryId}
                data-line-no={candidate.lineNo}
                data-amount={candidate.amountCents}
                data-selected={select ? checked : undefined}
              >
                {select && (
                  <td>
                    <input
                      type="checkbox"
                      className="recon-check"
                      checked={checked}
                      disabled={select.disabled}
                      aria-label={t('reconciliation.candidates.selectOne', {
                        label: candidate.label,
                      })}
                      data-testid="recon-candidate-check"
                      onChange={() => select.toggle(candidate)}
                    />
                  </td>
                )}
                <td className="nowrap">{day(candidate.date)}</td>
                <td className="nowrap">
                  {entryRef(candidate)}
                  {candidate.kind !== 'ledger' && (
                    <span className="cell-note">{t(`reconciliation.kinds.${candidate.kind}`)}</span>
                  )}
                </td>
                <td>
                  {link ? link(candidate) : candidate.label}
                  {candidate.counterpartyLabel && (
                    <span className="cell-note">{candidate.counterpartyLabel}</span>
                  )}
                </td>
                <td>{candidate.pieceRef ?? t('common.none')}</td>
                <td
                  className={`numeric nowrap amount ${
                    candidate.amountCents >= 0 ? 'amount--credit' : 'amount--debit'
                  }`}
                >
                  {formatMoney(candidate.amountCents, currency)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The engine's reasons as small chips, translated when they follow a known pattern. */
export function Reasons({ reasons, testId }: { reasons: readonly string[]; testId?: string }) {
  const { t } = useTranslation();
  if (reasons.length === 0) return null;
  return (
    <ul
      className="recon-reasons"
      data-testid={testId}
      aria-label={t('reconciliation.reasonsLabel')}
    >
      {reasons.map((reason, index) => (
        <li key={index} className="recon-reason" title={reason}>
          {reasonLabel(t, reason)}
        </li>
      ))}
    </ul>
  );
}

/** A score out of 100 as a small bar and its figure. */
export function ScoreBar({ score }: { score: number }) {
  const { t } = useTranslation();
  const label = t('reconciliation.score', { score });
  return (
    <span className="recon-score" data-testid="recon-score" data-score={score}>
      <meter min={0} max={100} low={60} high={80} optimum={100} value={score} aria-label={label} />
      <span className="recon-score__value">{label}</span>
    </span>
  );
}
