import type { OrganismType, ReceiptSettingProblem } from '@ruche/contracts';

export interface IssuerIdentity {
  name: string;
  legalName: string | null;
  addressLine1: string | null;
  postalCode: string | null;
  city: string | null;
  siren: string | null;
  rna: string | null;
  object: string | null;
  organismType: OrganismType | null;
  organismTypeOther: string | null;
}

export interface IssuerSettings {
  enabled: boolean;
  article200: boolean;
  article978: boolean;
  signerName: string | null;
  signerTitle: string | null;
  place: string | null;
  rupDecreeDate: string | null;
  rupJournalDate: string | null;
  hasSignature: boolean;
}

/**
 * What is missing before the organization may issue a receipt (cerfa 11580*05 mandatory items):
 * an empty list means ready. Issuing with one of these missing would certify an incomplete
 * document, so the service refuses and consumes no number.
 */
export function issuerProblems(org: IssuerIdentity, s: IssuerSettings): ReceiptSettingProblem[] {
  const problems: ReceiptSettingProblem[] = [];
  const o = (field: string, message: string) =>
    problems.push({ field, where: 'organization', message });
  const r = (field: string, message: string) =>
    problems.push({ field, where: 'receipts', message });
  if (!s.enabled) r('enabled', 'Receipts are not enabled for this organization');
  if (!org.addressLine1) o('addressLine1', 'The association’s address');
  if (!org.postalCode) o('postalCode', 'The association’s postal code');
  if (!org.city) o('city', 'The association’s town');
  if (!org.siren && !org.rna) o('siren', 'A SIREN or RNA number (mandatory on cerfa 11580*05)');
  if (!org.object) o('object', 'The association’s object (its purpose)');
  if (!org.organismType) o('organismType', 'The type of organism (a box of the cerfa)');
  if (org.organismType === 'other' && !org.organismTypeOther)
    o('organismTypeOther', 'Describe the type of organism');
  if (org.organismType === 'rup' && (!s.rupDecreeDate || !s.rupJournalDate))
    r('rupDecreeDate', 'The dates of the public-utility decree and of its publication');
  if (!s.article200 && !s.article978) r('article200', 'At least one tax article (200 or 978)');
  if (!s.signerName) r('signerName', 'The signer’s name');
  if (!s.signerTitle) r('signerTitle', 'The signer’s quality (e.g. Trésorier)');
  if (!s.place) r('place', 'The place of signature');
  if (!s.hasSignature) r('signature', 'The signature image');
  return problems;
}

export interface DonorIdentity {
  kind: 'person' | 'organization';
  firstName: string | null;
  lastName: string | null;
  organizationName: string | null;
  siren: string | null;
  addressLine1: string | null;
  postalCode: string | null;
  city: string | null;
}

export interface DonorProblem {
  code: string;
  /** French first: shown to the treasurer as the reason a gift waits. */
  fr: string;
  en: string;
}

/** What the donor's record lacks for a receipt (the tax administration rejects incomplete ones). */
export function donorProblems(d: DonorIdentity): DonorProblem[] {
  const problems: DonorProblem[] = [];
  if (d.kind === 'organization') {
    if (!d.organizationName)
      problems.push({
        code: 'company_name',
        fr: 'la dénomination de l’entreprise',
        en: 'the company name',
      });
    if (!d.siren)
      problems.push({
        code: 'company_siren',
        fr: 'le SIREN de l’entreprise',
        en: 'the company’s SIREN',
      });
  } else if (!d.lastName)
    problems.push({ code: 'last_name', fr: 'le nom du donateur', en: 'the donor’s last name' });
  if (!d.addressLine1 || !d.postalCode || !d.city)
    problems.push({
      code: 'address',
      fr: 'l’adresse complète du donateur',
      en: 'the donor’s full address',
    });
  return problems;
}

/** `2026-000123`: per organization and calendar year, gapless. */
export function receiptReference(year: number, number: number): string {
  return `${year}-${String(number).padStart(6, '0')}`;
}
