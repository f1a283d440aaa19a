import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reconciliation: settings (auto-apply threshold, date window, lettering counter), treasurer
 * rules, matches with their items (a bank line or a ledger line belongs to one active match at
 * most), automatic runs with their progress, the CSV column mapping of a bank account, and the
 * Stripe history backfills.
 */
export class Reconciliation1733200000000 implements MigrationInterface {
  name = 'Reconciliation1733200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "bank_accounts" ADD "csv_mapping" jsonb`);
    await q.query(
      `CREATE TABLE "reconciliation_settings" ("organization_id" uuid NOT NULL, "auto_apply" boolean NOT NULL DEFAULT true, "auto_threshold" smallint NOT NULL DEFAULT '90', "window_days" smallint NOT NULL DEFAULT '5', "last_letter" bigint NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_reconciliation_settings" PRIMARY KEY ("organization_id"))`,
    );
    await q.query(
      `CREATE TABLE "reconciliation_rules" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "name" character varying(120) NOT NULL, "label_contains" character varying(120) NOT NULL, "direction" character varying(3) NOT NULL, "min_amount_cents" bigint, "max_amount_cents" bigint, "account_number" character varying(20) NOT NULL, "analytic" character varying(50), "auto_apply" boolean NOT NULL DEFAULT false, "priority" smallint NOT NULL DEFAULT '100', "active" boolean NOT NULL DEFAULT true, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_reconciliation_rules_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_reconciliation_rules_direction" CHECK ("direction" IN ('in', 'out', 'any')), CONSTRAINT "pk_reconciliation_rules" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_reconciliation_rules_org" ON "reconciliation_rules" ("organization_id", "priority") `,
    );
    await q.query(
      `CREATE TABLE "reconciliation_matches" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "bank_account_id" uuid NOT NULL, "letter" character varying(10) NOT NULL, "kind" character varying(20) NOT NULL, "origin" character varying(10) NOT NULL, "score" smallint, "reasons" jsonb NOT NULL, "amount_cents" bigint NOT NULL, "created_entry_id" uuid, "rule_id" uuid, "status" character varying(10) NOT NULL DEFAULT 'active', "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "undone_by" uuid, "undone_at" TIMESTAMP WITH TIME ZONE, "undo_reason" character varying(500), "reversal_entry_id" uuid, CONSTRAINT "uq_reconciliation_matches_letter" UNIQUE ("organization_id", "letter"), CONSTRAINT "uq_reconciliation_matches_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_reconciliation_matches_status" CHECK ("status" IN ('active', 'undone')), CONSTRAINT "pk_reconciliation_matches" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_reconciliation_matches_account" ON "reconciliation_matches" ("organization_id", "bank_account_id", "created_at") `,
    );
    await q.query(
      `CREATE TABLE "reconciliation_match_items" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "match_id" uuid NOT NULL, "bank_line_id" uuid, "entry_id" uuid, "line_no" smallint, "amount_cents" bigint NOT NULL, "active" boolean NOT NULL DEFAULT true, CONSTRAINT "ck_reconciliation_match_items_side" CHECK (("bank_line_id" IS NOT NULL AND "entry_id" IS NULL AND "line_no" IS NULL) OR ("bank_line_id" IS NULL AND "entry_id" IS NOT NULL AND "line_no" IS NOT NULL)), CONSTRAINT "pk_reconciliation_match_items" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_reconciliation_match_items_match" ON "reconciliation_match_items" ("organization_id", "match_id") `,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_reconciliation_items_bank_line" ON "reconciliation_match_items" ("organization_id", "bank_line_id") WHERE "active" AND "bank_line_id" IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_reconciliation_items_ledger_line" ON "reconciliation_match_items" ("organization_id", "entry_id", "line_no") WHERE "active" AND "entry_id" IS NOT NULL`,
    );
    await q.query(
      `CREATE TABLE "reconciliation_runs" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "bank_account_id" uuid NOT NULL, "status" character varying(10) NOT NULL, "total" integer NOT NULL DEFAULT '0', "processed" integer NOT NULL DEFAULT '0', "auto_matched" integer NOT NULL DEFAULT '0', "suggested" integer NOT NULL DEFAULT '0', "error" character varying(500), "requested_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_reconciliation_runs_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_reconciliation_runs_status" CHECK ("status" IN ('queued', 'running', 'done', 'failed')), CONSTRAINT "pk_reconciliation_runs" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_reconciliation_runs_account" ON "reconciliation_runs" ("organization_id", "bank_account_id", "created_at") `,
    );
    // Matches point at the organization's own rows only (composite keys carry the organization).
    await q.query(
      `ALTER TABLE "reconciliation_matches" ADD CONSTRAINT "fk_reconciliation_matches_account" FOREIGN KEY ("organization_id", "bank_account_id") REFERENCES "bank_accounts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "reconciliation_match_items" ADD CONSTRAINT "fk_reconciliation_match_items_match" FOREIGN KEY ("organization_id", "match_id") REFERENCES "reconciliation_matches"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "reconciliation_match_items" ADD CONSTRAINT "fk_reconciliation_match_items_line" FOREIGN KEY ("organization_id", "bank_line_id") REFERENCES "bank_statement_lines"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "reconciliation_match_items" ADD CONSTRAINT "fk_reconciliation_match_items_entry_line" FOREIGN KEY ("entry_id", "line_no") REFERENCES "journal_entry_lines"("entry_id","line_no") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "reconciliation_runs" ADD CONSTRAINT "fk_reconciliation_runs_account" FOREIGN KEY ("organization_id", "bank_account_id") REFERENCES "bank_accounts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `CREATE TABLE "stripe_syncs" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "from_date" date NOT NULL, "to_date" date NOT NULL, "status" character varying(10) NOT NULL, "transactions" integer NOT NULL DEFAULT '0', "payments_created" integer NOT NULL DEFAULT '0', "refunds_synced" integer NOT NULL DEFAULT '0', "payouts" integer NOT NULL DEFAULT '0', "problems" jsonb NOT NULL, "error" character varying(500), "requested_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_stripe_syncs_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_stripe_syncs_status" CHECK ("status" IN ('queued', 'running', 'done', 'failed')), CONSTRAINT "ck_stripe_syncs_range" CHECK ("from_date" <= "to_date"), CONSTRAINT "pk_stripe_syncs" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_stripe_syncs_org" ON "stripe_syncs" ("organization_id", "created_at") `,
    );
    // A match is a legal trace: never deleted; only its undo fields change, once.
    await q.query(`CREATE FUNCTION reconciliation_matches_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'reconciliation matches are never deleted: undo them' USING ERRCODE = 'P0001';
        END IF;
        IF OLD.status = 'undone' THEN
          RAISE EXCEPTION 'an undone match does not change' USING ERRCODE = 'P0001';
        END IF;
        IF (NEW.id, NEW.organization_id, NEW.bank_account_id, NEW.letter, NEW.kind, NEW.origin, NEW.score, NEW.reasons, NEW.amount_cents, NEW.created_entry_id, NEW.rule_id, NEW.created_by, NEW.created_at)
           IS DISTINCT FROM (OLD.id, OLD.organization_id, OLD.bank_account_id, OLD.letter, OLD.kind, OLD.origin, OLD.score, OLD.reasons, OLD.amount_cents, OLD.created_entry_id, OLD.rule_id, OLD.created_by, OLD.created_at) THEN
          RAISE EXCEPTION 'a match is not edited: undo it and match again' USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER reconciliation_matches_guard BEFORE UPDATE OR DELETE ON reconciliation_matches FOR EACH ROW EXECUTE FUNCTION reconciliation_matches_guard()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER reconciliation_matches_guard ON reconciliation_matches`);
    await q.query(`DROP FUNCTION reconciliation_matches_guard()`);
    await q.query(`DROP TABLE "stripe_syncs"`);
    await q.query(`DROP TABLE "reconciliation_runs"`);
    await q.query(`DROP TABLE "reconciliation_match_items"`);
    await q.query(`DROP TABLE "reconciliation_matches"`);
    await q.query(`DROP TABLE "reconciliation_rules"`);
    await q.query(`DROP TABLE "reconciliation_settings"`);
    await q.query(`ALTER TABLE "bank_accounts" DROP COLUMN "csv_mapping"`);
  }
}
