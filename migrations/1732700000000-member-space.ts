import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The member space: login links sent by e-mail (hashes only) and member sessions. */
export class MemberSpace1732700000000 implements MigrationInterface {
  name = 'MemberSpace1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "member_login_links" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_member_login_links" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_member_login_links_contact" ON "member_login_links" ("organization_id", "contact_id", "created_at")`);
    await q.query(`CREATE UNIQUE INDEX "uq_member_login_links_token" ON "member_login_links" ("token_hash")`);
    await q.query(`CREATE TABLE "member_sessions" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "csrf_token" character varying(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_member_sessions" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_member_sessions_token" ON "member_sessions" ("token_hash")`);
    await q.query(`ALTER TABLE "member_login_links" ADD CONSTRAINT "fk_member_login_links_contact" FOREIGN KEY ("organization_id", "contact_id") REFERENCES "contacts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "member_sessions" ADD CONSTRAINT "fk_member_sessions_contact" FOREIGN KEY ("organization_id", "contact_id") REFERENCES "contacts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "member_sessions"`);
    await q.query(`DROP TABLE "member_login_links"`);
  }
}
