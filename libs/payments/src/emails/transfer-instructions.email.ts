import type { Locale } from '@ruche/contracts';
import { escapeHtml, type RenderedEmail } from '@ruche/organizations';

/** How to pay by transfer: the account, the amount and the reference that names the payment. */
export function transferInstructionsEmail(
  locale: Locale,
  v: {
    contactName: string;
    organizationName: string;
    label: string;
    amount: string;
    holder: string;
    iban: string;
    bic: string | null;
    reference: string;
  },
): RenderedEmail {
  const en = locale === 'en';
  const subject = en
    ? `${v.organizationName}: how to pay “${v.label}” by transfer`
    : `${v.organizationName} : régler « ${v.label} » par virement`;
  const iban = v.iban.replace(/(.{4})/g, '$1 ').trim();
  const intro = en
    ? [
        `Hello ${v.contactName},`,
        `Thank you. To pay ${v.amount} for “${v.label}”, make a transfer to the account below and type the reference exactly as given: it is how we recognize your payment. You will receive a confirmation once it reaches our account.`,
      ]
    : [
        `Bonjour ${v.contactName},`,
        `Merci. Pour régler ${v.amount} pour « ${v.label} », faites un virement sur le compte ci-dessous en indiquant la référence telle quelle : c’est elle qui nous permet de reconnaître votre paiement. Vous recevrez une confirmation dès qu’il sera arrivé sur notre compte.`,
      ];
  const rows: [string, string][] = [
    [en ? 'Account holder' : 'Titulaire', v.holder],
    ['IBAN', iban],
    ...(v.bic ? ([['BIC', v.bic]] as [string, string][]) : []),
    [en ? 'Amount' : 'Montant', v.amount],
    [en ? 'Reference' : 'Référence', v.reference],
  ];
  const html = `<!doctype html><html><body style="font-family:sans-serif;color:#1f2937">
<h2>${escapeHtml(subject)}</h2>
${intro.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
<table style="border-collapse:collapse">${rows
    .map(
      ([k, val]) =>
        `<tr><td style="padding:4px 12px 4px 0;color:#6b7280">${escapeHtml(k)}</td><td style="padding:4px 0;font-family:monospace;font-size:15px">${escapeHtml(val)}</td></tr>`,
    )
    .join('')}</table>
</body></html>`;
  const text = `${intro.join('\n\n')}\n\n${rows.map(([k, val]) => `${k} : ${val}`).join('\n')}\n`;
  return { subject, html, text };
}
