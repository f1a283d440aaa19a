import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Bank accounts, imported statements and their lines (the reconciliation queue). */
export class BankStatements1733100000000 implements MigrationInterface {
  name = 'BankStatements1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "bank_accounts" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "name" character varying(120) NOT NULL, "iban" character varying(34) NOT NULL, "bic" character varying(11), "account_number" character varying(20) NOT NULL, "currency" character(3) NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_bank_accounts_iban" UNIQUE ("organization_id", "iban"), CONSTRAINT "uq_bank_accounts_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "pk_bank_accounts" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "bank_statements" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "bank_account_id" uuid NOT NULL, "format" character varying(20) NOT NULL, "file_name" character varying(255) NOT NULL, "file_sha256" character(64) NOT NULL, "statement_ref" character varying(100), "opening_balance_cents" bigint, "opening_date" date, "closing_balance_cents" bigint, "closing_date" date, "line_count" integer NOT NULL, "new_line_count" integer NOT NULL, "problems" jsonb NOT NULL, "imported_by" uuid, "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_bank_statements_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "pk_bank_statements" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_bank_statements_account" ON "bank_statements" ("organization_id", "bank_account_id", "imported_at") `,
    );
    await q.query(
      `CREATE TABLE "bank_statement_lines" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "bank_account_id" uuid NOT NULL, "statement_id" uuid NOT NULL, "line_key" character varying(200) NOT NULL, "booking_date" date NOT NULL, "value_date" date, "amount_cents" bigint NOT NULL, "currency" character(3) NOT NULL, "label" character varying(500) NOT NULL, "bank_reference" character varying(120), "end_to_end_id" character varying(120), "structured_reference" character varying(120), "counterparty_name" character varying(200), "counterparty_iban" character varying(34), "bank_transaction_code" character varying(40), "status" character varying(10) NOT NULL DEFAULT 'unmatched', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_bank_statement_lines_key" UNIQUE ("organization_id", "bank_account_id", "line_key"), CONSTRAINT "uq_bank_statement_lines_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_bank_statement_lines_status" CHECK ("status" IN ('unmatched', 'matched', 'ignored')), CONSTRAINT "pk_bank_statement_lines" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_bank_statement_lines_queue" ON "bank_statement_lines" ("organization_id", "bank_account_id", "status", "booking_date") `,
    );
    await q.query(
      `ALTER TABLE "bank_statements" ADD CONSTRAINT "fk_bank_statements_account" FOREIGN KEY ("organization_id", "bank_account_id") REFERENCES "bank_accounts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "bank_statement_lines" ADD CONSTRAINT "fk_bank_statement_lines_account" FOREIGN KEY ("organization_id", "bank_account_id") REFERENCES "bank_accounts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "bank_statement_lines" ADD CONSTRAINT "fk_bank_statement_lines_statement" FOREIGN KEY ("organization_id", "statement_id") REFERENCES "bank_statements"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "bank_statement_lines"`);
    await q.query(`DROP TABLE "bank_statements"`);
    await q.query(`DROP TABLE "bank_accounts"`);
  }
}
