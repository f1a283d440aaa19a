import { useEffect, useId, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { AccountView, BankAccountView, WorkspaceLineView } from '@ruche/contracts';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { DebouncedInput } from '../../../components/DebouncedInput';
import { EmptyState } from '../../../components/EmptyState';
import { Pagination } from '../../../components/Pagination';
import { ResourceState } from '../../../components/ResourceState';
import {
  RECONCILIATION_CONFIGURE_PERMISSION,
  RECONCILIATION_MATCH_PERMISSION,
} from '../../../layout/navigation';
import { useDayFormatter } from '../../accounting/money';
import { BankLineStatusBadge } from '../BankLineStatusBadge';
import { signedMoney } from '../reconFormat';
import { LinePanel, type LineOutcome, type LinePanelHandle } from './LinePanel';
import { LINE_PARAM } from './RecordFromLine';
import {
  WORKSPACE_DIRECTIONS,
  WORKSPACE_STATUSES,
  WORKSPACE_SUGGESTIONS,
  type WorkspaceLines,
} from './useWorkspaceLines';

/** The keys a shortcut listens to, with what they do (for the help). */
const SHORTCUTS = [
  { keys: ['↓', 'j'], action: 'next' },
  { keys: ['↑', 'k'], action: 'previous' },
  { keys: ['Enter'], action: 'confirm' },
  { keys: ['1', '…', '5'], action: 'pick' },
  { keys: ['i'], action: 'ignore' },
  { keys: ['r', 'Delete'], action: 'reject' },
  { keys: ['/'], action: 'search' },
  { keys: ['?'], action: 'help' },
  { keys: ['Escape'], action: 'close' },
] as const;

/** Keys named in words in the help ("Entrée", "Échap"). */
const NAMED_KEYS: Record<string, string> = {
  Enter: 'reconciliation.shortcuts.enter',
  Escape: 'reconciliation.shortcuts.escape',
  Delete: 'reconciliation.shortcuts.delete',
};

/** Shortcuts are off while typing (and on controls that use the keys themselves). */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target.closest('input, textarea, select, [contenteditable="true"]') !== null
  );
}

/** The test id of a line: its bank reference (stable across imports), else its id. */
export const lineTestId = (line: WorkspaceLineView) =>
  `recon-line-${line.bankReference ?? line.id}`;

/**
 * The reconciliation workspace of a bank account: the statement lines on the left (waiting ones
 * first by default, suggested ones first, with their filters), the selected line's panel on the
 * right (suggestions, manual search, "Passer en écriture", "Ignorer", or its match). Keyboard:
 * ↓/↑ (j/k) move, Enter confirms the first suggestion, 1–5 pick one, r (or Delete) rejects the
 * picked one, i ignores, / searches, ? shows the shortcuts. After a line is dealt with, the next waiting line is selected.
 */
