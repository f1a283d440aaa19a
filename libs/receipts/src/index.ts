import './jobs/jobs';

export * from './entities/receipt.entities';
export { ReceiptsModule } from './receipts.module';
export { ReceiptSettingsService } from './services/receipt-settings.service';
export { ReceiptsService, type GiftInput } from './services/receipts.service';
export { euroAmountInFrenchWords, integerInFrenchWords } from './domain/amount-in-words';
export { taxRatesOn, TAX_RULES, type TaxRule } from './domain/tax-rules';
export { receiptReference } from './domain/readiness';
export { renderReceiptPdf, type ReceiptDocument } from './documents/receipt.pdf';
export { receiptFonts } from './documents/fonts';
export { ReceiptRenderPool } from './documents/render-pool';
