import PDFDocument from 'pdfkit';
import type { InvoiceKind, PaymentMethod } from '@ruche/contracts';
import { documentFonts, pdfAmount, pdfDate } from '@ruche/platform';
import { PAYMENT_METHOD_LABELS } from '../domain/invoice-rules';

/** Everything an invoice or a credit note prints: frozen as the row's snapshots at issue. */
export interface InvoiceDocument {
  kind: InvoiceKind;
  reference: string;
  issuedOn: string;
  seller: { name: string; addressLines: string[]; siren: string | null };
  buyer: { name: string; memberReference: string | null; addressLines: string[] };
  lines: { description: string; amountCents: number }[];
  totalCents: number;
  currency: string;
  vatMention: string;
  legalMention: string | null;
  /** Invoices: the payment (« acquittée le … par … »); credit notes: the refund. */
  settledOn: string | null;
  method: PaymentMethod | null;
  /** Credit notes: the invoice credited. */
  credited: { reference: string; issuedOn: string } | null;
}

/** 30,00 € (a euro sign for euros, the ISO code otherwise); credit notes print negative amounts. */
function money(cents: number, currency: string): string {
  return `${pdfAmount(cents)} ${currency === 'EUR' ? '€' : currency}`;
}

/**
 * The invoice (FACTURE) or credit note (AVOIR) as a one-page A4 PDF, in the embedded DejaVu font
 * (buyers' names in any Latin, Greek or Cyrillic script), amounts and dates printed with the
 * kernel's helpers. Rendered once at issue; the bytes are stored, never drawn again.
 */
export function renderInvoicePdf(v: InvoiceDocument, createdAt: Date): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const credit = v.kind === 'credit_note';
    const title = credit ? 'AVOIR' : 'FACTURE';
    const doc = new PDFDocument({
      size: 'A4',
      margin: 56,
      info: {
        Title: `${credit ? 'Avoir' : 'Facture'} ${v.reference}`,
        Author: v.seller.name,
        Creator: 'Ruche',
        CreationDate: createdAt,
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const fonts = documentFonts();
    doc.registerFont('body', fonts.regular as unknown as Buffer);
    doc.registerFont('bold', fonts.bold as unknown as Buffer);
    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right;
    const sign = credit ? -1 : 1;

    // Seller (top left) and the document's number and date (top right).
    const top = doc.y;
    doc
      .font('bold')
      .fontSize(13)
      .fillColor('#000')
      .text(v.seller.name, left, top, {
        width: width * 0.6,
      });
    doc.font('body').fontSize(9).fillColor('#444');
    for (const line of v.seller.addressLines) doc.text(line, { width: width * 0.6 });
    if (v.seller.siren) doc.text(`SIREN ${v.seller.siren}`, { width: width * 0.6 });
    const sellerBottom = doc.y;
    doc
      .font('bold')
      .fontSize(20)
      .fillColor('#000')
      .text(title, left + width * 0.6, top, { width: width * 0.4, align: 'right' });
    doc
      .font('body')
      .fontSize(10)
      .text(`N° ${v.reference}`, { width: width * 0.4, align: 'right' })
      .text(`Date : ${pdfDate(v.issuedOn)}`, { width: width * 0.4, align: 'right' });
    doc.x = left;
    doc.y = Math.max(sellerBottom, doc.y) + 24;

    if (v.credited) {
      doc
        .font('bold')
        .fontSize(10)
        .text(
          `Avoir sur la facture n° ${v.credited.reference} du ${pdfDate(v.credited.issuedOn)}`,
          left,
          doc.y,
          { width },
        );
      doc.moveDown(1);
    }

    // Buyer.
    const buyerX = left + width * 0.5;
    doc
      .font('body')
      .fontSize(9)
      .fillColor('#444')
      .text(credit ? 'Client' : 'Facturé à', buyerX, doc.y, { width: width * 0.5 });
    doc
      .font('bold')
      .fontSize(11)
      .fillColor('#000')
      .text(v.buyer.name, {
        width: width * 0.5,
      });
    doc.font('body').fontSize(10);
    for (const line of v.buyer.addressLines) doc.text(line, { width: width * 0.5 });
    if (v.buyer.memberReference)
      doc
        .fontSize(9)
        .fillColor('#444')
        .text(`Membre ${v.buyer.memberReference}`, { width: width * 0.5 });
    doc.x = left;
    doc.moveDown(2);

    // Lines.
    const amountWidth = 110;
    const descriptionWidth = width - amountWidth;
    const rule = () =>
      doc
        .moveTo(left, doc.y)
        .lineTo(left + width, doc.y)
        .strokeColor('#999')
        .lineWidth(0.5)
        .stroke();
    const row = (description: string, amount: string, bold = false) => {
      doc
        .font(bold ? 'bold' : 'body')
        .fontSize(10)
        .fillColor('#000');
      const y = doc.y;
      const height = Math.max(
        doc.heightOfString(description, { width: descriptionWidth - 8 }),
        doc.heightOfString(amount, { width: amountWidth }),
      );
      doc.text(description, left, y, { width: descriptionWidth - 8 });
      doc.text(amount, left + descriptionWidth, y, { width: amountWidth, align: 'right' });
      doc.x = left;
      doc.y = y + height + 6;
    };
    row('Désignation', 'Montant', true);
    rule();
    doc.moveDown(0.4);
    for (const line of v.lines) row(line.description, money(sign * line.amountCents, v.currency));
    rule();
    doc.moveDown(0.4);
    row(credit ? 'Total de l’avoir' : 'Total', money(sign * v.totalCents, v.currency), true);
    doc.moveDown(0.5);
    doc.font('body').fontSize(9).fillColor('#444').text(v.vatMention, left, doc.y, {
      width,
    });
    doc.moveDown(1.5);

    // Settlement.
    const method = v.method ? ` par ${PAYMENT_METHOD_LABELS[v.method]}` : '';
    const settled = credit
      ? v.settledOn
        ? `Montant remboursé le ${pdfDate(v.settledOn)}${method}.`
        : 'Montant à rembourser.'
      : v.settledOn
        ? `Facture acquittée le ${pdfDate(v.settledOn)}${method}.`
        : 'Facture à régler.';
    doc.font('bold').fontSize(10).fillColor('#000').text(settled, { width });

    // Legal mentions.
    doc.moveDown(3).font('body').fontSize(8).fillColor('#666');
    if (v.legalMention) doc.text(v.legalMention, { width });
    doc.text(
      `${v.seller.name}${v.seller.siren ? `, SIREN ${v.seller.siren}` : ''}. ${
        credit
          ? 'Cet avoir annule tout ou partie de la facture citée ; il n’est pas un moyen de paiement.'
          : 'Aucun escompte pour paiement anticipé. Facture réglée : aucune pénalité de retard ne s’applique.'
      }`,
      { width },
    );
    doc.end();
  });
}
