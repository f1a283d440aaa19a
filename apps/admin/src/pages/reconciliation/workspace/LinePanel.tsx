import { useId, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type {
  AccountView,
  BankAccountView,
  SuggestionView,
  WorkspaceLineView,
} from '@ruche/contracts';
import { ApiError } from '../../../api/client';
import { reconciliationApi } from '../../../api/reconciliation';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { FormErrors } from '../../../components/FormErrors';
import { ResourceState } from '../../../components/ResourceState';
import { formatMoney, useDayFormatter } from '../../accounting/money';
import { BankLineStatusBadge } from '../BankLineStatusBadge';
import { formatIban } from '../bankFormat';
import { MatchDetails } from '../MatchDetails';
import { ReasonForm } from '../ReasonForm';
import { actionProblems, signedMoney } from '../reconFormat';
import { CandidateSearch } from './CandidateSearch';
import { CandidateTable, Reasons, ScoreBar } from './CandidateTable';
import { EntryForm } from './EntryForm';
import { RecordFromLine } from './RecordFromLine';

/** What the keyboard shortcuts of the workspace ask of the selected line's panel. */
export interface LinePanelHandle {
  /** Enter: confirms the picked suggestion (the first unless 1–5 picked another). */
  confirm: () => void;
  /** 1–5: picks suggestion n (0-based here) and puts the focus on its button. */
  pick: (index: number) => void;
  /** i: opens "Ignorer" with the focus on the reason. */
  ignore: () => void;
  /** r (or Delete): rejects the picked suggestion, so that it is not offered for the line again. */
  reject: () => void;
}

/** What happened to the line, for the message above the list. */
export interface LineOutcome {
  kind: 'matched' | 'posted' | 'ignored' | 'unignored' | 'undone' | 'rejected' | 'restored';
  letter?: string;
}

type Mode = 'suggestions' | 'search' | 'entry' | 'ignore';
const MODES: readonly Mode[] = ['suggestions', 'search', 'entry', 'ignore'];

/**
 * Why an announced payment could not be confirmed: no longer waiting (409 `payments.not_expected`),
 * or not the line's amount (422 `reconciliation.amounts_differ`); anything else as usual.
 */
function expectedProblems(t: TFunction, error: unknown): string[] {
  const codes =
    error instanceof ApiError ? [error.code, ...error.body.errors.map((issue) => issue.code)] : [];
  if (codes.includes('payments.not_expected'))
    return [t('reconciliation.suggestions.expected.notExpected')];
  if (codes.includes('reconciliation.amounts_differ'))
    return [t('reconciliation.suggestions.expected.amountsDiffer')];
  return actionProblems(t, error, { paymentId: t('reconciliation.fields.paymentId') });
}

/**
 * The selected statement line: its details, then what can be done with it. Waiting: its
 * suggestions (best first, each with its button), a manual search of ledger lines, "Passer en
 * écriture", "Ignorer", and for a credit "Enregistrer un don" / "Enregistrer un paiement reçu".
 * Ignored: "Remettre à rapprocher". Matched: the match and its undo.
 */
export function LinePanel({
  account,
  line,
  chart,
  canMatch,
  canConfigure,
  onDone,
  onChanged,
  ref,
}: {
  account: BankAccountView;
  line: WorkspaceLineView;
  chart: readonly AccountView[];
  canMatch: boolean;
  canConfigure: boolean;
  /** The line is dealt with (matched, posted, ignored): the workspace moves to the next one. */
  onDone: (line: WorkspaceLineView, outcome: LineOutcome) => void;
  /** The line changed but stays selected (undone, back to waiting). */
  onChanged: (line: WorkspaceLineView, outcome: LineOutcome) => void;
  ref?: Ref<LinePanelHandle>;
}) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const titleId = useId();
  const reference = line.bankReference ?? line.endToEndId ?? line.structuredReference;

  return (
    <article
      className="recon-panel"
      aria-labelledby={titleId}
      data-testid="recon-panel"
      data-line-id={line.id}
      data-status={line.status}
    >
      <header className="recon-panel__header">
        <div>
          <h3 id={titleId} data-testid="recon-panel-label">
            {line.label}
          </h3>
          <p className="muted recon-panel__meta">
            {day(line.bookingDate)}
            {line.valueDate && line.valueDate !== line.bookingDate && (
              <> · {t('reconciliation.lines.valueDate', { date: day(line.valueDate) })}</>
            )}
            {line.counterpartyName && <> · {line.counterpartyName}</>}
            {line.counterpartyIban && <> · {formatIban(line.counterpartyIban)}</>}
            {reference && <> · {t('reconciliation.lines.reference', { reference })}</>}
          </p>
        </div>
        <div className="recon-panel__amount">
          <strong
            className={`amount ${line.amountCents >= 0 ? 'amount--credit' : 'amount--debit'}`}
            data-testid="recon-panel-amount"
            data-cents={line.amountCents}
          >
            {signedMoney(line.amountCents, line.currency)}
          </strong>
          <BankLineStatusBadge status={line.status} testId="recon-panel-status" />
        </div>
      </header>
      {line.status === 'unmatched' && (
        <WaitingLine
          ref={ref}
          account={account}
          line={line}
          chart={chart}
          canMatch={canMatch}
          canConfigure={canConfigure}
          onDone={onDone}
          onChanged={onChanged}
        />
      )}
      {line.status === 'ignored' && (
        <IgnoredLine account={account} line={line} canMatch={canMatch} onChanged={onChanged} />
      )}
      {line.status === 'matched' && line.matchId && (
        <MatchedLine
          account={account}
          line={line}
          matchId={line.matchId}
          canMatch={canMatch}
          onChanged={onChanged}
        />
      )}
    </article>
  );
}

