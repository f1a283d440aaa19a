import type { Locale } from '@ruche/contracts';
import { escapeHtml, type RenderedEmail } from '@ruche/organizations';

export interface PaymentConfirmationVars {
  contactName: string;
  organizationName: string;
  planName: string;
  amount: string;
  endDate: string | null;
  memberSpaceUrl: string;
  /** A plan with counterparts: the invoice attached too. */
  invoiceReference?: string | null;
}

/** "Your membership is paid", with the attestation (and the invoice, when there is one) attached. */
export function paymentConfirmationEmail(locale: Locale, v: PaymentConfirmationVars): RenderedEmail {
  const en = locale === 'en';
  const subject = en ? `Your ${v.organizationName} membership is confirmed` : `Votre adhésion à ${v.organizationName} est confirmée`;
  const until = v.endDate ? (en ? ` It is valid until ${v.endDate}.` : ` Elle est valable jusqu’au ${v.endDate.split('-').reverse().join('/')}.`) : '';
  const lines = en
    ? [
        `Hello ${v.contactName},`,
        `We received your payment of ${v.amount} for “${v.planName}”. Thank you!${until}`,
        v.invoiceReference
          ? `Your membership certificate and your invoice ${v.invoiceReference} (paid) are attached. Your member space shows your status, your payments and your invoices.`
          : 'Your membership certificate is attached. Your member space shows your status and your payments.',
      ]
    : [
        `Bonjour ${v.contactName},`,
        `Nous avons bien reçu votre paiement de ${v.amount} pour « ${v.planName} ». Merci !${until}`,
        v.invoiceReference
          ? `Votre attestation d’adhésion et votre facture n° ${v.invoiceReference} (acquittée) sont jointes. Votre espace membre indique votre statut, vos paiements et vos factures.`
          : 'Votre attestation d’adhésion est jointe. Votre espace membre indique votre statut et vos paiements.',
      ];
  const label = en ? 'My member space' : 'Mon espace membre';
  const html = `<!doctype html><html><body style="font-family:sans-serif;color:#1f2937">
<h2>${escapeHtml(subject)}</h2>
${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
<p><a href="${escapeHtml(v.memberSpaceUrl)}">${escapeHtml(label)}</a></p>
</body></html>`;
  return { subject, html, text: `${lines.join('\n\n')}\n\n${label} : ${v.memberSpaceUrl}\n` };
}
