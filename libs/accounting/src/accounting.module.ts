import { Module } from '@nestjs/common';
import { AccountingSetupService } from './services/accounting-setup.service';
import { ChartService } from './services/chart.service';
import { FiscalYearsService } from './services/fiscal-years.service';
import { JournalsService } from './services/journals.service';
import { LedgerService } from './services/ledger.service';
import { PostingAccountsService } from './services/posting-accounts.service';
import { ReportsService } from './services/reports.service';
import { FecService } from './services/fec.service';
import { ExportsService } from './services/exports.service';
import { YearCloseService } from './services/year-close.service';
import { StatementsService } from './services/statements.service';
import { AttachmentsService } from './services/attachments.service';
import { FecImportService } from './services/fec-import.service';
import { DeferralsService } from './services/deferrals.service';
import { BankStatementsService } from './bank-statements/services/bank-statements.service';
import { ReconciliationService } from './reconciliation/services/reconciliation.service';

const SERVICES = [AccountingSetupService, ChartService, JournalsService, FiscalYearsService, PostingAccountsService, LedgerService, ReportsService, FecService, ExportsService, YearCloseService, StatementsService, AttachmentsService, FecImportService, DeferralsService, BankStatementsService, ReconciliationService];

@Module({ providers: SERVICES, exports: SERVICES })
export class AccountingModule {}
