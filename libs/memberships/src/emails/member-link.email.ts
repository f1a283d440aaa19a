import type { Locale } from '@ruche/contracts';
import { escapeHtml, type RenderedEmail } from '@ruche/organizations';

/** The member space login link (valid 15 minutes, once). */
export function memberLinkEmail(locale: Locale, v: { organizationName: string; contactName: string; url: string }): RenderedEmail {
  const en = locale === 'en';
  const subject = en ? `Your ${v.organizationName} member space` : `Votre espace membre ${v.organizationName}`;
  const lines = en
    ? [`Hello ${v.contactName},`, 'Here is your link to the member space. It works once, within 15 minutes.', 'If you did not ask for it, ignore this e-mail.']
    : [`Bonjour ${v.contactName},`, 'Voici votre lien vers l’espace membre. Il fonctionne une fois, dans les 15 minutes.', 'Si vous ne l’avez pas demandé, ignorez ce message.'];
  const label = en ? 'Open my member space' : 'Ouvrir mon espace membre';
  const html = `<!doctype html><html><body style="font-family:sans-serif;color:#1f2937">
<h2>${escapeHtml(subject)}</h2>
${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
<p><a href="${escapeHtml(v.url)}" style="background:#b45309;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(label)}</a></p>
<p style="color:#6b7280;font-size:12px">${escapeHtml(v.url)}</p>
</body></html>`;
  return { subject, html, text: `${lines.join('\n\n')}\n\n${label} : ${v.url}\n` };
}
