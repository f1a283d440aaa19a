import type { Locale } from '@ruche/contracts';
import { formatMoney } from '@ruche/core';
import { escapeHtml, type RenderedEmail } from '@ruche/organizations';

export interface TreasurerAlert {
  kind: 'dispute_opened' | 'dispute_updated' | 'payout_failed' | 'payment_failed';
  label: string;
  amountCents: number;
  currency: string;
  /** Stripe's status or failure message. */
  status: string;
  reference: string;
}

/** Tells the treasurers that money went back or did not reach the bank. */
export function renderTreasurerAlert(
  locale: Locale,
  organizationName: string,
  alert: TreasurerAlert,
): RenderedEmail {
  const en = locale === 'en';
  const amount = formatMoney(Math.abs(alert.amountCents), alert.currency, locale);
  const subjects: Record<TreasurerAlert['kind'], [string, string]> = {
    dispute_opened: [`Litige bancaire ouvert : ${amount}`, `Payment dispute opened: ${amount}`],
    dispute_updated: [
      `Litige bancaire ${alert.status} : ${amount}`,
      `Payment dispute ${alert.status}: ${amount}`,
    ],
    payout_failed: [`Virement Stripe rejeté : ${amount}`, `Stripe payout failed: ${amount}`],
    payment_failed: [`Paiement échoué : ${amount}`, `Payment failed: ${amount}`],
  };
  const subject = `${subjects[alert.kind][en ? 1 : 0]} (${organizationName})`;
  const lines = en
    ? [
        alert.kind === 'payment_failed'
          ? `The payment "${alert.label}" (${amount}) failed: ${alert.status}. The payer was told and can pay again from the member space.`
          : alert.kind === 'payout_failed'
            ? `Stripe could not send ${amount} to the bank (${alert.status}). The payout entry was reversed; the money is back on the Stripe balance.`
            : `The payer's bank disputes "${alert.label}" (${amount}). The amount and the dispute fee were withdrawn from Stripe and booked. Status: ${alert.status}.`,
        `Reference: ${alert.reference}. Answer the dispute from your Stripe dashboard before its deadline.`,
      ]
    : [
        alert.kind === 'payment_failed'
          ? `Le paiement « ${alert.label} » (${amount}) a échoué : ${alert.status}. Le payeur a été prévenu et peut payer à nouveau depuis son espace membre.`
          : alert.kind === 'payout_failed'
            ? `Stripe n’a pas pu virer ${amount} à la banque (${alert.status}). L’écriture du virement a été contrepassée ; l’argent est revenu sur le solde Stripe.`
            : `La banque du payeur conteste « ${alert.label} » (${amount}). Le montant et les frais de litige ont été prélevés par Stripe et comptabilisés. Statut : ${alert.status}.`,
        `Référence : ${alert.reference}. Répondez au litige depuis votre tableau de bord Stripe avant son échéance.`,
      ];
  const html = `<!doctype html><html><body style="font-family:sans-serif;color:#1f2937">
<h2>${escapeHtml(subject)}</h2>
${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
</body></html>`;
  return { subject, html, text: `${lines.join('\n\n')}\n` };
}
