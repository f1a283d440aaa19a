import { useRef, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { StatementImportView } from '@ruche/contracts';
import { accountingApi } from '../../api/accounting';
import { reconciliationApi } from '../../api/reconciliation';
import { useResource } from '../../api/useResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { Alert } from '../../components/Alert';
import { Badge } from '../../components/Badge';
import { ResourceState } from '../../components/ResourceState';
import { useFormatters } from '../../i18n/format';
import { errorMessage } from '../../i18n/messages';
import {
  RECONCILIATION_CONFIGURE_PERMISSION,
  RECONCILIATION_IMPORT_PERMISSION,
  RECONCILIATION_MATCH_PERMISSION,
} from '../../layout/navigation';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { BalanceCheck, useBalanceCheck } from './BalanceCheck';
import { BankStatements } from './BankStatements';
import { formatIban } from './bankFormat';
import { TransfersBadge } from './TransfersBadge';
import { CsvMappingEditor } from './CsvMappingEditor';
import { MatchHistory, useMatchHistory } from './MatchHistory';
import { RunProgress } from './RunProgress';
import { StatementImport, type StatementImportHandle } from './StatementImport';
import { useBankAccounts } from './useBankAccounts';
import { runInProgress, useReconciliationRun } from './useReconciliationRun';
import { useWorkspaceLines } from './workspace/useWorkspaceLines';
import { Workspace } from './workspace/Workspace';

/** Where the automatic pass shown was started: by an import (shown with it) or by the button. */
type RunOrigin = 'import' | 'page';

/** The accounts a line may be posted to: active, detailed, not a bank account (empty when unknown). */
function useChartForEntries(enabled: boolean) {
  const organization = useCurrentOrganization();
  const chart = useResource(`recon-chart:${organization.id}:${enabled}`, (signal) =>
    enabled ? accountingApi.accounts(organization.id, signal) : Promise.resolve([]),
  );
  return (chart.data ?? []).filter(
    (account) => account.active && account.number.length >= 3 && !account.number.startsWith('512'),
  );
}

/**
 * `reconciliation/accounts/:bankAccountId`: a bank account: its details and actions, the
 * reconciliation workspace (its lines, their suggestions, matching), "Importer un relevé" with the
 * automatic pass it starts, the balance check (état de rapprochement), the CSV format, the
 * matches made and the statements imported.
 */
export function BankAccountPage() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const canMatch = organization.can(RECONCILIATION_MATCH_PERMISSION);
  const canImport = organization.can(RECONCILIATION_IMPORT_PERMISSION);
  const canConfigure = organization.can(RECONCILIATION_CONFIGURE_PERMISSION);
  const { bankAccountId = '' } = useParams();
  const accounts = useBankAccounts();
  const account = accounts.data?.find((candidate) => candidate.id === bankAccountId);
  const statements = useResource(`bank-statements:${organization.id}:${bankAccountId}`, (signal) =>
    reconciliationApi.statements(organization.id, bankAccountId, signal),
  );
  const queue = useWorkspaceLines(bankAccountId);
  const balance = useBalanceCheck(bankAccountId);
  const history = useMatchHistory(bankAccountId);
  const chart = useChartForEntries(canMatch && organization.can('accounting.read'));
  const importer = useRef<StatementImportHandle>(null);
  const csvPanel = useRef<HTMLDivElement>(null);
  const [csv, setCsv] = useState<{ file: File | null; fromImport: boolean; key: number } | null>(
    null,
  );
  const [runOrigin, setRunOrigin] = useState<RunOrigin>('page');
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const base = `/orgs/${organization.id}/reconciliation`;

  /** What a match, an import or a run changes: the counts, the lines, the balance, the matches. */
  const changed = () => {
    accounts.reload();
    queue.lines.reload();
    balance.balance.reload();
    history.matches.reload();
  };
  const refresh = () => {
    changed();
    statements.reload();
  };
  const run = useReconciliationRun(bankAccountId, changed);

  const imported = (result: StatementImportView) => {
    refresh();
    if (result.run) {
      setRunOrigin('import');
      run.follow(result.run);
    }
  };

  const startRun = async () => {
    setStarting(true);
    setStartError(null);
    try {
      const started = await reconciliationApi.startRun(organization.id, bankAccountId);
      setRunOrigin('page');
      run.follow(started);
    } catch (error) {
      setStartError(errorMessage(t, error));
    } finally {
      setStarting(false);
    }
  };

  const openCsv = (file: File | null, fromImport: boolean) => {
    setCsv({ file, fromImport, key: Date.now() });
    window.setTimeout(() => csvPanel.current?.scrollIntoView({ block: 'start' }), 0);
  };

  const row = (label: string, value: ReactNode, testId?: string) => (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </>
  );

  const running = run.run !== null && runInProgress(run.run);
  const progress = run.run && (
    <RunProgress run={run.run} pollError={run.pollError} onDismiss={run.dismiss} />
  );

  return (
    <>
      <section
        className="panel"
        aria-labelledby="bank-account-title"
        data-testid="bank-account-detail"
      >
        <p>
          <Link to={base} data-testid="bank-account-back">
            ← {t('reconciliation.account.backToList')}
          </Link>
        </p>
        <ResourceState resource={accounts} />
        {accounts.data && !account && (
          <Alert kind="error">
            <span data-testid="bank-account-not-found">{t('reconciliation.account.notFound')}</span>
          </Alert>
        )}
        {account && (
          <>
            <div className="panel__header">
              <h2 id="bank-account-title" data-testid="bank-account-title">
                {account.name}{' '}
                <Badge tone={account.active ? 'success' : 'neutral'}>
                  {account.active ? t('common.active') : t('common.inactive')}
                </Badge>
                {account.acceptTransfers && (
                  <>
                    {' '}
                    <TransfersBadge />
                  </>
                )}
              </h2>
              <div className="button-row">
                <button type="button" className="button button--small" onClick={refresh}>
                  {t('reconciliation.account.refresh')}
                </button>
                {canMatch && (
                  <button
                    type="button"
                    className="button button--small"
                    disabled={starting || running}
                    aria-busy={starting}
                    data-testid="recon-run-start"
                    onClick={() => void startRun()}
                  >
                    {starting && <span className="spinner" aria-hidden="true" />}
                    {t('reconciliation.run.start')}
                  </button>
                )}
                {(canConfigure || canImport) && (
                  <button
                    type="button"
                    className="button button--small"
                    aria-expanded={csv !== null}
                    data-testid="bank-account-csv"
                    onClick={() => (csv ? setCsv(null) : openCsv(null, false))}
                  >
                    {t('reconciliation.account.csv')}
                  </button>
                )}
                {canConfigure && (
                  <Link
                    to={`${base}/accounts/${account.id}/edit`}
                    className="button button--small"
                    data-testid="bank-account-edit"
                  >
                    {t('reconciliation.account.edit')}
                  </Link>
                )}
              </div>
            </div>
            <div className="detail-columns">
              <dl className="details">
                {row(
                  t('reconciliation.account.iban'),
                  <span className="nowrap">{formatIban(account.iban)}</span>,
                  'bank-account-detail-iban',
                )}
                {row(
                  t('reconciliation.account.bic'),
                  account.bic ?? t('common.none'),
                  'bank-account-detail-bic',
                )}
                {row(
                  t('reconciliation.account.ledger'),
                  <code>{account.accountNumber}</code>,
                  'bank-account-detail-ledger',
                )}
                {row(
                  t('reconciliation.account.currency'),
                  account.currency,
                  'bank-account-detail-currency',
                )}
              </dl>
              <dl className="details">
                {row(
                  t('reconciliation.account.lastBalance'),
                  account.lastClosingBalanceCents === null ? (
                    t('reconciliation.accounts.noStatement')
                  ) : (
                    <>
                      <span className="nowrap">
                        {formatMoney(account.lastClosingBalanceCents, account.currency)}
                      </span>{' '}
                      {account.lastClosingDate &&
                        t('reconciliation.accounts.balanceOn', {
                          date: day(account.lastClosingDate),
                        })}
                    </>
                  ),
                  'bank-account-detail-balance',
                )}
                {row(
                  t('reconciliation.account.unmatched'),
                  format.number(account.unmatchedLines),
                  'bank-account-detail-unmatched',
                )}
              </dl>
            </div>
            {startError && (
              <Alert kind="error">
                <span data-testid="recon-run-start-error">{startError}</span>
              </Alert>
            )}
            {runOrigin === 'page' && progress}
          </>
        )}
      </section>
      {account && <Workspace account={account} queue={queue} chart={chart} onChanged={changed} />}
      {account && (
        <div className="recon-columns">
          {canImport && (
            <StatementImport
              ref={importer}
              account={account}
              onImported={imported}
              onCsvMappingNeeded={(file) => openCsv(file, true)}
              onSending={() => {
                // The summary of a finished pass goes; one still running stays shown.
                if (!running) run.dismiss();
              }}
              after={runOrigin === 'import' ? progress : null}
            />
          )}
          <BalanceCheck account={account} check={balance} />
        </div>
      )}
      {account && csv && (
        <div ref={csvPanel}>
          <CsvMappingEditor
            key={csv.key}
            account={account}
            initialFile={csv.file}
            fromImport={csv.fromImport}
            canConfigure={canConfigure}
            canPreview={canImport}
            onClose={() => setCsv(null)}
            onReimport={(file) => importer.current?.importFile(file)}
          />
        </div>
      )}
      {account && <MatchHistory account={account} history={history} onChanged={changed} />}
      {account && <BankStatements statements={statements} currency={account.currency} />}
    </>
  );
}
