import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TransferInstructionsView } from '@ruche/contracts';
import { CopyButton } from '../../components/CopyButton';
import { formatMoney } from '../accounting/money';
import { formatIban } from '../reconciliation/bankFormat';

interface TransferPanelProps {
  transfer: TransferInstructionsView;
  /**
   * Starts every test id: `join` gives `join-transfer-panel`, `join-transfer-iban`,
   * `join-transfer-reference`… (one page, one prefix).
   */
  testIdPrefix: string;
  /** The heading ("Merci ! Il ne reste plus qu’à faire votre virement"). */
  title: string;
  /** What was recorded and what to do, with the amount (see `transferAmount`). */
  intro: string;
  /** Why the reference matters and what happens when the transfer arrives. */
  explanation: string;
  /** What follows the explanation (a link to the member space…). */
  children?: ReactNode;
}

/** The amount of a transfer as the panel shows it ("50,00 €"), for the page's `intro`. */
export const transferAmount = (transfer: TransferInstructionsView): string =>
  formatMoney(transfer.amountCents, transfer.currency);

/**
 * After a public form paid by transfer (a join, a gift): the account (holder, IBAN by groups of 4,
 * BIC), the amount and the reference to type in the transfer, large with a copy button, and why
 * it matters. It replaces the form: it takes the focus, so screen readers say it.
 */
export function TransferPanel({
  transfer,
  testIdPrefix,
  title,
  intro,
  explanation,
  children,
}: TransferPanelProps) {
  const { t } = useTranslation();
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const testId = (name: string) => `${testIdPrefix}-transfer-${name}`;

  // The form is gone: bring the instructions into view and say them to screen readers.
  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus({ preventScroll: true });
  }, []);

  return (
    <section
      className="panel join-transfer"
      aria-labelledby={`${id}-title`}
      data-testid={testId('panel')}
    >
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {title}
      </h2>
      <p>{intro}</p>
      <dl className="details join-transfer__details">
        <dt>{t('join.transfer.holder')}</dt>
        <dd data-testid={testId('holder')}>{transfer.holder}</dd>
        <dt>{t('join.transfer.iban')}</dt>
        <dd className="join-transfer__value">
          <span className="join-transfer__iban" data-testid={testId('iban')}>
            {formatIban(transfer.iban)}
          </span>
          <CopyButton
            value={transfer.iban.replace(/\s+/g, '')}
            label={t('join.transfer.copyIban')}
            testId={testId('iban-copy')}
          />
        </dd>
        {transfer.bic && (
          <>
            <dt>{t('join.transfer.bic')}</dt>
            <dd className="join-transfer__iban" data-testid={testId('bic')}>
              {transfer.bic}
            </dd>
          </>
        )}
        <dt>{t('join.transfer.amount')}</dt>
        <dd>
          <strong data-testid={testId('amount')} data-cents={transfer.amountCents}>
            {transferAmount(transfer)}
          </strong>
        </dd>
      </dl>
      <div className="join-transfer__reference-box">
        <p className="join-transfer__reference-label">{t('join.transfer.reference')}</p>
        <div className="join-transfer__value">
          <p className="join-transfer__reference" data-testid={testId('reference')}>
            {transfer.reference}
          </p>
          <CopyButton
            value={transfer.reference}
            label={t('join.transfer.copyReference')}
            testId={testId('reference-copy')}
          />
        </div>
      </div>
      <p data-testid={testId('explanation')}>{explanation}</p>
      {children}
    </section>
  );
}
