import type { ReceiptSettingsView } from '@ruche/contracts';
import type { TestSession } from '@ruche/testing';

/** A 1×1 PNG: the treasurer's scanned signature. */
export const SIGNATURE_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** Gives the organization everything a receipt needs (legal identity, signer, signature). */
export async function makeReceiptsReady(
  owner: TestSession,
  settings: Record<string, unknown> = {},
): Promise<ReceiptSettingsView> {
  const staff = `/api/v1/orgs/${owner.orgId}`;
  const org = (await owner.get(staff).expect(200)).body as Record<string, unknown>;
  await owner
    .put(staff, {
      name: org['name'],
      legalName: 'Association Les Amis du Refuge',
      addressLine1: '12 rue des Lilas',
      postalCode: '69003',
      city: 'Lyon',
      country: 'FR',
      rna: 'W691234567',
      object: 'Recueillir et soigner les animaux abandonnés',
      organismType: 'general_interest',
      timeZone: 'Europe/Paris',
      currency: 'EUR',
      fiscalYearStartMonth: 1,
      locale: 'fr',
    })
    .expect(200);
  await owner
    .put(`${staff}/receipts/settings/signature`, {
      mimeType: 'image/png',
      contentBase64: SIGNATURE_PNG,
    })
    .expect(200);
  return (
    await owner
      .put(`${staff}/receipts/settings`, {
        enabled: true,
        defaultMode: 'per_gift',
        recurringMode: 'annual',
        article200: true,
        article978: false,
        signerName: 'Claire Dubois',
        signerTitle: 'Trésorière',
        place: 'Lyon',
        sendByEmail: true,
        ...settings,
      })
      .expect(200)
  ).body as ReceiptSettingsView;
}
