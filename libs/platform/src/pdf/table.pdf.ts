import PDFDocument from 'pdfkit';
import type { Readable } from 'node:stream';
import { documentFonts } from './fonts';

export interface PdfColumn {
  label: string;
  /** Share of the usable width. */
  width: number;
  align?: 'left' | 'right';
}

export interface PdfRow {
  cells: string[];
  /** Section headings and totals. */
  bold?: boolean;
}

export interface PdfReport {
  title: string;
  subtitle: string;
  organization: string;
  columns: PdfColumn[];
  rows: PdfRow[];
  notes?: string[];
  landscape?: boolean;
}

// Printed French amounts and days: pure helpers of the kernel, re-exported here for the PDFs.
export { pdfAmount, pdfDate } from '@ruche/core';

/**
 * A report as a PDF table: header on every page, page numbers, streamed as it is drawn
 * (constant memory for a long general ledger).
 */
export function renderReportPdf(report: PdfReport, generatedAt: Date): Readable {
  const doc = new PDFDocument({
    size: 'A4',
    layout: report.landscape ? 'landscape' : 'portrait',
    margin: 36,
    bufferPages: false,
    info: { Title: report.title, Author: report.organization, Creator: 'Ruche' },
  });
  // DejaVu Sans: names and labels beyond Latin-1 (Ł, ễ, Cyrillic) print as written; pdfkit embeds
  // the subset used. Long reports are bounded by their callers (general ledger, journal listing).
  const fonts = documentFonts();
  doc.registerFont('body', fonts.regular as unknown as Buffer);
  doc.registerFont('bold', fonts.bold as unknown as Buffer);
  const left = doc.page.margins.left;
  const usable = doc.page.width - left - doc.page.margins.right;
  const totalShare = report.columns.reduce((s, c) => s + c.width, 0);
  const widths = report.columns.map((c) => (c.width / totalShare) * usable);
  const bottom = () => doc.page.height - doc.page.margins.bottom - 20;
  let page = 1;

  const header = () => {
    doc
      .font('bold')
      .fontSize(13)
      .fillColor('#000')
      .text(report.title, left, doc.page.margins.top, { width: usable });
    doc
      .font('body')
      .fontSize(9)
      .fillColor('#444')
      .text(`${report.organization} — ${report.subtitle}`, { width: usable });
    doc.moveDown(0.6);
    drawRow(
      report.columns.map((c) => c.label),
      true,
      true,
    );
    doc
      .moveTo(left, doc.y)
      .lineTo(left + usable, doc.y)
      .strokeColor('#999')
      .lineWidth(0.5)
      .stroke();
    doc.moveDown(0.2);
  };
  const footer = () => {
    const y = doc.page.height - doc.page.margins.bottom - 10;
    doc.font('body').fontSize(7).fillColor('#666');
    doc.text(`Édité par Ruche le ${generatedAt.toISOString().slice(0, 10)}`, left, y, {
      width: usable / 2,
      lineBreak: false,
    });
    doc.text(`Page ${page}`, left + usable / 2, y, {
      width: usable / 2,
      align: 'right',
      lineBreak: false,
    });
  };
  function drawRow(cells: string[], bold: boolean, isHeader = false) {
    doc
      .font(bold ? 'bold' : 'body')
      .fontSize(isHeader ? 8 : 8.5)
      .fillColor('#000');
    const heights = cells.map((cell, i) =>
      doc.heightOfString(cell, { width: (widths[i] ?? 0) - 4 }),
    );
    const height = Math.max(10, ...heights);
    if (!isHeader && doc.y + height > bottom()) {
      footer();
      doc.addPage();
      page++;
      header();
    }
    const y = doc.y;
    let x = left;
    cells.forEach((cell, i) => {
      const width = widths[i] ?? 0;
      doc.text(cell, x + 2, y, { width: width - 4, align: report.columns[i]?.align ?? 'left' });
      x += width;
    });
    doc.x = left;
    doc.y = y + height + 2;
  }

  header();
  for (const row of report.rows) drawRow(row.cells, row.bold ?? false);
  if (report.notes?.length) {
    doc.moveDown(0.5);
    doc.font('body').fontSize(8).fillColor('#444');
    for (const note of report.notes) doc.text(note, left, doc.y, { width: usable });
  }
  footer();
  doc.end();
  return doc;
}
