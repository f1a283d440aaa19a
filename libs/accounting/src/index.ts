export * from './entities';
export * from './accounting.module';
export * from './domain/amounts';
export * from './domain/entry-rules';
export * from './domain/fiscal-years';
export * from './domain/posting-rules';
export { CHART_FR_PCA_2018 } from './domain/chart-fr-pca-2018';
export { AccountingSetupService } from './services/accounting-setup.service';
export { ChartService, parentNumberOf } from './services/chart.service';
export { FiscalYearsService } from './services/fiscal-years.service';
export { JournalsService } from './services/journals.service';
export { LedgerService, type PostEntryInput, type PostEventInput, type PostResult, type PostingLine } from './services/ledger.service';
export { PostingAccountsService } from './services/posting-accounts.service';
export { ReportsService } from './services/reports.service';
export { FecService, type FecFile } from './services/fec.service';
export { ExportsService, type CsvFile } from './services/exports.service';
export * from './domain/fec';
export * from './domain/csv-formats';
export { YearCloseService } from './services/year-close.service';
export * from './domain/year-close';
export { DeferralsService, type DeferralSource } from './services/deferrals.service';
export * from './domain/deferrals';
export { StatementsService } from './services/statements.service';
export * from './domain/statements';
export { AttachmentsService } from './services/attachments.service';
export { FecImportService } from './services/fec-import.service';
export * from './domain/fec-import';
import './reconciliation/jobs/jobs';
export {
  ReconciliationService,
  type ExpectedPayment,
  type ExpectedPaymentsProvider,
  type MatchDetailsProvider,
} from './reconciliation/services/reconciliation.service';
export { RECONCILIATION_ENTITIES } from './reconciliation/entities/reconciliation.entities';
export { BankStatementsService, readStatementFile } from './bank-statements/services/bank-statements.service';
export { BankAccountEntity, BankStatementEntity, BankStatementLineEntity } from './bank-statements/entities/bank.entities';
export { parseCamt053 } from './bank-statements/domain/camt053';
export { parseOfx } from './bank-statements/domain/ofx';
export { lineKeys, type ParsedStatement, type ParsedLine } from './bank-statements/domain/statement';
