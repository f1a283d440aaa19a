import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ReceiptSettingProblem } from '@ruche/contracts';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';

/**
 * What receipts cannot do without (legal identity, signer...), as a checklist: each item says
 * where to fix it (the association's identity page, or this page).
 */
export function ReceiptProblems({
  problems,
  enabled,
}: {
  problems: readonly ReceiptSettingProblem[];
  enabled: boolean;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  if (problems.length === 0) {
    return (
      <Alert kind={enabled ? 'success' : 'info'}>
        <span data-testid="receipt-problems-none">
          {enabled ? t('receipts.problems.ready') : t('receipts.problems.readyDisabled')}
        </span>
      </Alert>
    );
  }
  return (
    <section
      className="panel panel--inset"
      aria-labelledby="receipt-problems-title"
      data-testid="receipt-problems"
    >
      <h3 id="receipt-problems-title">{t('receipts.problems.title')}</h3>
      <p className="muted">{t('receipts.problems.intro')}</p>
      <ul className="check-results">
        {problems.map((problem) => (
          <li
            key={`${problem.where}-${problem.field}`}
            className="check-result check-result--bad"
            data-testid="receipt-problem"
            data-field={problem.field}
            data-where={problem.where}
          >
            <span className="check-result__mark" aria-hidden="true">
              ✗
            </span>
            <div>
              <p className="check-result__name">
                {t(`receipts.problems.fields.${problem.field}`, { defaultValue: problem.message })}
              </p>
              {problem.where === 'organization' ? (
                <p>
                  <Link
                    to={`/orgs/${organization.id}/settings/identity`}
                    data-testid="receipt-problem-link"
                  >
                    {t('receipts.problems.fixOrganization')}
                  </Link>
                </p>
              ) : (
                <p className="muted">{t('receipts.problems.fixHere')}</p>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
