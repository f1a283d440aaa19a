import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Donations (campaigns, gifts, the donation page's settings) and fiscal receipts: settings, the
 * gapless numbering counter, receiptable gifts, issued receipts (append-only) and their lines.
 */
export class DonationsReceipts1733000000000 implements MigrationInterface {
  name = 'DonationsReceipts1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "receipt_settings" ("organization_id" uuid NOT NULL, "enabled" boolean NOT NULL DEFAULT false, "default_mode" character varying(10) NOT NULL DEFAULT 'per_gift', "recurring_mode" character varying(10) NOT NULL DEFAULT 'annual', "article200" boolean NOT NULL DEFAULT true, "article978" boolean NOT NULL DEFAULT false, "signer_name" character varying(120), "signer_title" character varying(120), "place" character varying(100), "rup_decree_date" date, "rup_journal_date" date, "send_by_email" boolean NOT NULL DEFAULT true, "signature_mime" character varying(20), "signature" bytea, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_receipt_settings_modes" CHECK ("default_mode" IN ('per_gift', 'annual') AND "recurring_mode" IN ('per_gift', 'annual')), CONSTRAINT "pk_receipt_settings" PRIMARY KEY ("organization_id"))`,
    );
    await q.query(
      `CREATE TABLE "receipt_sequences" ("organization_id" uuid NOT NULL, "year" integer NOT NULL, "last_number" integer NOT NULL, CONSTRAINT "pk_receipt_sequences" PRIMARY KEY ("organization_id", "year"))`,
    );
    await q.query(
      `CREATE TABLE "receipt_gifts" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "source_kind" character varying(20) NOT NULL, "source_id" uuid NOT NULL, "received_on" date NOT NULL, "amount_cents" bigint NOT NULL, "withdrawn_cents" bigint NOT NULL DEFAULT '0', "currency" character(3) NOT NULL, "nature" character varying(20) NOT NULL, "form" character varying(20) NOT NULL, "method" character varying(20), "description" character varying(500), "valuation_method" character varying(300), "mode" character varying(10) NOT NULL, "blocked_reason" character varying(500), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_receipt_gifts_source" UNIQUE ("organization_id", "source_kind", "source_id"), CONSTRAINT "uq_receipt_gifts_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_receipt_gifts_form" CHECK ("form" IN ('authentic_deed', 'private_deed', 'manual_gift', 'other')), CONSTRAINT "ck_receipt_gifts_nature" CHECK ("nature" IN ('money', 'listed_shares', 'in_kind', 'expense_waiver', 'other')), CONSTRAINT "ck_receipt_gifts_mode" CHECK ("mode" IN ('per_gift', 'annual')), CONSTRAINT "ck_receipt_gifts_source" CHECK ("source_kind" IN ('donation', 'membership')), CONSTRAINT "ck_receipt_gifts_amount" CHECK ("amount_cents" > 0 AND "withdrawn_cents" >= 0 AND "withdrawn_cents" <= "amount_cents"), CONSTRAINT "pk_receipt_gifts" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_receipt_gifts_org_contact" ON "receipt_gifts" ("organization_id", "contact_id") `,
    );
    await q.query(
      `CREATE INDEX "ix_receipt_gifts_org_received" ON "receipt_gifts" ("organization_id", "received_on") `,
    );
    await q.query(
      `CREATE TABLE "receipts" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "year" integer NOT NULL, "number" integer NOT NULL, "reference" character varying(20) NOT NULL, "kind" character varying(10) NOT NULL, "model" character varying(20) NOT NULL, "contact_id" uuid NOT NULL, "donor_name" character varying(250) NOT NULL, "snapshot" jsonb NOT NULL, "articles" character varying(10) array NOT NULL, "amount_cents" bigint NOT NULL, "currency" character(3) NOT NULL, "period_start" date NOT NULL, "period_end" date NOT NULL, "issued_on" date NOT NULL, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL, "issued_by" uuid, "pdf" bytea NOT NULL, "pdf_sha256" character(64) NOT NULL, "status" character varying(10) NOT NULL, "cancelled_at" TIMESTAMP WITH TIME ZONE, "cancel_reason" character varying(500), "cancelled_by" uuid, "replaces_id" uuid, "replaced_by_id" uuid, "email_id" uuid, CONSTRAINT "uq_receipts_number" UNIQUE ("organization_id", "year", "number"), CONSTRAINT "uq_receipts_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_receipts_cancelled" CHECK (("status" = 'cancelled') = ("cancelled_at" IS NOT NULL)), CONSTRAINT "ck_receipts_kind" CHECK ("kind" IN ('single', 'annual')), CONSTRAINT "ck_receipts_status" CHECK ("status" IN ('issued', 'cancelled')), CONSTRAINT "ck_receipts_amount" CHECK ("amount_cents" > 0), CONSTRAINT "ck_receipts_number" CHECK ("number" > 0), CONSTRAINT "pk_receipts" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_receipts_org_issued" ON "receipts" ("organization_id", "issued_at") `,
    );
    await q.query(
      `CREATE INDEX "ix_receipts_org_contact" ON "receipts" ("organization_id", "contact_id") `,
    );
    await q.query(
      `CREATE TABLE "receipt_lines" ("receipt_id" uuid NOT NULL, "gift_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "amount_cents" bigint NOT NULL, "received_on" date NOT NULL, "active" boolean NOT NULL DEFAULT true, CONSTRAINT "ck_receipt_lines_amount" CHECK ("amount_cents" > 0), CONSTRAINT "pk_receipt_lines" PRIMARY KEY ("receipt_id", "gift_id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_receipt_lines_active_gift" ON "receipt_lines" ("organization_id", "gift_id") WHERE "active"`,
    );
    await q.query(
      `CREATE TABLE "donation_settings" ("organization_id" uuid NOT NULL, "suggested_amounts" integer array NOT NULL, "monthly_suggested_amounts" integer array NOT NULL, "minimum_cents" integer NOT NULL, "expense_waiver_account" character varying(20) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_donation_settings" PRIMARY KEY ("organization_id"))`,
    );
    await q.query(
      `CREATE TABLE "donation_campaigns" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "name" character varying(120) NOT NULL, "description" text, "goal_cents" bigint, "currency" character(3) NOT NULL, "suggested_amounts" integer array NOT NULL, "allow_monthly" boolean NOT NULL, "revenue_account" character varying(20), "analytic" character varying(40), "active" boolean NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_donation_campaigns_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_donation_campaigns_goal" CHECK ("goal_cents" IS NULL OR "goal_cents" > 0), CONSTRAINT "pk_donation_campaigns" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "donations" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "campaign_id" uuid, "series_id" uuid, "kind" character varying(20) NOT NULL, "frequency" character varying(10) NOT NULL, "donor_kind" character varying(10) NOT NULL, "amount_cents" bigint NOT NULL, "refunded_cents" bigint NOT NULL DEFAULT '0', "currency" character(3) NOT NULL, "method" character varying(20), "status" character varying(20) NOT NULL, "received_on" date, "description" character varying(500), "valuation_method" character varying(300), "debit_account" character varying(20), "wants_receipt" boolean NOT NULL, "source" character varying(10) NOT NULL, "payment_id" uuid, "entry_id" uuid, "note" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_donations_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_donations_source" CHECK ("source" IN ('desk', 'online')), CONSTRAINT "ck_donations_frequency" CHECK ("frequency" IN ('once', 'monthly')), CONSTRAINT "ck_donations_status" CHECK ("status" IN ('pending', 'paid', 'failed', 'partially_refunded', 'refunded', 'cancelled')), CONSTRAINT "ck_donations_kind" CHECK ("kind" IN ('money', 'in_kind', 'expense_waiver')), CONSTRAINT "ck_donations_amount" CHECK ("amount_cents" > 0 AND "refunded_cents" >= 0 AND "refunded_cents" <= "amount_cents"), CONSTRAINT "pk_donations" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_donations_org_created" ON "donations" ("organization_id", "created_at") `,
    );
    await q.query(
      `CREATE INDEX "ix_donations_org_campaign" ON "donations" ("organization_id", "campaign_id") `,
    );
    await q.query(
      `CREATE INDEX "ix_donations_org_contact" ON "donations" ("organization_id", "contact_id") `,
    );
    await q.query(
      `ALTER TABLE "receipt_settings" ADD CONSTRAINT "fk_receipt_settings_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "receipt_gifts" ADD CONSTRAINT "fk_receipt_gifts_contact" FOREIGN KEY ("organization_id", "contact_id") REFERENCES "contacts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "receipts" ADD CONSTRAINT "fk_receipts_contact" FOREIGN KEY ("organization_id", "contact_id") REFERENCES "contacts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "receipt_lines" ADD CONSTRAINT "fk_receipt_lines_receipt" FOREIGN KEY ("organization_id", "receipt_id") REFERENCES "receipts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "receipt_lines" ADD CONSTRAINT "fk_receipt_lines_gift" FOREIGN KEY ("organization_id", "gift_id") REFERENCES "receipt_gifts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "donation_settings" ADD CONSTRAINT "fk_donation_settings_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "donation_campaigns" ADD CONSTRAINT "fk_donation_campaigns_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "donations" ADD CONSTRAINT "fk_donations_contact" FOREIGN KEY ("organization_id", "contact_id") REFERENCES "contacts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "donations" ADD CONSTRAINT "fk_donations_campaign" FOREIGN KEY ("organization_id", "campaign_id") REFERENCES "donation_campaigns"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "receipt_sequences" ADD CONSTRAINT "fk_receipt_sequences_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Issued receipts are legal records: never deleted; only cancelling, the replacement link,
    // the email link and a contact merge may change a row (the printed data never does).
    await q.query(`CREATE OR REPLACE FUNCTION ruche_receipts_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'an issued receipt is never deleted: cancel it' USING ERRCODE = 'restrict_violation';
        END IF;
        IF (to_jsonb(NEW) - ARRAY['status', 'cancelled_at', 'cancel_reason', 'cancelled_by', 'replaced_by_id', 'email_id', 'contact_id'])
           IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['status', 'cancelled_at', 'cancel_reason', 'cancelled_by', 'replaced_by_id', 'email_id', 'contact_id']) THEN
          RAISE EXCEPTION 'an issued receipt is never edited: cancel it and issue a replacement' USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.status = 'cancelled' AND (NEW.status <> 'cancelled' OR NEW.cancelled_at IS DISTINCT FROM OLD.cancelled_at
             OR NEW.cancel_reason IS DISTINCT FROM OLD.cancel_reason OR NEW.cancelled_by IS DISTINCT FROM OLD.cancelled_by) THEN
          RAISE EXCEPTION 'a cancelled receipt stays cancelled' USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.replaced_by_id IS NOT NULL AND NEW.replaced_by_id IS DISTINCT FROM OLD.replaced_by_id THEN
          RAISE EXCEPTION 'a receipt is replaced once' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER ruche_receipts_append_only BEFORE UPDATE OR DELETE ON "receipts" FOR EACH ROW EXECUTE FUNCTION ruche_receipts_append_only()`,
    );
    await q.query(`CREATE OR REPLACE FUNCTION ruche_receipt_lines_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR NEW.receipt_id <> OLD.receipt_id OR NEW.gift_id <> OLD.gift_id OR NEW.organization_id <> OLD.organization_id
           OR NEW.amount_cents <> OLD.amount_cents OR NEW.received_on <> OLD.received_on OR (NEW.active AND NOT OLD.active) THEN
          RAISE EXCEPTION 'receipt lines only go from active to inactive (the receipt was cancelled)' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER ruche_receipt_lines_append_only BEFORE UPDATE OR DELETE ON "receipt_lines" FOR EACH ROW EXECUTE FUNCTION ruche_receipt_lines_append_only()`,
    );
    // A number once issued is never reused: the counter only goes up and is never removed.
    await q.query(`CREATE OR REPLACE FUNCTION ruche_receipt_sequences_forward() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR NEW.last_number < OLD.last_number OR NEW.organization_id <> OLD.organization_id OR NEW.year <> OLD.year THEN
          RAISE EXCEPTION 'receipt numbers only go forward' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER ruche_receipt_sequences_forward BEFORE UPDATE OR DELETE ON "receipt_sequences" FOR EACH ROW EXECUTE FUNCTION ruche_receipt_sequences_forward()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER ruche_receipt_sequences_forward ON "receipt_sequences"`);
    await q.query(`DROP TRIGGER ruche_receipt_lines_append_only ON "receipt_lines"`);
    await q.query(`DROP TRIGGER ruche_receipts_append_only ON "receipts"`);
    await q.query(`DROP FUNCTION ruche_receipt_sequences_forward()`);
    await q.query(`DROP FUNCTION ruche_receipt_lines_append_only()`);
    await q.query(`DROP FUNCTION ruche_receipts_append_only()`);
    await q.query(`DROP TABLE "donations"`);
    await q.query(`DROP TABLE "donation_campaigns"`);
    await q.query(`DROP TABLE "donation_settings"`);
    await q.query(`DROP TABLE "receipt_lines"`);
    await q.query(`DROP TABLE "receipts"`);
    await q.query(`DROP TABLE "receipt_gifts"`);
    await q.query(`DROP TABLE "receipt_sequences"`);
    await q.query(`DROP TABLE "receipt_settings"`);
  }
}
