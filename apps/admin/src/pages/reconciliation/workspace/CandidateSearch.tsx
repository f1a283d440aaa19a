import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  BankAccountView,
  LedgerCandidateView,
  MatchView,
  WorkspaceLineView,
} from '@ruche/contracts';
import { reconciliationApi } from '../../../api/reconciliation';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { DebouncedInput } from '../../../components/DebouncedInput';
import { EmptyState } from '../../../components/EmptyState';
import { FormErrors } from '../../../components/FormErrors';
import { ResourceState } from '../../../components/ResourceState';
import { formatMoney, useDayFormatter } from '../../accounting/money';
import {
  actionProblems,
  centsToInput,
  parseSignedCents,
  shiftDay,
  signedMoney,
} from '../reconFormat';
import { CandidateTable, candidateKey } from './CandidateTable';

const LIMIT = 100;
/** Other waiting lines of the statement offered to add to the line: this many days around it. */
const OTHER_LINES_DAYS = 15;

/**
 * "Rechercher une écriture": the waiting ledger lines of the account's 512x, searched by text,
 * amount (the line's, to start with) and days; ticked lines add up against the line's amount, and
 * "Rapprocher" letters them once the sum is the line's amount exactly. Other waiting lines of the
 * statement (same direction, around the line's day) can be ticked too, when the bank booked one
 * entry in several lines: their running total is what the ledger lines must then sum to.
 */
