import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@ruche/testing';
import { AuditService } from './audit.service';
import { AuditLogEntity } from './audit-log.entity';
import { FixedClock } from '../clock/clock';

describe('audit log', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await openTestDataSource();
  });
  afterAll(() => ds.destroy());

  it('is append-only: the database refuses UPDATE and DELETE', async () => {
    const id = randomUUID();
    await ds.query(`INSERT INTO audit_logs (id, organization_id, action, entity_type) VALUES ($1, $2, 'test.action', 'test')`, [id, randomUUID()]);
    await expect(ds.query(`UPDATE audit_logs SET action = 'tampered' WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(ds.query(`DELETE FROM audit_logs WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    const [row] = await ds.query(`SELECT action FROM audit_logs WHERE id = $1`, [id]);
    expect(row.action).toBe('test.action');
  });

  it('records who, what, when and before/after inside the caller transaction, for the actor organization only', async () => {
    const audit = new AuditService(new FixedClock(new Date('2026-05-04T10:00:00Z')));
    const orgA = randomUUID();
    const orgB = randomUUID();
    const userId = randomUUID();
    const entityId = randomUUID();
    await ds.transaction((tx) =>
      audit.record(
        { organizationId: orgA, userId, ip: '192.0.2.1', requestId: 'req-1' },
        { action: 'organization.updated', entityType: 'organization', entityId, before: { name: 'Avant' }, after: { name: 'Après' } },
        tx,
      ),
    );
    // A change that is rolled back leaves no trace either.
    await expect(
      ds.transaction(async (tx) => {
        await audit.record({ organizationId: orgA, userId }, { action: 'organization.rolled-back', entityType: 'organization', entityId }, tx);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');

    const rowsA = await ds.getRepository(AuditLogEntity).findBy({ organizationId: orgA });
    expect(rowsA).toEqual([
      expect.objectContaining({
        actorUserId: userId,
        action: 'organization.updated',
        entityId,
        before: { name: 'Avant' },
        after: { name: 'Après' },
        ip: '192.0.2.1',
        requestId: 'req-1',
        createdAt: new Date('2026-05-04T10:00:00Z'),
      }),
    ]);
    expect(await ds.getRepository(AuditLogEntity).findBy({ organizationId: orgB })).toEqual([]);
  });
});
