import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import { DomainError, neutralizeFormula, type OrgContext } from '@ruche/core';
import type { AnalyticResultView, GeneralLedgerQuery, JournalListingQuery, ReportPeriodQuery, StatementView } from '@ruche/contracts';
import { renderReportPdf, pdfAmount, type PdfRow } from '@ruche/platform';
import { formatCentsComma } from '../domain/amounts';
import { ANALYTIC_CSV_COLUMNS, CSV_BOM, CSV_DELIMITER, ENTRIES_CSV_COLUMNS, GENERAL_LEDGER_CSV_COLUMNS, JOURNAL_LISTING_CSV_COLUMNS, TRIAL_BALANCE_CSV_COLUMNS } from '../domain/csv-formats';
import { FiscalYearsService } from './fiscal-years.service';
import { ReportsService } from './reports.service';

/** Entries per page: numbers are gapless, so a page is a range read through the number index. */
const BATCH_ENTRIES = 2000;

export interface CsvFile {
  fileName: string;
  contentType: string;
  stream: Readable;
}

const csv = (rows: (string | number | null)[][]) => stringify(rows, { delimiter: CSV_DELIMITER, record_delimiter: '\r\n' });

/** A text cell (label, reference): one that starts like a formula is shown as text by spreadsheets. Amounts stay numbers. */
const text = (value: string | null) => (value === null ? null : neutralizeFormula(value));

/** CSV exports: entries (streamed), trial balance, general ledger, journal listing, analytic results. */
@Injectable()
export class ExportsService {
  /** Lines of a general ledger the PDF holds at most (beyond: 422, the CSV streams any size). */
  static ledgerPdfMaxLines = 20_000;
  /** Lines read per keyset page while streaming the general ledger CSV; tests make it small. */
  static ledgerCsvPage = 5_000;

  constructor(
    private readonly dataSource: DataSource,
    private readonly fiscalYears: FiscalYearsService,
    private readonly reports: ReportsService,
  ) {}

  async entries(ctx: OrgContext, fiscalYearId: string): Promise<CsvFile> {
    const fy = await this.fiscalYears.get(ctx, fiscalYearId);
    const dataSource = this.dataSource;
    async function* chunks(): AsyncGenerator<string> {
      yield CSV_BOM + csv([[...ENTRIES_CSV_COLUMNS]]);
      for (let first = 1; first <= fy.lastEntryNumber; first += BATCH_ENTRIES) {
        const rows = await dataSource.query<
          { journal: string; number: number; line_no: number; date: string; piece_ref: string | null; piece_date: string | null; entry_label: string; account: string; account_label: string; debit: string; credit: string; label: string | null; analytic: string | null; cref: string | null; clabel: string | null; posted: string; source: string | null }[]
        >(
          `SELECT j.code AS journal, e.number, l.line_no, to_char(e.entry_date, 'YYYY-MM-DD') AS date, e.piece_ref,
                  to_char(e.piece_date, 'YYYY-MM-DD') AS piece_date, e.label AS entry_label, a.number AS account, a.label AS account_label,
                  l.debit_cents AS debit, l.credit_cents AS credit, l.label, l.analytic, l.counterparty_ref AS cref, l.counterparty_label AS clabel,
                  to_char(e.posted_at, 'YYYY-MM-DD') AS posted, e.source
             FROM journal_entries e
             JOIN journal_entry_lines l ON l.organization_id = e.organization_id AND l.entry_id = e.id
             JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
             JOIN journals j ON j.organization_id = e.organization_id AND j.id = e.journal_id
            WHERE e.organization_id = $1 AND e.fiscal_year_id = $2 AND e.number >= $3 AND e.number < $4
            ORDER BY e.number, l.line_no`,
          [ctx.organizationId, fy.id, first, first + BATCH_ENTRIES],
        );
        if (rows.length === 0) continue;
        yield csv(
          rows.map((r) => [r.journal, r.number, r.date, text(r.piece_ref), r.piece_date, text(r.entry_label), r.account, text(r.account_label), formatCentsComma(Number(r.debit)), formatCentsComma(Number(r.credit)), text(r.label), text(r.analytic), text(r.cref), text(r.clabel), r.posted, text(r.source)]),
        );
      }
    }
    return { fileName: `ecritures-${fy.startDate}-${fy.endDate}.csv`, contentType: 'text/csv; charset=utf-8', stream: Readable.from(chunks()) };
  }

