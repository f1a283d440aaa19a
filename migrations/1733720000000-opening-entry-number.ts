import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The opening entry (à-nouveaux) is entry number 1 of its fiscal year (FEC: "the opening entries
 * as the first entry"). A fiscal year opened right after another one of the organization keeps
 * number 1 for the opening entry that closing the previous year will post: `opening_entry_number`
 * records the reserved number and `last_entry_number` starts there, so ordinary postings start
 * at 2. A first fiscal year (no predecessor) reserves nothing and starts at 1. Existing years and
 * their posted entries keep their numbers.
 *
 * Also: the posting role of the amount of a lost dispute (`dispute_losses`, 6581 by default, as
 * new organizations get it) for the organizations whose books are already set up.
 */
export class OpeningEntryNumber1733720000000 implements MigrationInterface {
  name = 'OpeningEntryNumber1733720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "fiscal_years" ADD "opening_entry_number" integer`);
    await q.query(
      `ALTER TABLE "fiscal_years" ADD CONSTRAINT "ck_fiscal_years_opening_entry_number" CHECK ("opening_entry_number" IS NULL OR ("opening_entry_number" = 1 AND "last_entry_number" >= 1))`,
    );
    // Runs after trg_fiscal_years_no_overlap (triggers fire in name order), which holds the
    // organization's advisory lock: a predecessor committed meanwhile is seen.
    await q.query(`CREATE FUNCTION ruche_fiscal_years_opening_number() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.last_entry_number = 0 AND NEW.opening_entry_number IS NULL
           AND EXISTS (SELECT 1 FROM fiscal_years f WHERE f.organization_id = NEW.organization_id AND f.end_date = NEW.start_date - 1) THEN
          NEW.opening_entry_number := 1;
          NEW.last_entry_number := 1;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER trg_fiscal_years_opening_number BEFORE INSERT ON "fiscal_years"
      FOR EACH ROW EXECUTE FUNCTION ruche_fiscal_years_opening_number()`);
    await q.query(
      `INSERT INTO "accounts" ("id", "organization_id", "number", "label")
       SELECT gen_random_uuid(), s."organization_id", '6581', 'Charges diverses de gestion courante' FROM "accounting_settings" s
       ON CONFLICT ("organization_id", "number") DO NOTHING`,
    );
    await q.query(
      `INSERT INTO "posting_accounts" ("organization_id", "role", "account_id")
       SELECT s."organization_id", 'dispute_losses', a."id" FROM "accounting_settings" s
         JOIN "accounts" a ON a."organization_id" = s."organization_id" AND a."number" = '6581'
       ON CONFLICT ("organization_id", "role") DO NOTHING`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "posting_accounts" WHERE "role" = 'dispute_losses'`);
    await q.query(`DROP TRIGGER trg_fiscal_years_opening_number ON "fiscal_years"`);
    await q.query(`DROP FUNCTION ruche_fiscal_years_opening_number()`);
    await q.query(
      `ALTER TABLE "fiscal_years" DROP CONSTRAINT "ck_fiscal_years_opening_entry_number"`,
    );
    await q.query(`ALTER TABLE "fiscal_years" DROP COLUMN "opening_entry_number"`);
  }
}
