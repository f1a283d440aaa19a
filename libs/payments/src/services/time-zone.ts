import type { EntityManager } from 'typeorm';

/** The organization's time zone, for the days of Stripe's Unix timestamps. */
export async function organizationTimeZone(
  m: Pick<EntityManager, 'query'>,
  organizationId: string,
): Promise<string> {
  const [org] = await m.query<{ time_zone: string }[]>(
    'SELECT time_zone FROM organizations WHERE id = $1',
    [organizationId],
  );
  return org?.time_zone ?? 'Europe/Paris';
}
