import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Badge } from '../../../components/Badge';
import { EmptyState } from '../../../components/EmptyState';
import { ResourceState } from '../../../components/ResourceState';
import { useFormatters } from '../../../i18n/format';
import { usePlans } from '../../members/useContactLists';
import { usePlanLabels } from '../planLabels';

/** The membership plans: price, validity, members holding one; new and edit for configurers. */
export function PlansTab() {
  const { t } = useTranslation();
  const format = useFormatters();
  const labels = usePlanLabels();
  const organization = useCurrentOrganization();
  const plans = usePlans();
  const canConfigure = organization.can('memberships.configure');

  return (
    <section className="panel" aria-labelledby="plans-title">
      <div className="panel__header">
        <h2 id="plans-title">{t('memberships.tabs.plans')}</h2>
        {canConfigure && (
          <Link to="new" className="button button--primary" data-testid="plan-new">
            {t('memberships.plans.new')}
          </Link>
        )}
      </div>
      <ResourceState resource={plans} />
      {plans.data?.length === 0 && <EmptyState>{t('memberships.plans.empty')}</EmptyState>}
      {plans.data && plans.data.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="plans-table">
            <thead>
              <tr>
                <th scope="col">{t('memberships.plans.columns.name')}</th>
                <th scope="col">{t('memberships.plans.columns.price')}</th>
                <th scope="col">{t('memberships.plans.columns.validity')}</th>
                <th scope="col" className="numeric">
                  {t('memberships.plans.columns.activeMemberships')}
                </th>
                <th scope="col">{t('memberships.plans.columns.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {plans.data.map((plan) => (
                <tr key={plan.id} data-testid="plan-row" data-subscription={plan.subscription}>
                  <td>
                    <strong>{plan.name}</strong>
                    {plan.description && <span className="cell-note">{plan.description}</span>}
                    {(plan.household || plan.receiptEligible) && (
                      <span className="cell-note">
                        {[
                          plan.household && t('memberships.plans.householdBadge'),
                          plan.receiptEligible && t('memberships.plans.receiptBadge'),
                        ]
                          .filter(Boolean)
                          .join(' · ')}
                      </span>
                    )}
                    {plan.subscription !== 'none' && (
                      <span className="cell-note" data-testid="plan-subscription-badge">
                        {t(`memberships.plans.subscriptionBadges.${plan.subscription}`)}
                      </span>
                    )}
                  </td>
                  <td>{labels.price(plan)}</td>
                  <td>{labels.validity(plan)}</td>
                  <td className="numeric">{format.number(plan.activeMemberships)}</td>
                  <td>
                    <Badge tone={plan.active ? 'success' : 'neutral'}>
                      {plan.active
                        ? t('memberships.plans.active')
                        : t('memberships.plans.inactive')}
                    </Badge>
                  </td>
                  <td className="table__actions">
                    {canConfigure && (
                      <Link
                        to={plan.id}
                        className="button button--small"
                        data-testid="plan-edit"
                        aria-label={t('memberships.plans.editOf', { name: plan.name })}
                      >
                        {t('common.edit')}
                      </Link>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