  async trialBalance(ctx: OrgContext, query: ReportPeriodQuery): Promise<CsvFile> {
    const report = await this.reports.trialBalance(ctx, query);
    const body =
      CSV_BOM +
      csv([
        [...TRIAL_BALANCE_CSV_COLUMNS],
        ...report.rows.map((r) => [r.accountNumber, text(r.accountLabel), formatCentsComma(r.openingCents), formatCentsComma(r.debitCents), formatCentsComma(r.creditCents), formatCentsComma(r.closingCents)]),
        ['Total', '', formatCentsComma(report.totals.openingCents), formatCentsComma(report.totals.debitCents), formatCentsComma(report.totals.creditCents), formatCentsComma(report.totals.closingCents)],
      ]);
    return { fileName: `balance-${report.from}-${report.to}.csv`, contentType: 'text/csv; charset=utf-8', stream: Readable.from([body]) };
  }

  /**
   * The general ledger as CSV, streamed in constant memory: keyset pages of lines (see
   * `ReportsService.ledgerPage`), each written out before the next is read.
   */
  async generalLedger(ctx: OrgContext, query: GeneralLedgerQuery): Promise<CsvFile> {
    const p = await this.reports.period(ctx, query);
    const reports = this.reports;
    const account = query.account ?? '';
    async function* chunks(): AsyncGenerator<string> {
      yield CSV_BOM + csv([[...GENERAL_LEDGER_CSV_COLUMNS]]);
      let cursor: string | null = null;
      do {
        const page = await reports.ledgerPage(ctx, p, account, ExportsService.ledgerCsvPage, cursor);
        const rows: (string | number | null)[][] = [];
        for (const a of page.accounts) {
          if (!a.continued) rows.push([a.accountNumber, text(a.accountLabel), p.from, '', '', '', 'Solde d’ouverture', '', '', formatCentsComma(a.openingCents)]);
          for (const l of a.lines) {
            rows.push([a.accountNumber, text(a.accountLabel), l.date, l.journalCode, l.entryNumber, text(l.pieceRef), text(l.label), formatCentsComma(l.debitCents), formatCentsComma(l.creditCents), formatCentsComma(l.balanceCents)]);
          }
        }
        if (rows.length > 0) yield csv(rows);
        cursor = page.nextCursor;
      } while (cursor !== null);
    }
    return { fileName: `grand-livre-${p.from}-${p.to}.csv`, contentType: 'text/csv; charset=utf-8', stream: Readable.from(chunks()) };
  }

  async journalListing(ctx: OrgContext, query: JournalListingQuery): Promise<CsvFile> {
    const report = await this.reports.journalListing(ctx, query);
    const rows: (string | number | null)[][] = [[...JOURNAL_LISTING_CSV_COLUMNS]];
    for (const j of report.journals) {
      for (const e of j.entries) {
        for (const l of e.lines) rows.push([j.journalCode, e.number, e.date, text(e.pieceRef), text(e.label), l.accountNumber, text(l.accountLabel), text(l.label), formatCentsComma(l.debitCents), formatCentsComma(l.creditCents)]);
      }
      rows.push([j.journalCode, '', '', '', text(`Total journal ${j.journalCode} – ${j.journalLabel}`), '', '', '', formatCentsComma(j.debitCents), formatCentsComma(j.creditCents)]);
    }
    rows.push(['', '', '', '', 'Total général', '', '', '', formatCentsComma(report.totals.debitCents), formatCentsComma(report.totals.creditCents)]);
    const name = `journal${report.journal ? `-${report.journal}` : ''}-${report.from}-${report.to}`;
    return { fileName: `${name.replace(/[^A-Za-z0-9_-]/g, '_')}.csv`, contentType: 'text/csv; charset=utf-8', stream: Readable.from([CSV_BOM + csv(rows)]) };
  }

