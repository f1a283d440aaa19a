import { Module } from '@nestjs/common';
import { ContactsModule } from '@ruche/contacts';
import { AccountingModule } from '@ruche/accounting';
import { PaymentsModule } from '@ruche/payments';
import { ReceiptsModule } from '@ruche/receipts';
import { CampaignsService } from './services/campaigns.service';
import { DonationsService } from './services/donations.service';

const SERVICES = [CampaignsService, DonationsService];

@Module({
  imports: [ContactsModule, AccountingModule, PaymentsModule, ReceiptsModule],
  providers: SERVICES,
  exports: SERVICES,
})
export class DonationsModule {}
