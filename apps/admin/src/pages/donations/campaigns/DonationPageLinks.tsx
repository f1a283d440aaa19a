import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { donationEmbedSnippet, donationPageUrl } from '../../../api/donations';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { CopyButton } from '../../../components/CopyButton';

/**
 * The public donation page (of a campaign, or the general one): its link, and the HTML snippet
 * that embeds it in the association's site.
 */
export function DonationPageLinks({
  campaignId,
  title,
  testId,
}: {
  campaignId?: string | null;
  /** The heading of the panel ("Page de don", "Page de la campagne"). */
  title: string;
  testId: string;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const id = useId();
  const snippetId = `${id}-snippet`;
  const hintId = `${id}-hint`;
  const url = donationPageUrl(organization.id, campaignId);
  const snippet = donationEmbedSnippet(url, t('donations.links.iframeTitle'));
  return (
    <section className="panel panel--inset" aria-labelledby={`${id}-title`} data-testid={testId}>
      <h3 id={`${id}-title`}>{title}</h3>
      <p className="muted">{t('donations.links.linkIntro')}</p>
      <div className="copy-field">
        <a
          href={url}
          target="_blank"
          rel="noreferrer"
          className="copy-field__value"
          data-testid={`${testId}-url`}
        >
          {url} <span className="visually-hidden">({t('common.newTab')})</span>
        </a>
        <CopyButton
          value={url}
          label={t('donations.links.copyLink')}
          testId={`${testId}-url-copy`}
        />
      </div>
      <div className="field">
        <label htmlFor={snippetId}>{t('donations.links.embed')}</label>
        <textarea
          id={snippetId}
          className="snippet"
          readOnly
          rows={4}
          value={snippet}
          aria-describedby={hintId}
          data-testid={`${testId}-snippet`}
          onFocus={(event) => event.currentTarget.select()}
        />
        <p id={hintId} className="field__hint">
          {t('donations.links.embedHint')}
        </p>
      </div>
      <div className="button-row">
        <CopyButton
          value={snippet}
          label={t('donations.links.copySnippet')}
          testId={`${testId}-snippet-copy`}
        />
      </div>
    </section>
  );
}
