import { Fragment, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MATCH_STATUSES, type BankAccountView, type MatchStatus } from '@ruche/contracts';
import { reconciliationApi } from '../../api/reconciliation';
import { usePagedResource } from '../../api/usePagedResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { Badge } from '../../components/Badge';
import { EmptyState } from '../../components/EmptyState';
import { Pagination } from '../../components/Pagination';
import { ResourceState } from '../../components/ResourceState';
import { useFormatters } from '../../i18n/format';
import { RECONCILIATION_MATCH_PERMISSION } from '../../layout/navigation';
import { MatchDetails } from './MatchDetails';
import { signedMoney } from './reconFormat';

/** The matches of a bank account, latest first, filtered by status; `reload` after a change. */
export function useMatchHistory(bankAccountId: string) {
  const organization = useCurrentOrganization();
  const [status, setStatus] = useState<MatchStatus | ''>('active');
  const matches = usePagedResource(
    `recon-matches:${organization.id}:${bankAccountId}:${status}`,
    (page, signal) =>
      reconciliationApi.matches(organization.id, bankAccountId, status, page, signal),
  );
  return { status, setStatus, matches };
}

/**
 * Historique des rapprochements: each match with its letter, day, kind, origin, amount and bank
 * lines; opened, its details and "Annuler le rapprochement".
 */
export function MatchHistory({
  account,
  history,
  onChanged,
}: {
  account: BankAccountView;
  history: ReturnType<typeof useMatchHistory>;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const canUndo = organization.can(RECONCILIATION_MATCH_PERMISSION);
  const id = useId();
  const { status, setStatus, matches } = history;
  const [open, setOpen] = useState<string | null>(null);

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="recon-history">
      <div className="panel__header">
        <h2 id={`${id}-title`}>
          {t('reconciliation.history.title')}
          {matches.data && (
            <span className="heading-count" data-testid="recon-history-total">
              {format.number(matches.data.total)}
            </span>
          )}
        </h2>
      </div>
      <div className="filter-bar">
        <label className="field">
          <span>{t('reconciliation.history.status')}</span>
          <select
            value={status}
            data-testid="recon-history-status"
            onChange={(event) => {
              const next = MATCH_STATUSES.find((option) => option === event.target.value);
              setStatus(next ?? '');
            }}
          >
            {MATCH_STATUSES.map((option) => (
              <option key={option} value={option}>
                {t(`reconciliation.history.statuses.${option}`)}
              </option>
            ))}
            <option value="">{t('reconciliation.history.statuses.all')}</option>
          </select>
        </label>
      </div>
      <ResourceState resource={matches} />
      {matches.data?.items.length === 0 && (
        <EmptyState>{t('reconciliation.history.empty')}</EmptyState>
      )}
      {matches.data && matches.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="recon-history-table">
            <caption className="visually-hidden">{t('reconciliation.history.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reconciliation.history.columns.letter')}</th>
                <th scope="col">{t('reconciliation.history.columns.date')}</th>
                <th scope="col">{t('reconciliation.history.columns.lines')}</th>
                <th scope="col">{t('reconciliation.history.columns.kind')}</th>
                <th scope="col" className="numeric">
                  {t('reconciliation.history.columns.amount')}
                </th>
                <th scope="col">{t('reconciliation.history.columns.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {matches.data.items.map((match) => {
                const expanded = open === match.id;
                return (
                  <Fragment key={match.id}>
                    <tr
                      data-testid="recon-history-row"
                      data-match-id={match.id}
                      data-letter={match.letter}
                      data-status={match.status}
                    >
                      <td>
                        <strong className="recon-letter">{match.letter}</strong>
                      </td>
                      <td className="nowrap">{format.dateTime(match.createdAt)}</td>
                      <td>
                        {match.bankLines.map((line) => (
                          <span key={line.id} className="recon-history__line">
                            {line.label}
                          </span>
                        ))}
                      </td>
                      <td>
                        {t(`reconciliation.kinds.${match.kind}`)}
                        <span className="cell-note">
                          {t(`reconciliation.origins.${match.origin}`)}
                        </span>
                      </td>
                      <td className="numeric nowrap">
                        {signedMoney(match.amountCents, account.currency)}
                      </td>
                      <td>
                        <Badge tone={match.status === 'active' ? 'success' : 'neutral'}>
                          {t(`reconciliation.matchStatuses.${match.status}`)}
                        </Badge>
                      </td>
                      <td className="table__actions">
                        <button
                          type="button"
                          className="button button--small"
                          aria-expanded={expanded}
                          data-testid="recon-history-open"
                          onClick={() => setOpen(expanded ? null : match.id)}
                        >
                          {expanded
                            ? t('reconciliation.history.close')
                            : t('reconciliation.history.open')}
                        </button>
                      </td>
                    </tr>
                    {expanded && (
                      <tr className="table__expansion">
                        <td colSpan={7}>
                          <MatchDetails
                            match={match}
                            currency={account.currency}
                            canUndo={canUndo}
                            showBankLines
                            onUndone={() => onChanged()}
                          />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {matches.data && <Pagination page={matches.data} onChange={matches.setOffset} />}
    </section>
  );
}
