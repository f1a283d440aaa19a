export * from './entities/donation.entities';
export { DonationsModule } from './donations.module';
export { CampaignsService } from './services/campaigns.service';
export { DonationsService, giftMethodOf } from './services/donations.service';
