import type { Locale } from '@ruche/contracts';
import { escapeHtml, type RenderedEmail } from '@ruche/organizations';

/** Tells the payer that the money did not come (a SEPA debit refused by the bank...). */
export function paymentFailedEmail(
  locale: Locale,
  v: {
    contactName: string;
    organizationName: string;
    label: string;
    amount: string;
    reason: string | null;
    retryUrl: string;
  },
): RenderedEmail {
  const en = locale === 'en';
  const subject = en
    ? `Your payment to ${v.organizationName} did not go through`
    : `Votre paiement à ${v.organizationName} n’a pas abouti`;
  const lines = en
    ? [
        `Hello ${v.contactName},`,
        `Your payment of ${v.amount} for “${v.label}” did not go through${v.reason ? ` (${v.reason})` : ''}.`,
        'Nothing was taken. You can pay again, with a card or another account, from your member space.',
      ]
    : [
        `Bonjour ${v.contactName},`,
        `Votre paiement de ${v.amount} pour « ${v.label} » n’a pas abouti${v.reason ? ` (${v.reason})` : ''}.`,
        'Rien n’a été prélevé. Vous pouvez payer à nouveau, par carte ou avec un autre compte, depuis votre espace membre.',
      ];
  const label = en ? 'Pay again' : 'Payer à nouveau';
  const html = `<!doctype html><html><body style="font-family:sans-serif;color:#1f2937">
<h2>${escapeHtml(subject)}</h2>
${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
<p><a href="${escapeHtml(v.retryUrl)}">${escapeHtml(label)}</a></p>
</body></html>`;
  return { subject, html, text: `${lines.join('\n\n')}\n\n${label} : ${v.retryUrl}\n` };
}
