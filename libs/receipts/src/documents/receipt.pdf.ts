import PDFDocument from 'pdfkit';
import type {
  GiftForm,
  GiftMethod,
  GiftNature,
  OrganismType,
  ReceiptModel,
  TaxArticle,
} from '@ruche/contracts';
import { pdfAmount, pdfDate } from '@ruche/core';
import { euroAmountInFrenchWords } from '../domain/amount-in-words';
import { receiptFonts } from './fonts';

/** Everything a receipt prints: frozen as the receipt's snapshot at issue. */
export interface ReceiptDocument {
  model: ReceiptModel;
  reference: string;
  kind: 'single' | 'annual';
  replacesReference: string | null;
  issuer: {
    name: string;
    addressLines: string[];
    siren: string | null;
    rna: string | null;
    object: string;
    organismType: OrganismType;
    organismTypeOther: string | null;
    rupDecreeDate: string | null;
    rupJournalDate: string | null;
  };
  donor: {
    kind: 'person' | 'company';
    name: string;
    siren: string | null;
    addressLines: string[];
  };
  amountCents: number;
  currency: string;
  periodStart: string;
  periodEnd: string;
  gifts: {
    receivedOn: string;
    amountCents: number;
    nature: GiftNature;
    form: GiftForm;
    method: GiftMethod | null;
    description: string | null;
    valuationMethod: string | null;
  }[];
  articles: TaxArticle[];
  issuedOn: string;
  place: string;
  signer: { name: string; title: string };
  signature: { mime: string; image: Buffer } | null;
}

export const ORGANISM_TYPE_LABELS: Record<OrganismType, string> = {
  rup: 'Association ou fondation reconnue d’utilité publique',
  alsace_moselle_mission:
    'Association située dans le Bas-Rhin, le Haut-Rhin ou la Moselle, dont la mission a été reconnue d’utilité publique',
  university_foundation: 'Fondation universitaire ou fondation partenariale',
  corporate_foundation: 'Fondation d’entreprise',
  general_interest: 'Œuvre ou organisme d’intérêt général',
  musee_de_france: 'Musée de France',
  higher_education:
    'Établissement d’enseignement supérieur ou d’enseignement artistique public ou privé, d’intérêt général, à but non lucratif',
  business_creation:
    'Organisme ayant pour objectif exclusif de participer à la création d’entreprises',
  worship_alsace_moselle:
    'Association cultuelle ou de bienfaisance et établissement public des cultes reconnus d’Alsace-Moselle',
  festival: 'Organisme ayant pour activité principale l’organisation de festivals',
  aid_to_people_in_difficulty:
    'Association fournissant gratuitement une aide alimentaire ou des soins médicaux à des personnes en difficulté ou favorisant leur logement',
  fondation_du_patrimoine:
    'Fondation du patrimoine ou fondation / association qui affecte irrévocablement les dons à la Fondation du patrimoine',
  research: 'Établissement de recherche public ou privé, d’intérêt général, à but non lucratif',
  insertion_enterprise: 'Entreprise d’insertion ou entreprise de travail temporaire d’insertion',
  intermediate_association: 'Association intermédiaire',
  insertion_workshop: 'Atelier et chantier d’insertion',
  adapted_enterprise: 'Entreprise adaptée',
  anr: 'Agence nationale de la recherche',
  approved_research: 'Société ou organisme agréé de recherche scientifique ou technique',
  endowment_fund: 'Fonds de dotation',
  eu_eea_organism:
    'Organisme établi dans un autre État membre de l’Union européenne ou de l’Espace économique européen',
  other: 'Autre organisme',
};

const FORMS: [GiftForm, string][] = [
  ['authentic_deed', 'Acte authentique'],
  ['private_deed', 'Acte sous seing privé'],
  ['manual_gift', 'Déclaration de don manuel'],
  ['other', 'Autres'],
];

const NATURES_INDIVIDUAL: [GiftNature, string][] = [
  ['money', 'Numéraire'],
  ['listed_shares', 'Titres de sociétés cotés'],
  ['in_kind', 'Autres (dons en nature)'],
  [
    'expense_waiver',
    'Frais engagés par les bénévoles, dont ils renoncent expressément au remboursement',
  ],
];

