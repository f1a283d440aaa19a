import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Supporting documents of journal entries, frozen with their entry once it is posted. */
export class EntryAttachments1732200000000 implements MigrationInterface {
  name = 'EntryAttachments1732200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "entry_attachments" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "entry_id" uuid NOT NULL, "file_name" character varying(200) NOT NULL, "content_type" character varying(100) NOT NULL, "size_bytes" integer NOT NULL, "sha256" character(64) NOT NULL, "data" bytea NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_entry_attachments" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_entry_attachments_entry" ON "entry_attachments" ("organization_id", "entry_id")`);
    await q.query(`ALTER TABLE "entry_attachments" ADD CONSTRAINT "fk_entry_attachments_entry" FOREIGN KEY ("organization_id", "entry_id") REFERENCES "journal_entries"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`CREATE FUNCTION ruche_entry_attachments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM journal_entries e WHERE e.organization_id = OLD.organization_id AND e.id = OLD.entry_id AND e.status = 'posted') THEN
          RAISE EXCEPTION 'attachments of a posted entry are part of the record' USING ERRCODE = 'restrict_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER trg_entry_attachments_guard BEFORE UPDATE OR DELETE ON "entry_attachments"
      FOR EACH ROW EXECUTE FUNCTION ruche_entry_attachments_guard()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER trg_entry_attachments_guard ON "entry_attachments"`);
    await q.query(`DROP FUNCTION ruche_entry_attachments_guard()`);
    await q.query(`ALTER TABLE "entry_attachments" DROP CONSTRAINT "fk_entry_attachments_entry"`);
    await q.query(`DROP TABLE "entry_attachments"`);
  }
}
