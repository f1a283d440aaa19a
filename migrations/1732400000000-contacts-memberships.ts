import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contacts (people and legal entities, tags, households, custom fields, saved filters) and
 * memberships (plans, memberships, each contact's standing, settings, reminders sent).
 * Search uses trigrams (pg_trgm); custom field filters use a GIN index on the jsonb values.
 */
export class ContactsMemberships1732400000000 implements MigrationInterface {
  name = 'ContactsMemberships1732400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE TABLE "households" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "payer_contact_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_households_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "pk_households" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "contacts" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "number" integer NOT NULL, "kind" character varying(20) NOT NULL, "civility" character varying(5), "first_name" character varying(100), "last_name" character varying(100), "organization_name" character varying(200), "siren" character(9), "birth_date" date, "email" character varying(254), "phone" character varying(30), "mobile_phone" character varying(30), "address_line1" character varying(200), "address_line2" character varying(200), "postal_code" character varying(10), "city" character varying(100), "country" character(2) NOT NULL DEFAULT 'FR', "notes" text, "locale" character varying(2) NOT NULL DEFAULT 'fr', "custom_fields" jsonb NOT NULL DEFAULT '{}'::jsonb, "household_id" uuid, "name_key" character varying(300) NOT NULL, "sort_name" character varying(300) NOT NULL, "search_text" text NOT NULL, "last_activity_at" TIMESTAMP WITH TIME ZONE NOT NULL, "erased_at" TIMESTAMP WITH TIME ZONE, "merged_into_id" uuid, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_contacts_org_number" UNIQUE ("organization_id", "number"), CONSTRAINT "uq_contacts_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_contacts_kind" CHECK ("kind" IN ('person', 'organization')), CONSTRAINT "pk_contacts" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_contacts_org_household" ON "contacts" ("organization_id", "household_id") WHERE "household_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "ix_contacts_org_created" ON "contacts" ("organization_id", "created_at") `);
    await q.query(`CREATE INDEX "ix_contacts_org_name_key" ON "contacts" ("organization_id", "name_key") `);
    await q.query(`CREATE INDEX "ix_contacts_org_email" ON "contacts" ("organization_id", "email") `);
    await q.query(`CREATE INDEX "ix_contacts_org_sort_name" ON "contacts" ("organization_id", "sort_name", "id") `);
    await q.query(`CREATE TABLE "contact_counters" ("organization_id" uuid NOT NULL, "last_number" integer NOT NULL DEFAULT '0', CONSTRAINT "pk_contact_counters" PRIMARY KEY ("organization_id"))`);
    await q.query(`CREATE TABLE "tags" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "name" character varying(60) NOT NULL, "color" character(7) NOT NULL DEFAULT '#64748b', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_tags_org_name" UNIQUE ("organization_id", "name"), CONSTRAINT "uq_tags_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "pk_tags" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "contact_tags" ("organization_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "tag_id" uuid NOT NULL, CONSTRAINT "pk_contact_tags" PRIMARY KEY ("organization_id", "contact_id", "tag_id"))`);
    await q.query(`CREATE INDEX "ix_contact_tags_tag" ON "contact_tags" ("organization_id", "tag_id") `);
    await q.query(`CREATE TABLE "custom_field_definitions" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "key" character varying(40) NOT NULL, "label" character varying(100) NOT NULL, "type" character varying(20) NOT NULL, "options" jsonb NOT NULL DEFAULT '[]'::jsonb, "required" boolean NOT NULL DEFAULT false, "position" integer NOT NULL DEFAULT '0', "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_custom_field_definitions_org_key" UNIQUE ("organization_id", "key"), CONSTRAINT "pk_custom_field_definitions" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "saved_filters" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "user_id" uuid, "name" character varying(100) NOT NULL, "filter" jsonb NOT NULL, "shared" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_saved_filters" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_saved_filters_org" ON "saved_filters" ("organization_id", "name") `);
    await q.query(`CREATE TABLE "membership_plans" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "description" text, "pricing_kind" character varying(20) NOT NULL, "tiers" jsonb NOT NULL DEFAULT '[]'::jsonb, "minimum_amount_cents" integer, "currency" character(3) NOT NULL, "validity_kind" character varying(20) NOT NULL, "validity_months" integer, "fixed_start_date" date, "fixed_end_date" date, "receipt_eligible" boolean NOT NULL DEFAULT false, "revenue_account" character varying(12), "household" boolean NOT NULL DEFAULT false, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_membership_plans_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_membership_plans_validity" CHECK ("validity_kind" IN ('calendar_year', 'fiscal_year', 'rolling_months', 'fixed_dates', 'lifetime')), CONSTRAINT "ck_membership_plans_pricing" CHECK ("pricing_kind" IN ('fixed', 'tiers', 'free_amount')), CONSTRAINT "pk_membership_plans" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "memberships" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "household_id" uuid, "plan_id" uuid NOT NULL, "tier_code" character varying(30), "tier_label" character varying(100), "amount_cents" bigint NOT NULL, "currency" character(3) NOT NULL, "start_date" date NOT NULL, "end_date" date, "status" character varying(20) NOT NULL, "next_status_change_on" date, "status_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "paid_on" date, "payment_method" character varying(20), "payment_reference" character varying(100), "entry_id" uuid, "cancelled_at" TIMESTAMP WITH TIME ZONE, "cancel_reason" character varying(500), "renewed_from_id" uuid, "source" character varying(20) NOT NULL, "note" character varying(500), "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_memberships_org_id" UNIQUE ("organization_id", "id"), CONSTRAINT "ck_memberships_status" CHECK ("status" IN ('pending_payment', 'upcoming', 'active', 'expiring_soon', 'grace', 'lapsed', 'cancelled')), CONSTRAINT "ck_memberships_amount" CHECK ("amount_cents" >= 0), CONSTRAINT "ck_memberships_period" CHECK ("end_date" IS NULL OR "end_date" >= "start_date"), CONSTRAINT "pk_memberships" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_memberships_renewed_from" ON "memberships" ("organization_id", "renewed_from_id") WHERE "renewed_from_id" IS NOT NULL AND "cancelled_at" IS NULL`);
    await q.query(`CREATE INDEX "ix_memberships_org_changed" ON "memberships" ("organization_id", "status_changed_at") `);
    await q.query(`CREATE INDEX "ix_memberships_next_change" ON "memberships" ("next_status_change_on") WHERE "next_status_change_on" IS NOT NULL`);
    await q.query(`CREATE INDEX "ix_memberships_org_period" ON "memberships" ("organization_id", "start_date", "end_date") `);
    await q.query(`CREATE INDEX "ix_memberships_org_status" ON "memberships" ("organization_id", "status") `);
    await q.query(`CREATE INDEX "ix_memberships_org_contact" ON "memberships" ("organization_id", "contact_id", "end_date") `);
    await q.query(`CREATE TABLE "member_summaries" ("organization_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "membership_id" uuid NOT NULL, "plan_id" uuid NOT NULL, "status" character varying(20) NOT NULL, "member_since" date, "valid_until" date, "lapsed_since" date, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_member_summaries" PRIMARY KEY ("organization_id", "contact_id"))`);
    await q.query(`CREATE INDEX "ix_member_summaries_plan" ON "member_summaries" ("organization_id", "plan_id") `);
    await q.query(`CREATE INDEX "ix_member_summaries_since" ON "member_summaries" ("organization_id", "member_since") `);
    await q.query(`CREATE INDEX "ix_member_summaries_status" ON "member_summaries" ("organization_id", "status", "valid_until") `);
    await q.query(`CREATE TABLE "membership_settings" ("organization_id" uuid NOT NULL, "expiring_soon_days" integer NOT NULL DEFAULT '30', "grace_days" integer NOT NULL DEFAULT '30', "reminder_offsets" integer array NOT NULL DEFAULT '{-30,-7,7}', "reminders_enabled" boolean NOT NULL DEFAULT true, "retention_years" integer NOT NULL DEFAULT '3', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_membership_settings" PRIMARY KEY ("organization_id"))`);
    await q.query(`CREATE TABLE "membership_reminders" ("organization_id" uuid NOT NULL, "membership_id" uuid NOT NULL, "offset_days" integer NOT NULL, "email_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_membership_reminders" PRIMARY KEY ("organization_id", "membership_id", "offset_days"))`);
    await q.query(`ALTER TABLE "households" ADD CONSTRAINT "fk_households_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "contacts" ADD CONSTRAINT "fk_contacts_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "contacts" ADD CONSTRAINT "fk_contacts_household" FOREIGN KEY ("organization_id", "household_id") REFERENCES "households"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "contact_counters" ADD CONSTRAINT "fk_contact_counters_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "tags" ADD CONSTRAINT "fk_tags_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "contact_tags" ADD CONSTRAINT "fk_contact_tags_contact" FOREIGN KEY ("organization_id", "contact_id") REFERENCES "contacts"("organization_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "contact_tags" ADD CONSTRAINT "fk_contact_tags_tag" FOREIGN KEY ("organization_id", "tag_id") REFERENCES "tags"("organization_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "custom_field_definitions" ADD CONSTRAINT "fk_custom_field_definitions_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "saved_filters" ADD CONSTRAINT "fk_saved_filters_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "membership_plans" ADD CONSTRAINT "fk_membership_plans_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "memberships" ADD CONSTRAINT "fk_memberships_contact" FOREIGN KEY ("organization_id", "contact_id") REFERENCES "contacts"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "memberships" ADD CONSTRAINT "fk_memberships_plan" FOREIGN KEY ("organization_id", "plan_id") REFERENCES "membership_plans"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "memberships" ADD CONSTRAINT "fk_memberships_household" FOREIGN KEY ("organization_id", "household_id") REFERENCES "households"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "member_summaries" ADD CONSTRAINT "fk_member_summaries_contact" FOREIGN KEY ("organization_id", "contact_id") REFERENCES "contacts"("organization_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "membership_settings" ADD CONSTRAINT "fk_membership_settings_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "membership_reminders" ADD CONSTRAINT "fk_membership_reminders_membership" FOREIGN KEY ("organization_id", "membership_id") REFERENCES "memberships"("organization_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`CREATE INDEX "ix_contacts_search_trgm" ON "contacts" USING gin ("search_text" gin_trgm_ops)`);
    await q.query(`CREATE INDEX "ix_contacts_custom_fields" ON "contacts" USING gin ("custom_fields" jsonb_path_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "contacts" DROP CONSTRAINT "fk_contacts_household"`);
    await q.query(`DROP TABLE "membership_reminders"`);
    await q.query(`DROP TABLE "membership_settings"`);
    await q.query(`DROP TABLE "member_summaries"`);
    await q.query(`DROP TABLE "memberships"`);
    await q.query(`DROP TABLE "membership_plans"`);
    await q.query(`DROP TABLE "saved_filters"`);
    await q.query(`DROP TABLE "custom_field_definitions"`);
    await q.query(`DROP TABLE "contact_tags"`);
    await q.query(`DROP TABLE "tags"`);
    await q.query(`DROP TABLE "contact_counters"`);
    await q.query(`DROP TABLE "contacts"`);
    await q.query(`DROP TABLE "households"`);
  }
}
