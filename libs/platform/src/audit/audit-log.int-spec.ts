import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@ruche/testing';

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
});