  async journalListingPdf(ctx: OrgContext, query: JournalListingQuery): Promise<CsvFile> {
    const report = await this.reports.journalListing(ctx, query);
    const rows: PdfRow[] = [];
    for (const j of report.journals) {
      rows.push({ bold: true, cells: [`${j.journalCode} ${j.journalLabel}`, '', '', '', '', '', ''] });
      for (const e of j.entries) {
        e.lines.forEach((l, i) =>
          rows.push({
            cells: [i === 0 ? e.date : '', i === 0 ? String(e.number) : '', i === 0 ? (e.pieceRef ?? '') : '', l.accountNumber, l.label ?? (i === 0 ? e.label : l.accountLabel), l.debitCents ? pdfAmount(l.debitCents) : '', l.creditCents ? pdfAmount(l.creditCents) : ''],
          }),
        );
      }
      rows.push({ bold: true, cells: ['', '', '', '', `Total journal ${j.journalCode}`, pdfAmount(j.debitCents), pdfAmount(j.creditCents)] });
    }
    rows.push({ bold: true, cells: ['', '', '', '', 'Total général', pdfAmount(report.totals.debitCents), pdfAmount(report.totals.creditCents)] });
    const stream = renderReportPdf(
      {
        title: report.journal ? `Journal ${report.journal}` : 'Journal général',
        subtitle: `du ${report.from} au ${report.to} (${report.currency})`,
        organization: await this.organizationName(ctx),
        landscape: true,
        columns: [
          { label: 'Date', width: 10 },
          { label: 'N°', width: 6 },
          { label: 'Pièce', width: 11 },
          { label: 'Compte', width: 9 },
          { label: 'Libellé', width: 38 },
          { label: 'Débit', width: 13, align: 'right' },
          { label: 'Crédit', width: 13, align: 'right' },
        ],
        rows,
      },
      new Date(),
    );
    const name = `journal${report.journal ? `-${report.journal}` : ''}-${report.from}-${report.to}`;
    return { fileName: `${name.replace(/[^A-Za-z0-9_-]/g, '_')}.pdf`, contentType: 'application/pdf', stream };
  }

  /** Analytic results as CSV: one row per project or section (empty: lines without one). */
  analytic(view: AnalyticResultView): CsvFile {
    const rows: (string | number | null)[][] = [[...ANALYTIC_CSV_COLUMNS]];
    for (const r of view.rows) rows.push([text(r.analytic ?? ''), formatCentsComma(r.incomeCents), formatCentsComma(r.expenseCents), formatCentsComma(r.resultCents)]);
    return { fileName: `analytique-${view.from}-${view.to}.csv`, contentType: 'text/csv; charset=utf-8', stream: Readable.from([CSV_BOM + csv(rows)]) };
  }

  /** An annual statement as CSV: section, line, amount, previous year. */
  statement(view: StatementView, name: string): CsvFile {
    const rows: (string | number | null)[][] = [['rubrique', 'poste', `exercice_${view.endDate}`, view.previous ? `exercice_${view.previous.endDate}` : 'exercice_precedent']];
    for (const section of [...view.sections, ...view.footSections]) {
      for (const line of section.lines) rows.push([text(section.label), text(line.label), formatCentsComma(line.amountCents), line.previousCents === null ? '' : formatCentsComma(line.previousCents)]);
      rows.push([text(section.label), 'Total', formatCentsComma(section.totalCents), section.previousTotalCents === null ? '' : formatCentsComma(section.previousTotalCents)]);
    }
    rows.push(['Résultat', 'Excédent (+) ou déficit (-)', formatCentsComma(view.resultCents), view.previousResultCents === null ? '' : formatCentsComma(view.previousResultCents)]);
    return { fileName: `${name}-${view.to}.csv`, contentType: 'text/csv; charset=utf-8', stream: Readable.from([CSV_BOM + csv(rows)]) };
  }

  private async organizationName(ctx: OrgContext): Promise<string> {
    const [org] = await this.dataSource.query<{ name: string; legal_name: string | null }[]>('SELECT name, legal_name FROM organizations WHERE id = $1', [ctx.organizationId]);
    return org?.legal_name ?? org?.name ?? '';
  }

  async trialBalancePdf(ctx: OrgContext, query: ReportPeriodQuery): Promise<CsvFile> {
    const report = await this.reports.trialBalance(ctx, query);
    const rows: PdfRow[] = report.rows.map((r) => ({ cells: [r.accountNumber, r.accountLabel, pdfAmount(r.openingCents), pdfAmount(r.debitCents), pdfAmount(r.creditCents), pdfAmount(r.closingCents)] }));
    rows.push({ bold: true, cells: ['Total', '', pdfAmount(report.totals.openingCents), pdfAmount(report.totals.debitCents), pdfAmount(report.totals.creditCents), pdfAmount(report.totals.closingCents)] });
    const stream = renderReportPdf(
      {
        title: 'Balance générale',
        subtitle: `du ${report.from} au ${report.to} (${report.currency})`,
        organization: await this.organizationName(ctx),
        columns: [
          { label: 'Compte', width: 10 },
          { label: 'Libellé', width: 34 },
          { label: 'Solde d’ouverture', width: 14, align: 'right' },
          { label: 'Débit', width: 14, align: 'right' },
          { label: 'Crédit', width: 14, align: 'right' },
          { label: 'Solde de clôture', width: 14, align: 'right' },
        ],
        rows,
        notes: ['Soldes : débiteurs positifs, créditeurs négatifs.'],
      },
      new Date(),
    );
    return { fileName: `balance-${report.from}-${report.to}.pdf`, contentType: 'application/pdf', stream };
  }

