import type { MigrationInterface, QueryRunner } from 'typeorm';

/** GDPR consents: recorded with their date and source, never edited (a trigger refuses changes). */
export class ContactConsents1732600000000 implements MigrationInterface {
  name = 'ContactConsents1732600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "contact_consents" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "kind" character varying(30) NOT NULL, "granted" boolean NOT NULL, "source" character varying(20) NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, "recorded_by" uuid, CONSTRAINT "pk_contact_consents" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_contact_consents_contact" ON "contact_consents" ("organization_id", "contact_id", "kind", "recorded_at")`);
    await q.query(`ALTER TABLE "contact_consents" ADD CONSTRAINT "fk_contact_consents_contact" FOREIGN KEY ("organization_id", "contact_id") REFERENCES "contacts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`CREATE OR REPLACE FUNCTION ruche_contact_consents_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'contact consents are recorded, never changed' USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`CREATE TRIGGER ruche_contact_consents_append_only BEFORE UPDATE OR DELETE ON "contact_consents" FOR EACH ROW EXECUTE FUNCTION ruche_contact_consents_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "contact_consents"`);
    await q.query(`DROP FUNCTION ruche_contact_consents_append_only()`);
  }
}
