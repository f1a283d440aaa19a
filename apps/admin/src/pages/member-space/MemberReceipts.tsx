import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReceiptView } from '@ruche/contracts';
import { memberSpaceApi } from '../../api/memberSpace';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { errorMessage } from '../../i18n/messages';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { ReceiptStatusBadge } from '../receipts/ReceiptBadges';

type ReceiptsState =
  | { kind: 'loading' }
  | { kind: 'ready'; receipts: ReceiptView[] }
  | { kind: 'error'; error: unknown };

/** "Mes reçus fiscaux": the member's fiscal receipts, each to download as a PDF. */
export function MemberReceipts({ onFailure }: { onFailure: (error: unknown) => boolean }) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const [state, setState] = useState<ReceiptsState>({ kind: 'loading' });
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: 'loading' });
    memberSpaceApi.receipts(controller.signal).then(
      (receipts) => {
        if (!controller.signal.aborted) setState({ kind: 'ready', receipts });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (!onFailure(error)) setState({ kind: 'error', error });
      },
    );
    return () => controller.abort();
  }, [onFailure, version]);

  return (
    <section
      className="panel"
      aria-labelledby="member-receipts-title"
      data-testid="member-receipts"
    >
      <h2 id="member-receipts-title">{t('memberSpace.account.receipts.title')}</h2>
      <p className="muted">{t('memberSpace.account.receipts.intro')}</p>
      {state.kind === 'loading' && <Loading />}
      {state.kind === 'error' && (
        <ErrorState
          message={errorMessage(t, state.error)}
          onRetry={() => setVersion((value) => value + 1)}
        />
      )}
      {state.kind === 'ready' && state.receipts.length === 0 && (
        <EmptyState>{t('memberSpace.account.receipts.empty')}</EmptyState>
      )}
      {state.kind === 'ready' && state.receipts.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="member-receipts-table">
            <caption className="visually-hidden">{t('memberSpace.account.receipts.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('memberSpace.account.receipts.columns.reference')}</th>
                <th scope="col">{t('memberSpace.account.receipts.columns.issuedOn')}</th>
                <th scope="col">{t('memberSpace.account.receipts.columns.kind')}</th>
                <th scope="col" className="numeric">
                  {t('memberSpace.account.receipts.columns.amount')}
                </th>
                <th scope="col">{t('memberSpace.account.receipts.columns.status')}</th>
                <th scope="col">{t('memberSpace.account.receipts.columns.pdf')}</th>
              </tr>
            </thead>
            <tbody>
              {state.receipts.map((receipt) => (
                <tr
                  key={receipt.id}
                  data-testid="member-receipt-row"
                  data-receipt-id={receipt.id}
                  data-status={receipt.status}
                >
                  <td className="nowrap">{receipt.reference}</td>
                  <td className="nowrap">{day(receipt.issuedOn)}</td>
                  <td>
                    {receipt.kind === 'annual'
                      ? t('memberSpace.account.receipts.annual', { year: receipt.year })
                      : t('receipts.kinds.single')}
                  </td>
                  <td className="numeric nowrap">
                    {formatMoney(receipt.amountCents, receipt.currency)}
                  </td>
                  <td>
                    <ReceiptStatusBadge status={receipt.status} />
                    {receipt.replacedByReference && (
                      <span className="cell-note">
                        {t('receipts.register.replacedBy', {
                          reference: receipt.replacedByReference,
                        })}
                      </span>
                    )}
                  </td>
                  <td>
                    <a
                      className="button button--small"
                      href={memberSpaceApi.receiptPdfUrl(receipt.id)}
                      download
                      aria-label={t('memberSpace.account.receipts.downloadOf', {
                        reference: receipt.reference,
                      })}
                      data-testid="member-receipt-pdf"
                    >
                      {t('memberSpace.account.receipts.download')}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
