import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { DuplicateCandidate } from '@ruche/contracts';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';

interface DuplicatesPanelProps {
  candidates: readonly DuplicateCandidate[];
  pending: boolean;
  onCreateAnyway: () => void;
  onDismiss: () => void;
}

/** The probable duplicates of a contact being created, with "create anyway". */
export function DuplicatesPanel({
  candidates,
  pending,
  onCreateAnyway,
  onDismiss,
}: DuplicatesPanelProps) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  return (
    <div className="alert alert--warning duplicates" role="alert" data-testid="contact-duplicates">
      <div>
        <p className="duplicates__title">{t('contacts.duplicates.title')}</p>
        <p>{t('contacts.duplicates.intro')}</p>
        {candidates.length > 0 && (
          <ul className="duplicates__list">
            {candidates.map((candidate) => (
              <li key={candidate.id} data-testid="contact-duplicate">
                <Link
                  to={`/orgs/${organization.id}/contacts/${candidate.id}`}
                  target="_blank"
                  rel="noopener"
                >
                  {candidate.displayName}
                  <span className="visually-hidden"> ({t('common.newTab')})</span>
                </Link>{' '}
                <code>{candidate.reference}</code>
                {(candidate.email ?? candidate.city) && (
                  <span className="muted">
                    {' '}
                    · {[candidate.email, candidate.city].filter(Boolean).join(' · ')}
                  </span>
                )}
                <span className="cell-note">
                  {candidate.reasons
                    .map((reason) => t(`contacts.duplicates.reasons.${reason}`))
                    .join(' ; ')}
                </span>
              </li>
            ))}
          </ul>
        )}
        <div className="button-row">
          <button
            type="button"
            className="button button--primary"
            disabled={pending}
            data-testid="contact-create-anyway"
            onClick={onCreateAnyway}
          >
            {t('contacts.duplicates.createAnyway')}
          </button>
          <button type="button" className="button" onClick={onDismiss}>
            {t('contacts.duplicates.review')}
          </button>
        </div>
      </div>
    </div>
  );
}
