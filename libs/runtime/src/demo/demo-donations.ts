import type { Type } from '@nestjs/common';
import { LocalDate, systemContext } from '@ruche/core';
import { DataSource } from 'typeorm';
import { ContactEntity, ContactsService } from '@ruche/contacts';
import { CampaignsService, DonationsService } from '@ruche/donations';
import { ReceiptSettingsService, ReceiptsService } from '@ruche/receipts';

type Resolve = <T>(type: Type<T>) => T;

/** A 1×1 grey PNG standing for the treasurer's scanned signature in the demo. */
const DEMO_SIGNATURE_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/**
 * Gifts and fiscal receipts of the demo association, through the same services as real use:
 * receipts enabled with a complete legal identity and signer, a campaign, gifts at the desk
 * (transfer, cash, in kind, renounced expenses), each receipted by the worker.
 */
export async function seedDemoDonations(
  resolve: Resolve,
  organizationId: string,
  today: LocalDate,
): Promise<void> {
  const ctx = systemContext(organizationId);
  const settings = resolve(ReceiptSettingsService);
  const receipts = resolve(ReceiptsService);
  const campaigns = resolve(CampaignsService);
  const donations = resolve(DonationsService);
  const contacts = resolve(ContactsService);
  await settings.setSignature(ctx, { mimeType: 'image/png', contentBase64: DEMO_SIGNATURE_PNG });
  await settings.update(ctx, {
    enabled: true,
    defaultMode: 'per_gift',
    recurringMode: 'annual',
    article200: true,
    article978: false,
    signerName: 'Camille Martin',
    signerTitle: 'Trésorière',
    place: 'Lyon',
    rupDecreeDate: null,
    rupJournalDate: null,
    // The demo people are fictitious: their receipts stay in the register (the outbox keeps the
    // e-mails a newcomer triggers, such as a password reset).
    sendByEmail: false,
  });
  const campaign = await campaigns.create(ctx, {
    name: 'Rénovation du local',
    description: 'Refaire la salle commune : peinture, chauffage, accessibilité.',
    goal: 300000,
    suggestedAmounts: [2000, 5000, 10000],
    allowMonthly: true,
    revenueAccount: null,
    analytic: 'LOCAL',
    active: true,
  });
  const people = await resolve(DataSource)
    .getRepository(ContactEntity)
    .find({ where: { organizationId }, select: { id: true, lastName: true } });
  const byName = (lastName: string) => people.find((p) => p.lastName === lastName)?.id;
  const company = (
    await contacts.create(ctx, {
      kind: 'organization',
      organizationName: 'Imprimerie Lumière SARL',
      siren: '552100554',
      email: 'contact@imprimerie-lumiere.example',
      addressLine1: '8 quai Perrache',
      postalCode: '69002',
      city: 'Lyon',
      country: 'FR',
      locale: 'fr',
      customFields: {},
      tagIds: [],
      confirmNotDuplicate: true,
    })
  ).contact;
  const day = (offset: number) => {
    const d = LocalDate.of(today.year, 1, 20).plusDays(offset);
    return (d.isAfter(today) ? today : d).toString();
  };
  const gifts = [
    {
      contactId: byName('Dupré'),
      amount: 5000,
      method: 'transfer' as const,
      reference: 'VIR DUPRE DON',
      campaignId: campaign.id,
      receivedOn: day(0),
    },
    {
      contactId: byName('Benali'),
      amount: 2000,
      method: 'cash' as const,
      campaignId: campaign.id,
      receivedOn: day(30),
    },
    {
      contactId: byName('Fontaine'),
      amount: 12000,
      method: 'transfer' as const,
      reference: 'VIR FONTAINE',
      campaignId: null,
      receivedOn: day(60),
    },
  ];
  for (const g of gifts) {
    if (!g.contactId) continue;
    await donations.create(ctx, {
      contactId: g.contactId,
      campaignId: g.campaignId,
      kind: 'money',
      amount: g.amount,
      receivedOn: g.receivedOn,
      method: g.method,
      reference: g.reference ?? null,
      wantsReceipt: true,
    });
  }
  await donations.create(ctx, {
    contactId: company.id,
    campaignId: campaign.id,
    kind: 'in_kind',
    amount: 35000,
    receivedOn: day(45),
    description: '500 affiches A3 imprimées pour la fête de quartier',
    valuationMethod: 'Prix de revient (papier, encre, temps machine)',
    debitAccount: '623',
    wantsReceipt: true,
  });
  const volunteer = byName('Moreau');
  if (volunteer)
    await donations.create(ctx, {
      contactId: volunteer,
      campaignId: null,
      kind: 'expense_waiver',
      amount: 4560,
      receivedOn: day(75),
      description: 'Frais kilométriques, collecte alimentaire (152 km)',
      debitAccount: '6251',
      wantsReceipt: true,
    });
  // The benefactor membership (eligible plan) paid before receipts were on: receipted now.
  await receipts.retryWaiting(ctx);
}
