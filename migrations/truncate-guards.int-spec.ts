import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@ruche/testing';
import { GUARDED_TABLES } from './1733500000000-truncate-guards';

describe('money and legal records refuse TRUNCATE', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await openTestDataSource();
  });
  afterAll(() => ds.destroy());

  it.each(GUARDED_TABLES)('%s', async (table) => {
    const runner = ds.createQueryRunner();
    await runner.startTransaction();
    try {
      await expect(runner.query(`TRUNCATE "${table}" CASCADE`)).rejects.toMatchObject({
        code: '23001',
        message: expect.stringContaining(`TRUNCATE on ${table} is forbidden`),
      });
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('still lets other tables be truncated (the guard is per table)', async () => {
    const runner = ds.createQueryRunner();
    await runner.startTransaction();
    try {
      await expect(runner.query('TRUNCATE "login_attempts"')).resolves.toBeDefined();
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
