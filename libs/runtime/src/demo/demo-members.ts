import type { Type } from '@nestjs/common';
import { LocalDate, systemContext } from '@ruche/core';
import type { CreateContactInput } from '@ruche/contracts';
import { ContactsService, TagsService } from '@ruche/contacts';
import { MembershipsService, PlansService } from '@ruche/memberships';

type Resolve = <T>(type: Type<T>) => T;

const PEOPLE: [string, string, string, string, string][] = [
  ['mme', 'Jeanne', 'Dupré', 'jeanne.dupre@example.org', '69003'],
  ['m', 'Karim', 'Benali', 'karim.benali@example.org', '69003'],
  ['mme', 'Sophie', 'Lambert', 'sophie.lambert@example.org', '69007'],
  ['m', 'Lucas', 'Moreau', 'lucas.moreau@example.org', '69003'],
  ['mme', 'Chloé', 'Nguyen', 'chloe.nguyen@example.org', '69008'],
  ['m', 'Antoine', 'Girard', 'antoine.girard@example.org', '69003'],
  ['mme', 'Fatou', 'Diallo', 'fatou.diallo@example.org', '69007'],
  ['m', 'Hugo', 'Fontaine', 'hugo.fontaine@example.org', '69003'],
  ['mme', 'Élise', 'Roux', 'elise.roux@example.org', '69006'],
  ['m', 'Paul', 'Mercier', 'paul.mercier@example.org', '69003'],
];

/**
 * Members of the demo association, through the same services as real use: two plans, ten
 * people, paid memberships posted to the books, one waiting for payment, one lapsed. The desk
 * payments send no confirmation e-mail (`notify: false`): the addresses are made up.
 */
export async function seedDemoMembers(
  resolve: Resolve,
  organizationId: string,
  today: LocalDate,
): Promise<void> {
  const ctx = systemContext(organizationId);
  const contacts = resolve(ContactsService);
  const plans = resolve(PlansService);
  const memberships = resolve(MembershipsService);
  const tags = resolve(TagsService);
  const volunteers = await tags.create(ctx, { name: 'Bénévoles', color: '#2f855a' });
  const board = await tags.create(ctx, { name: "Conseil d'administration", color: '#b7791f' });
  const yearly = await plans.create(ctx, {
    name: 'Adhésion annuelle',
    description: "Adhésion pour l'année civile.",
    pricingKind: 'tiers',
    tiers: [
      { code: 'plein', label: 'Plein tarif', amount: 2000 },
      { code: 'reduit', label: 'Tarif réduit', amount: 1000 },
    ],
    validityKind: 'calendar_year',
    receiptEligible: false,
    household: false,
    subscription: 'yearly',
    active: true,
  });
  const benefactor = await plans.create(ctx, {
    name: 'Membre bienfaiteur',
    description: null,
    pricingKind: 'free_amount',
    tiers: [],
    minimumAmount: 5000,
    validityKind: 'calendar_year',
    receiptEligible: true,
    household: false,
    subscription: 'none',
    active: true,
  });
  const yearStart = LocalDate.of(today.year, 1, 1);
  for (const [index, [civility, firstName, lastName, email, postalCode]] of PEOPLE.entries()) {
    const input: CreateContactInput = {
      kind: 'person',
      civility: civility as CreateContactInput['civility'],
      firstName,
      lastName,
      email,
      addressLine1: `${3 + index * 4} rue de la République`,
      postalCode,
      city: 'Lyon',
      country: 'FR',
      locale: 'fr',
      customFields: {},
      tagIds: index < 4 ? [volunteers.id] : index === 4 ? [board.id, volunteers.id] : [],
      confirmNotDuplicate: true,
    };
    const contact = (await contacts.create(ctx, input)).contact;
    const paidOn = yearStart.plusDays(10 + index * 12);
    const paidDay = paidOn.isAfter(today) ? today : paidOn;
    if (index === 8) {
      // Last year's member who did not come back.
      const last = LocalDate.of(today.year - 1, 2, 1);
      await memberships.create(ctx, {
        contactId: contact.id,
        planId: yearly.id,
        tierCode: 'plein',
        startDate: last.toString(),
        payment: { method: 'cheque', paidOn: last.toString(), reference: null, notify: false },
      });
    } else if (index === 9) {
      await memberships.create(ctx, {
        contactId: contact.id,
        planId: yearly.id,
        tierCode: 'plein',
      });
    } else if (index === 2) {
      await memberships.create(ctx, {
        contactId: contact.id,
        planId: benefactor.id,
        amount: 15000,
        startDate: paidDay.toString(),
        payment: {
          method: 'transfer',
          paidOn: paidDay.toString(),
          reference: 'VIR LAMBERT',
          notify: false,
        },
      });
    } else {
      await memberships.create(ctx, {
        contactId: contact.id,
        planId: yearly.id,
        tierCode: index % 3 === 0 ? 'reduit' : 'plein',
        startDate: paidDay.toString(),
        payment: {
          method: index % 2 === 0 ? 'cheque' : 'cash',
          paidOn: paidDay.toString(),
          reference: null,
          notify: false,
        },
      });
    }
  }
}
