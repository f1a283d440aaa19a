import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rejected reconciliation proposals: per organization and bank line, the candidates (one ledger
 * line, a sum of them, or an announced transfer) the treasurer said the line is not. The engine
 * never proposes them again for that line.
 */
export class ReconciliationRejections1733710000000 implements MigrationInterface {
  name = 'ReconciliationRejections1733710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "reconciliation_rejections" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "bank_line_id" uuid NOT NULL, "kind" character varying(10) NOT NULL, "candidate_key" character varying(1000) NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_reconciliation_rejections_candidate" UNIQUE ("organization_id", "bank_line_id", "candidate_key"), CONSTRAINT "ck_reconciliation_rejections_kind" CHECK ("kind" IN ('ledger', 'expected')), CONSTRAINT "pk_reconciliation_rejections" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `ALTER TABLE "reconciliation_rejections" ADD CONSTRAINT "fk_reconciliation_rejections_line" FOREIGN KEY ("organization_id", "bank_line_id") REFERENCES "bank_statement_lines"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "reconciliation_rejections" DROP CONSTRAINT "fk_reconciliation_rejections_line"`,
    );
    await q.query(`DROP TABLE "reconciliation_rejections"`);
  }
}
