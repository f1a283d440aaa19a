import type { DataSource } from 'typeorm';
import { newId } from '@ruche/core';
import { hashPassword, OrganizationEntity, OrganizationMemberEntity, UserEntity } from '@ruche/organizations';

export const DEMO_EMAIL = 'demo@ruche.local';
export const DEMO_PASSWORD = 'ruche-demo-2026';
export const DEMO_ORGANIZATION_NAME = 'Les Amis du Quartier (démo)';

/**
 * The demo association of the embedded start: created once, left alone afterwards.
 * Each domain adds its part (members, payments, donations, receipts) as it lands.
 */
export async function seedDemo(dataSource: DataSource): Promise<{ created: boolean; organizationId: string | null }> {
  const exists = await dataSource.getRepository(UserEntity).exist({ where: { email: DEMO_EMAIL } });
  if (exists) return { created: false, organizationId: null };
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const organizationId = newId();
  await dataSource.transaction(async (tx) => {
    const now = new Date();
    await tx.insert(OrganizationEntity, {
      id: organizationId,
      name: DEMO_ORGANIZATION_NAME,
      legalName: 'Association Les Amis du Quartier',
      addressLine1: '12 rue des Lilas',
      addressLine2: null,
      postalCode: '69003',
      city: 'Lyon',
      country: 'FR',
      siren: '732829320',
      rna: 'W691234567',
      object: "Animer la vie du quartier, favoriser l'entraide entre habitants et organiser des activités culturelles.",
      organismType: 'general_interest',
      organismTypeOther: null,
      email: 'contact@amis-du-quartier.example',
      website: null,
      timeZone: 'Europe/Paris',
      currency: 'EUR',
      fiscalYearStartMonth: 1,
      locale: 'fr',
      createdAt: now,
      updatedAt: now,
    });
    const userId = newId();
    await tx.insert(UserEntity, {
      id: userId,
      email: DEMO_EMAIL,
      name: 'Camille Martin',
      passwordHash,
      locale: 'fr',
      createdAt: now,
      updatedAt: now,
    });
    await tx.insert(OrganizationMemberEntity, { organizationId, userId, role: 'owner', createdAt: now });
  });
  return { created: true, organizationId };
}
