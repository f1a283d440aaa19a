import type { Locale } from '@ruche/contracts';
import { escapeHtml, type RenderedEmail } from '@ruche/organizations';

export interface ReceiptEmailVars {
  donorName: string;
  organizationName: string;
  reference: string;
  amount: string;
  annual: boolean;
  year: number;
  /** The receipt this one cancels and replaces, if any. */
  replacesReference: string | null;
}

function render(subject: string, lines: string[]): RenderedEmail {
  const html = `<!doctype html><html><body style="font-family:sans-serif;color:#1f2937">
<h2>${escapeHtml(subject)}</h2>
${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
</body></html>`;
  return { subject, html, text: `${lines.join('\n\n')}\n` };
}

/** The fiscal receipt, attached as a PDF. */
export function receiptEmail(locale: Locale, v: ReceiptEmailVars): RenderedEmail {
  if (locale === 'en') {
    return render(`Your tax receipt ${v.reference} from ${v.organizationName}`, [
      `Hello ${v.donorName},`,
      v.annual
        ? `Thank you for your gifts in ${v.year}. Your annual tax receipt n° ${v.reference} (${v.amount}) is attached.`
        : `Thank you for your gift. Your tax receipt n° ${v.reference} (${v.amount}) is attached.`,
      ...(v.replacesReference
        ? [
            `It cancels and replaces receipt n° ${v.replacesReference}. If you already used that receipt in a tax return, please correct it.`,
          ]
        : []),
      'Keep it with your tax documents: it gives right to the tax reduction for gifts (form 2042-RICI).',
    ]);
  }
  return render(`Votre reçu fiscal n° ${v.reference} – ${v.organizationName}`, [
    `Bonjour ${v.donorName},`,
    v.annual
      ? `Merci pour vos dons de ${v.year}. Vous trouverez ci-joint votre reçu fiscal récapitulatif n° ${v.reference} (${v.amount}).`
      : `Merci pour votre don. Vous trouverez ci-joint votre reçu fiscal n° ${v.reference} (${v.amount}).`,
    ...(v.replacesReference
      ? [
          `Il annule et remplace le reçu n° ${v.replacesReference}. Si vous l’avez déjà utilisé dans une déclaration de revenus, pensez à la corriger.`,
        ]
      : []),
    'Conservez-le avec vos documents fiscaux : il ouvre droit à la réduction d’impôt pour les dons (déclaration 2042-RICI).',
  ]);
}

export interface ReceiptCancelledVars {
  donorName: string;
  organizationName: string;
  reference: string;
  reason: string;
}

/** A receipt cancelled without replacement (refund, error): the donor is told. */
export function receiptCancelledEmail(locale: Locale, v: ReceiptCancelledVars): RenderedEmail {
  if (locale === 'en') {
    return render(`Tax receipt ${v.reference} from ${v.organizationName} is cancelled`, [
      `Hello ${v.donorName},`,
      `Tax receipt n° ${v.reference} is cancelled (${v.reason}). Please do not use it; if you already did in a tax return, correct it.`,
    ]);
  }
  return render(`Annulation du reçu fiscal n° ${v.reference} – ${v.organizationName}`, [
    `Bonjour ${v.donorName},`,
    `Le reçu fiscal n° ${v.reference} est annulé (${v.reason}). Merci de ne pas l’utiliser ; si vous l’avez déjà fait dans une déclaration de revenus, pensez à la corriger.`,
  ]);
}