  async generalLedgerPdf(ctx: OrgContext, query: GeneralLedgerQuery): Promise<CsvFile> {
    const max = ExportsService.ledgerPdfMaxLines;
    const report = await this.reports.ledgerPage(ctx, await this.reports.period(ctx, query), query.account ?? '', max, null);
    if (report.nextCursor !== null) {
      throw DomainError.invalid(
        'accounting.ledger_too_large_for_pdf',
        `The general ledger has more than ${max} lines, too many for a PDF: download it as CSV (format=csv), or choose an account or a shorter period`,
        'format',
      );
    }
    const rows: PdfRow[] = [];
    for (const a of report.accounts) {
      rows.push({ bold: true, cells: [`${a.accountNumber} ${a.accountLabel}`, '', '', '', '', '', '', pdfAmount(a.openingCents)] });
      for (const l of a.lines) rows.push({ cells: [l.date, l.journalCode, String(l.entryNumber), l.pieceRef ?? '', l.label, l.debitCents ? pdfAmount(l.debitCents) : '', l.creditCents ? pdfAmount(l.creditCents) : '', pdfAmount(l.balanceCents)] });
      rows.push({ bold: true, cells: ['', '', '', '', `Total ${a.accountNumber}`, pdfAmount(a.debitCents), pdfAmount(a.creditCents), pdfAmount(a.closingCents)] });
    }
    const stream = renderReportPdf(
      {
        title: 'Grand livre',
        subtitle: `du ${report.from} au ${report.to} (${report.currency})`,
        organization: await this.organizationName(ctx),
        landscape: true,
        columns: [
          { label: 'Date', width: 9 },
          { label: 'Journal', width: 6 },
          { label: 'N°', width: 6 },
          { label: 'Pièce', width: 10 },
          { label: 'Libellé', width: 33 },
          { label: 'Débit', width: 12, align: 'right' },
          { label: 'Crédit', width: 12, align: 'right' },
          { label: 'Solde', width: 12, align: 'right' },
        ],
        rows,
      },
      new Date(),
    );
    return { fileName: `grand-livre-${report.from}-${report.to}.pdf`, contentType: 'application/pdf', stream };
  }

  async statementPdf(ctx: OrgContext, view: StatementView, title: string, name: string): Promise<CsvFile> {
    const rows: PdfRow[] = [];
    const previous = (cents: number | null) => (cents === null ? '' : pdfAmount(cents));
    for (const section of [...view.sections, ...view.footSections]) {
      rows.push({ bold: true, cells: [section.label, '', ''] });
      for (const line of section.lines) rows.push({ cells: [`    ${line.label}`, pdfAmount(line.amountCents), previous(line.previousCents)] });
      rows.push({ bold: true, cells: [`Total ${section.label.toLowerCase()}`, pdfAmount(section.totalCents), previous(section.previousTotalCents)] });
    }
    rows.push({ bold: true, cells: [view.resultCents >= 0 ? 'Excédent de l’exercice' : 'Déficit de l’exercice', pdfAmount(view.resultCents), previous(view.previousResultCents)] });
    if (view.totalAssetsCents !== null) rows.push({ bold: true, cells: ['Total actif / total passif', `${pdfAmount(view.totalAssetsCents)} / ${pdfAmount(view.totalLiabilitiesCents ?? 0)}`, ''] });
    const stream = renderReportPdf(
      {
        title,
        subtitle:
          view.from === view.startDate && view.to === view.endDate
            ? `exercice du ${view.startDate} au ${view.endDate} (${view.currency})`
            : `du ${view.from} au ${view.to}, exercice du ${view.startDate} au ${view.endDate} (${view.currency})`,
        organization: await this.organizationName(ctx),
        columns: [
          { label: 'Poste', width: 60 },
          { label: `Exercice ${view.endDate.slice(0, 4)}`, width: 20, align: 'right' },
          { label: view.previous ? `Exercice ${view.previous.endDate.slice(0, 4)}` : 'Exercice précédent', width: 20, align: 'right' },
        ],
        rows,
        notes: view.warnings.map((w) => (w.code === 'accounting.year_open' ? 'Document provisoire : l’exercice n’est pas clôturé.' : w.code === 'accounting.previous_year_open' ? 'L’exercice précédent n’est pas clôturé.' : w.message)),
      },
      new Date(),
    );
    return { fileName: `${name}-${view.to}.pdf`, contentType: 'application/pdf', stream };
  }
}
