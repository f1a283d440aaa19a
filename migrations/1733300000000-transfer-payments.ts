import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The bank account shown to members and donors who pay by transfer (one per organization). */
export class TransferPayments1733300000000 implements MigrationInterface {
  name = 'TransferPayments1733300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "bank_accounts" ADD "accept_transfers" boolean NOT NULL DEFAULT false`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_bank_accounts_transfers" ON "bank_accounts" ("organization_id") WHERE "accept_transfers"`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "uq_bank_accounts_transfers"`);
    await q.query(`ALTER TABLE "bank_accounts" DROP COLUMN "accept_transfers"`);
  }
}
