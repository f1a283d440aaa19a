import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Foundation: organizations, users and roles, sessions, invitations, password resets, login
 * attempts, the audit log (append-only) and outbound e-mails.
 */
export class Foundation1732000000000 implements MigrationInterface {
  name = 'Foundation1732000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "outbound_emails" ("id" uuid NOT NULL, "organization_id" uuid, "idempotency_key" character varying(200) NOT NULL, "to_address" character varying(320) NOT NULL, "subject" character varying(500) NOT NULL, "html" text NOT NULL, "text" text NOT NULL, "template" character varying(100) NOT NULL, "attachments" jsonb NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "message_id" character varying(500), "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_outbound_emails_idempotency" UNIQUE ("organization_id", "idempotency_key"), CONSTRAINT "pk_outbound_emails" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_outbound_emails_status" ON "outbound_emails" ("status", "created_at")`);
    await q.query(`CREATE TABLE "audit_logs" ("id" uuid NOT NULL, "organization_id" uuid, "actor_user_id" uuid, "action" character varying(100) NOT NULL, "entity_type" character varying(100) NOT NULL, "entity_id" character varying(100), "before" jsonb, "after" jsonb, "ip" character varying(100), "request_id" character varying(100), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_audit_logs" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_audit_logs_org_created" ON "audit_logs" ("organization_id", "created_at")`);
    await q.query(`CREATE TABLE "organizations" ("id" uuid NOT NULL, "name" character varying(200) NOT NULL, "legal_name" character varying(200), "address_line1" character varying(200), "address_line2" character varying(200), "postal_code" character varying(20), "city" character varying(100), "country" character(2) NOT NULL DEFAULT 'FR', "siren" character(9), "rna" character(10), "object" text, "organism_type" character varying(50), "organism_type_other" character varying(200), "email" character varying(254), "website" character varying(200), "time_zone" character varying(64) NOT NULL DEFAULT 'Europe/Paris', "currency" character(3) NOT NULL DEFAULT 'EUR', "fiscal_year_start_month" smallint NOT NULL DEFAULT '1', "locale" character varying(5) NOT NULL DEFAULT 'fr', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_organizations_fiscal_month" CHECK ("fiscal_year_start_month" BETWEEN 1 AND 12), CONSTRAINT "pk_organizations" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "users" ("id" uuid NOT NULL, "email" character varying(254) NOT NULL, "name" character varying(200) NOT NULL, "password_hash" character varying(200) NOT NULL, "locale" character varying(5) NOT NULL DEFAULT 'fr', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_users_email" UNIQUE ("email"), CONSTRAINT "pk_users" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "organization_members" ("organization_id" uuid NOT NULL, "user_id" uuid NOT NULL, "role" character varying(20) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_organization_members" PRIMARY KEY ("organization_id", "user_id"))`);
    await q.query(`CREATE INDEX "ix_organization_members_user" ON "organization_members" ("user_id")`);
    await q.query(`CREATE TABLE "sessions" ("id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "user_id" uuid NOT NULL, "csrf_token" character varying(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ip" character varying(100), "user_agent" character varying(300), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_sessions_token_hash" UNIQUE ("token_hash"), CONSTRAINT "pk_sessions" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_sessions_user" ON "sessions" ("user_id")`);
    await q.query(`CREATE TABLE "password_resets" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_password_resets_token_hash" UNIQUE ("token_hash"), CONSTRAINT "pk_password_resets" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_password_resets_user" ON "password_resets" ("user_id")`);
    await q.query(`CREATE TABLE "login_attempts" ("id" uuid NOT NULL, "email" character varying(254) NOT NULL, "ip" character varying(100), "succeeded" boolean NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_login_attempts" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_login_attempts_email_created" ON "login_attempts" ("email", "created_at")`);
    await q.query(`CREATE TABLE "invitations" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "email" character varying(254) NOT NULL, "role" character varying(20) NOT NULL, "token_hash" character(64) NOT NULL, "invited_by_user_id" uuid, "status" character varying(20) NOT NULL DEFAULT 'pending', "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "accepted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_invitations_token_hash" UNIQUE ("token_hash"), CONSTRAINT "pk_invitations" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_invitations_org" ON "invitations" ("organization_id", "created_at")`);
    await q.query(`ALTER TABLE "organization_members" ADD CONSTRAINT "fk_organization_members_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "organization_members" ADD CONSTRAINT "fk_organization_members_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "sessions" ADD CONSTRAINT "fk_sessions_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "password_resets" ADD CONSTRAINT "fk_password_resets_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "invitations" ADD CONSTRAINT "fk_invitations_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    // Append-only tables: corrections are new rows, never UPDATE or DELETE (used by later domains too).
    await q.query(`CREATE FUNCTION ruche_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% on % is forbidden: this table is append-only', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`CREATE TRIGGER trg_audit_logs_append_only BEFORE UPDATE OR DELETE ON "audit_logs"
      FOR EACH ROW EXECUTE FUNCTION ruche_forbid_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER trg_audit_logs_append_only ON "audit_logs"`);
    await q.query(`DROP FUNCTION ruche_forbid_change()`);
    await q.query(`ALTER TABLE "organization_members" DROP CONSTRAINT "fk_organization_members_organization"`);
    await q.query(`ALTER TABLE "organization_members" DROP CONSTRAINT "fk_organization_members_user"`);
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "fk_sessions_user"`);
    await q.query(`ALTER TABLE "password_resets" DROP CONSTRAINT "fk_password_resets_user"`);
    await q.query(`ALTER TABLE "invitations" DROP CONSTRAINT "fk_invitations_organization"`);
    await q.query(`DROP TABLE "invitations"`);
    await q.query(`DROP TABLE "login_attempts"`);
    await q.query(`DROP TABLE "password_resets"`);
    await q.query(`DROP TABLE "sessions"`);
    await q.query(`DROP TABLE "organization_members"`);
    await q.query(`DROP TABLE "users"`);
    await q.query(`DROP TABLE "organizations"`);
    await q.query(`DROP TABLE "audit_logs"`);
    await q.query(`DROP TABLE "outbound_emails"`);
  }
}
