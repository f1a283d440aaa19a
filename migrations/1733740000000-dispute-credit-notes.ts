import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A lost dispute credits the invoice of the disputed payment, as a refund does: credit notes
 * record either the refund or the lost dispute they stand for (one credit note per dispute).
 */
export class DisputeCreditNotes1733740000000 implements MigrationInterface {
  name = 'DisputeCreditNotes1733740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "invoices" ADD "dispute_id" uuid`);
    await q.query(`ALTER TABLE "invoices" DROP CONSTRAINT "ck_invoices_credit_note"`);
    await q.query(
      `ALTER TABLE "invoices" ADD CONSTRAINT "ck_invoices_credit_note" CHECK (("kind" = 'credit_note') = ("credited_invoice_id" IS NOT NULL) AND num_nonnulls("refund_id", "dispute_id") = CASE WHEN "kind" = 'credit_note' THEN 1 ELSE 0 END)`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_invoices_dispute" ON "invoices" ("organization_id", "dispute_id") WHERE "dispute_id" IS NOT NULL`,
    );
    await q.query(
      `ALTER TABLE "payment_disputes" ADD CONSTRAINT "uq_payment_disputes_org_id" UNIQUE ("organization_id", "id")`,
    );
    await q.query(
      `ALTER TABLE "invoices" ADD CONSTRAINT "fk_invoices_dispute" FOREIGN KEY ("organization_id", "dispute_id") REFERENCES "payment_disputes"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "invoices" DROP CONSTRAINT "fk_invoices_dispute"`);
    await q.query(`ALTER TABLE "payment_disputes" DROP CONSTRAINT "uq_payment_disputes_org_id"`);
    await q.query(`DROP INDEX "uq_invoices_dispute"`);
    await q.query(`ALTER TABLE "invoices" DROP CONSTRAINT "ck_invoices_credit_note"`);
    await q.query(
      `ALTER TABLE "invoices" ADD CONSTRAINT "ck_invoices_credit_note" CHECK (("kind" = 'credit_note') = ("credited_invoice_id" IS NOT NULL AND "refund_id" IS NOT NULL))`,
    );
    await q.query(`ALTER TABLE "invoices" DROP COLUMN "dispute_id"`);
  }
}
