import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounting: chart of accounts, journals, fiscal years, posting accounts per role, journal
 * entries and lines, monthly balances; triggers that keep posted entries balanced and immutable,
 * fiscal years apart, and closed years closed.
 */
export class Accounting1732100000000 implements MigrationInterface {
  name = 'Accounting1732100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "accounts" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "number" character varying(12) NOT NULL, "label" character varying(200) NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_accounts_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "uq_accounts_org_number" UNIQUE ("organization_id", "number"), CONSTRAINT "pk_accounts" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "fiscal_years" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "start_date" date NOT NULL, "end_date" date NOT NULL, "status" character varying(10) NOT NULL DEFAULT 'open', "last_entry_number" integer NOT NULL DEFAULT '0', "closed_at" TIMESTAMP WITH TIME ZONE, "closed_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_fiscal_years_org_start" UNIQUE ("organization_id", "start_date"), CONSTRAINT "uq_fiscal_years_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_fiscal_years_status" CHECK ("status" IN ('open', 'closed')), CONSTRAINT "ck_fiscal_years_dates" CHECK ("end_date" > "start_date"), CONSTRAINT "pk_fiscal_years" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "account_balances" ("organization_id" uuid NOT NULL, "fiscal_year_id" uuid NOT NULL, "account_id" uuid NOT NULL, "period_month" date NOT NULL, "debit_cents" bigint NOT NULL DEFAULT '0', "credit_cents" bigint NOT NULL DEFAULT '0', CONSTRAINT "pk_account_balances" PRIMARY KEY ("organization_id", "fiscal_year_id", "account_id", "period_month"))`);
    await q.query(`CREATE TABLE "accounting_settings" ("organization_id" uuid NOT NULL, "chart_template" character varying(30) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_accounting_settings" PRIMARY KEY ("organization_id"))`);
    await q.query(`CREATE TABLE "journals" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "code" character varying(8) NOT NULL, "label" character varying(100) NOT NULL, "kind" character varying(20) NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_journals_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "uq_journals_org_code" UNIQUE ("organization_id", "code"), CONSTRAINT "pk_journals" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "journal_entries" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "fiscal_year_id" uuid NOT NULL, "journal_id" uuid NOT NULL, "number" integer, "entry_date" date NOT NULL, "label" character varying(200) NOT NULL, "piece_ref" character varying(50), "piece_date" date, "status" character varying(10) NOT NULL, "source" character varying(200), "posted_at" TIMESTAMP WITH TIME ZONE, "posted_by" uuid, "reversal_of_id" uuid, "currency" character(3) NOT NULL, "total_cents" bigint NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_journal_entries_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_journal_entries_total" CHECK ("total_cents" >= 0), CONSTRAINT "ck_journal_entries_posted_number" CHECK (("status" = 'posted') = ("number" IS NOT NULL AND "posted_at" IS NOT NULL)), CONSTRAINT "ck_journal_entries_status" CHECK ("status" IN ('draft', 'posted')), CONSTRAINT "pk_journal_entries" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_journal_entries_org_date" ON "journal_entries" ("organization_id", "entry_date") `);
    await q.query(`CREATE UNIQUE INDEX "uq_journal_entries_reversal_of" ON "journal_entries" ("organization_id", "reversal_of_id") WHERE "reversal_of_id" IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "uq_journal_entries_number" ON "journal_entries" ("organization_id", "fiscal_year_id", "number") WHERE "number" IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "uq_journal_entries_org_source" ON "journal_entries" ("organization_id", "source") WHERE "source" IS NOT NULL`);
    await q.query(`CREATE TABLE "journal_entry_lines" ("entry_id" uuid NOT NULL, "line_no" smallint NOT NULL, "organization_id" uuid NOT NULL, "account_id" uuid NOT NULL, "debit_cents" bigint NOT NULL, "credit_cents" bigint NOT NULL, "label" character varying(200), "analytic" character varying(50), "counterparty_ref" character varying(50), "counterparty_label" character varying(200), CONSTRAINT "ck_journal_entry_lines_one_side" CHECK (("debit_cents" > 0 AND "credit_cents" = 0) OR ("debit_cents" = 0 AND "credit_cents" > 0)), CONSTRAINT "pk_journal_entry_lines" PRIMARY KEY ("entry_id", "line_no"))`);
    await q.query(`CREATE INDEX "ix_journal_entry_lines_account" ON "journal_entry_lines" ("organization_id", "account_id") `);
    await q.query(`CREATE TABLE "posting_accounts" ("organization_id" uuid NOT NULL, "role" character varying(40) NOT NULL, "account_id" uuid NOT NULL, CONSTRAINT "pk_posting_accounts" PRIMARY KEY ("organization_id", "role"))`);
    await q.query(`ALTER TABLE "accounts" ADD CONSTRAINT "fk_accounts_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "fiscal_years" ADD CONSTRAINT "fk_fiscal_years_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "account_balances" ADD CONSTRAINT "fk_account_balances_account" FOREIGN KEY ("organization_id", "account_id") REFERENCES "accounts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "account_balances" ADD CONSTRAINT "fk_account_balances_fiscal_year" FOREIGN KEY ("organization_id", "fiscal_year_id") REFERENCES "fiscal_years"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "accounting_settings" ADD CONSTRAINT "fk_accounting_settings_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "journals" ADD CONSTRAINT "fk_journals_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "journal_entries" ADD CONSTRAINT "fk_journal_entries_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "journal_entries" ADD CONSTRAINT "fk_journal_entries_fiscal_year" FOREIGN KEY ("organization_id", "fiscal_year_id") REFERENCES "fiscal_years"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "journal_entries" ADD CONSTRAINT "fk_journal_entries_journal" FOREIGN KEY ("organization_id", "journal_id") REFERENCES "journals"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "journal_entries" ADD CONSTRAINT "fk_journal_entries_reversal_of" FOREIGN KEY ("organization_id", "reversal_of_id") REFERENCES "journal_entries"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "journal_entry_lines" ADD CONSTRAINT "fk_journal_entry_lines_entry" FOREIGN KEY ("organization_id", "entry_id") REFERENCES "journal_entries"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "journal_entry_lines" ADD CONSTRAINT "fk_journal_entry_lines_account" FOREIGN KEY ("organization_id", "account_id") REFERENCES "accounts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "posting_accounts" ADD CONSTRAINT "fk_posting_accounts_account" FOREIGN KEY ("organization_id", "account_id") REFERENCES "accounts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);

    // Fiscal years of one organization never overlap (serialized per organization).
    await q.query(`CREATE FUNCTION ruche_fiscal_years_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('fiscal_years:' || NEW.organization_id::text));
        IF EXISTS (SELECT 1 FROM fiscal_years f WHERE f.organization_id = NEW.organization_id AND f.id <> NEW.id
                     AND f.start_date <= NEW.end_date AND NEW.start_date <= f.end_date) THEN
          RAISE EXCEPTION 'fiscal year % to % overlaps another fiscal year', NEW.start_date, NEW.end_date
            USING ERRCODE = 'exclusion_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER trg_fiscal_years_no_overlap BEFORE INSERT OR UPDATE OF start_date, end_date ON "fiscal_years"
      FOR EACH ROW EXECUTE FUNCTION ruche_fiscal_years_no_overlap()`);

    // A posted entry is immutable; posting (draft -> posted, or inserted as posted) needs an open
    // fiscal year that contains its date.
    await q.query(`CREATE FUNCTION ruche_journal_entries_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE fy record;
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'posted' THEN
          RAISE EXCEPTION 'posted entry % is immutable: post a reversal instead', OLD.id USING ERRCODE = 'restrict_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        SELECT status, start_date, end_date INTO fy FROM fiscal_years
          WHERE organization_id = NEW.organization_id AND id = NEW.fiscal_year_id;
        IF NEW.entry_date < fy.start_date OR NEW.entry_date > fy.end_date THEN
          RAISE EXCEPTION 'entry date % is outside its fiscal year', NEW.entry_date USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.status = 'posted' AND fy.status <> 'open' THEN
          RAISE EXCEPTION 'fiscal year of % is closed', NEW.entry_date USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER trg_journal_entries_guard BEFORE INSERT OR UPDATE OR DELETE ON "journal_entries"
      FOR EACH ROW EXECUTE FUNCTION ruche_journal_entries_guard()`);

    // Lines of a posted entry cannot change; lines may be added to an entry posted by the same
    // transaction (the posting statement inserts the entry and its lines together).
    await q.query(`CREATE FUNCTION ruche_journal_entry_lines_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE parent record;
      BEGIN
        SELECT e.status, e.xmin::text AS xmin INTO parent FROM journal_entries e
          WHERE e.organization_id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.organization_id ELSE NEW.organization_id END)
            AND e.id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.entry_id ELSE NEW.entry_id END);
        IF parent.status = 'posted' AND (TG_OP <> 'INSERT' OR parent.xmin <> (pg_current_xact_id()::xid)::text) THEN
          RAISE EXCEPTION 'lines of a posted entry are immutable: post a reversal instead' USING ERRCODE = 'restrict_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER trg_journal_entry_lines_guard BEFORE INSERT OR UPDATE OR DELETE ON "journal_entry_lines"
      FOR EACH ROW EXECUTE FUNCTION ruche_journal_entry_lines_guard()`);

    // At commit, a posted entry must be balanced, have two lines or more and match its total;
    // then its lines feed the monthly balances that the reports read.
    await q.query(`CREATE FUNCTION ruche_journal_entries_posted() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE totals record;
      BEGIN
        SELECT count(*) AS n, coalesce(sum(debit_cents), 0) AS debit, coalesce(sum(credit_cents), 0) AS credit
          INTO totals FROM journal_entry_lines WHERE organization_id = NEW.organization_id AND entry_id = NEW.id;
        IF totals.n < 2 OR totals.debit <> totals.credit OR totals.debit <> NEW.total_cents THEN
          RAISE EXCEPTION 'posted entry % is unbalanced (% lines, debit %, credit %, total %)',
            NEW.id, totals.n, totals.debit, totals.credit, NEW.total_cents USING ERRCODE = 'check_violation';
        END IF;
        INSERT INTO account_balances AS b (organization_id, fiscal_year_id, account_id, period_month, debit_cents, credit_cents)
          SELECT NEW.organization_id, NEW.fiscal_year_id, l.account_id, date_trunc('month', NEW.entry_date)::date,
                 sum(l.debit_cents), sum(l.credit_cents)
            FROM journal_entry_lines l WHERE l.organization_id = NEW.organization_id AND l.entry_id = NEW.id
            GROUP BY l.account_id
          ON CONFLICT (organization_id, fiscal_year_id, account_id, period_month) DO UPDATE
            SET debit_cents = b.debit_cents + EXCLUDED.debit_cents, credit_cents = b.credit_cents + EXCLUDED.credit_cents;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE CONSTRAINT TRIGGER trg_journal_entries_posted AFTER INSERT OR UPDATE OF status ON "journal_entries"
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status = 'posted') EXECUTE FUNCTION ruche_journal_entries_posted()`);

    // The balances only move with postings.
    await q.query(`CREATE TRIGGER trg_account_balances_no_delete BEFORE DELETE ON "account_balances"
      FOR EACH ROW EXECUTE FUNCTION ruche_forbid_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER trg_account_balances_no_delete ON "account_balances"`);
    await q.query(`DROP TRIGGER trg_journal_entries_posted ON "journal_entries"`);
    await q.query(`DROP FUNCTION ruche_journal_entries_posted()`);
    await q.query(`DROP TRIGGER trg_journal_entry_lines_guard ON "journal_entry_lines"`);
    await q.query(`DROP FUNCTION ruche_journal_entry_lines_guard()`);
    await q.query(`DROP TRIGGER trg_journal_entries_guard ON "journal_entries"`);
    await q.query(`DROP FUNCTION ruche_journal_entries_guard()`);
    await q.query(`DROP TRIGGER trg_fiscal_years_no_overlap ON "fiscal_years"`);
    await q.query(`DROP FUNCTION ruche_fiscal_years_no_overlap()`);
    await q.query(`DROP TABLE "account_balances"`);
    await q.query(`DROP TABLE "posting_accounts"`);
    await q.query(`DROP TABLE "journal_entry_lines"`);
    await q.query(`DROP TABLE "journal_entries"`);
    await q.query(`DROP TABLE "fiscal_years"`);
    await q.query(`DROP TABLE "journals"`);
    await q.query(`DROP TABLE "accounts"`);
    await q.query(`DROP TABLE "accounting_settings"`);
  }
}