export function CandidateSearch({
  account,
  line,
  canMatch,
  onMatched,
}: {
  account: BankAccountView;
  line: WorkspaceLineView;
  canMatch: boolean;
  onMatched: (match: MatchView) => void;
}) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const id = useId();
  const [q, setQ] = useState('');
  const [amount, setAmount] = useState(centsToInput(line.amountCents));
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [selected, setSelected] = useState<ReadonlyMap<string, LedgerCandidateView>>(new Map());
  const [addedLines, setAddedLines] = useState<ReadonlyMap<string, WorkspaceLineView>>(new Map());
  const [pending, setPending] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);

  const amountCents = amount.trim() ? parseSignedCents(amount) : null;
  const amountInvalid = amount.trim() !== '' && amountCents === null;
  const filters = { q: q.trim(), from, to, amountCents, limit: LIMIT };
  const results = useResource(
    `recon-candidates:${organization.id}:${account.id}:${JSON.stringify(filters)}`,
    (signal) => reconciliationApi.candidates(organization.id, account.id, filters, signal),
  );

  const otherFilters = {
    status: 'unmatched' as const,
    suggestions: 'any' as const,
    direction: line.amountCents >= 0 ? ('in' as const) : ('out' as const),
    q: '',
    from: shiftDay(line.bookingDate, -OTHER_LINES_DAYS),
    to: shiftDay(line.bookingDate, OTHER_LINES_DAYS),
  };
  const otherLines = useResource(
    `recon-other-lines:${organization.id}:${account.id}:${JSON.stringify(otherFilters)}`,
    (signal) =>
      reconciliationApi.workspace(
        organization.id,
        account.id,
        otherFilters,
        { limit: LIMIT, offset: 0 },
        signal,
      ),
  );
  const others = (otherLines.data?.items ?? [])
    .filter((other) => other.id !== line.id)
    .sort((a, b) => a.bookingDate.localeCompare(b.bookingDate) || a.id.localeCompare(b.id));

  const picked = [...selected.values()];
  const sum = picked.reduce((total, candidate) => total + candidate.amountCents, 0);
  const bankLines = [line, ...addedLines.values()];
  const bankTotal = bankLines.reduce((total, bankLine) => total + bankLine.amountCents, 0);
  const difference = bankTotal - sum;
  const ready = picked.length > 0 && difference === 0;

  /** Adds (or takes back) a statement line; the amount searched follows their total. */
  const toggleLine = (other: WorkspaceLineView) => {
    const next = new Map(addedLines);
    if (next.has(other.id)) next.delete(other.id);
    else next.set(other.id, other);
    setAddedLines(next);
    const total = [...next.values()].reduce((s, l) => s + l.amountCents, line.amountCents);
    if (amount.trim() !== '') setAmount(centsToInput(total));
  };

  const toggle = (candidate: LedgerCandidateView) =>
    setSelected((previous) => {
      const next = new Map(previous);
      const key = candidateKey(candidate);
      if (next.has(key)) next.delete(key);
      else next.set(key, candidate);
      return next;
    });

  const submit = async () => {
    if (!ready) return;
    setPending(true);
    setProblems([]);
    try {
      const match = await reconciliationApi.match(organization.id, account.id, {
        bankLineIds: bankLines.map((bankLine) => bankLine.id),
        ledgerLines: picked.map((candidate) => ({
          entryId: candidate.entryId,
          lineNo: candidate.lineNo,
        })),
      });
      onMatched(match);
    } catch (error) {
      setProblems(actionProblems(t, error));
      results.reload();
      otherLines.reload();
    } finally {
      setPending(false);
    }
  };

  // Ticked lines stay ticked while searching; those not in the results are listed above them.
  const shown = results.data ?? [];
  const hiddenPicked = picked.filter(
    (candidate) => !shown.some((other) => candidateKey(other) === candidateKey(candidate)),
  );

  return (
    <div className="stack" data-testid="recon-search">
      <form
        className="filter-bar"
        role="search"
        aria-label={t('reconciliation.search.label')}
        onSubmit={(event) => event.preventDefault()}
      >
        <label className="field filter-bar__search">
          <span>{t('reconciliation.search.q')}</span>
          <DebouncedInput
            type="search"
            value={q}
            maxLength={100}
            placeholder={t('reconciliation.search.qPlaceholder')}
            data-testid="recon-search-q"
            onChange={setQ}
          />
        </label>
        <div className={`field${amountInvalid ? ' field--invalid' : ''}`}>
          <label htmlFor={`${id}-amount`}>{t('reconciliation.search.amount')}</label>
          <DebouncedInput
            id={`${id}-amount`}
            type="text"
            inputMode="decimal"
            value={amount}
            maxLength={20}
            aria-invalid={amountInvalid}
            aria-describedby={amountInvalid ? `${id}-amount-error` : `${id}-amount-hint`}
            data-testid="recon-search-amount"
            onChange={setAmount}
          />
          {amountInvalid ? (
            <p id={`${id}-amount-error`} className="field__error">
              {t('reconciliation.search.amountInvalid')}
            </p>
          ) : (
            <p id={`${id}-amount-hint`} className="field__hint">
              {t('reconciliation.search.amountHint')}
            </p>
          )}
        </div>
        <label className="field">
          <span>{t('reconciliation.filters.from')}</span>
          <input
            type="date"
            value={from}
            max={to || undefined}
            data-testid="recon-search-from"
            onChange={(event) => setFrom(event.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('reconciliation.filters.to')}</span>
          <input
            type="date"
            value={to}
            min={from || undefined}
            data-testid="recon-search-to"
            onChange={(event) => setTo(event.target.value)}
          />
        </label>
      </form>
      <ResourceState resource={results} />
      {hiddenPicked.length > 0 && (
        <CandidateTable
          candidates={hiddenPicked}
          currency={account.currency}
          caption={t('reconciliation.search.picked')}
          testId="recon-search-picked"
          select={{ selected: () => true, toggle, disabled: !canMatch || pending }}
        />
      )}
      {results.data?.length === 0 && <EmptyState>{t('reconciliation.search.none')}</EmptyState>}
      {shown.length > 0 && (
        <CandidateTable
          candidates={shown}
          currency={account.currency}
          caption={t('reconciliation.search.results')}
          testId="recon-search-results"
          select={{
            selected: (candidate) => selected.has(candidateKey(candidate)),
            toggle,
            disabled: !canMatch || pending,
          }}
        />
      )}
      {shown.length >= LIMIT && <p className="muted">{t('reconciliation.search.more')}</p>}
      {canMatch && (
        <fieldset className="stack" data-testid="recon-search-lines">
          <legend>{t('reconciliation.search.otherLines')}</legend>
          <p className="field__hint">{t('reconciliation.search.otherLinesHint')}</p>
          <ResourceState resource={otherLines} />
          {otherLines.data && others.length === 0 && (
            <p className="muted">{t('reconciliation.search.otherLinesNone')}</p>
          )}
          {others.length > 0 && (
            <ul className="recon-other-lines">
              {others.map((other) => (
                <li key={other.id} data-testid="recon-search-line" data-line-id={other.id}>
                  <label>
                    <input
                      type="checkbox"
                      className="recon-check"
                      checked={addedLines.has(other.id)}
                      disabled={pending}
                      data-testid="recon-search-line-check"
                      onChange={() => toggleLine(other)}
                    />{' '}
                    <span className="visually-hidden">
                      {t('reconciliation.search.addLine', {
                        date: day(other.bookingDate),
                        label: other.label,
                        amount: signedMoney(other.amountCents, account.currency),
                      })}
                    </span>
                    <span aria-hidden="true">
                      {day(other.bookingDate)} · {other.label} ·{' '}
                      <span className="numeric nowrap">
                        {signedMoney(other.amountCents, account.currency)}
                      </span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          )}
        </fieldset>
      )}
      <div className="recon-sum" aria-live="polite">
        <dl className="details">
          <dt>{t('reconciliation.search.selected', { count: picked.length })}</dt>
          <dd className="numeric nowrap" data-testid="recon-search-sum" data-cents={sum}>
            {formatMoney(sum, account.currency)}
          </dd>
          <dt>
            {bankLines.length > 1
              ? t('reconciliation.search.bankTotal')
              : t('reconciliation.search.lineAmount')}
          </dt>
          <dd
            className="numeric nowrap"
            data-testid="recon-search-bank-total"
            data-cents={bankTotal}
          >
            {formatMoney(bankTotal, account.currency)}
          </dd>
          <dt>{t('reconciliation.search.difference')}</dt>
          <dd
            className={`numeric nowrap ${difference === 0 ? 'balance--ok' : 'balance--off'}`}
            data-testid="recon-search-difference"
            data-cents={difference}
          >
            {formatMoney(difference, account.currency)}
          </dd>
        </dl>
      </div>
      <FormErrors messages={problems} testId="recon-search-error" />
      {canMatch && (
        <div className="button-row">
          <button
            type="button"
            className="button button--primary"
            disabled={!ready || pending}
            aria-busy={pending}
            data-testid="recon-search-match"
            onClick={() => void submit()}
          >
            {pending && <span className="spinner spinner--light" aria-hidden="true" />}
            {t('reconciliation.search.match')}
          </button>
          {picked.length > 0 && difference !== 0 && (
            <span className="muted">{t('reconciliation.search.notEqual')}</span>
          )}
        </div>
      )}
    </div>
  );
}
