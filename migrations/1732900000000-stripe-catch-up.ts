import type { MigrationInterface, QueryRunner } from 'typeorm';

/** When each organization's Stripe event list was last read to replay events never received. */
export class StripeCatchUp1732900000000 implements MigrationInterface {
  name = 'StripeCatchUp1732900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "stripe_accounts" ADD "last_catch_up_at" TIMESTAMP WITH TIME ZONE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "stripe_accounts" DROP COLUMN "last_catch_up_at"`);
  }
}
