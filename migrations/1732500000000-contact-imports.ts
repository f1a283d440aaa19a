import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Contact imports: the uploaded file with its mapping and run state, and the report row by row. */
export class ContactImports1732500000000 implements MigrationInterface {
  name = 'ContactImports1732500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "contact_imports" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "file_name" character varying(255) NOT NULL, "format" character varying(10) NOT NULL, "content" bytea NOT NULL, "size_bytes" integer NOT NULL, "encoding" character varying(20), "delimiter" character varying(2), "headers" jsonb NOT NULL, "sample" jsonb NOT NULL, "row_count" integer NOT NULL, "mapping" jsonb, "status" character varying(20) NOT NULL, "mode" character varying(10), "run_seq" integer NOT NULL DEFAULT '0', "processed_rows" integer NOT NULL DEFAULT '0', "counts" jsonb, "error" text, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_contact_imports_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_contact_imports_status" CHECK ("status" IN ('uploaded', 'mapped', 'queued', 'running', 'done', 'failed')), CONSTRAINT "pk_contact_imports" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_contact_imports_org_created" ON "contact_imports" ("organization_id", "created_at")`);
    await q.query(`CREATE TABLE "contact_import_rows" ("organization_id" uuid NOT NULL, "import_id" uuid NOT NULL, "mode" character varying(10) NOT NULL, "row_number" integer NOT NULL, "outcome" character varying(10) NOT NULL, "contact_id" uuid, "label" character varying(300) NOT NULL, "messages" jsonb NOT NULL, CONSTRAINT "pk_contact_import_rows" PRIMARY KEY ("organization_id", "import_id", "mode", "row_number"))`);
    await q.query(`CREATE INDEX "ix_contact_import_rows_outcome" ON "contact_import_rows" ("organization_id", "import_id", "mode", "outcome", "row_number")`);
    await q.query(`ALTER TABLE "contact_imports" ADD CONSTRAINT "fk_contact_imports_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "contact_import_rows" ADD CONSTRAINT "fk_contact_import_rows_import" FOREIGN KEY ("organization_id", "import_id") REFERENCES "contact_imports"("organization_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "contact_import_rows"`);
    await q.query(`DROP TABLE "contact_imports"`);
  }
}
