import { Fragment } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { accountingApi, accountingDownloads, type ReportPeriod } from '../../../api/accounting';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { EmptyState } from '../../../components/EmptyState';
import { ResourceState } from '../../../components/ResourceState';
import { formatMoney, useDayFormatter } from '../money';
import { useJournals } from '../useAccountingLists';

interface JournalListingSectionProps {
  period: ReportPeriod;
  /** A journal code, or empty for every journal. */
  journal: string;
  onJournalChange: (journal: string) => void;
}

/** Journal (journal général): the entries of the period journal by journal, with totals. */
export function JournalListingSection({
  period,
  journal,
  onJournalChange,
}: JournalListingSectionProps) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const journals = useJournals();

  return (
    <section className="panel" aria-labelledby="journal-listing-title">
      <div className="panel__header">
        <h2 id="journal-listing-title">{t('accounting.reports.journal.title')}</h2>
        <a
          className="button"
          href={accountingDownloads.journalListingCsv(organization.id, period, journal)}
          download
          data-testid="journal-listing-csv"
        >
          {t('accounting.reports.downloadCsv')}
        </a>
        <a
          className="button"
          href={accountingDownloads.journalListingCsv(organization.id, period, journal, 'pdf')}
          download
          data-testid="journal-listing-pdf"
        >
          {t('accounting.reports.downloadPdf')}
        </a>
      </div>
      <form
        className="filter-bar"
        role="search"
        aria-label={t('accounting.reports.journal.title')}
        onSubmit={(event) => event.preventDefault()}
      >
        <label className="field">
          <span>{t('accounting.reports.journal.journal')}</span>
          <select
            value={journal}
            data-testid="journal-listing-filter"
            onChange={(event) => onJournalChange(event.target.value)}
          >
            <option value="">{t('accounting.reports.journal.all')}</option>
            {(journals.data ?? []).map((candidate) => (
              <option key={candidate.id} value={candidate.code}>
                {candidate.code} – {candidate.label}
              </option>
            ))}
          </select>
        </label>
      </form>
      <JournalListingTable period={period} journal={journal} />
    </section>
  );
}

function JournalListingTable({ period, journal }: { period: ReportPeriod; journal: string }) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const key = `accounting:journal-listing:${organization.id}:${JSON.stringify(period)}:${journal}`;
  const listing = useResource(key, (signal) =>
    accountingApi.journalListing(organization.id, period, journal, signal),
  );
  const data = listing.data;
  const money = (cents: number) => formatMoney(cents, data?.currency ?? 'EUR');
  const side = (cents: number) => (cents === 0 ? '' : money(cents));

  return (
    <>
      <ResourceState resource={listing} />
      {data?.journals.length === 0 && (
        <EmptyState>{t('accounting.reports.journal.empty')}</EmptyState>
      )}
      {data && data.journals.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="journal-listing">
            <thead>
              <tr>
                <th scope="col">{t('accounting.reports.columns.date')}</th>
                <th scope="col">{t('accounting.reports.columns.number')}</th>
                <th scope="col">{t('accounting.reports.columns.piece')}</th>
                <th scope="col">{t('accounting.reports.columns.account')}</th>
                <th scope="col">{t('accounting.reports.columns.label')}</th>
                <th scope="col" className="numeric">
                  {t('accounting.reports.columns.debit')}
                </th>
                <th scope="col" className="numeric">
                  {t('accounting.reports.columns.credit')}
                </th>
              </tr>
            </thead>
            {data.journals.map((listed) => (
              <tbody
                key={listed.journalCode}
                data-testid="journal-listing-journal"
                data-journal={listed.journalCode}
              >
                <tr>
                  <th scope="rowgroup" colSpan={7}>
                    {listed.journalCode} – {listed.journalLabel}
                  </th>
                </tr>
                {listed.entries.map((entry) => (
                  <Fragment key={entry.entryId}>
                    {entry.lines.map((line, index) => (
                      <tr key={index} data-testid="journal-listing-line">
                        <td className="nowrap">{index === 0 ? day(entry.date) : ''}</td>
                        <td>
                          {index === 0 && (
                            <Link to={`../entries/${entry.entryId}`}>{entry.number}</Link>
                          )}
                        </td>
                        <td>{index === 0 ? (entry.pieceRef ?? t('common.none')) : ''}</td>
                        <td>{line.accountNumber}</td>
                        <td>{line.label ?? (index === 0 ? entry.label : line.accountLabel)}</td>
                        <td className="numeric nowrap">{side(line.debitCents)}</td>
                        <td className="numeric nowrap">{side(line.creditCents)}</td>
                      </tr>
                    ))}
                  </Fragment>
                ))}
                <tr className="table__total">
                  <th scope="row" colSpan={5}>
                    {t('accounting.reports.journal.journalTotal', { code: listed.journalCode })}
                  </th>
                  <td className="numeric nowrap">{money(listed.debitCents)}</td>
                  <td className="numeric nowrap">{money(listed.creditCents)}</td>
                </tr>
              </tbody>
            ))}
            <tfoot>
              <tr className="table__total">
                <th scope="row" colSpan={5}>
                  {t('accounting.reports.journal.total')}
                </th>
                <td className="numeric nowrap">{money(data.totals.debitCents)}</td>
                <td className="numeric nowrap">{money(data.totals.creditCents)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </>
  );
}
