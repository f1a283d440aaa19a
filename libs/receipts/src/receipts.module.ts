import { Module } from '@nestjs/common';
import { ContactsModule } from '@ruche/contacts';
import { ReceiptSettingsService } from './services/receipt-settings.service';
import { ReceiptsService } from './services/receipts.service';
import { ReceiptRenderPool } from './documents/render-pool';

const SERVICES = [ReceiptRenderPool, ReceiptSettingsService, ReceiptsService];

@Module({ imports: [ContactsModule], providers: SERVICES, exports: SERVICES })
export class ReceiptsModule {}