const NATURES_COMPANY: [GiftNature, string][] = [
  ['money', 'Numéraire'],
  ['listed_shares', 'Titres de sociétés cotés'],
  ['in_kind', 'Don en nature ou de compétences'],
  ['other', 'Autres'],
];

const METHODS: [GiftMethod, string][] = [
  ['cash', 'Remise d’espèces'],
  ['cheque', 'Chèque'],
  ['transfer_card_debit', 'Virement, prélèvement, carte bancaire'],
];

export const METHOD_LABELS: Record<GiftMethod, string> = Object.fromEntries(METHODS) as Record<
  GiftMethod,
  string
>;

const CHECKED = '☒';
const UNCHECKED = '☐';
const box = (on: boolean) => (on ? CHECKED : UNCHECKED);

/** `***120,50 €***`: the administrative tolerance frames the figures with asterisks. */
export function framedAmount(cents: number, currency: string): string {
  return `***${pdfAmount(cents)} ${currency === 'EUR' ? '€' : currency}***`;
}

/**
 * The receipt (cerfa 11580*05 for individuals, 16216*01 for companies) as Ruche's own layout
 * carrying every mandatory item (an organization may use its own layout: see receipts.md).
 */
export function renderReceiptPdf(v: ReceiptDocument, now: Date): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const company = v.model === '16216*01';
    const doc = new PDFDocument({
      size: 'A4',
      margin: 42,
      info: {
        Title: `Reçu fiscal n° ${v.reference}`,
        Author: v.issuer.name,
        Creator: 'Ruche',
        CreationDate: now,
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const fonts = receiptFonts();
    // pdfkit accepts a parsed fontkit font where its types say bytes.
    doc.registerFont('body', fonts.regular as unknown as Buffer);
    doc.registerFont('bold', fonts.bold as unknown as Buffer);
    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right;

    const section = (title: string) => {
      doc.moveDown(0.6);
      const y = doc.y;
      doc.rect(left, y, width, 16).fill('#e8e8e8');
      doc
        .fillColor('#000')
        .font('bold')
        .fontSize(9.5)
        .text(title, left + 4, y + 3.5, { width: width - 8 });
      doc.x = left;
      doc.y = y + 20;
      doc.font('body').fontSize(9);
    };
    const field = (label: string, value: string) => {
      doc.font('bold').text(`${label} : `, { continued: true }).font('body').text(value);
    };

    // Header
    doc
      .font('bold')
      .fontSize(12)
      .text(
        company
          ? 'Reçu des dons et versements effectués par les entreprises'
          : 'Reçu au titre des dons à certains organismes d’intérêt général',
        { align: 'center', width },
      );
    doc
      .font('body')
      .fontSize(9)
      .text(
        company
          ? 'Article 238 bis du code général des impôts'
          : 'Articles 200 et 978 du code général des impôts',
        { align: 'center', width },
      );
    doc.text(`Cerfa n° ${v.model}`, { align: 'center', width });
    doc.moveDown(0.5).font('bold').fontSize(11).text(`Numéro d’ordre du reçu : ${v.reference}`, {
      align: 'right',
      width,
    });
    if (v.replacesReference)
      doc
        .font('bold')
        .fontSize(9)
        .fillColor('#a00')
        .text(`Annule et remplace le reçu n° ${v.replacesReference}`, { align: 'right', width });
    doc.fillColor('#000');

    // Beneficiary
    section('Bénéficiaire des versements');
    field('Nom ou dénomination', v.issuer.name);
    field('Adresse', v.issuer.addressLines.join(', '));
    if (v.issuer.siren) field('SIREN', v.issuer.siren);
    if (v.issuer.rna) field('RNA', v.issuer.rna);
    field('Objet', v.issuer.object);
    let type = ORGANISM_TYPE_LABELS[v.issuer.organismType];
    if (v.issuer.organismType === 'rup' && v.issuer.rupDecreeDate && v.issuer.rupJournalDate)
      type += ` par décret en date du ${pdfDate(v.issuer.rupDecreeDate)} publié au Journal officiel du ${pdfDate(v.issuer.rupJournalDate)}`;
    if (v.issuer.organismType === 'other' && v.issuer.organismTypeOther)
      type += ` : ${v.issuer.organismTypeOther}`;
    doc.text(`${CHECKED} ${type}`);

    // Donor
    section(company ? 'Entreprise donatrice' : 'Donateur');
    field(company ? 'Dénomination' : 'Nom et prénoms', v.donor.name);
    if (company && v.donor.siren) field('SIREN', v.donor.siren);
    field('Adresse', v.donor.addressLines.join(', '));

    // Gift
    section('Versement');
    doc.text(
      'Le bénéficiaire reconnaît avoir reçu au titre des dons et versements ouvrant droit à réduction d’impôt, la somme de :',
    );
    doc.moveDown(0.3).font('bold').fontSize(12).text(framedAmount(v.amountCents, v.currency));
    doc.font('body').fontSize(9);
    field('Somme en toutes lettres', euroAmountInFrenchWords(v.amountCents));
    if (v.kind === 'annual' || v.gifts.length > 1) {
      field(
        'Dates des versements',
        `du ${pdfDate(v.periodStart)} au ${pdfDate(v.periodEnd)} (reçu récapitulatif)`,
      );
      doc.moveDown(0.2);
      for (const g of v.gifts) {
        const how = g.method ? ` - ${METHOD_LABELS[g.method]}` : '';
        doc.text(`• ${pdfDate(g.receivedOn)} : ${pdfAmount(g.amountCents)} €${how}`, {
          indent: 12,
        });
      }
    } else {
      field('Date du versement ou du don', pdfDate(v.periodStart));
    }
    doc.moveDown(0.4);
    if (!company) {
      doc.text(
        `Le bénéficiaire certifie sur l’honneur que les dons et versements qu’il reçoit ouvrent droit à la réduction d’impôt prévue à l’article : ${box(v.articles.includes('200'))} 200 du CGI    ${box(v.articles.includes('978'))} 978 du CGI`,
      );
    } else {
      doc.text(
        `Le bénéficiaire certifie sur l’honneur que les dons et versements qu’il reçoit ouvrent droit à la réduction d’impôt prévue à l’article 238 bis du CGI ${CHECKED}`,
      );
    }
    const forms = new Set(v.gifts.map((g) => g.form));
    const natures = new Set(v.gifts.map((g) => g.nature));
    const methods = new Set(v.gifts.map((g) => g.method).filter((m): m is GiftMethod => !!m));
    doc.moveDown(0.4);
    field('Forme du don', FORMS.map(([k, l]) => `${box(forms.has(k))} ${l}`).join('   '));
    doc.moveDown(0.2);
    doc.font('bold').text('Nature du don : ').font('body');
    for (const [k, l] of company ? NATURES_COMPANY : NATURES_INDIVIDUAL)
      doc.text(`${box(natures.has(k))} ${l}`, { indent: 12 });
    const described = v.gifts.filter((g) => g.description);
    for (const g of described) {
      doc.text(`Description : ${g.description}`, { indent: 12 });
      if (company && g.valuationMethod)
        doc.text(`Méthode de valorisation retenue par l’entreprise : ${g.valuationMethod}`, {
          indent: 12,
        });
    }
    if (natures.has('money')) {
      doc.moveDown(0.2);
      field(
        'Mode de versement du don',
        METHODS.map(([k, l]) => `${box(methods.has(k))} ${l}`).join('   '),
      );
    }

    // Signature
    doc.moveDown(1);
    const signY = doc.y;
    doc.text(`Fait à ${v.place}, le ${pdfDate(v.issuedOn)}`, left + width / 2, signY, {
      width: width / 2,
    });
    doc.text(`${v.signer.name}, ${v.signer.title}`, { width: width / 2 });
    if (v.signature) {
      try {
        doc.image(v.signature.image, left + width / 2, doc.y + 4, { fit: [160, 60] });
      } catch {
        // An unreadable image was refused at upload; an old one still lets the receipt print.
      }
    }
    doc.end();
  });
}
