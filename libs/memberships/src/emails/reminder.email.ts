import type { Locale } from '@ruche/contracts';
import { escapeHtml, type RenderedEmail } from '@ruche/organizations';

export interface ReminderVars {
  contactName: string;
  organizationName: string;
  organizationEmail: string | null;
  planName: string;
  endDate: string;
  offsetDays: number;
}

function day(iso: string, locale: Locale): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

function html(title: string, lines: string[]): string {
  return `<!doctype html><html><body style="font-family:sans-serif;color:#1f2937">
<h2>${escapeHtml(title)}</h2>
${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
</body></html>`;
}

/** A renewal reminder: before the end date (offset < 0) or after it (offset > 0). */
export function membershipReminderEmail(locale: Locale, v: ReminderVars): RenderedEmail {
  const before = v.offsetDays < 0;
  const end = day(v.endDate, locale);
  if (locale === 'en') {
    const subject = before ? `Your ${v.organizationName} membership ends on ${end}` : `Your ${v.organizationName} membership has expired`;
    const lines = [
      `Hello ${v.contactName},`,
      before
        ? `Your membership "${v.planName}" at ${v.organizationName} ends on ${end}. Renew it to stay a member in good standing.`
        : `Your membership "${v.planName}" at ${v.organizationName} ended on ${end}. We would be glad to count you among our members again.`,
      v.organizationEmail ? `To renew, reply to this email or write to ${v.organizationEmail}.` : 'To renew, reply to this email or come and see us.',
      `The ${v.organizationName} team`,
    ];
    return { subject, html: html(subject, lines), text: `${lines.join('\n\n')}\n` };
  }
  const subject = before ? `Votre adhésion à ${v.organizationName} se termine le ${end}` : `Votre adhésion à ${v.organizationName} a expiré`;
  const lines = [
    `Bonjour ${v.contactName},`,
    before
      ? `Votre adhésion « ${v.planName} » à ${v.organizationName} se termine le ${end}. Renouvelez-la pour rester membre à jour.`
      : `Votre adhésion « ${v.planName} » à ${v.organizationName} a pris fin le ${end}. Nous serions heureux de vous compter à nouveau parmi nos membres.`,
    v.organizationEmail ? `Pour la renouveler, répondez à ce message ou écrivez à ${v.organizationEmail}.` : 'Pour la renouveler, répondez à ce message ou venez nous voir.',
    `L'équipe de ${v.organizationName}`,
  ];
  return { subject, html: html(subject, lines), text: `${lines.join('\n\n')}\n` };
}