export function Workspace({
  account,
  queue,
  chart,
  onChanged,
}: {
  account: BankAccountView;
  queue: WorkspaceLines;
  chart: readonly AccountView[];
  /** Something changed (a match, an entry...): the page reloads what depends on it. */
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const canMatch = organization.can(RECONCILIATION_MATCH_PERMISSION);
  const canConfigure = organization.can(RECONCILIATION_CONFIGURE_PERMISSION);
  const id = useId();
  const searchId = `${id}-search`;
  const { filters, lines, setFilter, resetFilters, filtered } = queue;
  const items = lines.data?.items ?? [];
  const [params, setParams] = useSearchParams();
  // `?line=` (back from a desk form opened on a line): that line is selected when it is listed.
  const [selectedId, setSelectedId] = useState<string | null>(() => params.get(LINE_PARAM));
  const [help, setHelp] = useState(false);
  const [feedback, setFeedback] = useState<{ text: string; testId: string } | null>(null);
  const panel = useRef<LinePanelHandle>(null);
  const list = useRef<HTMLOListElement>(null);
  const selected = items.find((line) => line.id === selectedId) ?? items[0];

  const select = (line: WorkspaceLineView | undefined) => {
    if (!line) return;
    setSelectedId(line.id);
    const element = list.current?.querySelector(`[data-line-id="${line.id}"]`);
    if (element instanceof HTMLElement) element.scrollIntoView({ block: 'nearest' });
  };

  // Once the lines are there, the line asked for is shown and `?line=` leaves the address.
  const asked = params.get(LINE_PARAM);
  const loaded = lines.data !== undefined;
  const askedListed = items.some((line) => line.id === asked);
  useEffect(() => {
    if (!asked || !loaded) return;
    const element = askedListed && list.current?.querySelector(`[data-line-id="${asked}"]`);
    if (element instanceof HTMLElement) element.scrollIntoView({ block: 'nearest' });
    setParams(
      (previous) => {
        const updated = new URLSearchParams(previous);
        updated.delete(LINE_PARAM);
        return updated;
      },
      { replace: true },
    );
  }, [asked, loaded, askedListed, setParams]);

  const outcomeText = (line: WorkspaceLineView, outcome: LineOutcome) =>
    t(`reconciliation.outcomes.${outcome.kind}`, { label: line.label, letter: outcome.letter });

  /** The next waiting line after `line` (before it when it was the last one). */
  const nextWaiting = (line: WorkspaceLineView) => {
    const index = items.findIndex((item) => item.id === line.id);
    const waiting = (item: WorkspaceLineView) => item.id !== line.id && item.status === 'unmatched';
    return (
      items.slice(index + 1).find(waiting) ??
      items.slice(0, Math.max(index, 0)).reverse().find(waiting)
    );
  };

  const done = (line: WorkspaceLineView, outcome: LineOutcome) => {
    setFeedback({ text: outcomeText(line, outcome), testId: 'recon-feedback' });
    const next = nextWaiting(line);
    if (next) select(next);
    onChanged();
  };
  const changed = (line: WorkspaceLineView, outcome: LineOutcome) => {
    setFeedback({ text: outcomeText(line, outcome), testId: 'recon-feedback' });
    onChanged();
  };

  // The shortcuts read the latest state through a ref (one listener for the page's life).
  const keys = useRef<(event: KeyboardEvent) => void>(() => undefined);
  useEffect(() => {
    keys.current = (event) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === 'Escape') {
        if (help) setHelp(false);
        return;
      }
      if (typing(event.target)) return;
      const index = selected ? items.findIndex((line) => line.id === selected.id) : -1;
      const onControl =
        event.target instanceof HTMLElement &&
        event.target.closest('button, a, summary, [role="tab"]') !== null;
      switch (event.key) {
        case 'ArrowDown':
        case 'j':
          event.preventDefault();
          select(items[Math.min(index + 1, items.length - 1)]);
          return;
        case 'ArrowUp':
        case 'k':
          event.preventDefault();
          select(items[Math.max(index - 1, 0)]);
          return;
        case 'Enter':
          // On a button or a link, Enter does what they do.
          if (onControl) return;
          event.preventDefault();
          panel.current?.confirm();
          return;
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
          event.preventDefault();
          panel.current?.pick(Number(event.key) - 1);
          return;
        case 'i':
          event.preventDefault();
          panel.current?.ignore();
          return;
        case 'r':
        case 'Delete':
          event.preventDefault();
          panel.current?.reject();
          return;
        case '/':
          event.preventDefault();
          document.getElementById(searchId)?.focus();
          return;
        case '?':
          event.preventDefault();
          setHelp((open) => !open);
          return;
        default:
          return;
      }
    };
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => keys.current(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  const total = lines.data?.total;
  return (
    <section
      className="panel recon-workspace-panel"
      aria-labelledby={`${id}-title`}
      data-testid="recon-workspace"
    >
      <div className="panel__header">
        <h2 id={`${id}-title`}>
          {t('reconciliation.workspace.title')}
          {total !== undefined && (
            <span className="heading-count" data-testid="recon-lines-total" data-total={total}>
              {t('reconciliation.lines.total', { count: total })}
            </span>
          )}
        </h2>
        <button
          type="button"
          className="button button--small"
          aria-expanded={help}
          aria-keyshortcuts="?"
          data-testid="recon-shortcuts-toggle"
          onClick={() => setHelp((open) => !open)}
        >
          {t('reconciliation.shortcuts.toggle')}
        </button>
      </div>
      {help && (
        <div className="panel panel--inset recon-shortcuts" data-testid="recon-shortcuts">
          <h3>{t('reconciliation.shortcuts.title')}</h3>
          <dl className="details">
            {SHORTCUTS.map((shortcut) => (
              <div key={shortcut.action} className="recon-shortcuts__row">
                <dt>
                  {shortcut.keys.map((key, index) =>
                    key === '…' ? (
                      <span key={index}> … </span>
                    ) : (
                      <kbd key={index}>{key in NAMED_KEYS ? t(NAMED_KEYS[key]) : key}</kbd>
                    ),
                  )}
                </dt>
                <dd>{t(`reconciliation.shortcuts.${shortcut.action}`)}</dd>
              </div>
            ))}
          </dl>
          <p className="muted">{t('reconciliation.shortcuts.typing')}</p>
        </div>
      )}
      <form
        className="filter-bar"
        role="search"
        aria-label={t('reconciliation.filters.label')}
        onSubmit={(event) => event.preventDefault()}
      >
        <label className="field filter-bar__search">
          <span>{t('reconciliation.filters.q')}</span>
          <DebouncedInput
            id={searchId}
            type="search"
            value={filters.q}
            maxLength={100}
            placeholder={t('reconciliation.filters.qPlaceholder')}
            aria-keyshortcuts="/"
            data-testid="recon-filter-q"
            onChange={(next) => setFilter('q', next.trim())}
          />
        </label>
        <label className="field">
          <span>{t('reconciliation.filters.status')}</span>
          <select
            value={filters.status}
            data-testid="recon-filter-status"
            onChange={(event) => setFilter('status', event.target.value)}
          >
            {WORKSPACE_STATUSES.map((option) => (
              <option key={option} value={option}>
                {t(`reconciliation.filters.statuses.${option}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('reconciliation.filters.suggestions')}</span>
          <select
            value={filters.suggestions}
            data-testid="recon-filter-suggestions"
            onChange={(event) => setFilter('suggestions', event.target.value)}
          >
            {WORKSPACE_SUGGESTIONS.map((option) => (
              <option key={option} value={option}>
                {t(`reconciliation.filters.suggestionOptions.${option}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('reconciliation.filters.direction')}</span>
          <select
            value={filters.direction}
            data-testid="recon-filter-direction"
            onChange={(event) => setFilter('direction', event.target.value)}
          >
            {WORKSPACE_DIRECTIONS.map((option) => (
              <option key={option} value={option}>
                {t(`reconciliation.filters.directions.${option}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('reconciliation.filters.from')}</span>
          <input
            type="date"
            value={filters.from}
            max={filters.to || undefined}
            data-testid="recon-filter-from"
            onChange={(event) => setFilter('from', event.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('reconciliation.filters.to')}</span>
          <input
            type="date"
            value={filters.to}
            min={filters.from || undefined}
            data-testid="recon-filter-to"
            onChange={(event) => setFilter('to', event.target.value)}
          />
        </label>
        {filtered && (
          <div className="filter-bar__actions">
            <button
              type="button"
              className="button button--small"
              data-testid="recon-filter-reset"
              onClick={resetFilters}
            >
              {t('reconciliation.filters.reset')}
            </button>
          </div>
        )}
      </form>
      {feedback && (
        <Alert kind="success">
          <span data-testid={feedback.testId}>{feedback.text}</span>
          <button type="button" className="button button--small" onClick={() => setFeedback(null)}>
            {t('reconciliation.run.dismiss')}
          </button>
        </Alert>
      )}
      <ResourceState resource={lines} />
      {lines.data?.items.length === 0 && (
        <EmptyState>
          <span data-testid="recon-lines-empty">
            {filtered
              ? t('reconciliation.workspace.noMatch')
              : filters.status === 'unmatched'
                ? t('reconciliation.workspace.allDone')
                : t('reconciliation.lines.empty')}
          </span>
        </EmptyState>
      )}
      {items.length > 0 && (
        <div className="recon-workspace">
          <div className="recon-workspace__lines">
            <ol
              ref={list}
              className="recon-lines"
              role="listbox"
              tabIndex={0}
              aria-label={t('reconciliation.workspace.lines')}
              aria-activedescendant={selected ? `${id}-line-${selected.id}` : undefined}
              data-testid="recon-lines"
            >
              {items.map((line) => (
                <LineItem
                  key={line.id}
                  id={`${id}-line-${line.id}`}
                  line={line}
                  selected={line.id === selected?.id}
                  day={day}
                  onSelect={() => setSelectedId(line.id)}
                />
              ))}
            </ol>
            {lines.data && <Pagination page={lines.data} onChange={lines.setOffset} />}
          </div>
          <div className="recon-workspace__panel">
            {selected && (
              <LinePanel
                key={selected.id}
                ref={panel}
                account={account}
                line={selected}
                chart={chart}
                canMatch={canMatch}
                canConfigure={canConfigure}
                onDone={done}
                onChanged={changed}
              />
            )}
          </div>
        </div>
      )}
    </section>
  );
}

/** A statement line in the list: day, label, counterparty, amount, and where it stands. */
function LineItem({
  id,
  line,
  selected,
  day,
  onSelect,
}: {
  id: string;
  line: WorkspaceLineView;
  selected: boolean;
  day: (value: string | null) => string;
  onSelect: () => void;
}) {
  const { t } = useTranslation();
  const best = line.suggestions[0];
  const credit = line.amountCents >= 0;
  return (
    <li
      id={id}
      role="option"
      aria-selected={selected}
      className={`recon-line${selected ? ' recon-line--selected' : ''}`}
      data-testid={lineTestId(line)}
      data-line-id={line.id}
      data-status={line.status}
      data-letter={line.letter ?? ''}
      data-suggestions={line.suggestions.length}
      onClick={onSelect}
    >
      <span className="recon-line__date nowrap">{day(line.bookingDate)}</span>
      <span className="recon-line__label">
        <span data-testid="recon-row-label">{line.label}</span>
        {(line.counterpartyName ?? line.bankReference) && (
          <span className="cell-note">
            {[line.counterpartyName, line.bankReference].filter(Boolean).join(' · ')}
          </span>
        )}
      </span>
      <span
        className={`recon-line__amount numeric nowrap amount ${credit ? 'amount--credit' : 'amount--debit'}`}
        data-testid="recon-row-amount"
        title={credit ? t('reconciliation.lines.credit') : t('reconciliation.lines.debit')}
      >
        {signedMoney(line.amountCents, line.currency)}
      </span>
      <span className="recon-line__state">
        {line.status === 'matched' && line.letter ? (
          <span
            className="badge badge--success recon-letter"
            title={t('reconciliation.lines.letterTitle', { letter: line.letter })}
            data-testid="recon-row-letter"
          >
            {line.letter}
          </span>
        ) : line.status === 'unmatched' && best ? (
          <span
            className="badge badge--accent"
            data-testid="recon-row-suggestion"
            data-type={best.type}
          >
            {best.type === 'match'
              ? t('reconciliation.lines.bestScore', { score: best.score })
              : best.type === 'expected'
                ? t('reconciliation.lines.expectedHint', { score: best.score })
                : best.type === 'rule'
                  ? t('reconciliation.lines.ruleHint', { account: best.accountNumber })
                  : t('reconciliation.lines.learnedHint', { account: best.accountNumber })}
          </span>
        ) : (
          <BankLineStatusBadge status={line.status} />
        )}
      </span>
    </li>
  );
}
