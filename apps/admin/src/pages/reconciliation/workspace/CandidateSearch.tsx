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
import { formatMoney } from '../../accounting/money';
import { actionProblems, centsToInput, parseSignedCents } from '../reconFormat';
import { CandidateTable, candidateKey } from './CandidateTable';

const LIMIT = 100;

/**
 * "Rechercher une écriture": the waiting ledger lines of the account's 512x, searched by text,
 * amount (the line's, to start with) and days; ticked lines add up against the line's amount, and
 * "Rapprocher" letters them once the sum is the line's amount exactly.
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
  const organization = useCurrentOrganization();
  const id = useId();
  const [q, setQ] = useState('');
  const [amount, setAmount] = useState(centsToInput(line.amountCents));
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [selected, setSelected] = useState<ReadonlyMap<string, LedgerCandidateView>>(new Map());
  const [pending, setPending] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);

  const amountCents = amount.trim() ? parseSignedCents(amount) : null;
  const amountInvalid = amount.trim() !== '' && amountCents === null;
  const filters = { q: q.trim(), from, to, amountCents, limit: LIMIT };
  const results = useResource(
    `recon-candidates:${organization.id}:${account.id}:${JSON.stringify(filters)}`,
    (signal) => reconciliationApi.candidates(organization.id, account.id, filters, signal),
  );

  const picked = [...selected.values()];
  const sum = picked.reduce((total, candidate) => total + candidate.amountCents, 0);
  const difference = line.amountCents - sum;
  const ready = picked.length > 0 && difference === 0;

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
        bankLineIds: [line.id],
        ledgerLines: picked.map((candidate) => ({
          entryId: candidate.entryId,
          lineNo: candidate.lineNo,
        })),
      });
      onMatched(match);
    } catch (error) {
      setProblems(actionProblems(t, error));
      results.reload();
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
      <div className="recon-sum" aria-live="polite">
        <dl className="details">
          <dt>{t('reconciliation.search.selected', { count: picked.length })}</dt>
          <dd className="numeric nowrap" data-testid="recon-search-sum" data-cents={sum}>
            {formatMoney(sum, account.currency)}
          </dd>
          <dt>{t('reconciliation.search.lineAmount')}</dt>
          <dd className="numeric nowrap">{formatMoney(line.amountCents, account.currency)}</dd>
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
