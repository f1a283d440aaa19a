import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { membershipsApi } from '../../../api/memberships';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { ResourceState } from '../../../components/ResourceState';
import { PlanForm } from './PlanForm';
import { emptyPlanForm, toPlanForm } from './planForm';

/** New plan (`plans/new`) or edit (`plans/:planId`). */
export function PlanFormPage() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const { planId } = useParams();
  const plan = useResource(`memberships:plan:${organization.id}:${planId ?? 'new'}`, (signal) =>
    planId ? membershipsApi.plan(organization.id, planId, signal) : Promise.resolve(null),
  );
  return (
    <section aria-labelledby="plan-form-title">
      <p>
        <Link to={`/orgs/${organization.id}/memberships/plans`}>
          ← {t('memberships.plans.backToList')}
        </Link>
      </p>
      <h2 id="plan-form-title">
        {plan.data
          ? t('memberships.plans.editTitle', { name: plan.data.name })
          : t('memberships.plans.newTitle')}
      </h2>
      <ResourceState resource={plan} />
      {plan.data !== undefined && (
        <PlanForm
          key={plan.data?.id ?? 'new'}
          planId={plan.data?.id ?? null}
          defaultValues={plan.data ? toPlanForm(plan.data) : emptyPlanForm()}
        />
      )}
    </section>
  );
}
