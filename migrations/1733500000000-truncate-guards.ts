import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The money and legal records are append-only row by row (earlier migrations); TRUNCATE skips
 * row triggers, so each of those tables also refuses TRUNCATE with a statement trigger.
 */
export const GUARDED_TABLES = [
  'audit_logs',
  'journal_entries',
  'journal_entry_lines',
  'account_balances',
  'entry_attachments',
  'contact_consents',
  'payment_status_changes',
  'receipts',
  'receipt_lines',
  'reconciliation_matches',
] as const;

export class TruncateGuards1733500000000 implements MigrationInterface {
  name = 'TruncateGuards1733500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION ruche_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'TRUNCATE on % is forbidden: its rows are money or legal records', TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation';
      END $$`);
    for (const table of GUARDED_TABLES) {
      await q.query(
        `CREATE TRIGGER ruche_${table}_no_truncate BEFORE TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION ruche_no_truncate()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of GUARDED_TABLES)
      await q.query(`DROP TRIGGER ruche_${table}_no_truncate ON "${table}"`);
    await q.query(`DROP FUNCTION ruche_no_truncate()`);
  }
}