function WaitingLine({
  account,
  line,
  chart,
  canMatch,
  canConfigure,
  onDone,
  onChanged,
  ref,
}: {
  account: BankAccountView;
  line: WorkspaceLineView;
  chart: readonly AccountView[];
  canMatch: boolean;
  canConfigure: boolean;
  onDone: (line: WorkspaceLineView, outcome: LineOutcome) => void;
  onChanged: (line: WorkspaceLineView, outcome: LineOutcome) => void;
  ref?: Ref<LinePanelHandle>;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const id = useId();
  const suggestions = line.suggestions;
  const [mode, setMode] = useState<Mode>(suggestions.length > 0 ? 'suggestions' : 'search');
  const [picked, setPicked] = useState(0);
  const [pending, setPending] = useState<number | null>(null);
  const [problems, setProblems] = useState<{ index: number; messages: string[] } | null>(null);
  const [entryAccount, setEntryAccount] = useState('');
  const [ignoreFocus, setIgnoreFocus] = useState(false);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);

  const confirm = async (index: number) => {
    const suggestion = suggestions[index];
    if (!suggestion || !canMatch || pending !== null) return;
    setPending(index);
    setProblems(null);
    try {
      if (suggestion.type === 'match') {
        const match = await reconciliationApi.match(organization.id, account.id, {
          // One item credited in several lines: they are lettered together.
          bankLineIds: [line.id, ...suggestion.otherBankLines.map((other) => other.id)],
          ledgerLines: suggestion.candidates.map((candidate) => ({
            entryId: candidate.entryId,
            lineNo: candidate.lineNo,
          })),
        });
        onDone(line, { kind: 'matched', letter: match.letter });
      } else if (suggestion.type === 'expected') {
        const match = await reconciliationApi.matchExpected(organization.id, account.id, {
          bankLineId: line.id,
          paymentId: suggestion.paymentId,
        });
        onDone(line, { kind: 'matched', letter: match.letter });
      } else {
        const match = await reconciliationApi.postEntry(organization.id, account.id, {
          bankLineId: line.id,
          accountNumber: suggestion.accountNumber,
          analytic: suggestion.type === 'rule' ? suggestion.analytic : null,
        });
        onDone(line, { kind: 'posted', letter: match.letter });
      }
    } catch (error) {
      setProblems({
        index,
        messages:
          suggestion.type === 'expected' ? expectedProblems(t, error) : actionProblems(t, error),
      });
    } finally {
      setPending(null);
    }
  };

  /** A proposal (ledger lines or an announced payment) is not this line: never offered again. */
  const reject = async (index: number) => {
    const suggestion = suggestions[index];
    if (!canMatch || pending !== null) return;
    if (suggestion?.type !== 'match' && suggestion?.type !== 'expected') return;
    setPending(index);
    setProblems(null);
    try {
      await reconciliationApi.reject(
        organization.id,
        account.id,
        line.id,
        suggestion.type === 'match'
          ? {
              ledgerLines: suggestion.candidates.map((candidate) => ({
                entryId: candidate.entryId,
                lineNo: candidate.lineNo,
              })),
            }
          : { paymentId: suggestion.paymentId },
      );
      setPicked(0);
      onChanged(line, { kind: 'rejected' });
    } catch (error) {
      setProblems({ index, messages: actionProblems(t, error) });
    } finally {
      setPending(null);
    }
  };

  const [restoring, setRestoring] = useState(false);
  const [restoreProblems, setRestoreProblems] = useState<string[]>([]);
  const restore = async () => {
    setRestoring(true);
    setRestoreProblems([]);
    try {
      for (const rejection of line.rejections)
        await reconciliationApi.withdrawRejection(
          organization.id,
          account.id,
          line.id,
          rejection.id,
        );
      onChanged(line, { kind: 'restored' });
    } catch (error) {
      setRestoreProblems(actionProblems(t, error));
    } finally {
      setRestoring(false);
    }
  };

  useImperativeHandle(ref, () => ({
    confirm: () => {
      if (suggestions.length === 0) return;
      setMode('suggestions');
      void confirm(Math.min(picked, suggestions.length - 1));
    },
    pick: (index) => {
      if (index >= suggestions.length) return;
      setMode('suggestions');
      setPicked(index);
      // The button exists once the suggestions are shown (at once when they already are).
      window.setTimeout(() => buttons.current[index]?.focus(), 0);
    },
    ignore: () => {
      if (!canMatch) return;
      setIgnoreFocus(true);
      setMode('ignore');
    },
    reject: () => {
      if (suggestions.length === 0) return;
      setMode('suggestions');
      void reject(Math.min(picked, suggestions.length - 1));
    },
  }));

  const modeLabel = (option: Mode) =>
    option === 'suggestions'
      ? t('reconciliation.modes.suggestions', { count: suggestions.length })
      : t(`reconciliation.modes.${option}`);
  const modes = MODES.filter((option) => canMatch || option === 'suggestions');

  return (
    <div className="stack">
      <div className="recon-modes" role="tablist" aria-label={t('reconciliation.modes.label')}>
        {modes.map((option) => (
          <button
            key={option}
            type="button"
            role="tab"
            id={`${id}-tab-${option}`}
            aria-selected={mode === option}
            aria-controls={`${id}-panel`}
            className={`recon-mode${mode === option ? ' recon-mode--active' : ''}`}
            data-testid={`recon-mode-${option}`}
            onClick={() => {
              setIgnoreFocus(false);
              setMode(option);
            }}
          >
            {modeLabel(option)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${mode}`}>
        {mode === 'suggestions' &&
          (suggestions.length === 0 ? (
            <p className="empty" data-testid="recon-no-suggestion">
              {canMatch
                ? t('reconciliation.suggestions.none')
                : t('reconciliation.suggestions.noneReadOnly')}
            </p>
          ) : (
            <ol className="recon-suggestions" data-testid="recon-suggestions">
              {suggestions.map((suggestion, index) => (
                <SuggestionCard
                  key={index}
                  index={index}
                  suggestion={suggestion}
                  currency={account.currency}
                  picked={index === picked}
                  pending={pending === index}
                  disabled={pending !== null}
                  canMatch={canMatch}
                  problems={problems?.index === index ? problems.messages : []}
                  buttonRef={(element) => {
                    buttons.current[index] = element;
                  }}
                  onConfirm={() => void confirm(index)}
                  onReject={
                    suggestion.type === 'match' || suggestion.type === 'expected'
                      ? () => void reject(index)
                      : undefined
                  }
                  onEdit={
                    suggestion.type === 'rule' || suggestion.type === 'learned'
                      ? () => {
                          setEntryAccount(suggestion.accountNumber);
                          setMode('entry');
                        }
                      : undefined
                  }
                />
              ))}
            </ol>
          ))}
        {mode === 'suggestions' && line.rejections.length > 0 && (
          <div className="stack" data-testid="recon-rejections">
            <p className="muted">
              {t('reconciliation.suggestions.rejected', { count: line.rejections.length })}
            </p>
            <FormErrors messages={restoreProblems} testId="recon-restore-error" />
            {canMatch && (
              <div className="button-row">
                <button
                  type="button"
                  className="button"
                  disabled={restoring}
                  aria-busy={restoring}
                  data-testid="recon-restore-rejections"
                  onClick={() => void restore()}
                >
                  {restoring && <span className="spinner" aria-hidden="true" />}
                  {t('reconciliation.suggestions.restore')}
                </button>
              </div>
            )}
          </div>
        )}
        {mode === 'search' && (
          <CandidateSearch
            account={account}
            line={line}
            canMatch={canMatch}
            onMatched={(match) => onDone(line, { kind: 'matched', letter: match.letter })}
          />
        )}
        {mode === 'entry' && canMatch && (
          <EntryForm
            key={entryAccount}
            account={account}
            line={line}
            chart={chart}
            canConfigure={canConfigure}
            initialAccount={entryAccount}
            onPosted={(match) => onDone(line, { kind: 'posted', letter: match.letter })}
          />
        )}
        {mode === 'ignore' && canMatch && (
          <ReasonForm
            title={t('reconciliation.ignore.title')}
            hint={t('reconciliation.ignore.hint')}
            submitLabel={t('reconciliation.ignore.submit')}
            testId="recon-ignore"
            autoFocus={ignoreFocus}
            onCancel={() => setMode(suggestions.length > 0 ? 'suggestions' : 'search')}
            onSubmit={async (reason) => {
              await reconciliationApi.ignore(organization.id, account.id, line.id, reason);
              onDone(line, { kind: 'ignored' });
            }}
          />
        )}
      </div>
      {mode !== 'ignore' && <RecordFromLine line={line} />}
    </div>
  );
}

/**
 * One suggestion: a match proposal (score, reasons, ledger lines), a payment announced by a
 * member (score, reasons, the payment), a rule or a habit.
 */
function SuggestionCard({
  index,
  suggestion,
  currency,
  picked,
  pending,
  disabled,
  canMatch,
  problems,
  buttonRef,
  onConfirm,
  onReject,
  onEdit,
}: {
  index: number;
  suggestion: SuggestionView;
  currency: string;
  picked: boolean;
  pending: boolean;
  disabled: boolean;
  canMatch: boolean;
  problems: string[];
  buttonRef: (element: HTMLButtonElement | null) => void;
  onConfirm: () => void;
  /** Match and announced-payment proposals only. */
  onReject?: () => void;
  onEdit?: () => void;
}) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const number = index + 1;
  const total =
    suggestion.type === 'match'
      ? suggestion.candidates.reduce((sum, candidate) => sum + candidate.amountCents, 0)
      : 0;
  return (
    <li
      className={`recon-suggestion${picked ? ' recon-suggestion--picked' : ''}`}
      data-testid={`recon-suggestion-${number}`}
      data-type={suggestion.type}
    >
      <div className="recon-suggestion__header">
        <span className="recon-suggestion__number" aria-hidden="true">
          <kbd>{number}</kbd>
        </span>
        {suggestion.type === 'match' && (
          <>
            <strong>{t(`reconciliation.suggestions.match.${suggestion.kind}`)}</strong>
            <ScoreBar score={suggestion.score} />
            {suggestion.auto && (
              <span className="badge badge--success">{t('reconciliation.suggestions.auto')}</span>
            )}
          </>
        )}
        {suggestion.type === 'expected' && (
          <>
            <strong>{t('reconciliation.suggestions.expected.title')}</strong>
            <ScoreBar score={suggestion.score} />
            {suggestion.auto && (
              <span className="badge badge--success">{t('reconciliation.suggestions.auto')}</span>
            )}
          </>
        )}
        {suggestion.type === 'rule' && (
          <strong data-testid="recon-suggestion-rule">
            {t('reconciliation.suggestions.rule', {
              name: suggestion.ruleName,
              account: suggestion.accountNumber,
            })}
            {suggestion.analytic && (
              <span className="cell-note">
                {t('reconciliation.suggestions.analytic', { analytic: suggestion.analytic })}
              </span>
            )}
          </strong>
        )}
        {suggestion.type === 'learned' && (
          <strong data-testid="recon-suggestion-learned">
            {t('reconciliation.suggestions.learned', {
              count: suggestion.count,
              account: suggestion.accountNumber,
            })}
          </strong>
        )}
      </div>
      {suggestion.type === 'match' && (
        <>
          <Reasons reasons={suggestion.reasons} testId="recon-suggestion-reasons" />
          <CandidateTable
            candidates={suggestion.candidates}
            currency={currency}
            caption={t('reconciliation.suggestions.candidates', { number })}
          />
          {suggestion.candidates.length > 1 && (
            <p className="muted">
              {t('reconciliation.suggestions.total', {
                count: suggestion.candidates.length,
                total: formatMoney(total, currency),
              })}
            </p>
          )}
          {suggestion.otherBankLines.length > 0 && (
            <p
              data-testid="recon-suggestion-with-lines"
              data-line-ids={suggestion.otherBankLines.map((other) => other.id).join(' ')}
            >
              {t('reconciliation.suggestions.withLines', {
                count: suggestion.otherBankLines.length,
                lines: suggestion.otherBankLines
                  .map(
                    (other) =>
                      `${day(other.bookingDate)} (${signedMoney(other.amountCents, currency)}, ${other.label})`,
                  )
                  .join(', '),
              })}
            </p>
          )}
        </>
      )}
      {suggestion.type === 'expected' && (
        <>
          <Reasons reasons={suggestion.reasons} testId="recon-suggestion-reasons" />
          <p
            data-testid="recon-suggestion-expected"
            data-payment-id={suggestion.paymentId}
            data-amount={suggestion.amountCents}
          >
            {t(
              `reconciliation.suggestions.expected.${
                suggestion.contactName
                  ? suggestion.reference
                    ? 'text'
                    : 'textNoReference'
                  : suggestion.reference
                    ? 'textNoContact'
                    : 'textBare'
              }`,
              {
                label: suggestion.label,
                contact: suggestion.contactName,
                date: day(suggestion.date),
                reference: suggestion.reference,
              },
            )}
          </p>
        </>
      )}
      <FormErrors messages={problems} testId="recon-action-error" />
      {canMatch && (
        <div className="button-row">
          <button
            ref={buttonRef}
            type="button"
            className="button button--primary"
            disabled={disabled}
            aria-busy={pending}
            aria-keyshortcuts={picked ? `${number} Enter` : String(number)}
            data-testid={`recon-confirm-${number}`}
            onClick={onConfirm}
          >
            {pending && <span className="spinner spinner--light" aria-hidden="true" />}
            {suggestion.type === 'match' || suggestion.type === 'expected'
              ? t('reconciliation.suggestions.confirm')
              : t('reconciliation.suggestions.post')}
          </button>
          {onEdit && (
            <button
              type="button"
              className="button"
              disabled={disabled}
              data-testid={`recon-edit-${number}`}
              onClick={onEdit}
            >
              {t('reconciliation.suggestions.edit')}
            </button>
          )}
          {onReject && (
            <button
              type="button"
              className="button"
              disabled={disabled}
              title={t('reconciliation.suggestions.rejectHint')}
              aria-keyshortcuts={picked ? 'r Delete' : undefined}
              data-testid={`recon-reject-${number}`}
              onClick={onReject}
            >
              {t('reconciliation.suggestions.reject')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

function IgnoredLine({
  account,
  line,
  canMatch,
  onChanged,
}: {
  account: BankAccountView;
  line: WorkspaceLineView;
  canMatch: boolean;
  onChanged: (line: WorkspaceLineView, outcome: LineOutcome) => void;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const [pending, setPending] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const restore = async () => {
    setPending(true);
    setProblems([]);
    try {
      await reconciliationApi.unignore(organization.id, account.id, line.id);
      onChanged(line, { kind: 'unignored' });
    } catch (error) {
      setProblems(actionProblems(t, error));
    } finally {
      setPending(false);
    }
  };
  return (
    <div className="stack">
      <p className="muted">{t('reconciliation.ignore.ignored')}</p>
      <FormErrors messages={problems} testId="recon-action-error" />
      {canMatch && (
        <div className="button-row">
          <button
            type="button"
            className="button"
            disabled={pending}
            aria-busy={pending}
            data-testid="recon-unignore"
            onClick={() => void restore()}
          >
            {pending && <span className="spinner" aria-hidden="true" />}
            {t('reconciliation.ignore.restore')}
          </button>
        </div>
      )}
    </div>
  );
}

function MatchedLine({
  account,
  line,
  matchId,
  canMatch,
  onChanged,
}: {
  account: BankAccountView;
  line: WorkspaceLineView;
  matchId: string;
  canMatch: boolean;
  onChanged: (line: WorkspaceLineView, outcome: LineOutcome) => void;
}) {
  const organization = useCurrentOrganization();
  const match = useResource(`recon-match:${organization.id}:${matchId}`, (signal) =>
    reconciliationApi.matchById(organization.id, matchId, signal),
  );
  return (
    <>
      <ResourceState resource={match} />
      {match.data && (
        <MatchDetails
          match={match.data}
          currency={account.currency}
          canUndo={canMatch}
          showBankLines={match.data.bankLines.length > 1}
          onUndone={(undone) => {
            match.reload();
            onChanged(line, { kind: 'undone', letter: undone.letter });
          }}
        />
      )}
    </>
  );
}
