import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { accountingApi } from '../../../api/accounting';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { FeedbackAlert } from '../../../components/FeedbackAlert';
import { ResourceState } from '../../../components/ResourceState';
import { useAction } from '../../../components/useAction';
import { formatMoney, today, useDayFormatter } from '../money';
import { EntryAttachments } from './EntryAttachments';
import { EntryStatusBadge } from './EntryStatusBadge';

export function EntryDetailPage() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { entryId = '' } = useParams();
  const entry = useResource(`accounting:entry:${organization.id}:${entryId}`, (signal) =>
    accountingApi.entry(organization.id, entryId, signal),
  );
  const { pending, feedback, run } = useAction();
  const [reverseDate, setReverseDate] = useState<string | null>(null);
  const canWrite = organization.can('accounting.write');
  const back = `..${params.size > 0 ? `?${params.toString()}` : ''}`;
  const data = entry.data;

  const post = async () => {
    await run(
      'post',
      () => accountingApi.postEntry(organization.id, entryId),
      t('accounting.entries.posted'),
    );
    entry.reload();
  };

  const remove = async () => {
    if (!window.confirm(t('accounting.entries.confirmDelete'))) return;
    const done = await run('delete', () => accountingApi.deleteEntry(organization.id, entryId));
    if (done) void navigate(back, { relative: 'path' });
  };

  const reverse = async () => {
    if (!reverseDate) return;
    const done = await run(
      'reverse',
      () => accountingApi.reverseEntry(organization.id, entryId, { date: reverseDate }),
      t('accounting.entries.reversedDone'),
    );
    if (done) setReverseDate(null);
    entry.reload();
  };

  const totalDebit = data?.lines.reduce((sum, line) => sum + line.debitCents, 0) ?? 0;
  const totalCredit = data?.lines.reduce((sum, line) => sum + line.creditCents, 0) ?? 0;

  return (
    <section aria-labelledby="entry-title">
      <p>
        <Link to={back} relative="path">
          ← {t('accounting.entries.backToList')}
        </Link>
      </p>
      <ResourceState resource={entry} />
      {data && (
        <>
          <div className="panel__header">
            <h2 id="entry-title">
              {data.number !== null
                ? t('accounting.entries.titleNumber', { number: data.number })
                : t('accounting.entries.titleDraft')}{' '}
              <EntryStatusBadge entry={data} />
            </h2>
            {canWrite && (
              <div className="form-actions">
                {data.status === 'draft' && (
                  <>
                    <Link to="edit" className="button" data-testid="entry-edit">
                      {t('accounting.entries.edit')}
                    </Link>
                    <button
                      type="button"
                      className="button button--primary"
                      disabled={pending !== null}
                      data-testid="entry-validate"
                      onClick={() => void post()}
                    >
                      {t('accounting.entries.validate')}
                    </button>
                    <button
                      type="button"
                      className="button button--danger"
                      disabled={pending !== null}
                      data-testid="entry-delete"
                      onClick={() => void remove()}
                    >
                      {t('accounting.entries.delete')}
                    </button>
                  </>
                )}
                {data.status === 'posted' && !data.reversedById && reverseDate === null && (
                  <button
                    type="button"
                    className="button"
                    data-testid="entry-reverse"
                    onClick={() => setReverseDate(today())}
                  >
                    {t('accounting.entries.reverse')}
                  </button>
                )}
              </div>
            )}
          </div>
          <FeedbackAlert feedback={feedback} />
          {reverseDate !== null && (
            <form
              className="form-row panel"
              onSubmit={(event) => {
                event.preventDefault();
                void reverse();
              }}
            >
              <label className="field">
                <span>{t('accounting.entries.reverseDate')}</span>
                <input
                  type="date"
                  required
                  value={reverseDate}
                  data-testid="entry-reverse-date"
                  onChange={(event) => setReverseDate(event.target.value)}
                />
              </label>
              <button
                type="submit"
                className="button button--primary"
                disabled={pending !== null}
                data-testid="entry-reverse-confirm"
              >
                {t('accounting.entries.reverseConfirm')}
              </button>
              <button type="button" className="button" onClick={() => setReverseDate(null)}>
                {t('common.cancel')}
              </button>
            </form>
          )}
          <dl className="details">
            <dt>{t('accounting.entries.columns.date')}</dt>
            <dd>{day(data.date)}</dd>
            <dt>{t('accounting.entries.columns.journal')}</dt>
            <dd>{data.journalCode}</dd>
            <dt>{t('accounting.entries.columns.label')}</dt>
            <dd>{data.label}</dd>
            <dt>{t('accounting.entries.columns.piece')}</dt>
            <dd>
              {data.pieceRef ?? t('common.none')}
              {data.pieceDate && ` (${day(data.pieceDate)})`}
            </dd>
            {data.source && (
              <>
                <dt>{t('accounting.entries.source')}</dt>
                <dd>
                  <code>{data.source}</code>
                </dd>
              </>
            )}
            {data.reversalOfId && (
              <>
                <dt>{t('accounting.entries.reversalOf')}</dt>
                <dd>
                  <Link to={`../${data.reversalOfId}`} relative="path">
                    {t('accounting.entries.openEntry')}
                  </Link>
                </dd>
              </>
            )}
            {data.reversedById && (
              <>
                <dt>{t('accounting.entries.reversedBy')}</dt>
                <dd>
                  <Link to={`../${data.reversedById}`} relative="path">
                    {t('accounting.entries.openEntry')}
                  </Link>
                </dd>
              </>
            )}
          </dl>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('accounting.lines.account')}</th>
                  <th scope="col" className="numeric">
                    {t('accounting.lines.debit')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('accounting.lines.credit')}
                  </th>
                  <th scope="col">{t('accounting.lines.label')}</th>
                  <th scope="col">{t('accounting.lines.analytic')}</th>
                  <th scope="col">{t('accounting.lines.counterparty')}</th>
                </tr>
              </thead>
              <tbody>
                {data.lines.map((line) => (
                  <tr key={line.lineNo} data-testid="entry-line">
                    <td>
                      <strong>{line.accountNumber}</strong> {line.accountLabel}
                    </td>
                    <td className="numeric nowrap">
                      {line.debitCents > 0 ? formatMoney(line.debitCents, data.currency) : ''}
                    </td>
                    <td className="numeric nowrap">
                      {line.creditCents > 0 ? formatMoney(line.creditCents, data.currency) : ''}
                    </td>
                    <td>{line.label ?? ''}</td>
                    <td>{line.analytic ?? ''}</td>
                    <td>
                      {line.counterpartyRef ?? ''}
                      {line.counterpartyLabel && (
                        <span className="cell-note">{line.counterpartyLabel}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr className="table__total">
                  <th scope="row">{t('accounting.lines.totals')}</th>
                  <td className="numeric nowrap">{formatMoney(totalDebit, data.currency)}</td>
                  <td className="numeric nowrap">{formatMoney(totalCredit, data.currency)}</td>
                  <td colSpan={3} />
                </tr>
              </tfoot>
            </table>
          </div>
          <EntryAttachments entry={data} />
        </>
      )}
    </section>
  );
}
