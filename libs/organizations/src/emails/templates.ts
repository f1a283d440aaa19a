import type { Locale } from '@ruche/contracts';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function layout(title: string, paragraphs: string[], action: { label: string; url: string }): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  return `<!doctype html><html><body style="font-family:sans-serif;color:#1f2937">
<h2>${escapeHtml(title)}</h2>
${body}
<p><a href="${escapeHtml(action.url)}" style="background:#b45309;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p>
<p style="color:#6b7280;font-size:12px">${escapeHtml(action.url)}</p>
</body></html>`;
}

export function invitationEmail(
  locale: Locale,
  vars: { organizationName: string; inviterName: string; role: string; url: string },
): RenderedEmail {
  if (locale === 'en') {
    const subject = `${vars.inviterName} invites you to ${vars.organizationName} on Ruche`;
    const lines = [
      `${vars.inviterName} invites you to join ${vars.organizationName} on Ruche as ${vars.role}.`,
      'This invitation is valid for 7 days.',
    ];
    return {
      subject,
      html: layout(subject, lines, { label: 'Accept the invitation', url: vars.url }),
      text: `${lines.join('\n')}\n\nAccept: ${vars.url}\n`,
    };
  }
  const subject = `${vars.inviterName} vous invite à rejoindre ${vars.organizationName} sur Ruche`;
  const lines = [
    `${vars.inviterName} vous invite à rejoindre ${vars.organizationName} sur Ruche avec le rôle ${vars.role}.`,
    'Cette invitation est valable 7 jours.',
  ];
  return {
    subject,
    html: layout(subject, lines, { label: "Accepter l'invitation", url: vars.url }),
    text: `${lines.join('\n')}\n\nAccepter : ${vars.url}\n`,
  };
}

export function passwordResetEmail(locale: Locale, vars: { name: string; url: string }): RenderedEmail {
  if (locale === 'en') {
    const subject = 'Reset your Ruche password';
    const lines = [
      `Hello ${vars.name},`,
      'Someone asked to reset the password of your Ruche account. The link below is valid for one hour.',
      'If it was not you, ignore this email: your password does not change.',
    ];
    return {
      subject,
      html: layout(subject, lines, { label: 'Choose a new password', url: vars.url }),
      text: `${lines.join('\n')}\n\n${vars.url}\n`,
    };
  }
  const subject = 'Réinitialisation de votre mot de passe Ruche';
  const lines = [
    `Bonjour ${vars.name},`,
    'Une réinitialisation du mot de passe de votre compte Ruche a été demandée. Le lien ci-dessous est valable une heure.',
    "Si vous n'êtes pas à l'origine de cette demande, ignorez cet e-mail : votre mot de passe ne change pas.",
  ];
  return {
    subject,
    html: layout(subject, lines, { label: 'Choisir un nouveau mot de passe', url: vars.url }),
    text: `${lines.join('\n')}\n\n${vars.url}\n`,
  };
}

const ROLE_LABELS: Record<Locale, Record<string, string>> = {
  fr: { owner: 'propriétaire', admin: 'administrateur', treasurer: 'trésorier', coordinator: 'coordinateur', member: 'membre' },
  en: { owner: 'owner', admin: 'administrator', treasurer: 'treasurer', coordinator: 'coordinator', member: 'member' },
};

export function roleLabel(locale: Locale, role: string): string {
  return ROLE_LABELS[locale][role] ?? role;
}
