import PDFDocument from 'pdfkit';
import { documentFonts, pdfAmount, pdfDate } from '@ruche/platform';

export interface AttestationVars {
  organization: { name: string; addressLines: string[]; siren: string | null };
  member: { name: string; reference: string; addressLines: string[] };
  planName: string;
  tierLabel: string | null;
  startDate: string;
  endDate: string | null;
  amountCents: number;
  currency: string;
  paidOn: string;
  method: string | null;
  paymentReference: string | null;
  issuedOn: string;
  /** false: the plan has counterparts (no fiscal receipt): the document says so. */
  receiptEligible: boolean;
}

const METHODS: Record<string, string> = {
  card: 'carte bancaire',
  sepa_debit: 'prélèvement SEPA',
  cheque: 'chèque',
  cash: 'espèces',
  transfer: 'virement',
  other: 'autre',
};

/** The membership certificate (attestation d'adhésion) sent with the payment confirmation. */
export function renderAttestationPdf(v: AttestationVars): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 56,
      info: {
        Title: `Attestation d'adhésion ${v.member.reference}`,
        Author: v.organization.name,
        Creator: 'Ruche',
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    // DejaVu Sans: members' names beyond Latin-1 (Ł, ễ, Cyrillic) print as written.
    const fonts = documentFonts();
    doc.registerFont('body', fonts.regular as unknown as Buffer);
    doc.registerFont('bold', fonts.bold as unknown as Buffer);
    const width = doc.page.width - 112;
    doc.font('bold').fontSize(14).text(v.organization.name);
    doc.font('body').fontSize(9).fillColor('#444');
    for (const line of v.organization.addressLines) doc.text(line);
    if (v.organization.siren) doc.text(`SIREN ${v.organization.siren}`);
    doc
      .moveDown(2)
      .fillColor('#000')
      .font('bold')
      .fontSize(18)
      .text("Attestation d'adhésion", { align: 'center', width });
    doc.moveDown(1.5).font('body').fontSize(11);
    const period = v.endDate
      ? `du ${pdfDate(v.startDate)} au ${pdfDate(v.endDate)}`
      : `à vie, depuis le ${pdfDate(v.startDate)}`;
    doc.text(
      `${v.organization.name} atteste que ${v.member.name} (membre ${v.member.reference}) est adhérent(e) de l'association ${period}, au titre de la formule « ${v.planName}${v.tierLabel ? ` – ${v.tierLabel}` : ''} ».`,
      { width, align: 'justify' },
    );
    doc.moveDown();
    // A free membership has nothing paid; one brought in by an import has no known method.
    const method = v.method ? METHODS[v.method] : undefined;
    doc.text(
      v.method === 'free' || v.amountCents === 0
        ? `Adhésion gratuite, enregistrée le ${pdfDate(v.paidOn)}.`
        : `Cotisation réglée : ${pdfAmount(v.amountCents)} ${v.currency}, le ${pdfDate(v.paidOn)}${method ? ` par ${method}` : ''}${v.paymentReference ? ` (référence ${v.paymentReference})` : ''}.`,
      { width },
    );
    if (v.member.addressLines.length > 0) {
      doc.moveDown().fontSize(9).fillColor('#444').text('Adresse du membre :');
      for (const line of v.member.addressLines) doc.text(line);
      doc.fillColor('#000').fontSize(11);
    }
    doc.moveDown(1.5).fontSize(9).fillColor('#444');
    doc.text(
      v.receiptEligible
        ? 'Cette attestation ne vaut pas reçu fiscal : le reçu fiscal, lorsqu’il est dû, est émis séparément.'
        : 'Cette cotisation donne accès à des contreparties : elle n’ouvre pas droit à un reçu fiscal. Ce document tient lieu de justificatif de paiement.',
      { width },
    );
    doc
      .moveDown(2)
      .fillColor('#000')
      .fontSize(10)
      .text(`Fait le ${pdfDate(v.issuedOn)}.`, { width, align: 'right' });
    doc.end();
  });
}
