import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invoices (factures) of memberships sold with counterparts, and credit notes (avoirs) of their
 * refunds: settings (VAT mention), the gapless numbering counters (one per organization, kind
 * and calendar year) and the issued documents (append-only, their PDF stored with its SHA-256).
 */
export class Invoices1733600000000 implements MigrationInterface {
  name = 'Invoices1733600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "invoice_settings" ("organization_id" uuid NOT NULL, "vat_mention" character varying(300) NOT NULL, "legal_mention" character varying(500), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_invoice_settings" PRIMARY KEY ("organization_id"))`,
    );
    await q.query(
      `CREATE TABLE "invoice_sequences" ("organization_id" uuid NOT NULL, "kind" character varying(12) NOT NULL, "year" integer NOT NULL, "last_number" integer NOT NULL, CONSTRAINT "ck_invoice_sequences_kind" CHECK ("kind" IN ('invoice', 'credit_note')), CONSTRAINT "pk_invoice_sequences" PRIMARY KEY ("organization_id", "kind", "year"))`,
    );
    await q.query(
      `CREATE TABLE "invoices" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "kind" character varying(12) NOT NULL, "year" integer NOT NULL, "number" integer NOT NULL, "reference" character varying(20) NOT NULL, "issued_on" date NOT NULL, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL, "issued_by" uuid, "contact_id" uuid NOT NULL, "source_kind" character varying(20) NOT NULL, "source_id" uuid NOT NULL, "payment_id" uuid NOT NULL, "refund_id" uuid, "credited_invoice_id" uuid, "seller" jsonb NOT NULL, "buyer" jsonb NOT NULL, "lines" jsonb NOT NULL, "buyer_name" character varying(250) NOT NULL, "total_cents" bigint NOT NULL, "currency" character(3) NOT NULL, "vat_mention" character varying(300) NOT NULL, "paid_on" date, "payment_method" character varying(20), "pdf" bytea NOT NULL, "pdf_sha256" character(64) NOT NULL, "status" character varying(10) NOT NULL, "credited_cents" bigint NOT NULL DEFAULT '0', "cancelled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_invoices_number" UNIQUE ("organization_id", "kind", "year", "number"), CONSTRAINT "uq_invoices_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_invoices_credit_note" CHECK (("kind" = 'credit_note') = ("credited_invoice_id" IS NOT NULL AND "refund_id" IS NOT NULL)), CONSTRAINT "ck_invoices_cancelled" CHECK (("status" = 'cancelled') = ("cancelled_at" IS NOT NULL)), CONSTRAINT "ck_invoices_amounts" CHECK ("total_cents" > 0 AND "credited_cents" >= 0 AND "credited_cents" <= "total_cents"), CONSTRAINT "ck_invoices_source" CHECK ("source_kind" IN ('membership')), CONSTRAINT "ck_invoices_status" CHECK ("status" IN ('issued', 'cancelled')), CONSTRAINT "ck_invoices_kind" CHECK ("kind" IN ('invoice', 'credit_note')), CONSTRAINT "ck_invoices_number" CHECK ("number" > 0), CONSTRAINT "pk_invoices" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_invoices_org_source" ON "invoices" ("organization_id", "source_kind", "source_id") `,
    );
    await q.query(
      `CREATE INDEX "ix_invoices_org_issued" ON "invoices" ("organization_id", "issued_on") `,
    );
    await q.query(
      `CREATE INDEX "ix_invoices_org_contact" ON "invoices" ("organization_id", "contact_id") `,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_invoices_refund" ON "invoices" ("organization_id", "refund_id") WHERE "refund_id" IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_invoices_payment" ON "invoices" ("organization_id", "payment_id") WHERE "kind" = 'invoice'`,
    );
    await q.query(
      `ALTER TABLE "invoice_settings" ADD CONSTRAINT "fk_invoice_settings_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "invoice_sequences" ADD CONSTRAINT "fk_invoice_sequences_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "invoices" ADD CONSTRAINT "fk_invoices_contact" FOREIGN KEY ("organization_id", "contact_id") REFERENCES "contacts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "invoices" ADD CONSTRAINT "fk_invoices_payment" FOREIGN KEY ("organization_id", "payment_id") REFERENCES "payments"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "invoices" ADD CONSTRAINT "fk_invoices_refund" FOREIGN KEY ("organization_id", "refund_id") REFERENCES "payment_refunds"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "invoices" ADD CONSTRAINT "fk_invoices_credited_invoice" FOREIGN KEY ("organization_id", "credited_invoice_id") REFERENCES "invoices"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Issued invoices and credit notes are legal records: never deleted; what they print never
    // changes. Only an invoice's credited total (which only grows), its cancellation once fully
    // credited, and a contact merge may change a row.
    await q.query(`CREATE OR REPLACE FUNCTION ruche_invoices_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'an issued invoice is never deleted: issue a credit note' USING ERRCODE = 'restrict_violation';
        END IF;
        IF (to_jsonb(NEW) - ARRAY['status', 'cancelled_at', 'credited_cents', 'contact_id'])
           IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['status', 'cancelled_at', 'credited_cents', 'contact_id']) THEN
          RAISE EXCEPTION 'an issued invoice is never edited: issue a credit note' USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.credited_cents < OLD.credited_cents THEN
          RAISE EXCEPTION 'what an invoice credited only grows' USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.status = 'cancelled' AND (NEW.status <> 'cancelled' OR NEW.cancelled_at IS DISTINCT FROM OLD.cancelled_at) THEN
          RAISE EXCEPTION 'a cancelled invoice stays cancelled' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER ruche_invoices_append_only BEFORE UPDATE OR DELETE ON "invoices" FOR EACH ROW EXECUTE FUNCTION ruche_invoices_append_only()`,
    );
    // A number once issued is never reused: the counters only go up and are never removed.
    await q.query(`CREATE OR REPLACE FUNCTION ruche_invoice_sequences_forward() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR NEW.last_number < OLD.last_number OR NEW.organization_id <> OLD.organization_id
           OR NEW.kind <> OLD.kind OR NEW.year <> OLD.year THEN
          RAISE EXCEPTION 'invoice numbers only go forward' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER ruche_invoice_sequences_forward BEFORE UPDATE OR DELETE ON "invoice_sequences" FOR EACH ROW EXECUTE FUNCTION ruche_invoice_sequences_forward()`,
    );
    // TRUNCATE skips row triggers: refused too (the function of the truncate-guards migration).
    for (const table of ['invoices', 'invoice_sequences'])
      await q.query(
        `CREATE TRIGGER ruche_${table}_no_truncate BEFORE TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION ruche_no_truncate()`,
      );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['invoice_sequences', 'invoices'])
      await q.query(`DROP TRIGGER ruche_${table}_no_truncate ON "${table}"`);
    await q.query(`DROP TRIGGER ruche_invoice_sequences_forward ON "invoice_sequences"`);
    await q.query(`DROP TRIGGER ruche_invoices_append_only ON "invoices"`);
    await q.query(`DROP FUNCTION ruche_invoice_sequences_forward()`);
    await q.query(`DROP FUNCTION ruche_invoices_append_only()`);
    await q.query(`DROP TABLE "invoices"`);
    await q.query(`DROP TABLE "invoice_sequences"`);
    await q.query(`DROP TABLE "invoice_settings"`);
  }
}
