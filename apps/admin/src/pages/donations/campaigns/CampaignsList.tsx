import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { donationPageUrl } from '../../../api/donations';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Badge } from '../../../components/Badge';
import { CopyButton } from '../../../components/CopyButton';
import { EmptyState } from '../../../components/EmptyState';
import { ResourceState } from '../../../components/ResourceState';
import { useFormatters } from '../../../i18n/format';
import { GoalProgress } from '../GoalProgress';
import { useCampaigns } from '../useCampaigns';
import { DonationPageLinks } from './DonationPageLinks';

/** `donations/campaigns`: the campaigns, each with what it raised against its goal and its link. */
export function CampaignsList() {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const campaigns = useCampaigns();
  const canConfigure = organization.can('donations.configure');

  return (
    <section className="panel" aria-labelledby="campaigns-title">
      <div className="panel__header">
        <h2 id="campaigns-title">{t('donations.campaigns.title')}</h2>
        {canConfigure && (
          <Link to="new" className="button button--primary" data-testid="campaign-new">
            {t('donations.campaigns.new')}
          </Link>
        )}
      </div>
      <p className="muted">{t('donations.campaigns.intro')}</p>
      <ResourceState resource={campaigns} />
      {campaigns.data?.length === 0 && <EmptyState>{t('donations.campaigns.empty')}</EmptyState>}
      {campaigns.data && campaigns.data.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="campaigns-table">
            <caption className="visually-hidden">{t('donations.campaigns.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('donations.campaigns.columns.name')}</th>
                <th scope="col">{t('donations.campaigns.columns.status')}</th>
                <th scope="col">{t('donations.campaigns.columns.progress')}</th>
                <th scope="col" className="numeric">
                  {t('donations.campaigns.columns.count')}
                </th>
                <th scope="col">{t('donations.campaigns.columns.link')}</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.data.map((campaign) => (
                <tr
                  key={campaign.id}
                  data-testid="campaign-row"
                  data-campaign-id={campaign.id}
                  data-active={campaign.active}
                >
                  <td>
                    {canConfigure ? (
                      <Link to={campaign.id} data-testid="campaign-edit-link">
                        {campaign.name}
                      </Link>
                    ) : (
                      campaign.name
                    )}
                    <span className="cell-note">
                      {t('donations.campaigns.createdAt', {
                        date: format.date(campaign.createdAt),
                      })}
                    </span>
                  </td>
                  <td>
                    <Badge tone={campaign.active ? 'success' : 'neutral'}>
                      {campaign.active ? t('common.active') : t('common.inactive')}
                    </Badge>
                  </td>
                  <td className="campaign-progress-cell">
                    <GoalProgress
                      raisedCents={campaign.raisedCents}
                      goalCents={campaign.goalCents}
                      currency={campaign.currency}
                      testId="campaign-progress"
                    />
                  </td>
                  <td className="numeric" data-testid="campaign-count">
                    {format.number(campaign.donationCount)}
                  </td>
                  <td>
                    <CopyButton
                      value={donationPageUrl(organization.id, campaign.id)}
                      label={t('donations.campaigns.copyLinkOf', { name: campaign.name })}
                      testId="campaign-link-copy"
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <DonationPageLinks title={t('donations.links.generalTitle')} testId="donation-page-links" />
    </section>
  );
}
